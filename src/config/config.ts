import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { defaultFormMailCaps, type FormMailCaps, type MailWindow } from '../domain/limits/form-mail-limiter.js';

/** Everything Kiosque can be told at start, parsed once into typed values. */
export interface Config {
  port: number;
  host: string;
  dataDir: string;
  database: DatabaseConfig;
  publicUrl: string;
  languages: string[];
  defaultLanguage: string;
  siteName: string;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  demoContent: boolean;
  /** Upper bound of the anonymous page cache, in bytes. */
  pageCacheBytes: number;
  /** How often the scheduler looks for scheduled stories whose time has come, in milliseconds. */
  schedulerIntervalMs: number;
  /** Largest image file the newsroom may upload, in bytes. */
  maxUploadBytes: number;
  /** IANA time zone in which dates are shown to readers. */
  timeZone: string;
  /** Follow links shown beside the newsletter form ("Mastodon" → https://…). */
  followLinks: { network: string; url: string }[];
  /** Signs newsletter links; null: kept in the data folder's `secret` file, made at first start. */
  secret: string | null;
  mail: {
    /** null: messages are written to the data folder's outbox/ instead of being sent. */
    smtpUrl: string | null;
    /** The From header of every email. */
    from: string;
    ratePerMinute: number;
    /** Shared secret of the bounce/complaint webhook; null: the endpoint is off. */
    webhookSecret: string | null;
    /** Caps on the mail anonymous forms may trigger (sign-in links, confirmations, password resets). */
    formCaps: FormMailCaps;
  };
  /** Members' tiers, the paywall's meter and Stripe. */
  subscriptions: SubscriptionConfig;
  /** How long a claimed job stays one worker's without a heartbeat (a crashed worker's jobs wait this long). */
  jobLeaseMs: number;
  /** Whether feeds carry public stories whole or their standfirst only (gated stories: always the standfirst). */
  feedContent: 'full' | 'excerpt';
  wire: {
    /** Host names the wire desk may fetch even on a private or local address (tests, an agency's VPN host). */
    allowHosts: string[];
    /** The watched folder (KIOSQUE_WIRE_FOLDER): files dropped there are read on each tick; null: off. */
    folder: string | null;
  };
  webhooks: {
    /** Host names webhooks may be sent to even on a private or local address (tests, a receiver on the same network). */
    allowHosts: string[];
  };
  /** Machine translation for "Translate into…" and the wire desk (decision 0038). */
  translation: TranslationConfig;
}

/** Which machine translation service prefills translations; `builtin` is a word-for-word demo. */
export type TranslationConfig =
  | { provider: 'none' }
  | { provider: 'builtin' }
  | { provider: 'deepl'; key: string; url: string | null }
  | { provider: 'libretranslate'; url: string; key: string | null };

export interface SubscriptionConfig {
  /** ISO 4217 code prices are shown in (and charged in, by the Stripe prices). */
  currency: string;
  /** Shown on the pricing page; Stripe's prices (ids below) are what is charged: keep them equal. */
  prices: { monthly: number; yearly: number };
  /** Stories for members and subscribers that can be read free each month. */
  freeStories: { members: number; anonymous: number };
  /** null: subscriptions are closed (staff may still grant complimentary access). */
  stripe: { secretKey: string; webhookSecret: string; priceIds: { monthly: string; yearly: string } } | null;
}

export type DatabaseConfig = { kind: 'sqlite'; file: string } | { kind: 'postgres'; url: string };

