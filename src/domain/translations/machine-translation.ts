import type { Clock } from '../clock.js';
import type { Block } from '../wire/wire-item.js';
import { blocksToMarkdown as blocksToWireMarkdown } from '../wire/wire-markdown.js';
import { type AlignedPair, blockAlignment, type FidelityFinding, fidelityGate } from './fidelity-gate.js';
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

/**
 * A language's name in the reader's or staff member's language ("anglais" on a French page), and
 * whether French elides before it ("de l’anglais", "du français"), for the machine-translation
 * messages' `{language}` and `{elision}`.
 */
export function languageNameIn(
  displayLanguage: string,
  language: string,
): { language: string; elision: 'vowel' | 'other' } {
  let name = language;
  try {
    name = new Intl.DisplayNames([displayLanguage], { type: 'language' }).of(language) ?? language;
  } catch {
    // An unknown tag is shown as written.
  }
  return { language: name, elision: /^[aeiouyàâéèêëîïôöûüh]/i.test(name) ? 'vowel' : 'other' };
}

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
  /** The `extra` texts (a headline, a standfirst) in the target language, in order. */
  extra: string[];
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
   * Translates `extra` texts (headline, standfirst) and one text per block in one call — a list
   * as its items one per line, a figure as its caption — then figures' alt texts in a second one.
   * When the provider answers for every text, each target block gets its own words back, markers
   * kept; when it does not, what came back is kept as paragraphs, for the gate to compare and the
   * person to see. A Markdown image is not sent.
   */
  async function translateUnits(
    blocks: GateBlock[],
    extra: string[],
    from: string,
    to: string,
  ): Promise<{ extra: string[]; blocks: GateBlock[]; sources?: (number | null)[] }> {
    const p = required();
    const sentBlocks = blocks
      .map((block, index) => ({ index, text: block.kind === 'list' ? block.units.join('\n') : (block.units[0] ?? '') }))
      .filter((item) => !blocks[item.index]?.fixed && item.text.trim() !== '');
    const extras = extra.filter((text) => text.trim() !== '');
    const answers = (await p.translate([...extras, ...sentBlocks.map((item) => item.text)], from, to)).map((text) =>
      String(text ?? ''),
    );
    const extraOut = extra.map((text) => (text.trim() === '' ? text : (answers[extras.indexOf(text)] ?? text)));
    const body = answers.slice(extras.length);
    // Each answer's words, in the shape of the source block it stands for (a list: one item a line).
    const shaped = (source: GateBlock, answer: string): GateBlock => {
      if (source.kind !== 'list') return { ...source, units: [answer, ...source.units.slice(1)] };
      const lines = answer
        .split('\n')
        .map((line) => line.trim())
        .filter((line) => line !== '');
      return { ...source, units: lines, markers: lines.map((_, i) => source.markers[i] ?? source.markers[0] ?? '- ') };
    };
    if (body.length !== sentBlocks.length) {
      // The provider lost, merged or split something: which answer stands for which block is found
      // by content (the gate's alignment, kinds set aside), so the answers that have a source keep
      // its kind and a lost block is named as such instead of shifting every kind after it.
      const sent = sentBlocks.map((item) => blocks[item.index] as GateBlock);
      const paragraph = (text: string): GateBlock => ({ kind: 'paragraph', units: [text], markers: [''] });
      const targets = body.map((text) => paragraph(text.replace(/\s+/g, ' ').trim()));
      const pairs = blockAlignment({
        source: sent.map((block) => paragraph(block.units.join(' '))),
        target: targets,
        sourceLanguage: from,
        targetLanguage: to,
      });
      const sourceOf = new Map<number, number>();
      for (const pair of pairs)
        if (pair.source !== null && pair.target !== null) sourceOf.set(pair.target, pair.source);
      const sources = targets.map((_, at) => {
        const index = sourceOf.get(at);
        return index === undefined ? null : (sentBlocks[index]?.index ?? null);
      });
      return {
        extra: extraOut,
        blocks: targets.map((target, at) => {
          const index = sources[at];
          return index === null || index === undefined
            ? target
            : shaped(blocks[index] as GateBlock, body[at] as string);
        }),
        sources,
      };
    }
    const out = blocks.map((block) => ({ ...block, units: [...block.units] }));
    sentBlocks.forEach((item, at) => {
      out[item.index] = shaped(out[item.index] as GateBlock, body[at] as string);
    });
    // Figures' alt texts (a wire figure's second unit), translated apart so blocks stay one text each.
    const alts = out.flatMap((block, index) =>
      block.kind === 'image' && !block.fixed && (block.units[1] ?? '').trim() !== '' ? [index] : [],
    );
    if (alts.length > 0) {
      const translated = await p.translate(
        alts.map((index) => (out[index] as GateBlock).units[1] as string),
        from,
        to,
      );
      if (translated.length === alts.length)
        alts.forEach((index, at) => {
          (out[index] as GateBlock).units[1] = String(translated[at] ?? '');
        });
    }
    return { extra: extraOut, blocks: out };
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
    async translateBlocks(blocks: Block[], from: string, to: string, extra: string[] = []): Promise<TranslatedBlocks> {
      const source = blocks.map(gateBlockOfWire);
      const result = await translateUnits(source, extra, from, to);
      const tied = result.blocks.length === blocks.length && result.blocks.every((b, i) => b.kind === source[i]?.kind);
      // Untied, each answer keeps the kind of the source block it was found to stand for.
      const target: Block[] = tied
        ? blocks.map((block, index) => withUnits(block, (result.blocks[index] as GateBlock).units))
        : result.blocks.map((block, at) => {
            const index = result.sources?.[at];
            const source = index === null || index === undefined ? undefined : blocks[index];
            return source ? withUnits(source, block.units) : { kind: 'paragraph', text: block.units.join(' ') };
          });
      return {
        blocks: target,
        bodyMarkdown: blocksToWireMarkdown(target),
        extra: result.extra,
        provider: required().name,
        findings: fidelityGate({ source, target: result.blocks, sourceLanguage: from, targetLanguage: to }),
      };
    },

    /** Short texts in `to`, one for each of `texts` (a correction's line): no blocks, no gate. */
    translateTexts(texts: string[], from: string, to: string): Promise<string[]> {
      return required().translate(texts, from, to);
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

type Body = { bodyMarkdown: string; language: string };
const gateInput = (source: Body, target: Body) => ({
  source: markdownBlocks(source.bodyMarkdown),
  target: markdownBlocks(target.bodyMarkdown),
  sourceLanguage: source.language,
  targetLanguage: target.language,
});

/** Every finding of the gate on a translation and its source (the editor shows them all). */
export function gateOf(source: Body, target: Body): FidelityFinding[] {
  return fidelityGate(gateInput(source, target));
}

/** Which source paragraph each translated paragraph stands for (the side by side's rows). */
export function alignmentOf(source: Body, target: Body): AlignedPair[] {
  return blockAlignment(gateInput(source, target));
}
