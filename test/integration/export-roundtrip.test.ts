import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { createDiskMediaStore } from '../../src/media/media-store.js';
import { openDatabase } from '../../src/storage/database.js';
import { exportedTables } from '../../src/storage/export-tables.js';
import { type ExportManifest, liveColumns } from '../../src/storage/site-export.js';
import { importSite } from '../../src/storage/site-import.js';
import { testByline } from '../support/articles.js';
import { createTestDatabase, type DatabaseKind, databaseKinds, describeEachDatabase } from '../support/databases.js';
import { decodeEntities } from '../support/html.js';
import { phoneJpeg, uploadAs } from '../support/media.js';
import { signInMember } from '../support/members.js';
import { exportFolders, exportTestSite, filesOf } from '../support/site-export.js';
import { type SmtpSink, startSmtpSink } from '../support/smtp-sink.js';
import { post, setupOwner } from '../support/staff.js';
import { startTestSite, type TestSite } from '../support/test-app.js';

const clock = { now: () => new Date('2026-05-04T08:00:00.000Z') };
const env = { KIOSQUE_PUBLIC_URL: 'https://news.example.org', KIOSQUE_MAIL_FROM: 'news@example.org' };
const targets = databaseKinds(inject('postgresAvailable'))
  .filter((entry) => entry.skip === null)
  .map((entry) => entry.kind);

const folders = exportFolders();
afterAll(() => folders.remove());

/**
 * The demo site plus a newsroom's day: an edited story (a revision history) and its French
 * translation, an uploaded image as its hero, a reader's account, a newsletter signup with its
 * consent entry, a story added to a digest, a complimentary grant in the members' audit log.
 */
async function busySite(kind: DatabaseKind, smtp: SmtpSink): Promise<TestSite> {
  const site = await startTestSite(kind, { clock, env: { ...env, SMTP_URL: smtp.url } });
  const owner = await setupOwner(site);
  const db = site.app.database.db;
  const upload = await uploadAs(
    site,
    owner,
    { name: 'harbour.jpg', type: 'image/jpeg', bytes: await phoneJpeg(1200, 800) },
    { alt: 'Cranes over the reopened harbour', credit: 'Kiosque' },
  );
  expect(upload.statusCode, upload.body).toBe(201);
  const imageId = (JSON.parse(upload.body) as { image: { id: string } }).image.id;
  const story = {
    language: 'en',
    slug: 'the-harbour-reopens',
    headline: 'The harbour reopens',
    standfirst: 'Ships are back after the storm.',
    bodyMarkdown: 'The first ship came in at dawn.\n\nDockers cheered from the quay.',
    status: 'published' as const,
    publishedAt: new Date(clock.now().getTime() - 3_600_000),
    authorIds: await testByline(db),
    hero: { imageId, alt: 'Cranes over the reopened harbour', caption: 'At dawn', credit: 'Kiosque' },
  };
  const first = await site.app.articles.create(story);
  const second = await site.app.articles.edit(
    first.id,
    { ...story, headline: 'The harbour reopens after the storm' },
    { expectedRevision: first.revision },
  );
  await site.app.articles.edit(
    first.id,
    {
      ...story,
      headline: 'The harbour reopens after the storm',
      bodyMarkdown: `${story.bodyMarkdown}\n\nFish prices fell.`,
    },
    { expectedRevision: second.revision },
  );
  await site.app.articles.create({
    ...story,
    language: 'fr',
    slug: 'le-port-rouvre',
    headline: 'Le port rouvre après la tempête',
    standfirst: 'Les navires sont de retour.',
    bodyMarkdown: 'Le premier navire est entré à l’aube.\n\nLes dockers ont applaudi.',
    translationGroup: first.translationGroup,
    translationOf: { articleId: first.id, revision: 3 },
  });
  await site.app.newsletter.signup({
    email: 'lectrice@example.org',
    language: 'fr',
    sourcePath: '/fr/',
    ip: '203.0.113.9',
    userAgent: 'Firefox',
  });
  const list = await db
    .selectFrom('newsletter_lists')
    .select('id')
    .where('language', '=', 'en')
    .executeTakeFirstOrThrow();
  const staff = await db.selectFrom('staff_users').select('id').executeTakeFirstOrThrow();
  await site.app.newsletter.sendStory(
    { articleId: first.id, listId: list.id, mode: 'digest' },
    { id: staff.id, role: 'owner', authorId: null },
  );
  await signInMember(site, smtp, 'reader@example.org');
  const member = await db.selectFrom('members').select('id').executeTakeFirstOrThrow();
  const grant = await post(
    site,
    `/admin/members/${member.id}/complimentary`,
    { _csrf: owner.csrf, until: '2027-01-01' },
    owner.cookie,
  );
  expect(grant.statusCode, grant.body.slice(0, 300)).toBeLessThan(400);
  await site.app.mediaJobs.idle();
  await site.app.related.idle();
  return site;
}

