import type { FastifyInstance } from 'fastify';
import { KiosqueError } from '../../domain/errors.js';
import { type PageRenderer, pageSecurityHeaders, type WebDependencies } from '../server.js';
import { SearchPageView } from '../views/search-page.js';

type SearchQuerystring = Record<string, string | string[] | undefined>;

/** The first value of a query parameter given once or several times; anything else is absent. */
function single(value: string | string[] | undefined): string | undefined {
  const first = Array.isArray(value) ? value[0] : value;
  return typeof first === 'string' ? first : undefined;
}

/**
 * `/{lang}/search`. Not kept in the page cache: its keys are whatever anyone types, so caching them
 * would let a crawler of random queries evict the pages that matter. What the index found is kept
 * instead, in its own small cache (domain/search/search-cache.ts), dropped when a public story of
 * the language changes. Nor in shared HTTP caches (`no-store`): what a reader searched for is theirs.
 */
export function registerSearchRoutes(app: FastifyInstance, deps: WebDependencies, web: PageRenderer) {
  app.get<{ Params: { lang: string }; Querystring: SearchQuerystring }>('/:lang/search', async (request, reply) => {
    const { lang } = request.params;
    if (!deps.site.languages.includes(lang)) throw new KiosqueError('PAGE_NOT_FOUND');
    const query = request.query ?? {};
    const [site, page] = await Promise.all([
      web.context(lang),
      deps.search.search({
        language: lang,
        q: single(query.q),
        section: single(query.section),
        from: single(query.from),
        to: single(query.to),
        page: single(query.page),
      }),
    ]);
    reply.headers(pageSecurityHeaders).header('cache-control', 'no-store');
    return web.sendHtml(reply, SearchPageView({ site, page }));
  });
}
