import MarkdownIt from 'markdown-it';
import { markdownToText, renderMarkdown } from '../articles/markdown.js';

// Only to find where blocks start and end in the source; rendering goes through renderMarkdown.
const parser = new MarkdownIt({ html: false, linkify: true, typographer: false, breaks: false });

/** How many paragraphs of a gated story every reader receives. */
export const teaserParagraphs = 2;

export interface Teaser {
  /** Sanitized HTML of the story's beginning, rendered from that part of the source alone. */
  html: string;
  /** The same beginning as plain text. */
  text: string;
  /** The source past the cut: the part readers without access never receive. */
  rest: string;
}

/**
 * The beginning of a story that readers without access receive: the source up to the end of its
 * `paragraphs`-th top-level paragraph, never the whole story (one paragraph less when the story
 * is that short). It is rendered from the cut source, so nothing past the cut is ever in the output.
 */
export function teaserOf(markdown: string, paragraphs = teaserParagraphs): Teaser {
  const tokens = parser.parse(markdown, {});
  const ends = tokens
    .filter((token) => token.type === 'paragraph_open' && token.level === 0 && token.map)
    .map((token) => (token.map as [number, number])[1]);
  const lastBlockEnd = Math.max(
    0,
    ...tokens.filter((t) => t.level === 0 && t.map).map((t) => (t.map as [number, number])[1]),
  );
  // Never hand out the whole story: a cut at its very end keeps one paragraph fewer.
  let keep = Math.min(paragraphs, ends.length);
  while (keep > 0 && (ends[keep - 1] as number) >= lastBlockEnd) keep--;
  if (keep === 0) return { html: '', text: '', rest: markdown };
  const lines = markdown.split('\n');
  const source = lines.slice(0, ends[keep - 1]).join('\n');
  return {
    html: renderMarkdown(source),
    text: markdownToText(source),
    rest: lines.slice(ends[keep - 1]).join('\n'),
  };
}
