import { afterAll, beforeAll, expect, it } from 'vitest';
import type { ArticleRecord } from '../../src/domain/articles/article-input.js';
import { articleIdBySlug } from '../support/articles.js';
import { describeEachDatabase } from '../support/databases.js';
import { byClass, decodeEntities, textOf } from '../support/html.js';
import { addMember, type StaffAgent, staffClient } from '../support/staff.js';
import { startTestSite, type TestSite } from '../support/test-app.js';

/** The JSON-LD block of a page. */
function jsonLdOf(html: string): Record<string, unknown> {
  const match = /<script type="application\/ld\+json">([\s\S]*?)<\/script>/.exec(html);
  return JSON.parse(match?.[1] ?? '{}');
}

/** The `<entry>` (Atom) or `<item>` (RSS) naming `url`. */
function entryOf(feed: string, tag: 'entry' | 'item', url: string): string {
  return (
    [...feed.matchAll(new RegExp(`<${tag}\\b[\\s\\S]*?</${tag}>`, 'g'))]
      .map((m) => m[0])
      .find((e) => e.includes(url)) ?? ''
  );
}

/** The `<lastmod>` of `url` in a sitemap file. */
function lastmodOf(sitemap: string, url: string): string {
  const entry = [...sitemap.matchAll(/<url>[\s\S]*?<\/url>/g)]
    .map((m) => m[0])
    .find((e) => e.includes(`<loc>${url}</loc>`));
  return /<lastmod>([^<]+)<\/lastmod>/.exec(entry ?? '')?.[1] ?? '';
}

/**
 * Corrections and clarifications (issue 14, decision 0056): a record of their own, published only by
 * who may publish the story, shown on the page (top and foot) and on `/{lang}/corrections`, carried by
 * JSON-LD, the three feed formats, the sitemap, ninjs and the Content API; the translation gets a
 * draft in its language and goes out of date; the cached pages are dropped.
 */
