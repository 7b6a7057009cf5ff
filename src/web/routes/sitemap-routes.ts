import type { FastifyInstance } from 'fastify';
import { KiosqueError } from '../../domain/errors.js';
import type { SitemapEntry } from '../../domain/sitemaps/sitemap-service.js';
import { dependency } from '../cache-invalidation.js';
import type { PageRenderer, WebDependencies } from '../server.js';
import { accountPaths } from '../views/member-pages.js';
import { absoluteUrl, paths } from '../views/site-context.js';
import { renderNewsSitemap, renderSitemap, renderSitemapIndex, type SitemapUrl } from '../views/sitemap-xml.js';

const xmlType = 'application/xml; charset=utf-8';
const languageFile = /^([a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*)-([1-9]\d{0,5})\.xml$/;
const newsFile = /^news-([a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*)\.xml$/;
const pagesFile = /^([a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*)-pages\.xml$/;

/**
 * `/sitemap.xml` (the index), `/sitemaps/{lang}-{n}.xml` (every public page of a language, with
 * hreflang alternates), `/sitemaps/news-{lang}.xml` (Google News: the last 48 hours) and
 * `/robots.txt`, which points to them and keeps crawlers out of private and endless pages.
 */
export function registerSitemapRoutes(app: FastifyInstance, deps: WebDependencies, web: PageRenderer) {
  const { site, sitemaps } = deps;
  const url = (path: string) => absoluteUrl(site, path);

  /** Reciprocal alternates: every version lists all of them, itself included, and x-default. */
  function alternatesOf(versions: Record<string, string>): SitemapUrl['alternates'] {
    const present = site.languages.filter((language) => versions[language] !== undefined);
    if (present.length < 2) return [];
    // The same x-default as the pages' own <link rel="alternate"> (views/layout.tsx).
    const xDefault = versions[site.defaultLanguage] ?? versions[present[0] as string];
    return [
      ...present.map((language) => ({ hreflang: language, href: url(versions[language] as string) })),
      { hreflang: 'x-default', href: url(xDefault as string) },
    ];
  }

  function urlOf(language: string, entry: SitemapEntry): SitemapUrl {
    if (entry.kind === 'home') {
      return {
        loc: url(paths.home(language)),
        lastModified: entry.lastModified,
        alternates: alternatesOf(Object.fromEntries(site.languages.map((other) => [other, paths.home(other)]))),
      };
    }
    if (entry.kind === 'article') {
      const versions = Object.fromEntries([
        [language, paths.article(language, entry.slug)],
        ...entry.translations
          .filter((other) => site.languages.includes(other.language))
          .map((other) => [other.language, paths.article(other.language, other.slug)]),
      ]);
      return {
        loc: url(paths.article(language, entry.slug)),
        lastModified: entry.lastModified,
        alternates: alternatesOf(versions),
      };
    }
    return { loc: url(paths[entry.kind](language, entry.slug)), lastModified: entry.lastModified, alternates: [] };
  }

  /** The newsletter and subscribe pages, and the language's static pages, each with its alternates. */
  async function sitePagesOf(language: string): Promise<SitemapUrl[]> {
    const everywhere = (path: (other: string) => string): SitemapUrl => ({
      loc: url(path(language)),
      lastModified: null,
      alternates: alternatesOf(Object.fromEntries(site.languages.map((other) => [other, path(other)]))),
    });
    const pages = await deps.staticPages.list(language);
    const statics = await Promise.all(
      pages.map(async (page): Promise<SitemapUrl> => {
        const versions = Object.fromEntries(
          [...(await deps.staticPages.translations(page.group)).values()].map((other) => [
            other.language,
            paths.staticPage(other.language, other.slug),
          ]),
        );
        return {
          loc: url(paths.staticPage(language, page.slug)),
          lastModified: page.updatedAt,
          alternates: alternatesOf(versions),
        };
      }),
    );
    return [everywhere(paths.newsletter), everywhere(paths.subscribe), ...statics];
  }

  app.get('/sitemap.xml', async (request, reply) =>
    web.sendPage(request, reply, paths.sitemapIndex(), async () => {
      const index = await sitemaps.index();
      return {
        contentType: xmlType,
        body: renderSitemapIndex(
          index.flatMap(({ language, files }) => [
            ...Array.from({ length: files }, (_, n) => url(paths.sitemap(language, n + 1))),
            url(paths.sitemapPages(language)),
            url(paths.newsSitemap(language)),
          ]),
        ),
        dependencies: [
          dependency.siteSetting('languages'),
          ...site.languages.flatMap((language) => [dependency.everyArticle(language), dependency.menu(language)]),
        ],
      };
    }),
  );

  app.get<{ Params: { file: string } }>('/sitemaps/:file', async (request, reply) => {
    const { file } = request.params;
    const news = newsFile.exec(file);
    if (news) {
      const language = news[1] as string;
      // Not kept in the page cache: stories leave it as time passes, with no event to say so.
      const stories = await sitemaps.news(language);
      return reply
        .header('cache-control', 'public, max-age=0, s-maxage=60')
        .type(xmlType)
        .send(
          renderNewsSitemap(
            { name: site.name, language: language.toLowerCase() },
            stories.map((story) => ({
              loc: url(paths.article(language, story.slug)),
              title: story.headline,
              publishedAt: story.publishedAt,
            })),
          ),
        );
    }
    const pages = pagesFile.exec(file);
    if (pages) {
      const language = pages[1] as string;
      if (!site.languages.includes(language)) throw new KiosqueError('PAGE_NOT_FOUND');
      return web.sendPage(request, reply, paths.sitemapPages(language), async () => ({
        contentType: xmlType,
        body: renderSitemap(await sitePagesOf(language)),
        dependencies: [dependency.pages(language), dependency.siteSetting('languages')],
      }));
    }
    const match = languageFile.exec(file);
    if (!match) throw new KiosqueError('PAGE_NOT_FOUND');
    const language = match[1] as string;
    const number = Number(match[2]);
    return web.sendPage(request, reply, paths.sitemap(language, number), async () => {
      const entries = await sitemaps.file(language, number);
      return {
        contentType: xmlType,
        body: renderSitemap(entries.map((entry) => urlOf(language, entry))),
        // Its stories' translations (alternates) and its listings' names are written in it too.
        dependencies: [
          dependency.everyArticle(language),
          dependency.menu(language),
          ...entries.flatMap((entry) =>
            entry.kind === 'article'
              ? [dependency.group(entry.translationGroup)]
              : entry.kind === 'home'
                ? []
                : [dependency.named(entry.kind, entry.id)],
          ),
        ],
      };
    });
  });

  app.get('/robots.txt', async (_request, reply) => {
    const lines = [
      'User-agent: *',
      'Disallow: /admin',
      'Disallow: /preview/',
      // Exact paths ($) and query strings: a story whose slug starts with "search" stays crawlable.
      ...site.languages.flatMap((language) => [
        `Disallow: ${accountPaths.account(language)}$`,
        `Disallow: ${accountPaths.account(language)}/`,
        `Disallow: ${accountPaths.account(language)}?`,
        `Disallow: ${paths.search(language)}$`,
        `Disallow: ${paths.search(language)}?`,
      ]),
      'Allow: /',
      '',
      `Sitemap: ${url(paths.sitemapIndex())}`,
      ...site.languages.map((language) => `Sitemap: ${url(paths.newsSitemap(language))}`),
      '',
    ];
    return reply
      .header('cache-control', 'public, max-age=3600')
      .type('text/plain; charset=utf-8')
      .send(lines.join('\n'));
  });
}
