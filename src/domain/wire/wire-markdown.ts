import type { Block, RichBlock } from './wire-item.js';

/**
 * Plain text as Markdown that renders back to the same text: the characters Markdown would read
 * as emphasis, links, code, entities or a block marker at the start of a line are escaped, so
 * wire copy can never turn into markup (raw HTML is off anyway; this keeps `*` and `_` literal).
 */
export function escapeMarkdown(text: string): string {
  return escapeLineStart(escapeInline(text.replace(/\s+/g, ' ').trim()));
}

/** Characters Markdown reads as emphasis, links, code or entities, escaped (spaces kept as they are). */
export function escapeInline(text: string): string {
  return text.replace(/[\\`*_[\]<&~]/g, '\\$&');
}

/** A line that would start a list, heading, quote or rule, made to start with a plain character. */
export function escapeLineStart(inline: string): string {
  const ordered = /^(\d{1,9})([.)])/.exec(inline);
  if (ordered) return `${ordered[1]}\\${ordered[2]}${inline.slice(ordered[0].length)}`;
  return /^[#>+=-]/.test(inline) ? `\\${inline}` : inline;
}

/** A link in Markdown to an address already checked (http or https): the words escaped, the address kept whole. */
export function markdownLink(words: string, href: string): string {
  return `[${escapeInline(words)}](${href.replace(/[\s()<>]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`)})`;
}

/**
 * A wire item's blocks as the article body's Markdown, one block per paragraph of Markdown.
 * Figures become their caption and credit (the image itself is not in the media library, where
 * an article's images must be; the desk shows it on the item's page).
 */
export function blocksToMarkdown(blocks: readonly RichBlock[]): string {
  const parts: string[] = [];
  for (const block of blocks) {
    switch (block.kind) {
      case 'paragraph':
        if (block.text.trim()) parts.push('markdown' in block ? block.markdown : escapeMarkdown(block.text));
        break;
      case 'heading':
        if (block.text.trim()) parts.push(`${'#'.repeat(block.level)} ${escapeMarkdown(block.text)}`);
        break;
      case 'quote': {
        if (!block.text.trim()) break;
        const cite = block.cite?.trim() ? `\n>\n> — ${escapeMarkdown(block.cite)}` : '';
        parts.push(`> ${escapeMarkdown(block.text)}${cite}`);
        break;
      }
      case 'list': {
        const items = block.items.filter((item) => item.trim() !== '');
        if (items.length === 0) break;
        parts.push(items.map((item, i) => `${block.ordered ? `${i + 1}.` : '-'} ${escapeMarkdown(item)}`).join('\n'));
        break;
      }
      case 'figure': {
        const words = [block.caption.trim(), block.credit.trim()].filter(Boolean).map(escapeMarkdown);
        if (words.length > 0) parts.push(`*${words.join(' — ')}*`);
        break;
      }
      case 'table': {
        const width = Math.max(...block.rows.map((row) => row.length));
        const line = (row: string[]) =>
          `| ${Array.from({ length: width }, (_, i) => escapeMarkdown(row[i] ?? '').replace(/\|/g, '\\|')).join(' | ')} |`;
        const [header = [], ...rows] = block.rows;
        parts.push([line(header), `|${' --- |'.repeat(width)}`, ...rows.map(line)].join('\n'));
        break;
      }
      case 'embed': {
        // A link on a line of its own: the renderer keeps it (raw HTML and iframes never are).
        const name = block.caption.trim() || (block.provider ? `${block.provider}` : block.url);
        parts.push(`[${escapeMarkdown(name)}](${linkTarget(block.url)})`);
        break;
      }
    }
  }
  return parts.join('\n\n');
}

/** An address as a Markdown link target: characters that would end or split it are percent-encoded. */
function linkTarget(url: string): string {
  return url.replace(/[\s()<>]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
}

/** One line per block, for telling what changed between two versions of an item. */
export function blockLines(blocks: readonly Block[]): string[] {
  return blocks.map((block) => {
    switch (block.kind) {
      case 'list':
        return block.items.join(' · ');
      case 'figure':
        return [block.caption, block.credit].filter(Boolean).join(' — ');
      case 'quote':
        return block.cite ? `${block.text} — ${block.cite}` : block.text;
      default:
        return block.text;
    }
  });
}
