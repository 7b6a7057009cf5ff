import type { Clock } from '../clock.js';
import type { Block } from '../wire/wire-item.js';
import { type FidelityFinding, fidelityGate } from './fidelity-gate.js';
import { blocksToMarkdown, type GateBlock, gateBlockOfWire, markdownBlocks, withUnits } from './markdown-blocks.js';
import type { TranslationProvider } from './translation-provider.js';

/**
 * How an article's text was made, when a machine made it: by which provider, from which language,
 * and whether a staff member reviewed it (who, when). An article without one was written by people.
 */
export interface MachineTranslationStatus {
  articleId: string;
  /** The provider's `name` ("deepl", "libretranslate", "builtin"). */
  provider: string;
  /** The language the text was translated from. */
  sourceLanguage: string;
  translatedAt: Date;
  /** The staff member who read it against its source and took responsibility for it. */
  reviewedBy: { id: string; name: string } | null;
  reviewedAt: Date | null;
}

/** Where the statuses are kept (`storage/machine-translation-repository.ts`). */
export interface MachineTranslationStore {
  find(articleId: string): Promise<MachineTranslationStatus | null>;
  /** The statuses of those of `articleIds` that have one (feeds, lists). */
  findMany(articleIds: string[]): Promise<Map<string, MachineTranslationStatus>>;
  /** Records (or replaces) an article's status. */
  save(status: MachineTranslationStatus): Promise<void>;
}

/** What readers are told of a published machine translation (page label, JSON-LD, feeds). */
export interface ReaderMachineFacts {
  provider: string;
  sourceLanguage: string;
  reviewerName: string | null;
  /** The story it was translated from, when readers can see it. */
  source: { id: string; language: string; slug: string; headline: string } | null;
}

/** Reads those facts for a page of stories (`storage/machine-translation-repository.ts`). */
export interface ReaderMachineTranslations {
  /** For each of `articleIds` made by a machine, its facts; the source only when public at `now`. */
  forReaders(articleIds: string[], now: Date): Promise<Map<string, ReaderMachineFacts>>;
}

/** How structured data and feeds name each provider (not translated: a product's name). */
export const providerNames: Record<string, string> = {
  builtin: 'Kiosque built-in translation (demo)',
  deepl: 'DeepL',
  libretranslate: 'LibreTranslate',
};

/** A story's words as a provider translates them. */
export interface StoryText {
  headline: string;
  standfirst: string;
  bodyMarkdown: string;
}

export interface TranslatedStory extends StoryText {
  /** The provider's name, to record with the draft. */
  provider: string;
  /** What the fidelity gate found comparing the body with the source's. */
  findings: FidelityFinding[];
}

export interface TranslatedBlocks {
  /** One target block per source block, in order, when the provider answered for each. */
  blocks: Block[];
  /** The same blocks as Markdown (what an article's body holds). */
  bodyMarkdown: string;
  provider: string;
  findings: FidelityFinding[];
}

/** A finding that is not the gate's: the machine text was not reviewed by a person. */
export const unreviewedFinding = { code: 'MACHINE_TRANSLATION_UNREVIEWED', severity: 'blocking' } as const;
export type PublicationFinding = FidelityFinding | typeof unreviewedFinding;

/**
 * Machine translation for the newsroom: translates a story or a wire item's blocks with the
 * configured provider — one call per story, every unit (heading, paragraph, quote, list item,
 * caption) tied by position to its source block, Markdown markers and images kept — and runs the
 * fidelity gate on the result. Also keeps each article's machine-translation status, so
 * unreviewed machine text is never published (decision 0039).
 */
