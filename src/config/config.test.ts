import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultFormMailCaps } from '../domain/limits/form-mail-limiter.js';
import { ConfigError, loadConfig } from './config.js';

const cwd = '/srv/kiosque';

describe('loadConfig', () => {
  it('has defaults that serve the demo on localhost from ./data', () => {
    const config = loadConfig({}, cwd);
    expect(config).toMatchObject({
      port: 3000,
      host: '127.0.0.1',
      dataDir: path.join(cwd, 'data'),
      database: { kind: 'sqlite', file: path.join(cwd, 'data', 'kiosque.sqlite') },
      publicUrl: 'http://127.0.0.1:3000',
      languages: ['fr', 'en'],
      defaultLanguage: 'fr',
      demoContent: true,
    });
  });

  it('limits uploads to 20 MB unless told otherwise', () => {
    expect(loadConfig({}, cwd).maxUploadBytes).toBe(20 * 1024 * 1024);
    expect(loadConfig({ KIOSQUE_MAX_UPLOAD_MB: '2.5' }, cwd).maxUploadBytes).toBe(2.5 * 1024 * 1024);
  });

  it('switches to PostgreSQL with a postgres:// URL and to another SQLite file with sqlite:', () => {
    expect(loadConfig({ DATABASE_URL: 'postgres://u@db:5432/news' }, cwd).database).toEqual({
      kind: 'postgres',
      url: 'postgres://u@db:5432/news',
    });
    expect(loadConfig({ DATABASE_URL: 'sqlite:other.db' }, cwd).database).toEqual({
      kind: 'sqlite',
      file: path.join(cwd, 'other.db'),
    });
  });

  it('derives the public URL from host and port, and trims a trailing slash from an explicit one', () => {
    expect(loadConfig({ HOST: '0.0.0.0', PORT: '8080' }, cwd).publicUrl).toBe('http://localhost:8080');
    expect(loadConfig({ KIOSQUE_PUBLIC_URL: 'https://news.example.org/' }, cwd).publicUrl).toBe(
      'https://news.example.org',
    );
  });

  it.each([
    ['PORT', 'abc', /^PORT="abc" is not valid: expected a whole number from 1 to 65535\.$/],
    ['PORT', '70000', /^PORT="70000" is not valid/],
    ['DATABASE_URL', 'mysql://x', /^DATABASE_URL="mysql:\/\/x" is not valid: expected sqlite:<file path> or postgres:/],
    [
      'KIOSQUE_PUBLIC_URL',
      'news.example.org',
      /^KIOSQUE_PUBLIC_URL="news.example.org" is not valid: expected an absolute http\(s\) URL/,
    ],
    ['KIOSQUE_LANGUAGES', 'fr;en', /^KIOSQUE_LANGUAGES=/],
    [
      'KIOSQUE_TIME_ZONE',
      'Mars/Olympus',
      /^KIOSQUE_TIME_ZONE="Mars\/Olympus" is not valid: expected an IANA time zone/,
    ],
    ['LOG_LEVEL', 'loud', /^LOG_LEVEL="loud" is not valid: expected one of/],
    [
      'KIOSQUE_MAX_UPLOAD_MB',
      '0',
      /^KIOSQUE_MAX_UPLOAD_MB="0" is not valid: expected a number of megabytes from 1 to 1024\.$/,
    ],
    ['KIOSQUE_MAX_UPLOAD_MB', 'lots', /^KIOSQUE_MAX_UPLOAD_MB="lots" is not valid/],
    ['KIOSQUE_FEED_CONTENT', 'summary', /^KIOSQUE_FEED_CONTENT="summary" is not valid: expected full or excerpt\.$/],
  ])('stops on a bad %s with one line naming it', (name, value, message) => {
    expect(() => loadConfig({ [name]: value }, cwd)).toThrowError(ConfigError);
    expect(() => loadConfig({ [name]: value }, cwd)).toThrowError(message);
  });

  it('puts whole public stories in feeds unless told to send excerpts', () => {
    expect(loadConfig({}, cwd).feedContent).toBe('full');
    expect(loadConfig({ KIOSQUE_FEED_CONTENT: 'excerpt' }, cwd).feedContent).toBe('excerpt');
  });

  it('lets the wire desk fetch no private host unless KIOSQUE_WIRE_ALLOW_HOSTS names it', () => {
    expect(loadConfig({}, cwd).wire.allowHosts).toEqual([]);
    expect(loadConfig({ KIOSQUE_WIRE_ALLOW_HOSTS: 'Wire.Example.org, 127.0.0.1,[::1]' }, cwd).wire.allowHosts).toEqual([
      'wire.example.org',
      '127.0.0.1',
      '[::1]',
    ]);
    expect(() => loadConfig({ KIOSQUE_WIRE_ALLOW_HOSTS: 'http://wire.example.org/' }, cwd)).toThrowError(
      /^KIOSQUE_WIRE_ALLOW_HOSTS="http:\/\/wire\.example\.org\/" is not valid: expected comma-separated host names/,
    );
  });

  it('sends webhooks to no private host unless KIOSQUE_WEBHOOK_ALLOW_HOSTS names it', () => {
    expect(loadConfig({}, cwd).webhooks.allowHosts).toEqual([]);
    expect(loadConfig({ KIOSQUE_WEBHOOK_ALLOW_HOSTS: 'Hooks.Example.org,127.0.0.1' }, cwd).webhooks.allowHosts).toEqual(
      ['hooks.example.org', '127.0.0.1'],
    );
    expect(() => loadConfig({ KIOSQUE_WEBHOOK_ALLOW_HOSTS: 'https://hooks.example.org/' }, cwd)).toThrowError(
      /^KIOSQUE_WEBHOOK_ALLOW_HOSTS="https:\/\/hooks\.example\.org\/" is not valid/,
    );
  });

  it('keeps subscriptions closed without Stripe, with prices in EUR and three free stories a month', () => {
    expect(loadConfig({}, cwd).subscriptions).toEqual({
      currency: 'EUR',
      prices: { monthly: 8, yearly: 80 },
      freeStories: { members: 3, anonymous: 1 },
      stripe: null,
    });
  });

  it('opens subscriptions only with every Stripe variable, and says which one is missing in one line', () => {
    const stripe = {
      STRIPE_SECRET_KEY: 'sk_test_abc123',
      STRIPE_WEBHOOK_SECRET: 'whsec_abc123',
      STRIPE_PRICE_MONTHLY: 'price_m1',
      STRIPE_PRICE_YEARLY: 'price_y1',
    };
    expect(loadConfig({ ...stripe, KIOSQUE_CURRENCY: 'CHF' }, cwd).subscriptions).toMatchObject({
      currency: 'CHF',
      stripe: { secretKey: 'sk_test_abc123', priceIds: { monthly: 'price_m1', yearly: 'price_y1' } },
    });
    const { STRIPE_WEBHOOK_SECRET: _missing, ...partial } = stripe;
    expect(() => loadConfig(partial, cwd)).toThrow(
      'STRIPE_WEBHOOK_SECRET is missing: expected all of STRIPE_SECRET_KEY, STRIPE_WEBHOOK_SECRET, STRIPE_PRICE_MONTHLY, STRIPE_PRICE_YEARLY to open subscriptions, or none of them.',
    );
    // A secret that is wrong is named, never echoed.
    expect(() => loadConfig({ ...stripe, STRIPE_SECRET_KEY: 'pk_live_oops' }, cwd)).toThrow(
      'STRIPE_SECRET_KEY=(hidden) is not valid: expected a Stripe secret key (sk_live_… or sk_test_…).',
    );
  });

  it('refuses an unknown currency and out-of-range prices or allowances', () => {
    expect(() => loadConfig({ KIOSQUE_CURRENCY: 'EURO' }, cwd)).toThrow(/^KIOSQUE_CURRENCY="EURO" is not valid/);
    expect(() => loadConfig({ KIOSQUE_CURRENCY: 'XYZ' }, cwd)).toThrow(/ISO 4217/);
    expect(() => loadConfig({ KIOSQUE_PRICE_MONTHLY: 'free' }, cwd)).toThrow(/^KIOSQUE_PRICE_MONTHLY="free"/);
    expect(() => loadConfig({ KIOSQUE_FREE_STORIES: '2.5' }, cwd)).toThrow(/a whole number of stories from 0 to 100/);
    expect(loadConfig({ KIOSQUE_FREE_STORIES: '0' }, cwd).subscriptions.freeStories.members).toBe(0);
  });

  it('refuses a default language that is not a site language', () => {
    expect(() => loadConfig({ KIOSQUE_LANGUAGES: 'fr,en', KIOSQUE_DEFAULT_LANGUAGE: 'de' }, cwd)).toThrowError(
      /KIOSQUE_DEFAULT_LANGUAGE="de" is not valid: expected one of KIOSQUE_LANGUAGES \(fr, en\)/,
    );
  });

  it('reads an optional JSON file, which environment variables override', () => {
    const folder = mkdtempSync(path.join(tmpdir(), 'kiosque-config-'));
    writeFileSync(path.join(folder, 'kiosque.json'), JSON.stringify({ PORT: 4000, KIOSQUE_SITE_NAME: 'Le Quotidien' }));
    const config = loadConfig({ KIOSQUE_CONFIG: 'kiosque.json', PORT: '5000' }, folder);
    expect(config.port).toBe(5000);
    expect(config.siteName).toBe('Le Quotidien');
    writeFileSync(path.join(folder, 'bad.json'), '{ not json');
    expect(() => loadConfig({ KIOSQUE_CONFIG: 'bad.json' }, folder)).toThrowError(
      /^KIOSQUE_CONFIG="bad.json" is not valid/,
    );
  });

  it('parses follow links', () => {
    expect(
      loadConfig(
        { KIOSQUE_FOLLOW_LINKS: 'Mastodon=https://mastodon.social/@kiosque,Bluesky=https://bsky.app/profile/k' },
        cwd,
      ).followLinks,
    ).toEqual([
      { network: 'Mastodon', url: 'https://mastodon.social/@kiosque' },
      { network: 'Bluesky', url: 'https://bsky.app/profile/k' },
    ]);
    expect(() => loadConfig({ KIOSQUE_FOLLOW_LINKS: 'X=javascript:alert(1)' }, cwd)).toThrowError(
      /KIOSQUE_FOLLOW_LINKS/,
    );
  });
});

