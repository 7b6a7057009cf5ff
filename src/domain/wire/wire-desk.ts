import type { ArticleInput, ArticleRecord } from '../articles/article-input.js';
import { genreFromWire } from '../articles/genre.js';
import { isAllowedUrl } from '../articles/markdown.js';
import { diffSequences } from '../articles/revision-diff.js';
import { slugify } from '../articles/slug.js';
import type { StaffActor } from '../articles/story-editor.js';
import type { Clock, IdGenerator } from '../clock.js';
import { isKiosqueError, KiosqueError, messageValues } from '../errors.js';
import { RetryLater } from '../jobs/job-queue.js';
import { hasPermission } from '../staff/roles.js';
import { canonicalUrlKey } from './wire-identity.js';
import type { Block, ParsedWireItem } from './wire-item.js';
import { blockLines, blocksToMarkdown } from './wire-markdown.js';
import {
  backoffMs,
  builtInSourceIds,
  type FeedSourceInput,
  feedSourceSchema,
  freshPollState,
  type WireSource,
} from './wire-source.js';

/** A wire item as the desk keeps it: what was parsed, where it came from, and what became of it. */
export interface WireItem extends Omit<ParsedWireItem, 'bodyIsTeaser'> {
  id: string;
  sourceId: string;
  /** The bytes as they were received (the feed, the file, the page), kept unchanged. */
  receivedBytes: Uint8Array;
  contentHash: string;
  receivedAt: Date;
  /** The earlier version of the same wire id this one replaces. */
  supersedesId: string | null;
  /** The story made from it ("Use as draft"), when there is one. */
  articleId: string | null;
}

/** What the queue lists of an item. */
export type WireItemSummary = Omit<WireItem, 'receivedBytes' | 'body'>;

export interface WireQueueQuery {
  sourceId?: string;
  language?: string;
  topic?: string;
  /** Which time `from` and `to` bound: when it reached the desk or when the provider published it. */
  timeField?: 'received' | 'published';
  from?: Date;
  to?: Date;
  limit: number;
  offset: number;
}

/** Where received items are kept; dedupe asks it what it already holds. Implemented in `storage/`. */
export interface WireItemStore {
  /** Every stored version of a wire id: id and version. */
  versionsOf(wireId: string): Promise<{ id: string; version: number }[]>;
  /** An item already holding this address (its `canonicalUrlKey`) or content hash, if any. */
  findDuplicate(match: { urlKey: string | null; hash: string }): Promise<string | null>;
  /** False when the wire id and version are already stored (another instance was faster). */
  insert(item: WireItem): Promise<boolean>;
}

/** The newsroom's queue over the stored items. */
export interface WireQueueStore {
  list(query: WireQueueQuery): Promise<{ items: WireItemSummary[]; total: number }>;
  find(id: string): Promise<WireItem | null>;
  /** Records the story made from the item. */
  markUsed(id: string, articleId: string): Promise<void>;
  /** The id of the version that replaced the item, if one did. */
  supersededBy(id: string): Promise<string | null>;
}

/** The sources and what their last poll said. */
export interface WireSourceStore {
  list(): Promise<WireSource[]>;
  find(id: string): Promise<WireSource | null>;
  /** Inserts the source, or (same id) replaces its settings, keeping its poll state. */
  save(source: WireSource): Promise<void>;
  /**
   * Takes the poll of a due source for this job: moves its next poll to `until` if it is enabled,
   * owned by `pollKey` and due at `now`. Null when another poll got it (or it is not due).
   */
  claimPoll(id: string, pollKey: string, now: Date, until: Date): Promise<WireSource | null>;
}

/** What a conditional GET brought: nothing new (304), or the document. */
export type FetchedDocument =
  | { status: 304 }
  | {
      status: 200;
      bytes: Uint8Array;
      contentType: string | null;
      etag: string | null;
      lastModified: string | null;
      /** The address after redirects. */
      url: string;
    };

/** Fetches a URL over the network, refusing private addresses (`ingest/safe-fetch.ts`). */
export interface WireFetcher {
  fetch(url: string, conditions?: { etag?: string | null; lastModified?: string | null }): Promise<FetchedDocument>;
}