/** A bad setting: `message` is one line naming the variable and what it expects. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

const languageTag = /^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/;

// Each variable is described once: its parser says what it expects in words a person can act on.
/** `count/minutes`, such as `10/15`: at most that many emails in any window of that many minutes. */
function mailWindow(fallback: MailWindow) {
  const expected = 'emails/minutes such as 10/15 (1 to 100000 emails, 1 to 1440 minutes)';
  return z
    .string()
    .regex(/^\d{1,6}\/\d{1,4}$/, expected)
    .transform((value) => value.split('/').map(Number) as [number, number])
    .refine(([limit, minutes]) => limit >= 1 && limit <= 100_000 && minutes >= 1 && minutes <= 1440, expected)
    .transform(([limit, minutes]): MailWindow => ({ limit, windowMs: minutes * 60_000 }))
    .optional()
    .transform((window) => window ?? fallback);
}

const variables = {
  PORT: z.coerce
    .number({ message: 'a whole number from 1 to 65535' })
    .int('a whole number from 1 to 65535')
    .min(1, 'a whole number from 1 to 65535')
    .max(65535, 'a whole number from 1 to 65535')
    .default(3000),
  HOST: z.string().min(1, 'a host name or IP address to listen on').default('127.0.0.1'),
  KIOSQUE_DATA_DIR: z.string().min(1, 'a folder path').default('./data'),
  DATABASE_URL: z
    .string()
    .regex(/^(sqlite:.+|postgres(ql)?:\/\/.+)$/, 'sqlite:<file path> or postgres://user@host:port/database')
    .optional(),
  KIOSQUE_PUBLIC_URL: z
    .string()
    .regex(/^https?:\/\/[^\s/?#]+(\/[^\s?#]*)?$/, 'an absolute http(s) URL such as https://news.example.org')
    .optional(),
  KIOSQUE_LANGUAGES: z
    .string()
    .regex(
      /^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*(,[a-z]{2,3}(-[A-Za-z0-9]{2,8})*)*$/,
      'comma-separated language tags such as fr,en',
    )
    .default('fr,en'),
  KIOSQUE_DEFAULT_LANGUAGE: z.string().regex(languageTag, 'a language tag such as fr').optional(),
  KIOSQUE_SITE_NAME: z.string().min(1, 'the site name').max(80, 'at most 80 characters').default('Kiosque'),
  KIOSQUE_DEMO: z.enum(['on', 'off'], { message: 'on or off' }).default('on'),
  KIOSQUE_FEED_CONTENT: z.enum(['full', 'excerpt'], { message: 'full or excerpt' }).default('full'),
  KIOSQUE_SCHEDULER_INTERVAL_MS: z.coerce
    .number({ message: 'a whole number of milliseconds from 100 to 3600000' })
    .int('a whole number of milliseconds from 100 to 3600000')
    .min(100, 'a whole number of milliseconds from 100 to 3600000')
    .max(3_600_000, 'a whole number of milliseconds from 100 to 3600000')
    .default(1000),
  KIOSQUE_PAGE_CACHE_MB: z.coerce
    .number({ message: 'a number of megabytes from 0 to 65536' })
    .min(0, 'a number of megabytes from 0 to 65536')
    .max(65536, 'a number of megabytes from 0 to 65536')
    .default(64),
  KIOSQUE_MAX_UPLOAD_MB: z.coerce
    .number({ message: 'a number of megabytes from 1 to 1024' })
    .min(1, 'a number of megabytes from 1 to 1024')
    .max(1024, 'a number of megabytes from 1 to 1024')
    .default(20),
  KIOSQUE_TIME_ZONE: z.string().refine(isTimeZone, 'an IANA time zone such as Europe/Paris').default('Europe/Paris'),
  KIOSQUE_FOLLOW_LINKS: z
    .string()
    .regex(/^([^=,]+=https:\/\/[^\s,]+)(,[^=,]+=https:\/\/[^\s,]+)*$/, 'comma-separated Name=https://… pairs')
    .optional(),
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\/[^\s]+$/, 'an SMTP URL such as smtp://user:password@mail.example.org:587')
    .optional(),
  KIOSQUE_SECRET: z.string().min(32, 'at least 32 random characters (openssl rand -base64 32)').optional(),
  KIOSQUE_MAIL_FROM: z
    .string()
    .regex(/^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/, 'an email address such as newsletter@news.example.org')
    .optional(),
  KIOSQUE_MAIL_RATE_PER_MINUTE: z.coerce
    .number({ message: 'a whole number of emails from 1 to 100000' })
    .int('a whole number of emails from 1 to 100000')
    .min(1, 'a whole number of emails from 1 to 100000')
    .max(100000, 'a whole number of emails from 1 to 100000')
    .default(600),
  KIOSQUE_MAIL_WEBHOOK_SECRET: z.string().min(16, 'at least 16 random characters').optional(),
  KIOSQUE_FORM_MAIL_PER_CLIENT: mailWindow(defaultFormMailCaps.perClient),
  KIOSQUE_FORM_MAIL_PER_RECIPIENT: mailWindow(defaultFormMailCaps.perRecipient),
  KIOSQUE_FORM_MAIL_GLOBAL: mailWindow(defaultFormMailCaps.global),
  KIOSQUE_JOB_LEASE_SECONDS: z.coerce
    .number({ message: 'a whole number of seconds from 2 to 3600' })
    .int('a whole number of seconds from 2 to 3600')
    .min(2, 'a whole number of seconds from 2 to 3600')
    .max(3600, 'a whole number of seconds from 2 to 3600')
    .default(60),
  KIOSQUE_CURRENCY: z
    .string()
    .regex(/^[A-Z]{3}$/, 'an ISO 4217 currency code such as EUR')
    .refine(isCurrency, 'an ISO 4217 currency code such as EUR')
    .default('EUR'),
  KIOSQUE_PRICE_MONTHLY: z.coerce
    .number({ message: 'a price from 0.5 to 100000, such as 8 or 7.50' })
    .min(0.5, 'a price from 0.5 to 100000, such as 8 or 7.50')
    .max(100000, 'a price from 0.5 to 100000, such as 8 or 7.50')
    .default(8),
  KIOSQUE_PRICE_YEARLY: z.coerce
    .number({ message: 'a price from 0.5 to 100000, such as 80' })
    .min(0.5, 'a price from 0.5 to 100000, such as 80')
    .max(100000, 'a price from 0.5 to 100000, such as 80')
    .default(80),
  KIOSQUE_FREE_STORIES: z.coerce
    .number({ message: 'a whole number of stories from 0 to 100' })
    .int('a whole number of stories from 0 to 100')
    .min(0, 'a whole number of stories from 0 to 100')
    .max(100, 'a whole number of stories from 0 to 100')
    .default(3),
  KIOSQUE_FREE_STORIES_ANONYMOUS: z.coerce
    .number({ message: 'a whole number of stories from 0 to 100' })
    .int('a whole number of stories from 0 to 100')
    .min(0, 'a whole number of stories from 0 to 100')
    .max(100, 'a whole number of stories from 0 to 100')
    .default(1),
  STRIPE_SECRET_KEY: z
    .string()
    .regex(/^(sk|rk)_(test|live)_[A-Za-z0-9]+$/, 'a Stripe secret key (sk_live_… or sk_test_…)')
    .optional(),
  STRIPE_WEBHOOK_SECRET: z
    .string()
    .regex(/^whsec_[A-Za-z0-9+/=]+$/, 'the webhook endpoint’s signing secret (whsec_…)')
    .optional(),
  STRIPE_PRICE_MONTHLY: z
    .string()
    .regex(/^price_[A-Za-z0-9]+$/, 'a Stripe price id (price_…)')
    .optional(),
  STRIPE_PRICE_YEARLY: z
    .string()
    .regex(/^price_[A-Za-z0-9]+$/, 'a Stripe price id (price_…)')
    .optional(),
  KIOSQUE_WIRE_ALLOW_HOSTS: z
    .string()
    .regex(
      /^\s*[A-Za-z0-9.:[\]-]+\s*(,\s*[A-Za-z0-9.:[\]-]+\s*)*$/,
      'comma-separated host names such as wire.example.org,127.0.0.1 (no scheme, no port)',
    )
    .optional(),
  KIOSQUE_WEBHOOK_ALLOW_HOSTS: z
    .string()
    .regex(
      /^\s*[A-Za-z0-9.:[\]-]+\s*(,\s*[A-Za-z0-9.:[\]-]+\s*)*$/,
      'comma-separated host names such as hooks.example.org,127.0.0.1 (no scheme, no port)',
    )
    .optional(),
  KIOSQUE_WIRE_FOLDER: z.string().trim().max(4000).optional(),
  // Machine translation (decision 0038); the demo uses the built-in one unless told otherwise.
  KIOSQUE_TRANSLATION_PROVIDER: z
    .enum(['none', 'builtin', 'deepl', 'libretranslate'], { message: 'none, builtin, deepl or libretranslate' })
    .optional(),
  KIOSQUE_DEEPL_KEY: z
    .string()
    .regex(/^[\w-]{8,}(:fx)?$/, 'a DeepL API key (the free plan’s end in :fx)')
    .optional(),
  KIOSQUE_DEEPL_URL: z
    .string()
    .regex(/^https?:\/\/[^\s/?#]+\/?$/, 'the DeepL API’s base URL such as https://api.deepl.com')
    .optional(),
  KIOSQUE_LIBRETRANSLATE_URL: z
    .string()
    .regex(/^https?:\/\/[^\s?#]+$/, 'the LibreTranslate server’s base URL such as https://translate.example.org')
    .optional(),
  KIOSQUE_LIBRETRANSLATE_KEY: z.string().min(1).max(200, 'at most 200 characters').optional(),
  LOG_LEVEL: z
    .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
      message: 'one of fatal, error, warn, info, debug, trace, silent',
    })
    .default('info'),
} as const;

type VariableName = keyof typeof variables;

const secretVariables = new Set<string>([
  'SMTP_URL',
  'KIOSQUE_SECRET',
  'KIOSQUE_MAIL_WEBHOOK_SECRET',
  'STRIPE_SECRET_KEY',
  'STRIPE_WEBHOOK_SECRET',
  'KIOSQUE_DEEPL_KEY',
  'KIOSQUE_LIBRETRANSLATE_KEY',
]);

/**
 * Reads the settings from environment variables, completed by an optional JSON file named by
 * KIOSQUE_CONFIG (environment variables win). Throws ConfigError on the first bad value.
 */
export function loadConfig(env: Record<string, string | undefined>, cwd = process.cwd()): Config {
  const merged: Record<string, string | undefined> = { ...readConfigFile(env.KIOSQUE_CONFIG, cwd) };
  for (const name of Object.keys(variables)) {
    const value = env[name];
    if (value !== undefined && value !== '') merged[name] = value;
  }

  const parsed = {} as { [K in VariableName]: z.output<(typeof variables)[K]> };
  for (const [name, schema] of Object.entries(variables) as [VariableName, z.ZodType][]) {
    const result = schema.safeParse(merged[name]);
    if (!result.success) {
      const expected = result.error.issues[0]?.message ?? 'a valid value';
      // Secrets are not echoed: the message ends up in logs and terminals.
      const shown = secretVariables.has(name) ? '(hidden)' : JSON.stringify(merged[name]);
      throw new ConfigError(`${name}=${shown} is not valid: expected ${expected}.`);
    }
    (parsed as Record<string, unknown>)[name] = result.data;
  }

  const dataDir = path.resolve(cwd, parsed.KIOSQUE_DATA_DIR);
  const languages = [...new Set(parsed.KIOSQUE_LANGUAGES.split(','))];
  const defaultLanguage = parsed.KIOSQUE_DEFAULT_LANGUAGE ?? languages[0] ?? 'fr';
  if (!languages.includes(defaultLanguage)) {
    throw new ConfigError(
      `KIOSQUE_DEFAULT_LANGUAGE="${defaultLanguage}" is not valid: expected one of KIOSQUE_LANGUAGES (${languages.join(', ')}).`,
    );
  }
  const displayHost = parsed.HOST === '0.0.0.0' || parsed.HOST === '::' ? 'localhost' : parsed.HOST;
  const publicUrl = (parsed.KIOSQUE_PUBLIC_URL ?? `http://${displayHost}:${parsed.PORT}`).replace(/\/+$/, '');

  return {
    port: parsed.PORT,
    host: parsed.HOST,
    dataDir,
    database: parseDatabaseUrl(parsed.DATABASE_URL, dataDir, cwd),
    publicUrl,
    languages,
    defaultLanguage,
    siteName: parsed.KIOSQUE_SITE_NAME,
    logLevel: parsed.LOG_LEVEL,
    demoContent: parsed.KIOSQUE_DEMO === 'on',
    timeZone: parsed.KIOSQUE_TIME_ZONE,
    pageCacheBytes: Math.round(parsed.KIOSQUE_PAGE_CACHE_MB * 1024 * 1024),
    schedulerIntervalMs: parsed.KIOSQUE_SCHEDULER_INTERVAL_MS,
    maxUploadBytes: Math.round(parsed.KIOSQUE_MAX_UPLOAD_MB * 1024 * 1024),
    secret: parsed.KIOSQUE_SECRET ?? null,
    mail: {
      smtpUrl: parsed.SMTP_URL ?? null,
      from: parsed.KIOSQUE_MAIL_FROM ?? `newsletter@${mailHost(publicUrl)}`,
      ratePerMinute: parsed.KIOSQUE_MAIL_RATE_PER_MINUTE,
      webhookSecret: parsed.KIOSQUE_MAIL_WEBHOOK_SECRET ?? null,
      formCaps: {
        perClient: parsed.KIOSQUE_FORM_MAIL_PER_CLIENT,
        perRecipient: parsed.KIOSQUE_FORM_MAIL_PER_RECIPIENT,
        global: parsed.KIOSQUE_FORM_MAIL_GLOBAL,
      },
    },
    subscriptions: {
      currency: parsed.KIOSQUE_CURRENCY,
      prices: { monthly: parsed.KIOSQUE_PRICE_MONTHLY, yearly: parsed.KIOSQUE_PRICE_YEARLY },
      freeStories: { members: parsed.KIOSQUE_FREE_STORIES, anonymous: parsed.KIOSQUE_FREE_STORIES_ANONYMOUS },
      stripe: stripeConfig(parsed),
    },
    jobLeaseMs: parsed.KIOSQUE_JOB_LEASE_SECONDS * 1000,
    feedContent: parsed.KIOSQUE_FEED_CONTENT,
    wire: {
      allowHosts: hostList(parsed.KIOSQUE_WIRE_ALLOW_HOSTS),
      folder: parsed.KIOSQUE_WIRE_FOLDER || null,
    },
    webhooks: { allowHosts: hostList(parsed.KIOSQUE_WEBHOOK_ALLOW_HOSTS) },
    translation: translationConfig(parsed),
    followLinks: (parsed.KIOSQUE_FOLLOW_LINKS ?? '')
      .split(',')
      .filter((pair) => pair.includes('='))
      .map((pair) => {
        const [network = '', ...url] = pair.split('=');
        return { network: network.trim(), url: url.join('=').trim() };
      }),
  };
}

function translationConfig(parsed: { [K in VariableName]: z.output<(typeof variables)[K]> }): TranslationConfig {
  const provider = parsed.KIOSQUE_TRANSLATION_PROVIDER ?? (parsed.KIOSQUE_DEMO === 'on' ? 'builtin' : 'none');
  if (provider === 'deepl') {
    if (!parsed.KIOSQUE_DEEPL_KEY)
      throw new ConfigError(
        'KIOSQUE_DEEPL_KEY is not set: expected a DeepL API key with KIOSQUE_TRANSLATION_PROVIDER=deepl.',
      );
    return { provider, key: parsed.KIOSQUE_DEEPL_KEY, url: parsed.KIOSQUE_DEEPL_URL ?? null };
  }
  if (provider === 'libretranslate') {
    if (!parsed.KIOSQUE_LIBRETRANSLATE_URL)
      throw new ConfigError(
        'KIOSQUE_LIBRETRANSLATE_URL is not set: expected the server’s URL with KIOSQUE_TRANSLATION_PROVIDER=libretranslate.',
      );
    return { provider, url: parsed.KIOSQUE_LIBRETRANSLATE_URL, key: parsed.KIOSQUE_LIBRETRANSLATE_KEY ?? null };
  }
  return { provider };
}

/** The public URL's host name, or `localhost` for an IP address (which is no mail domain). */
function mailHost(publicUrl: string): string {
  const host = new URL(publicUrl).hostname;
  return /^[\d.]+$|:/.test(host) || !host.includes('.') ? 'localhost' : host;
}

const stripeVariables = [
  'STRIPE_SECRET_KEY',
  'STRIPE_WEBHOOK_SECRET',
  'STRIPE_PRICE_MONTHLY',
  'STRIPE_PRICE_YEARLY',
] as const;

/** Stripe is all or nothing: a half-configured Stripe would take money it cannot record. */
function stripeConfig(parsed: Partial<Record<(typeof stripeVariables)[number], string>>): SubscriptionConfig['stripe'] {
  const missing = stripeVariables.filter((name) => parsed[name] === undefined);
  if (missing.length === stripeVariables.length) return null;
  if (missing.length > 0) {
    throw new ConfigError(
      `${missing[0]} is missing: expected all of ${stripeVariables.join(', ')} to open subscriptions, or none of them.`,
    );
  }
  return {
    secretKey: parsed.STRIPE_SECRET_KEY as string,
    webhookSecret: parsed.STRIPE_WEBHOOK_SECRET as string,
    priceIds: { monthly: parsed.STRIPE_PRICE_MONTHLY as string, yearly: parsed.STRIPE_PRICE_YEARLY as string },
  };
}

function isCurrency(code: string): boolean {
  try {
    return Intl.supportedValuesOf('currency').includes(code);
  } catch {
    return false;
  }
}

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

function parseDatabaseUrl(url: string | undefined, dataDir: string, cwd: string): DatabaseConfig {
  if (url === undefined) return { kind: 'sqlite', file: path.join(dataDir, 'kiosque.sqlite') };
  if (url.startsWith('sqlite:')) return { kind: 'sqlite', file: path.resolve(cwd, url.slice('sqlite:'.length)) };
  return { kind: 'postgres', url };
}

function readConfigFile(file: string | undefined, cwd: string): Record<string, string> {
  if (file === undefined || file === '') return {};
  let text: string;
  try {
    text = readFileSync(path.resolve(cwd, file), 'utf8');
  } catch {
    throw new ConfigError(`KIOSQUE_CONFIG="${file}" is not valid: expected a readable JSON file.`);
  }
  const result = z.record(z.string(), z.union([z.string(), z.number()])).safeParse(safeJson(text));
  if (!result.success) {
    throw new ConfigError(
      `KIOSQUE_CONFIG="${file}" is not valid: expected a JSON object of settings such as {"PORT": 3000}.`,
    );
  }
  return Object.fromEntries(Object.entries(result.data).map(([k, v]) => [k, String(v)]));
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** A comma-separated list of host names, lower-cased (KIOSQUE_WIRE_ALLOW_HOSTS, KIOSQUE_WEBHOOK_ALLOW_HOSTS). */
function hostList(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((host) => host.trim().toLowerCase())
    .filter((host) => host !== '');
}
