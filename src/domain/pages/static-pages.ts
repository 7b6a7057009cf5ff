import { z } from 'zod';
import { renderMarkdown } from '../articles/markdown.js';
import type { Clock, IdGenerator } from '../clock.js';
import { KiosqueError } from '../errors.js';
import type { EventBus } from '../events.js';

/**
 * Static pages (issue 14, decision 0059): About, Contact, the corrections and ethics policies, the
 * masthead. A page exists per language; its translations share a group, as a story's do, each
 * language at most once. The body is Markdown through the stories' safe renderer. Pages live at
 * `/{lang}/page/{slug}`, a path no story, section or tag can take.
 */
export interface StaticPage {
  id: string;
  group: string;
  language: string;
  slug: string;
  title: string;
  /** One or two sentences: the meta and Open Graph description. */
  description: string;
  bodyMarkdown: string;
  /** Sanitized when saved, as a story's body. */
  bodyHtml: string;
  createdAt: Date;
  updatedAt: Date;
}

/** Keeps static pages; the unique rules (slug per language, one language per group) are the store's. */
export interface StaticPageStore {
  list(language?: string): Promise<StaticPage[]>;
  find(id: string): Promise<StaticPage | null>;
  findBySlug(language: string, slug: string): Promise<StaticPage | null>;
  inGroup(group: string): Promise<StaticPage[]>;
  /** Inserts or replaces by id; `STATIC_PAGE_SLUG_TAKEN` / `STATIC_PAGE_LANGUAGE_TAKEN` on a unique rule. */
  save(page: StaticPage): Promise<void>;
  remove(id: string): Promise<void>;
}

const slugPattern = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

export const staticPageInput = z.object({
  language: z.string().min(1),
  slug: z.string().trim().max(80).regex(slugPattern),
  title: z.string().trim().min(1).max(200),
  description: z.string().trim().max(300).default(''),
  bodyMarkdown: z.string().max(200_000),
  /** Another page this one translates (joins its group); null: a page of its own. */
  translationOf: z.string().max(100).nullable().default(null),
});
export type StaticPageInput = z.input<typeof staticPageInput>;

export interface StaticPages {
  list(language?: string): Promise<StaticPage[]>;
  find(id: string): Promise<StaticPage | null>;
  /** A page readers may read, by its address. */
  bySlug(language: string, slug: string): Promise<StaticPage | null>;
  /** Every language version of a page: language → page (hreflang, switcher, policies). */
  translations(group: string): Promise<Map<string, StaticPage>>;
  create(input: StaticPageInput): Promise<StaticPage>;
  update(id: string, input: StaticPageInput): Promise<StaticPage>;
  remove(id: string): Promise<void>;
}

export function createStaticPages(deps: {
  store: StaticPageStore;
  events: EventBus;
  clock: Clock;
  ids: IdGenerator;
  languages: () => readonly string[];
}): StaticPages {
  const { store, events, clock, ids } = deps;

  function parse(input: StaticPageInput) {
    const result = staticPageInput.safeParse(input);
    if (!result.success) {
      const field = String(result.error.issues[0]?.path[0] ?? 'title');
      throw new KiosqueError('STATIC_PAGE_INVALID', { field });
    }
    if (!deps.languages().includes(result.data.language))
      throw new KiosqueError('STATIC_PAGE_INVALID', { field: 'language' });
    return result.data;
  }

  async function groupFor(translationOf: string | null, fallback: string): Promise<string> {
    if (!translationOf) return fallback;
    const source = await store.find(translationOf);
    if (!source) throw new KiosqueError('STATIC_PAGE_INVALID', { field: 'translationOf' });
    return source.group;
  }

  function announce(group: string, languages: string[]) {
    events.publish({ type: 'pages.changed', group, languages: [...new Set(languages)] });
  }

  return {
    list: (language) => store.list(language),
    find: (id) => store.find(id),
    bySlug: (language, slug) => store.findBySlug(language, slug),
    async translations(group) {
      return new Map((await store.inGroup(group)).map((page) => [page.language, page]));
    },

    async create(input) {
      const value = parse(input);
      const id = ids('page');
      const now = clock.now();
      const page: StaticPage = {
        id,
        group: await groupFor(value.translationOf, ids('pagegroup')),
        language: value.language,
        slug: value.slug,
        title: value.title,
        description: value.description,
        bodyMarkdown: value.bodyMarkdown,
        bodyHtml: renderMarkdown(value.bodyMarkdown),
        createdAt: now,
        updatedAt: now,
      };
      await store.save(page);
      // Its translations' pages gain an alternate; the footer may name it.
      announce(
        page.group,
        (await store.inGroup(page.group)).map((other) => other.language),
      );
      return page;
    },

    async update(id, input) {
      const current = await store.find(id);
      if (!current) throw new KiosqueError('PAGE_NOT_FOUND');
      const value = parse(input);
      const page: StaticPage = {
        ...current,
        group: value.translationOf ? await groupFor(value.translationOf, current.group) : current.group,
        language: value.language,
        slug: value.slug,
        title: value.title,
        description: value.description,
        bodyMarkdown: value.bodyMarkdown,
        bodyHtml: renderMarkdown(value.bodyMarkdown),
        updatedAt: clock.now(),
      };
      await store.save(page);
      const touched = [current.language, page.language];
      for (const group of new Set([current.group, page.group]))
        for (const other of await store.inGroup(group)) touched.push(other.language);
      announce(page.group, touched);
      if (current.group !== page.group) announce(current.group, touched);
      return page;
    },

    async remove(id) {
      const current = await store.find(id);
      if (!current) throw new KiosqueError('PAGE_NOT_FOUND');
      await store.remove(id);
      const touched = [current.language, ...(await store.inGroup(current.group)).map((other) => other.language)];
      announce(current.group, touched);
    },
  };
}
