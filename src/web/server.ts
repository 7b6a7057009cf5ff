import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import Fastify, {
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
  LogController,
} from 'fastify';
import type { VNode } from 'preact';
import { renderToString } from 'preact-render-to-string';
import type { ReadingService } from '../domain/articles/reading-service.js';
import type { Clock } from '../domain/clock.js';
import type { ReaderCorrections } from '../domain/corrections/correction.js';
import { isKiosqueError, KiosqueError, messageValues } from '../domain/errors.js';
import type { FeedService } from '../domain/feeds/feed-service.js';
import { negotiateLanguage, type Translator } from '../domain/i18n/translator.js';
import { type RedirectStore, redirectKey } from '../domain/imports/redirects.js';
import type { NewsletterService } from '../domain/newsletter/newsletter-service.js';
import type { StaticPages } from '../domain/pages/static-pages.js';
import type { SearchService } from '../domain/search/search-service.js';
import {
  policyKinds,
  type SiteSettings,
  type SiteSettingsValues,
  siteNameIn,
  taglineIn,
} from '../domain/settings/site-settings.js';
import type { SitemapService } from '../domain/sitemaps/sitemap-service.js';
import type { ReaderMachineTranslations } from '../domain/translations/machine-translation.js';
import type { ImageVariants } from '../media/image-variants.js';
import type { AdminAccess } from './admin-guard.js';
import { chromeDependencies } from './cache-invalidation.js';
import { errorOf } from './error-status.js';
import type { CachedPage, PageCache } from './page-cache.js';
import { registerRequestGuard } from './request-guard.js';
import { isAnonymous } from './request-identity.js';
import { addVary, registerResponseBaseline } from './response-baseline.js';
import { registerAdminApiRoutes } from './routes/admin-api-routes.js';
import { type AdminDependencies, registerAdminRoutes } from './routes/admin-routes.js';
import { registerApiRoutes } from './routes/api-routes.js';
import { type ContentApiDependencies, registerContentApiRoutes } from './routes/content-api-routes.js';
import { registerFeedRoutes } from './routes/feed-routes.js';
import { registerMediaRoutes } from './routes/media-routes.js';
import { type AudienceDependencies, registerMemberRoutes } from './routes/member-routes.js';
import { registerNewsletterRoutes } from './routes/newsletter-routes.js';
import { registerPaywallRoutes } from './routes/paywall-routes.js';
import { registerPreviewRoutes } from './routes/preview-routes.js';
import { registerSearchRoutes } from './routes/search-routes.js';
import { registerSiteRoutes } from './routes/site-routes.js';
import { registerSitemapRoutes } from './routes/sitemap-routes.js';
import { registerStaticPageRoutes } from './routes/static-page-routes.js';
import { registerSameOriginCheck } from './same-origin.js';
import { encodedEtag, etagMatches, pickEncoding, type StaticAsset } from './static-assets.js';
import { GonePage, MessagePage } from './views/pages.js';
import { type FeedFile, paths, type SiteContext } from './views/site-context.js';

export interface WebDependencies {
  site: {
    readonly name: string;
    publicUrl: string;
    languages: string[];
    defaultLanguage: string;
    readonly followLinks: readonly { network: string; url: string }[];
  };
  /** The settings staff change in the admin (decision 0058), read at each render. */
  settings: SiteSettings;
  /** About, Contact, the policies (decision 0059). */
  staticPages: StaticPages;
  translators: Map<string, Translator>;
  assets: Map<string, StaticAsset>;
  reading: ReadingService;
  /** What readers are told of machine-translated stories: page label, JSON-LD, feeds (decision 0040). */
  machineTranslations: ReaderMachineTranslations;
  /** Published corrections and clarifications: page, corrections page, JSON-LD, feeds, APIs (decision 0056). */
  corrections: ReaderCorrections;
  search: SearchService;
  feeds: FeedService;
  sitemaps: SitemapService;
  newsletter: NewsletterService;
  /** Members, the paywall and subscriptions. */
  audience: AudienceDependencies;
  /** Shared secret of the mail provider's bounce/complaint webhook; null: the webhook is off. */
  mailWebhookSecret: string | null;
  images: { find(id: string): Promise<{ id: string; originalKey: string; width: number } | null> };
  variants: ImageVariants;
  pageCache: PageCache;
  /** Old addresses of an imported site (issue 13): answered with a 301 where the site would say 404. */
  redirects: Pick<RedirectStore, 'resolve'>;
  admin: AdminDependencies;
  /** Ghost's Content API (issue 13): the public stories and the integrations' keys. */
  contentApi: ContentApiDependencies;
  clock: Clock;
  logger: FastifyBaseLogger;
}

