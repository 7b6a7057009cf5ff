import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createNewsletterRepository } from '../../src/storage/newsletter-repository.js';
import { describeEachDatabase } from '../support/databases.js';
import { attributesOf, elements, textOf } from '../support/html.js';
import { startTestSite, type TestSite } from '../support/test-app.js';

const now = new Date('2026-03-10T12:00:00.123Z');
const clock = { now: () => now };
// The address the browser shows in its bar: a same-origin form post names it in Host and Origin.
const host = '127.0.0.1:3000';

const messages = {
  fr: {
    invalidEmail: 'Cette adresse e-mail n’est pas valide. Vérifiez-la et réessayez.',
    invalidForm: 'Le formulaire est incomplet ou mal formé. Remplissez-le de nouveau depuis la page.',
    tooLarge: 'Le formulaire contenait trop de données. Raccourcissez votre saisie et réessayez.',
    forbidden: 'Cette demande venait d’un autre site et a été refusée. Utilisez le formulaire de ce site.',
    thanks: 'Merci pour votre inscription',
  },
  en: {
    invalidEmail: 'This is not a valid email address. Check it and try again.',
    invalidForm: 'The form was malformed or incomplete. Fill it in again from the page.',
    tooLarge: 'The form sent too much data. Shorten what you entered and try again.',
    forbidden: 'This request came from another site and was refused. Use the form on this site.',
    thanks: 'Thank you for signing up',
  },
} as const;