describe('loadConfig: mail and newsletters', () => {
  it('writes mail to the outbox at 600 a minute from newsletter@ the public host unless told otherwise', () => {
    expect(loadConfig({}, cwd)).toMatchObject({
      secret: null,
      mail: { smtpUrl: null, from: 'newsletter@localhost', ratePerMinute: 600, webhookSecret: null },
      jobLeaseMs: 60_000,
    });
    const config = loadConfig(
      {
        KIOSQUE_PUBLIC_URL: 'https://news.example.org',
        SMTP_URL: 'smtps://user:pw@mail.example.org:465',
        KIOSQUE_MAIL_RATE_PER_MINUTE: '120',
        KIOSQUE_MAIL_WEBHOOK_SECRET: 'a-shared-secret-16+',
        KIOSQUE_SECRET: 'x'.repeat(32),
        KIOSQUE_JOB_LEASE_SECONDS: '5',
      },
      cwd,
    );
    expect(config.mail).toEqual({
      smtpUrl: 'smtps://user:pw@mail.example.org:465',
      from: 'newsletter@news.example.org',
      ratePerMinute: 120,
      webhookSecret: 'a-shared-secret-16+',
      formCaps: defaultFormMailCaps,
    });
    expect(config.secret).toBe('x'.repeat(32));
    expect(config.jobLeaseMs).toBe(5000);
  });

  it('caps the mail anonymous forms trigger: 10 per client in 15 minutes, 3 per address an hour, 200 per site in 10 minutes (issue 11)', () => {
    expect(loadConfig({}, cwd).mail.formCaps).toEqual({
      perClient: { limit: 10, windowMs: 15 * 60_000 },
      perRecipient: { limit: 3, windowMs: 60 * 60_000 },
      global: { limit: 200, windowMs: 10 * 60_000 },
    });
    const config = loadConfig(
      {
        KIOSQUE_FORM_MAIL_PER_CLIENT: '4/60',
        KIOSQUE_FORM_MAIL_PER_RECIPIENT: '1/1440',
        KIOSQUE_FORM_MAIL_GLOBAL: '1000/5',
      },
      cwd,
    );
    expect(config.mail.formCaps).toEqual({
      perClient: { limit: 4, windowMs: 60 * 60_000 },
      perRecipient: { limit: 1, windowMs: 1440 * 60_000 },
      global: { limit: 1000, windowMs: 5 * 60_000 },
    });
  });

  it.each([
    ['KIOSQUE_FORM_MAIL_PER_CLIENT', '10', /^KIOSQUE_FORM_MAIL_PER_CLIENT="10" is not valid: expected emails\/minutes/],
    ['KIOSQUE_FORM_MAIL_GLOBAL', '0/10', /^KIOSQUE_FORM_MAIL_GLOBAL="0\/10" is not valid/],
    ['KIOSQUE_FORM_MAIL_PER_RECIPIENT', '3/0', /^KIOSQUE_FORM_MAIL_PER_RECIPIENT="3\/0" is not valid/],
    ['KIOSQUE_FORM_MAIL_PER_RECIPIENT', '3/2000', /^KIOSQUE_FORM_MAIL_PER_RECIPIENT="3\/2000" is not valid/],
    ['SMTP_URL', 'mail.example.org', /^SMTP_URL=\(hidden\) is not valid: expected an SMTP URL/],
    ['KIOSQUE_SECRET', 'short', /^KIOSQUE_SECRET=\(hidden\) is not valid: expected at least 32 random characters/],
    ['KIOSQUE_MAIL_WEBHOOK_SECRET', 'short', /^KIOSQUE_MAIL_WEBHOOK_SECRET=\(hidden\) is not valid/],
    ['KIOSQUE_MAIL_FROM', 'newsletter', /^KIOSQUE_MAIL_FROM="newsletter" is not valid: expected an email address/],
    ['KIOSQUE_MAIL_RATE_PER_MINUTE', '0', /^KIOSQUE_MAIL_RATE_PER_MINUTE="0" is not valid: expected a whole number/],
    ['KIOSQUE_MAIL_RATE_PER_MINUTE', '1.5', /^KIOSQUE_MAIL_RATE_PER_MINUTE="1.5" is not valid/],
    [
      'KIOSQUE_JOB_LEASE_SECONDS',
      '1',
      /^KIOSQUE_JOB_LEASE_SECONDS="1" is not valid: expected a whole number of seconds/,
    ],
  ])('stops on a bad %s with one line, never echoing a secret', (name, value, message) => {
    expect(() => loadConfig({ [name]: value }, cwd)).toThrowError(message);
  });
});
