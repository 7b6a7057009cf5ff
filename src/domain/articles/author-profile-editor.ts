import { KiosqueError } from '../errors.js';
import type { EventBus } from '../events.js';

/** What an author shows readers besides their name (decision 0062). */
export interface AuthorProfile {
  authorId: string;
  /** An image of the media library, or none. */
  imageId: string | null;
  /** https/http URLs, in the order staff gave. */
  links: string[];
  /** Job title and bio per language; a language left out (or empty) shows none. */
  languages: Record<string, { jobTitle: string; bio: string }>;
}

/** Why the port exists: the profile is several rows (the author, one per language) written at once. */
export interface AuthorProfileStore {
  find(authorId: string): Promise<(AuthorProfile & { name: string; slug: string }) | null>;
  /** Writes the whole profile in one transaction; `no-image` when the photo is not in the library. */
  save(profile: AuthorProfile): Promise<'saved' | 'missing' | 'no-image'>;
}

export const profileLimits = { jobTitle: 200, bio: 2000, links: 10, link: 500 } as const;

/**
 * One link as staff typed it, or null when it may not be shown: only absolute https and http
 * addresses (no `javascript:`, no relative path, no credentials in the address).
 */
export function allowedProfileLink(text: string): string | null {
  const trimmed = text.trim();
  if (trimmed.length === 0 || trimmed.length > profileLimits.link) return null;
  let url: URL;
  try {
    url = new URL(trimmed);
  } catch {
    return null;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return null;
  if (url.username || url.password || !url.hostname) return null;
  return url.href;
}

/** Edits author profiles and announces the change, so every page showing the author is dropped. */
export function createAuthorProfileEditor(deps: {
  store: AuthorProfileStore;
  events: EventBus;
  languages: readonly string[];
}) {
  return {
    find: (authorId: string) => deps.store.find(authorId),

    /**
     * Saves photo, links (one per line) and the title and bio of each site language. Every field
     * is checked before anything is written: a refusal stores nothing.
     */
    async save(
      authorId: string,
      input: { imageId: string; links: string; languages: Record<string, { jobTitle?: string; bio?: string }> },
    ): Promise<void> {
      const links: string[] = [];
      for (const line of input.links.split(/\r?\n/)) {
        if (line.trim() === '') continue;
        const link = allowedProfileLink(line);
        if (link === null) throw new KiosqueError('AUTHOR_LINK_INVALID', { link: line.trim().slice(0, 100) });
        if (!links.includes(link)) links.push(link);
      }
      if (links.length > profileLimits.links) throw new KiosqueError('AUTHOR_PROFILE_INVALID', { authorId });
      const languages: AuthorProfile['languages'] = {};
      for (const language of deps.languages) {
        const given = input.languages[language] ?? {};
        const jobTitle = (given.jobTitle ?? '').trim();
        const bio = (given.bio ?? '').replace(/\r\n?/g, '\n').trim();
        if (jobTitle.length > profileLimits.jobTitle || bio.length > profileLimits.bio) {
          throw new KiosqueError('AUTHOR_PROFILE_INVALID', { authorId });
        }
        languages[language] = { jobTitle, bio };
      }
      const imageId = input.imageId.trim() || null;
      const outcome = await deps.store.save({ authorId, imageId, links, languages });
      if (outcome === 'missing') throw new KiosqueError('AUTHOR_NOT_FOUND', { id: authorId });
      if (outcome === 'no-image') throw new KiosqueError('AUTHOR_PROFILE_INVALID', { authorId });
      deps.events.publish({ type: 'taxonomy.renamed', kind: 'author', id: authorId, language: null });
    },
  };
}

export type AuthorProfileEditor = ReturnType<typeof createAuthorProfileEditor>;
