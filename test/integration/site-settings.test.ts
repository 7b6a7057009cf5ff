import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase } from '../support/databases.js';
import { addMember, type StaffAgent, setupOwner, staffClient } from '../support/staff.js';
import { startTestSite, type TestSite } from '../support/test-app.js';

/** Issue 14: Admin → Settings and static pages, as readers and staff notice them (decisions 0058, 0059). */
describeEachDatabase('site settings and static pages on $kind', ({ kind }) => {
  let site: TestSite;
  let owner: StaffAgent;
  let editor: StaffAgent;
  const staff = staffClient(() => site);
  const read = async (url: string) => {
    const response = await site.app.server.inject({ method: 'GET', url });
    return { status: response.statusCode, body: response.body, headers: response.headers };
  };
  const settingsRow = async (section: string) =>
    (
      await site.app.database.db
        .selectFrom('site_settings')
        .select('value')
        .where('section', '=', section)
        .executeTakeFirst()
    )?.value;

  beforeAll(async () => {
    site = await startTestSite(kind, { env: { KIOSQUE_SITE_NAME: 'Le Quotidien' } });
    owner = await setupOwner(site);
    editor = await addMember(site, 'editor', 'editor@example.org');
  });
  afterAll(async () => {
    await site?.close();
  });

  it('seeds the settings from the environment at first start', async () => {
    expect(JSON.parse((await settingsRow('identity')) ?? '{}').names).toEqual({
      fr: 'Le Quotidien',
      en: 'Le Quotidien',
    });
    expect((await read('/fr/')).body).toContain('Le Quotidien');
  });

  it('keeps Admin → Settings to the owner and admins, and Admin → Pages to editors and up', async () => {
    expect((await staff.get('/admin/settings', editor)).statusCode).toBe(403);
    expect((await staff.get('/admin/pages', editor)).statusCode).toBe(200);
    expect((await staff.get('/admin/settings', owner)).statusCode).toBe(200);
  });

  it('shows a French tagline and menu link on French pages at once, and leaves English pages as they were', async () => {
    const english = await read('/en/');
    const frenchBefore = await read('/fr/');
    expect(frenchBefore.body).not.toContain('Chaque matin, autrement');
    const tagline = await staff.form(owner, '/admin/settings/identity', {
      'name.fr': 'Le Quotidien',
      'name.en': 'Le Quotidien',
      'tagline.fr': 'Chaque matin, autrement',
    });
    expect(tagline.statusCode).toBe(303);
    const nav = await staff.form(owner, '/admin/settings/navigation', {
      'nav.fr.0.label': 'Nos podcasts',
      'nav.fr.0.url': 'https://podcasts.example.org/',
    });
    expect(nav.statusCode).toBe(303);
    const french = await read('/fr/');
    expect(french.body).toContain('Chaque matin, autrement');
    expect(french.body).toContain('href="https://podcasts.example.org/"');
    // English was cached before and nothing it shows changed: the very same page (same ETag).
    const englishAfter = await read('/en/');
    expect(englishAfter.headers.etag).toBe(english.headers.etag);
    expect(englishAfter.body).not.toContain('Nos podcasts');
  });

  it('refuses a javascript: menu link and a made-up time zone in the staff member’s language, storing nothing', async () => {
    const before = await settingsRow('navigation');
    const refused = await staff.form(owner, '/admin/settings/navigation', {
      'nav.fr.0.label': 'Piège',
      'nav.fr.0.url': 'javascript:alert(1)',
    });
    expect(refused.statusCode).toBe(400);
    // The owner's admin is in French; the message names the field and what to use.
    expect(refused.body).toContain(
      'Français, lien 1 : Adresse : ce n’est pas une adresse que les lecteurs peuvent suivre',
    );
    expect(await settingsRow('navigation')).toBe(before);
    expect((await read('/fr/')).body).not.toContain('javascript:');

    const zone = await staff.form(owner, '/admin/settings/timeZone', { zone: 'Mars/Olympus_Mons' });
    expect(zone.statusCode).toBe(400);
    expect(zone.body).toContain('ce n’est pas un fuseau horaire');
    expect(JSON.parse((await settingsRow('timeZone')) ?? '{}').zone).toBe('Europe/Paris');
  });

  it('writes a static page with its translation, linked from the footer and the publisher’s JSON-LD', async () => {
    const created = await staff.form(editor, '/admin/pages', {
      language: 'fr',
      title: 'Politique de correction',
      slug: 'corrections',
      description: 'Comment nous corrigeons nos erreurs.',
      bodyMarkdown: 'Nous corrigeons **vite**.\n\n<script>alert(1)</script>',
      translationOf: '',
    });
    expect(created.statusCode).toBe(303);
    const frenchId = String(created.headers.location).split('/')[3]?.split('?')[0] as string;
    const translated = await staff.form(editor, '/admin/pages', {
      language: 'en',
      title: 'Corrections policy',
      slug: 'corrections',
      description: 'How we correct our mistakes.',
      bodyMarkdown: 'We correct **fast**.',
      translationOf: frenchId,
    });
    expect(translated.statusCode).toBe(303);
    // The same address in the same language is refused, in the editor's language (French).
    const taken = await staff.form(editor, '/admin/pages', {
      language: 'fr',
      title: 'Autre',
      slug: 'corrections',
      bodyMarkdown: 'x',
      translationOf: '',
    });
    expect(taken.statusCode).toBe(409);
    expect(taken.body).toContain('Une autre page de cette langue utilise déjà cette adresse');

    const page = await read('/fr/page/corrections');
    expect(page.status).toBe(200);
    expect(page.body).toContain('<strong>vite</strong>');
    expect(page.body).not.toContain('<script>alert');
    expect(page.body).toContain('hreflang="en" href="http://127.0.0.1:3000/en/page/corrections"');

    const group = (
      await site.app.database.db
        .selectFrom('static_pages')
        .select('page_group')
        .where('id', '=', frenchId)
        .executeTakeFirstOrThrow()
    ).page_group;
    const policies = await staff.form(owner, '/admin/settings/policies', {
      corrections: group,
      ethics: '',
      ownership: '',
      masthead: '',
    });
    expect(policies.statusCode).toBe(303);
    const home = await read('/fr/');
    expect(home.body).toContain('<a href="/fr/page/corrections">Politique de correction</a>');
    const english = await read('/en/');
    expect(english.body).toContain('<a href="/en/page/corrections">Corrections policy</a>');
    const jsonLd = JSON.parse(/<script type="application\/ld\+json">(.*?)<\/script>/s.exec(home.body)?.[1] ?? '{}');
    expect(jsonLd.publisher['@type']).toBe('NewsMediaOrganization');
    expect(jsonLd.publisher.correctionsPolicy).toBe('http://127.0.0.1:3000/fr/page/corrections');

    // The sitemap names both versions with their alternates, and the subscribe page.
    const sitemap = await read('/sitemaps/fr-pages.xml');
    expect(sitemap.body).toContain('<loc>http://127.0.0.1:3000/fr/page/corrections</loc>');
    expect(sitemap.body).toContain('<loc>http://127.0.0.1:3000/fr/subscribe</loc>');
    expect(sitemap.body).toContain('hreflang="en" href="http://127.0.0.1:3000/en/page/corrections"');

    // Ghost's Content API lists it as a page.
    const key = (await site.app.integrations.add({ name: 'Reader app', createdBy: null })).contentKey;
    const api = await read(`/ghost/api/content/pages/?key=${key}`);
    const titles = (JSON.parse(api.body).pages as { title: string; page: boolean }[]).map((p) => p.title).sort();
    expect(titles).toEqual(['Corrections policy', 'Politique de correction']);
  });

  it('shows prices from the settings on the subscribe page, and dates in the chosen time zone', async () => {
    const paywall = await staff.form(owner, '/admin/settings/paywall', {
      monthly: '9,50',
      yearly: '95',
      freeStoriesMembers: '3',
      freeStoriesAnonymous: '1',
    });
    expect(paywall.statusCode).toBe(303);
    expect((await read('/fr/subscribe')).body).toContain('9,50');
    const before = (await read('/en/night-trains-return-to-europe')).body;
    const zone = await staff.form(owner, '/admin/settings/timeZone', { zone: 'Pacific/Kiritimati' });
    expect(zone.statusCode).toBe(303);
    const after = (await read('/en/night-trains-return-to-europe')).body;
    // Kiritimati is 13 hours from Paris: the shown time of publication changed.
    const shown = (html: string) => /<time[^>]*>([^<]*)<\/time>/.exec(html)?.[1];
    expect(shown(after)).not.toBe(shown(before));
  });
});

