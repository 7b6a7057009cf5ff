import { type Kysely, type Migration, type MigrationProvider, Migrator } from 'kysely';
import * as initial from './migrations/0001-initial.js';
import * as revisions from './migrations/0002-revisions-and-slug-history.js';
import * as staff from './migrations/0003-staff.js';
import * as editor from './migrations/0004-editor.js';
import * as editorStoryList from './migrations/0004-editor-story-list.js';
import * as mediaLibrary from './migrations/0005-media-library.js';
import * as newsletters from './migrations/0007-newsletters.js';
import * as members from './migrations/0008-members.js';
import * as readingIndexes from './migrations/0009-reading-indexes.js';
import * as publishedPartialIndex from './migrations/0010-published-partial-index.js';
import * as searchAndRelated from './migrations/0011-search-and-related.js';
import * as contentEvents from './migrations/0012-content-events.js';
import * as translationWorkflow from './migrations/0013-translation-workflow.js';
import * as searchDocumentsInline from './migrations/0014-search-documents-inline.js';
import * as searchDocumentCount from './migrations/0015-search-document-count.js';
import * as pendingVersions from './migrations/0016-pending-versions.js';
import * as mailCapsAndPasswordReset from './migrations/0017-mail-caps-and-password-reset.js';
import * as wireDesk from './migrations/0018-wire-desk.js';
import * as machineTranslation from './migrations/0019-machine-translation.js';
import * as embargo from './migrations/0020-embargo.js';
import * as integrations from './migrations/0021-integrations.js';
import * as webhooks from './migrations/0022-webhooks.js';
import * as imports from './migrations/0023-imports.js';
import * as storyGenre from './migrations/0024-story-genre.js';
import * as storyReview from './migrations/0025-story-review.js';
import * as staffSecurity from './migrations/0026-staff-security.js';
import * as corrections from './migrations/0027-corrections.js';
import * as killAndSponsor from './migrations/0028-kill-and-sponsor.js';
import * as settingsAndPages from './migrations/0029-settings-and-pages.js';
import * as frontPage from './migrations/0030-front-page.js';
import * as taxonomyAndAuthorProfiles from './migrations/0031-taxonomy-and-author-profiles.js';
import type { Database, Dialect } from './schema.js';

type MigrationModule = { up(db: Kysely<unknown>, dialect: Dialect): Promise<void> };

// Listed in code rather than read from a folder, so the compiled build and tsx run the same set.
const migrations: Record<string, MigrationModule> = {
  '0001-initial': initial,
  '0002-revisions-and-slug-history': revisions,
  '0003-staff': staff,
  '0004-editor': editor,
  '0004-editor-story-list': editorStoryList,
  '0005-media-library': mediaLibrary,
  '0007-newsletters': newsletters,
  '0008-members': members,
  '0009-reading-indexes': readingIndexes,
  '0010-published-partial-index': publishedPartialIndex,
  '0011-search-and-related': searchAndRelated,
  '0012-content-events': contentEvents,
  '0013-translation-workflow': translationWorkflow,
  '0014-search-documents-inline': searchDocumentsInline,
  '0015-search-document-count': searchDocumentCount,
  '0016-pending-versions': pendingVersions,
  '0017-mail-caps-and-password-reset': mailCapsAndPasswordReset,
  '0018-wire-desk': wireDesk,
  '0019-machine-translation': machineTranslation,
  '0020-embargo': embargo,
  '0021-integrations': integrations,
  '0022-webhooks': webhooks,
  '0023-imports': imports,
  '0024-story-genre': storyGenre,
  '0025-story-review': storyReview,
  '0026-staff-security': staffSecurity,
  '0027-corrections': corrections,
  '0028-kill-and-sponsor': killAndSponsor,
  '0029-settings-and-pages': settingsAndPages,
  '0030-front-page': frontPage,
  '0031-taxonomy-and-author-profiles': taxonomyAndAuthorProfiles,
};

class ListedMigrations implements MigrationProvider {
  constructor(private readonly dialect: Dialect) {}
  async getMigrations(): Promise<Record<string, Migration>> {
    return Object.fromEntries(
      Object.entries(migrations).map(([name, m]) => [name, { up: (db: Kysely<unknown>) => m.up(db, this.dialect) }]),
    );
  }
}

export interface MigrationReport {
  applied: string[];
}

/** Brings the schema to the newest version; safe to run on every start and from several processes. */
export async function migrateToLatest(db: Kysely<Database>, dialect: Dialect): Promise<MigrationReport> {
  const migrator = new Migrator({
    db,
    provider: new ListedMigrations(dialect),
    migrationTableName: 'kiosque_migrations',
    migrationLockTableName: 'kiosque_migrations_lock',
    // Features land in parallel: a database may have met 0005 before 0004. Each migration only
    // adds its own tables and columns, so applying a late lower number is safe.
    allowUnorderedMigrations: true,
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error;
  return { applied: (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName) };
}

export function migrationNames(): string[] {
  return Object.keys(migrations);
}
