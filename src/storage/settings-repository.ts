import type { Kysely } from 'kysely';
import type { SettingsStore } from '../domain/settings/site-settings.js';
import type { Database } from './schema.js';

/** The settings sections as JSON documents, one row each (migration 0029, decision 0058). */
export function createSettingsRepository(db: Kysely<Database>): SettingsStore {
  return {
    async all() {
      const rows = await db.selectFrom('site_settings').select(['section', 'value']).execute();
      return new Map(rows.map((row) => [row.section, row.value]));
    },
    async seed(section, value, at) {
      // Several instances starting at once on an empty database: the first one's defaults stay.
      await db
        .insertInto('site_settings')
        .values({ section, value, updated_by: null, updated_at: at.toISOString() })
        .onConflict((conflict) => conflict.column('section').doNothing())
        .execute();
    },
    async put(section, value, by, at) {
      await db
        .insertInto('site_settings')
        .values({ section, value, updated_by: by, updated_at: at.toISOString() })
        .onConflict((conflict) =>
          conflict.column('section').doUpdateSet({ value, updated_by: by, updated_at: at.toISOString() }),
        )
        .execute();
    },
  };
}
