import { z } from 'zod';
import { isAllowedUrl } from '../articles/markdown.js';
import type { Clock } from '../clock.js';
import { KiosqueError } from '../errors.js';
import type { EventBus, SettingsChanged } from '../events.js';

/**
 * The site's settings, changed by staff in Admin → Settings (issue 14, decision 0058). Each section
 * is one document, validated by its schema on every write and on every read (a row or a
 * notification from another instance is data from outside); environment variables only give the
 * values of the first start.
 */

/** Why a value is refused: catalog keys under `settings.problem.` (the staff member's language). */
export const settingsProblems = [
  'required',
  'tooLong',
  'url',
  'email',
  'language',
  'languagesEmpty',
  'defaultLanguage',
  'timeZone',
  'price',
  'count',
  'image',
  'page',
] as const;
export type SettingsProblem = (typeof settingsProblems)[number];

const text = (max: number) => z.string().trim().max(max, 'tooLong');
const required = (max: number) => text(max).min(1, 'required');
const link = z
  .string()
  .trim()
  .min(1, 'required')
  .max(2000, 'tooLong')
  .refine((url) => isAllowedUrl(url) && !url.startsWith('#'), 'url');
const id = z.string().trim().max(100, 'tooLong').nullable();
const wholeCount = z.number({ message: 'count' }).int('count').min(0, 'count').max(100, 'count');
const price = z.number({ message: 'price' }).min(0.5, 'price').max(100_000, 'price');

export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return zone.length > 0 && zone.length <= 64;
  } catch {
    return false;
  }
}

