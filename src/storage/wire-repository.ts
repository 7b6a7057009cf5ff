import { type Kysely, type Selectable, sql } from 'kysely';
import { slugify } from '../domain/articles/slug.js';
import type { IdGenerator } from '../domain/clock.js';
import type {
  WireAuthors,
  WireItem,
  WireItemStore,
  WireItemSummary,
  WireQueueStore,
  WireSourceStore,
} from '../domain/wire/wire-desk.js';
import { canonicalUrlKey } from '../domain/wire/wire-identity.js';
import type { Block, WireFormat } from '../domain/wire/wire-item.js';
import type { WireSource, WireSourceKind } from '../domain/wire/wire-source.js';
import { isUniqueViolation } from './article-repository.js';
import { type Database, toDate, toDateOrNull, type WireSourcesTable } from './schema.js';

const summaryColumns = [
  'id',
  'source_id',
  'format',
  'wire_id',
  'version',
  'original_url',
  'language',
  'headline',
  'standfirst',
  'bylines',
  'dateline',
  'published_at',
  'embargo_until',
  'rights',
  'topics',
  'genres',
  'lead_image',
  'content_hash',
  'received_at',
  'supersedes_id',
  'article_id',
] as const;

type SummaryRow = Pick<Selectable<Database['wire_items']>, (typeof summaryColumns)[number]>;

/** JSON written by this repository, read back; a damaged value reads as empty rather than failing the page. */
function json<T>(text: string | null, fallback: T): T {
  if (text === null) return fallback;
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
}

function summaryOf(row: SummaryRow): WireItemSummary {
  return {
    id: row.id,
    sourceId: row.source_id,
    format: row.format as WireFormat,
    wireId: row.wire_id,
    version: Number(row.version),
    originalUrl: row.original_url,
    language: row.language,
    headline: row.headline,
    standfirst: row.standfirst,
    bylines: json<string[]>(row.bylines, []),
    dateline: row.dateline,
    publishedAt: toDateOrNull(row.published_at),
    embargoUntil: toDateOrNull(row.embargo_until),
    rights: row.rights,
    topics: json<string[]>(row.topics, []),
    genres: json<string[]>(row.genres, []),
    leadImage: json<WireItem['leadImage']>(row.lead_image, null),
    contentHash: row.content_hash,
    receivedAt: toDate(row.received_at),
    supersedesId: row.supersedes_id,
    articleId: row.article_id,
  };
}

function sourceOf(row: Selectable<WireSourcesTable>): WireSource {
  return {
    id: row.id,
    name: row.name,
    kind: row.kind as WireSourceKind,
    feedUrl: row.feed_url,
    language: row.language,
    creditName: row.credit_name,
    licenceNote: row.licence_note,
    pollMinutes: Number(row.poll_minutes),
    enabled: Number(row.enabled) === 1,
    etag: row.etag,
    lastModified: row.last_modified,
    nextPollAt: toDateOrNull(row.next_poll_at),
    pollKey: row.poll_key,
    consecutiveErrors: Number(row.consecutive_errors),
    lastError:
      row.last_error_code && row.last_error_at
        ? {
            code: row.last_error_code,
            values: json<Record<string, string | number>>(row.last_error_values, {}),
            at: toDate(row.last_error_at),
          }
        : null,
    lastSuccessAt: toDateOrNull(row.last_success_at),
    createdAt: toDate(row.created_at),
  };
}

function rowOf(source: WireSource) {
  return {
    id: source.id,
    name: source.name,
    kind: source.kind,
    feed_url: source.feedUrl,
    language: source.language,
    credit_name: source.creditName,
    licence_note: source.licenceNote,
    poll_minutes: source.pollMinutes,
    enabled: source.enabled ? 1 : 0,
    etag: source.etag,
    last_modified: source.lastModified,
    next_poll_at: source.nextPollAt?.toISOString() ?? null,
    poll_key: source.pollKey,
    consecutive_errors: source.consecutiveErrors,
    last_error_code: source.lastError?.code ?? null,
    last_error_values: source.lastError ? JSON.stringify(source.lastError.values) : null,
    last_error_at: source.lastError?.at.toISOString() ?? null,
    last_success_at: source.lastSuccessAt?.toISOString() ?? null,
    created_at: source.createdAt.toISOString(),
  };
}

/** A LIKE pattern matching `text` literally. */
const literal = (text: string) => text.replace(/[\\%_]/g, '\\$&');

/**
 * The wire desk's storage on both databases: sources, items (the received bytes as a blob/bytea),
 * and the author profiles the wire's bylines map onto.
 */
const timeColumns = { published: 'published_at', received: 'received_at' } as const;

