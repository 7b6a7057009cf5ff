import { createHash, randomBytes } from 'node:crypto';
import { accessSync, constants, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import pino, { type Logger } from 'pino';
import type { Config } from './config/config.js';
import { createHmacSigner, loadOrCreateSecret } from './crypto/hmac-signer.js';
import { integrationSecrets } from './crypto/integration-secrets.js';
import { createArgon2Hasher, randomSecret } from './crypto/password-hasher.js';
import { createSecretBox } from './crypto/secret-box.js';
import { newRecoveryCode, totpCodes } from './crypto/totp.js';
import { webhookSigning } from './crypto/webhook-signature.js';
import type { DemoImageDrawer } from './demo/demo-images.js';
import { loadDemoContent } from './demo/demo-loader.js';
import { loadDemoWire } from './demo/demo-wire.js';
import { type ArticleService, createArticleService } from './domain/articles/article-service.js';
import { createAuthorProfileEditor } from './domain/articles/author-profile-editor.js';
import { createReadingService } from './domain/articles/reading-service.js';
import { createScheduler, type Scheduler } from './domain/articles/scheduler.js';
import { createStoryEditor } from './domain/articles/story-editor.js';
import { createStoryReview } from './domain/articles/story-review.js';
import { createTaxonomyEditor, type TaxonomyEditor } from './domain/articles/taxonomy-editor.js';
import { type AuditTrail, createAuditTrail } from './domain/audit/audit-trail.js';
import { type Clock, type IdGenerator, systemClock } from './domain/clock.js';
import { type CorrectionDesk, createCorrectionDesk } from './domain/corrections/correction-desk.js';
import { KiosqueError } from './domain/errors.js';
import { createLocalEventBus, type EventBus } from './domain/events.js';
import { createFeedService } from './domain/feeds/feed-service.js';
import { createFrontPageEditor } from './domain/frontpage/front-page-editor.js';
import { type Catalog, createTranslator, type Translator } from './domain/i18n/translator.js';
import { parseGhostExport } from './domain/imports/ghost-export.js';
import { ghostImporter } from './domain/imports/ghost-importer.js';
import { createImportAudience } from './domain/imports/import-audience.js';
import { createImportQueue } from './domain/imports/import-queue.js';
import { createImportService, type Importer, type ImportService } from './domain/imports/import-service.js';
import { wordpressImporter } from './domain/imports/wordpress-importer.js';
import { createIntegrationService, type IntegrationService } from './domain/integrations/integration-service.js';
import { createJobWorker, type JobHandler, type JobWorker } from './domain/jobs/job-worker.js';
import { createFormMailLimiter, type FormMailLimiter } from './domain/limits/form-mail-limiter.js';
import { createMediaLibrary } from './domain/media/media-library.js';
import { createMemberService, type Mailer } from './domain/members/member-service.js';
import { signupWording } from './domain/newsletter/consent-wording.js';
import type { ConsentWording, NewsletterList, NewsletterSend } from './domain/newsletter/newsletter.js';
import { createNewsletterSender, type MailTransport } from './domain/newsletter/newsletter-sender.js';
import { createNewsletterService, type NewsletterService } from './domain/newsletter/newsletter-service.js';
import { createStaticPages } from './domain/pages/static-pages.js';
import { type CheckoutGateway, createBillingService } from './domain/paywall/billing-service.js';
import { createPaywallService } from './domain/paywall/paywall-service.js';
import { createRelatedService, type RelatedService } from './domain/related/related-service.js';
import { createSearchCache, type SearchCache, searchLanguagesChangedBy } from './domain/search/search-cache.js';
import {
  createSearchService,
  type FoundPage,
  readerSearchCache,
  type SearchService,
} from './domain/search/search-service.js';
import { createSiteSettings, defaultSettings, type SiteSettings, siteNameIn } from './domain/settings/site-settings.js';
import { createSitemapService } from './domain/sitemaps/sitemap-service.js';
import { createPasswordReset } from './domain/staff/password-reset.js';
import { createStaffMail } from './domain/staff/staff-mail.js';
import { createStaffService, type StaffService } from './domain/staff/staff-service.js';
import { createTwoFactor } from './domain/staff/two-factor.js';
import { createMachineTranslation, type MachineTranslation } from './domain/translations/machine-translation.js';
import type { TranslationProvider } from './domain/translations/translation-provider.js';
import { createWebhookAnnouncer, type WebhookAnnouncer } from './domain/webhooks/webhook-announcer.js';
import { createWebhookService, type WebhookService } from './domain/webhooks/webhook-service.js';
import { createWireDesk, type WireDesk, type WireImages, type WireTranslator } from './domain/wire/wire-desk.js';
import { contentHash } from './domain/wire/wire-identity.js';
import { blocksToMarkdown } from './domain/wire/wire-markdown.js';
import { htmlToRichBlocks, htmlToText } from './ingest/html-blocks.js';
import { extractArticle } from './ingest/html-extractor.js';
import { createImportImages, uploadsFolders } from './ingest/import-media.js';
import { createLeadImageImporter } from './ingest/lead-image.js';
import { fetchSafely, postSafely } from './ingest/safe-fetch.js';
import { createWireFolderWatcher, type WireFolderWatcher } from './ingest/wire-folder.js';
import { parseWireDocument } from './ingest/wire-formats.js';
import { parseWxr } from './ingest/wxr.js';
import { createEmailComposer } from './mail/email-composer.js';
import { createOutboxTransport } from './mail/outbox-transport.js';
import { createSmtpTransport } from './mail/smtp-transport.js';
import { createImageInspector } from './media/image-inspector.js';
import { createImageVariants } from './media/image-variants.js';
import { createDiskMediaStore } from './media/media-store.js';
import { publisherLogo } from './media/publisher-logo.js';
import { createVariantJobs } from './media/variant-jobs.js';
import { createStripeWebhookReader } from './payments/stripe-events.js';
import { createArticleRepository } from './storage/article-repository.js';
import { createAuditRepository } from './storage/audit-repository.js';
import {
  createBillingEventRepository,
  createBillingRepository,
  createMeterRepository,
} from './storage/billing-repository.js';
import { createCorrectionRepository } from './storage/correction-repository.js';
import { type DatabaseHandle, openDatabase } from './storage/database.js';
import { createFrontPageRepository } from './storage/front-page-repository.js';
import { createImageRepository } from './storage/image-repository.js';
import { createImportLedger, createImportRunStore, createRedirectStore } from './storage/import-repository.js';
import { createIntegrationRepository } from './storage/integration-repository.js';
import { createMachineTranslationRepository } from './storage/machine-translation-repository.js';
import { createMailGrantRepository } from './storage/mail-grant-repository.js';
import {
  createMemberAuditLog,
  createMemberNewsletterDirectory,
  createMemberRepository,
  createMemberSessionRepository,
  createSignInLinkRepository,
} from './storage/member-repository.js';
import { migrateToLatest } from './storage/migrator.js';
import { createNewsletterRepository } from './storage/newsletter-repository.js';
import { createNewsroomRepository } from './storage/newsroom-repository.js';
import type { PostgresEventBus } from './storage/postgres/postgres-event-bus.js';
import { createRelatedRepository } from './storage/related-repository.js';
import { createReviewRepository } from './storage/review-repository.js';
import { createSearchIndex } from './storage/search-index.js';
import { createSettingsRepository } from './storage/settings-repository.js';
import { createSimilarityIndex } from './storage/similarity-index.js';
import { exportSite } from './storage/site-export.js';
import { createSitemapRepository } from './storage/sitemap-repository.js';
import { createSqlJobQueue } from './storage/sql-job-queue.js';
import {
  createLoginFailureRepository,
  createResetTokenRepository,
  createSessionRepository,
  createSetupTokenRepository,
  createSigninStepRepository,
  createStaffRepository,
  createTwoFactorRepository,
} from './storage/staff-repository.js';
import { createStaticPageRepository } from './storage/static-page-repository.js';
import {
  createAuthorProfileStore,
  createTaxonomyRepository,
  createTaxonomyStore,
} from './storage/taxonomy-repository.js';
import { createOutdatedTranslations, createWebhookRepository } from './storage/webhook-repository.js';
import { createWireRepository, type WireRepository } from './storage/wire-repository.js';
import { translationProviderFrom } from './translation/provider-from-config.js';
import { dependenciesChangedBy } from './web/cache-invalidation.js';
import { createNinjsDocuments } from './web/ninjs-documents.js';
import { createPageCache, type PageCache } from './web/page-cache.js';
import type { AudienceDependencies } from './web/routes/member-routes.js';
import { createServer } from './web/server.js';
import { loadStaticAssets, staticAsset } from './web/static-assets.js';
import { variantWidths } from './web/views/components.js';
import { feedItemId } from './web/views/feed-formats.js';
import { paths } from './web/views/site-context.js';

const catalogFolder = new URL('../src/domain/i18n/catalogs/', import.meta.url);
const assetFolder = new URL('../src/web/assets/', import.meta.url);

/** The data folder cannot hold the database and media. */
export class DataDirError extends Error {
  override name = 'DataDirError';
}

export interface App {
  server: FastifyInstance;
  database: DatabaseHandle;
  /** Names this process among the instances sharing a database (its listening connection on PostgreSQL is `kiosque-events:<id>`). */
  instanceId: string;
  events: EventBus;
  pageCache: PageCache;
  /** The newsroom's writes (the admin builds on them). */
  articles: ArticleService;
  /** Renames sections, tags and authors, announcing it so every page naming them is dropped. */
  taxonomy: TaxonomyEditor;
  staff: StaffService;
  /** Publishes scheduled stories on time; `kiosque serve` starts it, `close()` stops it. */
  scheduler: Scheduler;
  /** Full-text search (the reading site's and the newsroom's story list). */
  search: SearchService;
  /** Readers' search results kept until their language's public stories change (`clear()` for benchmarks). */
  searchCache: SearchCache<FoundPage>;
  /** Stored related lists; `refresh()` brings them up to date and resolves when done. */
  related: RelatedService;
  /** Background variant work after uploads; `idle()` resolves when none is left. */
  mediaJobs: { idle(): Promise<void> };
  /** Signups, consent, lists and "send to newsletter". */
  newsletter: NewsletterService;
  /** The durable job worker (newsletter sends); `kiosque serve` starts it, `close()` stops it. */
  jobs: JobWorker;
  /** The wire desk: sources, polls, the queue, "Use as draft". */
  wire: WireDesk;
  /** The watched folder (KIOSQUE_WIRE_FOLDER), null when off; `kiosque serve` starts it. */
  wireFolder: WireFolderWatcher | null;
  /**
   * Machine translation with the configured provider and its fidelity gate (`translateStory`,
   * `translateBlocks`), and each article's machine-translation status (`recordDraft`, `status`).
   */
  machineTranslation: MachineTranslation;
  /** Corrections and clarifications (decision 0056). */
  corrections: CorrectionDesk;
  /** Programs that use the Content and Admin APIs, and their keys (issue 13). */
  integrations: IntegrationService;
  /** Outgoing webhooks: subscriptions, deliveries (jobs of `jobs`), the delivery log (issue 13). */
  webhooks: WebhookService;
  /** Turns this instance's changes into webhook deliveries; `idle()` resolves when none is being queued. */
  webhookAnnouncer: WebhookAnnouncer;
  /** Imports from other systems (issue 13): runs, the ledger, old addresses; see `domain/imports/README.md`. */
  imports: ImportService;
  /**
   * Each source system's importer for `imports.execute`: reads and checks the file at once (a
   * refused file throws its `KiosqueError` before anything is written).
   */
  importers: Importers;
  close(): Promise<void>;
}

/** Options every importer takes; `mediaFrom` is a local copy of the old site's images folder. */
export interface ImporterOptions {
  mediaFrom?: string | null;
  /** Ghost: the old site's address, for images written as `__GHOST_URL__/content/images/…`. */
  ghostUrl?: string | null;
}

export interface Importers {
  wordpress(bytes: Uint8Array, options?: ImporterOptions): Importer;
  ghost(bytes: Uint8Array, options?: ImporterOptions): Importer;
}

export interface AppOptions {
  config: Config;
  logger?: Logger;
  clock?: Clock;
  ids?: IdGenerator;
  /**
   * Stands in for Stripe's API (checkout, portal, cancellation) when Stripe is configured. Only
   * tests pass one: Stripe's servers cannot run here. Webhook verification stays the real library's.
   */
  checkoutGateway?: CheckoutGateway;
  /** URLs per sitemap file (50,000, the protocol's limit, unless a test needs a split on a small site). */
  sitemapUrlLimit?: number;
  /**
   * Machine translation in place of the one the settings name (KIOSQUE_TRANSLATION_PROVIDER):
   * tests pass a provider that loses or merges paragraphs, to show the fidelity gate catches it.
   */
  translationProvider?: TranslationProvider;
  /** Draws the demo's pictures (tests pass one that reads those drawn once per run). */
  demoImages?: DemoImageDrawer;
}

/** Ids sort by creation time (base-36 milliseconds) and carry 64 random bits. */
export const randomIds: IdGenerator = (prefix) =>
  `${prefix}_${Date.now().toString(36).padStart(9, '0')}${randomBytes(8).toString('hex')}`;

/** Reads every catalog file: adding a language is adding `catalogs/<tag>.json` and listing it in config. */
export function loadCatalogs(folder: URL = catalogFolder): Map<string, Catalog> {
  const catalogs = new Map<string, Catalog>();
  for (const file of readdirSync(folder).filter((name) => name.endsWith('.json'))) {
    catalogs.set(file.slice(0, -'.json'.length), JSON.parse(readFileSync(new URL(file, folder), 'utf8')) as Catalog);
  }
  return catalogs;
}

function ensureWritableDataDir(dataDir: string): void {
  try {
    mkdirSync(path.join(dataDir, 'media'), { recursive: true });
    accessSync(dataDir, constants.W_OK);
  } catch (error) {
    throw new DataDirError(
      `The data folder ${dataDir} is not writable (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}). Set KIOSQUE_DATA_DIR to a folder Kiosque may write to.`,
    );
  }
}

/** Staff accounts over the given database (the server and `kiosque user` both use it). */
/** Integrations and their keys: the app's, and `kiosque integration` on the same database. */
export function buildIntegrationService(
  database: DatabaseHandle,
  clock: Clock = systemClock,
  ids: IdGenerator = randomIds,
) {
  return createIntegrationService({
    store: createIntegrationRepository(database.db),
    secrets: integrationSecrets,
    clock,
    ids,
  });
}

export function buildStaffService(
  database: DatabaseHandle,
  config: Config,
  clock: Clock = systemClock,
  ids: IdGenerator = randomIds,
  /** The server's: two-factor sign-in, the audit log, account emails (the command line has none). */
  extras: Pick<Parameters<typeof createStaffService>[0], 'secondFactor' | 'audit' | 'notices'> = {},
) {
  const sessions = createSessionRepository(database.db);
  return createStaffService({
    ...extras,
    staff: createStaffRepository(database.db, ids),
    sessions,
    sessionDirectory: sessions,
    signinSteps: createSigninStepRepository(database.db),
    setupTokens: createSetupTokenRepository(database.db),
    failures: createLoginFailureRepository(database.db),
    resetTokens: createResetTokenRepository(database.db),
    hasher: createArgon2Hasher(),
    clock,
    ids,
    secret: randomSecret,
    languages: config.languages,
  });
}

/** The composition root: config → adapters → services → web. */
export async function createApp(options: AppOptions): Promise<App> {
  // The site's languages are a setting (decision 0058): one array, reordered in place when staff
  // change it, so every service handed it reads the current list. KIOSQUE_LANGUAGES names the
  // languages the site may offer.
  const installedLanguages = [...options.config.languages];
  const config: Config = { ...options.config, languages: [...options.config.languages] };
  // Read by the translators' date formats at each use; set once the settings are loaded.
  let siteSettings: SiteSettings | null = null;
  const logger = options.logger ?? pino({ level: config.logLevel });
  const clock = options.clock ?? systemClock;
  const ids = options.ids ?? randomIds;

  const catalogs = loadCatalogs();
  const translators = new Map<string, Translator>();
  for (const language of config.languages) {
    const catalog = catalogs.get(language);
    if (!catalog)
      throw new Error(`No message catalog for "${language}": add src/domain/i18n/catalogs/${language}.json.`);
    translators.set(
      language,
      createTranslator(language, catalog, () => siteSettings?.current().timeZone.zone ?? config.timeZone),
    );
  }

  ensureWritableDataDir(config.dataDir);
  const database = await openDatabase(config.database);
  let broadcast: PostgresEventBus | null = null;
  try {
    const { applied } = await migrateToLatest(database.db, database.dialect);
    if (applied.length > 0) logger.info({ applied }, 'database migrated');

    const articles = createArticleRepository(database.db);
    const taxonomy = createTaxonomyRepository(database.db, ids);
    const images = createImageRepository(database.db);
    const store = createDiskMediaStore(path.join(config.dataDir, 'media'));

    // The demo's wire desk is filled when its stories are (below, once the desk exists).
    const demoLoaded = config.demoContent
      ? await loadDemoContent({ articles, taxonomy, images, store, clock, ids, logger, draw: options.demoImages })
      : 0;

    const pageCache = createPageCache({ maxBytes: config.pageCacheBytes, now: () => clock.now().getTime() });
    const searchCache = createSearchCache(clock, readerSearchCache);
    const instanceId = ids('instance');
    // Instances sharing a PostgreSQL database hear each other's changes; SQLite is one process.
    if (config.database.kind === 'postgres') {
      const { connectPostgresEventBus } = await import('./storage/postgres/postgres-event-bus.js');
      broadcast = await connectPostgresEventBus({
        url: config.database.url,
        db: database.db,
        instanceId,
        // While other instances cannot be heard, no page is kept; back to an empty cache after (decision 0009).
        hearing: {
          lost: () => {
            pageCache.suspend();
            searchCache.suspend();
          },
          resumed: () => {
            pageCache.resume();
            searchCache.resume();
          },
        },
        logger,
      });
    }
    const events: EventBus = broadcast ?? createLocalEventBus();
    const staticPageStore = createStaticPageRepository(database.db);
    const settings = createSiteSettings({
      store: createSettingsRepository(database.db),
      events,
      clock,
      context: {
        installedLanguages,
        defaultLanguage: config.defaultLanguage,
        imageExists: async (id) => (await images.find(id)) !== null,
        pageGroupExists: async (group) => (await staticPageStore.inGroup(group)).length > 0,
      },
      defaults: defaultSettings({
        siteName: config.siteName,
        languages: config.languages,
        timeZone: config.timeZone,
        followLinks: config.followLinks,
        mailFrom: config.mail.from,
        prices: config.subscriptions.prices,
        freeStories: config.subscriptions.freeStories,
      }),
    });
    await settings.load();
    siteSettings = settings;
    // An instance offers only the languages it has catalogs for: a setting saved by an instance
    // started with more (KIOSQUE_LANGUAGES differs between them) cannot make this one fail.
    const followLanguages = () => {
      const offered = settings.current().languages.enabled.filter((language) => translators.has(language));
      config.languages.splice(0, config.languages.length, ...(offered.length > 0 ? offered : installedLanguages));
    };
    followLanguages();
    events.subscribe((event) => {
      // The new values first, so a page rendered after its drop shows them (on every instance).
      if (event.type === 'settings.changed') {
        settings.apply(event);
        if (event.section === 'languages') followLanguages();
      }
      pageCache.invalidate(dependenciesChangedBy(event));
      for (const language of searchLanguagesChangedBy(event)) searchCache.invalidate(language);
    });

    const relatedLists = createRelatedRepository(database.db);
    const related = createRelatedService({
      index: createSimilarityIndex(database.db),
      lists: relatedLists,
      queue: relatedLists,
      // Recomputed by the instance that made the change (each list once), announced to all.
      events: broadcast?.own ?? events,
      clock,
      onError: (error, articleId) => logger.error({ err: error, articleId }, 'could not update related articles'),
    });
    // Lists left due by the demo, a migration or a stopped process are computed in the background.
    void related.refresh();
    const search = createSearchService({
      index: createSearchIndex(database.db),
      cache: searchCache,
      summaries: {
        // A reader searches one language: its hits are all of it.
        summaries: async (language, ids, now) =>
          (await articles.listPublished({ language, ids, limit: ids.length, withTotal: false }, now)).items,
      },
      // Readers filter by the sections they can see: those holding a public story (issue 11).
      sections: {
        findSection: taxonomy.findSection,
        listSections: (language) => taxonomy.listPublicSections(language, clock.now()),
      },
      clock,
    });

    // The staff audit log (decision 0055). A trace that cannot be written is logged, never a reason
    // to report a done action (a story published, a password changed) as failed.
    const auditLog = createAuditRepository(database.db);
    const auditWriter = createAuditTrail({ store: auditLog, clock, ids });
    const audit: AuditTrail = {
      async record(entry) {
        try {
          await auditWriter.record(entry);
        } catch (error) {
          logger.error({ err: error, action: entry.action }, 'audit log entry not written');
        }
      },
    };
    const staff = buildStaffService(database, config, clock, ids, {
      audit,
      secondFactor: { check: (userId, code) => twoFactor.check(userId, code) },
      notices: {
        async passwordChanged(user) {
          try {
            await staffMail.passwordChanged(user);
          } catch (error) {
            logger.error({ err: error }, 'password change notice not sent');
          }
        },
      },
    });
    const twoFactorRepository = createTwoFactorRepository(database.db);
    // Two-factor secrets are sealed with a key of their own, derived from the site's secret (decision 0054).
    const twoFactor = createTwoFactor({
      store: twoFactorRepository,
      uses: twoFactorRepository,
      totp: totpCodes,
      box: createSecretBox(loadOrCreateSecret(config.dataDir, config.secret), 'staff-totp'),
      clock,
      recoveryCode: newRecoveryCode,
      confirmPassword: (user, password, ip) => staff.confirmPassword(user, password, ip),
      audit,
      issuer: config.siteName,
    });
    // One limiter for every form that makes the site send mail, its windows in the database (decision 0024).
    const formMail = createFormMailLimiter({
      store: createMailGrantRepository(database.db),
      clock,
      caps: config.mail.formCaps,
    });

    const variants = createImageVariants(store, variantWidths);
    const mediaJobs = createVariantJobs({ variants, widths: variantWidths, records: images, logger });
    const media = createMediaLibrary({
      records: {
        insert: images.insert,
        find: images.findInLibrary,
        list: images.list,
        updateDetails: images.updateDetails,
      },
      store,
      inspector: createImageInspector(),
      variants: mediaJobs,
      clock,
      ids,
      maxBytes: config.maxUploadBytes,
    });
    // Variants an earlier process did not finish (it stopped while AVIF was encoding) are made now.
    const resumed = images
      .awaitingVariants()
      .then((pending) => {
        for (const { source, missing } of pending) mediaJobs.schedule(source, missing);
      })
      .catch((error) => logger.error({ err: error }, 'could not resume image variants'));

    const articleService = createArticleService({ store: articles, events, clock, ids });
    const integrations = buildIntegrationService(database, clock, ids);
    const redirects = createRedirectStore(database.db);
    const imports = createImportService({
      ledger: createImportLedger(database.db),
      runs: createImportRunStore(database.db),
      redirects,
      clock,
      ids,
    });
    const importNewsletters = createNewsletterRepository(database.db);
    const importMembers = createMemberRepository(database.db);
    const importers: Importers = {
      wordpress(bytes, importOptions = {}) {
        return wordpressImporter(parseWxr(bytes), {
          articles: articleService,
          taxonomy,
          images: createImportImages({
            uploadsFolder: uploadsFolders.wordpress,
            media,
            allowedHosts: config.wire.allowHosts,
            mediaFrom: importOptions.mediaFrom ?? null,
          }),
          bodies: { blocks: (html, baseUrl) => htmlToRichBlocks(html, { baseUrl }), text: htmlToText },
          languages: config.languages,
          defaultLanguage: config.defaultLanguage,
          clock,
        });
      },
      ghost(bytes, importOptions = {}) {
        return ghostImporter(parseGhostExport(bytes), {
          articles: articleService,
          taxonomy,
          images: createImportImages({
            uploadsFolder: uploadsFolders.ghost,
            media,
            allowedHosts: config.wire.allowHosts,
            mediaFrom: importOptions.mediaFrom ?? null,
          }),
          bodies: { blocks: (html, baseUrl) => htmlToRichBlocks(html, { baseUrl }), text: htmlToText },
          audience: createImportAudience({
            members: importMembers,
            directory: importMembers,
            audit: createMemberAuditLog(database.db, ids),
            ...importNewsletters,
            ids,
            clock,
          }),
          languages: config.languages,
          defaultLanguage: config.defaultLanguage,
          ghostUrl: importOptions.ghostUrl ?? null,
          clock,
        });
      },
    };
    // Machine translation (decisions 0038, 0039): the provider the settings name, the statuses in the database.
    const machineTranslations = createMachineTranslationRepository(database.db);
    const machineTranslation = createMachineTranslation({
      provider: options.translationProvider ?? translationProviderFrom(config.translation),
      store: machineTranslations,
      clock,
    });
    const taxonomyStore = createTaxonomyStore(database.db, clock);
    const taxonomyEditor = createTaxonomyEditor({ store: taxonomyStore, events, languages: config.languages });
    const authorProfileStore = createAuthorProfileStore(database.db);
    const taxonomyScreens = {
      editor: taxonomyEditor,
      taxa: taxonomyStore,
      authors: authorProfileStore,
      profiles: createAuthorProfileEditor({ store: authorProfileStore, events, languages: config.languages }),
    };
    const wireRepository = createWireRepository(database.db, ids);
    // The review loop's steps (issue 14): the editor records the automatic ones, the review the rest.
    const reviews = createReviewRepository(database.db);
    const editor = createStoryEditor({
      reviews,
      articles: articleService,
      records: articles,
      library: createNewsroomRepository(database.db),
      events,
      languages: config.languages,
      secret: randomSecret,
      ids,
      clock,
      audit,
      machine: machineTranslation,
      // A translation made at the wire desk is held to the item it was made from (decision 0039).
      async wireWords(wireItemId) {
        const item = await wireRepository.queue.find(wireItemId);
        if (!item) return null;
        return { bodyMarkdown: blocksToMarkdown(item.body), language: (item.language ?? '').split('-')[0] ?? '' };
      },
    });
    // Corrections and clarifications (issue 14, decision 0056): through the editor's one door.
    const corrections = createCorrectionRepository(database.db);
    const correctionDesk = createCorrectionDesk({
      editor,
      articles: articleService,
      store: corrections,
      group: articles,
      machine: machineTranslation,
      clock,
      ids,
    });
    // The schedule is each article's stored scheduled_at, so a restart or a second instance loses
    // nothing and publishes nothing twice (see scheduler.ts). Started by `kiosque serve`.
    const scheduler = createScheduler({
      due: articles,
      articles: articleService,
      clock,
      log: logger,
      intervalMs: config.schedulerIntervalMs,
    });

    // The wire desk (issue 12): its feed polls are jobs of the same durable queue as newsletters.
    let nudgeJobs = () => {};
    const wire = buildWireDesk({
      config,
      repository: wireRepository,
      database,
      articles,
      articleService,
      // "Translate into…" goes through the same provider and fidelity gate as the editor's.
      translator: machineTranslation.provider ? machineTranslation : null,
      // The lead image goes through the media upload's checks, fetched like any wire address.
      images: createLeadImageImporter({ media, allowedHosts: config.wire.allowHosts, log: logger }),
      clock,
      ids,
      logger,
      onQueued: () => nudgeJobs(),
    });
    const staticPages = createStaticPages({
      store: staticPageStore,
      events,
      clock,
      ids,
      languages: () => config.languages,
    });
    // Read at each use: staff change these in Admin → Settings (decision 0058).
    const site = {
      get name() {
        return siteNameIn(settings.current(), config.defaultLanguage, config.defaultLanguage);
      },
      publicUrl: config.publicUrl,
      languages: config.languages,
      defaultLanguage: config.defaultLanguage,
      get followLinks() {
        return settings.current().social.links;
      },
    };
    const frontPageStore = createFrontPageRepository(database.db);
    const reading = createReadingService({
      articles,
      taxonomy,
      related: relatedLists,
      frontPage: frontPageStore,
      clock,
    });
    // Front-page curation (issue 14, decision 0060): announced on every instance, like content changes.
    const frontPage = createFrontPageEditor({
      store: frontPageStore,
      banners: frontPageStore,
      stories: frontPageStore,
      sections: taxonomy,
      articles,
      events,
      clock,
    });
    const hooks = buildWebhooks({
      config,
      database,
      integrations,
      documents: createNinjsDocuments({ site, reading, machineTranslations, corrections, translators, clock }),
      clock,
      ids,
      logger,
      onQueued: () => nudgeJobs(),
    });
    // Webhooks are queued by the instance that made the change (each delivery once, by key).
    (broadcast?.own ?? events).subscribe((event) => {
      if (event.type === 'article.changed') hooks.announcer.articleChanged(event);
    });
    // Imports started from the admin (issue 13): the file kept in the data folder, a durable job.
    const importFolder = path.join(config.dataDir, 'imports');
    const importQueue = createImportQueue({
      imports,
      importers: { wordpress: (bytes) => importers.wordpress(bytes) },
      files: {
        async put(runId, bytes) {
          await mkdir(importFolder, { recursive: true });
          await writeFile(path.join(importFolder, `${runId}.upload`), bytes);
        },
        get: (runId) => readFile(path.join(importFolder, `${runId}.upload`)).catch(() => null),
      },
      jobs: createSqlJobQueue(database.db, database.dialect, ids),
      clock,
      onQueued: () => nudgeJobs(),
    });
    const newsletters = await buildNewsletters({
      config,
      settings,
      database,
      articles,
      translators,
      formMail,
      clock,
      ids,
      logger,
      handlers: { ...wire.handlers, ...hooks.service.handlers, ...importQueue.handlers },
      onSent: hooks.announcer.newsletterSent,
    });
    await hooks.service.resume();
    nudgeJobs = () => newsletters.worker.nudge();
    await wire.ensurePollJobs();
    if (demoLoaded > 0)
      await loadDemoWire({ desk: wire, sources: createWireRepository(database.db, ids).sources, clock });
    const wireFolder = config.wire.folder
      ? createWireFolderWatcher({
          folder: path.resolve(config.wire.folder),
          desk: wire,
          instanceId,
          intervalMs: config.schedulerIntervalMs,
          log: logger,
        })
      : null;
    // Mail to staff (password reset links, the review loop) through the newsletters' transport.
    const staffMailer = {
      async send(message: { to: string; subject: string; text: string; html: string }) {
        const outcome = await newsletters.transport.send({
          ...message,
          headers: { 'Auto-Submitted': 'auto-generated' },
          messageId: `<${ids('msg')}@${new URL(config.publicUrl).hostname.replace(/^\[|\]$/g, '') || 'localhost'}>`,
        });
        if (outcome.kind !== 'accepted') throw new Error(`staff email not sent: ${JSON.stringify(outcome)}`);
      },
    };
    const passwordReset = createPasswordReset({
      staff: createStaffRepository(database.db, ids),
      tokens: createResetTokenRepository(database.db),
      sessions: createSessionRepository(database.db),
      failures: createLoginFailureRepository(database.db),
      hasher: createArgon2Hasher(),
      formMail,
      mailer: staffMailer,
      translator: (language) => (translators.get(language) ?? translators.get(config.defaultLanguage)) as Translator,
      site,
      clock,
      secret: randomSecret,
      onMailFailure: (error) => logger.error({ err: error }, 'password reset email not sent'),
      audit,
    });
    const staffMail = createStaffMail({
      mailer: staffMailer,
      translator: (language) => (translators.get(language) ?? translators.get(config.defaultLanguage)) as Translator,
      site,
      delivers: Boolean(config.mail.smtpUrl),
    });
    // The review loop (issue 14, decision 0053): its steps go through the editor's door, and its
    // emails reach staff in their own admin language through the same transport.
    const review = createStoryReview({
      door: editor,
      store: reviews,
      people: staff,
      mailer: staffMailer,
      translator: (language) => (translators.get(language) ?? translators.get(config.defaultLanguage)) as Translator,
      site,
      clock,
      onMailFailure: (error, to) => logger.error({ err: error, to }, 'review email not sent'),
    });
    // Stripe's library (~17 MB resident) is loaded only when subscriptions are configured.
    const stripeLibrary = config.subscriptions.stripe ? await import('./payments/stripe-gateway.js') : null;

    const assets = loadStaticAssets(assetFolder, [
      'site.css',
      'site.js',
      'favicon.svg',
      'admin.css',
      'admin.js',
      'admin-editor.js',
      'admin-media.js',
      'admin-editor.css',
    ]);
    // Structured data names the publisher's logo, which search engines want as a raster image.
    assets.set('logo.png', staticAsset('logo.png', await publisherLogo(assets.get('favicon.svg')!.identity)));

    const server = await createServer({
      site,
      translators,
      assets,
      reading,
      machineTranslations,
      corrections,
      search,
      feeds: createFeedService({
        stories: articles,
        taxonomy,
        clock,
        content: config.feedContent,
        languages: config.languages,
      }),
      sitemaps: createSitemapService({
        reader: createSitemapRepository(database.db),
        clock,
        languages: config.languages,
        urlLimit: options.sitemapUrlLimit,
      }),
      newsletter: newsletters.service,
      audience: buildAudience({
        config,
        settings,
        site,
        database,
        translators,
        transport: newsletters.transport,
        formMail,
        gateway: options.checkoutGateway,
        stripeLibrary,
        clock,
        ids,
        logger,
        onMemberChange: hooks.announcer.memberChanged,
      }),
      mailWebhookSecret: config.mail.webhookSecret,
      images,
      variants,
      pageCache,
      redirects,
      admin: {
        staff,
        passwordReset,
        review,
        stories: articles,
        search,
        secret: randomSecret,
        media,
        editor,
        corrections: correctionDesk,
        get timeZone() {
          return settings.current().timeZone.zone;
        },
        taxonomy: taxonomyEditor,
        settings,
        staticPages,
        installedLanguages,
        frontPage,
        taxonomyScreens,
        wire,
        integrations,
        webhooks: hooks.service,
        siteExport: {
          scratchFolder: path.join(config.dataDir, 'exports'),
          writeTo: (folder) => exportSite({ db: database.db, dialect: database.dialect, media: store, clock }, folder),
        },
        imports: importQueue,
        twoFactor,
        audit,
        auditLog,
        staffMail,
      },
      contentApi: {
        stories: articles,
        integrations,
        pages: staticPages,
        get timeZone() {
          return settings.current().timeZone.zone;
        },
      },
      settings,
      staticPages,
      clock,
      logger,
    });

    return {
      server,
      database,
      instanceId,
      events,
      pageCache,
      articles: articleService,
      taxonomy: taxonomyEditor,
      staff,
      scheduler,
      search,
      searchCache,
      related,
      mediaJobs,
      newsletter: newsletters.service,
      jobs: newsletters.worker,
      wire,
      wireFolder,
      machineTranslation,
      corrections: correctionDesk,
      integrations,
      webhooks: hooks.service,
      webhookAnnouncer: hooks.announcer,
      imports,
      importers,
      async close() {
        await wireFolder?.stop();
        await scheduler.stop();
        await hooks.announcer.idle();
        await newsletters.close();
        await server.close();
        related.stop();
        await related.idle();
        await resumed;
        await mediaJobs.close();
        await broadcast?.close();
        await database.close();
      },
    };
  } catch (error) {
    await broadcast?.close();
    await database.close();
    throw error;
  }
}

/**
 * The wire desk: sources and items on the database, feeds fetched through the SSRF-safe fetcher,
 * documents read by the wire parsers and the HTML extractor, drafts made by the article service.
 */
function buildWireDesk(deps: {
  config: Config;
  database: DatabaseHandle;
  articles: ReturnType<typeof createArticleRepository>;
  articleService: ArticleService;
  repository: WireRepository;
  translator: WireTranslator | null;
  images: WireImages;
  clock: Clock;
  ids: IdGenerator;
  logger: Logger;
  onQueued: () => void;
}) {
  const { config, database, clock, ids, logger } = deps;
  return createWireDesk({
    ...deps.repository,
    reader: {
      parse: (bytes, hints) => parseWireDocument(bytes, hints),
      extract: (bytes, hints) => extractArticle(bytes, hints),
    },
    fetcher: {
      async fetch(url, conditions) {
        const answer = await fetchSafely(url, {
          allowedHosts: config.wire.allowHosts,
          etag: conditions?.etag,
          lastModified: conditions?.lastModified,
        });
        if (answer.status === 304) return { status: 304 };
        return { ...answer, status: 200 };
      },
    },
    drafts: { create: deps.articleService.create, findRecord: deps.articles.findRecord },
    translator: deps.translator,
    images: deps.images,
    jobs: createSqlJobQueue(database.db, database.dialect, ids),
    onQueued: deps.onQueued,
    fingerprint: contentHash,
    languages: config.languages,
    clock,
    ids,
    log: logger,
  });
}

/**
 * Newsletters: the service behind the forms and the admin, and the job worker that sends
 * (confirmations, stories, digests) through SMTP_URL or, without it, into the outbox folder.
 */
async function buildNewsletters(deps: {
  config: Config;
  settings: SiteSettings;
  database: DatabaseHandle;
  articles: ReturnType<typeof createArticleRepository>;
  translators: Map<string, Translator>;
  formMail: FormMailLimiter;
  clock: Clock;
  ids: IdGenerator;
  logger: Logger;
  /** Handlers of other durable jobs the worker runs (the wire desk's feed polls, webhook deliveries). */
  handlers: Record<string, JobHandler>;
  /** Told when a send is finished (webhooks). */
  onSent: (send: NewsletterSend, list: NewsletterList) => Promise<void>;
}) {
  const { config, database, articles, translators, formMail, clock, ids, logger } = deps;
  const repository = createNewsletterRepository(database.db);
  const queue = createSqlJobQueue(database.db, database.dialect, ids);
  const signer = createHmacSigner(loadOrCreateSecret(config.dataDir, config.secret));
  const { settings } = deps;
  // The sender is a setting, read for each message (decision 0058).
  const from = () => {
    const { senderName, senderAddress } = settings.current().newsletter;
    return `"${senderName.replace(/["\\\r\n]/g, '')}" <${senderAddress}>`;
  };
  const smtp = config.mail.smtpUrl ? createSmtpTransport({ url: config.mail.smtpUrl, from }) : null;
  const transport: MailTransport =
    smtp ?? createOutboxTransport({ folder: path.join(config.dataDir, 'outbox'), from, logger });
  const linkPaths = {
    confirm: paths.newsletterConfirm,
    unsubscribe: paths.newsletterUnsubscribe,
    data: paths.newsletterData,
  } as const;

  const wordings = new Map<string, ConsentWording>();
  for (const [language, t] of translators) {
    wordings.set(
      language,
      signupWording(t, (text) => createHash('sha256').update(text).digest('hex')),
    );
  }

  let worker: JobWorker | null = null;
  const service = createNewsletterService({
    subscribers: repository.subscribers,
    subscriptions: repository.subscriptions,
    consents: repository.consents,
    lists: repository.lists,
    sends: repository.sends,
    stories: articles,
    queue,
    formMail,
    signer,
    wordings,
    get timeZone() {
      return settings.current().timeZone.zone;
    },
    onQueued: () => worker?.nudge(),
    clock,
    ids,
  });
  await service.ensureDefaultLists(
    new Map(
      config.languages.map((language) => [
        language,
        (translators.get(language) as Translator).t('newsletter.defaultListName', { site: config.siteName }),
      ]),
    ),
  );

  const sender = createNewsletterSender({
    subscribers: repository.subscribers,
    subscriptions: repository.subscriptions,
    lists: repository.lists,
    sends: repository.runs,
    deliveries: repository.deliveries,
    stories: {
      async published(id, now) {
        const record = await articles.findRecord(id);
        return record ? articles.findPublished(record.language, record.slug, now) : null;
      },
    },
    composer: createEmailComposer({
      translators,
      defaultLanguage: config.defaultLanguage,
      get siteName() {
        return siteNameIn(settings.current(), config.defaultLanguage, config.defaultLanguage);
      },
      publicUrl: config.publicUrl,
    }),
    transport,
    links: {
      url: (purpose, language, token) =>
        `${config.publicUrl}${linkPaths[purpose](language)}?token=${encodeURIComponent(token)}`,
    },
    signer,
    queue,
    mailDomain: new URL(config.publicUrl).hostname.replace(/^\[|\]$/g, '') || 'localhost',
    ratePerMinute: config.mail.ratePerMinute,
    onSent: deps.onSent,
    clock,
    ids,
    sleep: (ms, signal) =>
      new Promise<void>((resolve) => {
        const timer = setTimeout(done, ms);
        function done() {
          clearTimeout(timer);
          signal.removeEventListener('abort', done);
          resolve();
        }
        signal.addEventListener('abort', done, { once: true });
      }),
    logger,
  });
  await sender.resumeUnfinished();
  worker = createJobWorker({
    queue,
    handlers: { ...deps.handlers, ...sender.handlers },
    clock,
    workerId: `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`,
    leaseMs: config.jobLeaseMs,
    logger,
  });
  const jobs = worker;
  return {
    service,
    worker: jobs,
    /** Also carries members' sign-in emails. */
    transport,
    async close() {
      await jobs.stop();
      smtp?.close();
    },
  };
}

/**
 * Members, the paywall and subscriptions. Sign-in emails go through the newsletters' transport
 * (SMTP_URL or the outbox folder); Stripe is wired only when all its keys are configured.
 */
function buildAudience(deps: {
  config: Config;
  settings: SiteSettings;
  site: { readonly name: string; publicUrl: string; languages: string[] };
  database: DatabaseHandle;
  translators: Map<string, Translator>;
  transport: MailTransport;
  formMail: FormMailLimiter;
  gateway: CheckoutGateway | undefined;
  stripeLibrary: typeof import('./payments/stripe-gateway.js') | null;
  clock: Clock;
  ids: IdGenerator;
  logger: Logger;
  /** Told of every change to a member, once written to the audit log (webhooks). */
  onMemberChange: (entry: { memberId: string; action: string; at: Date }) => void;
}): AudienceDependencies {
  const { config, database, translators, transport, clock, ids, logger } = deps;
  const { subscriptions } = config;
  const { settings } = deps;
  const paywallSettings = () => settings.current().paywall;
  const zone = () => settings.current().timeZone.zone;
  const members = createMemberRepository(database.db);
  const written = createMemberAuditLog(database.db, ids);
  // Every change to a member is written to the audit log (member service, billing): the one place to hear of them.
  const audit: typeof written = {
    ...written,
    async record(entry) {
      await written.record(entry);
      deps.onMemberChange(entry);
    },
  };
  const meter = createMeterRepository(database.db);
  const billingStore = createBillingRepository(database.db);
  const newsletters = createMemberNewsletterDirectory(database.db);
  const translator = (language: string) =>
    (translators.get(language) ?? translators.get(config.defaultLanguage)) as Translator;
  const mailer: Mailer = {
    async send(message) {
      const outcome = await transport.send({
        ...message,
        headers: {
          'Content-Language': translator(config.defaultLanguage).language,
          'Auto-Submitted': 'auto-generated',
        },
        messageId: `<${ids('msg')}@${new URL(config.publicUrl).hostname.replace(/^\[|\]$/g, '') || 'localhost'}>`,
      });
      if (outcome.kind !== 'accepted') {
        logger.error({ outcome }, 'sign-in email not sent');
        throw new KiosqueError('MEMBER_EMAIL_NOT_SENT');
      }
    },
  };
  const { stripeLibrary } = deps;
  const stripe =
    subscriptions.stripe && stripeLibrary ? stripeLibrary.createStripeClient(subscriptions.stripe.secretKey) : null;
  return {
    members: createMemberService({
      members,
      links: createSignInLinkRepository(database.db),
      sessions: createMemberSessionRepository(database.db),
      audit,
      mailer,
      formMail: deps.formMail,
      newsletters,
      activity: { paymentsOf: billingStore.paymentsOf, readsOf: meter.readsOf },
      directory: members,
      translator,
      site: deps.site,
      clock,
      ids,
      secret: randomSecret,
    }),
    paywall: createPaywallService({
      meter,
      clock,
      get timeZone() {
        return zone();
      },
      allowance: {
        get members() {
          return paywallSettings().freeStoriesMembers;
        },
        get anonymous() {
          return paywallSettings().freeStoriesAnonymous;
        },
      },
    }),
    billing: createBillingService({
      gateway:
        stripe && subscriptions.stripe && stripeLibrary
          ? (deps.gateway ?? stripeLibrary.createStripeGateway(stripe, subscriptions.stripe.priceIds))
          : null,
      events: createBillingEventRepository(database.db),
      subscriptions: billingStore,
      members,
      audit,
      clock,
      ids,
    }),
    newsletters,
    meterReads: meter,
    pricing: {
      currency: subscriptions.currency,
      get monthly() {
        return paywallSettings().monthly;
      },
      get yearly() {
        return paywallSettings().yearly;
      },
      get freeStories() {
        return paywallSettings().freeStoriesMembers;
      },
    },
    get timeZone() {
      return zone();
    },
    secret: randomSecret,
    webhook:
      stripe && subscriptions.stripe
        ? createStripeWebhookReader({
            stripe,
            webhookSecret: subscriptions.stripe.webhookSecret,
            priceIds: subscriptions.stripe.priceIds,
            clock,
          })
        : null,
  };
}

/**
 * Outgoing webhooks (issue 13, decision 0048): subscriptions and the delivery log on the database,
 * deliveries as jobs of the durable queue, POSTed through the SSRF-safe sender with a 10 s
 * deadline; the announcer turns this instance's changes into deliveries.
 */
function buildWebhooks(deps: {
  config: Config;
  database: DatabaseHandle;
  integrations: IntegrationService;
  documents: ReturnType<typeof createNinjsDocuments>;
  clock: Clock;
  ids: IdGenerator;
  logger: Logger;
  onQueued: () => void;
}) {
  const { config, database, clock, ids, logger } = deps;
  const { webhooks, deliveries } = createWebhookRepository(database.db);
  const service = createWebhookService({
    webhooks,
    deliveries,
    queue: createSqlJobQueue(database.db, database.dialect, ids),
    sender: {
      post: (url, body, headers) =>
        postSafely(url, body, { allowedHosts: config.webhooks.allowHosts, headers, timeoutMs: 10_000 }),
    },
    signing: webhookSigning,
    integrations: deps.integrations,
    userAgent: `Kiosque-Webhooks/1 (+${config.publicUrl})`,
    clock,
    ids,
    onQueued: deps.onQueued,
  });
  const announcer = createWebhookAnnouncer({
    webhooks: service,
    documents: {
      uriOf: feedItemId,
      async publicDocument(language, slug) {
        const found = await deps.documents.story(language, slug).catch((error: unknown) => {
          if (error instanceof KiosqueError && error.code === 'ARTICLE_NOT_FOUND') return null;
          throw error;
        });
        return found && 'document' in found ? found.document : null;
      },
    },
    outdatedTranslations: createOutdatedTranslations(database.db),
    members: createMemberRepository(database.db),
    clock,
    onError: (error) => logger.error({ err: error }, 'webhook deliveries not queued'),
  });
  return { service, announcer };
}
