import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { isKiosqueError, KiosqueError } from '../../domain/errors.js';
import type { PageRenderer, WebDependencies } from '../server.js';
import { MessagePage, NewsletterPage } from '../views/pages.js';
import { paths } from '../views/site-context.js';

const signupForm = z.object({
  email: z.string().max(1000),
  source: z.string().max(500).optional(),
});

/**
 * A form post from a page of another site is refused: the browser says where it came from. The
 * origin may be the Host asked for, or the site's public URL: a reverse proxy often forwards
 * under its own Host (nginx sends the upstream's by default), while the browser names the public one.
 */
export function assertSameOrigin(request: FastifyRequest, publicUrl: string): void {
  if (request.headers['sec-fetch-site'] === 'cross-site') throw new KiosqueError('REQUEST_FORBIDDEN');
  const origin = request.headers.origin;
  if (origin === undefined || origin === 'null') return;
  let from: URL;
  try {
    from = new URL(origin);
  } catch {
    throw new KiosqueError('REQUEST_FORBIDDEN');
  }
  if (from.host !== request.headers.host && from.origin !== new URL(publicUrl).origin) {
    throw new KiosqueError('REQUEST_FORBIDDEN');
  }
}

/** The signup form is an HTML form: a JSON, multipart or text body is not what the page sends. */
function isUrlEncodedForm(request: FastifyRequest): boolean {
  return /^application\/x-www-form-urlencoded\s*(;|$)/i.test(request.headers['content-type'] ?? '');
}

/** Newsletter signup: its own page, the form on every article, and the confirmation. */
export function registerNewsletterRoutes(app: FastifyInstance, deps: WebDependencies, web: PageRenderer) {
  const { site, newsletter } = deps;
  type LangParams = { lang: string };

  function language(lang: string): string {
    if (!site.languages.includes(lang)) throw new KiosqueError('PAGE_NOT_FOUND');
    return lang;
  }

  app.get<{ Params: LangParams }>('/:lang/newsletter', async (request, reply) => {
    const page = await web.context(language(request.params.lang));
    return web.sendHtml(reply, NewsletterPage({ site: page }));
  });

  app.post<{ Params: LangParams }>('/:lang/newsletter', { bodyLimit: 8 * 1024 }, async (request, reply) => {
    const lang = language(request.params.lang);
    assertSameOrigin(request, site.publicUrl);
    if (!isUrlEncodedForm(request)) throw new KiosqueError('FORM_INVALID');
    const form = signupForm.safeParse(request.body);
    if (!form.success) throw new KiosqueError('FORM_INVALID');
    const sourcePath = form.data.source?.startsWith('/') ? form.data.source : paths.newsletter(lang);
    try {
      await newsletter.signup({ email: form.data.email, language: lang, sourcePath });
    } catch (error) {
      if (isKiosqueError(error) && error.code === 'NEWSLETTER_EMAIL_INVALID') {
        const page = await web.context(lang);
        reply.header('cache-control', 'no-store');
        return web.sendHtml(
          reply,
          NewsletterPage({ site: page, error: page.t.t('error.NEWSLETTER_EMAIL_INVALID') }),
          400,
        );
      }
      throw error;
    }
    // Post/redirect/get: reloading the confirmation does not post again.
    return reply.redirect(paths.newsletterThanks(lang), 303);
  });

  app.get<{ Params: LangParams }>('/:lang/newsletter/thanks', async (request, reply) => {
    const page = await web.context(language(request.params.lang));
    return web.sendHtml(
      reply,
      MessagePage({
        site: page,
        title: page.t.t('newsletter.thanksTitle'),
        message: page.t.t('newsletter.thanksBody'),
      }),
    );
  });
}
