import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { InjectOptions } from 'fastify';
import { IntlMessageFormat } from 'intl-messageformat';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { loadCatalogs } from '../../src/app.js';
import { type DemoArticle, readDemoArticles } from '../../src/demo/demo-loader.js';
import { errorCatalog } from '../../src/domain/errors.js';
import { databaseKinds } from '../support/databases.js';
import { attributesOf, byClass, elements, textOf } from '../support/html.js';
import { startTestSite, type TestSite } from '../support/test-app.js';

const srcFolder = fileURLToPath(new URL('../../src/', import.meta.url));
const catalogs = loadCatalogs();
const reference = catalogs.get('en')!;
// The site runs under its own name, so the product's name showing up anywhere is a leak too.
const productName = 'Kiosque';
const siteName = 'Le Courrier de Valbrune';

/**
 * The literal text of an ICU message, in pieces: what a reader sees whatever the values.
 * Placeholders (`{name}`, `#`) split the text; plural and select branches are read as messages.
 */
function literalParts(message: string): string[] {
  const parts: string[] = [];
  let current = '';
  const flush = () => {
    if (current.trim()) parts.push(current.trim());
    current = '';
  };
  for (let i = 0; i < message.length; i++) {
    const char = message[i]!;
    if (char === '#') {
      flush();
    } else if (char === '{') {
      flush();
      let depth = 1;
      let j = i + 1;
      for (; j < message.length && depth > 0; j++) depth += message[j] === '{' ? 1 : message[j] === '}' ? -1 : 0;
      const argument = message.slice(i + 1, j - 1);
      // `{count, plural, one {# photo} other {# photos}}`: each branch is a message of its own.
      for (const branch of topLevelGroups(argument)) parts.push(...literalParts(branch));
      i = j - 1;
    } else {
      current += char;
    }
  }
  flush();
  return parts;
}

function topLevelGroups(text: string): string[] {
  const groups: string[] = [];
  let depth = 0;
  let start = -1;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '{' && depth++ === 0) start = i + 1;
    else if (text[i] === '}' && --depth === 0) groups.push(text.slice(start, i));
  }
  return groups;
}

/** Argument names of a message, e.g. `site` and `year` in "© {year} {site}". */
function argumentNames(message: string): string[] {
  return [...new Set([...message.matchAll(/\{\s*([A-Za-z0-9_]+)\s*[,}]/g)].map((m) => m[1]!))].sort();
}

const letters = /\p{L}/u;
const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** `needle` as a whole word or phrase (not inside a longer word). */
const containsWords = (haystack: string, needle: string) =>
  new RegExp(`(?<![\\p{L}\\p{N}])${escapeRegExp(needle)}(?![\\p{L}\\p{N}])`, 'u').test(haystack);

function sourceFiles(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(folder, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return /\.(ts|tsx)$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name) ? [full] : [];
  });
}

