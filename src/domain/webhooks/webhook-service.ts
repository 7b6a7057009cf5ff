import { z } from 'zod';
import type { Clock, IdGenerator } from '../clock.js';
import { isKiosqueError, KiosqueError } from '../errors.js';
import type { Integration } from '../integrations/integration.js';
import { type JobQueue, RetryLater } from '../jobs/job-queue.js';
import type { JobHandler } from '../jobs/job-worker.js';
import {
  answerBytesKept,
  type Delivery,
  type DeliveryError,
  type Happening,
  isWebhookEvent,
  logKeptMs,
  memberEvents,
  retryDelayMs,
  retryWindowMs,
  type Webhook,
  type WebhookEvent,
} from './webhook.js';

/** Subscriptions and their signing secrets. */
export interface WebhookStore {
  insert(webhook: Webhook, secret: string): Promise<void>;
  listFor(integrationId: string): Promise<Webhook[]>;
  /** Webhooks of `event` whose integration is not revoked. */
  subscribedTo(event: WebhookEvent): Promise<Webhook[]>;
  find(id: string): Promise<{ webhook: Webhook; secret: string } | null>;
  /** Deletes the webhook and its log. */
  remove(id: string): Promise<void>;
}

/** The delivery log, which is also each delivery's state. */
export interface DeliveryStore {
  /** Adds the delivery unless its webhook already has one for this event key (false then). */
  insert(delivery: Delivery): Promise<boolean>;
  find(id: string): Promise<Delivery | null>;
  /** The newest deliveries of these webhooks, newest first. */
  listFor(webhookIds: string[], limit: number): Promise<Delivery[]>;
  /** Records an attempt (and the next step) on a delivery still `pending`. */
  recordAttempt(
    id: string,
    change: Pick<
      Delivery,
      'status' | 'lastStatus' | 'lastError' | 'answer' | 'lastAttemptAt' | 'nextAttemptAt' | 'finishedAt'
    >,
  ): Promise<void>;
  /** "Send again": pending, its window starting now; false when it is pending already. */
  reopen(id: string, now: Date): Promise<boolean>;
  /** Deliveries still to be sent (their job may have been lost with a process). */
  pending(limit: number): Promise<Delivery[]>;
  /** Removes finished entries that finished before `before`; the count removed. */
  prune(before: Date): Promise<number>;
}

/** Sends one body: the answer whatever its status, or a HOOK_TARGET_* KiosqueError when none came. */
export interface WebhookSender {
  post(url: string, body: string, headers: Record<string, string>): Promise<{ status: number; answer: string }>;
}

/** Makes secrets and signs bodies (src/crypto/webhook-signature.ts). */
export interface WebhookSigning {
  newSecret(): string;
  /** The X-Kiosque-Signature value: `t=<unix seconds>,v1=<hex HMAC-SHA256 of "t.body">`. */
  sign(secret: string, unixSeconds: number, body: string): string;
}

export const deliverJobKind = 'webhook.deliver';
const deliverPayload = z.object({ deliveryId: z.string().min(1).max(200) });

const addInput = z.object({
  event: z.string().max(100),
  targetUrl: z
    .string()
    .trim()
    .max(2000)
    .refine((value) => {
      try {
        const url = new URL(value);
        return (url.protocol === 'http:' || url.protocol === 'https:') && url.username === '' && url.password === '';
      } catch {
        return false;
      }
    }),
});

/** Prunes at most this often per process: it rides on announcements, so an idle site has nothing to prune. */
const pruneEveryMs = 3_600_000;

/**
 * Outgoing webhooks (issue 13, decision 0048): subscriptions per integration and event, each
 * happening turned into one delivery per subscriber (a durable job), signed and POSTed with
 * retries for 24 hours, and the delivery log.
 */
