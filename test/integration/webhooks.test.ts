import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { verifyWebhookSignature } from '../../src/crypto/webhook-signature.js';
import type { ArticleRecord } from '../../src/domain/articles/article-input.js';
import type { WebhookEvent } from '../../src/domain/webhooks/webhook.js';
import { testByline } from '../support/articles.js';
import { describeEachDatabase } from '../support/databases.js';
import { textOf } from '../support/html.js';
import { signInMember } from '../support/members.js';
import { confirmedMembers, sendNewStory } from '../support/newsletter.js';
import { ninjsErrors } from '../support/ninjs-schema.js';
import { type SmtpSink, startSmtpSink } from '../support/smtp-sink.js';
import { type StaffAgent, setupOwner, staffClient } from '../support/staff.js';
import { startTestSite, type TestSite } from '../support/test-app.js';

/** The injected clock: the test moves it; nothing here sleeps. */
let now = new Date(Math.floor(Date.now() / 60_000) * 60_000);
const clock = { now: () => now };
const minutes = (n: number) => n * 60_000;

// biome-ignore lint/suspicious/noExplicitAny: a received body is walked by field name
type Body = { [key: string]: any };

interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  raw: string;
  body: Body;
  /** Whether X-Kiosque-Signature is this body's, with the path's secret, at the site's time. */
  signed: boolean;
}

/**
 * A real webhook receiver: node:http on 127.0.0.1 that checks each request's signature with the
 * secret of the webhook it stands for (one path per webhook) and the site's clock. `/broken`
 * answers 500 forever. It can stop and start again on the same port (a receiver that is down).
 */
async function startReceiver() {
  const received: Received[] = [];
  const secrets = new Map<string, string>();
  let server: Server | null = null;
  let port = 0;

  async function listen(): Promise<void> {
    const listening = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        const path = request.url ?? '';
        received.push({
          path,
          headers: request.headers,
          raw,
          body: JSON.parse(raw) as Body,
          signed: verifyWebhookSignature({
            header: request.headers['x-kiosque-signature'] as string | undefined,
            secret: secrets.get(path) ?? '',
            body: raw,
            now: clock.now(),
          }),
        });
        if (path === '/broken') {
          response.writeHead(500, { 'content-type': 'text/plain' });
          response.end(`receiver broke: database locked ${'x'.repeat(3000)}`);
          return;
        }
        response.writeHead(204);
        response.end();
      });
    });
    await new Promise<void>((resolve) => listening.listen(port, '127.0.0.1', resolve));
    port = (listening.address() as AddressInfo).port;
    server = listening;
  }
  await listen();

  return {
    received,
    secrets,
    url: (path: string) => `http://127.0.0.1:${port}${path}`,
    port: () => port,
    of: (event: WebhookEvent) => received.filter((r) => r.body.event === event),
    start: listen,
    async stop(): Promise<void> {
      const closing = server;
      server = null;
      if (!closing) return;
      closing.closeAllConnections();
      await new Promise<void>((resolve) => closing.close(() => resolve()));
    },
  };
}

/**
 * Outgoing webhooks (issue 13): each event an integration subscribes to reaches a real receiver,
 * signed with the webhook's secret and the time, once, through the durable job queue: story
 * events with the story's ninjs document (a paid story's without its body), translations out of
 * date, members, newsletters; a receiver down for an hour loses nothing, one that always fails is
 * marked failed after 24 hours with its answer in the log; private addresses are refused unless
 * allowed. The clock is injected and the worker driven by hand: nothing sleeps. On both databases.
 */
