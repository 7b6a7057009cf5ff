import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeEachDatabase } from '../support/databases.js';
import { addMember, authorIdOf, type StaffAgent, setupOwner, staffClient } from '../support/staff.js';
import { startTestSite, type TestSite } from '../support/test-app.js';

/** The section menu of a page: the addresses it links to. */
function menuOf(html: string): string[] {
  const nav = /<nav class="sections"[^>]*>([\s\S]*?)<\/nav>/.exec(html)?.[1] ?? '';
  return [...nav.matchAll(/<a href="([^"]+)"/g)].map((match) => match[1] as string);
}

/** The JSON-LD blocks of a page. */
function jsonLdOf(html: string): Record<string, unknown>[] {
  return [...html.matchAll(/<script type="application\/ld\+json">([\s\S]*?)<\/script>/g)].map(
    (match) => JSON.parse(match[1] as string) as Record<string, unknown>,
  );
}

const metaOf = (html: string, name: string) =>
  new RegExp(`<meta (?:name|property)="${name}" content="([^"]*)"`).exec(html)?.[1]?.replaceAll('&amp;', '&');

// Issue 14: Admin → Sections, Tags and Authors (decisions 0061, 0062).
describeEachDatabase('sections, tags and author profiles on $kind', ({ kind }) => {
  let site: TestSite;
  let owner: StaffAgent;
  let editor: StaffAgent;
  let contributor: StaffAgent;
  const client = staffClient(() => site);
  const db = () => site.app.database.db;
  const get = (url: string) =>
    site.app.server.inject({ method: 'GET', url, headers: { 'accept-encoding': 'identity' } });

  beforeAll(async () => {
    site = await startTestSite(kind, { env: { KIOSQUE_LANGUAGES: 'fr,en,ar' } });
    owner = await setupOwner(site);
    editor = await addMember(site, 'editor', 'editor@example.org', undefined, 'Eddie Editor', 'en');
    contributor = await addMember(site, 'contributor', 'contrib@example.org', undefined, 'Cora Contributor', 'fr');
  });
  afterAll(async () => {
    await site?.close();
  });

  /** A tag of `language` holding public stories, with its story ids. */
  async function publicTags(language: string) {
    const rows = await db()
      .selectFrom('tags')
      .innerJoin('article_tags', 'article_tags.tag_id', 'tags.id')
      .innerJoin('articles', 'articles.id', 'article_tags.article_id')
      .select([
        'tags.id',
        'tags.slug',
        'tags.name',
        'article_tags.article_id',
        'article_tags.position',
        'articles.slug as story',
      ])
      .where('tags.language', '=', language)
      .where('articles.status', '=', 'published')
      .orderBy('tags.id')
      .execute();
    const byTag = new Map<
      string,
      { id: string; slug: string; name: string; stories: { id: string; slug: string; position: number }[] }
    >();
    for (const row of rows) {
      const entry = byTag.get(row.id) ?? { id: row.id, slug: row.slug, name: row.name, stories: [] };
      entry.stories.push({ id: row.article_id, slug: row.story, position: Number(row.position) });
      byTag.set(row.id, entry);
    }
    return [...byTag.values()];
  }

  it('lists a language’s sections with their story counts, in the staff member’s language', async () => {
    const page = await client.get('/admin/sections?language=fr', editor);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<h1>Sections</h1>');
    const sections = await db().selectFrom('sections').select(['name']).where('language', '=', 'fr').execute();
    for (const section of sections) expect(page.body).toContain(`>${section.name}</a>`);
    expect(page.body).toMatch(/\d+ stor(y|ies)/);
    const french = await client.get('/admin/tags?language=en', owner);
    expect(french.body).toContain('<h1>Étiquettes</h1>');
    // Contributors may not manage them.
    expect((await client.get('/admin/sections', contributor)).statusCode).toBe(403);
  });

  it('renames a tag: the old address of its page and of its feeds answers with a 301, pages naming it follow', async () => {
    const [tag] = await publicTags('fr');
    if (!tag) throw new Error('the demo has no French tag');
    const story = `/fr/${tag.stories[0]!.slug}`;
    expect((await get(story)).body).toContain(`>${tag.name}</a>`);
    expect((await get(`/fr/tag/${tag.slug}/rss.xml`)).statusCode).toBe(200);
    expect((await get('/sitemaps/fr-1.xml')).body).toContain(`/fr/tag/${tag.slug}<`);

    const saved = await client.form(editor, `/admin/tags/${tag.id}`, {
      name: 'Sujet renommé',
      slug: 'sujet-renomme',
      description: '',
    });
    expect(saved.statusCode).toBe(303);
    const old = await get(`/fr/tag/${tag.slug}`);
    expect(old.statusCode).toBe(301);
    expect(old.headers.location).toBe('/fr/tag/sujet-renomme');
    for (const file of ['rss.xml', 'atom.xml', 'feed.json']) {
      const feed = await get(`/fr/tag/${tag.slug}/${file}`);
      expect(feed.statusCode, file).toBe(301);
      expect(feed.headers.location, file).toBe(`/fr/tag/sujet-renomme/${file}`);
    }
    expect((await get('/fr/tag/sujet-renomme')).body).toContain('Sujet renommé');
    const page = (await get(story)).body;
    expect(page).toContain('>Sujet renommé</a>');
    expect(page).not.toContain(`>${tag.name}</a>`);
    expect((await get('/fr/tag/sujet-renomme/rss.xml')).body).toContain('Sujet renommé');
    const sitemap = (await get('/sitemaps/fr-1.xml')).body;
    expect(sitemap).toContain('/fr/tag/sujet-renomme<');
    expect(sitemap).not.toContain(`/fr/tag/${tag.slug}<`);
  });

  it('shows a section’s description under its title and as its meta and OpenGraph description', async () => {
    const section = await db()
      .selectFrom('sections')
      .select(['id', 'slug', 'name'])
      .where('language', '=', 'fr')
      .where('slug', '=', 'monde')
      .executeTakeFirstOrThrow();
    const before = (await get('/fr/section/monde')).body;
    expect(before).not.toContain('listing__bio');
    const description = 'L’actualité internationale, expliquée & suivie.';
    const saved = await client.form(owner, `/admin/sections/${section.id}`, {
      name: section.name,
      slug: section.slug,
      description,
    });
    expect(saved.statusCode).toBe(303);
    const page = (await get('/fr/section/monde')).body;
    expect(page).toContain('<p class="listing__bio">L’actualité internationale, expliquée &amp; suivie.</p>');
    expect(metaOf(page, 'description')).toBe(description);
    expect(metaOf(page, 'og:description')).toBe(description);
    expect(saved.headers.location).toBe(`/admin/sections/${section.id}?done=saved`);
    const form = await client.get(saved.headers.location as string, owner);
    expect(form.body).toContain('Enregistré. Les lecteurs voient la modification dès maintenant.');
    // Staff reading French see no trace of it on the English section of the same name.
    expect((await get('/en/section/world')).body).not.toContain(description.slice(0, 20));
  });

  it('refuses an empty name, a taken address, merging into itself or across languages, storing nothing', async () => {
    const tags = await publicTags('fr');
    const [first, second] = tags;
    const english = (await publicTags('en'))[0]!;
    const snapshot = async () => ({
      tags: await db().selectFrom('tags').selectAll().orderBy('id').execute(),
      links: await db().selectFrom('article_tags').selectAll().orderBy('article_id').orderBy('tag_id').execute(),
      redirects: await db().selectFrom('redirects').select(['path', 'target_id']).orderBy('path').execute(),
    });
    const before = await snapshot();
    const empty = await client.form(editor, `/admin/tags/${first!.id}`, { name: '  ', slug: '', description: '' });
    expect(empty.statusCode).toBe(400);
    expect(empty.body).toContain('A name is 1 to 100 characters');
    const taken = await client.form(owner, `/admin/tags/${first!.id}`, {
      name: 'Doublon',
      slug: second!.slug,
      description: 'Ne doit pas être gardée.',
    });
    expect(taken.statusCode).toBe(409);
    expect(taken.body).toContain('Une autre rubrique, étiquette ou un autre auteur utilise déjà cette adresse');
    const itself = await client.form(editor, `/admin/tags/${first!.id}/merge`, { into: first!.id });
    expect(itself.statusCode).toBe(400);
    expect(itself.body).toContain('never into itself');
    const across = await client.form(editor, `/admin/tags/${first!.id}/merge`, { into: english.id });
    expect(across.statusCode).toBe(400);
    const tooLong = await client.form(editor, `/admin/tags/${first!.id}`, {
      name: 'Autre nom',
      slug: 'autre-nom',
      description: 'x'.repeat(1001),
    });
    expect(tooLong.statusCode).toBe(400);
    expect(tooLong.body).toContain('A description is at most 1,000 characters');
    expect(await snapshot()).toEqual(before);
  });

  it('merges a tag into another: its stories move keeping their places, its address 301s, cached pages follow', async () => {
    const tags = await publicTags('fr');
    const [from, into] = [tags[1]!, tags[2]!];
    const fromPage = `/fr/tag/${from.slug}`;
    const intoPage = `/fr/tag/${into.slug}`;
    expect((await get(intoPage)).statusCode).toBe(200);
    expect(site.app.pageCache.has(intoPage)).toBe(true);
    const storyOfFrom = `/fr/${from.stories[0]!.slug}`;
    expect((await get(storyOfFrom)).body).toContain(`>${from.name}</a>`);

    expect((await get('/sitemaps/fr-1.xml')).body).toContain(`${fromPage}<`);
    const merged = await client.form(editor, `/admin/tags/${from.id}/merge`, { into: into.id });
    expect(merged.statusCode).toBe(303);
    expect(await db().selectFrom('tags').select('id').where('id', '=', from.id).executeTakeFirst()).toBeUndefined();
    const links = await db().selectFrom('article_tags').selectAll().where('tag_id', '=', into.id).execute();
    const expected = new Map<string, number>();
    for (const story of into.stories) expected.set(story.id, story.position);
    for (const story of from.stories) if (!expected.has(story.id)) expected.set(story.id, story.position);
    expect(new Map(links.map((link) => [link.article_id, Number(link.position)]))).toEqual(expected);

    const old = await get(fromPage);
    expect(old.statusCode).toBe(301);
    expect(old.headers.location).toBe(intoPage);
    expect((await get(`${fromPage}/atom.xml`)).headers.location).toBe(`${intoPage}/atom.xml`);
    expect(site.app.pageCache.has(intoPage)).toBe(false);
    const intoBody = (await get(intoPage)).body;
    for (const story of from.stories) expect(intoBody).toContain(`href="/fr/${story.slug}"`);
    expect((await get('/sitemaps/fr-1.xml')).body).not.toContain(`${fromPage}<`);
    const story = (await get(storyOfFrom)).body;
    expect(story).toContain(`>${into.name}</a>`);
    expect(story).not.toContain(`>${from.name}</a>`);
  });

  it.skipIf(kind === 'sqlite')(
    'drops a merged tag’s pages on every instance sharing the PostgreSQL database',
    async () => {
      const other = await startTestSite(kind, { instanceOf: site, env: { KIOSQUE_LANGUAGES: 'fr,en,ar' } });
      try {
        const [from, into] = await publicTags('fr');
        const intoPage = `/fr/tag/${into!.slug}`;
        expect((await other.app.server.inject({ method: 'GET', url: intoPage })).statusCode).toBe(200);
        expect(other.app.pageCache.has(intoPage)).toBe(true);
        const heard = new Promise<void>((resolve) => {
          const stop = other.app.events.subscribe((event) => {
            if (event.type === 'taxonomy.merged' && event.fromId === from!.id) {
              stop();
              resolve();
            }
          });
        });
        expect((await client.form(editor, `/admin/tags/${from!.id}/merge`, { into: into!.id })).statusCode).toBe(303);
        await heard;
        expect(other.app.pageCache.has(intoPage)).toBe(false);
        const page = (await other.app.server.inject({ method: 'GET', url: intoPage })).body;
        for (const story of from!.stories) expect(page).toContain(`href="/fr/${story.slug}"`);
      } finally {
        await other.close();
      }
    },
    60_000,
  );

  it('orders the section menu with plain forms, and the header menu follows', async () => {
    const before = menuOf((await get('/fr/')).body);
    expect(before.length).toBeGreaterThan(1);
    const last = before.at(-1)!.split('/').at(-1)!;
    const section = await db()
      .selectFrom('sections')
      .select('id')
      .where('language', '=', 'fr')
      .where('slug', '=', last)
      .executeTakeFirstOrThrow();
    const moved = await client.form(owner, `/admin/sections/${section.id}/move`, { direction: 'up' });
    expect(moved.statusCode).toBe(303);
    expect(moved.headers.location).toContain('/admin/sections?done=moved&language=fr');
    const after = menuOf((await get('/fr/')).body);
    expect(after).toEqual([...before.slice(0, -2), before.at(-1), before.at(-2)]);
    // The English menu did not move.
    const list = await client.get('/admin/sections?language=fr', owner);
    const order = [...list.body.matchAll(/<tr id="([^"]+)"/g)].map((match) => match[1]);
    expect(order.indexOf(section.id)).toBe(order.length - 2);
    // At the top, "up" leaves the order as it is.
    const top = await db()
      .selectFrom('sections')
      .select('id')
      .where('language', '=', 'fr')
      .orderBy('position')
      .orderBy('name')
      .executeTakeFirstOrThrow();
    await client.form(owner, `/admin/sections/${top.id}/move`, { direction: 'up' });
    expect(menuOf((await get('/fr/')).body)).toEqual(after);
  });

  describe('author profiles', () => {
    it('shows each language’s bio and title on its own author page, none where none is written, with photo and links', async () => {
      const author = await db()
        .selectFrom('authors')
        .select(['id', 'slug', 'name'])
        .where('slug', '=', 'nadia-benali')
        .executeTakeFirstOrThrow();
      const image = await db().selectFrom('images').select('id').orderBy('id').executeTakeFirstOrThrow();
      // The demo's bios are per language already: French on the French page, English on the English one.
      expect((await get('/fr/author/nadia-benali')).body).toContain('Journaliste au service Monde');
      expect((await get('/en/author/nadia-benali')).body).toContain('World desk reporter at Kiosque');
      const arabicBefore = (await get('/ar/author/nadia-benali')).body;
      expect(arabicBefore).not.toContain('listing__bio');

      const saved = await client.form(editor, `/admin/authors/${author.id}`, {
        imageId: image.id,
        links: 'https://mastodon.social/@nadia\nhttps://nadia.example/',
        'jobTitle.fr': 'Correspondante Europe',
        'bio.fr': 'Elle suit l’Europe et les transports depuis Bruxelles.',
        'jobTitle.en': 'Europe correspondent',
        'bio.en': 'She covers Europe and transport from Brussels.',
        'jobTitle.ar': '',
        'bio.ar': '',
      });
      expect(saved.statusCode).toBe(303);

      const fr = (await get('/fr/author/nadia-benali')).body;
      expect(fr).toContain('<p class="profile__title">Correspondante Europe</p>');
      expect(fr).toContain('<p class="listing__bio">Elle suit l’Europe et les transports depuis Bruxelles.</p>');
      expect(fr).not.toContain('She covers Europe');
      expect(fr).toMatch(
        new RegExp(
          `<img src="/media/${image.id}/\\d+\\.jpg" srcset="[^"]+" sizes="[^"]+" width="\\d+" height="\\d+" alt="Nadia Benali"`,
        ),
      );
      expect(fr).toContain('<a href="https://mastodon.social/@nadia" rel="me" dir="ltr">mastodon.social/@nadia</a>');
      const en = (await get('/en/author/nadia-benali')).body;
      expect(en).toContain('She covers Europe and transport from Brussels.');
      expect(en).toContain('Europe correspondent');
      expect(en).not.toContain('Elle suit');
      const ar = (await get('/ar/author/nadia-benali')).body;
      expect(ar).not.toContain('listing__bio');
      expect(ar).not.toContain('profile__title');
      expect(ar).toContain('alt="Nadia Benali"');

      const person = jsonLdOf(fr)[0]!.mainEntity;
      expect(person).toEqual({
        '@type': 'Person',
        name: 'Nadia Benali',
        url: `${site.url}/fr/author/nadia-benali`,
        image: `${site.url}/media/${image.id}/1x1-1200.jpg`,
        jobTitle: 'Correspondante Europe',
        description: 'Elle suit l’Europe et les transports depuis Bruxelles.',
        sameAs: ['https://mastodon.social/@nadia', 'https://nadia.example/'],
      });
      expect(metaOf(fr, 'description')).toBe('Elle suit l’Europe et les transports depuis Bruxelles.');
      // Each story's author list carries the same Person, in the story's language.
      const story = await db()
        .selectFrom('articles')
        .innerJoin('article_authors', 'article_authors.article_id', 'articles.id')
        .select('articles.slug')
        .where('article_authors.author_id', '=', author.id)
        .where('articles.language', '=', 'en')
        .where('articles.status', '=', 'published')
        .executeTakeFirstOrThrow();
      const article = jsonLdOf((await get(`/en/${story.slug}`)).body)[0]!;
      expect(article.author).toContainEqual(
        expect.objectContaining({ name: 'Nadia Benali', jobTitle: 'Europe correspondent', sameAs: expect.any(Array) }),
      );
      // The photo's square crop exists.
      expect((await get(`/media/${image.id}/1x1-1200.jpg`)).statusCode).toBe(200);
    });

    it('refuses a link outside https/http in the staff member’s language, storing nothing', async () => {
      const author = await db()
        .selectFrom('authors')
        .select('id')
        .where('slug', '=', 'nadia-benali')
        .executeTakeFirstOrThrow();
      const before = await db()
        .selectFrom('author_profiles')
        .selectAll()
        .where('author_id', '=', author.id)
        .orderBy('language')
        .execute();
      const refused = await client.form(owner, `/admin/authors/${author.id}`, {
        imageId: '',
        links: 'javascript:alert(document.cookie)',
        'bio.fr': 'Ne doit pas être gardée.',
      });
      expect(refused.statusCode).toBe(400);
      expect(refused.body).toContain('Un lien du profil d’auteur doit être une adresse web complète');
      // What was typed comes back in the form.
      expect(refused.body).toContain('Ne doit pas être gardée.');
      expect(
        await db()
          .selectFrom('author_profiles')
          .selectAll()
          .where('author_id', '=', author.id)
          .orderBy('language')
          .execute(),
      ).toEqual(before);
      expect((await get('/fr/author/nadia-benali')).body).not.toContain('Ne doit pas');
    });

    it('lets a contributor edit their own linked profile and no one else’s', async () => {
      const own = await authorIdOf(site, contributor);
      const list = await client.get('/admin/authors', contributor);
      expect(list.statusCode).toBe(200);
      expect(list.body).toContain(`/admin/authors/${own}`);
      expect(list.body).not.toContain('Nadia Benali');
      const nadia = await db()
        .selectFrom('authors')
        .select('id')
        .where('slug', '=', 'nadia-benali')
        .executeTakeFirstOrThrow();
      expect((await client.get(`/admin/authors/${nadia.id}`, contributor)).statusCode).toBe(403);
      const denied = await client.form(contributor, `/admin/authors/${nadia.id}`, { 'bio.fr': 'Piratée.' });
      expect(denied.statusCode).toBe(403);
      const mine = await client.form(contributor, `/admin/authors/${own}`, {
        imageId: '',
        links: '',
        'bio.fr': 'Pigiste, elle écrit sur la ville.',
      });
      expect(mine.statusCode).toBe(303);
      const slug = (await db().selectFrom('authors').select('slug').where('id', '=', own).executeTakeFirstOrThrow())
        .slug;
      expect((await get(`/fr/author/${slug}`)).body).toContain('Pigiste, elle écrit sur la ville.');
      expect((await get(`/fr/author/nadia-benali`)).body).not.toContain('Piratée');
    });
  });
});
