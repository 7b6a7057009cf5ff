import type { Clock } from '../clock.js';
import { isKiosqueError, type KiosqueError } from '../errors.js';
import type { SaveOptions } from './article-service.js';

/** Where the scheduler learns which scheduled articles are due; the schedule is the article's own. */
export interface DueArticles {
  listDue(now: Date, limit: number): Promise<{ id: string; revision: number }[]>;
}

/** The writes the scheduler makes: publish on time, or send back to the drafts what may not go out. */
export interface Publisher {
  publish(id: string, options: SaveOptions): Promise<unknown>;
  unpublish(id: string, options: SaveOptions): Promise<unknown>;
}

/** Refusals that say the story itself may not be published (preflight), not that the pass failed. */
const unpublishable = new Set(['ARTICLE_NOT_PUBLISHABLE', 'ARTICLE_ALT_TEXT_MISSING']);

/** Where the scheduler reports what it could not do; a logger fits. */
export interface SchedulerLog {
  warn(details: object, message: string): void;
  error(details: object, message: string): void;
}

export interface SchedulerOptions {
  due: DueArticles;
  articles: Publisher;
  clock: Clock;
  log: SchedulerLog;
  /** How often to look for due articles. */
  intervalMs: number;
  /** How many due articles one pass publishes at most; the rest wait for the next pass. */
  batchSize?: number;
}

/**
 * Publishes scheduled articles when their time comes. Nothing is kept in memory: each pass reads
 * the due articles from the database, so a restart loses nothing. Each article is published with
 * the revision the pass read, so when several passes race (two instances, or a restart during a
 * pass) the optimistic lock lets exactly one of them publish it; the others get a conflict and
 * move on.
 *
 * A scheduled story that can no longer pass preflight when its time comes (saving it while
 * scheduled is refused the same way, so this is a story written before the checks or by another
 * door) does not go out, and does not stay silently "scheduled" either: it goes back to the
 * drafts as a revision by the system, and the error is logged with its blocking findings. The
 * editor then shows it as a draft, with the findings, and the revisions say who withdrew it.
 */
export function createScheduler(options: SchedulerOptions) {
  const { due, articles, clock, log, intervalMs, batchSize = 50 } = options;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let running: Promise<number> | null = null;
  // Failures other than a lost race are reported once per article revision, not every second.
  const reported = new Set<string>();

  /** Sends a story that may not go out back to the drafts; null when done (or someone else acted). */
  async function withdraw(article: { id: string; revision: number }, refusal: KiosqueError): Promise<unknown> {
    try {
      await articles.unpublish(article.id, { expectedRevision: article.revision, actor: null });
    } catch (error) {
      return isKiosqueError(error) && error.code === 'ARTICLE_REVISION_CONFLICT' ? null : error;
    }
    log.error(
      { articleId: article.id, code: refusal.code, details: refusal.details },
      'scheduled article not published: it does not pass preflight; it is a draft again',
    );
    return null;
  }

  async function pass(): Promise<number> {
    let published = 0;
    for (const article of await due.listDue(clock.now(), batchSize)) {
      try {
        await articles.publish(article.id, { expectedRevision: article.revision, actor: null });
        published++;
      } catch (error) {
        if (isKiosqueError(error) && error.code === 'ARTICLE_REVISION_CONFLICT') continue; // someone else did it
        let failure: unknown = error;
        if (isKiosqueError(error) && unpublishable.has(error.code)) {
          failure = await withdraw(article, error);
          if (failure === null) continue;
        }
        const key = `${article.id}@${article.revision}`;
        if (!reported.has(key)) {
          reported.add(key);
          log.error({ err: failure, articleId: article.id }, 'scheduled article could not be published');
        }
      }
    }
    return published;
  }

  /** One pass now; concurrent calls share the pass that is running. Resolves to how many it published. */
  function tick(): Promise<number> {
    running ??= pass().finally(() => {
      running = null;
    });
    return running;
  }

  // Each start begins a new generation; a pass of an older one that finishes late does not rearm.
  let generation = 0;

  function arm(current: number) {
    timer = setTimeout(async () => {
      try {
        await tick();
      } catch (error) {
        log.warn({ err: error }, 'scheduler pass failed; retrying');
      }
      if (current === generation && timer) arm(current);
    }, intervalMs);
    timer.unref?.();
  }

  return {
    tick,
    start() {
      if (timer) return;
      arm(++generation);
    },
    /** Stops the timer and waits for a running pass, so the database can be closed after. */
    async stop() {
      generation++;
      if (timer) clearTimeout(timer);
      timer = null;
      await running?.catch(() => {});
    },
  };
}

export type Scheduler = ReturnType<typeof createScheduler>;