describeEachDatabase(
  'a settings change on one instance seen on another on $kind',
  { skip: { sqlite: 'one process per SQLite file: nothing to broadcast' } },
  ({ kind }) => {
    let a: TestSite;
    let b: TestSite;
    beforeAll(async () => {
      a = await startTestSite(kind, {});
      b = await startTestSite(kind, { instanceOf: a });
    });
    afterAll(async () => {
      await b?.close();
      await a?.close();
    });

    it('drops the French pages of the other instance and shows the new tagline there, English kept', async () => {
      const owner = await setupOwner(a);
      const readB = (url: string) => b.app.server.inject({ method: 'GET', url });
      const englishBefore = await readB('/en/');
      expect((await readB('/fr/')).body).not.toContain('Le monde, en français');
      const heard = new Promise<void>((resolve) => {
        const stop = b.app.events.subscribe((event) => {
          if (event.type !== 'settings.changed') return;
          stop();
          resolve();
        });
      });
      const saved = await staffClient(a).form(owner, '/admin/settings/identity', {
        'name.fr': 'Kiosque',
        'name.en': 'Kiosque',
        'tagline.fr': 'Le monde, en français',
      });
      expect(saved.statusCode).toBe(303);
      await heard;
      expect((await readB('/fr/')).body).toContain('Le monde, en français');
      expect((await readB('/en/')).headers.etag).toBe(englishBefore.headers.etag);
    });
  },
);
