import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ArticleInput } from '../../src/domain/articles/article-input.js';
import type { StoryGenre } from '../../src/domain/articles/genre.js';
import type { ParsedWireItem } from '../../src/domain/wire/wire-item.js';
import { blankItem } from '../../src/ingest/wire-fields.js';
import { createMachineTranslationRepository } from '../../src/storage/machine-translation-repository.js';
import { testByline } from '../support/articles.js';
import { describeEachDatabase } from '../support/databases.js';
import { decodeEntities, textOf } from '../support/html.js';
import { ninjsErrors } from '../support/ninjs-schema.js';
import { addMember, editorFormOf, type StaffAgent, setupOwner, staffClient } from '../support/staff.js';
import { startTestSite, type TestSite } from '../support/test-app.js';

// biome-ignore lint/suspicious/noExplicitAny: parsed JSON-LD and ninjs are walked by field name
type Json = { [key: string]: any };

/**
 * Issues 13 and 14, the kind of work (decision 0051): set in the editor over HTTP, kept in
 * revisions, inherited by translations and by wire drafts; shown to readers in their language
 * above the headline and on cards (news only on the page), with the schema.org type, the feed
 * category and the ninjs genre it stands for; sponsored copy marked in words. Both databases.
 */
describeEachDatabase('story genre on $kind', ({ kind }) => {
  let site: TestSite;
  let owner: StaffAgent;
  let editor: StaffAgent;
  let byline: string[];
  const http = staffClient(() => site);
  const db = () => site.app.database.db;

  beforeAll(async () => {
    site = await startTestSite(kind, { env: { KIOSQUE_LANGUAGES: 'fr,en,ar' } });
    owner = await setupOwner(site);
    editor = await addMember(site, 'editor', 'genre-editor@example.org', undefined, 'Edna Editor', 'en');
    byline = await testByline(db());
  }, 180_000);
  afterAll(async () => {
    await site?.close();
  });

  const get = (url: string) =>
    site.app.server.inject({ method: 'GET', url, headers: { 'accept-encoding': 'identity' } });

  /** A published story, written through the article service. */
  async function published(language: string, slug: string, genre: StoryGenre, extra: Partial<ArticleInput> = {}) {
    return site.app.articles.create({
      language,
      slug,
      headline: `Headline of ${slug}`,
      bodyMarkdown: 'First paragraph.\n\nSecond paragraph.',
      status: 'published',
      authorIds: byline,
      genre,
      // A sponsored story names its sponsor, or preflight refuses it (NO_SPONSOR).
      ...(genre === 'sponsored' ? { sponsor: 'Maison Exemple' } : {}),
      ...extra,
    });
  }

  /** The page's schema.org description of the story. */
  function storyData(html: string): Json {
    const scripts = [...html.matchAll(/<script type="application\/ld\+json">([\s\S]*?)<\/script>/g)].map(
      (match) => JSON.parse(match[1] as string) as Json,
    );
    const found = scripts.find((data) => String(data['@id'] ?? '').endsWith('#article'));
    expect(found, 'the story’s JSON-LD').toBeDefined();
    return found as Json;
  }

  /** What the page says above the headline: the labels' text, in order. */
  function labelsAboveHeadline(html: string): string[] {
    const header = /<header class="story__header">([\s\S]*?)<h1/.exec(html)?.[1] ?? '';
    return [...header.matchAll(/class="genre-label genre-label--[^"]*"[^>]*>([^<]*)</g)].map((m) =>
      decodeEntities(m[1] as string),
    );
  }

  describe('in the editor', () => {
    it('is chosen with a select, saved by autosave as a revision, and shown in the revision diff', async () => {
      const created = await http.api(editor, 'POST', '/admin/api/stories', {
        fields: { language: 'en', headline: `A column ${kind}`, bodyMarkdown: 'I think so.', genre: 'opinion' },
      });
      expect(created.statusCode, created.body).toBe(201);
      const { id, revision } = created.json() as { id: string; revision: number };
      expect((await site.app.articles.get(id)).genre).toBe('opinion');

      const page = await http.get(`/admin/stories/${id}`, editor);
      expect(page.body).toMatch(/<label for="f-genre">Kind of work<\/label>/);
      expect(page.body).toMatch(/<option value="opinion" selected[^>]*>Opinion<\/option>/);
      expect(page.body).toContain('<option value="sponsored">Sponsored</option>');

      const record = await site.app.articles.get(id);
      const saved = await http.api(editor, 'PUT', `/admin/api/stories/${id}`, {
        expectedRevision: revision,
        fields: await editorFormOf(site, record, { genre: 'review' }),
      });
      expect(saved.statusCode, saved.body).toBe(200);
      expect(saved.json().revision).toBe(revision + 1);
      expect((await site.app.articles.get(id)).genre).toBe('review');

      const diff = await http.get(`/admin/stories/${id}/revisions?from=${revision}&to=${revision + 1}`, editor);
      expect(diff.statusCode).toBe(200);
      const field = /<div class="diff-field" data-field="genre">([\s\S]*?)<\/div>/.exec(diff.body)?.[1] ?? '';
      expect(textOf(field)).toContain('Kind of work');
      expect(textOf(field)).toContain('Opinion');
      expect(textOf(field)).toContain('Review');
    });

    it('refuses a kind of work it does not know, naming the field in the staff member’s language, and stores nothing', async () => {
      const { id, revision } = (
        await http.api(editor, 'POST', '/admin/api/stories', {
          fields: { language: 'en', headline: `An analysis ${kind}`, bodyMarkdown: 'Because.', genre: 'analysis' },
        })
      ).json() as { id: string; revision: number };
      const record = await site.app.articles.get(id);
      const refused = await http.api(editor, 'PUT', `/admin/api/stories/${id}`, {
        expectedRevision: revision,
        fields: await editorFormOf(site, record, { genre: 'gossip', headline: 'Changed too' }),
      });
      expect(refused.statusCode).toBe(400);
      expect(refused.json().fields).toEqual(['genre']);
      expect(refused.json().message).toContain('Kind of work');
      expect(await site.app.articles.get(id)).toMatchObject({ genre: 'analysis', revision, headline: record.headline });

      // The form without the script, in French for the owner: the select is marked, no story is made.
      const before = await db().selectFrom('articles').select('id').execute();
      const form = await http.form(owner, '/admin/stories', {
        language: 'fr',
        headline: 'Un genre inconnu',
        genre: '<script>alert(1)</script>',
      });
      expect(form.statusCode).toBe(400);
      expect(textOf(form.body)).toContain('Type de contenu');
      expect(form.body).toMatch(/<select id="f-genre"[^>]*aria-invalid="true"/);
      expect(form.body).not.toContain('<script>alert(1)</script>');
      expect(await db().selectFrom('articles').select('id').execute()).toHaveLength(before.length);
    });

    it('names both genres in the 409 of a stale save, and takes theirs as the genre field', async () => {
      const story = await published('en', `conflict-genre-${kind}`, 'news');
      const first = await http.api(editor, 'PUT', `/admin/api/stories/${story.id}`, {
        expectedRevision: story.revision,
        fields: await editorFormOf(site, story, { genre: 'review' }),
      });
      expect(first.statusCode, first.body).toBe(200);
      const stale = await http.api(owner, 'PUT', `/admin/api/stories/${story.id}`, {
        expectedRevision: story.revision,
        fields: await editorFormOf(site, story, { genre: 'sponsored' }),
      });
      expect(stale.statusCode).toBe(409);
      const genre = (stale.json().differences as Json[]).find((difference) => difference.group === 'genre');
      // The owner's admin is in French: the names are too.
      expect(genre).toMatchObject({
        label: 'Type de contenu',
        theirs: 'Critique',
        yours: 'Contenu sponsorisé',
        fields: { genre: 'review' },
      });
    });

    it('keeps the stored genre when a form of before genres is saved', async () => {
      const story = await published('en', `older-form-${kind}`, 'factcheck');
      const { genre: _left, ...older } = await editorFormOf(site, story, { headline: 'An older form saved' });
      const saved = await http.api(editor, 'PUT', `/admin/api/stories/${story.id}`, {
        expectedRevision: story.revision,
        fields: older,
      });
      expect(saved.statusCode, saved.body).toBe(200);
      expect((await site.app.articles.get(story.id)).genre).toBe('factcheck');
    });

    it('gives a translation the genre of the story it translates', async () => {
      const source = await published('en', `translated-opinion-${kind}`, 'opinion');
      for (const language of ['fr', 'ar']) {
        const made = await http.form(owner, `/admin/stories/${source.id}/translate`, { language });
        expect(made.statusCode).toBe(303);
        const translationId = /\/admin\/stories\/([^?/]+)/.exec(String(made.headers.location))?.[1] ?? '';
        expect((await site.app.articles.get(translationId)).genre, language).toBe('opinion');
      }
    });

    it('maps the wire item’s genre on "Use as draft": IPTC ninjs URIs and NewsML-G2 qcodes, else news', async () => {
      const upload = await site.app.wire.builtIn('upload');
      const item = (wireId: string, genres: string[]): ParsedWireItem => ({
        ...blankItem('ninjs'),
        wireId,
        language: 'en',
        headline: `Wire ${wireId} ${kind}`,
        bylines: ['Wire Writer'],
        body: [{ kind: 'paragraph', text: 'Wire text.' }],
        genres,
      });
      const report = await site.app.wire.receive(
        upload,
        [
          item('genre-1', ['http://cv.iptc.org/newscodes/genre/Opinion']),
          item('genre-2', ['genre:Analysis']),
          item('genre-3', ['http://tt.se/spec/sector/1.0/INR', 'Inrikes']),
        ],
        new TextEncoder().encode('{}'),
      );
      const genres = [];
      for (const itemId of report.stored) {
        const made = await http.form(editor, `/admin/wire/items/${itemId}/draft`, {});
        expect(made.statusCode).toBe(303);
        const storyId = String(made.headers.location).split('/')[3]?.split('?')[0] ?? '';
        genres.push((await site.app.articles.get(storyId)).genre);
      }
      expect(genres).toEqual(['opinion', 'analysis', 'news']);
    });
  });

  describe('for readers', () => {
    it('labels the story above the headline in the reader’s language, news included, with the schema.org type', async () => {
      const cases = [
        { language: 'en', genre: 'opinion', label: 'Opinion', type: 'OpinionNewsArticle' },
        { language: 'fr', genre: 'analysis', label: 'Analyse', type: 'AnalysisNewsArticle' },
        { language: 'ar', genre: 'opinion', label: 'رأي', type: 'OpinionNewsArticle' },
        { language: 'en', genre: 'review', label: 'Review', type: 'ReviewNewsArticle' },
        { language: 'fr', genre: 'news', label: 'Actualité', type: 'NewsArticle' },
      ] as const;
      for (const { language, genre, label, type } of cases) {
        const slug = `labelled-${genre}-${language}-${kind}`;
        await published(language, slug, genre);
        const page = await get(`/${language}/${slug}`);
        expect(page.statusCode, slug).toBe(200);
        expect(labelsAboveHeadline(page.body), slug).toEqual([label]);
        const data = storyData(page.body);
        expect(data['@type'], slug).toBe(type);
        if (genre === 'news') expect(data.genre).toBeUndefined();
        else expect(data.genre, slug).toBe(label);
      }
    });

    it('marks sponsored copy in words on the page and as AdvertiserContentArticle', async () => {
      for (const [language, label, note] of [
        ['en', 'Sponsored', 'Sponsored content: an advertiser paid for this article to be published.'],
        ['fr', 'Contenu sponsorisé', 'Contenu sponsorisé : un annonceur a payé pour la publication de cet article.'],
        ['ar', 'محتوى مموَّل', 'محتوى مموَّل: دفع مُعلِنٌ مقابل نشر هذا المقال.'],
      ] as const) {
        const slug = `paid-placement-${language}-${kind}`;
        await published(language, slug, 'sponsored');
        const page = (await get(`/${language}/${slug}`)).body;
        expect(labelsAboveHeadline(page)).toEqual([label]);
        expect(decodeEntities(page)).toContain(`<p class="story__sponsored" role="note">${note}</p>`);
        expect(storyData(page)['@type']).toBe('AdvertiserContentArticle');
      }
    });

    it('names the sponsor above the headline and on every card, marks the body’s links as paid, and refuses publication without a sponsor (issue 14)', async () => {
      const slug = `sponsor-named-${kind}`;
      await published('fr', slug, 'sponsored', {
        headline: `Un contenu payé ${kind}`,
        bodyMarkdown: 'Découvrez [notre offre](https://example.com/offre).\n\nDeuxième paragraphe.',
      });
      const page = decodeEntities((await get(`/fr/${slug}`)).body);
      const header = /<header class="story__header">([\s\S]*?)<h1/.exec(page)?.[1] ?? '';
      expect(header).toContain('Contenu sponsorisé');
      expect(header).toContain('Sponsorisé par Maison Exemple');
      expect(page).toContain('<a href="https://example.com/offre" rel="sponsored noopener">notre offre</a>');
      const home = decodeEntities((await get('/fr/')).body);
      const card =
        new RegExp(
          `<article[^>]*>(?:(?!</article>)[\\s\\S])*Un contenu payé ${kind}(?:(?!</article>)[\\s\\S])*</article>`,
        ).exec(home)?.[0] ?? '';
      expect(card).toContain('Contenu sponsorisé');
      expect(card).toContain('Sponsorisé par Maison Exemple');

      // Without a sponsor: a blocking preflight finding, in the staff member's language; nothing public.
      const { id, revision } = (
        await http.api(editor, 'POST', '/admin/api/stories', {
          fields: {
            language: 'en',
            headline: `Unnamed sponsor ${kind}`,
            bodyMarkdown: 'Paid for.',
            genre: 'sponsored',
          },
        })
      ).json() as { id: string; revision: number };
      const refused = await http.form(editor, `/admin/stories/${id}/publish`, { expectedRevision: String(revision) });
      expect(refused.statusCode).toBe(422);
      expect(textOf(refused.body)).toContain('Sponsored story without a sponsor');
      expect((await site.app.articles.get(id)).status).toBe('draft');
    });

    it('gives a fact check as a NewsArticle with its genre and no ClaimReview, having no claim to review', async () => {
      const slug = `fact-check-${kind}`;
      await published('en', slug, 'factcheck');
      const page = (await get(`/en/${slug}`)).body;
      expect(labelsAboveHeadline(page)).toEqual(['Fact check']);
      expect(storyData(page)).toMatchObject({ '@type': 'NewsArticle', genre: 'Fact check' });
      expect(page).not.toContain('ClaimReview');
    });

    it('labels cards in lists except plain news, and says "Machine-translated" beside the genre from the stored status', async () => {
      const opinion = await published('en', `card-opinion-${kind}`, 'opinion', { headline: `Card opinion ${kind}` });
      await published('en', `card-news-${kind}`, 'news', { headline: `Card news ${kind}` });
      const machine = await published('en', `card-machine-${kind}`, 'news', { headline: `Card machine ${kind}` });
      await createMachineTranslationRepository(db()).save({
        articleId: machine.id,
        provider: 'deepl',
        sourceLanguage: 'fr',
        translatedAt: new Date(),
        reviewedBy: null,
        reviewedAt: null,
      });
      // Written straight into storage, without the event the translation desk sends.
      site.app.pageCache.clear();
      const home = (await get('/en/')).body;
      const card = (headline: string) => {
        const at = home.indexOf(`>${headline}</a>`);
        expect(at, headline).toBeGreaterThan(-1);
        const start = home.lastIndexOf('<article class="card', at);
        return home.slice(start, at);
      };
      expect(textOf(card(`Card opinion ${kind}`))).toContain('Opinion');
      expect(card(`Card news ${kind}`)).not.toContain('genre-label');
      expect(card(`Card machine ${kind}`)).toContain(
        '<span class="genre-label genre-label--machine">Machine-translated</span>',
      );
      expect(card(`Card machine ${kind}`)).not.toContain('genre-label--news');
      expect(opinion.genre).toBe('opinion');
      // The demo's analysis is labelled on the French home page.
      expect(decodeEntities((await get('/fr/')).body)).toMatch(
        /genre-label--analysis">Analyse<\/span>[\s\S]*?Prix du café/,
      );
    });

    it('names the genre as a feed category and JSON Feed tag, never plain news', async () => {
      const slug = `feed-analysis-${kind}`;
      await published('fr', slug, 'analysis', { headline: `Analyse pour le flux ${kind}` });
      await published('fr', `feed-news-${kind}`, 'news', { headline: `Actualité pour le flux ${kind}` });
      const rss = (await get('/fr/rss.xml')).body;
      const item = (xml: string, tag: string, headline: string) =>
        xml.split(`<${tag}`).find((part) => part.includes(headline)) ?? '';
      expect(item(rss, 'item', `Analyse pour le flux ${kind}`)).toContain('<category>Analyse</category>');
      expect(item(rss, 'item', `Actualité pour le flux ${kind}`)).not.toContain('<category>Actualité</category>');
      const atom = (await get('/fr/atom.xml')).body;
      expect(item(atom, 'entry', `Analyse pour le flux ${kind}`)).toContain('<category term="Analyse"/>');
      const json = JSON.parse((await get('/fr/feed.json')).body) as { items: Json[] };
      const entry = json.items.find((i) => i.title === `Analyse pour le flux ${kind}`);
      expect(entry?.tags).toContain('Analyse');
      expect(json.items.find((i) => i.title === `Actualité pour le flux ${kind}`)?.tags ?? []).not.toContain(
        'Actualité',
      );
    });

    it('gives ninjs genres with IPTC genre URIs and names in the story’s language, valid against the schema', async () => {
      const cases = [
        ['en', 'opinion', 'Opinion', 'http://cv.iptc.org/newscodes/genre/Opinion'],
        ['fr', 'analysis', 'Analyse', 'http://cv.iptc.org/newscodes/genre/Analysis'],
        ['fr', 'sponsored', 'Contenu sponsorisé', 'http://cv.iptc.org/newscodes/genre/Advertiser_Supplied'],
        ['en', 'news', 'News', 'http://cv.iptc.org/newscodes/genre/Current'],
        ['en', 'factcheck', 'Fact check', undefined],
      ] as const;
      for (const [language, genre, name, uri] of cases) {
        const slug = `ninjs-${genre}-${language}-${kind}`;
        await published(language, slug, genre);
        const response = await get(`/api/ninjs/${language}/${slug}`);
        expect(response.statusCode, slug).toBe(200);
        const document = JSON.parse(response.body) as Json;
        expect(ninjsErrors(document), slug).toEqual([]);
        expect(document.genres, slug).toEqual([{ name, literal: genre, ...(uri ? { uri } : {}) }]);
      }
    });
  });
});
