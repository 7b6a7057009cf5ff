import { KiosqueError } from '../errors.js';

/** Words that name site pages under `/{lang}/`, so no article may use them as its slug. */
export const reservedSlugs = new Set([
  'section',
  'tag',
  'author',
  'search',
  'corrections',
  'newsletter',
  'subscribe',
  'feed',
  'rss',
  'atom',
  'sitemap',
  'admin',
  'api',
  'media',
  'assets',
  'preview',
  'account',
  'signin',
  'members',
  // Static pages live under /{lang}/page/ (decision 0059).
  'page',
]);

const slugPattern = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** Turns a headline into a URL slug: accents folded, ASCII lowercase, hyphen-separated, ≤ 80 chars. */
export function slugify(text: string): string {
  const folded = text
    .normalize('NFKD')
    .replace(/\p{Mn}/gu, '')
    .replace(/[œŒ]/g, 'oe')
    .replace(/[æÆ]/g, 'ae')
    .replace(/ß/g, 'ss')
    .toLowerCase()
    .replace(/[’']/g, '-')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  const cut = folded.length > 80 ? folded.slice(0, 80).replace(/-[^-]*$/, '') : folded;
  return cut || 'article';
}

export function isValidSlug(slug: string): boolean {
  return slug.length <= 120 && slugPattern.test(slug) && !reservedSlugs.has(slug);
}

export function assertValidSlug(slug: string): void {
  if (!isValidSlug(slug)) throw new KiosqueError('ARTICLE_SLUG_INVALID', { slug });
}
