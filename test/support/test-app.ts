import { createServer } from 'node:net';
import pino from 'pino';
import { inject } from 'vitest';
import { type App, createApp } from '../../src/app.js';
import { type Config, loadConfig } from '../../src/config/config.js';
import type { Clock } from '../../src/domain/clock.js';
import type { CheckoutGateway } from '../../src/domain/paywall/billing-service.js';
import type { TranslationProvider } from '../../src/domain/translations/translation-provider.js';
import { createTestDatabase, type TestDatabase } from './databases.js';
import { demoImagesFrom } from './demo-images.js';

export interface TestSite {
  app: App;
  database: TestDatabase;
  config: Config;
  /** The site's base URL once `listen` was asked for (browser tests), else the configured public URL. */
  url: string;
  close(): Promise<void>;
}

/**
 * A whole Kiosque on a fresh database of the given kind, with the demo content unless told
 * otherwise. `listen: true` binds a random port on 127.0.0.1 for real HTTP clients and browsers.
 */
export async function startTestSite(
  kind: 'sqlite' | 'postgres',
  options: {
    demo?: boolean;
    listen?: boolean;
    clock?: Clock;
    env?: Record<string, string>;
    /** Stands in for Stripe's API (see test/support/fake-stripe.ts). */
    checkoutGateway?: CheckoutGateway;
    /** URLs per sitemap file, small to see the split on a small site. */
    sitemapUrlLimit?: number;
    /**
     * Another instance of this site: the same database and data folder, as a second process
     * behind a load balancer would have. Its `close()` leaves the database to the first.
     */
    instanceOf?: TestSite;
    /** Machine translation for "Translate into…" (a fake: no such service runs here). */
    translationProvider?: TranslationProvider;
    /** A database made beforehand (one an export was imported into), which the site then owns and drops. */
    database?: TestDatabase;
  } = {},
): Promise<TestSite> {
  const shared = options.instanceOf?.database;
  if (shared && shared.name !== kind) throw new Error(`a ${kind} instance cannot share a ${shared.name} database`);
  const database = shared ?? options.database ?? (await createTestDatabase(kind));
  const env: Record<string, string> = {
    KIOSQUE_DATA_DIR: database.dataDir,
    KIOSQUE_DEMO: options.demo === false ? 'off' : 'on',
    // Suites that translate say with which provider; the demo's built-in one is off by default.
    KIOSQUE_TRANSLATION_PROVIDER: 'none',
    LOG_LEVEL: 'silent',
    // Suites send many sign-in links and signups from one address; the caps themselves are tested
    // in form-mail-caps.test.ts, which sets its own.
    KIOSQUE_FORM_MAIL_PER_CLIENT: '100000/1',
    KIOSQUE_FORM_MAIL_PER_RECIPIENT: '100000/1',
    KIOSQUE_FORM_MAIL_GLOBAL: '100000/1',
    ...(database.config.kind === 'postgres'
      ? { DATABASE_URL: database.config.url }
      : { DATABASE_URL: `sqlite:${database.config.file}` }),
    ...options.env,
  };
  // Absolute links must carry the port the site really listens on, so it is chosen first.
  const port = options.listen ? await freePort() : 3000;
  const config = loadConfig({ ...env, PORT: String(port) });
  const app = await createApp({
    config,
    // KQ_DEBUG=1 prints the errors a site logs (a 500's cause) while a test runs.
    logger: pino({ level: process.env.KQ_DEBUG ? 'error' : 'silent' }),
    clock: options.clock,
    checkoutGateway: options.checkoutGateway,
    sitemapUrlLimit: options.sitemapUrlLimit,
    translationProvider: options.translationProvider,
    demoImages: demoImagesFrom(inject('demoImagesDir')),
  });
  // The demo's related lists are computed in the background at start, and announcing them drops
  // the pages that show them: tests start once that settled, as a reader finds the site minutes later.
  await app.related.idle();
  if (options.listen) await app.server.listen({ port, host: '127.0.0.1' });
  const url = config.publicUrl;
  return {
    app,
    database,
    config,
    url,
    async close() {
      await app.close();
      if (!shared) await database.drop();
    },
  };
}

/** A TCP port nobody listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}
