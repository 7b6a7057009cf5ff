import type { ChildProcess } from 'node:child_process';
import type { Kysely } from 'kysely';
import { createNewsletterRepository } from '../../src/storage/newsletter-repository.js';
import type { Database } from '../../src/storage/schema.js';
import { newsroom } from './articles.js';
import { exited } from './kiosque-process.js';
import { type SmtpSink, startSmtpSink } from './smtp-sink.js';
import type { TestSite } from './test-app.js';

/**
 * `count` confirmed members of a list, written straight through the repository (no confirmation
 * emails): `prefix` names their ids and addresses (`{prefix}-{i}@example.org`).
 */
export async function confirmedMembers(
  db: Kysely<Database>,
  options: { prefix: string; count: number; listId?: string; language?: string; at?: Date },
): Promise<string[]> {
  const { prefix, count, listId = 'nll_fr_default', language = 'fr', at = new Date() } = options;
  const repo = createNewsletterRepository(db);
  const addresses: string[] = [];
  for (let i = 0; i < count; i++) {
    const id = `sub_${prefix}_${String(i).padStart(3, '0')}`;
    const email = `${prefix}-${i}@example.org`;
    await repo.subscribers.insertIfAbsent({
      id,
      email,
      language,
      sourcePath: `/${language}/`,
      createdAt: at,
      suppressedAt: null,
      suppressionReason: null,
    });
    await repo.subscriptions.save(
      {
        subscriberId: id,
        listId,
        status: 'confirmed',
        requestId: `req_${prefix}_${i}`,
        requestedAt: at,
        confirmationQueuedAt: at,
        confirmedAt: at,
        unsubscribedAt: null,
      },
      at,
    );
    addresses.push(email);
  }
  return addresses;
}

/** A story published a minute ago, sent to the list now, as an owner would: the send is queued. */
export async function sendNewStory(
  site: TestSite,
  story: { slug: string; headline: string; listId?: string },
): Promise<{ articleId: string }> {
  const desk = newsroom(site.app.database.db, { now: () => new Date(Date.now() - 60_000) });
  const record = await desk.insert(
    desk.prepare({
      language: 'fr',
      slug: story.slug,
      headline: story.headline,
      bodyMarkdown: 'Texte.',
      status: 'published',
    }),
  );
  await site.app.newsletter.sendStory(
    { articleId: record.id, listId: story.listId ?? 'nll_fr_default', mode: 'now' },
    { id: 'staff_test', role: 'owner', authorId: null },
  );
  return { articleId: record.id };
}

/**
 * An SMTP server slow where real ones are (scanning a message before answering 250, `delayMs`)
 * that kills the sending process (`target()`) with SIGKILL exactly there, while answering the
 * `killAt`-th message: the server has it, the sender never heard so. `killed` resolves then.
 */
export async function startKillingSmtpSink(options: {
  killAt: number;
  delayMs: number;
  target: () => ChildProcess | null;
}): Promise<{ smtp: SmtpSink; killed: Promise<void> }> {
  let done: () => void = () => {};
  const killed = new Promise<void>((resolve) => {
    done = resolve;
  });
  const smtp: SmtpSink = await startSmtpSink({
    beforeAnswer: async () => {
      const child = options.target();
      if (smtp.received.length === options.killAt && child) {
        child.kill('SIGKILL');
        await exited(child);
        done();
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, options.delayMs));
    },
  });
  return { smtp, killed };
}
