import { type Kysely, sql } from 'kysely';
import pg from 'pg';
import { z } from 'zod';
import { type ContentEvent, createLocalEventBus, type EventBus } from '../../domain/events.js';
import type { Database } from '../schema.js';

/** The one channel every instance of a database listens on. */
const channel = 'kiosque_events';
/** PostgreSQL refuses NOTIFY payloads of 8000 bytes or more; larger events go through a table. */
const maxPayloadBytes = 7000;
/** Rows of large events are read within moments; an hour is far more than any listener needs. */
const keepRowsFor = '1 hour';

const facts = z.object({
  language: z.string(),
  translationGroup: z.string(),
  slug: z.string(),
  sectionId: z.string().nullable(),
  tagIds: z.array(z.string()),
  authorIds: z.array(z.string()),
  visible: z.boolean(),
  publishedAt: z.string().nullable(),
  revision: z.number(),
  textRevision: z.number(),
  deleted: z.boolean(),
  // Sent by instances older than decision 0057 without it: they kill nothing.
  killed: z.boolean().default(false),
});

const contentEvent: z.ZodType<ContentEvent> = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('article.changed'),
    articleId: z.string(),
    before: facts.nullable(),
    after: facts.nullable(),
    // Other instances drop the language's corrections page too (decision 0056).
    corrected: z.object({ id: z.string(), kind: z.enum(['correction', 'clarification']) }).optional(),
  }),
  z.object({ type: z.literal('sections.changed'), language: z.string() }),
  z.object({
    type: z.literal('taxonomy.renamed'),
    kind: z.enum(['section', 'tag', 'author']),
    id: z.string(),
    language: z.string().nullable(),
  }),
  z.object({
    type: z.literal('taxonomy.merged'),
    kind: z.enum(['section', 'tag']),
    fromId: z.string(),
    intoId: z.string(),
    language: z.string(),
  }),
  z.object({ type: z.literal('related.changed'), articleIds: z.array(z.string()) }),
  // The value is checked again by the settings service against its section's schema.
  z.object({
    type: z.literal('settings.changed'),
    section: z.string(),
    value: z.unknown(),
    languages: z.array(z.string()),
  }),
  z.object({ type: z.literal('pages.changed'), group: z.string(), languages: z.array(z.string()) }),
  z.object({
    type: z.literal('frontpage.changed'),
    language: z.string(),
    home: z.boolean(),
    banner: z.boolean(),
    sectionIds: z.array(z.string()),
  }),
]) as z.ZodType<ContentEvent>;

/** A notification: the event itself when small, else the id of its `content_events` row. */
const notification = z.union([
  z.object({ from: z.string(), event: z.unknown() }),
  z.object({ from: z.string(), row: z.string().regex(/^\d+$/) }),
]);

/** What the instance does about changes it may not have heard (its page cache, say). */
export interface Hearing {
  /** Other instances' changes can no longer be heard: forget whatever they could have changed. */
  lost(): void;
  /** Listening again: whatever changed meanwhile is unknown, so start afresh. */
  resumed(): void;
}

export interface PostgresEventBusOptions {
  url: string;
  db: Kysely<Database>;
  /** Tells this instance's notifications from the others' (it heard its own at once). */
  instanceId: string;
  hearing: Hearing;
  logger: {
    info(object: object, message: string): void;
    warn(object: object, message: string): void;
    error(object: object, message: string): void;
  };
  /** First and longest wait before listening again after a lost connection (doubling between). */
  reconnectMs?: { first: number; longest: number };
  /** Attempts to announce one event before giving up on it (the database is then unreachable). */
  sendAttempts?: number;
}

export interface PostgresEventBus extends EventBus {
  /**
   * The same bus, but its listeners hear only this instance's own events: for work that the
   * instance making a change does for all of them (recomputing stored related lists), which every
   * instance doing at once would only repeat and race on.
   */
  own: EventBus;
  /** Announces what is still queued (within its attempts), stops listening, closes the connection. */
  close(): Promise<void>;
}

/**
 * Content events shared by every instance of one PostgreSQL database through LISTEN/NOTIFY.
 * An event is heard by this instance's listeners at once, then announced to the others; their
 * notifications arrive on one dedicated connection and reach the same listeners. NOTIFY is not
 * stored: while that connection is down, changes go unheard, so `hearing.lost()` is called at
 * once and `hearing.resumed()` when listening again (decision 0009). Resolves once listening.
 */
