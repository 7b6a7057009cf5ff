import type { ArticleSummary } from '../articles/article.js';
import { KiosqueError } from '../errors.js';

/**
 * What staff pinned on a language's home page (issue 14, decision 0060): a lead and an ordered list of
 * top stories, by story id. A pick stays stored whatever happens to its story; readers only ever
 * see the picks that are public now (the reading service asks for them through the one visibility
 * rule), and the page falls back to the newest stories around the ones it skips.
 */
export interface FrontPagePicks {
  leadId: string | null;
  topIds: string[];
}

/** At most this many top stories: a front page, not a second archive. */
export const maxTopStories = 12;

/** A breaking-news banner as stored: shown on the language's reader pages until `expiresAt`. */
export interface BreakingBanner {
  language: string;
  text: string;
  /** A path on this site (`/fr/slug`) or an http(s) address; null: the banner links nowhere. */
  link: string | null;
  expiresAt: Date;
}

export const maxBannerLength = 200;
/** A banner is for news breaking now: one set for longer is a forgotten banner (decision 0060). */
export const maxBannerLifetimeMs = 7 * 24 * 3600 * 1000;

/** Whether readers see the banner at `now`: until its expiry, never after, without anyone touching it. */
export function bannerShown(banner: BreakingBanner | null, now: Date): banner is BreakingBanner {
  return banner !== null && banner.expiresAt.getTime() > now.getTime();
}

/**
 * The banner as typed, checked: a short text on one line, an expiry in the coming week, and a link
 * that is a path of this site or an http(s) address (the scheme allow-list: no `javascript:`,
 * `data:`, protocol-relative `//host` or backslash tricks). Refused whole, with one code.
 */
export function checkBanner(
  input: { language: string; text: string; link: string; expiresAt: Date | null },
  now: Date,
): BreakingBanner {
  const text = input.text.replace(/\s+/g, ' ').trim();
  const linkText = input.link.trim();
  const refuse = (field: string) => new KiosqueError('BREAKING_BANNER_INVALID', { field });
  if (text.length === 0 || [...text].length > maxBannerLength) throw refuse('text');
  const link = linkText === '' ? null : allowedLink(linkText);
  if (link === undefined) throw refuse('link');
  const expiresAt = input.expiresAt;
  if (!expiresAt || Number.isNaN(expiresAt.getTime())) throw refuse('expiresAt');
  const ahead = expiresAt.getTime() - now.getTime();
  if (ahead <= 0 || ahead > maxBannerLifetimeMs) throw refuse('expiresAt');
  return { language: input.language, text, link, expiresAt };
}

/** The link as stored, or undefined when its scheme or shape is not allowed. */
function allowedLink(link: string): string | null | undefined {
  if (link.length > 2000 || /[\s\\]/.test(link)) return undefined;
  if (link.startsWith('/')) return link.startsWith('//') ? undefined : link;
  try {
    const url = new URL(link);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.href : undefined;
  } catch {
    return undefined;
  }
}

/** What the home page shows: the lead, the top stories in staff's order, the latest stories. */
export interface HomeArrangement {
  lead: ArticleSummary | null;
  top: ArticleSummary[];
  latest: ArticleSummary[];
}

/**
 * The home page from the picks that are public now (`pinned`, any order) and the newest public
 * stories. The pinned lead leads when public, else the newest story does, as with nothing pinned.
 * Top stories keep staff's order, skipping what is not public and the lead. A top story may also be
 * in the latest list (a long-standing Newspack request): the latest list is the site's chronology
 * and keeps every story but the lead, so the two lists may share stories; only the lead is never
 * shown twice.
 */
export function arrangeHome(
  picks: FrontPagePicks,
  pinned: ArticleSummary[],
  newest: ArticleSummary[],
  latestCount: number,
): HomeArrangement {
  const byId = new Map(pinned.map((story) => [story.id, story]));
  const lead = (picks.leadId ? byId.get(picks.leadId) : undefined) ?? newest[0] ?? null;
  const top = picks.topIds.flatMap((id) => {
    const story = byId.get(id);
    return story && story.id !== lead?.id ? [story] : [];
  });
  const latest = newest.filter((story) => story.id !== lead?.id).slice(0, latestCount);
  return { lead, top, latest };
}

/** The top stories with `id` moved one place up or down (unchanged at either end or when absent). */
export function moveTop(topIds: readonly string[], id: string, direction: 'up' | 'down'): string[] {
  const ids = [...topIds];
  const from = ids.indexOf(id);
  const to = direction === 'up' ? from - 1 : from + 1;
  if (from < 0 || to < 0 || to >= ids.length) return ids;
  [ids[from], ids[to]] = [ids[to] as string, ids[from] as string];
  return ids;
}

/** The top stories with `id` at `position` (1-based, clamped), the others keeping their order. */
export function placeTop(topIds: readonly string[], id: string, position: number): string[] {
  const others = topIds.filter((other) => other !== id);
  const index = Math.min(Math.max(Math.trunc(position) - 1, 0), others.length);
  return [...others.slice(0, index), id, ...others.slice(index)];
}
