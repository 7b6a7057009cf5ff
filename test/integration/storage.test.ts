import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadDemoContent } from '../../src/demo/demo-loader.js';
import type { ArticleRecord } from '../../src/domain/articles/article-input.js';
import { isKiosqueError } from '../../src/domain/errors.js';
import { createDiskMediaStore } from '../../src/media/media-store.js';
import { type DatabaseHandle, openDatabase } from '../../src/storage/database.js';
import { createImageRepository } from '../../src/storage/image-repository.js';
import { migrateToLatest, migrationNames } from '../../src/storage/migrator.js';
import { newsroom } from '../support/articles.js';
import { createTestDatabase, describeEachDatabase, type TestDatabase } from '../support/databases.js';

const now = new Date('2026-03-10T12:00:00.000Z');
const clock = { now: () => now };
const quietLogger = { info() {} };

/** Deterministic ids, unique across the suite's databases. */
function idSequence(kind: string) {
  let n = 0;
  return (prefix: string) => `${prefix}_${kind}_${String(++n).padStart(5, '0')}`;
}

async function freshDatabase(kind: 'sqlite' | 'postgres'): Promise<{ test: TestDatabase; handle: DatabaseHandle }> {
  const test = await createTestDatabase(kind);
  const handle = await openDatabase(test.config);
  return { test, handle };
}

/** A demo folder of two small stories (a French one and its English translation). */
function writeSmallDemo(): { folder: URL; remove(): void } {
  const dir = mkdtempSync(path.join(tmpdir(), 'kiosque-demo-'));
  const story = (language: string, slug: string, headline: string) =>
    `---\n${JSON.stringify({
      language,
      translationKey: 'essai',
      slug,
      headline,
      section: { slug: 'essais', name: 'Essais' },
      tags: [{ slug: 'essai', name: 'Essai' }],
      authors: [{ slug: 'redaction', name: 'Rédaction' }],
      publishedHoursAgo: 3,
    })}\n---\nUn paragraphe.\n`;
  writeFileSync(path.join(dir, 'fr-essai.md'), story('fr', 'un-essai', 'Un essai'));
  writeFileSync(path.join(dir, 'en-essai.md'), story('en', 'a-trial', 'A trial'));
  return { folder: pathToFileURL(`${dir}/`), remove: () => rmSync(dir, { recursive: true, force: true }) };
}