/** Turns received bytes into items (`ingest/wire-formats.ts`, `ingest/html-extractor.ts`). */
export interface WireReader {
  /** A ninjs, NewsML-G2, NITF, RSS or Atom document; throws a KiosqueError for anything else. */
  parse(bytes: Uint8Array, hints: { filename?: string; contentType?: string }): ParsedWireItem[];
  /** An article page. */
  extract(bytes: Uint8Array, hints: { url?: string; contentType?: string }): ParsedWireItem;
}

/** Author profiles for the wire's bylines: found by name, made when missing. */
export interface WireAuthors {
  /** The ids of the authors named `names` (in that order), creating the ones that do not exist. */
  findOrCreate(names: string[], now: Date): Promise<string[]>;
}

/**
 * Machine translation for "Translate into…" (`translations/machine-translation.ts`): the blocks in
 * another language, one per source block, and the mark that keeps unreviewed machine text unpublished.
 */
export interface WireTranslator {
  /** `extra` (headline, standfirst) travel apart from the blocks, so a lost block cannot shift them. */
  translateBlocks(
    blocks: Block[],
    from: string,
    to: string,
    extra: string[],
  ): Promise<{ blocks: Block[]; provider: string; extra: string[] }>;
  recordDraft(articleId: string, sourceLanguage: string, provider: string): Promise<void>;
}

/**
 * Brings a wire item's lead image into the media library (fetched through the safe fetcher, then
 * the media upload's checks: size, type, pixel budget, variants). The image's id, or why not.
 */
export interface WireImages {
  importFromUrl(
    url: string,
    meta: { alt: string; caption: string; credit: string; uploadedBy: string | null },
  ): Promise<{ imageId: string } | { problem: LeadImageProblem }>;
}

/** Why a draft was made without its wire item's lead image, as the editor is told. */
export const leadImageProblems = ['refused', 'unreachable', 'too-large', 'not-image', 'too-many-pixels'] as const;
export type LeadImageProblem = (typeof leadImageProblems)[number];

/** The problem an error code of the fetch or of the media upload stands for. */
export function leadImageProblemOf(code: string): LeadImageProblem {
  if (code === 'WIRE_FETCH_REFUSED') return 'refused';
  if (code === 'WIRE_FETCH_TOO_LARGE' || code === 'MEDIA_TOO_LARGE') return 'too-large';
  if (code === 'MEDIA_TYPE_UNSUPPORTED' || code === 'MEDIA_FILE_MISSING') return 'not-image';
  if (code === 'MEDIA_DIMENSIONS_TOO_LARGE' || code === 'MEDIA_SHAPE_UNSUPPORTED') return 'too-many-pixels';
  return 'unreachable';
}

/** Creates the story (the article service's `create`: a revision, preflight, an event). */
export interface DraftWriter {
  create(input: ArticleInput, actor: string | null): Promise<ArticleRecord>;
  findRecord(id: string): Promise<ArticleRecord | null>;
}

/** What receiving a batch did. */
export interface ReceiveReport {
  /** Ids of the items stored (new items and new versions). */
  stored: string[];
  /** Among `stored`, how many were new versions of an item already held. */
  versions: number;
  /** Items not stored because the desk holds them (same wire id and version, URL or content). */
  duplicates: number;
  /** Items not stored because a newer version is already held. */
  outdated: number;
}

/** The difference between an item and the version it supersedes. */
export interface WireChanges {
  previous: WireItemSummary;
  headline: { before: string; after: string } | null;
  standfirst: { before: string; after: string } | null;
  /** The body, block by block: kept, removed or added. */
  blocks: { op: 'same' | 'added' | 'removed'; text: string }[];
}

export const pollJobKind = 'wire.poll';

/** The item's language as a site language, when it is one ("en-GB" → "en" on an "en" site). */
export function siteLanguageOf(language: string | null, languages: readonly string[]): string | null {
  if (!language) return null;
  const tag = language.toLowerCase();
  return languages.find((l) => l.toLowerCase() === tag) ?? languages.find((l) => l === tag.split('-')[0]) ?? null;
}

/** Block by block, what a new version changed. */
export function changesBetween(previous: WireItem, item: WireItem): Omit<WireChanges, 'previous'> {
  const pair = (before: string, after: string) => (before === after ? null : { before, after });
  return {
    headline: pair(previous.headline, item.headline),
    standfirst: pair(previous.standfirst, item.standfirst),
    blocks: diffSequences(blockLines(previous.body), blockLines(item.body)).map(({ op, token }) => ({
      op,
      text: token,
    })),
  };
}

