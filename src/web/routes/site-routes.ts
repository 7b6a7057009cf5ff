import type { FastifyInstance, FastifyRequest } from 'fastify';
import { KiosqueError } from '../../domain/errors.js';
import { negotiateLanguage } from '../../domain/i18n/translator.js';
import type { PageRenderer, WebDependencies } from '../server.js';
import { ArticlePage, HomePage, ListingPageView, SubscribePage } from '../views/pages.js';
import { paths } from '../views/site-context.js';
import { renderRss } from './rss.js';

type LangParams = { lang: string };
type SlugParams = LangParams & { slug: string };
type PageQuery = { page?: string };

/** The reading site: home, article, section, tag and author pages, subscribe page, RSS. */
export function registerSiteRoutes(app: FastifyInstance, deps: WebDependencies, web: PageRenderer) {
  const { site, reading } = deps;

  function language(request: FastifyRequest<{ Params: LangParams }>): string {
    const { lang } = request.params;
    if (!site.languages.includes(lang)) throw new KiosqueError('PAGE_NOT_FOUND');
    return lang;
  }

  function pageNumber(query: PageQuery): number {
    if (query.page === undefined) return 1;
    const page = Number(query.page);
    if (!Number.isInteger(page) || page < 1 || page > 10_000) throw new KiosqueError('PAGE_NOT_FOUND');
    return page;
  }

  // The root sends each reader to the language they prefer; caches must key it on that preference.
  app.get('/', async (request, reply) => {
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
    const [page, home] = await Promise.all([web.context(lang), reading.home(lang)]);
    return web.sendHtml(reply, HomePage({ site: page, ...home }));
  });

  app.get<{ Params: SlugParams }>('/:lang/:slug', async (request, reply) => {
    const lang = language(request);
    const [page, story] = await Promise.all([web.context(lang), reading.article(lang, request.params.slug)]);
    return web.sendHtml(reply, ArticlePage({ site: page, ...story }));
  });

  for (const kind of ['section', 'tag', 'author'] as const) {
    app.get<{ Params: SlugParams; Querystring: PageQuery }>(`/:lang/${kind}/:slug`, async (request, reply) => {
      const lang = language(request);
      const { slug } = request.params;
      const number = pageNumber(request.query);
      const [page, listing] = await Promise.all([web.context(lang), reading[kind](lang, slug, number)]);
      if (number > listing.pageCount) throw new KiosqueError('PAGE_NOT_FOUND');
      return web.sendHtml(reply, ListingPageView({ site: page, kind, listing, path: paths[kind](lang, slug) }));
    });
  }

  app.get<{ Params: LangParams }>('/:lang/subscribe', async (request, reply) => {
    const page = await web.context(language(request));
    return web.sendHtml(reply, SubscribePage({ site: page }));
  });

  app.get<{ Params: LangParams }>('/:lang/rss.xml', async (request, reply) => {
    const lang = language(request);
    const home = await reading.home(lang);
    const items = home.lead ? [home.lead, ...home.latest] : [];
    return reply.type('application/rss+xml; charset=utf-8').send(
      renderRss({
        site,
        language: lang,
        title: web.translator(lang).t('home.title', { site: site.name }),
        items,
      }),
    );
  });
}