/** Headers every HTML page carries: nothing but this site may run code, frame or be framed. */
export const pageSecurityHeaders = {
  'content-security-policy':
    "default-src 'self'; img-src 'self' data:; script-src 'self'; style-src 'self'; font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'self'; object-src 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'strict-origin-when-cross-origin',
  'x-frame-options': 'DENY',
  'permissions-policy': 'camera=(), microphone=(), geolocation=(), interest-cohort=()',
  'cross-origin-opener-policy': 'same-origin',
};

/** Anonymous pages may be kept by shared caches briefly and served stale while they refetch. */
const anonymousCacheControl = 'public, max-age=0, s-maxage=30, stale-while-revalidate=300';

/**
 * A page that stops being true at `expiresAt` (a breaking-news banner, decision 0060) is kept by
 * shared caches no longer than that, stale copies included.
 */
export function cacheControlFor(expiresAt: number | undefined, now: number): string {
  if (expiresAt === undefined) return anonymousCacheControl;
  const left = Math.max(0, Math.floor((expiresAt - now) / 1000));
  const fresh = Math.min(30, left);
  const stale = Math.min(300, left - fresh);
  return `public, max-age=0, s-maxage=${fresh}, stale-while-revalidate=${stale}`;
}

export interface RouteInfo {
  method: string;
  url: string;
  crossOrigin?: string;
}

export interface AdminRouteInfo {
  method: string;
  url: string;
  access: AdminAccess | undefined;
}

declare module 'fastify' {
  interface FastifyInstance {
    adminRoutes: AdminRouteInfo[];
    /**
     * Every route's method and URL pattern, and why it accepts other sites' posts if it does: the
     * paywall leak test and the generated suites of issue 11 walk it.
     */
    routeList: RouteInfo[];
  }
}

/** Thrown by a page render that finds the page lives elsewhere; never cached. */
export class Redirect {
  constructor(
    readonly location: string,
    readonly status: 301 | 302 | 303 | 307 | 308,
  ) {}
}

/** What a cacheable route renders: the page and the keys of what it shows. */
export interface PageRender {
  contentType?: string;
  body: VNode | string;
  dependencies: Iterable<string>;
  /** When what the page shows stops being true by itself (a banner's expiry): its cache lifetime ends then. */
  expiresAt?: Date;
}

