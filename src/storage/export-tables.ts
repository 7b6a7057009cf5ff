/**
 * What a Kiosque export holds (docs/export-format.md, decision 0050): every table of the schema is
 * either exported, in an order in which each row's references come before it, or listed as left
 * out with the reason. `export-tables.test.ts` (the guard) fails on a table that is neither, so a
 * table added by a later migration cannot silently stay behind when a site moves.
 */

export interface ExportedTable {
  name: string;
  /** Columns that identify a row: files are written in this order, so two exports of one site are equal. */
  key: readonly string[];
  /**
   * Columns deliberately not written, each with the value the import puts instead and why (the
   * staff's password hashes: a copy of the site must not carry its staff's credentials).
   */
  withheld?: Readonly<Record<string, { importedAs: string | number | null; reason: string }>>;
}

/** Dependency order: a row's references (sections, authors, staff, lists, members…) are written before it. */
export const exportedTables: readonly ExportedTable[] = [
  { name: 'authors', key: ['id'] },
  { name: 'sections', key: ['id'] },
  { name: 'tags', key: ['id'] },
  {
    name: 'staff_users',
    key: ['id'],
    withheld: {
      password_hash: {
        importedAs: '',
        reason:
          'credentials stay with the site they were set on: imported staff choose a password through “Forgot your password?”',
      },
      // Two-factor sign-in (decision 0054): the secret is sealed with this site's key, which does not
      // move, so it could not be opened on the new site anyway; staff set it up again there.
      totp_secret: {
        importedAs: '',
        reason: 'a credential, sealed with the old site’s key: staff set two-factor sign-in up again',
      },
      totp_pending_secret: { importedAs: '', reason: 'an enrolment under way, sealed with the old site’s key' },
      totp_enabled_at: { importedAs: null, reason: 'two-factor sign-in is off until set up again on the new site' },
      totp_last_step: { importedAs: null, reason: 'belongs to the secret left behind' },
    },
  },
  { name: 'images', key: ['id'] },
  /** Job title and bio of each author per language (migration 0031, decision 0062). */
  { name: 'author_profiles', key: ['author_id', 'language'] },
  { name: 'articles', key: ['id'] },
  /**
   * "You might also enjoy" is derived, but computed story by story as the newsroom worked, with the
   * recency of each moment: computing every list afresh gives other lists than readers saw, so the
   * lists themselves move (decision 0050).
   */
  { name: 'related_articles', key: ['article_id', 'related_id'] },
  { name: 'article_authors', key: ['article_id', 'author_id'] },
  { name: 'article_tags', key: ['article_id', 'tag_id'] },
  { name: 'article_images', key: ['article_id', 'role', 'position'] },
  { name: 'article_revisions', key: ['article_id', 'revision'] },
  { name: 'article_slug_history', key: ['language', 'slug'] },
  { name: 'article_machine_translations', key: ['article_id'] },
  // The review loop (issue 14): where each story's review stands, and its history with the notes.
  { name: 'article_review_steps', key: ['article_id', 'seq'] },
  { name: 'article_reviews', key: ['article_id'] },
  // Corrections and clarifications (decision 0056): part of what the site has told its readers.
  { name: 'corrections', key: ['id'] },
  { name: 'wire_sources', key: ['id'] },
  { name: 'wire_items', key: ['id'] },
  // Imports (issue 13): what each source's things became, so an import can be run again on the new
  // site and update rather than duplicate; the runs and their reports; old addresses that redirect.
  { name: 'imports', key: ['id'] },
  { name: 'import_ledger', key: ['system', 'kind', 'source_id'] },
  { name: 'redirects', key: ['path'] },
  // Issue 14: the settings staff chose in the admin and the static pages (decisions 0058, 0059).
  { name: 'site_settings', key: ['section'] },
  { name: 'static_pages', key: ['id'] },
  // The front page as staff curated it (issue 14, decision 0060): what readers see on the home,
  // section pages and in the banner, so a moved site shows the same pages.
  { name: 'front_page_picks', key: ['language', 'slot', 'position'] },
  { name: 'section_leads', key: ['section_id'] },
  { name: 'breaking_banners', key: ['language'] },
  { name: 'newsletter_lists', key: ['id'] },
  { name: 'newsletter_wordings', key: ['version'] },
  { name: 'newsletter_signups', key: ['id'] },
  { name: 'newsletter_subscriptions', key: ['subscriber_id', 'list_id'] },
  { name: 'newsletter_consents', key: ['id'] },
  { name: 'newsletter_sends', key: ['id'] },
  { name: 'newsletter_digest_items', key: ['list_id', 'article_id'] },
  { name: 'newsletter_deliveries', key: ['send_id', 'subscriber_id'] },
  { name: 'members', key: ['id'] },
  { name: 'member_subscriptions', key: ['member_id'] },
  { name: 'member_meter_reads', key: ['member_id', 'period', 'article_id'] },
  { name: 'member_audit_log', key: ['id'] },
  /**
   * The staff audit log (decision 0055): the newsroom's own history (who published, who was given
   * which role), written with names rather than references, so it moves whole.
   */
  { name: 'staff_audit_log', key: ['id'] },
  { name: 'payment_records', key: ['id'] },
  { name: 'billing_events', key: ['id'] },
];

