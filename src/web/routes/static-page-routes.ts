import type { FastifyInstance } from 'fastify';
import { KiosqueError } from '../../domain/errors.js';
import { dependency } from '../cache-invalidation.js';
import type { PageRenderer, WebDependencies } from '../server.js';
import { paths } from '../views/site-context.js';
import { StaticPageView } from '../views/static-page.js';

/**
 * `GET /{lang}/page/{slug}`: About, Contact, the policies (decision 0059). `page` is no story slug
 * (reserved), and a story's address has one segment, so the two never meet.
 */
export function registerStaticPageRoutes(app: FastifyInstance, deps: WebDependencies, web: PageRenderer) {
  app.get<{ Params: { lang: string; slug: string } }>('/:lang/page/:slug', async (request, reply) => {
    const { lang, slug } = request.params;
    if (!deps.site.languages.includes(lang)) throw new KiosqueError('PAGE_NOT_FOUND');
    return web.sendPage(request, reply, paths.staticPage(lang, slug), async () => {
      const page = await deps.staticPages.bySlug(lang, slug);
      if (!page) throw new KiosqueError('PAGE_NOT_FOUND');
      const translations = [...(await deps.staticPages.translations(page.group)).values()]
        .filter((other) => other.id !== page.id)
        .map((other) => ({ language: other.language, slug: other.slug }));
      return {
        body: StaticPageView({ site: await web.context(lang), page, translations }),
        // A change to any page of the language (its translations announce theirs too) drops it.
        dependencies: [dependency.pages(lang)],
      };
    });
  });
}