export function createWireRepository(db: Kysely<Database>, ids: IdGenerator) {
  const items: WireItemStore = {
    async versionsOf(wireId) {
      const rows = await db.selectFrom('wire_items').select(['id', 'version']).where('wire_id', '=', wireId).execute();
      return rows.map((row) => ({ id: row.id, version: Number(row.version) }));
    },

    async findDuplicate({ urlKey: url, hash }) {
      const row = await db
        .selectFrom('wire_items')
        .select('id')
        .where((eb) =>
          url ? eb.or([eb('url_key', '=', url), eb('content_hash', '=', hash)]) : eb('content_hash', '=', hash),
        )
        .limit(1)
        .executeTakeFirst();
      return row?.id ?? null;
    },

    async insert(item) {
      try {
        await db
          .insertInto('wire_items')
          .values({
            id: item.id,
            source_id: item.sourceId,
            format: item.format,
            wire_id: item.wireId,
            version: item.version,
            original_url: item.originalUrl,
            url_key: canonicalUrlKey(item.originalUrl),
            language: item.language,
            headline: item.headline,
            standfirst: item.standfirst,
            bylines: JSON.stringify(item.bylines),
            dateline: item.dateline,
            published_at: item.publishedAt?.toISOString() ?? null,
            embargo_until: item.embargoUntil?.toISOString() ?? null,
            rights: item.rights,
            topics: JSON.stringify(item.topics),
            genres: JSON.stringify(item.genres),
            lead_image: item.leadImage ? JSON.stringify(item.leadImage) : null,
            body: JSON.stringify(item.body),
            received_bytes: Buffer.from(item.receivedBytes),
            content_hash: item.contentHash,
            received_at: item.receivedAt.toISOString(),
            supersedes_id: item.supersedesId,
            article_id: item.articleId,
          })
          .execute();
        return true;
      } catch (error) {
        if (isUniqueViolation(error)) return false;
        throw error;
      }
    },
  };

  const queue: WireQueueStore = {
    async list(q) {
      let query = db.selectFrom('wire_items');
      if (q.sourceId) query = query.where('source_id', '=', q.sourceId);
      if (q.language) {
        const language = q.language.toLowerCase();
        query = query.where((eb) =>
          eb.or([eb('language', '=', language), eb('language', 'like', `${literal(language)}-%`)]),
        );
      }
      if (q.topic)
        query = query.where(sql<boolean>`topics like ${`%${literal(JSON.stringify(q.topic))}%`} escape '\\'`);
      // The item's own times (the provider's publication, our receipt), not readers' visibility.
      const column = timeColumns[q.timeField ?? 'received'];
      if (q.from) query = query.where(column, '>=', q.from.toISOString());
      if (q.to) query = query.where(column, '<', q.to.toISOString());
      const [rows, count] = await Promise.all([
        query
          .select([...summaryColumns])
          .orderBy('received_at', 'desc')
          .orderBy('id', 'desc')
          .limit(q.limit)
          .offset(q.offset)
          .execute(),
        query.select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow(),
      ]);
      return { items: rows.map(summaryOf), total: Number(count.n) };
    },

    async find(id) {
      const row = await db.selectFrom('wire_items').selectAll().where('id', '=', id).executeTakeFirst();
      if (!row) return null;
      return {
        ...summaryOf(row),
        body: json<Block[]>(row.body, []),
        receivedBytes: new Uint8Array(row.received_bytes),
      };
    },

    async markUsed(id, articleId) {
      await db.updateTable('wire_items').set({ article_id: articleId }).where('id', '=', id).execute();
    },

    async supersededBy(id) {
      const row = await db
        .selectFrom('wire_items')
        .select('id')
        .where('supersedes_id', '=', id)
        .orderBy('version', 'desc')
        .executeTakeFirst();
      return row?.id ?? null;
    },
  };

  const sources: WireSourceStore = {
    async list() {
      const rows = await db.selectFrom('wire_sources').selectAll().orderBy('created_at').orderBy('id').execute();
      return rows.map(sourceOf);
    },

    async find(id) {
      const row = await db.selectFrom('wire_sources').selectAll().where('id', '=', id).executeTakeFirst();
      return row ? sourceOf(row) : null;
    },

    async save(source) {
      const { id: _id, created_at: _created, ...changes } = rowOf(source);
      await db
        .insertInto('wire_sources')
        .values(rowOf(source))
        .onConflict((oc) => oc.column('id').doUpdateSet(changes))
        .execute();
    },

    async claimPoll(id, pollKey, now, until) {
      const row = await db
        .updateTable('wire_sources')
        .set({ next_poll_at: until.toISOString() })
        .where('id', '=', id)
        .where('poll_key', '=', pollKey)
        .where('enabled', '=', 1)
        .where((eb) => eb.or([eb('next_poll_at', 'is', null), eb('next_poll_at', '<=', now.toISOString())]))
        .returningAll()
        .executeTakeFirst();
      return row ? sourceOf(row) : null;
    },
  };

  const authors: WireAuthors = {
    async findOrCreate(names, now) {
      const found: string[] = [];
      for (const raw of names) {
        const name = raw.trim().slice(0, 100);
        if (!name) continue;
        const existing = await db
          .selectFrom('authors')
          .select('id')
          .where(sql<boolean>`lower(name) = ${name.toLowerCase()}`)
          .orderBy('created_at')
          .executeTakeFirst();
        if (existing) {
          found.push(existing.id);
          continue;
        }
        const base = slugify(name) || 'wire';
        for (let n = 1; n < 50; n++) {
          const slug = n === 1 ? base : `${base}-${n}`;
          const id = ids('aut');
          const inserted = await db
            .insertInto('authors')
            .values({ id, slug, name, bio: '', created_at: now.toISOString() })
            .onConflict((oc) => oc.column('slug').doNothing())
            .executeTakeFirst();
          if (Number(inserted.numInsertedOrUpdatedRows ?? 0) > 0) {
            found.push(id);
            break;
          }
        }
      }
      return [...new Set(found)];
    },
  };

  return { items, queue, sources, authors };
}

export type WireRepository = ReturnType<typeof createWireRepository>;
