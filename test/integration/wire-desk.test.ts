import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, utimes, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ParsedWireItem } from '../../src/domain/wire/wire-item.js';
import { createWireFolderWatcher } from '../../src/ingest/wire-folder.js';
import { describeEachDatabase } from '../support/databases.js';
import { decodeEntities, textOf } from '../support/html.js';
import { addMember, editorFormOf, multipartForm, type StaffAgent, setupOwner, staffClient } from '../support/staff.js';
import { startTestSite, type TestSite } from '../support/test-app.js';

/** A wire item as a parser would hand it over. */
function parsed(overrides: Partial<ParsedWireItem> = {}): ParsedWireItem {
  return {
    format: 'ninjs',
    wireId: 'urn:newsml:example.org:20261203:storm',
    version: 1,
    originalUrl: 'https://wire.example.org/2026/12/03/storm',
    language: 'en',
    headline: 'Storm closes the northern ports',
    standfirst: 'Ferries stay in harbour as winds reach 120 km/h.',
    bylines: ['Jane Wirewriter', 'Omar Field'],
    dateline: 'BREST, Dec. 3',
    publishedAt: new Date('2026-12-03T08:00:00Z'),
    embargoUntil: null,
    rights: 'For subscribers of Example Wire only.',
    topics: ['weather', 'transport'],
    genres: [],
    leadImage: null,
    body: [
      { kind: 'paragraph', text: 'The storm reached the coast before dawn.' },
      { kind: 'paragraph', text: 'All ferries stayed in harbour.' },
      { kind: 'quote', text: 'We have never seen waves like these.', cite: 'A harbour master' },
    ],
    bodyIsTeaser: false,
    ...overrides,
  };
}

const bytesOf = (text: string) => new TextEncoder().encode(text);
const fixture = (name: string) => readFile(new URL(`../fixtures/wire/${name}`, import.meta.url));

/**
 * A wire provider on 127.0.0.1: an RSS feed with an ETag (304 when the client sends it back), a
 * teaser item whose page is served too, a lead image (a PNG made here), and a switch to answer 500.
 */
