import type { Clock } from '../clock.js';
import type { EventBus } from '../events.js';
import {
  blend,
  type CorpusStatistics,
  closeness,
  cosine,
  minimumSimilarity,
  neighbourCount,
  queryTerms,
  type SimilarityProfile,
  type Vector,
  vectorOf,
} from './similarity.js';

/** Finds the stories that may resemble one, and the corpus figures similarity needs (the search index). */
export interface SimilarityIndex {
  /** The article's profile, and whether readers may see it now; null when it is not indexed. */
  profile(articleId: string, now: Date): Promise<(SimilarityProfile & { visible: boolean }) | null>;
  /** Public stories of the profile's language sharing any of `terms`, never of its translation group. */
  candidates(profile: SimilarityProfile, terms: string[], limit: number, now: Date): Promise<SimilarityProfile[]>;
  documentFrequencies(language: string, terms: string[]): Promise<CorpusStatistics>;
  /** Keeps the story's blended vector, which the other stories' lists compare against. */
  saveBlended(articleId: string, blended: Record<string, number>): Promise<void>;
}

export interface RelatedEntry {
  relatedId: string;
  score: number;
}

/** The stored lists: served as they are, changed only here. */
export interface RelatedLists {
  /** Articles whose stored list shows `articleId`. */
  listsContaining(articleId: string): Promise<string[]>;
  lists(articleIds: string[]): Promise<Map<string, RelatedEntry[]>>;
  save(articleId: string, entries: RelatedEntry[]): Promise<void>;
}

/** Articles whose list is due: the index marks an article when it is written, in the same transaction. */
export interface RelatedQueue {
  due(limit: number, after?: string): Promise<{ id: string; revision: number }[]>;
  /** Clears the mark, unless the article was written again since `revision`. */
  done(articleId: string, revision: number): Promise<void>;
}

/** Stories shown under "You might also enjoy". */
export const relatedShown = 4;
/** A couple more are stored, so a story leaving the site leaves a full list behind until it is recomputed. */
export const relatedStored = 6;
const candidateCount = 40;
const queryTermCount = 16;

type Candidate = SimilarityProfile & { vector: Vector };

/**
 * Keeps every article's "You might also enjoy" list, computed when a story is written (published,
 * edited, unpublished, deleted) and never at request time. Work is incremental: the written story's
 * blended vector and list are recomputed; it is merged into the lists of the stories it now
 * resembles; the lists that showed it and no longer find it are recomputed. Lists that changed
 * are announced as a `related.changed` event.
 */
