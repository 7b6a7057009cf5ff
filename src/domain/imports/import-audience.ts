import type { AuditLog, MemberDirectory, MemberStore } from '../members/member-service.js';
import type { NewsletterList } from '../newsletter/newsletter.js';
import type { ConsentLog, ListStore, SubscriberStore, SubscriptionStore } from '../newsletter/newsletter-service.js';
import { importHash } from './import-ledger.js';

/** A reader of another system, as Kiosque can keep them (no name, no labels: see decision 0052). */
export interface ImportedMember {
  email: string;
  language: string;
  createdAt: Date;
  /** Paid access handed out by the old site's staff (Ghost's `comped`): complimentary, until revoked. */
  complimentary: boolean;
}

/**
 * Readers and newsletter subscribers of another system brought into Kiosque's member and newsletter
 * stores, each write idempotent by its natural key (an address, a list id made from the source id),
 * so a run killed between a write and its ledger entry repeats nothing. An imported subscription is
 * `confirmed` with the consent record saying where it came from and when (`imported`, the original
 * date): no confirmation email is sent and no double opt-in is pretended.
 */
export function createImportAudience(deps: {
  members: Pick<MemberStore, 'ensure'>;
  directory: Pick<MemberDirectory, 'setComplimentary'>;
  audit: Pick<AuditLog, 'record'>;
  subscribers: Pick<SubscriberStore, 'findByEmail' | 'insertIfAbsent'>;
  subscriptions: Pick<SubscriptionStore, 'find' | 'save'>;
  consents: Pick<ConsentLog, 'record'>;
  lists: Pick<ListStore, 'find' | 'insertIfAbsent'>;
  ids: (prefix: string) => string;
  clock: { now(): Date };
}) {
  const { ids, clock } = deps;
  return {
    /** The list a source newsletter becomes; its id is derived from the source, so a re-run finds it. */
    async ensureList(input: { system: string; sourceId: string; name: string; language: string }): Promise<string> {
      const id = `nll_${input.system}_${importHash({ id: input.sourceId }).slice(0, 16)}`;
      if (await deps.lists.find(id)) return id;
      const list: NewsletterList = {
        id,
        language: input.language,
        name: input.name.slice(0, 80) || input.sourceId,
        isDefault: false,
        digestTime: '07:00',
        createdAt: clock.now(),
      };
      await deps.lists.insertIfAbsent(list, null);
      return id;
    },

    /** The member with this address (made if absent, kept if there); complimentary access granted once. */
    async ensureMember(system: string, input: ImportedMember): Promise<string> {
      const { member, created } = await deps.members.ensure({
        id: ids('mem'),
        email: input.email,
        language: input.language,
        createdAt: input.createdAt,
      });
      const now = clock.now();
      if (created) {
        await deps.audit.record({
          at: now,
          memberId: member.id,
          actor: 'system',
          action: 'member.imported',
          details: { system },
        });
      }
      if (input.complimentary && !member.complimentary) {
        await deps.directory.setComplimentary(member.id, { until: null });
        await deps.audit.record({
          at: now,
          memberId: member.id,
          actor: 'system',
          action: 'complimentary.granted',
          details: { until: null, system },
        });
      }
      return member.id;
    },

    /**
     * Subscribes an address to a list as the old system had it. An address already on the list is
     * left as it is (someone who unsubscribed here stays unsubscribed).
     */
    async subscribe(input: { system: string; email: string; language: string; listId: string; since: Date }) {
      let subscriber = await deps.subscribers.findByEmail(input.email);
      if (!subscriber) {
        await deps.subscribers.insertIfAbsent({
          id: ids('sub'),
          email: input.email,
          language: input.language,
          sourcePath: `import:${input.system}`,
          createdAt: input.since,
          suppressedAt: null,
          suppressionReason: null,
        });
        subscriber = await deps.subscribers.findByEmail(input.email);
        if (!subscriber) return;
      }
      if (await deps.subscriptions.find(subscriber.id, input.listId)) return;
      const subscription = {
        subscriberId: subscriber.id,
        listId: input.listId,
        status: 'confirmed' as const,
        requestId: ids('req'),
        requestedAt: input.since,
        confirmationQueuedAt: null,
        confirmedAt: input.since,
        unsubscribedAt: null,
      };
      // The consent first: a kill between the two leaves a record and no subscription, which the
      // re-run completes, never a subscription nobody can account for.
      await deps.consents.record(
        {
          id: ids('cns'),
          subscriberId: subscriber.id,
          listId: input.listId,
          event: 'imported',
          at: input.since,
          sourcePath: `import:${input.system}`,
          wordingVersion: '',
          language: input.language,
          ip: '',
          userAgent: '',
        },
        null,
      );
      await deps.subscriptions.save(subscription, clock.now());
    },
  };
}

export type ImportAudience = ReturnType<typeof createImportAudience>;
