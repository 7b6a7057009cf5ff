import type { ArticleFacts, ContentEvent } from '../domain/events.js';

/** Dependency keys that pages declare; the page cache and the invalidation rules share them. */
export const dependency = {
  article: (id: string) => `article:${id}`,
  /** The latest stories of a language: home, feeds, and every article page's "More updates". */
  latest: (language: string) => `latest:${language}`,
  section: (id: string) => `section:${id}`,
  tag: (id: string) => `tag:${id}`,
  author: (id: string) => `author:${id}`,
  /** The translations of a story (language switcher, alternates). */
  group: (id: string) => `group:${id}`,
  /** The section menu every page of a language shows. */
  menu: (language: string) => `menu:${language}`,
  /** The stored "You might also enjoy" list of an article. */
  related: (id: string) => `related:${id}`,
  /** Every public article of a language, whatever changed in it (sitemaps list them all with dates). */
  everyArticle: (language: string) => `every-article:${language}`,
  /**
   * The name or address of a section, tag or author, on a page that shows it without listing its
   * stories (a byline, a feed entry's categories, a sitemap's listing pages): dropped by a rename.
   */
  named: (kind: 'section' | 'tag' | 'author', id: string) => `named:${kind}:${id}`,
  /** A language's corrections page (decision 0056): dropped when a correction is published there. */
  corrections: (language: string) => `corrections:${language}`,
  /**
   * A settings section as the pages of one language show it (decision 0058): `identity` (name,
   * tagline, logo, share image), `navigation` (extra links), `policies` (footer links, JSON-LD).
   */
  settings: (section: 'identity' | 'navigation' | 'policies', language: string) => `settings:${section}:${language}`,
  /** Settings shown the same in every language: `social`, `languages`, `time-zone` (dates), `paywall` (prices). */
  siteSetting: (section: 'social' | 'languages' | 'time-zone' | 'paywall') => `settings:${section}`,
  /** The static pages of a language (About, policies): each page, the footer and sitemaps name them. */
  pages: (language: string) => `pages:${language}`,
  /** A language's home page as staff curated it: its pinned lead and top stories (decision 0060). */
  frontPage: (language: string) => `frontpage:${language}`,
  /** Every page of a language that shows its breaking-news banner (or would, were one set). */
  banner: (language: string) => `banner:${language}`,
  /** A section's first page, which shows the lead staff pinned there. */
  sectionLead: (id: string) => `section-lead:${id}`,
};

/**
 * What the chrome of every HTML page of a language shows from the settings and static pages:
 * header (name, tagline, logo, extra links, language switcher), footer (policies, social links)
 * and the publisher in JSON-LD and Open Graph (logo, share image, sameAs). `sendPage` adds them
 * to every HTML page it caches, so no page can forget its chrome.
 */
export function chromeDependencies(language: string): string[] {
  return [
    dependency.settings('identity', language),
    dependency.settings('navigation', language),
    dependency.settings('policies', language),
    dependency.siteSetting('social'),
    dependency.siteSetting('languages'),
    dependency.pages(language),
  ];
}

/** The pages a settings section shows on, in the languages the change touched. */
function settingsChanged(event: Extract<ContentEvent, { type: 'settings.changed' }>): Set<string> {
  switch (event.section) {
    case 'identity':
    case 'navigation':
    case 'policies': {
      const section = event.section;
      return new Set(event.languages.map((language) => dependency.settings(section, language)));
    }
    case 'social':
    case 'languages':
    case 'paywall':
      return new Set([dependency.siteSetting(event.section)]);
    case 'timeZone':
      return new Set([dependency.siteSetting('time-zone')]);
    default:
      // The newsletter's sender shows on no page.
      return new Set();
  }
}

/** The names a story's entry or page shows: its section, tags and bylines (for `taxonomy.renamed`). */
export function namesShownBy(story: {
  section: { id: string } | null;
  tags?: { id: string }[];
  authors: { id: string }[];
}): string[] {
  return [
    ...(story.section ? [dependency.named('section', story.section.id)] : []),
    ...(story.tags ?? []).map((tag) => dependency.named('tag', tag.id)),
    ...story.authors.map((author) => dependency.named('author', author.id)),
  ];
}