/** Builds the web layer: routes, error pages in the reader's language, static assets. */
export async function createServer(deps: WebDependencies): Promise<FastifyInstance> {
  // Set once the renderer exists: Fastify's own refusals before routing (a URL it cannot decode)
  // become the same localized error pages as everything else.
  let renderer: PageRenderer | undefined;
  const app = Fastify({
    loggerInstance: deps.logger,
    // One log line per request costs more than serving a cached page; errors are still logged.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: 64 * 1024,
    // URLs with longer segments are hostile or broken; refuse them before any work.
    routerOptions: { maxParamLength: 200 },
    frameworkErrors: (error, request, reply) => {
      const fallback = reply as unknown as FastifyReply;
      if (renderer) return renderer.sendError(request as FastifyRequest, fallback, error);
      return fallback.status(errorOf(error).status).send();
    },
    return503OnClosing: true,
  });
  await app.register(formbody);
  await app.register(cookie);
  app.decorateRequest('staff', null);
  // Before any route: what every request must be and every response carries (decisions 0012, 0013).
  registerResponseBaseline(app, { publicUrl: deps.site.publicUrl });
  registerRequestGuard(app);
  registerSameOriginCheck(app, deps.site.publicUrl);

  const web = createPageRenderer(deps);
  renderer = web;
  // Every admin route, with the access rule it declares: the role matrix test walks this list.
  const adminRoutes: AdminRouteInfo[] = [];
  app.decorate('adminRoutes', adminRoutes);
  const routeList: RouteInfo[] = [];
  app.decorate('routeList', routeList);
  app.addHook('onRoute', (route) => {
    const crossOrigin = route.config?.crossOrigin;
    for (const method of [route.method].flat()) {
      routeList.push({ method, url: route.url, ...(crossOrigin ? { crossOrigin } : {}) });
    }
    if (!route.url?.startsWith('/admin')) return;
    for (const method of [route.method].flat()) {
      if (method !== 'HEAD') adminRoutes.push({ method, url: route.url, access: route.config?.access });
    }
  });

  registerAssetRoutes(app, deps.assets);
  registerSiteRoutes(app, deps, web);
  registerStaticPageRoutes(app, deps, web);
  registerFeedRoutes(app, deps, web);
  registerApiRoutes(app, deps, web);
  registerContentApiRoutes(app, deps, web);
  registerAdminApiRoutes(app, deps);
  registerSitemapRoutes(app, deps, web);
  registerSearchRoutes(app, deps, web);
  registerNewsletterRoutes(app, deps, web);
  registerMemberRoutes(app, deps, web);
  registerPaywallRoutes(app, deps, web);
  registerMediaRoutes(app, deps);
  registerAdminRoutes(app, deps, deps.admin);
  registerPreviewRoutes(app, deps, web, deps.admin.editor);

  app.get('/health', async (_request, reply) => reply.header('cache-control', 'no-store').send({ status: 'ok' }));
  app.get('/favicon.ico', async (_request, reply) => reply.redirect(deps.assets.get('favicon.svg')!.url, 301));

  app.setNotFoundHandler(async (request, reply) => web.sendError(request, reply, new KiosqueError('PAGE_NOT_FOUND')));
  app.setErrorHandler(async (error, request, reply) => web.sendError(request, reply, error));
  return app;
}

export type PageRenderer = ReturnType<typeof createPageRenderer>;

