import type { ColumnType, Generated } from 'kysely';

/**
 * Times are written as ISO-8601 UTC strings on both databases. SQLite keeps them as text (which
 * sorts correctly); PostgreSQL keeps `timestamptz` and hands back Date objects. Mappers accept both.
 */
export type Timestamp = ColumnType<string | Date, string, string>;
export type NullableTimestamp = ColumnType<string | Date | null, string | null, string | null>;

export interface AuthorsTable {
  id: string;
  slug: string;
  name: string;
  /** Not read since migration 0031: bios are per language in `author_profiles`. */
  bio: string;
  created_at: Timestamp;
  /** The photo, an image of the media library (migration 0031). */
  image_id: Generated<string | null>;
  /** A JSON array of https/http URLs (migration 0031). */
  links: Generated<string>;
}

/** What an author is called and what is said of them, in one language (migration 0031). */
export interface AuthorProfilesTable {
  author_id: string;
  language: string;
  job_title: string;
  bio: string;
}

export interface TaxaTable {
  id: string;
  language: string;
  slug: string;
  name: string;
  /** Shown under the listing's title and as its meta description (migration 0031). */
  description: Generated<string>;
}

/** Sections also have a place in their language's menu (migration 0031). */
export interface SectionsTable extends TaxaTable {
  position: Generated<number>;
}

export interface ImagesTable {
  id: string;
  original_key: string;
  mime: string;
  width: number;
  height: number;
  bytes: number;
  alt: string;
  caption: string;
  credit: string;
  created_at: Timestamp;
  /** Added by 0005: uploads' file name, uploader, formats made for every width, folded search text. */
  file_name: ColumnType<string, string | undefined, string>;
  uploaded_by: ColumnType<string | null, string | null | undefined, string | null>;
  variant_formats: ColumnType<string, string | undefined, string>;
  search_text: ColumnType<string, string | undefined, string>;
}

export interface ArticlesTable {
  id: string;
  translation_group: string;
  language: string;
  slug: string;
  headline: string;
  standfirst: string;
  body_markdown: string;
  body_html: string;
  status: string;
  access: string;
  section_id: string | null;
  source_name: string | null;
  source_url: string | null;
  seo_title: string | null;
  seo_description: string | null;
  revision: number;
  created_at: Timestamp;
  updated_at: Timestamp;
  published_at: NullableTimestamp;
  scheduled_at: NullableTimestamp;
  deleted_at: NullableTimestamp;
  /** Key of the story's private preview link; null until one is asked for. */
  preview_token: ColumnType<string | null, string | null | undefined, string | null>;
  /** Added by 0012: wire copy (0/1), the revision that last changed the words, the translation's source. */
  syndicated: ColumnType<number, number | undefined, number>;
  text_revision: ColumnType<number, number | undefined, number>;
  translation_source_id: ColumnType<string | null, string | null | undefined, string | null>;
  translation_source_revision: ColumnType<number | null, number | null | undefined, number | null>;
  /** Added by 0016: the revision holding the pending version of a live story; null when none. */
  pending_revision: ColumnType<number | null, number | null | undefined, number | null>;
  /** Added by 0018: the wire copy's dateline and licence note, and the wire item it was made from. */
  dateline: ColumnType<string, string | undefined, string>;
  licence_note: ColumnType<string, string | undefined, string>;
  wire_item_id: ColumnType<string | null, string | null | undefined, string | null>;
  /** Added by 0020: readers see the story on no channel before this time; null: no embargo. */
  embargo_until: ColumnType<string | Date | null, string | null | undefined, string | null>;
  /** Added by 0024: the kind of work (`StoryGenre`), news by default (decision 0051). */
  genre: ColumnType<string, string | undefined, string>;
  /** Added by 0028: when the story was killed (null: it was not), why, and the notice readers get. */
  killed_at: ColumnType<string | Date | null, string | null | undefined, string | null>;
  kill_reason: ColumnType<string | null, string | null | undefined, string | null>;
  kill_notice: ColumnType<string, string | undefined, string>;
  /** Added by 0028: who paid for a sponsored story ("Sponsored by …"); empty otherwise. */
  sponsor: ColumnType<string, string | undefined, string>;
}

export interface ArticleAuthorsTable {
  article_id: string;
  author_id: string;
  position: number;
}

export interface ArticleTagsTable {
  article_id: string;
  tag_id: string;
  position: number;
}

