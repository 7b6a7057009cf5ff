import type { FastifyInstance } from 'fastify';
import { genreKey } from '../../domain/articles/genre.js';
import { KiosqueError } from '../../domain/errors.js';
import { type NinjsLinks, type NinjsTranslation, ninjsContentType, ninjsOf } from '../../domain/syndication/ninjs.js';
import { providerNames } from '../../domain/translations/machine-translation.js';
import { dependency, namesShownBy } from '../cache-invalidation.js';
import { errorOf } from '../error-status.js';
import { type PageRenderer, Redirect, type WebDependencies } from '../server.js';
import { feedItemId } from '../views/feed-formats.js';
import { absoluteUrl, paths } from '../views/site-context.js';

/** The address of a story's ninjs document. */
export const ninjsPath = (language: string, slug: string) => `/api/ninjs/${language}/${slug}`;

/**
 * The anonymous read API: `/api/ninjs/{lang}/{slug}` answers a public story as an IPTC ninjs 3.1
 * document (`domain/syndication/ninjs.ts`), through the page cache with the story's keys so that
 * an edit drops it. Anything else (draft, scheduled, embargoed, trashed, unknown) is a JSON 404
 * `{ code, message }`, the shape of the admin JSON API.
 */
export function registerApiRoutes(app: FastifyInstance, deps: WebDependencies, web: PageRenderer) {
  const { site, reading } = deps;

  function linksOf(story: { id: string; language: string; slug: string }): NinjsLinks {
    return {
      uri: feedItemId(story.id),
      pageUrl: absoluteUrl(site, paths.article(story.language, story.slug)),
      ninjsUrl: absoluteUrl(site, ninjsPath(story.language, story.slug)),
    };
  }

  app.register(async (scope) => {
    scope.setErrorHandler(async (error, request, reply) => {
      const { code, status } = errorOf(error, request);
      if (status >= 500) request.log.error({ err: error, url: request.url }, 'api request failed');
      const prefix = request.url.split('/')[3] ?? '';
      const t = web.translator(site.languages.includes(prefix) ? prefix : site.defaultLanguage);
      return reply
        .status(status)
        .header('cache-control', 'no-store')
        .send({ code, message: t.t(`error.${code}`) });
    });

    scope.get<{ Params: { lang: string; slug: string } }>('/api/ninjs/:lang/:slug', async (request, reply) => {
      const { lang, slug } = request.params;
      if (!site.languages.includes(lang)) throw new KiosqueError('PAGE_NOT_FOUND');
      return web.sendPage(request, reply, ninjsPath(lang, slug), async () => {
        const story = await reading.article(lang, slug);
        // An old address of a renamed story points to its new one, as the page does.
        if ('movedTo' in story) throw new Redirect(ninjsPath(lang, story.movedTo), 301);
        const { article } = story;
        const now = deps.clock.now();
        const [machine, others] = await Promise.all([
          deps.machineTranslations.forReaders([article.id], now),
          Promise.all(
            // Only the languages this site serves: another language's stories have no address here.
            story.translations
              .filter((other) => site.languages.includes(other.language))
              .map(async (other) => {
                const found = await reading.article(other.language, other.slug).catch(() => null);
                return found && 'article' in found ? found.article : null;
              }),
          ),
        ]);
        const facts = machine.get(article.id) ?? null;
        const present = others.filter((other) => other !== null);
        const translations: NinjsTranslation[] = present.map((other) => ({
          ...linksOf(other),
          language: other.language,
          headline: other.headline,
        }));
        const document = ninjsOf({
          article,
          links: linksOf(article),
          authorUrls: Object.fromEntries(
            article.authors.map((author) => [author.id, absoluteUrl(site, paths.author(lang, author.slug))]),
          ),
          translations,
          machineTranslation: facts && {
            sourceLanguage: facts.sourceLanguage,
            provider: providerNames[facts.provider] ?? facts.provider,
            reviewer: facts.reviewerName,
            source: facts.source ? { ...linksOf(facts.source), headline: facts.source.headline } : null,
          },
          siteName: site.name,
          genreName: web.translator(lang).t(genreKey(article.genre)),
        });
        return {
          contentType: ninjsContentType,
          body: JSON.stringify(document),
          dependencies: [
            dependency.article(article.id),
            dependency.group(article.translationGroup),
            ...namesShownBy(article),
            ...(facts?.source ? [dependency.article(facts.source.id)] : []),
            ...present.map((other) => dependency.article(other.id)),
          ],
        };
      });
    });
  });
}
