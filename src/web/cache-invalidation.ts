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
};

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
 * section, tags and authors — which also drives "related" on articles sharing them) and so do its
 * translations' pages; when it stays public but moves, only the lists it left or joined change.
 */
export function dependenciesChangedBy(event: ContentEvent): Set<string> {
  if (event.type === 'sections.changed') return new Set([dependency.menu(event.language)]);
  if (event.type === 'related.changed') return new Set(event.articleIds.map(dependency.related));
  const changed = new Set([dependency.article(event.articleId)]);
  const { before, after } = event;
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
    }
    return changed;
  }

  // Still public: lists it left or joined, and its translation groups if it moved between them.
  const previous = new Set(memberships(before as ArticleFacts));
  const next = new Set(memberships(after as ArticleFacts));
  for (const key of previous) if (!next.has(key)) changed.add(key);
  for (const key of next) if (!previous.has(key)) changed.add(key);
  if (before?.translationGroup !== after?.translationGroup) {
    changed.add(dependency.group((before as ArticleFacts).translationGroup));
    changed.add(dependency.group((after as ArticleFacts).translationGroup));
  }
  return changed;
}