function memberships(facts: ArticleFacts): string[] {
  return [
    ...(facts.sectionId ? [dependency.section(facts.sectionId)] : []),
    ...facts.tagIds.map(dependency.tag),
    ...facts.authorIds.map(dependency.author),
  ];
}

/**
 * The pages a content event changes. Pages that show the article change whatever happened; when
 * the article enters or leaves the public site, the lists it belongs to change (latest, its
 * section, tags and authors — which also drives "related" on articles sharing them), and so do
 * its translations' pages and sitemaps (hreflang, switcher) and, when it has a section, the
 * language's menu (a section is in it only while it holds a public story); when it stays public
 * but moves, only the lists it left or joined change, and a new slug changes every page and
 * sitemap file naming its address in any language (issue 11).
 */
export function dependenciesChangedBy(event: ContentEvent): Set<string> {
  if (event.type === 'sections.changed') return new Set([dependency.menu(event.language)]);
  if (event.type === 'related.changed') return new Set(event.articleIds.map(dependency.related));
  if (event.type === 'taxonomy.renamed') return renamed(event);
  if (event.type === 'settings.changed') return settingsChanged(event);
  if (event.type === 'pages.changed') return new Set(event.languages.map(dependency.pages));
  if (event.type === 'frontpage.changed') {
    return new Set([
      ...(event.home ? [dependency.frontPage(event.language)] : []),
      ...(event.banner ? [dependency.banner(event.language)] : []),
      ...event.sectionIds.map(dependency.sectionLead),
    ]);
  }
  if (event.type === 'taxonomy.merged') return merged(event);
  const changed = new Set([dependency.article(event.articleId)]);
  const { before, after } = event;
  // A published correction: the story's pages, feeds and sitemap files (below) and its language's list.
  if (event.corrected && after) changed.add(dependency.corrections(after.language));
  const wasVisible = before?.visible === true;
  const isVisible = after?.visible === true;
  if (!wasVisible && !isVisible) return changed;
  for (const facts of [before, after]) if (facts?.visible) changed.add(dependency.everyArticle(facts.language));

  // Entering or leaving the site, changing language or date: every list it is or was in changes.
  if (wasVisible !== isVisible || before?.language !== after?.language || before?.publishedAt !== after?.publishedAt) {
    for (const facts of [before, after]) {
      if (!facts) continue;
      changed.add(dependency.latest(facts.language));
      changed.add(dependency.group(facts.translationGroup));
      for (const key of memberships(facts)) changed.add(key);
      // Its section may have just gained its first public story, or lost its last.
      if (facts.sectionId) changed.add(dependency.menu(facts.language));
    }
    return changed;
  }

  // Still public: lists it left or joined, and its translation groups if it moved between them.
  const was = before as ArticleFacts;
  const is = after as ArticleFacts;
  const previous = new Set(memberships(was));
  const next = new Set(memberships(is));
  for (const key of previous) if (!next.has(key)) changed.add(key);
  for (const key of next) if (!previous.has(key)) changed.add(key);
  if (was.sectionId !== is.sectionId) changed.add(dependency.menu(is.language));
  if (was.translationGroup !== is.translationGroup || was.slug !== is.slug) {
    changed.add(dependency.group(was.translationGroup));
    changed.add(dependency.group(is.translationGroup));
  }
  return changed;
}

/** A renamed section, tag or author: its own pages and feeds, and every page or file naming it. */
function renamed(event: Extract<ContentEvent, { type: 'taxonomy.renamed' }>): Set<string> {
  const changed = new Set([dependency.named(event.kind, event.id), dependency[event.kind](event.id)]);
  // Every page of the language shows the section menu, and story cards their section.
  if (event.kind === 'section' && event.language) changed.add(dependency.menu(event.language));
  return changed;
}

/**
 * A merged section or tag: the pages of both and every page naming the one that went (its
 * stories' pages, feeds and sitemap files name it; now they name the target). A section's merge
 * also changes its language's menu.
 */
function merged(event: Extract<ContentEvent, { type: 'taxonomy.merged' }>): Set<string> {
  const changed = new Set<string>();
  for (const id of [event.fromId, event.intoId]) {
    changed.add(dependency.named(event.kind, id));
    changed.add(dependency[event.kind](id));
  }
  if (event.kind === 'section') changed.add(dependency.menu(event.language));
  return changed;
}
