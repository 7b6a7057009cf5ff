import { createHash } from 'node:crypto';

/** What an import brings in; each is counted on its own line of the report. */
export const importKinds = [
  'article',
  'page',
  'section',
  'tag',
  'author',
  'image',
  'newsletter',
  'member',
  'redirect',
] as const;
export type ImportKind = (typeof importKinds)[number];

/** One thing of a source system: `wordpress` post 123, `ghost` tag 5f… */
export interface LedgerKey {
  system: string;
  kind: ImportKind;
  sourceId: string;
}

/** What a thing of a source system became in Kiosque, and the hash of what was imported of it. */
export interface LedgerEntry extends LedgerKey {
  kiosqueId: string;
  hash: string;
  /** The run that last wrote it. */
  importId: string | null;
}

/**
 * Why the port exists: a re-run must find what an earlier run made of each source thing (to update
 * it, or leave it alone when its hash is unchanged) instead of making it again.
 */
export interface ImportLedger {
  find(key: LedgerKey): Promise<LedgerEntry | null>;
  /**
   * Writes the entry on its own. Only for things whose own write is idempotent by a natural key
   * (a section by language and slug, an author by slug), so a kill between the two costs nothing;
   * articles write their entry in their own transaction (`WriteEffects.ledger`).
   */
  record(entry: LedgerEntry, now: Date): Promise<void>;
  /** Every entry of a system and kind (for linking translations, redirects). */
  list(system: string, kind: ImportKind): Promise<LedgerEntry[]>;
}

/** A stable hash of what was imported (keys sorted, so the same content always hashes the same). */
export function importHash(value: unknown): string {
  return createHash('sha256').update(stableJson(value), 'utf8').digest('hex');
}

function stableJson(value: unknown): string {
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}