function createPageRenderer(deps: WebDependencies) {
  const { site, translators, assets, reading, clock } = deps;

  function translator(language: string): Translator {
    return translators.get(language) ?? translators.get(site.defaultLanguage)!;
  }

  /** The language of a request: its URL prefix, else the reader's preference, else the default. */
  function languageOf(request: FastifyRequest): string {
    const prefix = request.url.split('/')[1]?.split('?')[0] ?? '';
    if (site.languages.includes(prefix)) return prefix;
    return negotiateLanguage(request.headers['accept-language'], site.languages, site.defaultLanguage);
  }

  async function context(language: string): Promise<SiteContext> {
    const values = deps.settings.current();
    const [sections, policies] = await Promise.all([
      reading.sections(language).catch(() => []),
      policyLinks(values, language).catch(() => []),
    ]);
    const { logoImageId, shareImageId } = values.identity;
    return {
      name: siteNameIn(values, language, site.defaultLanguage),
      tagline: taglineIn(values, language),
      navLinks: values.navigation.links[language] ?? [],
      policies,
      logo: logoImageId ? { url: `/media/${logoImageId}/1x1-1200.jpg`, width: 1200, height: 1200 } : null,
      shareImage: shareImageId ? { url: `/media/${shareImageId}/16x9-1200.jpg`, width: 1200, height: 675 } : null,
      publicUrl: site.publicUrl,
      languages: site.languages,
      defaultLanguage: site.defaultLanguage,
      assets: {
        css: assets.get('site.css')!.url,
        js: assets.get('site.js')!.url,
        icon: assets.get('favicon.svg')!.url,
        logo: assets.get('logo.png')!.url,
      },
      followLinks: site.followLinks,
      sections,
      year: clock.now().getUTCFullYear(),
      t: translator(language),
    };
  }

  /** Each policy the settings name, as its page in `language` (none when not translated into it). */
  async function policyLinks(values: SiteSettingsValues, language: string): Promise<SiteContext['policies']> {
    const links: SiteContext['policies'][number][] = [];
    for (const kind of policyKinds) {
      const group = values.policies[kind];
      if (!group) continue;
      const page = (await deps.staticPages.translations(group)).get(language);
      if (page) links.push({ kind, title: page.title, path: paths.staticPage(language, page.slug) });
    }
    return links;
  }

  function sendHtml(reply: FastifyReply, node: VNode, status = 200) {
    return reply
      .status(status)
      .headers(pageSecurityHeaders)
      .type('text/html; charset=utf-8')
      .send(`<!DOCTYPE html>${renderToString(node)}`);
  }

  function toRendered(render: PageRender) {
    return {
      contentType: render.contentType ?? 'text/html; charset=utf-8',
      body: typeof render.body === 'string' ? render.body : `<!DOCTYPE html>${renderToString(render.body)}`,
      dependencies: render.dependencies,
      ...(render.expiresAt ? { expiresAt: render.expiresAt.getTime() } : {}),
    };
  }

  function sendCached(request: FastifyRequest, reply: FastifyReply, page: CachedPage) {
    reply
      .headers(pageSecurityHeaders)
      .header('content-type', page.contentType)
      .header('cache-control', cacheControlFor(page.expiresAt, clock.now().getTime()));
    // A session cookie makes the same URL a private page: shared caches must key on it.
    addVary(reply, 'accept-encoding');
    addVary(reply, 'cookie');
    const encoding = pickEncoding(request.headers['accept-encoding']);
    const sent = encoding === 'br' && page.brotli ? 'br' : encoding === 'identity' ? 'identity' : 'gzip';
    reply.header('etag', encodedEtag(page.hash, sent));
    if (etagMatches(request.headers['if-none-match'], page.hash)) return reply.status(304).send();
    if (sent !== 'identity') reply.header('content-encoding', sent);
    return reply.send(sent === 'br' ? page.brotli : sent === 'gzip' ? page.gzip : page.identity);
  }

  /**
   * Serves an anonymous GET page from the page cache under `key`, rendering it once on a miss.
   * Signed-in readers get a fresh, private render that never enters the cache.
   */
  async function sendPage(
    request: FastifyRequest,
    reply: FastifyReply,
    key: string,
    render: () => Promise<PageRender>,
  ) {
    if (!isAnonymous(request)) {
      let page: ReturnType<typeof toRendered>;
      try {
        page = toRendered(await render());
      } catch (error) {
        if (error instanceof Redirect) return reply.redirect(error.location, error.status);
        throw error;
      }
      return reply
        .headers(pageSecurityHeaders)
        .header('cache-control', 'private, no-store')
        .type(page.contentType)
        .send(page.body);
    }
    try {
      const page = await deps.pageCache.getOrRender(key, async () => {
        const rendered = toRendered(await render());
        // Every HTML page shows the chrome of its language: it depends on what the chrome shows.
        if (!rendered.contentType.startsWith('text/html')) return rendered;
        return { ...rendered, dependencies: [...rendered.dependencies, ...chromeDependencies(languageOf(request))] };
      });
      return sendCached(request, reply, page);
    } catch (error) {
      if (error instanceof Redirect) return reply.redirect(error.location, error.status);
      throw error;
    }
  }

  /**
   * Where an old address now lives, if it names something that still exists: an imported site's
   * address, or a section's, tag's or author's address before a rename or merge (decision 0061),
   * whose feeds follow it (`/fr/tag/old/rss.xml` → `/fr/tag/new/rss.xml`).
   */
  async function movedTo(pathAndQuery: string): Promise<string | null> {
    const key = redirectKey(pathAndQuery);
    if (key === null) return null;
    let target = await deps.redirects.resolve(key, clock.now());
    let feed: FeedFile | null = null;
    const asFeed = /^(\/[^/?]+\/(?:section|tag|author)\/[^/?]+)\/(rss\.xml|atom\.xml|feed\.json)$/.exec(key);
    if (!target && asFeed) {
      target = await deps.redirects.resolve(asFeed[1] as string, clock.now());
      feed = asFeed[2] as FeedFile;
      if (target?.kind === 'article') target = null;
    }
    if (!target) return null;
    // An author's page exists in every language: the old address's language is kept.
    const asked = key.split('/')[1] ?? '';
    const language =
      target.kind === 'author' && site.languages.includes(asked) ? asked : (target.language ?? site.defaultLanguage);
    const location =
      feed && target.kind !== 'article'
        ? paths.listingFeed(target.kind, language, target.slug, feed)
        : paths[target.kind](language, target.slug);
    // Never a redirect to the very address asked for (it would loop).
    return redirectKey(location) === key ? null : location;
  }

  async function sendError(request: FastifyRequest, reply: FastifyReply, error: unknown) {
    const { code, status } = errorOf(error, request);
    if (status === 404 && (request.method === 'GET' || request.method === 'HEAD')) {
      const location = await movedTo(request.url).catch(() => null);
      if (location) return reply.header('cache-control', 'public, max-age=3600').redirect(location, 301);
    }
    if (status >= 500) request.log.error({ err: error, url: request.url }, 'request failed');
    const language = languageOf(request);
    let page: SiteContext;
    try {
      page = await context(language);
    } catch {
      return reply
        .status(status)
        .type('text/plain; charset=utf-8')
        .send(translator(language).t(`error.${code}`, messageValues(error)));
    }
    const titleKey =
      status === 404
        ? 'error.title404'
        : status === 403
          ? 'error.title403'
          : status >= 500
            ? 'error.title500'
            : status === 429
              ? 'error.title429'
              : 'error.title400';
    reply.header('cache-control', 'no-store');
    if (isKiosqueError(error) && error.code === 'ARTICLE_GONE') {
      const killedAt = new Date(String(error.details.killedAt));
      reply.header('x-robots-tag', 'noindex');
      return sendHtml(reply, GonePage({ site: page, killedAt, notice: String(error.details.notice ?? '') }), 410);
    }
    // A message may name a value ("wait {minutes} minutes"); a 429 also says it to machines.
    const values = messageValues(error);
    if (status === 429 && typeof values.seconds === 'number') reply.header('retry-after', String(values.seconds));
    return sendHtml(
      reply,
      MessagePage({ site: page, title: page.t.t(titleKey), message: page.t.t(`error.${code}`, values) }),
      status,
    );
  }

  return { translator, languageOf, context, sendHtml, sendPage, sendError, movedTo };
}

function registerAssetRoutes(app: FastifyInstance, assets: Map<string, StaticAsset>) {
  const byUrl = new Map([...assets.values()].map((asset) => [asset.url, asset]));
  app.get('/assets/:file', async (request, reply) => {
    const asset = byUrl.get(request.url.split('?')[0]!);
    if (!asset) throw new KiosqueError('PAGE_NOT_FOUND');
    const encoding = pickEncoding(request.headers['accept-encoding']);
    reply
      .header('content-type', asset.contentType)
      .header('cache-control', 'public, max-age=31536000, immutable')
      .header('etag', encodedEtag(asset.hash, encoding))
      .header('vary', 'accept-encoding');
    if (etagMatches(request.headers['if-none-match'], asset.hash)) return reply.status(304).send();
    if (encoding !== 'identity') reply.header('content-encoding', encoding);
    return reply.send(encoding === 'br' ? asset.brotli : encoding === 'gzip' ? asset.gzip : asset.identity);
  });
}
