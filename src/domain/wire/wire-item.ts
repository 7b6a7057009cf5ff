/**
 * Wire copy as the desk receives it, whatever it came in (a feed, a pasted URL, a ninjs, NewsML-G2
 * or NITF file, an HTML page): the shape every parser and the extractor produce and the desk
 * stores. Pure data; no I/O.
 */

/** One block of an article body, in reading order. Text fields are plain text (never HTML). */
export type Block =
  | { kind: 'paragraph'; text: string }
  | { kind: 'heading'; level: 2 | 3 | 4; text: string }
  | { kind: 'quote'; text: string; cite?: string }
  | { kind: 'list'; ordered: boolean; items: string[] }
  | { kind: 'figure'; src: string; alt: string; caption: string; credit: string };

export type BlockKind = Block['kind'];

/**
 * A body block as imports read it (`htmlToRichBlocks`): the wire's blocks, plus tables kept as
 * tables and embedded media (a video, a post) kept as its address. Wire copy never has these.
 */
export type RichBlock =
  | Block
  /**
   * A paragraph whose links are kept (an imported post's): `text` is its plain text, as everywhere;
   * `markdown` the same words with `[words](https://…)` links, every other character escaped.
   */
  | { kind: 'paragraph'; text: string; markdown: string }
  /** A table's cells, row by row; the first row is its header. */
  | { kind: 'table'; rows: string[][] }
  /** Embedded media: its address, the provider's name when known ("YouTube"), a caption. */
  | { kind: 'embed'; url: string; provider: string | null; caption: string };

/** The formats an item may arrive in; kept with the item. */
export type WireFormat = 'rss' | 'atom' | 'ninjs' | 'newsml-g2' | 'nitf' | 'html';

/** What a parser or the extractor found in the received bytes, before the desk stores it. */
export interface ParsedWireItem {
  format: WireFormat;
  /** The provider's id for the story (ninjs `uri`/`guid`, NewsML-G2 `guid`, NITF `doc-id`, RSS guid). */
  wireId: string | null;
  /** The provider's version of the story (ninjs `version`, NewsML-G2 `version`); 1 when absent. */
  version: number;
  /** The item's canonical or original address, when it has one. */
  originalUrl: string | null;
  /** BCP 47 language tag as declared, lower-cased primary subtag first ("en", "fr", "pt-br"). */
  language: string | null;
  headline: string;
  /** Summary / description / abstract, plain text. */
  standfirst: string;
  /** Names as the provider gives them, in order ("Jane Doe", "AFP"). */
  bylines: string[];
  /** Place (and date) line, e.g. "PARIS, 3 déc." — plain text, empty when absent. */
  dateline: string;
  /** When the provider says it was first published / sent. */
  publishedAt: Date | null;
  /** Not to be published before this time; null when not embargoed. */
  embargoUntil: Date | null;
  /** Rights, usage terms or licence note, plain text, empty when absent. */
  rights: string;
  /** Subjects / keywords / categories, as names. */
  topics: string[];
  /**
   * The provider's genre codes as given: ninjs `genres` URIs, literals and names, NewsML-G2
   * `genre` qcodes ("genre:Opinion"); empty when the format has none (decision 0051).
   */
  genres: string[];
  /** The lead image, when one is named. */
  leadImage: { src: string; alt: string; caption: string; credit: string } | null;
  body: Block[];
  /** True when the body is only a teaser and the full text must be fetched from `originalUrl`. */
  bodyIsTeaser: boolean;
}

/** Plain text of a body: blocks separated by a blank line, list items on their own lines. */
export function blocksToText(blocks: Block[]): string {
  return blocks
    .map((block) => {
      switch (block.kind) {
        case 'list':
          return block.items.join('\n');
        case 'figure':
          return block.caption;
        default:
          return block.text;
      }
    })
    .filter((text) => text.trim() !== '')
    .join('\n\n');
}
