import type { FastifyInstance } from 'fastify';
import { renderToString } from 'preact-render-to-string';
import type { Article } from '../../domain/articles/article.js';
import { type PageRenderer, pageSecurityHeaders, type WebDependencies } from '../server.js';
import { ArticlePage } from '../views/pages.js';

/** Finds the article a private preview link shows. */
export interface PreviewFinder {
  previewArticle(token: string): Promise<Article>;
}

/**
 * A draft exactly as readers will see it, by its private link: the real article page view, never
 * cached, never indexed, and the link's key is not passed on to other pages (no Referer).
 */
export function registerPreviewRoutes(
  app: FastifyInstance,
  deps: WebDependencies,
  web: PageRenderer,
  previews: PreviewFinder,
) {
  app.get<{ Params: { token: string } }>('/preview/:token', async (request, reply) => {
    const article = await previews.previewArticle(request.params.token);
    const [site, page] = await Promise.all([web.context(article.language), deps.reading.preview(article)]);
    return reply
      .headers(pageSecurityHeaders)
      .header('cache-control', 'private, no-store')
      .header('x-robots-tag', 'noindex, nofollow')
      .header('referrer-policy', 'no-referrer')
      .type('text/html; charset=utf-8')
      .send(`<!DOCTYPE html>${renderToString(ArticlePage({ site, ...page }))}`);
  });
}
