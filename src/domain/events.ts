/**
 * What happened to content, said once by whoever changed it and heard by whoever must react (the
 * page cache of every instance sharing the database, the related lists; webhooks later). Facts are carried both as they
 * were before and as they are after the change, so a listener can tell every page that showed the
 * article or should now show it.
 */
export interface ArticleFacts {
  language: string;
  translationGroup: string;
  /** Its address in its language: translations and sitemaps name it (hreflang, switcher). */
  slug: string;
  sectionId: string | null;
  tagIds: string[];
  authorIds: string[];
  /** Whether readers could see it (published, not deleted, publication time reached). */
  visible: boolean;
  /** ISO time; lists are ordered by it. */
  publishedAt: string | null;
  /** The save this is (webhooks key their deliveries by it, so one save is announced once). */
  revision: number;
  /** The last revision that changed the words (headline, standfirst, body): translations are out of date against it. */
  textRevision: number;
  /** In the trash (webhooks tell a deletion from an unpublication). */
  deleted: boolean;
  /** Killed (decision 0057): gone for good; webhooks announce `story.killed`. */
  killed: boolean;
}

export interface ArticleChanged {
  type: 'article.changed';
  articleId: string;
  before: ArticleFacts | null;
  after: ArticleFacts | null;
  /**
   * Set when the save published a correction or clarification (decision 0056): the language's
   * corrections page changes, and webhooks announce `story.corrected`.
   */
  corrected?: { id: string; kind: 'correction' | 'clarification' };
}

/** A section was created or renamed: every page of its language shows the section menu. */
export interface SectionsChanged {
  type: 'sections.changed';
  language: string;
}

/**
 * A section, tag or author was renamed (name or address), or what pages show of it changed (a
 * section's or tag's description, an author's profile): every page, feed and sitemap that names
 * it changes. `language` is the section's or tag's; authors sign in every language (null).
 */
export interface TaxonomyRenamed {
  type: 'taxonomy.renamed';
  kind: 'section' | 'tag' | 'author';
  id: string;
  language: string | null;
}

/**
 * A section or tag was merged into another of its language (decision 0061): its stories moved to
 * the target and it is gone, so its pages and every page naming it change, and the target's lists.
 */
export interface TaxonomyMerged {
  type: 'taxonomy.merged';
  kind: 'section' | 'tag';
  fromId: string;
  intoId: string;
  language: string;
}

/** The stored "You might also enjoy" lists of these articles changed (their pages show them). */
export interface RelatedChanged {
  type: 'related.changed';
  articleIds: string[];
}

/**
 * Staff saved a section of the site's settings (decision 0058). It carries the new value, so every
 * instance replaces its snapshot before its pages are dropped, and the languages whose pages show
 * what changed (a French tagline touches French pages only).
 */
export interface SettingsChanged {
  type: 'settings.changed';
  section: string;
  value: unknown;
  languages: string[];
}

/** A static page (About, a policy) was written or removed, in these languages (decision 0059). */
export interface StaticPagesChanged {
  type: 'pages.changed';
  group: string;
  languages: string[];
}

export type ContentEvent =
  | ArticleChanged
  | SectionsChanged
  | TaxonomyRenamed
  | TaxonomyMerged
  | RelatedChanged
  | SettingsChanged
  | StaticPagesChanged
  | FrontPageChanged;

/**
 * Staff changed a language's front page (issue 14, decision 0060): its home page's picks, its
 * breaking-news banner, or the lead of these sections. Only the pages showing what changed drop.
 */
export interface FrontPageChanged {
  type: 'frontpage.changed';
  language: string;
  home: boolean;
  banner: boolean;
  sectionIds: string[];
}

/**
 * Carries content events to every listener: in-process on SQLite, and on PostgreSQL to every
 * instance sharing the database too (storage/postgres/postgres-event-bus.ts).
 */
export interface EventBus {
  publish(event: ContentEvent): void;
  subscribe(listener: (event: ContentEvent) => void): () => void;
}

/** Listeners run synchronously in order, so a change is visible on the very next request. */
export function createLocalEventBus(): EventBus {
  const listeners = new Set<(event: ContentEvent) => void>();
  return {
    publish(event) {
      for (const listener of listeners) listener(event);
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