/** Public addresses found by following the site's own links from its home pages and sitemaps. */
async function crawl(site: TestSite): Promise<string[]> {
  const seen = new Set<string>();
  // One size of each image: sizes are made from the original by the same code, and the originals
  // are compared byte for byte with the export's files; making every size twice would cost minutes.
  const imagesSeen = new Set<string>();
  const queue = ['/', '/robots.txt', '/sitemap.xml', '/rss.xml', '/atom.xml', '/feed.json'];
  for (const language of site.config.languages) {
    queue.push(`/${language}/`, `/${language}/search?q=harbour`, `/${language}/search?q=port`);
    queue.push(`/sitemaps/news-${language}.xml`);
  }
  const origin = site.config.publicUrl;
  while (queue.length > 0 && seen.size < 5000) {
    const url = queue.shift() as string;
    if (seen.has(url)) continue;
    seen.add(url);
    const response = await site.app.server.inject({ method: 'GET', url, headers: { 'accept-encoding': 'identity' } });
    const type = String(response.headers['content-type'] ?? '');
    if (!/html|xml|json/.test(type)) continue;
    const found = [...response.body.matchAll(/(?:href|src|srcset|url|loc|link)["=:>\s]+"?([^"<\s]+)/g)].flatMap((m) =>
      decodeEntities(m[1] as string).split(/,\s*/),
    );
    for (const raw of found) {
      const address = raw.split(/\s/)[0] as string;
      const local = address.startsWith(origin) ? address.slice(origin.length) : address;
      if (!local.startsWith('/') || local.startsWith('//')) continue;
      // Staff, readers' own pages and forms carry per-visitor tokens: not the site's content.
      if (/^\/(admin|preview)\b|\/account\b|\/newsletter\/|\/subscribe\//.test(local)) continue;
      const image = /^\/media\/([^/]+)\//.exec(local)?.[1];
      if (image !== undefined) {
        if (imagesSeen.has(image)) continue;
        imagesSeen.add(image);
      }
      if (!seen.has(local)) queue.push(local.split('#')[0] as string);
    }
  }
  return [...seen].sort();
}

async function pages(site: TestSite, urls: string[]): Promise<Map<string, string>> {
  const answers = new Map<string, string>();
  for (const url of urls) {
    const response = await site.app.server.inject({ method: 'GET', url, headers: { 'accept-encoding': 'identity' } });
    answers.set(
      url,
      `${response.statusCode} ${response.headers['content-type']}\n${response.rawPayload.toString('base64')}`,
    );
  }
  return answers;
}

/** Every file of an export folder but the manifest (its time and source database differ), by path. */
function dataFilesOf(folder: string): Map<string, Buffer> {
  const files = filesOf(folder);
  files.delete('manifest.json');
  return files;
}

/**
 * Issue 13: export a busy site, import it into an empty database, and the new site is the same —
 * every public page, feed, sitemap, search and image byte for byte, and every exported table's
 * rows — from SQLite and from PostgreSQL, into each (SQLite → PostgreSQL is how a newsroom grows).
 */
describeEachDatabase('export and import from $kind', ({ kind }) => {
  let smtp: SmtpSink;
  let source: TestSite;
  let folder: string;
  let manifest: ExportManifest;
  let urls: string[];
  let before: Map<string, string>;

  beforeAll(async () => {
    smtp = await startSmtpSink();
    source = await busySite(kind, smtp);
    folder = path.join(folders.make(), 'export');
    manifest = await exportTestSite(source, folder, clock);
    urls = await crawl(source);
    before = await pages(source, urls);
  }, 240_000);
  afterAll(async () => {
    await source?.close();
    await smtp?.close();
  });

  it('writes every declared table with every column, and the media originals', async () => {
    const db = source.app.database.db;
    for (const table of exportedTables) {
      const entry = manifest.tables.find((candidate) => candidate.name === table.name);
      expect(entry, table.name).toBeDefined();
      const file = manifest.files.find((candidate) => candidate.path === entry?.file);
      const count = await db
        .selectFrom(table.name as 'articles')
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow();
      expect(file?.rows, table.name).toBe(Number(count.n));
    }
    // Every column of every table, whatever migration added it (staff without their password hash).
    const columns = await liveColumns(db);
    for (const table of manifest.tables) {
      const withheld = Object.keys(exportedTables.find((entry) => entry.name === table.name)?.withheld ?? {});
      const expected = (columns.get(table.name) ?? []).filter((column) => !withheld.includes(column));
      expect([...table.columns].sort(), table.name).toEqual([...expected].sort());
      const [line] = readFileSync(path.join(folder, table.file), 'utf8').split('\n');
      if (line) expect(Object.keys(JSON.parse(line)).sort(), table.name).toEqual([...expected].sort());
    }
    for (const name of [
      'articles',
      'article_revisions',
      'newsletter_consents',
      'members',
      'member_audit_log',
      'wire_items',
    ]) {
      expect(manifest.files.find((file) => file.path === `tables/${name}.ndjson`)?.rows, name).toBeGreaterThan(0);
    }
    const staff = readFileSync(path.join(folder, 'tables/staff_users.ndjson'), 'utf8');
    expect(staff).toContain('owner@example.org');
    expect(staff).not.toContain('password_hash');
    expect(staff).not.toContain('$argon2');
    const images = await db.selectFrom('images').select('original_key').execute();
    expect(
      manifest.files
        .filter((file) => file.path.startsWith('media/'))
        .map((file) => file.path)
        .sort(),
    ).toEqual(images.map((image) => `media/${image.original_key}`).sort());
    expect(manifest.missingMedia).toEqual([]);
    expect(urls.length).toBeGreaterThan(100);
    for (const wanted of ['/en/the-harbour-reopens', '/fr/le-port-rouvre', '/en/search?q=harbour']) {
      expect(urls, wanted).toContain(wanted);
    }
    expect(urls.some((url) => url.startsWith('/media/'))).toBe(true);
  });

  for (const target of targets) {
    it(`gives back the same site on ${target}: every public page and every row`, async () => {
      const database = await createTestDatabase(target);
      const handle = await openDatabase(database.config);
      const report = await importSite(
        { db: handle.db, dialect: handle.dialect, media: createDiskMediaStore(path.join(database.dataDir, 'media')) },
        folder,
      ).finally(() => handle.close());
      expect(report.staffWithoutPassword).toEqual([{ email: 'owner@example.org', role: 'owner' }]);
      const copy = await startTestSite(target, { clock, env, database });
      try {
        const after = await pages(copy, urls);
        const differing = urls.filter((url) => after.get(url) !== before.get(url));
        expect(differing, 'pages that differ after the round trip').toEqual([]);

        const again = path.join(folders.make(), 'again');
        await exportTestSite(copy, again, clock);
        const original = dataFilesOf(folder);
        const roundTripped = dataFilesOf(again);
        expect([...roundTripped.keys()].sort()).toEqual([...original.keys()].sort());
        for (const [file, bytes] of original) {
          expect(roundTripped.get(file)?.toString('utf8'), file).toBe(bytes.toString('utf8'));
        }
      } finally {
        await copy.close();
      }
    }, 240_000);
  }
});
