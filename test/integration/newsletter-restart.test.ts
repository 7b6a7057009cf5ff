import type { ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openDatabase } from '../../src/storage/database.js';
import { describeEachDatabase } from '../support/databases.js';
import { databaseEnv, exited, runKiosque } from '../support/kiosque-process.js';
import { confirmedMembers, sendNewStory, startKillingSmtpSink } from '../support/newsletter.js';
import type { SmtpSink } from '../support/smtp-sink.js';
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
  let wasKilled: Promise<void>;
  let child: ChildProcess | null = null;

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

  /** Resolves once the send is finished: its run went through every member, so no more mail can come of it. */
  async function sendFinished(within = 60_000): Promise<void> {
    const handle = await openDatabase(site.database.config);
    try {
      const deadline = Date.now() + within;
      for (;;) {
        const send = await handle.db.selectFrom('newsletter_sends').select('status').executeTakeFirstOrThrow();
        if (send.status === 'done') return;
        if (Date.now() > deadline) throw new Error(`the send is still ${send.status}`);
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
    } finally {
      await handle.close();
    }
  }

  beforeAll(async () => {
    ({ smtp, killed: wasKilled } = await startKillingSmtpSink({ killAt: killedAt, delayMs: 40, target: () => child }));
    site = await startTestSite(kind, { demo: false });
    await confirmedMembers(site.app.database.db, { prefix: 'membre', count: members });
    await sendNewStory(site, { slug: 'une-lettre', headline: 'Une lettre' });
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
    // A duplicate would be sent before the send is marked done; after that, none can come.
    await sendFinished();
    second.kill('SIGTERM');
    await exited(second);

    const counts = Array.from({ length: members }, (_, i) => smtp.countFor(`membre-${i}@example.org`));
    expect(counts).toEqual(Array.from({ length: members }, () => 1));
    expect(smtp.received).toHaveLength(members);
  }, 300_000); // Two cold starts of `kiosque serve`: seconds each on a loaded machine.
});