export function createMachineTranslation(deps: {
  provider: TranslationProvider | null;
  store: MachineTranslationStore;
  clock: Clock;
}) {
  const { provider, store, clock } = deps;

  function required(): TranslationProvider {
    if (!provider) throw new Error('no translation provider is configured (KIOSQUE_TRANSLATION_PROVIDER)');
    return provider;
  }

  /**
   * Translates the units of `blocks` (images keep theirs) plus `extra` texts first, in one call.
   * When the provider answers for every unit, each target block gets its own units back; when it
   * does not, what came back is kept as paragraphs, for the gate to compare and the person to see.
   */
  async function translateUnits(
    blocks: GateBlock[],
    extra: string[],
    from: string,
    to: string,
  ): Promise<{ extra: string[]; blocks: GateBlock[] }> {
    const p = required();
    const sent: string[] = [];
    const places: { block: number; unit: number }[] = [];
    blocks.forEach((block, b) => {
      if (block.kind === 'image') return;
      block.units.forEach((unit, u) => {
        if (unit.trim() === '') return;
        sent.push(unit);
        places.push({ block: b, unit: u });
      });
    });
    const extras = extra.filter((text) => text.trim() !== '');
    const answers = (await p.translate([...extras, ...sent], from, to)).map((text) => String(text ?? ''));
    const extraOut = extra.map((text) => (text.trim() === '' ? text : (answers[extras.indexOf(text)] ?? text)));
    const body = answers.slice(extras.length);
    if (body.length === sent.length) {
      const out = blocks.map((block) => ({ ...block, units: [...block.units] }));
      places.forEach((place, index) => {
        (out[place.block] as GateBlock).units[place.unit] = body[index] as string;
      });
      return { extra: extraOut, blocks: out };
    }
    return {
      extra: extraOut,
      blocks: body.map((text) => ({ kind: 'paragraph' as const, units: [text], markers: [''] })),
    };
  }

  return {
    /** The configured provider ("deepl", "libretranslate", "builtin") and its label, or null. */
    provider: provider ? { name: provider.name, label: provider.label ?? provider.name } : null,

    /** A story's headline, standfirst and body in `to`, with the gate's findings on the body. */
    async translateStory(text: StoryText, from: string, to: string): Promise<TranslatedStory> {
      const source = markdownBlocks(text.bodyMarkdown);
      const result = await translateUnits(source, [text.headline, text.standfirst], from, to);
      return {
        headline: result.extra[0]?.trim() || text.headline,
        standfirst: result.extra[1] ?? '',
        bodyMarkdown: blocksToMarkdown(result.blocks),
        provider: required().name,
        findings: fidelityGate({ source, target: result.blocks, sourceLanguage: from, targetLanguage: to }),
      };
    },

    /** A wire item's blocks in `to` (the desk's "Translate into…"), with the gate's findings. */
    async translateBlocks(blocks: Block[], from: string, to: string): Promise<TranslatedBlocks> {
      const source = blocks.map(gateBlockOfWire);
      const result = await translateUnits(source, [], from, to);
      const tied = result.blocks.length === blocks.length && result.blocks.every((b, i) => b.kind === source[i]?.kind);
      const target: Block[] = tied
        ? blocks.map((block, index) => withUnits(block, (result.blocks[index] as GateBlock).units))
        : result.blocks.map((block) => ({ kind: 'paragraph', text: block.units.join(' ') }));
      return {
        blocks: target,
        bodyMarkdown: wireBlocksToMarkdown(target),
        provider: required().name,
        findings: fidelityGate({ source, target: result.blocks, sourceLanguage: from, targetLanguage: to }),
      };
    },

    /** Records that `articleId`'s text is machine-made and unreviewed (a new machine-translated draft). */
    async recordDraft(articleId: string, sourceLanguage: string, providerName = required().name): Promise<void> {
      await store.save({
        articleId,
        provider: providerName,
        sourceLanguage,
        translatedAt: clock.now(),
        reviewedBy: null,
        reviewedAt: null,
      });
    },

    status: (articleId: string) => store.find(articleId),
    statuses: (articleIds: string[]) => store.findMany(articleIds),

    /**
     * "Mark as reviewed": `reviewer` read the text against its source and answers for it. Later
     * edits keep the review (decision 0039). Returns null for an article no machine wrote.
     */
    async markReviewed(articleId: string, reviewer: { id: string; name: string }) {
      const status = await store.find(articleId);
      if (!status) return null;
      const reviewed = { ...status, reviewedBy: reviewer, reviewedAt: clock.now() };
      await store.save(reviewed);
      return reviewed;
    },
  };
}

export type MachineTranslation = ReturnType<typeof createMachineTranslation>;

/**
 * What stops a machine translation's publication: no review yet, or a blocking finding of the gate
 * comparing it with its source. An article no machine wrote has none.
 */
export function publicationFindings(
  status: MachineTranslationStatus | null,
  source: { bodyMarkdown: string; language: string } | null,
  target: { bodyMarkdown: string; language: string },
): PublicationFinding[] {
  if (!status) return [];
  const findings: PublicationFinding[] = status.reviewedBy ? [] : [unreviewedFinding];
  if (source) findings.push(...gateOf(source, target));
  return findings;
}

/** Every finding of the gate on a translation and its source (the editor shows them all). */
export function gateOf(
  source: { bodyMarkdown: string; language: string },
  target: { bodyMarkdown: string; language: string },
): FidelityFinding[] {
  return fidelityGate({
    source: markdownBlocks(source.bodyMarkdown),
    target: markdownBlocks(target.bodyMarkdown),
    sourceLanguage: source.language,
    targetLanguage: target.language,
  });
}

// A paragraph that starts like a Markdown marker would become one: escape it.
const escapeStart = (text: string) => text.replace(/^(#{1,6}\s|>|[-*+]\s|\d+[.)]\s)/, '\\$1');

/** Wire blocks as an article's Markdown body: headings, quotes, lists, figures with their captions. */
export function wireBlocksToMarkdown(blocks: Block[]): string {
  return blocks
    .map((block) => {
      switch (block.kind) {
        case 'heading':
          return `${'#'.repeat(block.level)} ${block.text}`;
        case 'quote':
          return `> ${block.text}`;
        case 'list':
          return block.items.map((item, index) => `${block.ordered ? `${index + 1}.` : '-'} ${item}`).join('\n');
        case 'figure': {
          const image = /^https?:\/\//i.test(block.src) ? `![${block.alt.replace(/[[\]]/g, '')}](${block.src})` : '';
          return [image, escapeStart(block.caption)].filter((part) => part.trim() !== '').join('\n\n');
        }
        default:
          return escapeStart(block.text);
      }
    })
    .filter((text) => text.trim() !== '')
    .join('\n\n');
}
