import type { ArticleSummary } from '../../domain/articles/article.js';
import { paths } from '../views/site-context.js';

const xmlEscapes: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
};

function xml(text: string): string {
  // Characters XML 1.0 forbids are dropped rather than breaking the whole feed.
  // biome-ignore lint/suspicious/noControlCharactersInRegex: removing them is the point
  return text.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '').replace(/[&<>"']/g, (c) => xmlEscapes[c]!);
}

/** A minimal RSS 2.0 feed of a language's latest stories (the discovery work adds Atom and JSON Feed). */
export function renderRss(input: {
  site: { name: string; publicUrl: string };
  language: string;
  title: string;
  items: ArticleSummary[];
}): string {
  const base = `${input.site.publicUrl}`;
  const items = input.items
    .map((item) => {
      const link = base + paths.article(item.language, item.slug);
      return `<item><title>${xml(item.headline)}</title><link>${xml(link)}</link><guid isPermaLink="true">${xml(link)}</guid><description>${xml(item.standfirst)}</description><pubDate>${item.publishedAt.toUTCString()}</pubDate>${item.authors.map((a) => `<dc:creator>${xml(a.name)}</dc:creator>`).join('')}</item>`;
    })
    .join('');
  return `<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:atom="http://www.w3.org/2005/Atom"><channel><title>${xml(input.title)}</title><link>${xml(base + paths.home(input.language))}</link><atom:link href="${xml(base + paths.rss(input.language))}" rel="self" type="application/rss+xml"/><description>${xml(input.site.name)}</description><language>${xml(input.language)}</language>${items}</channel></rss>\n`;
}