export async function connectPostgresEventBus(options: PostgresEventBusOptions): Promise<PostgresEventBus> {
  const { db, instanceId, hearing, logger } = options;
  const reconnectMs = options.reconnectMs ?? { first: 100, longest: 5000 };
  const sendAttempts = options.sendAttempts ?? 5;
  const local = createLocalEventBus();
  const ownOnly = createLocalEventBus();

  let listener: pg.Client | null = null;
  let closed = false;
  let retry: NodeJS.Timeout | null = null;
  let wait = reconnectMs.first;
  let sinceLost = 0;

  async function listen(): Promise<pg.Client> {
    const client = new pg.Client({
      connectionString: options.url,
      // Operators (and the tests) find the connection by this name in pg_stat_activity.
      application_name: `kiosque-events:${instanceId}`.slice(0, 63),
      keepAlive: true,
      connectionTimeoutMillis: 5000,
    });
    client.on('error', () => lose(client));
    client.on('end', () => lose(client));
    client.on('notification', (message) => {
      if (message.channel === channel) receive(message.payload ?? '');
    });
    try {
      await client.connect();
      await client.query(`listen ${channel}`);
    } catch (error) {
      await client.end().catch(() => {});
      throw error;
    }
    listener = client;
    return client;
  }

  function lose(client: pg.Client): void {
    if (client !== listener) return;
    listener = null;
    client.end().catch(() => {});
    if (closed) return;
    sinceLost = Date.now();
    logger.warn({ instanceId }, 'lost the connection that hears other instances; page cache off until it is back');
    hearing.lost();
    wait = reconnectMs.first;
    reconnectLater();
  }

  function reconnectLater(): void {
    retry = setTimeout(async () => {
      retry = null;
      try {
        const client = await listen();
        if (closed) {
          await client.end().catch(() => {});
          return;
        }
        hearing.resumed();
        logger.info({ instanceId, downMs: Date.now() - sinceLost }, 'hearing other instances again');
      } catch (error) {
        if (closed) return;
        logger.warn({ err: error, instanceId, retryInMs: wait }, 'cannot listen to other instances yet');
        wait = Math.min(wait * 2, reconnectMs.longest);
        reconnectLater();
      }
    }, wait);
  }

  // Notifications are read in the order they came: one that needs a row read does not let a later one pass.
  let receiving = Promise.resolve();
  function receive(payload: string): void {
    receiving = receiving.then(() => handle(payload));
  }

  async function handle(payload: string): Promise<void> {
    try {
      const message = notification.parse(JSON.parse(payload));
      if (message.from === instanceId) return;
      const event = contentEvent.parse('row' in message ? JSON.parse(await readRow(message.row)) : message.event);
      local.publish(event);
    } catch (error) {
      // Something changed that cannot be told: forget everything rather than serve it stale.
      logger.error({ err: error, payload: payload.slice(0, 200) }, 'unreadable content event; page cache cleared');
      hearing.lost();
      if (listener) hearing.resumed();
    }
  }

  async function readRow(id: string): Promise<string> {
    const row = await db.selectFrom('content_events').select('payload').where('id', '=', id).executeTakeFirst();
    if (!row) throw new Error(`content event ${id} is gone`);
    return row.payload;
  }

  async function announce(event: ContentEvent): Promise<void> {
    const small = JSON.stringify({ from: instanceId, event });
    if (Buffer.byteLength(small) <= maxPayloadBytes) {
      await sql`select pg_notify(${channel}, ${small})`.execute(db);
      return;
    }
    // Delivered at commit, when the row is there to be read.
    await db.transaction().execute(async (trx) => {
      await sql`delete from content_events where created_at < now() - ${keepRowsFor}::interval`.execute(trx);
      const row = await trx
        .insertInto('content_events')
        .values({ origin: instanceId, payload: JSON.stringify(event) })
        .returning('id')
        .executeTakeFirstOrThrow();
      await sql`select pg_notify(${channel}, ${JSON.stringify({ from: instanceId, row: String(row.id) })})`.execute(
        trx,
      );
    });
  }

  // Announced one at a time, in order; a failed one is retried before the next goes.
  const outbox: ContentEvent[] = [];
  let sending: Promise<void> | null = null;
  function send(event: ContentEvent): void {
    outbox.push(event);
    sending ??= drain().finally(() => {
      sending = null;
    });
  }

  async function drain(): Promise<void> {
    let attempt = 1;
    while (outbox.length > 0) {
      const event = outbox[0] as ContentEvent;
      try {
        await announce(event);
        outbox.shift();
        attempt = 1;
      } catch (error) {
        if (attempt >= sendAttempts || closed) {
          // The database is unreachable: the other instances' listeners have lost it too, and drop their caches.
          logger.error({ err: error, event }, 'could not announce a content event to other instances');
          outbox.shift();
          attempt = 1;
        } else {
          await new Promise((resolve) => setTimeout(resolve, reconnectMs.first * 2 ** (attempt - 1)));
          attempt++;
        }
      }
    }
  }

  await listen();

  const bus: PostgresEventBus = {
    publish(event) {
      // Heard here at once (the next request on this instance shows it), then by the others.
      local.publish(event);
      ownOnly.publish(event);
      send(event);
    },
    subscribe: local.subscribe,
    own: {
      publish: (event) => bus.publish(event),
      subscribe: ownOnly.subscribe,
    },
    async close() {
      await sending;
      closed = true;
      if (retry) clearTimeout(retry);
      const client = listener;
      listener = null;
      await client?.end().catch(() => {});
      await receiving;
    },
  };
  return bus;
}
