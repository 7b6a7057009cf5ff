import type { Block } from '../wire/wire-item.js';

/** The kinds of block the fidelity gate tells apart. */
export type GateBlockKind = 'paragraph' | 'heading' | 'quote' | 'list' | 'image';

/**
 * One block of a body as the gate and a translation provider see it: its kind, the Markdown
 * marker that must survive translation (`## `, `> `, `- `…), and the translatable units (one per
 * list item, one otherwise) without their markers.
 */
export interface GateBlock {
  kind: GateBlockKind;
  /** The units a provider translates; a heading, quote or paragraph has one, a list one per item. */
  units: string[];
  /** Per unit, what goes before it in Markdown ("## ", "> ", "- ", "1. ", "" for a paragraph). */
  markers: string[];
}

const listItem = /^(?:[-*+]|\d+[.)])\s+/;

/**
 * Splits Markdown into blocks exactly as preflight's `paragraphsOf` does (blank lines), so block
 * numbers are the paragraph numbers of preflight's findings and of the side by side.
 */
export function markdownBlocks(markdown: string): GateBlock[] {
  return markdown
    .split(/\n\s*\n/)
    .map((raw) => raw.trim())
    .filter((raw) => raw.replace(/\s+/g, '').length > 0)
    .map(blockOf);
}

function blockOf(raw: string): GateBlock {
  const lines = raw.split('\n').map((line) => line.trim());
  const heading = /^(#{1,6})\s+(.*)$/s.exec(raw);
  if (heading) return { kind: 'heading', units: [flat(heading[2] ?? '')], markers: [`${heading[1]} `] };
  if (/^!\[[^\]]*\]\([^)]*\)$/.test(raw)) return { kind: 'image', units: [raw], markers: [''] };
  if (lines.every((line) => line.startsWith('>'))) {
    return { kind: 'quote', units: [flat(lines.map((line) => line.replace(/^>\s?/, '')).join(' '))], markers: ['> '] };
  }
  if (listItem.test(lines[0] ?? '')) {
    // Continuation lines belong to the item above them.
    const items: { marker: string; text: string }[] = [];
    for (const line of lines) {
      const marker = listItem.exec(line)?.[0];
      if (marker) items.push({ marker: marker.replace(/\s+$/, ' '), text: line.slice(marker.length) });
      else if (items.length > 0) items[items.length - 1]!.text += ` ${line}`;
    }
    return { kind: 'list', units: items.map((item) => flat(item.text)), markers: items.map((item) => item.marker) };
  }
  return { kind: 'paragraph', units: [flat(raw)], markers: [''] };
}

const flat = (text: string) => text.replace(/\s+/g, ' ').trim();

/** The Markdown of blocks: markers back before their units, a blank line between blocks. */
export function blocksToMarkdown(blocks: GateBlock[]): string {
  return blocks
    .map((block) =>
      block.kind === 'list'
        ? block.units.map((unit, index) => `${block.markers[index] ?? '- '}${unit}`).join('\n')
        : `${block.markers[0] ?? ''}${block.units[0] ?? ''}`,
    )
    .join('\n\n');
}

/** The whole text of a block, its units joined, as the gate compares it. */
export function blockText(block: GateBlock): string {
  return block.units.join(' ');
}

/** A wire block (`domain/wire`) as the gate sees it; a figure's caption and alt text are its units. */
export function gateBlockOfWire(block: Block): GateBlock {
  switch (block.kind) {
    case 'list':
      return { kind: 'list', units: block.items, markers: block.items.map(() => (block.ordered ? '1. ' : '- ')) };
    case 'figure':
      return { kind: 'image', units: [block.caption, block.alt], markers: ['', ''] };
    case 'heading':
      return { kind: 'heading', units: [block.text], markers: [`${'#'.repeat(block.level)} `] };
    case 'quote':
      return { kind: 'quote', units: [block.text], markers: ['> '] };
    default:
      return { kind: 'paragraph', units: [block.text], markers: [''] };
  }
}

/** A wire block with its units replaced by `units` (translated), everything else kept. */
export function withUnits(block: Block, units: string[]): Block {
  switch (block.kind) {
    case 'list':
      return { ...block, items: block.items.map((item, index) => units[index] ?? item) };
    case 'figure':
      return { ...block, caption: units[0] ?? block.caption, alt: units[1] ?? block.alt };
    default:
      return { ...block, text: units[0] ?? block.text };
  }
}
