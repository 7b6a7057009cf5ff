import { KiosqueError } from '../errors.js';
import type { EventBus } from '../events.js';
import { isValidSlug, slugify } from './slug.js';

export type TaxonomyKind = 'section' | 'tag' | 'author';

/** Why the port exists: renaming writes one row, refusing an address another row of its kind holds. */
export interface TaxonomyRenameStore {
  /**
   * Gives the section, tag or author a new name and address. `missing` when there is none with this
   * id; `taken` when another of its kind (in its language, for sections and tags) has the address.
   */
  rename(
    kind: TaxonomyKind,
    id: string,
    change: { name: string; slug: string },
  ): Promise<{ language: string | null } | 'missing' | 'taken'>;
}

const notFound = { section: 'SECTION_NOT_FOUND', tag: 'TAG_NOT_FOUND', author: 'AUTHOR_NOT_FOUND' } as const;

/**
 * Renames sections, tags and authors on purpose (staff with `taxonomy.manage`), and announces it:
 * every page, feed and sitemap that names the old name or address is dropped (issue 11).
 */
export function createTaxonomyEditor(deps: { store: TaxonomyRenameStore; events: EventBus }) {
  return {
    /** The address defaults to the name's; both are checked before anything is written. */
    async rename(kind: TaxonomyKind, id: string, input: { name: string; slug?: string }): Promise<void> {
      const name = input.name.trim();
      const slug = input.slug?.trim() || slugify(name);
      if (name.length === 0 || name.length > 100 || !isValidSlug(slug)) {
        throw new KiosqueError('TAXONOMY_NAME_INVALID', { kind, id });
      }
      const outcome = await deps.store.rename(kind, id, { name, slug });
      if (outcome === 'missing') throw new KiosqueError(notFound[kind], { id });
      if (outcome === 'taken') throw new KiosqueError('TAXONOMY_SLUG_TAKEN', { kind, slug });
      deps.events.publish({ type: 'taxonomy.renamed', kind, id, language: outcome.language });
    },
  };
}

export type TaxonomyEditor = ReturnType<typeof createTaxonomyEditor>;
