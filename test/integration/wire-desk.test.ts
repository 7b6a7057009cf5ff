import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ParsedWireItem } from '../../src/domain/wire/wire-item.js';
import { describeEachDatabase } from '../support/databases.js';
import { decodeEntities, textOf } from '../support/html.js';
import { addMember, type StaffAgent, setupOwner, staffClient } from '../support/staff.js';
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

describeEachDatabase('the wire desk on $kind', ({ kind }) => {
  let site: TestSite;
  let owner: StaffAgent;
  let editor: StaffAgent;
  let author: StaffAgent;
  let contributor: StaffAgent;
  let http: ReturnType<typeof staffClient>;
  const db = () => site.app.database.db;
  const itemsCount = async () =>
    Number(
      (
        await db()
          .selectFrom('wire_items')
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  /** Receives one item from a built-in source, as a parser would hand it over; its id. */
  async function receiveOne(source: 'upload' | 'url', overrides: Partial<ParsedWireItem>): Promise<string> {
    const report = await site.app.wire.receive(
      await site.app.wire.builtIn(source),
      [parsed(overrides)],
      bytesOf('<x>'),
    );
    return report.stored[0]!;
  }

  beforeAll(async () => {
    site = await startTestSite(kind, { demo: false });
    http = staffClient(site);
    owner = await setupOwner(site);
    editor = await addMember(site, 'editor', 'wire-editor@example.org', undefined, 'Edna Editor', 'en');
    author = await addMember(site, 'author', 'wire-author@example.org', undefined, 'Arthur Author', 'en');
    contributor = await addMember(site, 'contributor', 'wire-contrib@example.org', undefined, 'Cora Contrib', 'fr');
  }, 120_000);
  afterAll(async () => {
    await site?.close();
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
          // Another wire id, same original URL.
          parsed({ wireId: 'other-id', headline: 'Another headline' }),
          // No wire id, no URL, the same text with other spacing and case.
          parsed({ wireId: null, originalUrl: null, headline: 'STORM closes  the northern ports' }),
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
      await expect(site.app.articles.publish(storyId, { expectedRevision: record.revision })).rejects.toMatchObject({
        code: 'ARTICLE_NOT_PUBLISHABLE',
        details: { findings: [expect.objectContaining({ code: 'NO_SOURCE_CREDIT' })] },
      });
    });
  });

  describe('feed sources', () => {
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
      void owner;
    });
  });
});