/** Kinds of reasons a table is left out; the import rebuilds the `derived` ones. */
export type ExclusionKind = 'derived' | 'secret' | 'transient' | 'schema';

export interface ExcludedTable {
  /** A table name, or a prefix ending in `*` for a family of tables (SQLite FTS5's shadow tables). */
  name: string;
  kind: ExclusionKind;
  reason: string;
}

export const excludedTables: readonly ExcludedTable[] = [
  {
    name: 'article_search',
    kind: 'derived',
    reason: 'the search index: rebuilt from the stories by the import, in its transaction',
  },
  {
    name: 'article_search_fts*',
    kind: 'derived',
    reason: 'SQLite’s full-text index of the search rows (and its shadow tables): rebuilt with them',
  },
  { name: 'search_terms', kind: 'derived', reason: 'term counts of the search index: rebuilt with it' },
  {
    name: 'staff_sessions',
    kind: 'secret',
    reason: 'signed-in devices: a session of the old site must not open the new one; staff sign in again',
  },
  {
    name: 'member_sessions',
    kind: 'secret',
    reason: 'readers’ signed-in devices: members sign in again with an emailed link',
  },
  {
    name: 'staff_setup_tokens',
    kind: 'secret',
    reason: 'one-time setup and invitation links (a day long): ask for new ones on the new site',
  },
  {
    name: 'staff_reset_tokens',
    kind: 'secret',
    reason: 'one-time password reset links (30 minutes): ask for new ones on the new site',
  },
  { name: 'member_signin_links', kind: 'secret', reason: 'one-time sign-in links (15 minutes)' },
  {
    name: 'staff_recovery_codes',
    kind: 'secret',
    reason: 'two-factor recovery codes (hashes): they go with the two-factor secrets, which stay behind',
  },
  {
    name: 'staff_signin_steps',
    kind: 'secret',
    reason: 'sign-ins waiting for their second factor (5 minutes): whoever was signing in signs in again',
  },
  {
    name: 'integrations',
    kind: 'secret',
    reason:
      'API keys of the programs that use the site (a Content API key, an Admin token’s digest): credentials stay with the site they were issued on; add the integrations again on the new site and give each program its new keys',
  },
  {
    name: 'webhooks',
    kind: 'secret',
    reason:
      'each integration’s webhook subscriptions and their signing secrets: they belong to the integrations, which stay with the site they were issued on; subscribe again on the new site',
  },
  {
    name: 'webhook_deliveries',
    kind: 'transient',
    reason: 'the delivery log of those webhooks (kept 30 days): deliveries of the old site, not content',
  },
  {
    name: 'login_failures',
    kind: 'transient',
    reason: 'sign-in backoff counters, which decay within the hour',
  },
  {
    name: 'form_mail_grants',
    kind: 'transient',
    reason: 'rate-limit windows of the mail forms, minutes long',
  },
  {
    name: 'jobs',
    kind: 'transient',
    reason:
      'work in flight, leased by this site’s processes: feed polls are queued again when the new site starts; export when no newsletter is being sent',
  },
  {
    name: 'content_events',
    kind: 'transient',
    reason: 'PostgreSQL’s relay of large change notices between running instances, read within seconds',
  },
  {
    name: 'kiosque_migrations*',
    kind: 'schema',
    reason: 'the schema’s own history: the manifest names it, and the target is migrated before the import',
  },
];

/** Why a table is left out, or null when the list does not name it. */
export function exclusionOf(table: string): ExcludedTable | null {
  return (
    excludedTables.find((entry) =>
      entry.name.endsWith('*') ? table.startsWith(entry.name.slice(0, -1)) : entry.name === table,
    ) ?? null
  );
}

/** Tables of the live database that the export neither writes nor names as left out (the guard's answer). */
export function unaccountedTables(liveTables: readonly string[]): string[] {
  const exported = new Set(exportedTables.map((table) => table.name));
  return liveTables.filter((table) => !exported.has(table) && exclusionOf(table) === null).sort();
}
