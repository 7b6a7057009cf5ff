import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { InjectOptions } from 'fastify';
import { IntlMessageFormat } from 'intl-messageformat';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCatalogs } from '../../src/app.js';
import { readDemoArticles } from '../../src/demo/demo-loader.js';
import { errorCatalog } from '../../src/domain/errors.js';
import { chromeOf, containsWords, contentStrings, foreignChrome } from '../support/chrome-text.js';
import { describeEachDatabase } from '../support/databases.js';
import { attributesOf, elements, textOf } from '../support/html.js';
import { startTestSite, type TestSite } from '../support/test-app.js';

const srcFolder = fileURLToPath(new URL('../../src/', import.meta.url));
const catalogs = loadCatalogs();
const reference = catalogs.get('en')!;
// The site runs under its own name, so the product's name showing up anywhere is a leak too.
const productName = 'Kiosque';
const siteName = 'Le Courrier de Valbrune';

/** Argument names of a message, e.g. `site` and `year` in "© {year} {site}". */
function argumentNames(message: string): string[] {
  return [...new Set([...message.matchAll(/\{\s*([A-Za-z0-9_]+)\s*[,}]/g)].map((m) => m[1]!))].sort();
}

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

describeEachDatabase('pages keep to their language on $kind', ({ kind }) => {
  let site: TestSite;
  let content: string[];
  const pages = new Map<string, { language: string; html: string }>();

  beforeAll(async () => {
    content = contentStrings(await readDemoArticles(), [siteName]);
    site = await startTestSite(kind, { env: { KIOSQUE_SITE_NAME: siteName } });
    const form = { 'content-type': 'application/x-www-form-urlencoded' };
    const perLanguage = {
      fr: {
        article: '/fr/poutine-xi-serrent-les-rangs',
        section: '/fr/section/monde',
        tag: '/fr/tag/sante',
        author: '/fr/author/thomas-bernier',
        gated: '/fr/le-budget-de-l-eau-a-valbrune',
      },
      en: {
        article: '/en/night-trains-return-to-europe',
        section: '/en/section/world',
        tag: '/en/tag/cities',
        author: '/en/author/thomas-bernier',
        gated: '/en/what-the-river-sensors-found',
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
        ['gated article', urls.gated, 200],
        ['sign-in', `/${language}/account`, 200],
        ['search', `/${language}/search?q=${language === 'fr' ? 'train' : 'night'}`, 200],
        ['search without a query', `/${language}/search`, 200],
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

  it('declares the page’s language on <html>', () => {
    expect(pages.size).toBe(32);
    for (const [page, { language, html }] of pages) {
      expect(attributesOf(elements(html, 'html')[0]!).lang, page).toBe(language);
    }
  });

  it('calls the site by its configured name, never by the product’s', () => {
    for (const [page, { html }] of pages) {
      expect(textOf(html), page).toContain(siteName);
      expect(containsWords(chromeOf(html, content), productName), page).toBe(false);
    }
  });

  it('shows no interface text of another language', () => {
    const leaks: string[] = [];
    for (const [page, { language, html }] of pages) {
      // Each piece of another catalog's messages that this language does not share (see chrome-text.ts).
      for (const leak of foreignChrome(chromeOf(html, content), language, catalogs)) leaks.push(`${page}: ${leak}`);
    }
    expect(leaks).toEqual([]);
  });
});