export interface ArticleImagesTable {
  article_id: string;
  image_id: string;
  role: 'hero' | 'gallery';
  position: number;
  alt: string;
  caption: string;
  credit: string;
}

/** One row per address (a subscriber); what they receive is in `newsletter_subscriptions` (0007). */
export interface NewsletterSignupsTable {
  id: string;
  email: string;
  language: string;
  source_path: string;
  created_at: Timestamp;
  updated_at: Timestamp;
  suppressed_at: ColumnType<string | Date | null, string | null | undefined, string | null>;
  suppression_reason: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface NewsletterListsTable {
  id: string;
  language: string;
  name: string;
  is_default: number;
  digest_time: string;
  created_at: Timestamp;
  created_by: string | null;
}

export interface NewsletterSubscriptionsTable {
  subscriber_id: string;
  list_id: string;
  status: string;
  request_id: string;
  requested_at: Timestamp;
  confirmation_queued_at: NullableTimestamp;
  confirmed_at: NullableTimestamp;
  unsubscribed_at: NullableTimestamp;
  updated_at: Timestamp;
}

export interface NewsletterConsentsTable {
  id: string;
  subscriber_id: string;
  list_id: string;
  event: string;
  at: Timestamp;
  source_path: string;
  wording_version: string;
  language: string;
  ip: string;
  user_agent: string;
}

export interface NewsletterWordingsTable {
  version: string;
  language: string;
  text: string;
  created_at: Timestamp;
}

export interface NewsletterSendsTable {
  id: string;
  list_id: string;
  kind: string;
  article_id: string | null;
  /** JSON array of article ids. */
  article_ids: string;
  status: string;
  created_by: string | null;
  created_at: Timestamp;
  started_at: NullableTimestamp;
  finished_at: NullableTimestamp;
}

export interface NewsletterDigestItemsTable {
  list_id: string;
  article_id: string;
  added_at: Timestamp;
  added_by: string | null;
  send_id: string | null;
}

export interface NewsletterDeliveriesTable {
  send_id: string;
  subscriber_id: string;
  status: string;
  attempted_at: Timestamp;
  finished_at: NullableTimestamp;
  response: string;
}

export interface JobsTable {
  id: string;
  kind: string;
  /** JSON. */
  payload: string;
  key: string | null;
  status: string;
  run_at: Timestamp;
  attempts: number;
  locked_by: string | null;
  locked_until: NullableTimestamp;
  last_error: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface ArticleRevisionsTable {
  article_id: string;
  revision: number;
  saved_at: Timestamp;
  saved_by: string | null;
  action: string;
  snapshot: string;
}

export interface ArticleSlugHistoryTable {
  language: string;
  slug: string;
  article_id: string;
  replaced_at: Timestamp;
}

export interface StaffUsersTable {
  id: string;
  email: string;
  name: string;
  password_hash: string;
  role: string;
  language: string;
  author_id: string | null;
  created_at: Timestamp;
  removed_at: NullableTimestamp;
  /** The TOTP secret, sealed with the site's key (decision 0054); '' when two-factor sign-in is off. */
  totp_secret: ColumnType<string, string | undefined, string>;
  /** A secret being enrolled, sealed, until a code confirms it; ''. */
  totp_pending_secret: ColumnType<string, string | undefined, string>;
  totp_enabled_at: ColumnType<string | Date | null, string | null | undefined, string | null>;
  /** The time step of the last code accepted: a code at or before it is a replay. */
  totp_last_step: ColumnType<number | string | null, number | null | undefined, number | null>;
}

export interface StaffRecoveryCodesTable {
  user_id: string;
  code_hash: string;
  used_at: NullableTimestamp;
}

/** Between the password and the second factor: no session exists yet. */
export interface StaffSigninStepsTable {
  token_hash: string;
  user_id: string;
  created_at: Timestamp;
  expires_at: Timestamp;
}

export interface StaffAuditLogTable {
  id: string;
  at: Timestamp;
  actor_id: string | null;
  actor_name: string;
  actor_kind: string;
  action: string;
  subject_id: string | null;
  subject_name: string;
  /** JSON object of the action's parameters (names, roles), as they were. */
  details: string;
}

export interface StaffSessionsTable {
  id_hash: string;
  user_id: string;
  csrf_token: string;
  created_at: Timestamp;
  expires_at: Timestamp;
  ip: string;
  user_agent: string;
  last_used_at: ColumnType<string | Date | null, string | null | undefined, string | null>;
}

export interface StaffSetupTokensTable {
  token_hash: string;
  user_id: string | null;
  created_at: Timestamp;
  expires_at: Timestamp;
  used_at: NullableTimestamp;
}

export interface LoginFailuresTable {
  key: string;
  failed_at: Timestamp;
}

export interface FormMailGrantsTable {
  key: string;
  granted_at: Timestamp;
}

export interface StaffResetTokensTable {
  token_hash: string;
  user_id: string;
  created_at: Timestamp;
  expires_at: Timestamp;
  used_at: NullableTimestamp;
}

/**
 * One search row per article (0011). The terms themselves live in SQLite's FTS5 table
 * `article_search_fts` (keyed by `doc_id`) or PostgreSQL's `document` tsvector column; both are
 * written with raw SQL in `search-index.ts`, so they are not typed here.
 */
export interface ArticleSearchTable {
  article_id: string;
  language: string;
  /** Plain standfirst and body, to cut snippets from. */
  excerpt_source: string;
  /** JSON object term → weighted count, for related-article similarity. */
  term_counts: string;
  /** JSON object term → weight: the story's vector blended with its neighbours' (see similarity.ts). */
  blended_terms: ColumnType<string | null, string | null | undefined, string | null>;
  /** Increases on every write; related lists are recomputed for rows marked stale. */
  revision: ColumnType<number, number | undefined, number>;
  related_stale: ColumnType<number, number | undefined, number>;
}

/** How many indexed articles of a language hold each term (inverse document frequency). */
export interface SearchTermsTable {
  language: string;
  term: string;
  documents: number;
}

/** The stored "You might also enjoy" list of each article. */
export interface RelatedArticlesTable {
  article_id: string;
  related_id: string;
  position: number;
  score: number;
}

/** Readers' accounts (0008); separate from staff. */
export interface MembersTable {
  id: string;
  email: string;
  language: string;
  created_at: Timestamp;
  last_seen_at: NullableTimestamp;
  stripe_customer_id: string | null;
  complimentary: number;
  complimentary_until: NullableTimestamp;
}

export interface MemberSigninLinksTable {
  token_hash: string;
  email: string;
  language: string;
  created_at: Timestamp;
  expires_at: Timestamp;
  used_at: NullableTimestamp;
}

export interface MemberSessionsTable {
  id_hash: string;
  member_id: string;
  csrf_token: string;
  created_at: Timestamp;
  expires_at: Timestamp;
}

export interface MemberSubscriptionsTable {
  member_id: string;
  stripe_subscription_id: string;
  status: string;
  plan: string;
  current_period_end: NullableTimestamp;
  cancel_at_period_end: number;
  last_event_at: Timestamp;
  updated_at: Timestamp;
}

export interface MemberMeterReadsTable {
  member_id: string;
  period: string;
  article_id: string;
  read_at: Timestamp;
}

export interface BillingEventsTable {
  id: string;
  type: string;
  created_at: Timestamp;
  received_at: Timestamp;
  outcome: string;
}

export interface PaymentRecordsTable {
  id: string;
  member_id: string | null;
  holder: string;
  stripe_invoice_id: string;
  amount_minor: number;
  currency: string;
  paid_at: Timestamp;
}

export interface MemberAuditLogTable {
  id: string;
  at: Timestamp;
  member_id: string;
  actor: string;
  action: string;
  /** JSON object. */
  details: string;
}

/**
 * PostgreSQL only: content events too large for a NOTIFY payload, read by the other instances
 * from the id the notification carries (see storage/postgres/postgres-event-bus.ts).
 */
export interface ContentEventsTable {
  id: ColumnType<string, never, never>;
  origin: string;
  /** JSON of the event. */
  payload: string;
  created_at: ColumnType<string | Date, undefined, never>;
}

/** Where wire copy comes from (0018): a polled feed, the watched folder, uploads, pasted URLs. */
export interface WireSourcesTable {
  id: string;
  name: string;
  kind: string;
  feed_url: string | null;
  language: string | null;
  credit_name: string;
  licence_note: string;
  poll_minutes: number;
  enabled: number;
  etag: string | null;
  last_modified: string | null;
  next_poll_at: NullableTimestamp;
  /** The key of the poll job that owns this source; a job with another key stops. */
  poll_key: string | null;
  consecutive_errors: number;
  last_error_code: string | null;
  /** JSON of the values the error's message shows. */
  last_error_values: string | null;
  last_error_at: NullableTimestamp;
  last_success_at: NullableTimestamp;
  created_at: Timestamp;
}

/** A program that reads and writes the site through its APIs (0021). Scopes are JSON text. */
export interface IntegrationsTable {
  id: string;
  name: string;
  content_key: string;
  /** SHA-256 of the Admin API token's secret, hex; the token itself is shown once. */
  admin_secret_digest: string;
  scopes: string;
  /** The staff member who added it; null when added from the command line. */
  created_by: string | null;
  created_at: Timestamp;
  revoked_at: NullableTimestamp;
  last_used_at: NullableTimestamp;
}

/** An outgoing webhook (0022): one event of one integration, sent to one address. */
export interface WebhooksTable {
  id: string;
  integration_id: string;
  event: string;
  target_url: string;
  /** Signs each body (HMAC-SHA256); kept as it is because signing needs it, shown once. */
  secret: string;
  created_by: string | null;
  created_at: Timestamp;
}

/** One event sent (or to be sent) to one webhook (0022). */
export interface WebhookDeliveriesTable {
  id: string;
  webhook_id: string;
  event: string;
  event_key: string;
  body: string;
  status: string;
  attempts: number;
  last_status: number | null;
  /** JSON `{ code, values }` of the last failure (an error code of the catalog). */
  last_error: string | null;
  /** The first 2 KB of the last answer. */
  answer: string | null;
  created_at: Timestamp;
  window_from: Timestamp;
  last_attempt_at: NullableTimestamp;
  next_attempt_at: NullableTimestamp;
  finished_at: NullableTimestamp;
}

/** A correction or clarification appended to a story (0027, decision 0056). */
export interface CorrectionsTable {
  id: string;
  article_id: string;
  language: string;
  kind: string;
  text: string;
  status: string;
  source_correction_id: string | null;
  source_revision: number | null;
  /** 1: a translation's draft still holding its source's words (no provider translated them). */
  needs_translation: number;
  created_by: string | null;
  created_at: Timestamp;
  published_by: string | null;
  published_at: NullableTimestamp;
}

/** One received wire item (0018), its bytes kept as they came. Lists and blocks are JSON text. */
export interface WireItemsTable {
  id: string;
  source_id: string;
  format: string;
  wire_id: string | null;
  version: number;
  original_url: string | null;
  url_key: string | null;
  language: string | null;
  headline: string;
  standfirst: string;
  bylines: string;
  dateline: string;
  published_at: NullableTimestamp;
  embargo_until: NullableTimestamp;
  rights: string;
  topics: string;
  lead_image: string | null;
  body: string;
  received_bytes: Buffer | Uint8Array;
  content_hash: string;
  received_at: Timestamp;
  supersedes_id: string | null;
  article_id: string | null;
  /** Added by 0024: the provider's genre codes as given (JSON array of strings). */
  genres: ColumnType<string, string | undefined, string>;
}

/** Added by 0019: machine-made text, its provider and its review (one row per article). */
export interface ArticleMachineTranslationsTable {
  article_id: string;
  provider: string;
  source_language: string;
  translated_at: Timestamp;
  reviewed_by: string | null;
  reviewer_name: string | null;
  reviewed_at: NullableTimestamp;
}

/** Added by 0025 (issue 14): each step of a story's review, numbered per story (decision 0053). */
export interface ArticleReviewStepsTable {
  article_id: string;
  seq: number;
  kind: string;
  state: string;
  note: string | null;
  actor_id: string | null;
  at: Timestamp;
  revision: number;
}

/** Added by 0025: each reviewed story's current review state (its newest step's). */
export interface ArticleReviewsTable {
  article_id: string;
  state: string;
  seq: number;
}

/** Added by 0023 (issue 13): what each imported thing became, and a hash of what was imported. */
export interface ImportLedgerTable {
  system: string;
  kind: string;
  source_id: string;
  kiosque_id: string;
  hash: string;
  import_id: string | null;
  updated_at: Timestamp;
}

/** Added by 0023: one import run, its progress and its report (JSON). */
export interface ImportsTable {
  id: string;
  system: string;
  file_name: string;
  status: string;
  started_by: string | null;
  done: ColumnType<number | string, number | undefined, number>;
  total: ColumnType<number | string, number | undefined, number>;
  report: string | null;
  error_code: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

/** Added by 0023: an old address (path and query) answered with a 301 to what it now names. */
export interface RedirectsTable {
  path: string;
  target_kind: string;
  target_id: string;
  created_at: Timestamp;
}

export interface Database {
  authors: AuthorsTable;
  sections: SectionsTable;
  author_profiles: AuthorProfilesTable;
  tags: TaxaTable;
  images: ImagesTable;
  articles: ArticlesTable;
  article_authors: ArticleAuthorsTable;
  article_tags: ArticleTagsTable;
  article_images: ArticleImagesTable;
  newsletter_signups: NewsletterSignupsTable;
  newsletter_lists: NewsletterListsTable;
  newsletter_subscriptions: NewsletterSubscriptionsTable;
  newsletter_consents: NewsletterConsentsTable;
  newsletter_wordings: NewsletterWordingsTable;
  newsletter_sends: NewsletterSendsTable;
  newsletter_digest_items: NewsletterDigestItemsTable;
  newsletter_deliveries: NewsletterDeliveriesTable;
  jobs: JobsTable;
  article_revisions: ArticleRevisionsTable;
  article_slug_history: ArticleSlugHistoryTable;
  staff_users: StaffUsersTable;
  staff_sessions: StaffSessionsTable;
  staff_setup_tokens: StaffSetupTokensTable;
  login_failures: LoginFailuresTable;
  form_mail_grants: FormMailGrantsTable;
  staff_reset_tokens: StaffResetTokensTable;
  staff_recovery_codes: StaffRecoveryCodesTable;
  staff_signin_steps: StaffSigninStepsTable;
  staff_audit_log: StaffAuditLogTable;
  article_machine_translations: ArticleMachineTranslationsTable;
  article_review_steps: ArticleReviewStepsTable;
  article_reviews: ArticleReviewsTable;
  members: MembersTable;
  member_signin_links: MemberSigninLinksTable;
  member_sessions: MemberSessionsTable;
  member_subscriptions: MemberSubscriptionsTable;
  member_meter_reads: MemberMeterReadsTable;
  billing_events: BillingEventsTable;
  payment_records: PaymentRecordsTable;
  member_audit_log: MemberAuditLogTable;
  article_search: ArticleSearchTable;
  search_terms: SearchTermsTable;
  related_articles: RelatedArticlesTable;
  content_events: ContentEventsTable;
  wire_sources: WireSourcesTable;
  wire_items: WireItemsTable;
  integrations: IntegrationsTable;
  webhooks: WebhooksTable;
  webhook_deliveries: WebhookDeliveriesTable;
  import_ledger: ImportLedgerTable;
  imports: ImportsTable;
  redirects: RedirectsTable;
  corrections: CorrectionsTable;
  site_settings: SiteSettingsTable;
  static_pages: StaticPagesTable;
  front_page_picks: FrontPagePicksTable;
  section_leads: SectionLeadsTable;
  breaking_banners: BreakingBannersTable;
}

/** One row per settings section, its value a JSON document (decision 0058). */
export interface SiteSettingsTable {
  section: string;
  value: string;
  updated_by: string | null;
  updated_at: string | Date;
}

/** About, Contact, the policies: per language, translations sharing a group (decision 0059). */
export interface StaticPagesTable {
  id: string;
  page_group: string;
  language: string;
  slug: string;
  title: string;
  description: string;
  body_markdown: string;
  body_html: string;
  created_at: string | Date;
  updated_at: string | Date;
}

/** A story staff pinned on a language's home page (0030): the lead, or one of the ordered top stories. */
export interface FrontPagePicksTable {
  language: string;
  slot: 'lead' | 'top';
  position: number;
  article_id: string;
}

/** The story staff pinned at the top of a section's page (0030). */
export interface SectionLeadsTable {
  section_id: string;
  article_id: string;
}

/** A language's breaking-news banner (0030), shown on its reader pages until `expires_at`. */
export interface BreakingBannersTable {
  language: string;
  text: string;
  link: string | null;
  expires_at: Timestamp;
  updated_at: Timestamp;
  updated_by: string | null;
}

export type Dialect = 'sqlite' | 'postgres';

export function toDate(value: string | Date): Date {
  return value instanceof Date ? value : new Date(value);
}

export function toDateOrNull(value: string | Date | null): Date | null {
  return value === null ? null : toDate(value);
}