describeEachDatabase('storage contract on $kind', ({ kind }) => {
  let test: TestDatabase;
  let handle: DatabaseHandle;
  let firstMigration: string[];
  let ids: (prefix: string) => string;
  let desk: ReturnType<typeof newsroom>;
  let images: ReturnType<typeof createImageRepository>;
  let section: { id: string };
  let tags: { id: string; slug: string; name: string; language: string }[];
  let authors: { id: string; slug: string; name: string; bio: string }[];
  let imageIds: string[];

  beforeAll(async () => {
    ({ test, handle } = await freshDatabase(kind));
    firstMigration = (await migrateToLatest(handle.db, handle.dialect)).applied;
    ids = idSequence(kind);
    desk = newsroom(handle.db, clock, ids);
    images = createImageRepository(handle.db);
    section = await desk.taxonomy.ensureSection('fr', 'monde', 'Monde');
    // Created in one order, used in another: the article's order must win, not the table's.
    tags = [];
    for (const [slug, name] of [
      ['alpha', 'Alpha'],
      ['beta', 'Bêta'],
      ['gamma', 'Gamma'],
    ] as const)
      tags.push(await desk.taxonomy.ensureTag('fr', slug, name));
    authors = [];
    for (const slug of ['anne', 'bruno', 'chloe'])
      authors.push(await desk.taxonomy.ensureAuthor({ slug, name: slug.toUpperCase(), bio: `Bio ${slug}` }, now, 'fr'));
    imageIds = [];
    for (let i = 0; i < 3; i++) {
      const id = ids('img');
      await images.insert({
        id,
        originalKey: `originals/${id}.jpg`,
        mime: 'image/jpeg',
        width: 1200 + i,
        height: 800 + i,
        bytes: 1000,
        alt: '',
        caption: '',
        credit: '',
        createdAt: now,
      });
      imageIds.push(id);
    }
  });
  afterAll(async () => {
    await handle?.close();
    await test?.drop();
  });

  async function rowsOf(articleId: string) {
    const count = async (table: 'articles' | 'article_authors' | 'article_tags' | 'article_images') =>
      Number(
        (
          await handle.db
            .selectFrom(table)
            .select((eb) => eb.fn.countAll<string | number>().as('n'))
            .where(table === 'articles' ? 'id' : 'article_id', '=', articleId)
            .executeTakeFirstOrThrow()
        ).n,
      );
    return {
      articles: await count('articles'),
      authors: await count('article_authors'),
      tags: await count('article_tags'),
      images: await count('article_images'),
    };
  }

  function story(slug: string, language = 'fr', extra: Partial<Parameters<typeof desk.prepare>[0]> = {}) {
    return desk.prepare({
      language,
      slug,
      headline: `Titre ${slug}`,
      status: 'published',
      publishedAt: new Date('2026-03-01T08:00:00.000Z'),
      ...extra,
    });
  }

  it('applies every migration to an empty database, and nothing on a second run', async () => {
    expect(firstMigration).toEqual(migrationNames());
    expect(firstMigration.length).toBeGreaterThan(0);
    expect((await migrateToLatest(handle.db, handle.dialect)).applied).toEqual([]);
  });

  it('reads back an inserted article with identical fields, dates to the millisecond', async () => {
    const published = new Date('2026-02-28T07:08:09.123Z');
    const record = story('identique', 'fr', {
      translationGroup: 'grp_identique',
      headline: 'Un titre « exact »',
      standfirst: 'Le chapeau.',
      bodyMarkdown: 'Premier paragraphe avec un [lien](https://example.org).\n\nSecond paragraphe.',
      access: 'members',
      sectionId: section.id,
      tagIds: [tags[2]!.id, tags[0]!.id, tags[1]!.id],
      authorIds: [authors[1]!.id, authors[2]!.id, authors[0]!.id],
      hero: { imageId: imageIds[1]!, alt: 'Texte de remplacement', caption: 'Légende', credit: 'AFP' },
      gallery: [
        { imageId: imageIds[2]!, alt: 'Deux', caption: 'Deuxième', credit: 'Reuters' },
        { imageId: imageIds[0]!, alt: 'Un', caption: 'Première', credit: '' },
      ],
      source: { name: 'Agence', url: 'https://agence.example/depeche' },
      dateline: 'PARIS, 28 févr.',
      genre: 'review',
      seoTitle: 'Titre SEO',
      seoDescription: 'Description SEO',
      publishedAt: published,
    });
    record.updatedAt = new Date('2026-03-02T10:11:12.987Z');
    await desk.insert(record);

    const read = await desk.articles.findPublished('fr', 'identique', now);
    expect(read).not.toBeNull();
    const imageOf = (index: number) => ({
      id: imageIds[index],
      width: 1200 + index,
      height: 800 + index,
      mime: 'image/jpeg',
    });
    expect(read).toEqual({
      id: record.id,
      translationGroup: 'grp_identique',
      language: 'fr',
      slug: 'identique',
      headline: 'Un titre « exact »',
      standfirst: 'Le chapeau.',
      bodyMarkdown: record.bodyMarkdown,
      bodyHtml: record.bodyHtml,
      status: 'published',
      access: 'members',
      section: { id: section.id, language: 'fr', slug: 'monde', name: 'Monde' },
      tags: [tags[2], tags[0], tags[1]],
      authors: [authors[1], authors[2], authors[0]],
      hero: { image: imageOf(1), alt: 'Texte de remplacement', caption: 'Légende', credit: 'AFP' },
      gallery: [
        { image: imageOf(2), alt: 'Deux', caption: 'Deuxième', credit: 'Reuters' },
        { image: imageOf(0), alt: 'Un', caption: 'Première', credit: '' },
      ],
      source: { name: 'Agence', url: 'https://agence.example/depeche' },
      dateline: 'PARIS, 28 févr.',
      genre: 'review',
      // Only a sponsored story names a sponsor (issue 14).
      sponsor: '',
      seoTitle: 'Titre SEO',
      seoDescription: 'Description SEO',
      revision: 1,
      createdAt: record.createdAt,
      updatedAt: new Date('2026-03-02T10:11:12.987Z'),
      publishedAt: published,
      scheduledAt: null,
    });
    expect(read!.publishedAt!.getTime()).toBe(published.getTime());
    expect(read!.bodyHtml).toContain('<a href="https://example.org" rel="noopener">lien</a>');

    // Lists carry the same facts.
    const { items } = await desk.articles.listPublished({ language: 'fr', tagId: tags[1]!.id, limit: 10 }, now);
    expect(items.find((item) => item.id === record.id)).toMatchObject({
      authors: [authors[1], authors[2], authors[0]],
      publishedAt: published,
      hero: { image: imageOf(1) },
      genre: 'review',
      machineTranslated: false,
    });
  });

  it('refuses a second article with the same slug in a language, and writes nothing of it', async () => {
    await desk.insert(story('doublon', 'fr', { authorIds: [authors[0]!.id] }));
    const duplicate = story('doublon', 'fr', {
      headline: 'Un autre titre',
      authorIds: [authors[1]!.id],
      tagIds: [tags[0]!.id],
      hero: { imageId: imageIds[0]!, alt: 'x', caption: '', credit: '' },
    });
    const error = await desk.insert(duplicate).then(
      () => null,
      (e: unknown) => e,
    );
    expect(isKiosqueError(error) && error.code).toBe('ARTICLE_SLUG_TAKEN');
    expect(await rowsOf(duplicate.id)).toEqual({ articles: 0, authors: 0, tags: 0, images: 0 });
    expect((await desk.articles.findPublished('fr', 'doublon', now))?.headline).toBe('Titre doublon');
  });

  it('writes an article and its links all or nothing', async () => {
    // The link to a tag that does not exist fails after the article row was written: it must go too.
    const broken = story('lien-casse', 'fr', { authorIds: [authors[0]!.id], tagIds: [tags[0]!.id, 'tag_absent'] });
    await expect(desk.insert(broken)).rejects.toThrow();
    expect(await rowsOf(broken.id)).toEqual({ articles: 0, authors: 0, tags: 0, images: 0 });
    expect(await desk.articles.findPublished('fr', 'lien-casse', now)).toBeNull();
    // And the slug is free: nothing half-written holds it.
    await desk.insert(story('lien-casse', 'fr'));
    expect(await desk.articles.findPublished('fr', 'lien-casse', now)).not.toBeNull();
  });

  it('accepts the same slug in another language', async () => {
    await desk.insert(story('meme-adresse', 'fr'));
    await desk.insert(story('meme-adresse', 'en', { headline: 'Same address' }));
    expect((await desk.articles.findPublished('fr', 'meme-adresse', now))?.language).toBe('fr');
    expect((await desk.articles.findPublished('en', 'meme-adresse', now))?.headline).toBe('Same address');
  });

  it('never lists nor finds drafts, scheduled, future or deleted stories', async () => {
    const tag = await desk.taxonomy.ensureTag('fr', 'visibilite', 'Visibilité');
    const author = await desk.taxonomy.ensureAuthor({ slug: 'visible', name: 'Visible', bio: '' }, now);
    const shared = { sectionId: section.id, tagIds: [tag.id], authorIds: [author.id], translationGroup: undefined };
    const visible = await desk.insert(story('visible', 'fr', shared));
    const hidden: ArticleRecord[] = [
      await desk.insert(story('brouillon', 'fr', { ...shared, status: 'draft', publishedAt: null })),
      await desk.insert(
        story('programme', 'fr', {
          ...shared,
          status: 'scheduled',
          publishedAt: null,
          scheduledAt: new Date(now.getTime() + 3_600_000),
        }),
      ),
      // Published, but dated one second from now: not yet.
      await desk.insert(
        desk.prepare({ language: 'fr', slug: 'futur', headline: 'Futur', status: 'published', ...shared }, (r) => {
          r.publishedAt = new Date(now.getTime() + 1000);
        }),
      ),
      await desk.insert(
        desk.prepare(
          { language: 'fr', slug: 'supprime', headline: 'Supprimé', status: 'published', ...shared },
          (r) => {
            r.deletedAt = new Date(now.getTime() - 1000);
          },
        ),
      ),
    ];
    const hiddenIds = new Set(hidden.map((record) => record.id));

    for (const record of hidden) {
      expect(await desk.articles.findPublished('fr', record.slug, now), record.slug).toBeNull();
    }
    for (const query of [{ tagId: tag.id }, { authorId: author.id }, { sectionId: section.id }, {}]) {
      const { items, total } = await desk.articles.listPublished({ language: 'fr', limit: 100, ...query }, now);
      expect(
        items.filter((item) => hiddenIds.has(item.id)),
        JSON.stringify(query),
      ).toEqual([]);
      expect(total, JSON.stringify(query)).toBe(items.length);
      expect(items.some((item) => item.id === visible.id)).toBe(true);
    }
    const article = (await desk.articles.findPublished('fr', 'visible', now))!;
    const related = await desk.articles.listRelatedByTags(article, 10, now);
    expect(related.filter((item) => hiddenIds.has(item.id))).toEqual([]);

    // The future story shows up once its time has come.
    const later = new Date(now.getTime() + 2000);
    expect((await desk.articles.findPublished('fr', 'futur', later))?.slug).toBe('futur');
    expect(await desk.articles.findPublished('fr', 'supprime', later)).toBeNull();
  });

  it('keeps hostile text exactly as written', async () => {
    const sql = `'; drop table articles; --`;
    const hostile = `Guillemets "doubles" et 'simples' ${sql} \\ 😀👩🏽‍💻 <b>gras</b> &amp; ٱلْعَرَبِيَّة`;
    // 10,000 UTF-16 units exactly, without cutting an emoji in half (a lone surrogate is not text).
    const long = `${hostile}\n\n${'Ça ira 🇫🇷 — '.repeat(700)}`
      .slice(0, 9_990)
      .replace(/[\ud800-\udbff]$/, '')
      .padEnd(10_000, '.');
    expect(long.length).toBe(10_000);
    const tag = await desk.taxonomy.ensureTag('fr', 'hostile', hostile);
    const author = await desk.taxonomy.ensureAuthor({ slug: 'hostile', name: hostile, bio: long }, now, 'fr');
    const record = await desk.insert(
      story('texte-hostile', 'fr', {
        headline: hostile,
        standfirst: hostile,
        bodyMarkdown: long,
        tagIds: [tag.id],
        authorIds: [author.id],
        seoTitle: sql,
        source: { name: hostile, url: null },
      }),
    );
    const read = (await desk.articles.findPublished('fr', 'texte-hostile', now))!;
    expect(read.headline).toBe(hostile);
    expect(read.standfirst).toBe(hostile);
    // Compared as a whole, but reported by where it first differs (10,000 characters do not fit a diff).
    const firstDifference = [...read.bodyMarkdown].findIndex((char, index) => char !== [...long][index]);
    expect(firstDifference).toBe(-1);
    expect(read.bodyMarkdown.length).toBe(10_000);
    expect(read.bodyMarkdown === long).toBe(true);
    expect(read.bodyHtml).toBe(record.bodyHtml);
    expect(read.seoTitle).toBe(sql);
    expect(read.source).toEqual({ name: hostile, url: null });
    expect(read.tags.map((t) => t.name)).toEqual([hostile]);
    expect(read.authors.map((a) => [a.name, a.bio])).toEqual([[hostile, long]]);
    expect(await desk.articles.count()).toBeGreaterThan(1);
  });

  it('loads the demo into an empty database only, and never twice', async () => {
    const { test: empty, handle: db } = await freshDatabase(kind);
    const demo = writeSmallDemo();
    try {
      await migrateToLatest(db.db, db.dialect);
      const desk = newsroom(db.db, clock, idSequence(`${kind}demo`));
      const deps = {
        articles: desk.articles,
        taxonomy: desk.taxonomy,
        images: createImageRepository(db.db),
        store: createDiskMediaStore(path.join(empty.dataDir, 'media')),
        clock,
        ids: idSequence(`${kind}demo2`),
        logger: quietLogger,
      };
      expect(await loadDemoContent(deps, demo.folder)).toBe(2);
      expect(await desk.articles.count()).toBe(2);
      const french = await desk.articles.findPublished('fr', 'un-essai', now);
      const english = await desk.articles.findPublished('en', 'a-trial', now);
      expect(french?.translationGroup).toBe(english?.translationGroup);

      expect(await loadDemoContent(deps, demo.folder)).toBe(0);
      expect(await desk.articles.count()).toBe(2);
    } finally {
      demo.remove();
      await db.close();
      await empty.drop();
    }
  });

  it('leaves a database that holds any article alone', async () => {
    const { test: other, handle: db } = await freshDatabase(kind);
    const demo = writeSmallDemo();
    try {
      await migrateToLatest(db.db, db.dialect);
      const desk = newsroom(db.db, clock, idSequence(`${kind}own`));
      // A draft is still the newsroom's work.
      await desk.insert(desk.prepare({ language: 'fr', slug: 'a-nous', headline: 'À nous', status: 'draft' }));
      const deps = {
        articles: desk.articles,
        taxonomy: desk.taxonomy,
        images: createImageRepository(db.db),
        store: createDiskMediaStore(path.join(other.dataDir, 'media')),
        clock,
        ids: idSequence(`${kind}own2`),
        logger: quietLogger,
      };
      expect(await loadDemoContent(deps, demo.folder)).toBe(0);
      expect(await desk.articles.count()).toBe(1);
      expect(await desk.articles.findPublished('fr', 'un-essai', now)).toBeNull();
    } finally {
      demo.remove();
      await db.close();
      await other.drop();
    }
  });
});
