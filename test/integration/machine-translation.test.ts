import { XMLParser } from 'fast-xml-parser';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { ArticleRecord } from '../../src/domain/articles/article-input.js';
import { type Role, roles } from '../../src/domain/staff/roles.js';
import type { TranslationProvider } from '../../src/domain/translations/translation-provider.js';
import { createBuiltinProvider } from '../../src/translation/builtin-provider.js';
import { describeEachDatabase } from '../support/databases.js';
import { attributesOf, elements, textOf } from '../support/html.js';
import { addMember, editorFormOf, type StaffAgent, setupOwner, staffClient } from '../support/staff.js';
import { startTestSite, type TestSite } from '../support/test-app.js';

/**
 * Issue 12, machine translation with a fidelity gate: "Translate into…" with the built-in provider
 * makes an unreviewed machine draft that cannot be published; a provider that loses a paragraph is
 * caught by the gate until a person fixes it; "Mark as reviewed" is for whoever may publish; readers
 * see the label in the page's language, and JSON-LD and feeds carry the same facts.
 */

const english = [
  'The Valbrune bridge reopened to traffic on 3 December after 14 months of repairs costing 12.5 million euros.',
  'Mayor Marie Dupont said 10,000 vehicles a day would use it again, according to the city.',
  'The works were paid by the region and by the European Union.',
  'Traffic will be limited to 30 km/h until the end of March.',
].join('\n\n');

/** The built-in provider; told to, it loses the paragraph holding `lose` (a real failure mode). */
function lossyProvider() {
  const builtin = createBuiltinProvider();
  const state = { lose: null as string | null };
  const provider: TranslationProvider = {
    name: 'builtin',
    async translate(texts, from, to) {
      const kept = state.lose ? texts.filter((text) => !text.includes(state.lose as string)) : texts;
      return builtin.translate(kept, from, to);
    },
  };
  return { provider, state };
}

const xml = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  isArray: (name) => ['item', 'entry'].includes(name),
});

