import type { FastifyInstance } from 'fastify';
import { KiosqueError } from '../../domain/errors.js';
import { ninjsContentType } from '../../domain/syndication/ninjs.js';
import { errorOf } from '../error-status.js';
import { createNinjsDocuments, ninjsPath } from '../ninjs-documents.js';
import { type PageRenderer, Redirect, type WebDependencies } from '../server.js';

/**
 * The anonymous read API: `/api/ninjs/{lang}/{slug}` answers a public story as an IPTC ninjs 3.1
 * document (`domain/syndication/ninjs.ts`), through the page cache with the story's keys so that
 * an edit drops it. Anything else (draft, scheduled, embargoed, trashed, unknown) is a JSON 404
 * `{ code, message }`, the shape of the admin JSON API.
 */
export function registerApiRoutes(app: FastifyInstance, deps: WebDependencies, web: PageRenderer) {
  const { site } = deps;
  const documents = createNinjsDocuments(deps);

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
        const found = await documents.story(lang, slug);
        // An old address of a renamed story points to its new one, as the page does.
        if ('movedTo' in found) throw new Redirect(ninjsPath(lang, found.movedTo), 301);
        return {
          contentType: ninjsContentType,
          body: JSON.stringify(found.document),
          dependencies: found.dependencies,
        };
      });
    });
  });
}
