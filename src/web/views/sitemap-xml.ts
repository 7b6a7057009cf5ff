import { element, emptyElement } from './xml.js';

export interface SitemapUrl {
  loc: string;
  lastModified: Date | null;
  /** The same page in every language it exists in, this one included, plus `x-default`; empty when it has no translation. */
  alternates: { hreflang: string; href: string }[];
}

export interface NewsUrl {
  loc: string;
  title: string;
  publishedAt: Date;
}

const declaration = '<?xml version="1.0" encoding="UTF-8"?>\n';

/** The sitemap index (sitemaps.org 0.9): the files search engines should read. */
export function renderSitemapIndex(locations: string[]): string {
  return `${declaration}<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">${locations
    .map((loc) => `<sitemap>${element('loc', loc)}</sitemap>`)
    .join('')}</sitemapindex>\n`;
}

/** A sitemap with hreflang alternates (xhtml:link), as Google documents for localized pages. */
export function renderSitemap(urls: SitemapUrl[]): string {
  const body = urls
    .map(
      (url) =>
        `<url>${element('loc', url.loc)}${url.lastModified ? element('lastmod', url.lastModified.toISOString()) : ''}${url.alternates
          .map((alternate) =>
            emptyElement('xhtml:link', { rel: 'alternate', hreflang: alternate.hreflang, href: alternate.href }),
          )
          .join('')}</url>`,
    )
    .join('\n');
  return `${declaration}<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:xhtml="http://www.w3.org/1999/xhtml">\n${body}\n</urlset>\n`;
}

/** A Google News sitemap: the publication's name and language, each story's title and date. */
export function renderNewsSitemap(publication: { name: string; language: string }, urls: NewsUrl[]): string {
  const body = urls
    .map(
      (url) =>
        `<url>${element('loc', url.loc)}<news:news><news:publication>${element('news:name', publication.name)}${element(
          'news:language',
          publication.language,
        )}</news:publication>${element('news:publication_date', url.publishedAt.toISOString())}${element(
          'news:title',
          url.title,
        )}</news:news></url>`,
    )
    .join('\n');
  return `${declaration}<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">\n${body}\n</urlset>\n`;
}