describe('message catalogs', () => {
  it('has, in every language, exactly the keys of the English catalog', () => {
    expect(catalogs.size).toBeGreaterThan(1);
    for (const [language, catalog] of catalogs) {
      expect(Object.keys(catalog).sort(), language).toEqual(Object.keys(reference).sort());
    }
  });

  it('uses the same placeholders in every language, in messages that compile', () => {
    for (const [language, catalog] of catalogs) {
      for (const [key, message] of Object.entries(catalog)) {
        expect(() => new IntlMessageFormat(message, language), `${language} ${key}`).not.toThrow();
        expect(argumentNames(message), `${language} ${key}`).toEqual(
          argumentNames(reference[key as keyof typeof reference]),
        );
      }
    }
  });

  it('has a reader-facing message for every error code', () => {
    for (const code of Object.keys(errorCatalog)) expect(reference, code).toHaveProperty(`error.${code}`);
  });

  it('has no message that the code never uses', () => {
    const source = sourceFiles(srcFolder)
      .map((file) => readFileSync(file, 'utf8'))
      .join('\n');
    const quoted = (text: string) => ['"', "'", '`'].some((quote) => source.includes(`${quote}${text}${quote}`));
    // Keys built in code, like `admin.role.${role}`: the prefix is written as a template, and the
    // rest must be a literal the code uses (the role names of a list).
    const builtPrefixes = [...source.matchAll(/`([a-z][A-Za-z0-9]*(?:\.[A-Za-z0-9]+)*\.)\$\{/g)].map((m) => m[1]!);
    const unused = Object.keys(reference).filter((key) => {
      // `error.${code}` is built from the code: covered when the code is in the error catalog.
      if (key.startsWith('error.') && key.slice('error.'.length) in errorCatalog) return false;
      if (builtPrefixes.some((prefix) => key.startsWith(prefix) && quoted(key.slice(prefix.length)))) return false;
      return !quoted(key);
    });
    expect(unused, 'Use these messages or remove them from every catalog').toEqual([]);
  });
});

// Attributes that hold addresses or machine values, not words a reader sees or hears.
const technicalAttributes = new Set([
  'href',
  'src',
  'srcset',
  'data-full-srcset',
  'data-share-url',
  'action',
  'class',
  'id',
  'datetime',
  'sizes',
  'rel',
  'type',
  'name',
  'for',
  'lang',
  'hreflang',
  'dir',
  'charset',
  'method',
  'autocomplete',
  'inputmode',
  'loading',
  'decoding',
  'fetchpriority',
  'target',
  'data-network',
  'aria-labelledby',
]);

/** Words written by the newsroom: they are in the article's language by definition, not chrome. */
function contentStrings(demo: DemoArticle[]): string[] {
  const strings = new Set<string>([siteName]);
  for (const article of demo) {
    strings.add(article.headline);
    strings.add(article.standfirst);
    strings.add(article.section.name);
    for (const tag of article.tags) strings.add(tag.name);
    for (const author of article.authors) {
      strings.add(author.name);
      strings.add(author.bio);
    }
    if (article.source) strings.add(article.source.name);
    for (const image of [...(article.hero ? [article.hero] : []), ...article.gallery]) {
      strings.add(image.alt);
      strings.add(image.caption);
      strings.add(image.credit);
    }
  }
  return [...strings].filter((s) => s.trim() !== '').sort((a, b) => b.length - a.length);
}

/** What a reader of the page sees or hears, with the newsroom's own words taken out. */
function chromeOf(html: string, content: string[]): string {
  const withoutBody = byClass(html, 'div', 'story__body').reduce((page, body) => page.replace(body, ''), html);
  const attributes = [...withoutBody.matchAll(/<[a-z][a-z0-9]*\b[^>]*>/gi)].flatMap((tag) =>
    Object.entries(attributesOf(tag[0]))
      .filter(([name, value]) => value !== '' && !technicalAttributes.has(name))
      .map(([, value]) => value),
  );
  let text = [textOf(withoutBody), ...attributes].join(' | ');
  for (const piece of content) text = text.split(piece).join(' ¦ ');
  return text;
}

describe.each(databaseKinds(inject('postgresAvailable')))('pages keep to their language on $kind', ({ kind, skip }) => {
  let site: TestSite;
  let content: string[];
  const pages = new Map<string, { language: string; html: string }>();

  beforeAll(async () => {
    if (skip) return;
    content = contentStrings(await readDemoArticles());
    site = await startTestSite(kind, { env: { KIOSQUE_SITE_NAME: siteName } });
    const form = { 'content-type': 'application/x-www-form-urlencoded' };
    const perLanguage = {
      fr: {
        article: '/fr/poutine-xi-serrent-les-rangs',
        section: '/fr/section/monde',
        tag: '/fr/tag/sante',
        author: '/fr/author/thomas-bernier',
      },
      en: {
        article: '/en/night-trains-return-to-europe',
        section: '/en/section/world',
        tag: '/en/tag/cities',
        author: '/en/author/thomas-bernier',
      },
    };
    for (const [language, urls] of Object.entries(perLanguage)) {
      const requests: [string, InjectOptions | string, number][] = [
        ['home', `/${language}/`, 200],
        ['article', urls.article, 200],
        ['section', urls.section, 200],
        ['tag', urls.tag, 200],
        ['author', urls.author, 200],
        ['newsletter', `/${language}/newsletter`, 200],
        ['thanks', `/${language}/newsletter/thanks`, 200],
        ['subscribe', `/${language}/subscribe`, 200],
        ['404', `/${language}/nulle-part`, 404],
        [
          '400 invalid email',
          { method: 'POST', url: `/${language}/newsletter`, payload: 'email=x', headers: form },
          400,
        ],
        ['400 malformed form', { method: 'POST', url: `/${language}/newsletter`, payload: 'a=b', headers: form }, 400],
        [
          '403 cross-site',
          {
            method: 'POST',
            url: `/${language}/newsletter`,
            payload: 'email=a%40example.org',
            headers: { ...form, 'sec-fetch-site': 'cross-site' },
          },
          403,
        ],
      ];
      for (const [name, request, status] of requests) {
        const response = await site.app.server.inject(request);
        expect(response.statusCode, `${language} ${name}`).toBe(status);
        pages.set(`${language} ${name}`, { language, html: response.body });
      }
    }
  });
  afterAll(async () => {
    await site?.close();
  });

  it.skipIf(skip)('declares the page’s language on <html>', () => {
    expect(pages.size).toBe(24);
    for (const [page, { language, html }] of pages) {
      expect(attributesOf(elements(html, 'html')[0]!).lang, page).toBe(language);
    }
  });

  it.skipIf(skip)('calls the site by its configured name, never by the product’s', () => {
    for (const [page, { html }] of pages) {
      expect(textOf(html), page).toContain(siteName);
      expect(containsWords(chromeOf(html, content), productName), page).toBe(false);
    }
  });

  it.skipIf(skip)('shows no interface text of another language', () => {
    const leaks: string[] = [];
    for (const [page, { language, html }] of pages) {
      const own = catalogs.get(language)!;
      const ownParts = Object.values(own).flatMap(literalParts);
      const chrome = chromeOf(html, content);
      for (const [other, catalog] of catalogs) {
        if (other === language) continue;
        for (const [key, message] of Object.entries(catalog)) {
          if (message === own[key as keyof typeof own]) continue;
          for (const part of literalParts(message)) {
            // A piece this language also uses ("Photo", "article") proves nothing either way.
            if (!letters.test(part) || ownParts.some((mine) => containsWords(mine, part))) continue;
            if (containsWords(chrome, part)) leaks.push(`${page}: "${part}" (${other} ${key})`);
          }
        }
      }
    }
    expect(leaks).toEqual([]);
  });
});