describeEachDatabase('corrections on $kind', ({ kind }) => {
  let site: TestSite;
  let editor: StaffAgent;
  let author: StaffAgent;
  let contributor: StaffAgent;
  let englishEditor: StaffAgent;
  let source: ArticleRecord;
  let translationId: string;
  let key: string;
  const http = staffClient(() => site);
  const anonymous = (url: string) => site.app.server.inject({ method: 'GET', url });
  const corrections = (articleId: string) =>
    site.app.database.db
      .selectFrom('corrections')
      .selectAll()
      .where('article_id', '=', articleId)
      .orderBy('created_at')
      .execute();
  let page = '';
  const url = () => `${site.config.publicUrl}/fr/${source.slug}`;

  beforeAll(async () => {
    site = await startTestSite(kind);
    editor = await addMember(site, 'editor', 'corrections-editor@example.org', undefined, 'Rédactrice');
    englishEditor = await addMember(site, 'editor', 'corrections-en@example.org', undefined, 'Editor', 'en');
    author = await addMember(site, 'author', 'corrections-author@example.org', undefined, 'Auteur');
    contributor = await addMember(site, 'contributor', 'corrections-contrib@example.org', undefined, 'Pigiste');
    source = await site.app.articles.get(
      await articleIdBySlug(site.app.database.db, 'fr', 'les-cine-clubs-retrouvent-leur-public'),
    );
    const made = await http.form(editor, `/admin/stories/${source.id}/translate`, { language: 'en' });
    translationId = String(made.headers.location).split('/')[3]!.split('?')[0]!;
    key = (await site.app.integrations.add({ name: 'Reader app', createdBy: null })).contentKey;
  }, 120_000);
  afterAll(async () => {
    await site?.close();
  });

  it('refuses a correction from roles that may not publish the story, and bad input, storing nothing', async () => {
    for (const agent of [author, contributor]) {
      const refused = await http.form(agent, `/admin/stories/${source.id}/corrections`, {
        kind: 'correction',
        text: 'Non.',
      });
      expect(refused.statusCode, agent.role).toBe(403);
    }
    const empty = await http.form(editor, `/admin/stories/${source.id}/corrections`, {
      kind: 'correction',
      text: '  ',
    });
    expect(empty.statusCode).toBe(400);
    expect(textOf(empty.body)).toContain('Une correction a besoin de sa nature');
    const unknownKind = await http.form(editor, `/admin/stories/${source.id}/corrections`, {
      kind: 'retraction',
      text: 'Oui.',
    });
    expect(unknownKind.statusCode).toBe(400);
    expect(await corrections(source.id)).toEqual([]);
  });

  it('publishes a correction as a record of its own: the cached page, feeds and sitemap show it at once', async () => {
    // Cached before: the next anonymous reads must not be these.
    const before = {
      page: (await anonymous(`/fr/${source.slug}`)).body,
      list: (await anonymous('/fr/corrections')).body,
      atom: (await anonymous('/fr/atom.xml')).body,
      sitemap: (await anonymous('/sitemaps/fr-1.xml')).body,
    };
    expect(textOf(before.list)).toContain('Aucune correction n’a été publiée.');
    const bodyBefore = source.bodyMarkdown;

    const added = await http.form(editor, `/admin/stories/${source.id}/corrections`, {
      kind: 'correction',
      text: 'Le ciné-club de Lyon a été fondé en *1946*, et non en 1956.',
    });
    expect(added.statusCode, added.body.slice(0, 300)).toBe(303);
    const [draft] = await corrections(source.id);
    expect(draft).toMatchObject({ status: 'draft', language: 'fr', kind: 'correction' });
    // A draft is for the newsroom only.
    expect((await anonymous(`/fr/${source.slug}`)).body).toBe(before.page);

    const published = await http.form(editor, `/admin/stories/${source.id}/corrections/${draft!.id}/publish`, {});
    expect(published.statusCode, published.body.slice(0, 300)).toBe(303);
    const after = await site.app.articles.get(source.id);
    expect(after.bodyMarkdown).toBe(bodyBefore);
    expect(after.revision).toBe(source.revision + 1);
    expect(after.textRevision).toBe(after.revision);
    expect(after.updatedAt.getTime()).toBeGreaterThan(source.updatedAt.getTime());

    page = (await anonymous(`/fr/${source.slug}`)).body;
    const box = byClass(page, 'aside', 'corrections corrections--correction')[0] ?? '';
    expect(textOf(box).replace(/ ,/g, ',')).toMatch(
      /^Correction du \d{1,2} \S+ \d{4} : Le ciné-club de Lyon a été fondé en 1946, et non en 1956\./,
    );
    expect(box).toContain('<em>1946</em>');
    // At the top: before the story's body.
    expect(page.indexOf('corrections--correction')).toBeLessThan(page.indexOf('class="story__body"'));
    expect(page.indexOf('corrections--correction')).toBeGreaterThan(page.indexOf('class="story__header"'));

    const data = jsonLdOf(page);
    expect(data.correction).toEqual([
      {
        '@type': 'CorrectionComment',
        text: 'Le ciné-club de Lyon a été fondé en 1946, et non en 1956.',
        datePublished: after.updatedAt.toISOString(),
      },
    ]);
    expect(data.dateModified).toBe(after.updatedAt.toISOString());

    const list = (await anonymous('/fr/corrections')).body;
    const items = byClass(list, 'li', 'correction correction--correction');
    expect(items).toHaveLength(1);
    expect(textOf(items[0]!)).toContain('Sur l’article : ');
    expect(items[0]).toContain(`href="/fr/${source.slug}#correction-${draft!.id}"`);

    const atom = (await anonymous('/fr/atom.xml')).body;
    const entry = entryOf(atom, 'entry', url());
    expect(entry).toContain(`<updated>${after.updatedAt.toISOString()}</updated>`);
    expect(decodeEntities(entry)).toContain('Le ciné-club de Lyon a été fondé en 1946');
    const rss = entryOf((await anonymous('/fr/rss.xml')).body, 'item', url());
    expect(decodeEntities(rss)).toContain('Le ciné-club de Lyon a été fondé en 1946');
    const json = JSON.parse((await anonymous('/fr/feed.json')).body) as {
      items: {
        url: string;
        date_modified: string;
        content_html?: string;
        content_text?: string;
        _kiosque?: { corrections?: unknown[] };
      }[];
    };
    const item = json.items.find((i) => i.url === url())!;
    expect(new Date(item.date_modified).getTime()).toBe(after.updatedAt.getTime());
    expect(item.content_html ?? item.content_text).toContain('1946');
    expect(item._kiosque?.corrections).toHaveLength(1);

    const sitemap = (await anonymous('/sitemaps/fr-1.xml')).body;
    expect(lastmodOf(sitemap, url())).not.toBe(lastmodOf(before.sitemap, url()));
    expect(new Date(lastmodOf(sitemap, url())).getTime()).toBeGreaterThan(source.updatedAt.getTime());
  });

  it('carries the correction in ninjs, the Content API and the revision list', async () => {
    const ninjs = JSON.parse((await anonymous(`/api/ninjs/fr/${source.slug}`)).body) as {
      descriptions: { role: string; value: string }[];
      versionCreated: string;
    };
    expect(ninjs.descriptions.find((d) => d.role === 'correction')?.value).toMatch(/^Correction du .* : Le ciné-club/);
    const after = await site.app.articles.get(source.id);
    expect(ninjs.versionCreated).toBe(after.updatedAt.toISOString());

    const ghost = JSON.parse((await anonymous(`/ghost/api/content/posts/slug/${source.slug}/?key=${key}`)).body) as {
      posts: { updated_at: string; corrections: { kind: string; text: string }[] }[];
    };
    expect(ghost.posts[0]!.updated_at).toBe(after.updatedAt.toISOString());
    expect(ghost.posts[0]!.corrections).toMatchObject([{ kind: 'correction', text: expect.stringContaining('1946') }]);

    const revisions = await http.get(`/admin/stories/${source.id}/revisions`, editor);
    expect(textOf(revisions.body)).toContain('correction publiée');
  });

  it('never changes or removes a published correction', async () => {
    const [published] = await corrections(source.id);
    const save = await http.form(editor, `/admin/stories/${source.id}/corrections/${published!.id}/save`, {
      kind: 'correction',
      text: 'Autre chose.',
    });
    expect(save.statusCode).toBe(409);
    const discard = await http.form(editor, `/admin/stories/${source.id}/corrections/${published!.id}/discard`, {});
    expect(discard.statusCode).toBe(409);
    expect((await corrections(source.id))[0]).toMatchObject({ status: 'published', text: published!.text });
  });

  it('gives the translation a draft correction in its language and puts it out of date', async () => {
    const [draft, ...others] = await corrections(translationId);
    expect(others).toEqual([]);
    expect(draft).toMatchObject({ status: 'draft', language: 'en', kind: 'correction', needs_translation: 1 });
    const panel = (await http.get(`/admin/stories/${translationId}`, englishEditor)).body;
    const box = byClass(panel, 'section', 'editor-box corrections-panel')[0] ?? '';
    expect(textOf(box)).toContain('Made from the source article’s correction and still in its language');
    const sourceEditor = (await http.get(`/admin/stories/${source.id}`, englishEditor)).body;
    const english = /<li data-language="en">[\s\S]*?<\/li>/.exec(sourceEditor)?.[0] ?? '';
    expect(textOf(english)).toContain('out of date');
  });

  it('shows a clarification at the foot of the story', async () => {
    await http.form(editor, `/admin/stories/${source.id}/corrections`, {
      kind: 'clarification',
      text: 'Le festival a lieu chaque année en mars.',
    });
    const draft = (await corrections(source.id)).find((c) => c.status === 'draft')!;
    expect(
      (await http.form(editor, `/admin/stories/${source.id}/corrections/${draft.id}/publish`, {})).statusCode,
    ).toBe(303);
    const html = (await anonymous(`/fr/${source.slug}`)).body;
    const foot = byClass(html, 'aside', 'corrections corrections--clarification')[0] ?? '';
    expect(textOf(foot)).toMatch(/^Précision du .* : Le festival a lieu chaque année en mars\./);
    expect(html.indexOf('corrections--clarification')).toBeGreaterThan(html.indexOf('class="story__body"'));
    expect((jsonLdOf(html).correction as unknown[]).length).toBe(2);
  });
});