describeEachDatabase('newsletter signup on $kind', ({ kind }) => {
  let site: TestSite;
  let signups: ReturnType<typeof createNewsletterRepository>;

  function post(
    language: string,
    payload: string,
    headers: Record<string, string> = {},
    extra: Partial<InjectOptions> = {},
  ) {
    const all: Record<string, string> = {
      host,
      origin: `http://${host}`,
      'sec-fetch-site': 'same-origin',
      'content-type': 'application/x-www-form-urlencoded',
      ...headers,
    };
    // An empty value means "this browser does not send that header".
    return site.app.server.inject({
      method: 'POST',
      url: `/${language}/newsletter`,
      headers: Object.fromEntries(Object.entries(all).filter(([, value]) => value !== '')),
      payload,
      ...extra,
    });
  }

  const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();

  function expectPage(body: string, language: 'fr' | 'en', message: string) {
    expect(attributesOf(elements(body, 'html')[0]!).lang).toBe(language);
    expect(textOf(body)).toContain(message);
    const other = messages[language === 'fr' ? 'en' : 'fr'];
    for (const text of Object.values(other)) expect(textOf(body)).not.toContain(text);
  }

  beforeAll(async () => {
    site = await startTestSite(kind, { demo: false, clock });
    signups = createNewsletterRepository(site.app.database.db);
  });
  afterAll(async () => {
    await site?.close();
  });

  it('stores a signup once, with its time and the language of the page', async () => {
    const before = await signups.count();
    const response = await post('fr', form({ email: 'Claire.Morel@Example.fr', source: '/fr/un-article' }));
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe('/fr/newsletter/thanks');
    expect(await signups.count()).toBe(before + 1);
    const stored = await signups.findByEmail('claire.morel@example.fr');
    expect(stored).toMatchObject({ email: 'claire.morel@example.fr', language: 'fr', sourcePath: '/fr/un-article' });
    expect(stored?.createdAt.getTime()).toBe(now.getTime());

    const thanks = await site.app.server.inject(response.headers.location as string);
    expect(thanks.statusCode).toBe(200);
    expectPage(thanks.body, 'fr', messages.fr.thanks);

    await post('en', form({ email: 'reader@example.org' }));
    expect(await signups.findByEmail('reader@example.org')).toMatchObject({
      language: 'en',
      sourcePath: '/en/newsletter',
    });
  });

  it('takes a second signup of a known address without an error, a duplicate or a tell', async () => {
    const fresh = await post('fr', form({ email: 'premiere@example.fr', source: '/fr/' }));
    const count = await signups.count();
    const again = await post('fr', form({ email: '  PREMIERE@Example.FR \t', source: '/fr/' }));
    const elsewhere = await post('en', form({ email: 'Premiere@example.fr' }));
    expect(await signups.count()).toBe(count);
    expect(await signups.findByEmail('premiere@example.fr')).toMatchObject({ language: 'fr' });

    // Someone probing the form learns nothing: a known address gets the very same answer.
    const other = await post('fr', form({ email: 'deuxieme@example.fr', source: '/fr/' }));
    const answer = (r: typeof fresh) => ({
      status: r.statusCode,
      location: r.headers.location,
      body: r.body,
      cookie: r.headers['set-cookie'],
      length: r.headers['content-length'],
    });
    expect(answer(again)).toEqual(answer(other));
    expect(answer(fresh)).toEqual(answer(other));
    expect(elsewhere.statusCode).toBe(303);
    expect(elsewhere.headers.location).toBe('/en/newsletter/thanks');
  });

  it('refuses an invalid address with a 400 page in the page’s language, storing nothing', async () => {
    const count = await signups.count();
    for (const email of [
      'pas-une-adresse',
      'claire@',
      'claire@example',
      'a b@example.fr',
      '<script>@example.fr',
      'claire\u0007@example.fr',
      '',
    ]) {
      for (const language of ['fr', 'en'] as const) {
        const response = await post(language, form({ email }));
        expect(response.statusCode, JSON.stringify(email)).toBe(400);
        expect(response.headers['content-type']).toMatch(/^text\/html/);
        expectPage(response.body, language, messages[language].invalidEmail);
        // The form is shown again so the reader can correct the address.
        expect(elements(response.body, 'input').some((input) => attributesOf(input).name === 'email')).toBe(true);
      }
    }
    expect(await signups.count()).toBe(count);
  });

  it('refuses a NUL character before it reaches the database, in the page’s language (issue 11)', async () => {
    const count = await signups.count();
    for (const language of ['fr', 'en'] as const) {
      const response = await post(language, form({ email: 'claire\u0000@example.fr' }));
      expect(response.statusCode).toBe(400);
      expect(response.headers['content-type']).toMatch(/^text\/html/);
      expect(response.body).toContain(`lang="${language}"`);
    }
    expect(await signups.count()).toBe(count);
  });

  it('refuses a malformed form with a 400 in the page’s language, storing nothing', async () => {
    const count = await signups.count();
    const malformed: [string, string, Record<string, string>][] = [
      ['missing email field', form({ source: '/fr/' }), {}],
      ['email given twice', 'email=a%40example.fr&email=b%40example.fr', {}],
      ['JSON body', JSON.stringify({ email: 'json@example.fr' }), { 'content-type': 'application/json' }],
      ['plain text', 'email=text@example.fr', { 'content-type': 'text/plain' }],
      [
        'multipart',
        '--x\r\nContent-Disposition: form-data; name="email"\r\n\r\nmulti@example.fr\r\n--x--\r\n',
        { 'content-type': 'multipart/form-data; boundary=x' },
      ],
      ['no content type', 'email=none%40example.fr', { 'content-type': '' }],
    ];
    for (const [label, payload, headers] of malformed) {
      for (const language of ['fr', 'en'] as const) {
        const response = await post(language, payload, headers);
        expect(response.statusCode, `${label} on /${language}`).toBe(400);
        expectPage(response.body, language, messages[language].invalidForm);
      }
    }
    expect(await signups.count()).toBe(count);
    for (const email of ['json@example.fr', 'text@example.fr', 'multi@example.fr', 'none@example.fr'])
      expect(await signups.findByEmail(email), email).toBeNull();
  });

  it('refuses a post over 8 KiB with the “too much data” message, storing nothing', async () => {
    const count = await signups.count();
    const payload = form({ email: 'gros@example.fr', source: `/fr/${'x'.repeat(8 * 1024)}` });
    for (const language of ['fr', 'en'] as const) {
      const response = await post(language, payload);
      expect(response.statusCode).toBe(400);
      expectPage(response.body, language, messages[language].tooLarge);
    }
    expect(await signups.count()).toBe(count);
    expect(await signups.findByEmail('gros@example.fr')).toBeNull();
  });

  it('refuses a post from another site with 403, storing nothing', async () => {
    const count = await signups.count();
    for (const [label, headers] of [
      ['Origin of another site', { origin: 'https://evil.example' }],
      ['Sec-Fetch-Site: cross-site', { 'sec-fetch-site': 'cross-site', origin: '' }],
      ['both', { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' }],
      ['same host, other scheme and port', { origin: 'http://127.0.0.1:4000' }],
      ['malformed Origin', { origin: 'not a url' }],
      // Issue 11: a sandboxed frame or a data: page of any site posts with `Origin: null`; only
      // Sec-Fetch-Site: same-origin (which no page can forge) vouches for one of our own pages.
      ['Origin: null', { origin: 'null', 'sec-fetch-site': '' }],
      ['Origin: null from another site', { origin: 'null', 'sec-fetch-site': 'cross-site' }],
      ['Referer of another site, no Origin', { origin: '', referer: 'https://evil.example/page' }],
    ] as const) {
      for (const language of ['fr', 'en'] as const) {
        const response = await post(language, form({ email: 'victime@example.fr' }), { ...headers });
        expect(response.statusCode, label).toBe(403);
        expectPage(response.body, language, messages[language].forbidden);
      }
    }
    expect(await signups.count()).toBe(count);
    expect(await signups.findByEmail('victime@example.fr')).toBeNull();
  });

  it('accepts a post from the site’s own pages, also behind a proxy that rewrites Host', async () => {
    const direct = await post('fr', form({ email: 'direct@example.fr' }));
    expect(direct.statusCode).toBe(303);
    // Browsers that send no Origin (older ones) or Sec-Fetch-Site: none (typed by hand) are not cross-site.
    const noOrigin = await post('fr', form({ email: 'sans-origine@example.fr' }), { origin: '', 'sec-fetch-site': '' });
    expect(noOrigin.statusCode).toBe(303);
    // A reverse proxy often forwards to 127.0.0.1:3000 under its own Host; the browser names the public address.
    const proxied = await post('fr', form({ email: 'proxy@example.fr' }), {
      host: 'internal:8080',
      origin: site.url,
    });
    expect(proxied.statusCode).toBe(303);
    for (const email of ['direct@example.fr', 'sans-origine@example.fr', 'proxy@example.fr'])
      expect(await signups.findByEmail(email), email).not.toBeNull();
  });
});
