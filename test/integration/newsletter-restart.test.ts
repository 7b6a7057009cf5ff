import type { ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createNewsletterRepository } from '../../src/storage/newsletter-repository.js';
import { newsroom } from '../support/articles.js';
import { describeEachDatabase } from '../support/databases.js';
import { databaseEnv, exited, runKiosque } from '../support/kiosque-process.js';
import { type SmtpSink, startSmtpSink } from '../support/smtp-sink.js';
import { freePort, startTestSite, type TestSite } from '../support/test-app.js';

const members = 50;
/** The message during whose answer the sending process is killed. */
const killedAt = 20;

/**
 * The sending process is a real `kiosque serve` (a child process). The SMTP server is slow where
 * real ones are (scanning a message before answering 250), and the process is killed with
 * SIGKILL exactly there, mid-send: the server has the message, the sender never heard so.
 */
describeEachDatabase('a newsletter send killed midway on $kind', ({ kind }) => {
  let site: TestSite;
  let smtp: SmtpSink;
  let child: ChildProcess | null = null;
  let killed: () => void = () => {};
  const wasKilled = new Promise<void>((resolve) => {
    killed = resolve;
  });

  async function serve(): Promise<ChildProcess> {
    const process_ = runKiosque(
      ['serve'],
      {
        ...databaseEnv(site.database),
        LOG_LEVEL: 'silent',
        PORT: String(await freePort()),
        KIOSQUE_DEMO: 'off',
        SMTP_URL: smtp.url,
        KIOSQUE_MAIL_RATE_PER_MINUTE: '100000',
        KIOSQUE_JOB_LEASE_SECONDS: '2',
      },
      'ignore',
    );
    child = process_;
    return process_;
  }

  beforeAll(async () => {
    smtp = await startSmtpSink({
      beforeAnswer: async () => {
        if (smtp.received.length === killedAt && child) {
          child.kill('SIGKILL');
          await exited(child);
          killed();
          return;
        }
        await new Promise((resolve) => setTimeout(resolve, 40));
      },
    });
    site = await startTestSite(kind, { demo: false });
    const repo = createNewsletterRepository(site.app.database.db);
    const now = new Date();
    for (let i = 0; i < members; i++) {
      const id = `sub_${String(i).padStart(3, '0')}`;
      await repo.subscribers.insertIfAbsent({
        id,
        email: `membre-${i}@example.org`,
        language: 'fr',
        sourcePath: '/fr/',
        createdAt: now,
        suppressedAt: null,
        suppressionReason: null,
      });
      await repo.subscriptions.save(
        {
          subscriberId: id,
          listId: 'nll_fr_default',
          status: 'confirmed',
          requestId: `req_${i}`,
          requestedAt: now,
          confirmationQueuedAt: now,
          confirmedAt: now,
          unsubscribedAt: null,
        },
        now,
      );
    }
    const desk = newsroom(site.app.database.db, { now: () => new Date(Date.now() - 60_000) });
    const story = await desk.insert(
      desk.prepare({
        language: 'fr',
        slug: 'une-lettre',
        headline: 'Une lettre',
        bodyMarkdown: 'Texte.',
        status: 'published',
      }),
    );
    await site.app.newsletter.sendStory(
      { articleId: story.id, listId: 'nll_fr_default', mode: 'now' },
      { id: 'staff_test', role: 'owner', authorId: null },
    );
    // The in-process app queued the send but runs no worker: the child processes send it.
    await site.app.close();
  }, 120_000);

  afterAll(async () => {
    if (child && child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
      await exited(child);
    }
    await smtp?.close();
    await site?.database.drop();
  });

  it('resumes after a restart: every member receives the send exactly once', async () => {
    const first = await serve();
    await wasKilled;
    expect(first.signalCode).toBe('SIGKILL');
    expect(smtp.received).toHaveLength(killedAt);

    const second = await serve();
    await smtp.waitFor(members, 240_000);
    // A little longer: a duplicate would arrive now.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    second.kill('SIGTERM');
    await exited(second);

    const counts = Array.from({ length: members }, (_, i) => smtp.countFor(`membre-${i}@example.org`));
    expect(counts).toEqual(Array.from({ length: members }, () => 1));
    expect(smtp.received).toHaveLength(members);
  }, 300_000); // Two cold starts of `kiosque serve`: seconds each on a loaded machine.
});