function summaryOf(item: WireItem): WireItemSummary {
  const { receivedBytes: _bytes, body: _body, ...summary } = item;
  return summary;
}

/**
 * The wire desk: receives parsed items from a source and keeps each once (dedupe by wire id and
 * version, original URL, content hash; a higher version is stored linked to the one it replaces),
 * polls feed sources as durable jobs with conditional GETs and backoff, lists the queue, and turns
 * an item into a draft story with its byline, dateline, credit, original URL and licence.
 */
export function createWireDesk(deps: {
  items: WireItemStore;
  queue: WireQueueStore;
  sources: WireSourceStore;
  reader: WireReader;
  fetcher: WireFetcher;
  authors: WireAuthors;
  drafts: DraftWriter;
  /** Machine translation, when a provider is configured; "Translate into…" needs it. */
  translator?: WireTranslator | null;
  /** The lead image's way into the media library; without it drafts have no hero. */
  images?: WireImages | null;
  /** The durable job queue the polls run from. */
  jobs: { enqueue(job: { kind: string; payload: unknown; key?: string; runAt?: Date }, now: Date): Promise<boolean> };
  /** A job was queued: look at the queue now. */
  onQueued?: () => void;
  /** The fingerprint of an item's words (`wire-identity.ts#contentHash`): equal words, equal hash. */
  fingerprint: (item: Pick<ParsedWireItem, 'headline' | 'body'>) => string;
  languages: readonly string[];
  clock: Clock;
  ids: IdGenerator;
  log?: { error(object: object, message: string): void };
}) {
  const { items, queue, sources, reader, fetcher, clock, ids } = deps;

  function require(actor: StaffActor, permission: 'wire.read' | 'wire.use' | 'wire.manage'): void {
    if (!hasPermission(actor.role, permission)) throw new KiosqueError('ACCESS_DENIED', { permission });
  }

  async function receive(source: WireSource, parsed: ParsedWireItem[], bytes: Uint8Array): Promise<ReceiveReport> {
    const report: ReceiveReport = { stored: [], versions: 0, duplicates: 0, outdated: 0 };
    for (const entry of parsed) {
      const { bodyIsTeaser: _teaser, ...fields } = entry;
      const hash = deps.fingerprint(entry);
      let supersedesId: string | null = null;
      const versions = entry.wireId ? await items.versionsOf(entry.wireId) : [];
      if (versions.length > 0) {
        if (versions.some((v) => v.version === entry.version)) {
          report.duplicates++;
          continue;
        }
        const latest = versions.reduce((a, b) => (b.version > a.version ? b : a));
        if (latest.version > entry.version) {
          report.outdated++;
          continue;
        }
        supersedesId = latest.id;
      } else if (await items.findDuplicate({ urlKey: canonicalUrlKey(entry.originalUrl), hash })) {
        report.duplicates++;
        continue;
      }
      const item: WireItem = {
        ...fields,
        language: entry.language ?? source.language,
        id: ids('wir'),
        sourceId: source.id,
        receivedBytes: bytes,
        contentHash: hash,
        receivedAt: clock.now(),
        supersedesId,
        articleId: null,
      };
      if (!(await items.insert(item))) {
        report.duplicates++;
        continue;
      }
      report.stored.push(item.id);
      if (supersedesId) report.versions++;
    }
    return report;
  }

  /** Feed items that carry only a teaser: the page they link to is fetched and its article read. */
  async function completeTeasers(parsed: ParsedWireItem[]): Promise<ParsedWireItem[]> {
    const complete: ParsedWireItem[] = [];
    for (const item of parsed) {
      if (!item.bodyIsTeaser || !item.originalUrl || !isAllowedUrl(item.originalUrl, ['http', 'https'])) {
        complete.push(item);
        continue;
      }
      try {
        const page = await fetcher.fetch(item.originalUrl);
        if (page.status !== 200) throw new Error('no page');
        const found = reader.extract(page.bytes, { url: page.url, contentType: page.contentType ?? undefined });
        complete.push({
          ...item,
          body: found.body.length > 0 ? found.body : item.body,
          bodyIsTeaser: found.body.length === 0,
          bylines: item.bylines.length > 0 ? item.bylines : found.bylines,
          language: item.language ?? found.language,
          leadImage: item.leadImage ?? found.leadImage,
          dateline: item.dateline || found.dateline,
        });
      } catch (error) {
        // The teaser is kept: the desk shows what the feed gave, and the next version may do better.
        deps.log?.error({ err: error, url: item.originalUrl }, 'wire teaser page not read');
        complete.push(item);
      }
    }
    return complete;
  }

  async function builtIn(kind: 'folder' | 'upload' | 'url'): Promise<WireSource> {
    const id = builtInSourceIds[kind];
    const found = await sources.find(id);
    if (found) return found;
    const source: WireSource = {
      id,
      name: '',
      kind,
      feedUrl: null,
      language: null,
      creditName: '',
      licenceNote: '',
      pollMinutes: 15,
      enabled: true,
      ...freshPollState(clock.now()),
    };
    await sources.save(source);
    return source;
  }

  async function sourceOf(id: string): Promise<WireSource> {
    const source = await sources.find(id);
    if (!source) throw new KiosqueError('WIRE_SOURCE_NOT_FOUND', { id });
    return source;
  }

  /** Starts (or restarts) the source's poll job: any earlier job for it stops at its next run. */
  async function schedulePoll(source: WireSource, at: Date): Promise<void> {
    const pollKey = `wire-poll:${source.id}:${ids('poll')}`;
    await sources.save({ ...source, pollKey, nextPollAt: at });
    await deps.jobs.enqueue(
      { kind: pollJobKind, payload: { sourceId: source.id, pollKey }, key: pollKey, runAt: at },
      clock.now(),
    );
    deps.onQueued?.();
  }

  /** Fetches the feed (conditionally), stores what is new, and records the outcome on the source. */
  async function poll(source: WireSource): Promise<ReceiveReport | null> {
    const startedAt = clock.now();
    try {
      if (!source.feedUrl) throw new KiosqueError('WIRE_SOURCE_INVALID', { fields: 'feedUrl' });
      const fetched = await fetcher.fetch(source.feedUrl, { etag: source.etag, lastModified: source.lastModified });
      let report: ReceiveReport | null = null;
      let etag = source.etag;
      let lastModified = source.lastModified;
      if (fetched.status === 200) {
        const parsed = reader.parse(fetched.bytes, { contentType: fetched.contentType ?? undefined });
        report = await receive(source, await completeTeasers(parsed), fetched.bytes);
        etag = fetched.etag;
        lastModified = fetched.lastModified;
      }
      const now = clock.now();
      const current = (await sources.find(source.id)) ?? source;
      await sources.save({
        ...current,
        etag,
        lastModified,
        consecutiveErrors: 0,
        lastError: null,
        lastSuccessAt: now,
        nextPollAt: new Date(now.getTime() + current.pollMinutes * 60_000),
      });
      return report ?? { stored: [], versions: 0, duplicates: 0, outdated: 0 };
    } catch (error) {
      const now = clock.now();
      const current = (await sources.find(source.id)) ?? source;
      const consecutiveErrors = current.consecutiveErrors + 1;
      const known = isKiosqueError(error);
      if (!known) deps.log?.error({ err: error, source: source.id }, 'wire poll failed');
      await sources.save({
        ...current,
        consecutiveErrors,
        lastError: {
          code: known ? error.code : 'WIRE_POLL_FAILED',
          values: known ? messageValues(error) : { reason: String((error as Error)?.message ?? error).slice(0, 300) },
          at: now,
        },
        nextPollAt: new Date(
          Math.max(now.getTime(), startedAt.getTime()) + backoffMs(consecutiveErrors, current.pollMinutes),
        ),
      });
      return null;
    }
  }

  async function readFile(
    source: WireSource,
    file: { bytes: Uint8Array; filename?: string; contentType?: string },
  ): Promise<ReceiveReport> {
    // Parsing fails before anything is stored: a hostile or broken file leaves no trace.
    const parsed = reader.parse(file.bytes, { filename: file.filename, contentType: file.contentType });
    return receive(source, await completeTeasers(parsed), file.bytes);
  }

  async function itemOf(id: string): Promise<WireItem> {
    const item = await queue.find(id);
    if (!item) throw new KiosqueError('WIRE_ITEM_NOT_FOUND', { id });
    return item;
  }

  return {
    receive,

    /** The built-in source of a kind (uploads, pasted links, the watched folder). */
    builtIn,

    async listSources(actor: StaffActor): Promise<WireSource[]> {
      require(actor, 'wire.read');
      return sources.list();
    },

    async source(actor: StaffActor, id: string): Promise<WireSource> {
      require(actor, 'wire.read');
      return sourceOf(id);
    },

    /** Adds a feed source; its first poll is due now. */
    async addFeed(actor: StaffActor, value: FeedSourceInput): Promise<WireSource> {
      require(actor, 'wire.manage');
      const input = parseFeed(value);
      const source: WireSource = {
        id: ids('src'),
        kind: 'feed',
        ...input,
        ...freshPollState(clock.now()),
      };
      await sources.save(source);
      if (source.enabled) await schedulePoll(source, clock.now());
      return (await sources.find(source.id)) ?? source;
    },

    /** Changes a feed's settings; a new address forgets the old one's validators. Enabling polls now. */
    async editFeed(actor: StaffActor, id: string, value: FeedSourceInput): Promise<WireSource> {
      require(actor, 'wire.manage');
      const current = await sourceOf(id);
      if (current.kind !== 'feed') throw new KiosqueError('WIRE_SOURCE_INVALID', { fields: 'kind' });
      const input = parseFeed(value);
      const moved = input.feedUrl !== current.feedUrl;
      const next: WireSource = {
        ...current,
        ...input,
        etag: moved ? null : current.etag,
        lastModified: moved ? null : current.lastModified,
        pollKey: input.enabled ? current.pollKey : null,
      };
      await sources.save(next);
      if (next.enabled && (!current.enabled || moved || !current.pollKey)) await schedulePoll(next, clock.now());
      return (await sources.find(id)) ?? next;
    },

    /** Polls the feed at the next run of the job queue, whatever its schedule or backoff said. */
    async pollSoon(actor: StaffActor, id: string): Promise<void> {
      require(actor, 'wire.manage');
      const source = await sourceOf(id);
      if (source.kind !== 'feed' || !source.enabled)
        throw new KiosqueError('WIRE_SOURCE_INVALID', { fields: 'enabled' });
      await schedulePoll(source, clock.now());
    },

    /** Polls one source now, outside the job queue (the CLI, tests); null when the poll failed. */
    async pollNow(id: string): Promise<ReceiveReport | null> {
      return poll(await sourceOf(id));
    },

    /** The job handlers to register with the job worker. */
    handlers: {
      async [pollJobKind](payload: unknown): Promise<void> {
        const { sourceId, pollKey } = (payload ?? {}) as { sourceId?: unknown; pollKey?: unknown };
        if (typeof sourceId !== 'string' || typeof pollKey !== 'string') return;
        const source = await sources.find(sourceId);
        // Disabled, deleted or rescheduled under another job: this job's work is over.
        if (source?.kind !== 'feed' || !source.enabled || source.pollKey !== pollKey) return;
        const now = clock.now();
        if (source.nextPollAt && source.nextPollAt > now) throw new RetryLater(source.nextPollAt, 'next poll');
        const claimed = await sources.claimPoll(sourceId, pollKey, now, new Date(now.getTime() + 600_000));
        if (claimed) await poll(claimed);
        const after = await sources.find(sourceId);
        if (!after?.enabled || after.pollKey !== pollKey) return;
        throw new RetryLater(
          after.nextPollAt ?? new Date(clock.now().getTime() + after.pollMinutes * 60_000),
          'next poll',
        );
      },
    } as Record<string, (payload: unknown) => Promise<void>>,

    /** Every feed that is enabled but has no poll job (a database from before, a lost job) gets one. */
    async ensurePollJobs(): Promise<void> {
      for (const source of await sources.list()) {
        if (source.kind === 'feed' && source.enabled && !source.pollKey) await schedulePoll(source, clock.now());
      }
    },

    /** One or more files uploaded by staff (ninjs, NewsML-G2, NITF, RSS, Atom). */
    async upload(
      actor: StaffActor,
      files: { bytes: Uint8Array; filename?: string; contentType?: string }[],
      sourceId?: string,
    ): Promise<ReceiveReport> {
      require(actor, 'wire.use');
      if (files.length === 0) throw new KiosqueError('WIRE_FILE_MISSING');
      const source = sourceId ? await sourceOf(sourceId) : await builtIn('upload');
      // Every file is read before any is stored: one bad file refuses the upload, and nothing is kept.
      const parsed = files.map((file) => ({
        file,
        items: reader.parse(file.bytes, { filename: file.filename, contentType: file.contentType }),
      }));
      const total: ReceiveReport = { stored: [], versions: 0, duplicates: 0, outdated: 0 };
      for (const { file, items: list } of parsed) {
        const report = await receive(source, await completeTeasers(list), file.bytes);
        total.stored.push(...report.stored);
        total.versions += report.versions;
        total.duplicates += report.duplicates;
        total.outdated += report.outdated;
      }
      return total;
    },

    /** A file of the watched folder, or of the demo: read and stored under the given source. */
    readFile,

    /** A page (or a feed, or a ninjs document) at a URL staff pasted. */
    async pasteUrl(actor: StaffActor, url: string): Promise<ReceiveReport> {
      require(actor, 'wire.use');
      const address = url.trim();
      if (!/^https?:\/\//i.test(address) || !isAllowedUrl(address, ['http', 'https']) || address.length > 2000) {
        throw new KiosqueError('WIRE_PASTED_URL_INVALID');
      }
      const source = await builtIn('url');
      const page = await fetcher.fetch(address).catch((error: unknown) => {
        if (isKiosqueError(error)) throw error;
        throw new KiosqueError('WIRE_PASTED_URL_INVALID', {
          reason: String((error as Error)?.message ?? error).slice(0, 200),
        });
      });
      if (page.status !== 200) throw new KiosqueError('WIRE_PASTED_URL_INVALID');
      const type = (page.contentType ?? '').toLowerCase();
      const html =
        type.includes('html') ||
        (!type.includes('xml') &&
          !type.includes('json') &&
          /^\s*<(!doctype html|html)/i.test(new TextDecoder().decode(page.bytes.slice(0, 512))));
      if (!html) return readFile(source, { bytes: page.bytes, contentType: page.contentType ?? undefined });
      const found = reader.extract(page.bytes, { url: page.url, contentType: page.contentType ?? undefined });
      return receive(source, [{ ...found, originalUrl: found.originalUrl ?? page.url }], page.bytes);
    },

    /** The queue, newest first. */
    async list(actor: StaffActor, query: WireQueueQuery) {
      require(actor, 'wire.read');
      return queue.list(query);
    },

    /** One item, its source, and what changed since the version it supersedes. */
    async item(actor: StaffActor, id: string) {
      require(actor, 'wire.read');
      const item = await itemOf(id);
      const source = await sources.find(item.sourceId);
      let changes: WireChanges | null = null;
      if (item.supersedesId) {
        const previous = await queue.find(item.supersedesId);
        if (previous) changes = { previous: summaryOf(previous), ...changesBetween(previous, item) };
      }
      return { item, source, changes, newerId: await queue.supersededBy(item.id) };
    },

    /**
     * "Use as draft" (and "Translate into…" with `language`): a draft story with the item's
     * headline, standfirst, body, byline (author profiles found by name or made), dateline, the
     * source's credit, the original URL, the licence note and the wire-copy flag, linked to the
     * item. In another language than the item's, the draft holds the wire text to translate. The
     * lead image becomes the hero; when it cannot be brought in, the draft is made without one and
     * `imageProblem` says why.
     */
    async useAsDraft(
      actor: StaffActor,
      itemId: string,
      language?: string,
    ): Promise<{ record: ArticleRecord; imageProblem: LeadImageProblem | null }> {
      require(actor, 'wire.use');
      const item = await itemOf(itemId);
      const source = await sources.find(item.sourceId);
      const target = language ?? siteLanguageOf(item.language, deps.languages);
      if (!target || !deps.languages.includes(target)) {
        throw new KiosqueError('WIRE_LANGUAGE_UNSUPPORTED', { language: item.language ?? '' });
      }
      const existing = item.articleId ? await deps.drafts.findRecord(item.articleId) : null;
      if (existing && existing.deletedAt === null && existing.language === target) {
        throw new KiosqueError('WIRE_ITEM_USED', { articleId: existing.id });
      }
      // "Translate into…": the item's words in the other language, machine-made and unreviewed.
      const from = (item.language ?? source?.language ?? '').toLowerCase().split('-')[0] ?? '';
      const lead = item.leadImage;
      let words = {
        headline: item.headline,
        standfirst: item.standfirst,
        body: item.body as Block[],
        alt: lead?.alt ?? '',
        caption: lead?.caption ?? '',
      };
      let machine: string | null = null;
      if (siteLanguageOf(item.language, deps.languages) !== target) {
        if (!from) throw new KiosqueError('WIRE_LANGUAGE_UNSUPPORTED', { language: '' });
        if (!deps.translator) throw new KiosqueError('WIRE_TRANSLATION_UNAVAILABLE', { language: target });
        const result = await deps.translator.translateBlocks(words.body, from, target, [
          item.headline,
          item.standfirst,
          words.alt,
          words.caption,
        ]);
        words = {
          headline: result.extra[0]?.trim() || item.headline,
          standfirst: result.extra[1] ?? '',
          body: result.blocks,
          alt: result.extra[2] ?? words.alt,
          caption: result.extra[3] ?? words.caption,
        };
        machine = result.provider;
      }
      const now = clock.now();
      const names = item.bylines.map((name) => name.trim()).filter((name) => name !== '');
      const credit = source?.creditName.trim() ?? '';
      const wireByline = await deps.authors.findOrCreate(names.length > 0 ? names : credit ? [credit] : [], now);
      // Editors sign anyone; others add their own name, so the draft is theirs to open (decision 0036).
      const own = !hasPermission(actor.role, 'story.manageAny') && actor.authorId ? [actor.authorId] : [];
      const authorIds = [...new Set([...wireByline, ...own])];
      const url =
        item.originalUrl && /^https?:\/\//i.test(item.originalUrl) && item.originalUrl.length <= 2000
          ? item.originalUrl
          : null;
      const licence = [item.rights.trim(), source?.licenceNote.trim() ?? ''].filter(Boolean);
      // The lead image and its credit (the photographer's, else the source's) become the hero.
      let hero: ArticleInput['hero'] = null;
      let imageProblem: LeadImageProblem | null = null;
      if (lead && deps.images) {
        const details = {
          alt: words.alt.trim().slice(0, 500),
          caption: words.caption.trim().slice(0, 1000),
          credit: (lead.credit.trim() || credit).slice(0, 200),
        };
        const imported = /^https?:\/\//i.test(lead.src)
          ? await deps.images.importFromUrl(lead.src, { ...details, uploadedBy: actor.id })
          : { problem: 'refused' as const };
        if ('imageId' in imported) hero = { imageId: imported.imageId, ...details };
        else imageProblem = imported.problem;
      }
      const input: ArticleInput = {
        language: target,
        headline: words.headline.trim().slice(0, 300) || item.wireId?.slice(0, 300) || '—',
        standfirst: words.standfirst.trim().slice(0, 1000),
        bodyMarkdown: blocksToMarkdown(words.body),
        status: 'draft',
        authorIds,
        source: credit ? { name: credit.slice(0, 300), url } : null,
        syndicated: true,
        hero,
        // Not on any public channel before the provider's time (decision 0042).
        embargoUntil: item.embargoUntil,
        dateline: item.dateline.trim().slice(0, 200),
        licenceNote: [...new Set(licence)].join('\n').slice(0, 2000),
        wireItemId: item.id,
        // The provider's genre where its format names one Kiosque has; news otherwise (decision 0051).
        genre: genreFromWire(item.genres),
        // The story made in another language joins the first one's translations.
        ...(existing && existing.deletedAt === null && existing.language !== target
          ? {
              translationGroup: existing.translationGroup,
              translationOf: { articleId: existing.id, revision: existing.revision },
            }
          : {}),
      };
      let record: ArticleRecord;
      try {
        record = await deps.drafts.create(input, actor.id);
      } catch (error) {
        // Another story of that language already has the headline's address.
        if (!isKiosqueError(error) || error.code !== 'ARTICLE_SLUG_TAKEN') throw error;
        record = await deps.drafts.create({ ...input, slug: `${slugify(input.headline)}-${target}-wire` }, actor.id);
      }
      if (machine) await deps.translator?.recordDraft(record.id, from, machine);
      if (!existing || existing.deletedAt !== null) await queue.markUsed(item.id, record.id);
      return { record, imageProblem };
    },
  };
}

function parseFeed(value: FeedSourceInput) {
  const result = feedSourceSchema.safeParse(value);
  if (!result.success) {
    throw new KiosqueError('WIRE_SOURCE_INVALID', {
      fields: result.error.issues.map((i) => i.path.join('.')).join(', '),
    });
  }
  const { language, ...rest } = result.data;
  return { ...rest, language: language || null };
}

export type WireDesk = ReturnType<typeof createWireDesk>;
