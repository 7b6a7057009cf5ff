/**
 * What a page says about its article outside the body: JSON-LD (`NewsArticle` and kin) first,
 * then OpenGraph / Twitter / `<meta>` tags, then the markup itself (`<html lang>`, `<time>`,
 * `rel=author`). Each field takes the first source that has it.
 */

type Json = unknown;
type Doc = Document;

export interface PageMetadata {
  headline: string;
  standfirst: string;
  bylines: string[];
  publishedAt: Date | null;
  language: string | null;
  canonicalUrl: string | null;
  leadImage: { src: string; alt: string; caption: string; credit: string } | null;
  topics: string[];
  rights: string;
  /** JSON-LD `articleBody`, when the page gives one (evidence for the body, plain text). */
  articleBody: string;
  siteName: string;
}

const ARTICLE_TYPE = /(article|posting|report)$/i;

const clean = (text: string | null | undefined) => (text ?? '').replace(/\s+/g, ' ').trim();

function asArray(value: Json): Json[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

function isObject(value: Json): value is Record<string, Json> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function typesOf(node: Record<string, Json>): string[] {
  return asArray(node['@type']).filter((t): t is string => typeof t === 'string');
}

/** Every object in the page's JSON-LD scripts, `@graph`s and nested values included. */
function jsonLdObjects(document: Doc): Record<string, Json>[] {
  const found: Record<string, Json>[] = [];
  const visit = (value: Json, depth: number) => {
    if (depth > 6) return;
    for (const item of asArray(value)) {
      if (!isObject(item)) continue;
      found.push(item);
      if (item['@graph']) visit(item['@graph'], depth + 1);
      if (item.mainEntity) visit(item.mainEntity, depth + 1);
    }
  };
  for (const script of document.querySelectorAll('script[type="application/ld+json" i]')) {
    try {
      visit(JSON.parse((script.textContent ?? '').replace(/^\s*<!--|-->\s*$/g, '')), 0);
    } catch {
      // A broken JSON-LD block is common on real pages; the meta tags still speak.
    }
  }
  return found;
}

function text(value: Json): string {
  if (typeof value === 'string') return clean(decodeEntities(value));
  if (typeof value === 'number') return String(value);
  if (isObject(value)) return text(value.name ?? value['@value'] ?? value.text ?? '');
  if (Array.isArray(value)) return text(value[0]);
  return '';
}

/** JSON-LD strings sometimes carry HTML entities (`&amp;`, `&#8217;`). */
function decodeEntities(value: string): string {
  return value.replace(/&(#x[0-9a-f]+|#\d+|amp|lt|gt|quot|apos|nbsp);/gi, (_, code: string) => {
    const lower = code.toLowerCase();
    if (lower.startsWith('#x')) return String.fromCodePoint(Number.parseInt(lower.slice(2), 16));
    if (lower.startsWith('#')) return String.fromCodePoint(Number.parseInt(lower.slice(1), 10));
    return { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' }[lower] ?? '';
  });
}

function names(value: Json): string[] {
  return asArray(value)
    .map((item) => text(item))
    .filter((name) => name !== '' && !/^https?:\/\//i.test(name));
}

function imageOf(value: Json): { src: string; alt: string; caption: string; credit: string } | null {
  const first = asArray(value)[0];
  if (typeof first === 'string' && first) return { src: first, alt: '', caption: '', credit: '' };
  if (!isObject(first)) return null;
  const src = text(first.url ?? first.contentUrl);
  if (!src) return null;
  return {
    src,
    alt: text(first.name ?? ''),
    caption: text(first.caption ?? first.description ?? ''),
    credit: text(first.creditText ?? first.copyrightHolder ?? first.author ?? ''),
  };
}

function meta(document: Doc, ...keys: string[]): string {
  for (const key of keys) {
    const element =
      document.querySelector(`meta[property="${key}" i]`) ??
      document.querySelector(`meta[name="${key}" i]`) ??
      document.querySelector(`meta[itemprop="${key}" i]`);
    const content = clean(element?.getAttribute('content'));
    if (content) return decodeEntities(content);
  }
  return '';
}

function metaAll(document: Doc, key: string): string[] {
  return [...document.querySelectorAll(`meta[property="${key}" i], meta[name="${key}" i]`)]
    .map((element) => clean(element.getAttribute('content')))
    .filter(Boolean);
}

/** Pages write "0001-01-01" for "no date": anything before the web is taken as absent. */
const EARLIEST_YEAR = 1990;

function date(value: string): Date | null {
  if (!value) return null;
  const parsed = new Date(value);
  return Number.isNaN(parsed.getTime()) || parsed.getUTCFullYear() < EARLIEST_YEAR ? null : parsed;
}

const SEPARATOR = /\s+[|–—-]\s+/;

/**
 * The headline without the site's name that titles often carry ("… | TheHill", "… - IGN"): the
 * trailing part goes when it is the site's name or when another source gives the title without it.
 */
function headlineOf(candidates: string[], siteName: string): string {
  const [first, ...others] = candidates.filter(Boolean);
  if (!first) return '';
  const parts = first.split(SEPARATOR);
  if (parts.length < 2) return first;
  const last = parts.at(-1)!.toLowerCase().replace(/\s+/g, '');
  const site = siteName.toLowerCase().replace(/\s+/g, '');
  const without = first
    .slice(0, first.lastIndexOf(parts.at(-1)!))
    .replace(/\s+[|–—-]\s*$/, '')
    .trim();
  if ((site && (last === site || site.includes(last) || last.includes(site))) || others.includes(without)) {
    return without;
  }
  return first;
}

const BY = /^\s*(?:(?:analysis|reporting|words|text|written)\s+)?(?:by|par|por|von|di|de)\s+/i;
const DATE_IN_BYLINE =
  /\b(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d{1,2}\b.*$|\b\d{1,2}[/.]\d{1,2}[/.]\d{2,4}\b.*$/i;

/** "By ROBERT BURNS, AP National Security Writer" stays a name with its role; the "By", a date or "| Print" go. */
function cleanByline(name: string): string {
  const cleaned = name
    .replace(BY, '')
    .split(/\s+\|\s+|;/)[0]!
    .replace(DATE_IN_BYLINE, '')
    .trim();
  return cleaned.replace(/[,;|-]+$/, '').trim();
}

/** "en_US", "EN-gb" → "en-us", "en-gb"; anything that does not look like a tag → null. */
export function normalizeLanguage(value: string | null | undefined): string | null {
  const tag = clean(value).replace(/_/g, '-').toLowerCase();
  return /^[a-z]{2,3}(-[a-z0-9]{1,8})*$/.test(tag) ? tag : null;
}

function bylinesInMarkup(document: Doc): string[] {
  const found = [
    ...document.querySelectorAll('[rel="author"], [itemprop="author"] [itemprop="name"], [itemprop="author"]'),
  ]
    .map((element) => clean(element.textContent))
    .filter((name) => name.length > 1 && name.length < 80);
  return [...new Set(found)].slice(0, 4);
}

/** The metadata of a parsed page. */
export function readMetadata(document: Doc, url: string | undefined): PageMetadata {
  const objects = jsonLdObjects(document);
  const article = objects.find((o) => typesOf(o).some((t) => ARTICLE_TYPE.test(t))) ?? {};
  const h1 = clean(document.querySelector('h1')?.textContent);

  const siteName = meta(document, 'og:site_name') || text(article.publisher);
  const headline = headlineOf(
    [text(article.headline), meta(document, 'og:title'), meta(document, 'twitter:title'), h1, clean(document.title)],
    siteName,
  );

  const bylines = names(article.author);
  const metaAuthors = metaAll(document, 'author').filter((name) => !/^https?:\/\//i.test(name));
  const articleAuthors = metaAll(document, 'article:author').filter((name) => !/^https?:\/\//i.test(name));
  const authorList = bylines.length
    ? bylines
    : metaAuthors.length
      ? metaAuthors
      : articleAuthors.length
        ? articleAuthors
        : bylinesInMarkup(document);

  const published =
    date(text(article.datePublished)) ??
    date(meta(document, 'article:published_time', 'datePublished', 'pubdate', 'date', 'dc.date', 'dcterms.created')) ??
    date(clean(document.querySelector('time[datetime]')?.getAttribute('datetime')));

  const language =
    normalizeLanguage(text(article.inLanguage)) ??
    normalizeLanguage(document.documentElement?.getAttribute('lang')) ??
    normalizeLanguage(meta(document, 'og:locale', 'language', 'dc.language')) ??
    normalizeLanguage(
      document.querySelector('meta[http-equiv="content-language" i]')?.getAttribute('content')?.split(',')[0],
    );

  const ogImage = meta(document, 'og:image:secure_url', 'og:image', 'twitter:image', 'twitter:image:src');
  const leadImage =
    imageOf(article.image) ??
    (ogImage
      ? { src: ogImage, alt: meta(document, 'og:image:alt', 'twitter:image:alt'), caption: '', credit: '' }
      : null);

  const canonical =
    clean(document.querySelector('link[rel="canonical" i]')?.getAttribute('href')) ||
    meta(document, 'og:url') ||
    text(article.url) ||
    url ||
    '';

  const keywords = asArray(article.keywords).flatMap((k) => (typeof k === 'string' ? k.split(',') : []));
  const topics = [
    ...new Set(
      (keywords.length ? keywords : [...metaAll(document, 'article:tag'), ...meta(document, 'keywords').split(',')])
        .map((k) => clean(k))
        .filter(Boolean),
    ),
  ];

  const base = canonical ? (absolute(canonical, url) ?? url) : url;
  return {
    headline,
    standfirst: text(article.description) || meta(document, 'og:description', 'description', 'twitter:description'),
    bylines: [...new Set(authorList.map(cleanByline).filter((name) => name.length > 1 && name.length <= 80))],
    publishedAt: published,
    language,
    canonicalUrl: base ?? null,
    leadImage: leadImage ? { ...leadImage, src: absolute(leadImage.src, base) ?? leadImage.src } : null,
    topics,
    rights: text(article.copyrightNotice ?? article.license) || meta(document, 'copyright', 'dc.rights'),
    articleBody: typeof article.articleBody === 'string' ? decodeEntities(article.articleBody) : '',
    siteName,
  };
}

/** An http(s) address resolved against the page's; anything else (javascript:, data:) is dropped. */
export function absolute(href: string, base: string | undefined): string | null {
  try {
    const resolved = new URL(href, base);
    return resolved.protocol === 'http:' || resolved.protocol === 'https:' ? resolved.href : null;
  } catch {
    return null;
  }
}
