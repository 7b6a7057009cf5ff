import type { Kysely, Selectable } from 'kysely';
import type { AuditAction, AuditActor, AuditLogStore, StoredAuditEntry } from '../domain/audit/audit-trail.js';
import type { Database, StaffAuditLogTable } from './schema.js';
import { toDate } from './schema.js';

function details(text: string): Record<string, string> {
  try {
    const value: unknown = JSON.parse(text);
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return {};
    return Object.fromEntries(
      Object.entries(value).filter((entry): entry is [string, string] => typeof entry[1] === 'string'),
    );
  } catch {
    return {};
  }
}

const actorKind = (kind: string): AuditActor['kind'] => (kind === 'integration' || kind === 'system' ? kind : 'staff');

function toEntry(row: Selectable<StaffAuditLogTable>): StoredAuditEntry {
  return {
    id: row.id,
    at: toDate(row.at),
    // An unknown action (written by a newer version) is rendered as such by the log's reader.
    action: row.action as AuditAction,
    actor: { id: row.actor_id, name: row.actor_name, kind: actorKind(row.actor_kind) },
    subject: { id: row.subject_id, name: row.subject_name },
    details: details(row.details),
  };
}

/** The staff audit log on SQL: appended to, read newest first (time, then id for one instant). */
export function createAuditRepository(db: Kysely<Database>): AuditLogStore {
  return {
    async insert(entry) {
      await db
        .insertInto('staff_audit_log')
        .values({
          id: entry.id,
          at: entry.at.toISOString(),
          actor_id: entry.actor.id,
          actor_name: entry.actor.name,
          actor_kind: entry.actor.kind,
          action: entry.action,
          subject_id: entry.subject.id,
          subject_name: entry.subject.name,
          details: JSON.stringify(entry.details),
        })
        .execute();
    },
    async page({ actorId, limit, offset }) {
      let query = db.selectFrom('staff_audit_log');
      if (actorId) query = query.where('actor_id', '=', actorId);
      const [rows, count] = await Promise.all([
        query.selectAll().orderBy('at', 'desc').orderBy('id', 'desc').limit(limit).offset(offset).execute(),
        query.select((eb) => eb.fn.countAll<string | number>().as('n')).executeTakeFirstOrThrow(),
      ]);
      return { entries: rows.map(toEntry), total: Number(count.n) };
    },
    async actors() {
      // One row per name an actor had: few, however long the log.
      const rows = await db
        .selectFrom('staff_audit_log')
        .select(['actor_id', 'actor_name', (eb) => eb.fn.max('at').as('last')])
        .where('actor_id', 'is not', null)
        .groupBy(['actor_id', 'actor_name'])
        .execute();
      const latest = new Map<string, { name: string; last: string }>();
      for (const row of rows) {
        const last = String(row.last instanceof Date ? row.last.toISOString() : row.last);
        const known = row.actor_id ? latest.get(row.actor_id) : undefined;
        if (row.actor_id && (!known || known.last < last)) latest.set(row.actor_id, { name: row.actor_name, last });
      }
      return [...latest].map(([id, { name }]) => ({ id, name })).sort((a, b) => a.name.localeCompare(b.name));
    },
  };
}