describeEachDatabase('webhooks on $kind', ({ kind }) => {
  let site: TestSite;
  let smtp: SmtpSink;
  let owner: StaffAgent;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let integrationId = '';
  let byline: string[] = [];
  const client = staffClient(() => site);

  /** What the site does between two requests: announcements queued, due jobs run. */
  async function flush(): Promise<void> {
    await site.app.webhookAnnouncer.idle();
    await site.app.jobs.runUntilIdle();
  }

  /** Moves the clock by `step` at a time up to `total`, running due jobs after each step. */
  async function passTime(total: number, step: number): Promise<void> {
    for (let passed = 0; passed < total; passed += step) {
      now = new Date(now.getTime() + step);
      await flush();
    }
  }

  async function subscribe(event: WebhookEvent, path: string): Promise<string> {
    const { webhook, secret } = await site.app.webhooks.add({
      integrationId,
      event,
      targetUrl: receiver.url(path),
      createdBy: null,
    });
    receiver.secrets.set(path, secret);
    return webhook.id;
  }

  async function publishedStory(headline: string, body: string, extra: { access?: 'paid' } = {}) {
    const draft = await site.app.articles.create({
      language: 'en',
      headline,
      standfirst: `${headline}: what happened.`,
      bodyMarkdown: body,
      authorIds: byline,
      ...extra,
    });
    return site.app.articles.publish(draft.id, { expectedRevision: draft.revision, actor: null });
  }

  const deliveryRow = (id: string) =>
    site.app.database.db.selectFrom('webhook_deliveries').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

  beforeAll(async () => {
    smtp = await startSmtpSink();
    receiver = await startReceiver();
    site = await startTestSite(kind, {
      clock,
      demo: false,
      env: { SMTP_URL: smtp.url, KIOSQUE_WEBHOOK_ALLOW_HOSTS: '127.0.0.1' },
    });
    owner = await setupOwner(site);
    byline = await testByline(site.app.database.db);
    const keys = await site.app.integrations.add({
      name: 'Partner',
      scopes: ['stories:read', 'members:read'],
      createdBy: null,
    });
    integrationId = keys.integration.id;
    for (const [event, path] of [
      ['story.updated', '/updated'],
      ['story.unpublished', '/unpublished'],
      ['translation.outdated', '/outdated'],
      ['member.created', '/members'],
      ['newsletter.sent', '/newsletters'],
    ] as const) {
      await subscribe(event, path);
    }
  });
  afterAll(async () => {
    await site?.close();
    await receiver?.stop();
    await smtp?.close();
  });

  it('adds a webhook in the admin, showing its signing secret only in that answer', async () => {
    const added = await client.form(owner, `/admin/integrations/${integrationId}/webhooks`, {
      event: 'story.published',
      targetUrl: receiver.url('/published'),
    });
    expect(added.statusCode, added.body.slice(0, 300)).toBe(201);
    const secret = /data-webhook-secret[^>]*>(whsec_[0-9a-f]{64})</.exec(added.body)?.[1] ?? '';
    expect(secret).not.toBe('');
    receiver.secrets.set('/published', secret);
    const page = await client.get(`/admin/integrations/${integrationId}`, owner);
    expect(page.body).toContain(receiver.url('/published'));
    expect(page.body).not.toContain(secret);

    const refused = await client.form(owner, `/admin/integrations/${integrationId}/webhooks`, {
      event: 'story.exploded',
      targetUrl: 'ftp://example.org/',
    });
    expect(refused.statusCode).toBe(400);
    expect(textOf(refused.body)).toMatch(/event, targetUrl|targetUrl, event/);
    expect((await site.app.webhooks.listFor(integrationId)).map((w) => w.event)).not.toContain('story.exploded');
  });

  it('refuses member events to an integration that may not read members', async () => {
    const other = await site.app.integrations.add({ name: 'Static site', createdBy: null });
    await expect(
      site.app.webhooks.add({
        integrationId: other.integration.id,
        event: 'member.created',
        targetUrl: receiver.url('/members'),
        createdBy: null,
      }),
    ).rejects.toMatchObject({ code: 'HOOK_INVALID', details: { fields: 'event' } });
  });

  it('POSTs story.published once, signed, with the story as a valid ninjs document', async () => {
    const story = await publishedStory('Harbour bridge reopens', 'The bridge reopened at dawn.\n\nTraffic resumed.');
    await flush();
    const [hit, ...more] = receiver.of('story.published');
    expect(more).toEqual([]);
    expect(hit?.path).toBe('/published');
    expect(hit?.signed).toBe(true);
    expect(hit?.headers['content-type']).toBe('application/json');
    expect(hit?.headers['user-agent']).toMatch(/^Kiosque-Webhooks\//);
    expect(hit?.headers['x-kiosque-event']).toBe('story.published');
    expect(hit?.headers['x-kiosque-delivery']).toBe(hit?.body.id);
    expect(hit?.headers['x-kiosque-signature']).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    expect(hit?.body.created_at).toBe(now.toISOString());
    expect(hit?.body.data.story).toMatchObject({ id: story.id, language: 'en', slug: story.slug });
    expect(ninjsErrors(hit?.body.data.ninjs)).toEqual([]);
    expect(hit?.body.data.ninjs.headlines[0].value).toBe('Harbour bridge reopens');
    expect(hit?.body.data.ninjs.bodies[0].value).toContain('The bridge reopened at dawn.');
    // The same document the ninjs API serves.
    const api = await site.app.server.inject({ method: 'GET', url: `/api/ninjs/en/${story.slug}` });
    expect(hit?.body.data.ninjs).toEqual(JSON.parse(api.body));
    expect((await deliveryRow(hit?.body.id)).status).toBe('delivered');
  });

  it('sends a paid story without its gated text', async () => {
    const before = receiver.of('story.published').length;
    await publishedStory(
      'River sensors findings',
      'First paragraph for all.\n\nSecond paragraph for all.\n\nThe tannery quarter drains here.\n\nSettling basin numbers.',
      { access: 'paid' },
    );
    await flush();
    const hit = receiver.of('story.published')[before];
    expect(hit?.signed).toBe(true);
    expect(ninjsErrors(hit?.body.data.ninjs)).toEqual([]);
    expect(hit?.body.data.ninjs.bodies).toBeUndefined();
    expect(hit?.raw).not.toContain('tannery quarter');
    expect(hit?.raw).not.toContain('Settling basin');
  });

  it('tells of new words while live, an unpublication and a deletion, the last two by ids only', async () => {
    const story = await publishedStory('Tram line extended', 'The tram reaches the port.');
    const edited = await site.app.articles.edit(
      story.id,
      {
        language: 'en',
        slug: story.slug,
        headline: 'Tram line extended to the port',
        standfirst: story.standfirst,
        bodyMarkdown: 'The tram reaches the port from Monday.',
        authorIds: byline,
      },
      { expectedRevision: story.revision, actor: null },
    );
    // Announced as the story is when the event is heard: staff take a moment before withdrawing it.
    await flush();
    const withdrawn = await site.app.articles.unpublish(story.id, { expectedRevision: edited.revision, actor: null });
    await flush();
    const updated = receiver.of('story.updated').filter((r) => r.body.data.story.id === story.id);
    expect(updated).toHaveLength(1);
    expect(updated[0]?.signed).toBe(true);
    expect(updated[0]?.body.data.ninjs.headlines[0].value).toBe('Tram line extended to the port');
    const unpublished = receiver.of('story.unpublished').filter((r) => r.body.data.story.id === story.id);
    expect(unpublished).toHaveLength(1);
    expect(unpublished[0]?.body.data.ninjs).toBeUndefined();
    expect(unpublished[0]?.body.data.story).toMatchObject({ id: story.id, slug: story.slug, language: 'en' });
    expect(unpublished[0]?.body.data.story.uri).toMatch(/^urn:uuid:/);

    await subscribe('story.deleted', '/deleted');
    const again = await site.app.articles.publish(story.id, { expectedRevision: withdrawn.revision, actor: null });
    await site.app.articles.remove(story.id, { expectedRevision: again.revision, actor: null });
    await flush();
    const deleted = receiver.of('story.deleted');
    expect(deleted).toHaveLength(1);
    expect(deleted[0]?.signed).toBe(true);
    expect(deleted[0]?.body.data).toEqual({ story: expect.objectContaining({ id: story.id }) });
  });

  it('tells when a change to a source puts its translation out of date, once', async () => {
    const source = await publishedStory('Council votes budget', 'The council voted the budget.');
    const translation = await site.app.articles.create({
      language: 'fr',
      headline: 'Le conseil vote le budget',
      bodyMarkdown: 'Le conseil a voté le budget.',
      authorIds: byline,
      translationGroup: source.translationGroup,
      translationOf: { articleId: source.id, revision: source.textRevision },
    });
    const edit = (record: ArticleRecord, body: string) =>
      site.app.articles.edit(
        record.id,
        {
          language: 'en',
          slug: record.slug,
          headline: record.headline,
          standfirst: record.standfirst,
          bodyMarkdown: body,
          authorIds: byline,
        },
        { expectedRevision: record.revision, actor: null },
      );
    const first = await edit(source, 'The council voted the budget, 31 to 12.');
    // Already out of date: a second change tells nothing new.
    await edit(first, 'The council voted the budget, 31 to 12, after midnight.');
    await flush();
    const hits = receiver.of('translation.outdated');
    expect(hits).toHaveLength(1);
    expect(hits[0]?.signed).toBe(true);
    expect(hits[0]?.body.data.translation).toMatchObject({ id: translation.id, language: 'fr' });
    expect(hits[0]?.body.data.source).toMatchObject({ id: source.id, text_revision: first.textRevision });
  });

  it('tells of a new member and of a newsletter sent', async () => {
    await signInMember(site, smtp, 'reader@example.org');
    await flush();
    const members = receiver.of('member.created');
    expect(members).toHaveLength(1);
    expect(members[0]?.signed).toBe(true);
    expect(members[0]?.body.data.member).toMatchObject({ email: 'reader@example.org', tier: 'free' });

    // The newsletter's story was published a minute before the wall clock: the site's clock is after it.
    now = new Date(Math.max(now.getTime(), Date.now()) + minutes(1));
    await confirmedMembers(site.app.database.db, { prefix: 'hooks', count: 2, at: now });
    const { articleId } = await sendNewStory(site, { slug: 'lettre-du-port', headline: 'Lettre du port' });
    await flush();
    const sent = receiver.of('newsletter.sent');
    expect(sent).toHaveLength(1);
    expect(sent[0]?.signed).toBe(true);
    expect(sent[0]?.body.data.newsletter).toMatchObject({
      kind: 'story',
      list: { id: 'nll_fr_default', language: 'fr' },
      story_ids: [articleId],
    });
  });

  it('loses nothing while the receiver is down for an hour: each event arrives once, after several attempts', async () => {
    await receiver.stop();
    const before = receiver.received.length;
    const story = await publishedStory('Ferry strike called off', 'The ferries sail again.');
    await site.app.articles.edit(
      story.id,
      {
        language: 'en',
        slug: story.slug,
        headline: story.headline,
        standfirst: story.standfirst,
        bodyMarkdown: 'The ferries sail again from noon.',
        authorIds: byline,
      },
      { expectedRevision: story.revision, actor: null },
    );
    await flush();
    await passTime(minutes(60), minutes(5));
    expect(receiver.received.length).toBe(before);
    await receiver.start();
    await passTime(minutes(60), minutes(5));

    const arrived = receiver.received.slice(before);
    expect(arrived.map((r) => r.body.event).sort()).toEqual(['story.published', 'story.updated']);
    expect(arrived.every((r) => r.signed)).toBe(true);
    for (const hit of arrived) {
      const row = await deliveryRow(hit.body.id);
      expect(row.status).toBe('delivered');
      expect(Number(row.attempts)).toBeGreaterThan(5);
    }
    // The log says so, in the staff member's language, with "Send again".
    const log = await client.get(`/admin/integrations/${integrationId}/deliveries`, owner);
    expect(log.statusCode).toBe(200);
    const published = arrived.find((r) => r.body.event === 'story.published');
    const entry = new RegExp(`data-delivery="${published?.body.id}" data-status="delivered"`);
    expect(log.body).toMatch(entry);
  });

  it('marks a delivery failed after 24 hours of 500s, with the answer in the log, and sends it again on demand', async () => {
    const hook = await subscribe('story.published', '/broken');
    const before = receiver.received.filter((r) => r.path === '/broken').length;
    await publishedStory('Lighthouse restored', 'The lighthouse shines again.');
    await flush();
    await passTime(minutes(25 * 60), minutes(60));
    const calls = receiver.received.filter((r) => r.path === '/broken').slice(before);
    expect(calls.length).toBeGreaterThan(20);
    expect(calls.every((r) => r.signed)).toBe(true);
    const id = calls[0]?.body.id as string;
    const row = await deliveryRow(id);
    expect(row.status).toBe('failed');
    expect(Number(row.attempts)).toBe(calls.length);
    expect(Number(row.last_status)).toBe(500);
    expect(row.answer?.startsWith('receiver broke: database locked')).toBe(true);
    expect(Buffer.byteLength(row.answer ?? '')).toBeLessThanOrEqual(2048);

    const log = await client.get(`/admin/integrations/${integrationId}/deliveries`, owner);
    expect(log.body).toMatch(new RegExp(`data-delivery="${id}" data-status="failed"`));
    expect(textOf(log.body)).toContain('receiver broke: database locked');
    expect(textOf(log.body)).toMatch(/HTTP status 500|statut HTTP 500/);

    const resend = await client.form(owner, `/admin/integrations/${integrationId}/deliveries/${id}/resend`, {});
    expect(resend.statusCode).toBe(303);
    await flush();
    expect(receiver.received.filter((r) => r.path === '/broken').length).toBe(before + calls.length + 1);
    expect((await deliveryRow(id)).status).toBe('pending');

    const removed = await client.form(owner, `/admin/integrations/${integrationId}/webhooks/${hook}/delete`, {});
    expect(removed.statusCode).toBe(303);
    expect(await site.app.webhooks.listFor(integrationId)).not.toContainEqual(expect.objectContaining({ id: hook }));
  });

  it('delivers a change made on one of two instances sharing the database once', async () => {
    const second = await startTestSite(kind, {
      clock,
      demo: false,
      instanceOf: site,
      env: { SMTP_URL: smtp.url, KIOSQUE_WEBHOOK_ALLOW_HOSTS: '127.0.0.1' },
    });
    try {
      const before = receiver.of('story.published').length;
      // On PostgreSQL the other instance hears every change too (SQLite is one process: it hears nothing).
      const heard = new Promise<void>((resolve) => {
        const stop = second.app.events.subscribe((event) => {
          if (event.type === 'article.changed' && event.after?.visible) {
            stop();
            resolve();
          }
        });
      });
      const story = await publishedStory('Two instances, one story', 'Told once.');
      if (kind === 'postgres') await heard;
      await second.app.webhookAnnouncer.idle();
      await flush();
      await second.app.jobs.runUntilIdle();
      const hits = receiver.of('story.published').slice(before);
      expect(hits.filter((r) => r.path === '/published').map((r) => r.body.data.story.id)).toEqual([story.id]);
    } finally {
      await second.close();
    }
  });

  it('refuses a receiver on a private address that is not allowed, and says so in the log', async () => {
    const path = '/private';
    const { webhook } = await site.app.webhooks.add({
      integrationId,
      event: 'story.unpublished',
      // localhost is not in KIOSQUE_WEBHOOK_ALLOW_HOSTS (only 127.0.0.1 is): it resolves to a loopback address.
      targetUrl: `http://localhost:${receiver.port()}${path}`,
      createdBy: null,
    });
    const story = await publishedStory('Quay closed for works', 'The quay closes.');
    await site.app.articles.unpublish(story.id, { expectedRevision: story.revision, actor: null });
    await flush();
    expect(receiver.received.filter((r) => r.path === path)).toEqual([]);
    const row = await site.app.database.db
      .selectFrom('webhook_deliveries')
      .selectAll()
      .where('webhook_id', '=', webhook.id)
      .executeTakeFirstOrThrow();
    expect(row.status).toBe('failed');
    expect(JSON.parse(row.last_error ?? '{}')).toMatchObject({ code: 'HOOK_TARGET_REFUSED' });
    const log = await client.get(`/admin/integrations/${integrationId}/deliveries`, owner);
    expect(textOf(log.body)).toMatch(/KIOSQUE_WEBHOOK_ALLOW_HOSTS/);
  });
});
