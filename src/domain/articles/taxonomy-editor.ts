import { KiosqueError } from '../errors.js';
import type { EventBus } from '../events.js';
import { redirectKey } from '../imports/redirects.js';
import { isValidSlug, slugify } from './slug.js';

export type TaxonomyKind = 'section' | 'tag' | 'author';
export type ListingTaxonomyKind = 'section' | 'tag';

/**
 * The keys (`redirectKey`) of the old address of a listing, for the old-address table: a section's
 * or tag's one page in its language, an author's page in every language of the site.
 */
export type OldAddresses = (slug: string, language: string | null) => string[];

/** Why the port exists: each change writes rows, story moves and old addresses in one transaction. */
export interface TaxonomyStore {
  /**
   * Gives the section, tag or author a new name and address; when the address changes, the old
   * ones (`oldAddresses(previous slug, language)`) are kept pointing at it, in the same
   * transaction. `missing` when there is none with this id; `taken` when another of its kind (in
   * its language, for sections and tags) has the address.
   */
  rename(
    kind: TaxonomyKind,
    id: string,
    change: { name: string; slug: string },
    oldAddresses: OldAddresses,
  ): Promise<{ language: string | null } | 'missing' | 'taken'>;
  describe(kind: ListingTaxonomyKind, id: string, description: string): Promise<{ language: string } | 'missing'>;
  /**
   * Moves every story of `fromId` to `intoId` (a story holding both keeps the target where it
   * was), points `from`'s old addresses and its own at the target, and removes it: one
   * transaction. `mismatch` when the two are not of the same language.
   */
  merge(
    kind: ListingTaxonomyKind,
    fromId: string,
    intoId: string,
    oldAddresses: OldAddresses,
  ): Promise<{ language: string } | 'missing' | 'mismatch'>;
  /** Swaps the section with its neighbour in its language's menu (the menu is renumbered 1…n). */
  moveSection(id: string, direction: 'up' | 'down'): Promise<{ language: string } | 'missing'>;
}

const notFound = { section: 'SECTION_NOT_FOUND', tag: 'TAG_NOT_FOUND', author: 'AUTHOR_NOT_FOUND' } as const;
export const descriptionLimit = 1000;

/**
 * Renames, describes, merges and orders sections, tags and authors on purpose (staff with
 * `taxonomy.manage`), and announces it: every page, feed and sitemap that names the old name or
 * address is dropped (issue 11), and old addresses answer with a 301 (issue 14, decision 0061).
 */
export function createTaxonomyEditor(deps: {
  store: TaxonomyStore;
  events: EventBus;
  /** The site's languages: an author's page exists in each. */
  languages: readonly string[];
}) {
  const { languages } = deps;
  const oldAddresses =
    (kind: TaxonomyKind): OldAddresses =>
    (slug, language) =>
      (language === null ? languages : [language])
        .map((lang) => redirectKey(`/${lang}/${kind}/${slug}`))
        .filter((key): key is string => key !== null);

  return {
    /** The address defaults to the name's; both are checked before anything is written. */
    async rename(kind: TaxonomyKind, id: string, input: { name: string; slug?: string }): Promise<void> {
      const name = input.name.trim();
      const slug = input.slug?.trim() || slugify(name);
      if (name.length === 0 || name.length > 100 || !isValidSlug(slug)) {
        throw new KiosqueError('TAXONOMY_NAME_INVALID', { kind, id });
      }
      const outcome = await deps.store.rename(kind, id, { name, slug }, oldAddresses(kind));
      if (outcome === 'missing') throw new KiosqueError(notFound[kind], { id });
      if (outcome === 'taken') throw new KiosqueError('TAXONOMY_SLUG_TAKEN', { kind, slug });
      deps.events.publish({ type: 'taxonomy.renamed', kind, id, language: outcome.language });
    },

    /**
     * The management form: name, address and description at once. Everything is checked before
     * anything is written, so a refusal stores nothing; one event says what changed.
     */
    async update(
      kind: ListingTaxonomyKind,
      id: string,
      input: { name: string; slug?: string; description: string },
    ): Promise<void> {
      const name = input.name.trim();
      const slug = input.slug?.trim() || slugify(name);
      const description = input.description.replace(/\r\n?/g, '\n').trim();
      if (name.length === 0 || name.length > 100 || !isValidSlug(slug)) {
        throw new KiosqueError('TAXONOMY_NAME_INVALID', { kind, id });
      }
      if (description.length > descriptionLimit) throw new KiosqueError('TAXONOMY_DESCRIPTION_TOO_LONG', { kind, id });
      const outcome = await deps.store.rename(kind, id, { name, slug }, oldAddresses(kind));
      if (outcome === 'missing') throw new KiosqueError(notFound[kind], { id });
      if (outcome === 'taken') throw new KiosqueError('TAXONOMY_SLUG_TAKEN', { kind, slug });
      await deps.store.describe(kind, id, description);
      deps.events.publish({ type: 'taxonomy.renamed', kind, id, language: outcome.language });
    },

    /** What the listing page says under its title and gives as its description; empty clears it. */
    async describe(kind: ListingTaxonomyKind, id: string, text: string): Promise<void> {
      const description = text.replace(/\r\n?/g, '\n').trim();
      if (description.length > descriptionLimit) throw new KiosqueError('TAXONOMY_DESCRIPTION_TOO_LONG', { kind, id });
      const outcome = await deps.store.describe(kind, id, description);
      if (outcome === 'missing') throw new KiosqueError(notFound[kind], { id });
      deps.events.publish({ type: 'taxonomy.renamed', kind, id, language: outcome.language });
    },

    /** `fromId` disappears into `intoId` (same kind and language); its address answers with a 301. */
    async merge(kind: ListingTaxonomyKind, fromId: string, intoId: string): Promise<void> {
      if (fromId === intoId) throw new KiosqueError('TAXONOMY_MERGE_REFUSED', { kind, id: fromId });
      const outcome = await deps.store.merge(kind, fromId, intoId, oldAddresses(kind));
      if (outcome === 'missing') throw new KiosqueError(notFound[kind], { id: fromId });
      if (outcome === 'mismatch') throw new KiosqueError('TAXONOMY_MERGE_REFUSED', { kind, id: fromId });
      deps.events.publish({ type: 'taxonomy.merged', kind, fromId, intoId, language: outcome.language });
    },

    /** One place up or down the language's menu; at either end, nothing moves. */
    async moveSection(id: string, direction: 'up' | 'down'): Promise<void> {
      const outcome = await deps.store.moveSection(id, direction);
      if (outcome === 'missing') throw new KiosqueError('SECTION_NOT_FOUND', { id });
      deps.events.publish({ type: 'sections.changed', language: outcome.language });
    },
  };
}

export type TaxonomyEditor = ReturnType<typeof createTaxonomyEditor>;