async function startProvider() {
  const png = await sharp({ create: { width: 640, height: 400, channels: 3, background: '#2a6f97' } })
    .png()
    .toBuffer();
  // Thirteen times wider than high: outside the pixel budget's shapes (image-budget.ts).
  const strip = await sharp({ create: { width: 1300, height: 100, channels: 3, background: '#2a6f97' } })
    .png()
    .toBuffer();
  const state = { failing: false, broken: false, requests: [] as { url: string; ifNoneMatch: string | null }[] };
  let base = '';
  const server: Server = createServer((request: IncomingMessage, response) => {
    state.requests.push({ url: request.url ?? '', ifNoneMatch: (request.headers['if-none-match'] as string) ?? null });
    if (state.failing) {
      response.writeHead(500, { 'content-type': 'text/plain' }).end('down');
      return;
    }
    if (request.url === '/feed.xml' && state.broken) {
      response
        .writeHead(200, { 'content-type': 'application/rss+xml' })
        .end('<?xml version="1.0"?><rss version="2.0"><channel><title>Cut');
      return;
    }
    if (request.url === '/feed.xml') {
      if (request.headers['if-none-match'] === '"v1"') {
        response.writeHead(304, { etag: '"v1"' }).end();
        return;
      }
      response
        .writeHead(200, { 'content-type': 'application/rss+xml; charset=utf-8', etag: '"v1"' })
        .end(`<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>Local wire</title><link>${base}/</link><description>Test</description><language>en</language>
<item><title>Tide record at the old port</title><link>${base}/stories/tide</link><guid isPermaLink="false">local-tide-1</guid><pubDate>Thu, 03 Dec 2026 07:30:00 +0000</pubDate>
<content:encoded><![CDATA[<p>The tide reached a record height at the old port on Thursday morning.</p><p>No damage was reported.</p>]]></content:encoded></item>
<item><title>Night ferry returns next spring</title><link>${base}/stories/ferry</link><guid isPermaLink="false">local-ferry-1</guid><pubDate>Thu, 03 Dec 2026 06:00:00 +0000</pubDate>
<description>The night ferry returns in April. Read more</description></item>
</channel></rss>`);
      return;
    }
    if (request.url === '/images/harbour.png' || request.url === '/images/strip.png') {
      response.writeHead(200, { 'content-type': 'image/png' }).end(request.url === '/images/strip.png' ? strip : png);
      return;
    }
    if (request.url === '/images/page.png') {
      response.writeHead(200, { 'content-type': 'image/png' }).end('<!doctype html><title>Not a picture</title>');
      return;
    }
    if (request.url?.split('?')[0] === '/stories/ferry') {
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(
        `<!doctype html><html lang="en"><head><title>Night ferry returns next spring</title></head><body><nav>Home · World · Subscribe now</nav><article><h1>Night ferry returns next spring</h1>
<p>The night ferry between the two islands returns in April, the operator announced on Thursday, after a winter of repairs.</p>
<p>Tickets go on sale in February, at the same prices as last year, and cabins can be booked online or at the harbour office.</p>
<p>The crossing takes nine hours and leaves at ten in the evening, three times a week until June, then every night.</p></article></body></html>`,
      );
      return;
    }
    response.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  return { state, base, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

describeEachDatabase('the wire desk on $kind', ({ kind }) => {
  let site: TestSite;
  let owner: StaffAgent;
  let editor: StaffAgent;
  let author: StaffAgent;
  let contributor: StaffAgent;
  let http: ReturnType<typeof staffClient>;
  const db = () => site.app.database.db;
  const countOf = async (table: 'wire_items' | 'images') =>
    Number(
      (
        await db()
          .selectFrom(table)
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  const itemsCount = () => countOf('wire_items');

  /** Uploads files through the queue page's form, as `agent`. */
  async function upload(agent: StaffAgent, files: { name: string; type: string; bytes: Buffer }[]) {
    const body = multipartForm(agent.csrf, files);
    return site.app.server.inject({
      method: 'POST',
      url: '/admin/wire/upload',
      headers: { cookie: agent.cookie, 'content-type': body.contentType },
      payload: body.payload,
    });
  }

  /** Receives one item from a built-in source, as a parser would hand it over; its id. */
  async function receiveOne(source: 'upload' | 'url', overrides: Partial<ParsedWireItem>): Promise<string> {
    const report = await site.app.wire.receive(
      await site.app.wire.builtIn(source),
      [parsed(overrides)],
      bytesOf('<x>'),
    );
    return report.stored[0]!;
  }

  let provider: Awaited<ReturnType<typeof startProvider>>;
  let folder: string;

  beforeAll(async () => {
    provider = await startProvider();
    folder = await mkdtemp(path.join(tmpdir(), 'kiosque-wire-folder-'));
    site = await startTestSite(kind, {
      demo: false,
      env: { KIOSQUE_WIRE_ALLOW_HOSTS: '127.0.0.1', KIOSQUE_WIRE_FOLDER: folder },
    });
    http = staffClient(site);
    owner = await setupOwner(site);
    editor = await addMember(site, 'editor', 'wire-editor@example.org', undefined, 'Edna Editor', 'en');
    author = await addMember(site, 'author', 'wire-author@example.org', undefined, 'Arthur Author', 'en');
    contributor = await addMember(site, 'contributor', 'wire-contrib@example.org', undefined, 'Cora Contrib', 'fr');
  }, 120_000);
  afterAll(async () => {
    await site?.close();
    await provider?.close();
  });

  describe('dedupe and versions', () => {
    it('keeps an item once, whether it comes again by wire id and version, by URL or by content', async () => {
      const source = await site.app.wire.builtIn('upload');
      const first = await site.app.wire.receive(source, [parsed()], bytesOf('<original bytes>'));
      expect(first.stored).toHaveLength(1);
      const before = await itemsCount();

      const again = await site.app.wire.receive(
        source,
        [
          // Same wire id and version, other words: the provider sent it twice.
          parsed({ headline: 'Storm closes the northern ports (resent)' }),
          // Another wire id, the same original address with tracking parameters and www.
          parsed({
            wireId: 'other-id',
            headline: 'Another headline',
            originalUrl: 'https://www.wire.example.org/2026/12/03/storm?utm_source=feed',
          }),
          // No wire id, no URL, the same text with other spacing.
          parsed({ wireId: null, originalUrl: null, headline: '  Storm closes  the northern\nports' }),
        ],
        bytesOf('<again>'),
      );
      expect(again).toMatchObject({ stored: [], duplicates: 3 });
      expect(await itemsCount()).toBe(before);

      // The bytes were kept as received.
      const row = await db()
        .selectFrom('wire_items')
        .selectAll()
        .where('id', '=', first.stored[0]!)
        .executeTakeFirstOrThrow();
      expect(Buffer.from(row.received_bytes).toString('utf8')).toBe('<original bytes>');
    });

    it('stores a higher version linked to the one it replaces, and its page shows what changed', async () => {
      const source = await site.app.wire.builtIn('upload');
      const v2 = await site.app.wire.receive(
        source,
        [
          parsed({
            version: 2,
            headline: 'Storm closes the northern ports, two missing',
            body: [
              { kind: 'paragraph', text: 'The storm reached the coast before dawn.' },
              { kind: 'paragraph', text: 'Two fishermen are missing off Ushant.' },
              { kind: 'quote', text: 'We have never seen waves like these.', cite: 'A harbour master' },
            ],
          }),
        ],
        bytesOf('<v2>'),
      );
      expect(v2).toMatchObject({ versions: 1, duplicates: 0 });
      const older = await site.app.wire.receive(source, [parsed({ version: 1 })], bytesOf('<v1 again>'));
      expect(older.stored).toEqual([]);

      const page = await http.get(`/admin/wire/items/${v2.stored[0]}`, editor);
      expect(page.statusCode).toBe(200);
      const changes = decodeEntities(page.body.split('class="wire-changes"')[1] ?? '');
      expect(changes).toContain('What changed since version 1');
      expect(changes).toMatch(/<del>[\s\S]*All ferries stayed in harbour\.<\/del>/);
      expect(changes).toMatch(/<ins>[\s\S]*Two fishermen are missing off Ushant\.<\/ins>/);
      expect(changes).toContain('two missing');

      // The older version says a newer one exists; the queue lists both, the newer marked.
      const v1 = await db()
        .selectFrom('wire_items')
        .select('id')
        .where('version', '=', 1)
        .where('wire_id', '=', parsed().wireId)
        .executeTakeFirstOrThrow();
      expect((await http.get(`/admin/wire/items/${v1.id}`, editor)).body).toContain(
        'A newer version of this item is on the desk.',
      );
    });
  });

  describe('the queue', () => {
    beforeAll(async () => {
      const source = await site.app.wire.builtIn('upload');
      await site.app.wire.receive(
        source,
        [
          parsed({
            wireId: 'fr-1',
            originalUrl: 'https://wire.example.org/fr/greve',
            language: 'fr',
            headline: 'Grève dans les transports parisiens',
            topics: ['social'],
            publishedAt: new Date('2026-11-20T10:00:00Z'),
            bylines: [],
            body: [{ kind: 'paragraph', text: 'Le trafic est très perturbé ce jeudi.' }],
          }),
        ],
        bytesOf('<fr>'),
      );
    });

    it('filters by language, topic and publication time, in the staff member’s language', async () => {
      const titles = async (query: string) =>
        [
          ...(await http.get(`/admin/wire${query}`, editor)).body.matchAll(
            /<a href="\/admin\/wire\/items\/[^"]+">([^<]+)<\/a>/g,
          ),
        ].map((m) => decodeEntities(m[1]!));
      expect(await titles('?language=fr')).toEqual(['Grève dans les transports parisiens']);
      expect(await titles('?topic=weather')).toEqual([
        'Storm closes the northern ports, two missing',
        'Storm closes the northern ports',
      ]);
      expect(await titles('?time=published&from=2026-11-01&to=2026-11-30')).toEqual([
        'Grève dans les transports parisiens',
      ]);
      const french = await http.get('/admin/wire', contributor);
      expect(french.statusCode).toBe(200);
      expect(french.body).toContain('File des dépêches');
      // A contributor reads the desk but is offered neither the upload nor "Use as draft".
      expect(french.body).not.toContain('action="/admin/wire/upload"');
    });
  });

  describe('Use as draft', () => {
    let itemId: string;
    beforeAll(async () => {
      const source = await site.app.wire.builtIn('upload');
      await db()
        .updateTable('wire_sources')
        .set({ credit_name: 'Example Wire', licence_note: 'Licensed to Kiosque, 2026.' })
        .where('id', '=', source.id)
        .execute();
      itemId = await receiveOne('upload', {
        wireId: 'draft-1',
        originalUrl: 'https://wire.example.org/2026/12/03/bridge',
        headline: 'Bridge reopens after repairs',
        body: [{ kind: 'paragraph', text: 'The *old* bridge reopened on Thursday.' }],
      });
    });

    it('refuses a contributor, and an author cannot manage sources', async () => {
      const refused = await http.form(contributor, `/admin/wire/items/${itemId}/draft`, {});
      expect(refused.statusCode).toBe(403);
      const feed = await http.form(author, '/admin/wire/sources', {
        name: 'Feed',
        feedUrl: 'https://wire.example.org/feed.xml',
        creditName: 'Example Wire',
        pollMinutes: '15',
        enabled: '1',
      });
      expect(feed.statusCode).toBe(403);
      expect(await db().selectFrom('wire_sources').select('id').where('kind', '=', 'feed').execute()).toEqual([]);
    });

    it('makes a draft with byline, dateline, credit, original URL, licence and the wire-copy flag', async () => {
      const response = await http.form(editor, `/admin/wire/items/${itemId}/draft`, {});
      expect(response.statusCode, response.body.slice(0, 300)).toBe(303);
      const storyId = String(response.headers.location).split('/')[3]!;
      const record = await site.app.articles.get(storyId);
      const authors = await db()
        .selectFrom('authors')
        .select(['id', 'name'])
        .where('id', 'in', record.authorIds)
        .execute();
      expect(record.authorIds.map((id) => authors.find((a) => a.id === id)?.name)).toEqual([
        'Jane Wirewriter',
        'Omar Field',
      ]);
      expect(record).toMatchObject({
        status: 'draft',
        language: 'en',
        headline: 'Bridge reopens after repairs',
        dateline: 'BREST, Dec. 3',
        source: { name: 'Example Wire', url: 'https://wire.example.org/2026/12/03/bridge' },
        syndicated: true,
        wireItemId: itemId,
      });
      expect(record.licenceNote).toContain('For subscribers of Example Wire only.');
      expect(record.licenceNote).toContain('Licensed to Kiosque, 2026.');
      // Wire text stays text: the asterisks are not emphasis.
      expect(record.bodyHtml).toContain('The *old* bridge reopened on Thursday.');

      // The queue shows the item as used and links to the story.
      const page = await http.get(`/admin/wire/items/${itemId}`, editor);
      expect(page.body).toContain(`/admin/stories/${storyId}`);
      const again = await http.form(editor, `/admin/wire/items/${itemId}/draft`, {});
      expect(again.statusCode).toBe(409);
      expect(textOf(again.body)).toContain('A story in this language was already made from this wire item');

      // Published, the reader sees the dateline at the start of the body, and the credit.
      await site.app.articles.publish(storyId, { expectedRevision: record.revision });
      const published = await site.app.articles.get(storyId);
      const reader = await site.app.server.inject({ method: 'GET', url: `/en/${published.slug}` });
      expect(reader.statusCode).toBe(200);
      expect(reader.body).toMatch(/<p class="story__dateline">BREST, Dec\. 3<\/p>\s*<div class="story__body">/);
      expect(reader.body).toContain('Example Wire');
    });

    it('says so when “Translate into…” has no machine translation configured, and makes nothing', async () => {
      const response = await http.form(editor, `/admin/wire/items/${itemId}/draft`, { language: 'fr' });
      expect(response.statusCode).toBe(409);
      expect(textOf(response.body)).toContain('No machine translation service is configured');
      expect(await db().selectFrom('articles').select('id').where('language', '=', 'fr').execute()).toEqual([]);
    });

    it('lets an author use wire copy, signing beside the wire, and preflight still wants a credit', async () => {
      const id = await receiveOne('url', {
        wireId: 'draft-2',
        originalUrl: 'https://elsewhere.example.org/a',
        headline: 'Harbour museum opens',
        body: [{ kind: 'paragraph', text: 'The museum opened its doors.' }],
      });
      const response = await http.form(author, `/admin/wire/items/${id}/draft`, {});
      expect(response.statusCode, response.body.slice(0, 300)).toBe(303);
      const storyId = String(response.headers.location).split('/')[3]!;
      const record = await site.app.articles.get(storyId);
      // The pasted-links source has no credit name: the draft has none, and preflight blocks it.
      expect(record.source).toBeNull();
      expect(record.syndicated).toBe(true);
      expect(record.authorIds).toHaveLength(3);
      const editorPage = await http.get(`/admin/stories/${storyId}`, author);
      expect(editorPage.statusCode).toBe(200);
      // The editor names the wire item the story came from, and its dateline and rights are fields.
      const origin = decodeEntities(editorPage.body.split('class="wire-origin"')[1]?.split('</dl>')[0] ?? '');
      expect(origin).toContain(`/admin/wire/items/${id}`);
      const page = decodeEntities(editorPage.body);
      expect(page).toMatch(/<input[^>]*name="dateline"[^>]*value="BREST, Dec\. 3"/);
      expect(page).toMatch(/name="licenceNote"[^>]*>\s*For subscribers of Example Wire only\./);
      await expect(site.app.articles.publish(storyId, { expectedRevision: record.revision })).rejects.toMatchObject({
        code: 'ARTICLE_NOT_PUBLISHABLE',
        details: {
          findings: [
            expect.objectContaining({ code: 'NO_SOURCE_CREDIT' }),
            expect.objectContaining({ code: 'NO_ORIGINAL_URL' }),
          ],
        },
      });
    });
  });

  describe('the lead image', () => {
    const imageCount = () => countOf('images');
    beforeAll(async () => {
      const source = await site.app.wire.builtIn('upload');
      await db().updateTable('wire_sources').set({ credit_name: 'Example Wire' }).where('id', '=', source.id).execute();
    });
    /** "Use as draft" on an item whose lead image is at `src`: the redirect and the draft. */
    async function draftWithImage(wireId: string, src: string, credit = '') {
      const id = await receiveOne('upload', {
        wireId,
        originalUrl: `https://wire.example.org/2026/12/03/${wireId}`,
        headline: `Waves over the harbour wall (${wireId})`,
        leadImage: { src, alt: 'Waves breaking over the harbour wall', caption: 'The harbour at dawn.', credit },
      });
      const response = await http.form(editor, `/admin/wire/items/${id}/draft`, {});
      expect(response.statusCode, response.body.slice(0, 300)).toBe(303);
      const location = String(response.headers.location);
      return { location, record: await site.app.articles.get(location.split('/')[3]!.split('?')[0]!) };
    }

    it('becomes the hero with its alt text, caption and credit, its variants served, its credit on the page', async () => {
      const { location, record } = await draftWithImage('img-1', `${provider.base}/images/harbour.png`, 'Ana Lens');
      expect(location).not.toContain('done=');
      expect(record.hero).toMatchObject({
        alt: 'Waves breaking over the harbour wall',
        caption: 'The harbour at dawn.',
        credit: 'Ana Lens',
      });
      const image = await db()
        .selectFrom('images')
        .select(['width', 'alt', 'credit'])
        .where('id', '=', record.hero!.imageId)
        .executeTakeFirstOrThrow();
      expect(image).toMatchObject({ width: 640, alt: 'Waves breaking over the harbour wall', credit: 'Ana Lens' });
      await site.app.mediaJobs.idle();
      for (const file of ['320.webp', '640.jpg']) {
        const variant = await site.app.server.inject(`/media/${record.hero!.imageId}/${file}`);
        expect(variant.statusCode, file).toBe(200);
        expect(variant.headers['content-type']).toMatch(/^image\//);
      }
      await site.app.articles.publish(record.id, { expectedRevision: record.revision });
      const reader = await site.app.server.inject({ method: 'GET', url: `/en/${record.slug}` });
      expect(reader.statusCode).toBe(200);
      expect(reader.body).toContain(`/media/${record.hero!.imageId}/`);
      expect(decodeEntities(reader.body)).toContain('Ana Lens');
    });

    it('takes the source’s credit name when the photo names no credit', async () => {
      const { record } = await draftWithImage('img-2', `${provider.base}/images/harbour.png`);
      expect(record.hero?.credit).toBe('Example Wire');
    });

    it('leaves a draft without hero, and says why, when the image is missing, refused, not an image or a strip', async () => {
      const before = await imageCount();
      const missing = await draftWithImage('img-3', `${provider.base}/images/gone.png`);
      expect(missing.location).toContain('?done=drafted-without-image&why=unreachable');
      expect(missing.record.hero).toBeNull();
      expect(missing.record.headline).toBe('Waves over the harbour wall (img-3)');
      // localhost is not among the allowed hosts: it leads to the server's own network.
      const refused = await draftWithImage(
        'img-4',
        `${provider.base.replace('127.0.0.1', 'localhost')}/images/harbour.png`,
      );
      expect(refused.location).toContain('?done=drafted-without-image&why=refused');
      expect(refused.record.hero).toBeNull();
      // Fetched, but refused by the media upload's own checks.
      const page = await draftWithImage('img-5', `${provider.base}/images/page.png`);
      expect(page.location).toContain('why=not-image');
      const strip = await draftWithImage('img-6', `${provider.base}/images/strip.png`);
      expect(strip.location).toContain('why=too-many-pixels');
      expect([page.record.hero, strip.record.hero]).toEqual([null, null]);
      expect(await imageCount()).toBe(before);
      const editorPage = await http.get(refused.location, editor);
      expect(editorPage.statusCode).toBe(200);
      const text = textOf(editorPage.body);
      expect(text).toContain('The draft was made, without the wire item’s lead image.');
      expect(text).toContain('Its address was refused');
    });
  });

  describe('the dateline and licence note in the editor', () => {
    it('are edited through the form, kept in revisions and pending versions, and the dateline reaches readers', async () => {
      const source = await site.app.wire.builtIn('upload');
      await db().updateTable('wire_sources').set({ credit_name: 'Example Wire' }).where('id', '=', source.id).execute();
      const id = await receiveOne('upload', {
        wireId: 'dateline-1',
        originalUrl: 'https://wire.example.org/2026/12/03/lighthouse',
        headline: 'Lighthouse keeper retires',
      });
      const made = await http.form(editor, `/admin/wire/items/${id}/draft`, {});
      const storyId = String(made.headers.location).split('/')[3]!;
      const opened = await http.get(`/admin/stories/${storyId}`, editor);
      expect(opened.body).toMatch(/<input[^>]*name="dateline"[^>]*value="BREST, Dec\. 3"/);
      expect(decodeEntities(opened.body)).toMatch(/name="licenceNote"[^>]*>\s*For subscribers of Example Wire only\./);

      /** Posts the editor's form with `changes`, as a browser without the script does. */
      async function post(action: string, changes: Record<string, string>) {
        const record = await site.app.articles.get(storyId);
        const fields = { ...(await editorFormOf(site, record, changes)), expectedRevision: String(record.revision) };
        const response = await http.form(editor, `/admin/stories/${storyId}${action}`, fields);
        expect(response.statusCode, textOf(response.body).slice(0, 300)).toBe(303);
        return site.app.articles.get(storyId);
      }
      const revisions = async () =>
        (await db().selectFrom('article_revisions').select('revision').where('article_id', '=', storyId).execute())
          .length;
      const before = await revisions();
      const saved = await post('', { dateline: 'QUIMPER, Dec. 4', licenceNote: 'Cleared for the web edition.' });
      expect(saved).toMatchObject({ dateline: 'QUIMPER, Dec. 4', licenceNote: 'Cleared for the web edition.' });
      expect(await revisions()).toBe(before + 1);
      const reader = async () =>
        (await site.app.server.inject({ method: 'GET', url: `/en/${(await site.app.articles.get(storyId)).slug}` }))
          .body;
      await post('/publish', {});
      expect(await reader()).toContain('<p class="story__dateline">QUIMPER, Dec. 4</p>');

      // Live, a new dateline waits as the pending version until someone updates the live story.
      const pending = await post('', { dateline: 'LORIENT, Dec. 5' });
      expect(pending.dateline).toBe('QUIMPER, Dec. 4');
      const page = await http.get(`/admin/stories/${storyId}`, editor);
      expect(page.body).toMatch(/name="dateline"[^>]*value="LORIENT, Dec\. 5"/);
      expect(await reader()).toContain('QUIMPER, Dec. 4');
      const live = await post('/update-live', { dateline: 'LORIENT, Dec. 5' });
      expect(live.dateline).toBe('LORIENT, Dec. 5');
      expect(await reader()).toContain('<p class="story__dateline">LORIENT, Dec. 5</p>');
    });
  });

  describe('feed sources', () => {
    let sourceId: string;
    const source = () => db().selectFrom('wire_sources').selectAll().where('id', '=', sourceId).executeTakeFirst();
    const feedItems = async () =>
      await db()
        .selectFrom('wire_items')
        .select(['headline', 'standfirst', 'body'])
        .where('source_id', '=', sourceId)
        .orderBy('headline')
        .execute();

    it('lets an editor add a feed, refusing a non-http address with a clear error', async () => {
      const bad = await http.form(editor, '/admin/wire/sources', {
        name: 'Bad',
        feedUrl: 'javascript:alert(1)',
        creditName: 'X',
        pollMinutes: '15',
        enabled: '1',
      });
      expect(bad.statusCode).toBe(400);
      expect(textOf(bad.body)).toContain('This wire source is incomplete or malformed');
      expect(await db().selectFrom('wire_sources').select('id').where('kind', '=', 'feed').execute()).toEqual([]);

      const added = await http.form(editor, '/admin/wire/sources', {
        name: 'Local wire',
        feedUrl: `${provider.base}/feed.xml`,
        language: 'en',
        creditName: 'Local Wire',
        pollMinutes: '1',
        enabled: '1',
      });
      expect(added.statusCode).toBe(303);
      sourceId = String(added.headers.location).split('/')[4]!.split('?')[0]!;
    });

    it('polls the feed as a durable job: its items appear in the queue, a teaser read from its page', async () => {
      await site.app.jobs.runUntilIdle();
      const items = await feedItems();
      expect(items.map((item) => item.headline)).toEqual([
        'Night ferry returns next spring',
        'Tide record at the old port',
      ]);
      // The teaser's page was fetched and its article read (the site's menu left out).
      const ferry = JSON.parse(items[0]!.body) as { text?: string }[];
      expect(ferry.map((block) => block.text)).toEqual([
        expect.stringMatching(/^The night ferry between the two islands returns in April/),
        expect.stringMatching(/^Tickets go on sale in February/),
        expect.stringMatching(/^The crossing takes nine hours/),
      ]);
      const queue = await http.get(`/admin/wire?source=${sourceId}`, editor);
      expect(queue.body).toContain('Tide record at the old port');
      const row = await source();
      expect(row?.etag).toBe('"v1"');
      expect(row?.consecutive_errors).toBe(0);
      // The job stays queued for the next poll, a minute later.
      const job = await db()
        .selectFrom('jobs')
        .selectAll()
        .where('kind', '=', 'wire.poll')
        .where('status', '=', 'queued')
        .executeTakeFirstOrThrow();
      expect(new Date(job.run_at).getTime() - Date.now()).toBeGreaterThan(30_000);
    });

    it('sends the ETag on the next poll and stores nothing on a 304', async () => {
      const before = await itemsCount();
      const poll = await http.form(editor, `/admin/wire/sources/${sourceId}/poll`, {});
      expect(poll.statusCode).toBe(303);
      provider.state.requests.length = 0;
      await site.app.jobs.runUntilIdle();
      expect(provider.state.requests).toEqual([{ url: '/feed.xml', ifNoneMatch: '"v1"' }]);
      expect(await itemsCount()).toBe(before);
      expect((await source())?.last_success_at).not.toBeNull();
    });

    it('backs off after a server error and shows the error on the source, in the admin’s language', async () => {
      provider.state.failing = true;
      try {
        await http.form(editor, `/admin/wire/sources/${sourceId}/poll`, {});
        const started = Date.now();
        await site.app.jobs.runUntilIdle();
        let row = await source();
        expect(row?.consecutive_errors).toBe(1);
        expect(row?.last_error_code).toBe('WIRE_FETCH_FAILED');
        const wait = new Date(row!.next_poll_at as string).getTime() - started;
        expect(wait).toBeGreaterThanOrEqual(59_000);
        // A second failure waits twice as long.
        await site.app.wire.pollNow(sourceId);
        row = await source();
        expect(row?.consecutive_errors).toBe(2);
        expect(new Date(row!.next_poll_at as string).getTime() - Date.now()).toBeGreaterThan(110_000);

        const french = await http.get('/admin/wire/sources', contributor);
        const cell = textOf(french.body.split(`data-wire-source="${sourceId}"`)[1]?.split('</tr>')[0] ?? '');
        expect(cell).toContain('2 échecs de suite');
        expect(cell).toContain('Cette adresse n’a pas pu être récupérée');

        // A feed cut short: the source says why, in the reader's words, and stores nothing.
        provider.state.failing = false;
        provider.state.broken = true;
        const before = await itemsCount();
        await site.app.wire.pollNow(sourceId);
        expect((await source())?.last_error_code).toBe('WIRE_DOCUMENT_INVALID');
        expect(await itemsCount()).toBe(before);
        const page = textOf((await http.get(`/admin/wire/sources/${sourceId}`, contributor)).body);
        expect(page).toContain('Il s’arrête avant sa fin');
      } finally {
        provider.state.failing = false;
        provider.state.broken = false;
      }
      await site.app.wire.pollNow(sourceId);
      expect((await source())?.consecutive_errors).toBe(0);
    });
  });

  describe('pasted links', () => {
    it('reads the article at a pasted address into the queue, and refuses what it must not fetch', async () => {
      const pasted = await http.form(author, '/admin/wire/url', {
        url: `${provider.base}/stories/ferry?utm_source=mail`,
      });
      expect(pasted.statusCode, pasted.body.slice(0, 300)).toBe(303);
      // The feed's poll above already brought this story (same address but for tracking): nothing new.
      expect(pasted.headers.location).toBe('/admin/wire?stored=0&versions=0&duplicates=1');

      const before = await itemsCount();
      for (const [url, message] of [
        ['javascript:alert(1)', 'This is not an http(s) address the desk can read'],
        ['http://10.0.0.1/private', 'Kiosque does not fetch this address'],
      ] as const) {
        const refused = await http.form(author, '/admin/wire/url', { url });
        expect(refused.statusCode, url).toBeGreaterThanOrEqual(400);
        expect(refused.statusCode, url).toBeLessThan(500);
        expect(textOf(refused.body), url).toContain(message);
      }
      expect(await itemsCount()).toBe(before);
      expect(
        (await http.form(contributor, '/admin/wire/url', { url: `${provider.base}/stories/ferry` })).statusCode,
      ).toBe(403);
    });
  });

  describe('files', () => {
    it('takes an uploaded ninjs file into the queue', async () => {
      const response = await upload(author, [
        { name: 'rates.json', type: 'application/json', bytes: await fixture('ninjs-1x-body-html-embargo.json') },
      ]);
      expect(response.statusCode, response.body.slice(0, 300)).toBe(303);
      expect(response.headers.location).toBe('/admin/wire?stored=1&versions=0&duplicates=0');
      const stored = await db()
        .selectFrom('wire_items')
        .select(['id', 'embargo_until', 'version'])
        .where('format', '=', 'ninjs')
        .where('version', '=', 4)
        .executeTakeFirstOrThrow();
      expect(new Date(stored.embargo_until as string).toISOString()).toBe('2026-12-03T17:00:00.000Z');
      const page = await http.get(`/admin/wire/items/${stored.id}`, author);
      expect(page.body).toContain('The bank kept its main rate at 2.5% on Thursday.');
      // The story made from it carries the embargo.
      const draft = await http.form(author, `/admin/wire/items/${stored.id}/draft`, {});
      expect(draft.statusCode, draft.body.slice(0, 300)).toBe(303);
      const record = await site.app.articles.get(String(draft.headers.location).split('/')[3]!);
      expect(record.embargoUntil?.toISOString()).toBe('2026-12-03T17:00:00.000Z');
    });

    it('refuses a hostile file with a clear error and stores nothing of the upload', async () => {
      const before = await itemsCount();
      const response = await upload(author, [
        { name: 'good.xml', type: 'application/xml', bytes: await fixture('nitf-story.xml') },
        { name: 'laughs.xml', type: 'application/xml', bytes: await fixture('hostile/billion-laughs.xml') },
      ]);
      expect(response.statusCode).toBeGreaterThanOrEqual(400);
      expect(response.statusCode).toBeLessThan(500);
      expect(textOf(response.body)).toContain('This file cannot be read as wire copy');
      // Why, in the reader's words: the reason the parser gave.
      expect(textOf(response.body)).toContain('in a DOCTYPE');
      expect(await itemsCount()).toBe(before);
    });

    it('reads files dropped in the watched folder, moving them to done/ or failed/ with the reason', async () => {
      const past = new Date(Date.now() - 60_000);
      await writeFile(path.join(folder, 'story.xml'), await fixture('newsml-g2-news-item.xml'));
      await writeFile(path.join(folder, 'broken.json'), await fixture('hostile/truncated.json'));
      await writeFile(path.join(folder, '.still-copying.xml'), 'partial');
      for (const name of ['story.xml', 'broken.json']) await utimes(path.join(folder, name), past, past);
      const tick = await site.app.wireFolder!.tick();
      expect(tick.done.map((entry) => entry.file)).toEqual(['story.xml']);
      expect(tick.failed).toEqual([{ file: 'broken.json', code: 'WIRE_DOCUMENT_INVALID' }]);
      expect(await readdir(path.join(folder, 'done'))).toEqual(['story.xml']);
      expect((await readdir(path.join(folder, 'failed'))).sort()).toEqual(['broken.json', 'broken.json.error.txt']);
      expect(await readFile(path.join(folder, 'failed', 'broken.json.error.txt'), 'utf8')).toMatch(
        /^WIRE_DOCUMENT_INVALID\n/,
      );
      expect((await readdir(folder)).sort()).toEqual(['.claimed', '.still-copying.xml', 'done', 'failed']);
      const item = await db()
        .selectFrom('wire_items')
        .select('headline')
        .where('source_id', '=', 'src_wire_folder')
        .executeTakeFirstOrThrow();
      expect(item.headline).toBe('Mediterranean fishing fleet ties up over new quotas');
      expect(await site.app.wireFolder!.tick()).toEqual({ done: [], failed: [] });
      void owner;
    });

    it('lets two instances watch one folder: each file is read once', async () => {
      const past = new Date(Date.now() - 60_000);
      const names = ['a.xml', 'b.xml', 'c.xml', 'd.json'];
      await writeFile(path.join(folder, 'a.xml'), await fixture('atom-feed.xml'));
      await writeFile(path.join(folder, 'b.xml'), await fixture('rss-feed.xml'));
      await writeFile(path.join(folder, 'c.xml'), await fixture('newsml-g2-news-message.xml'));
      await writeFile(path.join(folder, 'd.json'), await fixture('ninjs/examples_2.1_dpa_text.json'));
      for (const name of names) await utimes(path.join(folder, name), past, past);
      const log = { info() {}, error() {} };
      const other = createWireFolderWatcher({
        folder,
        desk: site.app.wire,
        instanceId: 'other',
        intervalMs: 60_000,
        log,
      });
      const before = await itemsCount();
      const [first, second] = await Promise.all([site.app.wireFolder!.tick(), other.tick()]);
      const read = [...first.done, ...second.done].map((entry) => entry.file).sort();
      expect(read).toEqual(names);
      const stored = [...first.done, ...second.done].reduce((sum, entry) => sum + entry.report.stored.length, 0);
      expect(await itemsCount()).toBe(before + stored);
      expect((await readdir(path.join(folder, 'done'))).sort()).toEqual([...names, 'story.xml'].sort());
    });

    it('takes back a file an instance claimed and never finished, once its claim is old', async () => {
      const stale = path.join(folder, '.claimed', 'stopped-instance--late.xml');
      await writeFile(stale, await fixture('nitf-story.xml'));
      const fresh = path.join(folder, '.claimed', 'busy-instance--busy.xml');
      await writeFile(fresh, await fixture('nitf-story.xml'));
      const old = new Date(Date.now() - 3_600_000);
      await utimes(stale, old, old);
      const tick = await site.app.wireFolder!.tick();
      expect(tick.done.map((entry) => entry.file)).toEqual(['late.xml']);
      expect(await readdir(path.join(folder, '.claimed'))).toEqual(['busy-instance--busy.xml']);
    });
  });
});

describeEachDatabase('the demo’s wire desk on $kind', ({ kind }) => {
  let site: TestSite;
  let editor: StaffAgent;
  const http = staffClient(() => site);
  beforeAll(async () => {
    // The demo's own machine translation (the test sites turn it off unless asked).
    site = await startTestSite(kind, { env: { KIOSQUE_TRANSLATION_PROVIDER: 'builtin' } });
    editor = await addMember(site, 'editor', 'demo-wire@example.org', undefined, 'Demo Editor', 'en');
  }, 120_000);
  afterAll(async () => {
    await site?.close();
  });

  it('shows a new user a full desk from the shipped files: both languages, an embargo, two versions', async () => {
    const queue = await http.get('/admin/wire', editor);
    expect(queue.statusCode).toBe(200);
    const text = decodeEntities(queue.body);
    for (const headline of [
      'Central bank of Valbrune holds rates for a fifth month',
      'Fishing fleet ties up in Port-Aubel over new quotas; talks set for Friday',
      'Fishing fleet ties up in Port-Aubel over new quotas',
      'Les vendanges commencent tôt dans les coteaux de Valbrune',
      'Le tramway fluvial de Valbrune transporte son millionième passager',
    ]) {
      expect(text).toContain(`>${headline}</a>`);
    }
    expect(text).toContain('Embargoed until');
    const sources = await http.get('/admin/wire/sources', editor);
    expect(sources.body).toContain('Example Partner');
    expect(textOf(sources.body)).toContain('Disabled');

    const v2 = await site.app.database.db
      .selectFrom('wire_items')
      .select('id')
      .where('version', '=', 2)
      .where('wire_id', '=', 'urn:newsml:wire.example.org:20261203:fleet-ties-up')
      .executeTakeFirstOrThrow();
    const page = decodeEntities((await http.get(`/admin/wire/items/${v2.id}`, editor)).body);
    expect(page).toContain('What changed since version 1');
    expect(page).toMatch(
      /<ins>[\s\S]*The fisheries ministry invited the skippers' committee to talks on Friday morning\.<\/ins>/,
    );

    // "Translate into French": a French draft, machine-made, kept from readers until reviewed.
    const translate = await http.form(editor, `/admin/wire/items/${v2.id}/draft`, { language: 'fr' });
    expect(translate.statusCode, translate.body.slice(0, 300)).toBe(303);
    const storyId = String(translate.headers.location).split('/')[3]!;
    const draft = await site.app.articles.get(storyId);
    expect(draft).toMatchObject({
      language: 'fr',
      syndicated: true,
      dateline: 'PORT-AUBEL, Dec. 3',
      wireItemId: v2.id,
    });
    expect(draft.source?.name).toBe('Example Wire');
    expect(draft.bodyMarkdown.split('\n\n')).toHaveLength(5);
    expect(draft.bodyMarkdown).toContain('vendredi');
    expect(await site.app.machineTranslation.status(storyId)).toMatchObject({ provider: 'builtin', reviewedBy: null });
    // Every page of the desk is valid HTML (the W3C Nu checker, as the reading site's suite runs it).
    const dir = await mkdtemp(path.join(tmpdir(), 'kiosque-wire-html-'));
    const pages = [
      '/admin/wire',
      '/admin/wire/sources',
      '/admin/wire/sources/src_demo_partner',
      `/admin/wire/items/${v2.id}`,
    ];
    const files: string[] = [];
    for (const [index, url] of pages.entries()) {
      const file = path.join(dir, `page-${index}.html`);
      await writeFile(file, (await http.get(url, editor)).body);
      files.push(file);
    }
    const validator = fileURLToPath(new URL('../../node_modules/vnu-jar/build/dist/vnu.jar', import.meta.url));
    const report = await new Promise<string>((resolve) =>
      execFile('java', ['-jar', validator, '--errors-only', '--format', 'json', ...files], (_error, _out, stderr) =>
        resolve(stderr),
      ),
    );
    expect((JSON.parse(report) as { messages: unknown[] }).messages).toEqual([]);

    // The editor offers "Mark as reviewed": the machine text waits for a person.
    expect((await http.get(`/admin/stories/${storyId}`, editor)).body).toContain('id="review-button"');
  });
});
