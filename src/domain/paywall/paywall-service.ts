import type { Article } from '../articles/article.js';
import type { Clock } from '../clock.js';
import { type Member, tierOf } from '../members/member.js';
import { type AccessDecision, decideAccess, meterPeriod } from './access-policy.js';
import { type AnonymousMeter, parseAnonymousMeter, serializeAnonymousMeter } from './anonymous-meter.js';
import { articleFor } from './story-text.js';

/** Members' monthly meter, counted in the database per member and month. */
export interface MeterStore {
  readsIn(memberId: string, period: string): Promise<string[]>;
  /** Counts the story for the month; counting it twice changes nothing. */
  record(memberId: string, period: string, articleId: string, at: Date): Promise<void>;
}

/** A story as a reader without access receives it: its beginning only, and why the rest is held back. */
export type GatedArticle = Article & { gate: { reason: AccessDecision['reason']; meter: AccessDecision['meter'] } };

/**
 * Cuts a story to what a reader without access receives (`storyTextFor()`: its beginning). The
 * body, its Markdown source and the gallery are replaced, so whatever renders the result (page,
 * JSON-LD) cannot reach the rest.
 */
export function gateArticle(article: Article, decision: AccessDecision): GatedArticle {
  return {
    ...articleFor(article, { kind: 'reader', decision }),
    gate: { reason: decision.reason, meter: decision.meter },
  };
}

/**
 * Decides, per reader and story, whether the whole story is served, and keeps the meter:
 * members' reads in the database, anonymous readers' in their own cookie (a soft limit).
 */
export function createPaywallService(deps: {
  meter: MeterStore;
  clock: Clock;
  timeZone: string;
  allowance: { members: number; anonymous: number };
}) {
  // The zone is read at each use: staff may change it (decision 0058).
  const { meter, clock, allowance } = deps;

  return {
    allowance,

    /**
     * The page every anonymous reader shares (and caches keep): no meter, so it is the same for
     * all of them. The meter is spent on the separate, uncached `read` route.
     */
    forAnonymousPage(article: Pick<Article, 'access'>): AccessDecision {
      return decideAccess(article.access, { kind: 'anonymous' }, null);
    },

    /** A signed-in member: paid stories past their tier use the monthly meter, counted here. */
    async forMember(member: Member, article: Pick<Article, 'id' | 'access'>): Promise<AccessDecision> {
      const now = clock.now();
      const reader = { kind: 'member' as const, tier: tierOf(member, now) };
      const plain = decideAccess(article.access, reader, null);
      if (plain.full || allowance.members === 0) return plain;
      const period = meterPeriod(now, deps.timeZone);
      const reads = await meter.readsIn(member.id, period);
      const decision = decideAccess(article.access, reader, {
        used: reads.length,
        allowance: allowance.members,
        counted: reads.includes(article.id),
      });
      if (decision.full && !reads.includes(article.id)) await meter.record(member.id, period, article.id, now);
      return decision;
    },

    /** An anonymous reader spending their cookie meter; returns the cookie's next value when it changed. */
    forAnonymousMeter(
      cookie: string | undefined,
      article: Pick<Article, 'id' | 'access'>,
    ): { decision: AccessDecision; cookie: string | null } {
      const plain = decideAccess(article.access, { kind: 'anonymous' }, null);
      if (plain.full || allowance.anonymous === 0) return { decision: plain, cookie: null };
      const state: AnonymousMeter = parseAnonymousMeter(cookie, meterPeriod(clock.now(), deps.timeZone));
      const counted = state.articleIds.includes(article.id);
      const decision = decideAccess(
        article.access,
        { kind: 'anonymous' },
        { used: state.articleIds.length, allowance: allowance.anonymous, counted },
      );
      if (!decision.full || counted) return { decision, cookie: null };
      return {
        decision,
        cookie: serializeAnonymousMeter({ ...state, articleIds: [...state.articleIds, article.id] }),
      };
    },
  };
}

export type PaywallService = ReturnType<typeof createPaywallService>;