export function createWebhookService(deps: {
  webhooks: WebhookStore;
  deliveries: DeliveryStore;
  queue: JobQueue;
  sender: WebhookSender;
  signing: WebhookSigning;
  integrations: { find(id: string): Promise<Integration> };
  /** Sent as User-Agent. */
  userAgent: string;
  clock: Clock;
  ids: IdGenerator;
  onQueued?: () => void;
}) {
  const { webhooks, deliveries, queue, clock, ids } = deps;
  let prunedAt = 0;

  async function ownWebhook(integrationId: string, webhookId: string): Promise<{ webhook: Webhook; secret: string }> {
    const found = await webhooks.find(webhookId);
    if (!found || found.webhook.integrationId !== integrationId) throw new KiosqueError('HOOK_NOT_FOUND');
    return found;
  }

  function jobFor(delivery: Pick<Delivery, 'id' | 'windowFrom'>, now: Date) {
    // One job per delivery and window: "Send again" opens a new window, so it is a new job.
    const key = `webhook:${delivery.id}:${delivery.windowFrom.getTime()}`;
    return queue.enqueue({ kind: deliverJobKind, payload: { deliveryId: delivery.id }, key }, now);
  }

  function errorOf(error: unknown): DeliveryError {
    if (isKiosqueError(error)) {
      const values: Record<string, string | number> = {};
      for (const [name, value] of Object.entries(error.details)) {
        if (typeof value === 'string' || typeof value === 'number') values[name] = value;
      }
      return { code: error.code, values };
    }
    return { code: 'HOOK_TARGET_UNREACHABLE', values: { reason: String(error).slice(0, 200) } };
  }

  async function deliver(payload: unknown): Promise<void> {
    const { deliveryId } = deliverPayload.parse(payload);
    const delivery = await deliveries.find(deliveryId);
    if (delivery?.status !== 'pending') return;
    const found = await webhooks.find(delivery.webhookId);
    if (!found) return;
    const sentAt = clock.now();
    const headers = {
      'content-type': 'application/json',
      'user-agent': deps.userAgent,
      'x-kiosque-event': delivery.event,
      'x-kiosque-delivery': delivery.id,
      'x-kiosque-signature': deps.signing.sign(found.secret, Math.floor(sentAt.getTime() / 1000), delivery.body),
    };
    let status: number | null = null;
    let answer: string | null = null;
    let failure: DeliveryError | null = null;
    try {
      const answered = await deps.sender.post(found.webhook.targetUrl, delivery.body, headers);
      status = answered.status;
      answer = cut(answered.answer);
      if (status < 200 || status > 299) failure = { code: 'HOOK_TARGET_REJECTED', values: { status } };
    } catch (error) {
      failure = errorOf(error);
    }
    const now = clock.now();
    const attempts = delivery.attempts + 1;
    const base = { lastStatus: status, lastError: failure, answer, lastAttemptAt: now };
    if (!failure) {
      await deliveries.recordAttempt(delivery.id, {
        ...base,
        status: 'delivered',
        nextAttemptAt: null,
        finishedAt: now,
      });
      return;
    }
    const next = new Date(now.getTime() + retryDelayMs(attempts));
    // A refused address stays refused until an admin allows it: waiting changes nothing ("Send again" after).
    const hopeless = failure.code === 'HOOK_TARGET_REFUSED';
    if (hopeless || next.getTime() > delivery.windowFrom.getTime() + retryWindowMs) {
      await deliveries.recordAttempt(delivery.id, { ...base, status: 'failed', nextAttemptAt: null, finishedAt: now });
      return;
    }
    await deliveries.recordAttempt(delivery.id, { ...base, status: 'pending', nextAttemptAt: next, finishedAt: null });
    throw new RetryLater(next, `${failure.code} ${JSON.stringify(failure.values)}`);
  }

  return {
    handlers: { [deliverJobKind]: deliver } as Record<string, JobHandler>,

    /** Adds a webhook; its signing secret is in this answer only. */
    async add(input: {
      integrationId: string;
      event: string;
      targetUrl: string;
      createdBy: string | null;
    }): Promise<{ webhook: Webhook; secret: string }> {
      const integration = await deps.integrations.find(input.integrationId);
      if (integration.revokedAt) throw new KiosqueError('INTEGRATION_NOT_FOUND');
      const parsed = addInput.safeParse(input);
      const fields: string[] = parsed.success ? [] : [...new Set(parsed.error.issues.map((i) => String(i.path[0])))];
      const event = parsed.success ? parsed.data.event : input.event;
      if (!isWebhookEvent(event) && !fields.includes('event')) fields.push('event');
      // A member's address is personal data: only an integration allowed to read members is told of them.
      if (isWebhookEvent(event) && memberEvents.includes(event) && !integration.scopes.includes('members:read'))
        fields.push('event');
      if (fields.length > 0 || !parsed.success || !isWebhookEvent(event))
        throw new KiosqueError('HOOK_INVALID', { fields: fields.join(', ') });
      const webhook: Webhook = {
        id: ids('hook'),
        integrationId: integration.id,
        event,
        targetUrl: parsed.data.targetUrl,
        createdBy: input.createdBy,
        createdAt: clock.now(),
      };
      const secret = deps.signing.newSecret();
      await webhooks.insert(webhook, secret);
      return { webhook, secret };
    },

    listFor: (integrationId: string) => webhooks.listFor(integrationId),

    async remove(integrationId: string, webhookId: string): Promise<void> {
      await ownWebhook(integrationId, webhookId);
      await webhooks.remove(webhookId);
    },

    /**
     * Whether any live webhook listens to `event`: the announcer asks before building a payload
     * (a story's ninjs document), so a site without webhooks pays one small query per change.
     */
    async listenedTo(event: WebhookEvent): Promise<boolean> {
      return (await webhooks.subscribedTo(event)).length > 0;
    },
    /**
     * Queues one delivery of `happening` to every webhook of its event, once per webhook and
     * happening key (an announcement heard twice adds nothing). Returns how many were queued.
     */
    async announce(happening: Happening): Promise<number> {
      const subscribers = await webhooks.subscribedTo(happening.event);
      const now = clock.now();
      let queued = 0;
      for (const webhook of subscribers) {
        const id = ids('whd');
        const body = JSON.stringify({
          id,
          event: happening.event,
          created_at: happening.at.toISOString(),
          data: happening.data,
        });
        const delivery: Delivery = {
          id,
          webhookId: webhook.id,
          event: happening.event,
          eventKey: happening.key,
          body,
          status: 'pending',
          attempts: 0,
          lastStatus: null,
          lastError: null,
          answer: null,
          createdAt: now,
          windowFrom: now,
          lastAttemptAt: null,
          nextAttemptAt: now,
          finishedAt: null,
        };
        // The row first: a job always finds its delivery; a row without a job is found by `resume`.
        if (!(await deliveries.insert(delivery))) continue;
        await jobFor(delivery, now);
        queued++;
      }
      if (queued > 0) deps.onQueued?.();
      if (now.getTime() - prunedAt > pruneEveryMs) {
        prunedAt = now.getTime();
        await deliveries.prune(new Date(now.getTime() - logKeptMs));
      }
      return queued;
    },

    /**
     * Queues the job of every pending delivery that has none (a process stopped between writing
     * the delivery and queueing its job); the job key makes this a no-op for the others.
     */
    async resume(): Promise<number> {
      let queued = 0;
      for (const delivery of await deliveries.pending(10_000)) {
        if (await jobFor(delivery, clock.now())) queued++;
      }
      return queued;
    },

    /** The integration's delivery log, newest first, with the webhook each entry went to. */
    async log(integrationId: string, limit = 100): Promise<{ webhooks: Webhook[]; deliveries: Delivery[] }> {
      const own = await webhooks.listFor(integrationId);
      return {
        webhooks: own,
        deliveries:
          own.length === 0
            ? []
            : await deliveries.listFor(
                own.map((w) => w.id),
                limit,
              ),
      };
    },

    /** "Send again": the same delivery (same id and body, signed anew), tried for another 24 hours. */
    async redeliver(integrationId: string, deliveryId: string): Promise<void> {
      const delivery = await deliveries.find(deliveryId);
      if (!delivery) throw new KiosqueError('HOOK_NOT_FOUND');
      await ownWebhook(integrationId, delivery.webhookId);
      const now = clock.now();
      if (!(await deliveries.reopen(delivery.id, now))) return;
      await jobFor({ id: delivery.id, windowFrom: now }, now);
      deps.onQueued?.();
    },
  };
}

export type WebhookService = ReturnType<typeof createWebhookService>;

/** The first 2 KB of an answer, cut on a character boundary. */
function cut(text: string): string {
  const bytes = (part: string) => utf8.encode(part).length;
  if (bytes(text) <= answerBytesKept) return text;
  let end = Math.min(text.length, answerBytesKept);
  while (end > 0 && bytes(text.slice(0, end)) > answerBytesKept) end--;
  return text.slice(0, end);
}

const utf8 = new TextEncoder();
