import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ArticleSummary } from '../../domain/articles/article.js';
import { KiosqueError } from '../../domain/errors.js';
import { negotiateLanguage } from '../../domain/i18n/translator.js';
import { dependency, namesShownBy } from '../cache-invalidation.js';
import { type PageRenderer, Redirect, type WebDependencies } from '../server.js';
import { CorrectionsPage } from '../views/corrections.js';
import { ArticlePage, HomePage, ListingPageView } from '../views/pages.js';
import { paths } from '../views/site-context.js';
import { readerView } from './paywall-routes.js';

type LangParams = { lang: string };
type SlugParams = LangParams & { slug: string };
type PageQuery = { page?: string };

/** Corrections listed on a page of `/{lang}/corrections`. */
export const correctionsPerPage = 30;

const shown = (articles: (ArticleSummary | null)[]) =>
  articles.flatMap((article) => (article ? [dependency.article(article.id)] : []));

/** The reading site: home, article, section, tag and author pages, subscribe page (feeds: feed-routes.ts). */
export function registerSiteRoutes(app: FastifyInstance, deps: WebDependencies, web: PageRenderer) {
  const { site, reading } = deps;

  function language(request: FastifyRequest<{ Params: LangParams }>): string {
    const { lang } = request.params;
    if (!site.languages.includes(lang)) throw new KiosqueError('PAGE_NOT_FOUND');
    return lang;
  }

  /**
   * The page chrome of a language with its breaking-news banner while it runs (decision 0060): the
   * page declares the banner's key, so setting or removing it drops the page, and its expiry, so a
   * kept page never outlives the banner (the page cache and shared caches both stop at that time).
   */
  async function chrome(lang: string) {
    const [page, banner] = await Promise.all([web.context(lang), reading.banner(lang)]);
    return {
      page: { ...page, banner: banner ? { text: banner.text, link: banner.link } : null },
      banner: {
        dependencies: [dependency.banner(lang)],
        ...(banner ? { expiresAt: banner.expiresAt } : {}),
      },
    };
  }

  function pageNumber(query: PageQuery): number {
    if (query.page === undefined) return 1;
    const page = Number(query.page);
    if (!Number.isInteger(page) || page < 1 || page > 10_000 || String(page) !== query.page) {
      throw new KiosqueError('PAGE_NOT_FOUND');
    }
    return page;
  }

  // The root sends each reader to the language they prefer; caches must key it on that preference.
  app.get('/', async (request, reply) => {
    // An imported site's `/?p=123` and `/?page_id=7` (issue 13) point to the story for good.
    if (request.url.includes('?')) {
      const location = await web.movedTo(request.url);
      if (location) return reply.redirect(location, 301);
    }
    const target = negotiateLanguage(request.headers['accept-language'], site.languages, site.defaultLanguage);
    return reply
      .header('vary', 'accept-language')
      .header('cache-control', 'private, no-cache')
      .redirect(paths.home(target), 302);
  });

  app.get<{ Params: LangParams }>('/:lang', async (request, reply) =>
    reply.redirect(paths.home(language(request)), 301),
  );

  app.get<{ Params: LangParams }>('/:lang/', async (request, reply) => {
    const lang = language(request);
    return web.sendPage(request, reply, paths.home(lang), async () => {
      const [{ page, banner }, home] = await Promise.all([chrome(lang), reading.home(lang)]);
      return {
        body: HomePage({ site: page, ...home }),
        dependencies: [
          dependency.latest(lang),
          dependency.menu(lang),
          dependency.siteSetting('time-zone'),
          // What staff pinned (decision 0060): a change of the picks, and any change to a pinned story
          // (shown or skipped: it may just have become public, or stopped being so), drop the page.
          dependency.frontPage(lang),
          ...home.pinnedIds.map(dependency.article),
          ...banner.dependencies,
          ...shown([home.lead, ...home.top, ...home.latest]),
        ],
        expiresAt: banner.expiresAt,
      };
    });
  });

  app.get<{ Params: SlugParams }>('/:lang/:slug', async (request, reply) => {
    const lang = language(request);
    const { slug } = request.params;
    return web.sendPage(request, reply, paths.article(lang, slug), async () => {
      const [{ page, banner }, story] = await Promise.all([chrome(lang), reading.article(lang, slug)]);
      // An old address of a renamed article points to its new one for good.
      if ('movedTo' in story) throw new Redirect(paths.article(lang, story.movedTo), 301);
      const { article } = story;
      // Server-side paywall: a reader without access receives the beginning only (see paywall-routes.ts).
      const [view, machine, corrections] = await Promise.all([
        readerView(request, deps, page, article),
        deps.machineTranslations.forReaders([article.id], deps.clock.now()),
        deps.corrections.forArticles([article.id]),
      ]);
      const machineTranslation = machine.get(article.id) ?? null;
      return {
        body: ArticlePage({
          site: page,
          ...story,
          article: view.article,
          paywall: view.paywall,
          machineTranslation,
          corrections: corrections.get(article.id) ?? [],
        }),
        dependencies: [
          dependency.article(article.id),
          dependency.latest(lang),
          dependency.menu(lang),
          // Its dates are shown in the site's time zone (a setting).
          dependency.siteSetting('time-zone'),
          dependency.group(article.translationGroup),
          // The machine-translation label names its source story and links to it.
          ...(machineTranslation?.source ? [dependency.article(machineTranslation.source.id)] : []),
          // "You might also enjoy": the stored list (changed by `related.changed`), topped up from the
          // stories sharing its tags, then its section.
          dependency.related(article.id),
          ...article.tags.map((tag) => dependency.tag(tag.id)),
          ...(article.section ? [dependency.section(article.section.id)] : []),
          // Its byline, section and tags by name and address (in the page and its JSON-LD).
          ...namesShownBy(article),
          ...shown([...story.latest, ...story.related]),
          ...banner.dependencies,
        ],
        expiresAt: banner.expiresAt,
      };
    });
  });

  // The language's corrections and clarifications, newest first (issue 14, decision 0056).
  app.get<{ Params: LangParams; Querystring: PageQuery }>('/:lang/corrections', async (request, reply) => {
    const lang = language(request);
    const number = pageNumber(request.query);
    const path = paths.corrections(lang);
    return web.sendPage(request, reply, number > 1 ? `${path}?page=${number}` : path, async () => {
      const [page, found] = await Promise.all([
        web.context(lang),
        deps.corrections.page(lang, deps.clock.now(), (number - 1) * correctionsPerPage, correctionsPerPage),
      ]);
      const pageCount = Math.max(1, Math.ceil(found.total / correctionsPerPage));
      if (number > pageCount) throw new KiosqueError('PAGE_NOT_FOUND');
      return {
        body: CorrectionsPage({ site: page, items: found.items, page: number, pageCount }),
        dependencies: [
          dependency.corrections(lang),
          // A corrected story leaving or joining the public site, or renamed, changes the list.
          dependency.everyArticle(lang),
          dependency.menu(lang),
          ...found.items.map((item) => dependency.article(item.story.id)),
        ],
      };
    });
  });

  for (const kind of ['section', 'tag', 'author'] as const) {
    app.get<{ Params: SlugParams; Querystring: PageQuery }>(`/:lang/${kind}/:slug`, async (request, reply) => {
      const lang = language(request);
      const { slug } = request.params;
      const number = pageNumber(request.query);
      const path = paths[kind](lang, slug);
      return web.sendPage(request, reply, number > 1 ? `${path}?page=${number}` : path, async () => {
        const [{ page, banner }, listing] = await Promise.all([chrome(lang), reading[kind](lang, slug, number)]);
        if (number > listing.pageCount) throw new KiosqueError('PAGE_NOT_FOUND');
        const pinnedLead = listing.pinnedLeadId ?? null;
        return {
          body: ListingPageView({ site: page, kind, listing, path }),
          dependencies: [
            dependency[kind](listing.subject.id),
            dependency.menu(lang),
            dependency.siteSetting('time-zone'),
            ...shown([...listing.items, listing.lead ?? null]),
            // A section's pinned lead (decision 0060): its change, and its story's, drop every page
            // of the section (the lead is left out of the list on all of them).
            ...(kind === 'section' ? [dependency.sectionLead(listing.subject.id)] : []),
            ...(pinnedLead ? [dependency.article(pinnedLead)] : []),
            ...banner.dependencies,
          ],
          expiresAt: banner.expiresAt,
        };
      });
    });
  }
}
