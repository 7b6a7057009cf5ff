import type { Block } from './wire-item.js';

/**
 * Plain text as Markdown that renders back to the same text: the characters Markdown would read
 * as emphasis, links, code, entities or a block marker at the start of a line are escaped, so
 * wire copy can never turn into markup (raw HTML is off anyway; this keeps `*` and `_` literal).
 */
export function escapeMarkdown(text: string): string {
  const inline = text
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/[\\`*_[\]<&~]/g, '\\$&');
  const ordered = /^(\d{1,9})([.)])/.exec(inline);
  if (ordered) return `${ordered[1]}\\${ordered[2]}${inline.slice(ordered[0].length)}`;
  return /^[#>+=-]/.test(inline) ? `\\${inline}` : inline;
}

/**
 * A wire item's blocks as the article body's Markdown, one block per paragraph of Markdown.
 * Figures become their caption and credit (the image itself is not in the media library, where
 * an article's images must be; the desk shows it on the item's page).
 */
export function blocksToMarkdown(blocks: readonly Block[]): string {
  const parts: string[] = [];
  for (const block of blocks) {
    switch (block.kind) {
      case 'paragraph':
        if (block.text.trim()) parts.push(escapeMarkdown(block.text));
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
    }
  }
  return parts.join('\n\n');
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