export function createRelatedService(deps: {
  index: SimilarityIndex;
  lists: RelatedLists;
  queue: RelatedQueue;
  events: EventBus;
  clock: Clock;
  onError?: (error: unknown, articleId: string) => void;
}) {
  const { index, lists, queue, events, clock } = deps;

  async function statistics(language: string, terms: string[], known?: CorpusStatistics): Promise<CorpusStatistics> {
    const missing = known ? [...new Set(terms)].filter((term) => !known.frequencies.has(term)) : terms;
    const fetched = await index.documentFrequencies(language, missing);
    if (!known) return fetched;
    return { documents: fetched.documents, frequencies: new Map([...known.frequencies, ...fetched.frequencies]) };
  }

  async function candidatesFor(profile: SimilarityProfile, terms: string[], now: Date, stats: CorpusStatistics) {
    const found = await index.candidates(profile, terms, candidateCount, now);
    const all = await statistics(
      profile.language,
      found.flatMap((candidate) => Object.keys(candidate.termCounts)),
      stats,
    );
    return {
      stats: all,
      candidates: found.map((candidate): Candidate => ({ ...candidate, vector: vectorOf(candidate, all) })),
    };
  }

  /** First phase: the story's own vector blended with its nearest neighbours', stored. */
  async function blendOf(profile: SimilarityProfile, now: Date): Promise<Record<string, number>> {
    const own = await statistics(profile.language, Object.keys(profile.termCounts));
    const plain = vectorOf(profile, own);
    const terms = queryTerms(plain, queryTermCount, own, 2);
    const { candidates } = await candidatesFor(profile, terms, now, own);
    const neighbours = candidates
      .map((candidate) => ({
        vector: candidate.vector,
        score: cosine(plain, candidate.vector) * closeness(profile.publishedAt, candidate.publishedAt),
      }))
      .sort((a, b) => b.score - a.score)
      .slice(0, neighbourCount)
      .filter((neighbour) => neighbour.score >= minimumSimilarity);
    const blended = blend(
      plain,
      neighbours.map((neighbour) => neighbour.vector),
    );
    await index.saveBlended(profile.id, blended);
    return blended;
  }

  /** Second phase: the story's best matches, best first, comparing blended vectors. */
  async function ranking(profile: SimilarityProfile, now: Date): Promise<RelatedEntry[]> {
    const blended = profile.blended ?? (await blendOf(profile, now));
    const vector: Vector = new Map(Object.entries(blended));
    const known = await statistics(profile.language, [...vector.keys()]);
    const terms = queryTerms(vector, queryTermCount * 2, known);
    const { candidates } = await candidatesFor(profile, terms, now, known);
    return candidates
      .map((candidate) => ({
        relatedId: candidate.id,
        // A story never blended yet is compared by its own vector until its turn comes.
        score:
          cosine(vector, candidate.blended ? new Map(Object.entries(candidate.blended)) : candidate.vector) *
          closeness(profile.publishedAt, candidate.publishedAt),
      }))
      .filter((entry) => entry.score >= minimumSimilarity)
      .sort(byScore);
  }

  async function saveIfChanged(articleId: string, entries: RelatedEntry[], stored: RelatedEntry[] | undefined) {
    const before = (stored ?? []).map((entry) => entry.relatedId).join(' ');
    const after = entries.map((entry) => entry.relatedId).join(' ');
    const scoresMoved = entries.some((entry, i) => Math.abs(entry.score - (stored?.[i]?.score ?? -1)) > 1e-9);
    if (before === after && !scoresMoved) return false;
    await lists.save(articleId, entries);
    // Only the order of what readers see matters to cached pages; a score change alone is silent.
    return before !== after;
  }

  /** Recomputes one article's own list from scratch. */
  async function recompute(articleId: string, now: Date, changed: Set<string>): Promise<void> {
    const profile = await index.profile(articleId, now);
    const entries = profile?.visible ? (await ranking(profile, now)).slice(0, relatedStored) : [];
    const stored = (await lists.lists([articleId])).get(articleId);
    if (await saveIfChanged(articleId, entries, stored)) changed.add(articleId);
  }

  /** The incremental step for one written article; returns the articles whose shown list changed. */
  async function refreshOne(articleId: string): Promise<Set<string>> {
    const now = clock.now();
    const changed = new Set<string>();
    const profile = await index.profile(articleId, now);
    // Lists that showed it may have to drop it (it left the site, or no longer resembles them).
    const showing = new Set((await lists.listsContaining(articleId)).filter((id) => id !== articleId));
    if (!profile?.visible) {
      await recompute(articleId, now, changed);
      for (const other of showing) await recompute(other, now, changed);
      return changed;
    }
    const scored = await ranking(profile, now);
    const scores = new Map(scored.map((entry) => [entry.relatedId, entry.score]));
    const stored = await lists.lists([articleId, ...scored.map((entry) => entry.relatedId), ...showing]);
    if (await saveIfChanged(articleId, scored.slice(0, relatedStored), stored.get(articleId))) changed.add(articleId);

    // Similarity is symmetric: its score against each story it resembles is that story's score for
    // it, so their lists take it in (or move it) without being recomputed.
    for (const entry of scored) {
      const list = stored.get(entry.relatedId) ?? [];
      const previous = list.find((item) => item.relatedId === articleId);
      const weakest = list[relatedStored - 1];
      if (!previous && weakest && entry.score <= weakest.score) continue;
      const merged = [...list.filter((item) => item !== previous), { relatedId: articleId, score: entry.score }]
        .sort(byScore)
        .slice(0, relatedStored);
      // Weaker than before and now last of a full list: a story left out earlier may beat it now.
      if (
        previous &&
        entry.score < previous.score &&
        list.length >= relatedStored &&
        merged.at(-1)?.relatedId === articleId
      ) {
        await recompute(entry.relatedId, now, changed);
      } else if (await saveIfChanged(entry.relatedId, merged, list)) {
        changed.add(entry.relatedId);
      }
    }
    // Lists that showed it but no longer resemble it enough to find it: recomputed without it.
    for (const other of showing) if (!scores.has(other)) await recompute(other, now, changed);
    return changed;
  }

  /** Brings every due list up to date; announces the lists that changed. */
  async function refreshDue(): Promise<string[]> {
    const due: { id: string; revision: number }[] = [];
    for (let after: string | undefined; ; ) {
      const batch = await queue.due(500, after);
      if (batch.length === 0) break;
      due.push(...batch);
      after = batch.at(-1)!.id;
    }
    if (due.length === 0) return [];
    const now = clock.now();
    const failed = new Set<string>();
    // Every due story is blended first, so the lists compare blended vectors with blended vectors.
    for (const item of due) {
      try {
        const profile = await index.profile(item.id, now);
        if (profile?.visible) await blendOf(profile, now);
      } catch (error) {
        failed.add(item.id);
        deps.onError?.(error, item.id);
      }
    }
    const changed = new Set<string>();
    for (const item of due) {
      if (failed.has(item.id)) continue; // Left marked: the next write or start retries it.
      try {
        for (const id of await refreshOne(item.id)) changed.add(id);
        await queue.done(item.id, item.revision);
      } catch (error) {
        deps.onError?.(error, item.id);
      }
    }
    if (changed.size > 0) events.publish({ type: 'related.changed', articleIds: [...changed] });
    return [...changed];
  }

  let running: Promise<void> | null = null;
  let again = false;

  /** Brings lists up to date in the background (one run at a time); resolves when none is due. */
  function refresh(): Promise<void> {
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      do {
        again = false;
        await refreshDue();
      } while (again);
    })()
      .catch((error) => deps.onError?.(error, ''))
      .finally(() => {
        running = null;
      });
    return running;
  }

  const unsubscribe = events.subscribe((event) => {
    if (event.type === 'article.changed') void refresh();
  });

  return {
    refresh,
    /** Resolves once no work is in progress (tests and shutdown wait on it). */
    idle: (): Promise<void> => running ?? Promise.resolve(),
    /** Stops listening to content events (on shutdown). */
    stop: unsubscribe,
  };
}

function byScore(a: RelatedEntry, b: RelatedEntry): number {
  return b.score - a.score || (a.relatedId < b.relatedId ? -1 : a.relatedId > b.relatedId ? 1 : 0);
}

export type RelatedService = ReturnType<typeof createRelatedService>;