describeEachDatabase('machine translation with a fidelity gate on $kind (issue 12)', ({ kind }) => {
  let site: TestSite;
  let owner: StaffAgent;
  const lossy = lossyProvider();
  const http = staffClient(() => site);
  const story = (id: string) => site.app.articles.get(id);

  beforeAll(async () => {
    site = await startTestSite(kind, { demo: false, translationProvider: lossy.provider });
    owner = await setupOwner(site);
  }, 180_000);
  afterAll(async () => {
    await site?.close();
  });

  let counter = 0;
  async function englishStory(authorIds: string[] = []) {
    counter++;
    const authors =
      authorIds.length > 0
        ? authorIds
        : [(await site.app.database.db.selectFrom('authors').select('id').executeTakeFirstOrThrow()).id];
    return site.app.articles.create({
      language: 'en',
      headline: `Valbrune bridge reopens ${counter}`,
      bodyMarkdown: english,
      authorIds: authors,
      status: 'published',
    });
  }

  async function translate(agent: StaffAgent, source: ArticleRecord, language = 'fr'): Promise<ArticleRecord> {
    const response = await http.form(agent, `/admin/stories/${source.id}/translate`, { language });
    expect(response.statusCode, response.body.slice(0, 300)).toBe(303);
    return story(String(response.headers.location).split('/')[3]!.split('?')[0]!);
  }

  const act = async (agent: StaffAgent, record: ArticleRecord, action: string, changes = {}) =>
    http.form(agent, `/admin/stories/${record.id}/${action}`, {
      ...(await editorFormOf(site, record, changes)),
      expectedRevision: String(record.revision),
    });

  it('prefills the draft block by block, marks it machine-made and unreviewed, and refuses to publish it', async () => {
    const source = await englishStory();
    const draft = await translate(owner, source);
    expect(draft.bodyMarkdown.split('\n\n')).toHaveLength(4);
    expect(draft.bodyMarkdown).toContain('12,5');
    expect(await site.app.machineTranslation.status(draft.id)).toMatchObject({
      provider: 'builtin',
      sourceLanguage: 'en',
      reviewedBy: null,
    });

    const editor = await http.get(`/admin/stories/${draft.id}`, owner);
    expect(textOf(editor.body)).toContain('pas encore relu');
    expect(editor.body).toContain('id="review-button"');

    for (const action of ['publish', 'schedule']) {
      const refused = await act(owner, await story(draft.id), action, { scheduleAt: '2099-01-01T10:00' });
      expect(refused.statusCode, action).toBe(422);
      expect(textOf(refused.body)).toContain('Traduction automatique pas encore relue');
    }
    expect((await story(draft.id)).status).toBe('draft');
  });

  it('blocks a translation that lost a paragraph until it is fixed, then publishes it once reviewed', async () => {
    const source = await englishStory();
    lossy.state.lose = 'Mayor Marie Dupont';
    const draft = await translate(owner, source);
    lossy.state.lose = null;
    expect(draft.bodyMarkdown.split('\n\n')).toHaveLength(3);

    // The editor names the lost paragraph beside preflight's findings, and on the side by side.
    const editor = await http.get(`/admin/stories/${draft.id}`, owner);
    const finding = elements(editor.body, 'li').find((li) => attributesOf(li)['data-code'] === 'BLOCK_DROPPED');
    expect(textOf(finding ?? '')).toContain('Paragraphe source 2');
    expect(textOf(finding ?? '')).toContain('Mayor Marie Dupont');
    expect(editor.body).toMatch(/side-by-side__finding" data-code="BLOCK_DROPPED"/);

    // Reviewed or not, the gate holds it back.
    expect((await act(owner, await story(draft.id), 'review')).statusCode).toBe(303);
    const refused = await act(owner, await story(draft.id), 'publish');
    expect(refused.statusCode).toBe(422);
    expect(textOf(refused.body)).toContain('manque dans la traduction');
    expect((await story(draft.id)).status).toBe('draft');

    // The editor translates the lost paragraph in its place; publishing saves it first, then publishes.
    const paragraphs = draft.bodyMarkdown.split('\n\n');
    paragraphs.splice(
      1,
      0,
      'La maire Marie Dupont a déclaré que 10 000 véhicules par jour l’emprunteraient à nouveau.',
    );
    const published = await act(owner, await story(draft.id), 'publish', { bodyMarkdown: paragraphs.join('\n\n') });
    expect(published.statusCode, textOf(published.body).slice(0, 400)).toBe(303);
    expect((await story(draft.id)).status).toBe('published');
  });

  it('shows readers the label in the page’s language, with JSON-LD and feeds carrying the same facts', async () => {
    const source = await englishStory();
    const draft = await translate(owner, source);
    expect((await act(owner, draft, 'review')).statusCode).toBe(303);
    const status = await site.app.machineTranslation.status(draft.id);
    expect(status?.reviewedBy?.name).toBe('Olivia Owner');
    expect((await act(owner, await story(draft.id), 'publish')).statusCode).toBe(303);
    const record = await story(draft.id);

    const page = await http.get(`/fr/${record.slug}`);
    expect(page.statusCode).toBe(200);
    const label = elements(page.body, 'p').find((p) => attributesOf(p).id === 'machine-translation-label') ?? '';
    expect(textOf(label)).toContain(`Traduit automatiquement de l’anglais, relu par ${status?.reviewedBy?.name}`);
    expect(label).toContain(`href="/en/${source.slug}"`);

    const data = elements(page.body, 'script')
      .filter((script) => attributesOf(script).type === 'application/ld+json')
      .map((script) => JSON.parse(script.replace(/^<script[^>]*>/, '').replace(/<\/script>$/, '')))
      .find((node) => node['@type'] === 'NewsArticle');
    expect(data).toMatchObject({
      inLanguage: 'fr',
      translationOfWork: {
        '@type': 'NewsArticle',
        url: expect.stringMatching(new RegExp(`/en/${source.slug}$`)),
        headline: source.headline,
        inLanguage: 'en',
      },
      translator: [
        { '@type': 'Person', name: status?.reviewedBy?.name },
        { '@type': 'Organization', name: 'Kiosque built-in translation (demo)' },
      ],
    });

    // The source, a human story, carries no such facts.
    const original = await http.get(`/en/${source.slug}`);
    expect(original.body).not.toContain('machine-translation-label');
    expect(original.body).not.toContain('translationOfWork');

    const json = JSON.parse((await http.get('/fr/feed.json')).body);
    const item = json.items.find((entry: { title: string }) => entry.title === record.headline);
    expect(item._kiosque.machine_translation).toEqual({
      translated_from: 'en',
      provider: 'Kiosque built-in translation (demo)',
      reviewed_by: status?.reviewedBy?.name,
      source_url: expect.stringMatching(new RegExp(`/en/${source.slug}$`)),
    });
    for (const [file, list] of [
      ['rss.xml', (doc: any) => doc.rss.channel.item],
      ['atom.xml', (doc: any) => doc.feed.entry],
    ] as const) {
      const body = (await http.get(`/fr/${file}`)).body;
      expect(body).toContain('xmlns:kiosque="urn:kiosque:feed-extensions:1"');
      const entries = list(xml.parse(body)) as any[];
      const entry = entries.find((e) => JSON.stringify(e).includes(record.headline));
      expect(entry['kiosque:machineTranslation'], file).toMatchObject({
        '@_from': 'en',
        '@_provider': 'Kiosque built-in translation (demo)',
        '@_reviewedBy': status?.reviewedBy?.name,
      });
    }
  });

  it('keeps the review after later edits, and says "reviewed by" in the editor', async () => {
    const source = await englishStory();
    const draft = await translate(owner, source);
    await act(owner, draft, 'review');
    const edited = await story(draft.id);
    const saved = await http.form(owner, `/admin/stories/${draft.id}`, {
      ...(await editorFormOf(site, edited, { bodyMarkdown: `${edited.bodyMarkdown}\n\nUne phrase ajoutée.` })),
      expectedRevision: String(edited.revision),
    });
    expect(saved.statusCode).toBe(303);
    expect((await story(draft.id)).bodyMarkdown).toContain('Une phrase ajoutée.');
    expect((await site.app.machineTranslation.status(draft.id))?.reviewedBy).not.toBeNull();
    const editor = await http.get(`/admin/stories/${draft.id}`, owner);
    expect(editor.body).toContain('data-state="reviewed"');
    expect(editor.body).not.toContain('id="review-button"');
  });

  it('lets whoever may publish the story mark it reviewed, and no one else', async () => {
    const agents = new Map<Role, StaffAgent>([['owner', owner]]);
    for (const role of roles.filter((r) => r !== 'owner')) {
      agents.set(role, await addMember(site, role, `${role}-mt-${kind}@example.org`, undefined, `Relecteur ${role}`));
    }
    const authorOf = async (email: string) =>
      (
        await site.app.database.db
          .selectFrom('staff_users')
          .select('author_id')
          .where('email', '=', email)
          .executeTakeFirstOrThrow()
      ).author_id as string;
    for (const role of roles) {
      const agent = agents.get(role)!;
      for (const own of [true, false]) {
        // A draft translation (by the owner, so every role starts from the same machine text) on
        // this person's byline, or on someone else's.
        const source = await englishStory();
        const draft = await translate(owner, source);
        const byline = own ? [await authorOf(agent.email)] : draft.authorIds;
        await site.app.articles.edit(
          draft.id,
          { ...(await editorFormOfInput(draft)), authorIds: byline },
          { expectedRevision: draft.revision },
        );
        const response = await act(agent, await story(draft.id), 'review');
        const mayPublish = role === 'owner' || role === 'admin' || role === 'editor' || (role === 'author' && own);
        expect(response.statusCode, `${role} ${own ? 'own' : 'colleague’s'}`).toBe(mayPublish ? 303 : 403);
        const reviewed = (await site.app.machineTranslation.status(draft.id))?.reviewedBy ?? null;
        expect(reviewed?.name ?? null, `${role} ${own}`).toBe(
          mayPublish ? (role === 'owner' ? 'Olivia Owner' : `Relecteur ${role}`) : null,
        );
      }
    }
  });

  async function editorFormOfInput(record: ArticleRecord) {
    const {
      id: _i,
      bodyHtml: _b,
      revision: _r,
      createdAt: _c,
      updatedAt: _u,
      deletedAt: _d,
      textRevision: _t,
      ...input
    } = record;
    return input;
  }
});
