import type { AccessLevel, Article } from '../articles/article.js';
import { markdownToText, renderMarkdown } from '../articles/markdown.js';
import type { AccessDecision } from './access-policy.js';
import { teaserOf } from './teaser.js';

/**
 * Who receives a story's text. A reader comes with the paywall's decision for them (anonymous,
 * free member, paying member, metered: `decideAccess()` and the paywall service make it); staff
 * read everything; the other channels serve everyone alike, so they get what every reader may have.
 */
export type Recipient =
  | { kind: 'reader'; decision: AccessDecision }
  | { kind: 'staff' }
  | { kind: 'feed' }
  | { kind: 'search-index' }
  | { kind: 'newsletter' }
  | { kind: 'structured-data' };

/** How much of the body a recipient receives: all of it, its beginning (the teaser), or none. */
export type StoryPart = 'whole' | 'teaser' | 'none';

/**
 * Whether a story's full text may go to a channel that serves everyone alike (feeds, search, the
 * shared page, newsletter email, JSON-LD's `isAccessibleForFree`): public stories only.
 */
export function isFreeToRead(access: AccessLevel): boolean {
  return access === 'public';
}

/**
 * The one rule of "free to read" (issue 11): which part of a story a recipient may receive.
 * A reader with access gets it whole and one without its beginning; staff get it whole; feeds,
 * the search index, newsletter emails and structured data get a public story whole and nothing
 * of a members-only or paid one's body — they go to everyone, and a teaser is the page's job.
 */
export function storyPartFor(access: AccessLevel, recipient: Recipient): StoryPart {
  switch (recipient.kind) {
    case 'staff':
      return 'whole';
    case 'reader':
      // The decision already weighed the story's access; a public story is whole for everyone.
      return isFreeToRead(access) || recipient.decision.full ? 'whole' : 'teaser';
    case 'feed':
    case 'search-index':
    case 'newsletter':
    case 'structured-data':
      return isFreeToRead(access) ? 'whole' : 'none';
  }
}

/** The body of a story as stored: its Markdown source and the HTML rendered from it when saved. */
export type StoryBody = Pick<Article, 'access' | 'bodyMarkdown' | 'bodyHtml'>;

/** The text a recipient receives, and nothing past it: HTML, Markdown source and plain text. */
export interface StoryText {
  part: StoryPart;
  /** Sanitized HTML: the stored body, the teaser rendered from the cut source alone, or ''. */
  html: string;
  /** The Markdown source, only when the story is given whole ('' otherwise: the source is the whole story). */
  markdown: string;
  /** Plain text of what is given (worked out when asked: pages never need it). */
  readonly text: string;
  /** Whether the gallery goes with it (its captions are part of the story). */
  gallery: boolean;
}

/**
 * What of a story's text a recipient may receive, cut on the server: every channel that carries
 * story text (pages, feeds, the search index, newsletter email, structured data) asks this.
 */
export function storyTextFor(story: StoryBody, recipient: Recipient): StoryText {
  const part = storyPartFor(story.access, recipient);
  if (part === 'whole') {
    let text: string | null = null;
    return {
      part,
      html: story.bodyHtml,
      markdown: story.bodyMarkdown,
      get text() {
        text ??= markdownToText(story.bodyMarkdown);
        return text;
      },
      gallery: true,
    };
  }
  if (part === 'teaser') {
    const teaser = teaserOf(story.bodyMarkdown);
    return { part, html: teaser.html, markdown: '', text: teaser.text, gallery: false };
  }
  return { part, html: '', markdown: '', text: '', gallery: false };
}

/**
 * The story as a recipient receives it: the same article with its body, source and gallery cut
 * to what `storyTextFor()` allows, so whatever renders it (page, JSON-LD, email) cannot reach the rest.
 */
export function articleFor<T extends StoryBody & Pick<Article, 'gallery'>>(article: T, recipient: Recipient): T {
  const text = storyTextFor(article, recipient);
  if (text.part === 'whole') return article;
  return { ...article, bodyMarkdown: text.markdown, bodyHtml: text.html, gallery: text.gallery ? article.gallery : [] };
}

/** A gated story given whole, in two parts: what every reader receives, and what the paywall withholds. */
export interface PaywalledParts {
  /** Sanitized HTML of the beginning every reader receives (the teaser). */
  free: string;
  /** Sanitized HTML of the rest: what a reader without access never receives. */
  withheld: string;
}

/**
 * Where the paywall cuts a story, for the page of a reader who receives it whole: the element
 * holding `withheld` is what Google's paywalled-content markup (`hasPart.cssSelector`) names.
 * Null for a public story, which withholds nothing. The stored HTML is split where the teaser
 * ends; when it does not begin with the teaser (rendered by an older renderer), both parts are
 * rendered from their own source.
 */
export function paywalledParts(story: StoryBody): PaywalledParts | null {
  if (isFreeToRead(story.access)) return null;
  const teaser = teaserOf(story.bodyMarkdown);
  if (teaser.html === '') return { free: '', withheld: story.bodyHtml };
  if (story.bodyHtml.startsWith(teaser.html)) {
    return { free: teaser.html, withheld: story.bodyHtml.slice(teaser.html.length) };
  }
  return { free: teaser.html, withheld: renderMarkdown(teaser.rest) };
}