const schemas = {
  identity: z.object({
    /** The site's name and tagline per language (a language without its own uses the default language's). */
    names: z.record(z.string(), required(80)),
    taglines: z.record(z.string(), text(160)),
    /** An image of the media library shown as the logo in the header and JSON-LD; null: the icon. */
    logoImageId: id,
    /** The picture shared links show when a page has none of its own. */
    shareImageId: id,
  }),
  languages: z.object({
    /** The site's languages, in menu order; the first is not necessarily the default. */
    enabled: z.array(z.string()).min(1, 'languagesEmpty').max(20, 'tooLong'),
  }),
  navigation: z.object({
    /** Extra links beside the sections menu, per language, in order. */
    links: z.record(z.string(), z.array(z.object({ label: required(60), url: link })).max(12, 'tooLong')),
  }),
  social: z.object({
    links: z.array(z.object({ network: required(40), url: link })).max(12, 'tooLong'),
  }),
  newsletter: z.object({
    senderName: required(80),
    senderAddress: z
      .string()
      .trim()
      .max(254, 'tooLong')
      .regex(/^[^\s@<>"]+@[^\s@<>"]+\.[^\s@<>"]+$/, 'email'),
  }),
  paywall: z.object({
    monthly: price,
    yearly: price,
    freeStoriesMembers: wholeCount,
    freeStoriesAnonymous: wholeCount,
  }),
  timeZone: z.object({ zone: z.string().trim().refine(isTimeZone, 'timeZone') }),
  policies: z.object({
    /** Translation groups of static pages (the page in the reader's language is linked). */
    corrections: id,
    ethics: id,
    ownership: id,
    masthead: id,
  }),
};

export type SettingsSection = keyof typeof schemas;
export const settingsSections = Object.keys(schemas) as SettingsSection[];
export type SiteSettingsValues = { [K in SettingsSection]: z.output<(typeof schemas)[K]> };
export type PolicyKind = keyof SiteSettingsValues['policies'];
export const policyKinds: PolicyKind[] = ['corrections', 'ethics', 'ownership', 'masthead'];

export function isSettingsSection(value: string): value is SettingsSection {
  return (settingsSections as string[]).includes(value);
}

/** One refused field: its path in the section ("links.fr.0.url") and why. */
export interface SettingsIssue {
  path: string;
  problem: SettingsProblem;
}

/** Stores sections as JSON documents; one row per section, written whole. */
export interface SettingsStore {
  all(): Promise<Map<string, string>>;
  /** Writes a section unless it is there already (the first start's defaults). */
  seed(section: SettingsSection, value: string, at: Date): Promise<void>;
  put(section: SettingsSection, value: string, by: string | null, at: Date): Promise<void>;
}

/** Which other facts a section's values are checked against. */
export interface SettingsContext {
  /** Languages with a message catalog, the only ones a site may offer. */
  installedLanguages: readonly string[];
  defaultLanguage: string;
  imageExists(id: string): Promise<boolean>;
  pageGroupExists(group: string): Promise<boolean>;
}

function issuesOf(error: z.ZodError): SettingsIssue[] {
  return error.issues.map((issue) => ({
    path: issue.path.join('.'),
    problem: (settingsProblems as readonly string[]).includes(issue.message)
      ? (issue.message as SettingsProblem)
      : 'required',
  }));
}

/** A section's value, checked; `SETTINGS_INVALID` with each refused field otherwise. */
export function parseSection<K extends SettingsSection>(section: K, value: unknown): SiteSettingsValues[K] {
  const result = schemas[section].safeParse(value);
  if (!result.success) throw new KiosqueError('SETTINGS_INVALID', { section, issues: issuesOf(result.error) });
  return result.data as SiteSettingsValues[K];
}

/** Languages a per-language change touches: those whose value differs. */
function changedLanguages(before: Record<string, unknown>, after: Record<string, unknown>): string[] {
  const languages = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...languages].filter((language) => JSON.stringify(before[language]) !== JSON.stringify(after[language]));
}

/** The languages whose pages show what changed between two values of a section. */
export function languagesTouched<K extends SettingsSection>(
  section: K,
  before: SiteSettingsValues[K],
  after: SiteSettingsValues[K],
  languages: readonly string[],
): string[] {
  if (section === 'identity') {
    const b = before as SiteSettingsValues['identity'];
    const a = after as SiteSettingsValues['identity'];
    // Logo and share image show in every language; a name or tagline in its own.
    if (b.logoImageId !== a.logoImageId || b.shareImageId !== a.shareImageId) return [...languages];
    return [...new Set([...changedLanguages(b.names, a.names), ...changedLanguages(b.taglines, a.taglines)])];
  }
  if (section === 'navigation') {
    return changedLanguages(
      (before as SiteSettingsValues['navigation']).links,
      (after as SiteSettingsValues['navigation']).links,
    );
  }
  return [...languages];
}

export interface SiteSettings {
  /** The values now: a snapshot in memory, replaced whole on each change (never awaited by a page). */
  current(): SiteSettingsValues;
  /** Reads the stored sections, writing the first start's defaults for those missing. */
  load(): Promise<void>;
  /** Checks and stores one section, then announces it to every instance; nothing is stored on a bad value. */
  save<K extends SettingsSection>(section: K, value: unknown, by: string | null): Promise<SiteSettingsValues[K]>;
  /** Applies a change another instance (or this one) announced, before its pages are dropped. */
  apply(event: SettingsChanged): void;
}

export function createSiteSettings(deps: {
  store: SettingsStore;
  events: EventBus;
  clock: Clock;
  context: SettingsContext;
  /** The first start's values (from the environment). */
  defaults: SiteSettingsValues;
}): SiteSettings {
  const { store, events, clock, context } = deps;
  let snapshot: SiteSettingsValues = structuredClone(deps.defaults);

  /** Checks what a schema cannot: languages installed, images and pages that exist. */
  async function checkFacts<K extends SettingsSection>(section: K, value: SiteSettingsValues[K]): Promise<void> {
    const issues: SettingsIssue[] = [];
    const languageKeys = (record: Record<string, unknown>, field: string) => {
      for (const language of Object.keys(record))
        if (!context.installedLanguages.includes(language))
          issues.push({ path: `${field}.${language}`, problem: 'language' });
    };
    if (section === 'identity') {
      const identity = value as SiteSettingsValues['identity'];
      languageKeys(identity.names, 'names');
      languageKeys(identity.taglines, 'taglines');
      if (!identity.names[context.defaultLanguage])
        issues.push({ path: `names.${context.defaultLanguage}`, problem: 'required' });
      for (const field of ['logoImageId', 'shareImageId'] as const) {
        const image = identity[field];
        if (image && !(await context.imageExists(image))) issues.push({ path: field, problem: 'image' });
      }
    }
    if (section === 'navigation') languageKeys((value as SiteSettingsValues['navigation']).links, 'links');
    if (section === 'languages') {
      const { enabled } = value as SiteSettingsValues['languages'];
      enabled.forEach((language, index) => {
        if (!context.installedLanguages.includes(language) || enabled.indexOf(language) !== index)
          issues.push({ path: `enabled.${index}`, problem: 'language' });
      });
      if (!enabled.includes(context.defaultLanguage)) issues.push({ path: 'enabled', problem: 'defaultLanguage' });
    }
    if (section === 'policies') {
      for (const [kind, group] of Object.entries(value as SiteSettingsValues['policies']))
        if (group && !(await context.pageGroupExists(group))) issues.push({ path: kind, problem: 'page' });
    }
    if (issues.length > 0) throw new KiosqueError('SETTINGS_INVALID', { section, issues });
  }

  return {
    current: () => snapshot,

    async load() {
      const stored = await store.all();
      const next = structuredClone(deps.defaults);
      for (const section of settingsSections) {
        const row = stored.get(section);
        if (row === undefined) {
          await store.seed(section, JSON.stringify(deps.defaults[section]), clock.now());
          continue;
        }
        try {
          (next as Record<string, unknown>)[section] = parseSection(section, JSON.parse(row));
        } catch {
          // A row from a newer or damaged version: the defaults serve until staff save the section again.
        }
      }
      snapshot = next;
    },

    async save(section, input, by) {
      const value = parseSection(section, input);
      await checkFacts(section, value);
      const before = snapshot[section];
      await store.put(section, JSON.stringify(value), by, clock.now());
      events.publish({
        type: 'settings.changed',
        section,
        value,
        languages: languagesTouched(section, before, value, snapshot.languages.enabled),
      });
      return value;
    },

    apply(event) {
      if (!isSettingsSection(event.section)) return;
      try {
        snapshot = { ...snapshot, [event.section]: parseSection(event.section, event.value) };
      } catch {
        // Not a value this version understands: keep ours (its pages are still dropped).
      }
    },
  };
}

/** The first start's values, from what the environment said (decision 0058). */
export function defaultSettings(config: {
  siteName: string;
  languages: readonly string[];
  timeZone: string;
  followLinks: readonly { network: string; url: string }[];
  mailFrom: string;
  prices: { monthly: number; yearly: number };
  freeStories: { members: number; anonymous: number };
}): SiteSettingsValues {
  return {
    identity: {
      names: Object.fromEntries(config.languages.map((language) => [language, config.siteName])),
      taglines: {},
      logoImageId: null,
      shareImageId: null,
    },
    languages: { enabled: [...config.languages] },
    navigation: { links: {} },
    social: { links: config.followLinks.map((link) => ({ ...link })) },
    newsletter: { senderName: config.siteName, senderAddress: config.mailFrom },
    paywall: {
      monthly: config.prices.monthly,
      yearly: config.prices.yearly,
      freeStoriesMembers: config.freeStories.members,
      freeStoriesAnonymous: config.freeStories.anonymous,
    },
    timeZone: { zone: config.timeZone },
    policies: { corrections: null, ethics: null, ownership: null, masthead: null },
  };
}

/** The site's name in a language: its own, else the default language's. */
export function siteNameIn(values: SiteSettingsValues, language: string, defaultLanguage: string): string {
  const { names } = values.identity;
  return names[language] || names[defaultLanguage] || Object.values(names)[0] || 'Kiosque';
}

/** The tagline in a language; null: none written (the catalog's default shows). */
export function taglineIn(values: SiteSettingsValues, language: string): string | null {
  return values.identity.taglines[language] || null;
}
