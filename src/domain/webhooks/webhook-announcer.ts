import type { Clock } from '../clock.js';
import type { ArticleChanged, ArticleFacts } from '../events.js';
import { type Member, statusOf, tierOf } from '../members/member.js';
import type { NewsletterList, NewsletterSend } from '../newsletter/newsletter.js';
import { type Happening, storyEventsOf, type WebhookEvent, wordsChanged } from './webhook.js';

/** A public story as the ninjs API serves it (the web layer knows its addresses). */
export interface StoryDocuments {
  /** The story's permanent `urn:uuid:` (as in its feeds and ninjs document). */
  uriOf(articleId: string): string;
  /** The public story's ninjs document; null when readers cannot see it. */
  publicDocument(language: string, slug: string): Promise<unknown | null>;
}

/** Translations saved against a revision from `wasCurrentFrom` on, but older than `textRevision`. */
export type OutdatedTranslations = (
  sourceId: string,
  wasCurrentFrom: number,
  textRevision: number,
) => Promise<{ id: string; language: string; slug: string; sourceRevision: number }[]>;

/**
 * Turns what happened in the newsroom, to members and to newsletters into webhook happenings
 * (decision 0048). Called by the instance that made the change only, and each happening carries
 * a key, so an event is delivered once however many instances share the database.
 */
export function createWebhookAnnouncer(deps: {
  webhooks: {
    announce(happening: Happening): Promise<number>;
    listenedTo(event: WebhookEvent): Promise<boolean>;
  };
  documents: StoryDocuments;
  outdatedTranslations: OutdatedTranslations;
  members: { findById(id: string): Promise<Member | null> };
  clock: Clock;
  onError: (error: unknown) => void;
}) {
  const { webhooks, clock } = deps;
  let last: Promise<void> = Promise.resolve();

  /**
   * Runs in the background (listeners are synchronous), one after the other, so deliveries are
   * queued in the order things happened; `idle()` waits for the last.
   */
  function track(work: () => Promise<void>): void {
    last = last.then(work).catch(deps.onError);
  }

  function storyOf(articleId: string, facts: ArticleFacts) {
    return {
      id: articleId,
      uri: deps.documents.uriOf(articleId),
      language: facts.language,
      slug: facts.slug,
      translation_group: facts.translationGroup,
      revision: facts.revision,
      text_revision: facts.textRevision,
    };
  }

  async function articleChanged(change: ArticleChanged): Promise<void> {
    const at = clock.now();
    const facts = change.after ?? change.before;
    if (!facts) return;
    for (const event of storyEventsOf(change)) {
      if (!(await webhooks.listenedTo(event))) continue;
      const data: Record<string, unknown> = { story: storyOf(change.articleId, facts) };
      if (event === 'story.corrected' && change.corrected) data.correction = change.corrected;
      if (event === 'story.published' || event === 'story.updated' || event === 'story.corrected') {
        const document = await deps.documents.publicDocument(facts.language, facts.slug);
        // Changed again meanwhile and no longer public: the next event tells of it.
        if (document === null) continue;
        data.ninjs = document;
      }
      await webhooks.announce({ event, key: `${event}:${change.articleId}:${facts.revision}`, at, data });
    }
    if (wordsChanged(change) && change.before && (await webhooks.listenedTo('translation.outdated'))) {
      const source = change.after;
      const outdated = await deps.outdatedTranslations(
        change.articleId,
        change.before.textRevision,
        source.textRevision,
      );
      for (const translation of outdated) {
        await webhooks.announce({
          event: 'translation.outdated',
          key: `translation.outdated:${translation.id}:${source.textRevision}`,
          at,
          data: {
            translation: {
              id: translation.id,
              language: translation.language,
              slug: translation.slug,
              source_revision: translation.sourceRevision,
            },
            source: storyOf(change.articleId, source),
          },
        });
      }
    }
  }

  async function memberChanged(entry: { memberId: string; action: string; at: Date }): Promise<void> {
    // An erased account leaves only a pseudonym: there is no one left to describe.
    if (entry.action === 'member.deleted') return;
    const member = await deps.members.findById(entry.memberId);
    if (!member) return;
    const event = entry.action === 'member.created' ? 'member.created' : 'member.changed';
    const now = clock.now();
    await webhooks.announce({
      event,
      key: `${event}:${member.id}:${entry.at.toISOString()}:${entry.action}`,
      at: entry.at,
      data: {
        member: {
          id: member.id,
          email: member.email,
          language: member.language,
          created_at: member.createdAt.toISOString(),
          tier: tierOf(member, now),
          status: statusOf(member, now),
        },
        change: entry.action,
      },
    });
  }

  async function newsletterSent(send: NewsletterSend, list: NewsletterList): Promise<void> {
    await webhooks.announce({
      event: 'newsletter.sent',
      key: `newsletter.sent:${send.id}`,
      at: clock.now(),
      data: {
        newsletter: {
          send_id: send.id,
          kind: send.kind,
          list: { id: list.id, name: list.name, language: list.language },
          story_ids: send.articleIds,
          story_uris: send.articleIds.map((id) => deps.documents.uriOf(id)),
        },
      },
    });
  }

  return {
    /** For the event bus: story events and out-of-date translations, in the background. */
    articleChanged: (change: ArticleChanged) => track(() => articleChanged(change)),
    /** For the member audit log: every change to a member is written there. */
    memberChanged: (entry: { memberId: string; action: string; at: Date }) => track(() => memberChanged(entry)),
    /** Awaited by the newsletter sender: a failure retries the send's job, which announces again (once, by key). */
    newsletterSent,
    /** Resolves when no announcement is under way (tests; shutting down). */
    async idle(): Promise<void> {
      let seen: Promise<void> | null = null;
      while (seen !== last) {
        seen = last;
        await seen;
      }
    },
  };
}

export type WebhookAnnouncer = ReturnType<typeof createWebhookAnnouncer>;
