import { execFile, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type Role, roles } from '../../src/domain/staff/roles.js';
import { createDiskMediaStore } from '../../src/media/media-store.js';
import { createImageRepository } from '../../src/storage/image-repository.js';
import { testByline } from '../support/articles.js';
import { describeEachDatabase } from '../support/databases.js';
import { hasGpsPointer, multipart, phoneJpeg, plainImage, pngClaiming, uploadAs } from '../support/media.js';
import { addMember, formHeaders, type StaffAgent, setupOwner } from '../support/staff.js';
import { startTestSite, type TestSite } from '../support/test-app.js';

const validator = fileURLToPath(new URL('../../node_modules/vnu-jar/build/dist/vnu.jar', import.meta.url));
const javaMissing =
  spawnSync('java', ['-version']).status === 0 ? null : 'Java is not installed (the Nu validator needs it).';

/** The W3C Nu validator's errors for these files, one line each. */
function htmlErrors(files: string[]): Promise<string[]> {
  return new Promise((resolve, reject) => {
    execFile('java', ['-jar', validator, '--errors-only', '--format', 'json', ...files], (error, _out, stderr) => {
      try {
        const { messages } = JSON.parse(stderr) as { messages: { type: string; url?: string; message: string }[] };
        resolve(messages.filter((m) => m.type !== 'info').map((m) => `${path.basename(m.url ?? '')}: ${m.message}`));
      } catch {
        reject(error ?? new Error(stderr));
      }
    });
  });
}

interface UploadedItem {
  id: string;
  width: number;
  height: number;
  alt: string;
  caption: string;
  credit: string;
  fileName: string;
  mime: string;
  bytes: number;
  thumbUrl: string;
}

describeEachDatabase('media library on $kind', ({ kind }) => {
  let site: TestSite;
  const members = {} as Record<Role, StaffAgent>;
  const originalsFolder = () => path.join(site.config.dataDir, 'media', 'originals');
  const storedOriginals = () => {
    try {
      return readdirSync(originalsFolder()).sort();
    } catch {
      return [];
    }
  };
  const imageCount = async () => {
    const row = await site.app.database.db
      .selectFrom('images')
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirstOrThrow();
    return Number(row.n);
  };
  const store = () => createDiskMediaStore(path.join(site.config.dataDir, 'media'));

  beforeAll(async () => {
    // A 1 MB limit keeps the oversized upload small; no demo, so the library holds only these tests' images.
    site = await startTestSite(kind, { demo: false, env: { KIOSQUE_MAX_UPLOAD_MB: '1' } });
    members.owner = await setupOwner(site);
    for (const role of roles.filter((r) => r !== 'owner')) {
      members[role] = await addMember(site, role, `${role}@example.org`);
    }
  });
  afterAll(async () => {
    await site?.close();
  });

  async function expectNothingStored(action: () => Promise<unknown>) {
    const before = { files: storedOriginals(), rows: await imageCount() };
    await action();
    expect({ files: storedOriginals(), rows: await imageCount() }).toEqual(before);
  }

  it('strips EXIF and GPS from the stored original and stands it the right way up', async () => {
    const photo = await phoneJpeg(1200, 800);
    const sent = await sharp(photo).metadata();
    expect(hasGpsPointer(sent.exif), 'the test photo carries GPS data').toBe(true);
    expect(sent.orientation).toBe(6);

    const response = await uploadAs(site, members.contributor, { name: 'brest.jpg', type: 'image/jpeg', bytes: photo });
    expect(response.statusCode, response.body).toBe(201);
    const { image } = response.json() as { image: UploadedItem };
    // Orientation 6 is a quarter turn: the stored picture is portrait.
    expect(image).toMatchObject({ width: 800, height: 1200, mime: 'image/jpeg', fileName: 'brest.jpg' });

    const row = await site.app.database.db
      .selectFrom('images')
      .selectAll()
      .where('id', '=', image.id)
      .executeTakeFirstOrThrow();
    const stored = await store().get(row.original_key);
    expect(stored).not.toBeNull();
    const metadata = await sharp(stored!).metadata();
    expect(metadata.exif).toBeUndefined();
    expect(metadata.xmp).toBeUndefined();
    expect(metadata.orientation).toBeUndefined();
    expect(hasGpsPointer(stored!)).toBe(false);
    expect(stored!.includes(Buffer.from('Spycam'))).toBe(false);
    expect([metadata.width, metadata.height]).toEqual([800, 1200]);
    expect(Number(row.bytes)).toBe(stored!.length);
    expect(row.uploaded_by).toBe((await site.app.staff.list()).find((m) => m.role === 'contributor')!.id);
  });

  it('recognises a PNG named photo.jpg by its bytes', async () => {
    const png = await plainImage('png');
    const response = await uploadAs(site, members.author, { name: 'photo.jpg', type: 'image/jpeg', bytes: png });
    expect(response.statusCode, response.body).toBe(201);
    const { image } = response.json() as { image: UploadedItem };
    expect(image.mime).toBe('image/png');
    expect(storedOriginals()).toContain(`${image.id}.png`);
  });

  it('accepts WebP and GIF, and a raw body with the file name in a header', async () => {
    for (const format of ['webp', 'gif'] as const) {
      const response = await site.app.server.inject({
        method: 'POST',
        url: '/admin/api/media',
        headers: {
          cookie: members.editor.cookie,
          'x-csrf-token': members.editor.csrf,
          'content-type': 'application/octet-stream',
          'x-file-name': encodeURIComponent(`équipe.${format}`),
        },
        payload: await plainImage(format),
      });
      expect(response.statusCode, response.body).toBe(201);
      expect(response.json().image).toMatchObject({ mime: `image/${format}`, fileName: `équipe.${format}` });
    }
  });

  it('refuses a text file named photo.jpg with a message in the member’s language', async () => {
    await expectNothingStored(async () => {
      const response = await uploadAs(site, members.contributor, {
        name: 'photo.jpg',
        type: 'image/jpeg',
        bytes: Buffer.from('Ceci est une liste de courses, pas une photo.\n'.repeat(20)),
      });
      expect(response.statusCode).toBe(415);
      // Members are invited in French.
      expect(response.json()).toEqual({
        code: 'MEDIA_TYPE_UNSUPPORTED',
        message: expect.stringContaining('Ce fichier n’est pas une image JPEG, PNG, WebP, AVIF ou GIF'),
      });
    });
  });

  it('refuses an SVG carrying a script, whatever it is called or declared as', async () => {
    const svg = Buffer.from(
      '<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="100" height="100"><script>alert(document.cookie)</script><rect width="100" height="100"/></svg>',
    );
    await expectNothingStored(async () => {
      for (const file of [
        { name: 'logo.svg', type: 'image/svg+xml', bytes: svg },
        { name: 'logo.png', type: 'image/png', bytes: svg },
      ]) {
        const response = await uploadAs(site, members.owner, file);
        expect(response.statusCode).toBe(415);
        expect(response.json().code).toBe('MEDIA_TYPE_UNSUPPORTED');
      }
      const raw = await site.app.server.inject({
        method: 'POST',
        url: '/admin/api/media',
        headers: { cookie: members.owner.cookie, 'x-csrf-token': members.owner.csrf, 'content-type': 'image/svg+xml' },
        payload: svg,
      });
      expect(raw.statusCode).toBe(415);
    });
  });

  it('refuses a file over the configured size, with the limit in the message, storing nothing', async () => {
    // Valid JPEG bytes first: only the size is wrong.
    const jpeg = await plainImage('jpeg');
    const oversized = Buffer.concat([jpeg, Buffer.alloc(1024 * 1024 + 10, 7)]);
    await expectNothingStored(async () => {
      const announced = await uploadAs(site, members.editor, {
        name: 'huge.jpg',
        type: 'image/jpeg',
        bytes: oversized,
      });
      expect(announced.statusCode).toBe(413);
      expect(announced.json()).toEqual({
        code: 'MEDIA_TOO_LARGE',
        message:
          'Ce fichier dépasse la limite d’envoi de 1 Mo. Réduisez ou compressez l’image et envoyez-la de nouveau.',
      });

      // Streamed without a length: refused while reading, by the multipart limit.
      const body = await multipart({}, { name: 'huge.jpg', type: 'image/jpeg', bytes: oversized });
      const streamed = await site.app.server.inject({
        method: 'POST',
        url: '/admin/api/media',
        headers: {
          cookie: members.editor.cookie,
          'x-csrf-token': members.editor.csrf,
          'content-type': body.contentType,
        },
        payload: Readable.from([body.payload.subarray(0, 1000), body.payload.subarray(1000)]),
      });
      expect(streamed.statusCode).toBe(413);
      expect(streamed.json().code).toBe('MEDIA_TOO_LARGE');

      const raw = await site.app.server.inject({
        method: 'POST',
        url: '/admin/api/media',
        headers: { cookie: members.editor.cookie, 'x-csrf-token': members.editor.csrf, 'content-type': 'image/jpeg' },
        payload: oversized,
      });
      expect(raw.statusCode).toBe(413);
      expect(raw.json().code).toBe('MEDIA_TOO_LARGE');
    });
  });

  it('refuses a decompression bomb from its header, before decoding it', async () => {
    const bomb = pngClaiming(30_000, 30_000);
    expect(bomb.length).toBeLessThan(100_000);
    await expectNothingStored(async () => {
      const response = await uploadAs(site, members.editor, { name: 'bomb.png', type: 'image/png', bytes: bomb });
      expect(response.statusCode).toBe(422);
      expect(response.json().code).toBe('MEDIA_DIMENSIONS_TOO_LARGE');
    });
  });

  it('refuses an empty upload and a form without a file', async () => {
    await expectNothingStored(async () => {
      const empty = await uploadAs(site, members.editor, {
        name: 'empty.jpg',
        type: 'image/jpeg',
        bytes: Buffer.alloc(0),
      });
      expect(empty.statusCode).toBe(400);
      expect(empty.json().code).toBe('MEDIA_FILE_MISSING');
      const none = await multipart({ alt: 'nothing' });
      const response = await site.app.server.inject({
        method: 'POST',
        url: '/admin/api/media',
        headers: {
          cookie: members.editor.cookie,
          'x-csrf-token': members.editor.csrf,
          'content-type': none.contentType,
        },
        payload: none.payload,
      });
      expect(response.statusCode).toBe(400);
      expect(response.json().code).toBe('MEDIA_FILE_MISSING');
    });
  });

  it('makes WebP and JPEG at every offered width, then AVIF, and serves them with their types', async () => {
    const response = await uploadAs(site, members.author, {
      name: 'pont.jpg',
      type: 'image/jpeg',
      bytes: await plainImage('jpeg', 1000, 750),
    });
    const { image } = response.json() as { image: UploadedItem };
    await site.app.mediaJobs.idle();

    const row = await site.app.database.db
      .selectFrom('images')
      .select('variant_formats')
      .where('id', '=', image.id)
      .executeTakeFirstOrThrow();
    expect(row.variant_formats).toBe('avif,jpg,webp');
    const disk = store();
    for (const width of [320, 640, 960]) {
      for (const format of ['webp', 'jpg', 'avif']) {
        expect(await disk.get(`variants/${image.id}/${width}.${format}`), `${width}.${format}`).not.toBeNull();
      }
    }

    for (const [file, type, width] of [
      ['640.webp', 'image/webp', 640],
      ['960.jpg', 'image/jpeg', 960],
      ['320.avif', 'image/avif', 320],
    ] as const) {
      const variant = await site.app.server.inject(`/media/${image.id}/${file}`);
      expect(variant.statusCode, file).toBe(200);
      expect(variant.headers['content-type'], file).toBe(type);
      const metadata = await sharp(variant.rawPayload).metadata();
      expect(metadata.width, file).toBe(width);
      expect(metadata.height, file).toBe(Math.round((750 * width) / 1000));
    }
    // Wider than the original: never made, so the route cannot fill the disk.
    expect((await site.app.server.inject(`/media/${image.id}/1280.webp`)).statusCode).toBe(404);

    // The crops structured data names were made in the background too: up to 1,200 px wide, but
    // never larger than the 1000×750 original (issue 11: crops used to blow originals up).
    for (const [ratio, width, height] of [
      ['16x9', 1000, 562],
      ['4x3', 1000, 750],
      ['1x1', 750, 750],
    ] as const) {
      const stored = await disk.get(`variants/${image.id}/${ratio}-1200.jpg`);
      expect(stored, ratio).not.toBeNull();
      const metadata = await sharp(stored as Buffer).metadata();
      expect([metadata.format, metadata.width, metadata.height], ratio).toEqual(['jpeg', width, height]);
    }
    expect((await site.app.server.inject(`/media/${image.id}/16x9-1600.jpg`)).statusCode).toBe(404);
    expect((await site.app.server.inject(`/media/${image.id}/3x2-1200.jpg`)).statusCode).toBe(404);
  });

  it('keeps serving variants on demand before the background has made them', async () => {
    const response = await uploadAs(site, members.author, {
      name: 'quai.png',
      type: 'image/png',
      bytes: await plainImage('png', 700, 400),
    });
    const { image } = response.json() as { image: UploadedItem };
    // Asked for at once, possibly while the job makes it too: one resize, the right answer.
    const [first, second] = await Promise.all([
      site.app.server.inject(`/media/${image.id}/640.avif`),
      site.app.server.inject(`/media/${image.id}/640.avif`),
    ]);
    expect(first.statusCode).toBe(200);
    expect(first.headers['content-type']).toBe('image/avif');
    expect(second.rawPayload.equals(first.rawPayload)).toBe(true);
    await site.app.mediaJobs.idle();
  });

  it('offers an AVIF source on the public page only once the AVIF variants exist', async () => {
    const images = createImageRepository(site.app.database.db);
    const uploaded = (await uploadAs(site, members.editor, {
      name: 'gare.jpg',
      type: 'image/jpeg',
      bytes: await plainImage('jpeg', 900, 600),
    }).then((r) => r.json())) as { image: UploadedItem };
    await site.app.mediaJobs.idle();
    // An image stored the demo's way: no background variants, so no AVIF source yet.
    await images.insert({
      id: 'img_ondemand',
      originalKey: `originals/${uploaded.image.id}.jpg`,
      mime: 'image/jpeg',
      width: 900,
      height: 600,
      bytes: 1,
      alt: 'Quai',
      caption: '',
      credit: '',
      createdAt: new Date(),
    });
    const article = await site.app.articles.create({
      language: 'fr',
      slug: 'la-gare-rouvre',
      headline: 'La gare rouvre',
      bodyMarkdown: 'Les trains repartent.',
      authorIds: await testByline(site.app.database.db),
      status: 'published',
      publishedAt: new Date(Date.now() - 60_000),
      hero: { imageId: uploaded.image.id, alt: 'La gare', caption: '', credit: '' },
      gallery: [{ imageId: 'img_ondemand', alt: 'Le quai', caption: '', credit: '' }],
    });
    const page = await site.app.server.inject(`/fr/${article.slug}`);
    expect(page.statusCode).toBe(200);
    const pictures = [...page.body.matchAll(/<picture[^>]*>([\s\S]*?)<\/picture>/g)].map((m) => m[1]!);
    const hero = pictures.find((p) => p.includes(uploaded.image.id))!;
    const onDemand = pictures.find((p) => p.includes('img_ondemand'))!;
    expect(hero).toContain(
      `<source type="image/avif" srcset="/media/${uploaded.image.id}/320.avif 320w, /media/${uploaded.image.id}/640.avif 640w"`,
    );
    // AVIF first: browsers take the first source they support.
    expect(hero.indexOf('image/avif')).toBeLessThan(hero.indexOf('image/webp'));
    expect(onDemand).not.toContain('image/avif');
    expect(onDemand).toContain('image/webp');
  });

  it('finds images by caption, alt text, credit or file name, ignoring case and accents', async () => {
    const upload = await uploadAs(
      site,
      members.contributor,
      { name: 'IMG_2044.jpg', type: 'image/jpeg', bytes: await plainImage('jpeg') },
      {
        caption: 'Manifestation des marins-pêcheurs à Concarneau',
        alt: 'Des chalutiers à quai',
        credit: 'Jeanne Le Goff',
      },
    );
    const { image } = upload.json() as { image: UploadedItem };
    const search = async (q: string) => {
      const response = await site.app.server.inject({
        method: 'GET',
        url: `/admin/api/media?q=${encodeURIComponent(q)}`,
        headers: { cookie: members.contributor.cookie },
      });
      expect(response.statusCode).toBe(200);
      return (response.json() as { items: UploadedItem[] }).items.map((item) => item.id);
    };
    expect(await search('pecheurs concarneau')).toEqual([image.id]);
    expect(await search('MANIFESTATION')).toEqual([image.id]);
    expect(await search('chalutiers')).toEqual([image.id]);
    expect(await search('le goff')).toEqual([image.id]);
    expect(await search('img_2044')).toEqual([image.id]);
    expect(await search('Lorient')).toEqual([]);
    // LIKE's wildcards are searched as text, not as patterns.
    expect(await search('%')).toEqual([]);

    const picker = await site.app.server.inject({
      method: 'GET',
      url: '/admin/api/media?q=concarneau',
      headers: { cookie: members.contributor.cookie },
    });
    expect(picker.json().items[0]).toEqual({
      id: image.id,
      width: 400,
      height: 300,
      alt: 'Des chalutiers à quai',
      caption: 'Manifestation des marins-pêcheurs à Concarneau',
      credit: 'Jeanne Le Goff',
      fileName: 'IMG_2044.jpg',
      mime: 'image/jpeg',
      bytes: expect.any(Number),
      createdAt: expect.any(String),
      thumbUrl: `/media/${image.id}/320.webp`,
      previewUrl: `/media/${image.id}/320.jpg`,
    });

    // The library page shows it with its size, and its default words can be changed there.
    const page = await site.app.server.inject({
      method: 'GET',
      url: '/admin/media?q=concarneau',
      headers: { cookie: members.contributor.cookie },
    });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(`src="/media/${image.id}/320.webp"`);
    expect(page.body).toContain('400 × 300 px');
    expect(page.body).toContain('1 image');
    const saved = await site.app.server.inject({
      method: 'POST',
      url: `/admin/media/${image.id}`,
      headers: { ...formHeaders, cookie: members.contributor.cookie },
      payload: new URLSearchParams({
        _csrf: members.contributor.csrf,
        alt: 'Des chalutiers amarrés',
        caption: 'Retour au port de Douarnenez',
        credit: 'J. Le Goff',
        q: 'concarneau',
      }).toString(),
    });
    expect(saved.statusCode).toBe(303);
    expect(saved.headers.location).toBe(`/admin/media?q=concarneau&saved=${image.id}#image-${image.id}`);
    expect(await search('douarnenez')).toEqual([image.id]);
    expect(await search('concarneau')).toEqual([]);
  });

  it('lists newest first, a page at a time', async () => {
    const list = async (page: number) =>
      (
        await site.app.server.inject({
          method: 'GET',
          url: `/admin/api/media?limit=2&page=${page}`,
          headers: { cookie: members.owner.cookie },
        })
      ).json() as { items: UploadedItem[]; total: number; pageCount: number };
    const first = await list(1);
    const second = await list(2);
    expect(first.total).toBe(await imageCount());
    expect(first.pageCount).toBe(Math.ceil(first.total / 2));
    expect(first.items).toHaveLength(2);
    const rows = await site.app.database.db
      .selectFrom('images')
      .select('id')
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .limit(4)
      .execute();
    expect([...first.items, ...second.items].map((item) => item.id)).toEqual(rows.map((row) => row.id));
  });

  it('lets every role upload, a contributor included, and nobody else', async () => {
    for (const role of roles) {
      const response = await uploadAs(site, members[role], {
        name: `${role}.png`,
        type: 'image/png',
        bytes: await plainImage('png', 50, 50),
      });
      expect(response.statusCode, role).toBe(201);
    }
    await expectNothingStored(async () => {
      const file = { name: 'x.png', type: 'image/png', bytes: await plainImage('png', 50, 50) };
      const visitor = await uploadAs(site, null, file);
      expect(visitor.statusCode).toBe(401);
      expect(visitor.json().code).toBe('SIGNIN_REQUIRED');
      const noToken = await uploadAs(site, { cookie: members.author.cookie, csrf: '' }, file);
      expect(noToken.statusCode).toBe(403);
      expect(noToken.json().code).toBe('CSRF_INVALID');
      const crossSite = await uploadAs(site, members.author, file, {}, { origin: 'https://evil.example' });
      expect(crossSite.statusCode).toBe(403);
      const page = await site.app.server.inject('/admin/media');
      expect(page.statusCode).toBe(302);
    });
  });

  it('uploads from the plain form without the script, and explains a refusal on the page', async () => {
    const good = await multipart(
      { _csrf: members.author.csrf },
      { name: 'form.jpg', type: 'image/jpeg', bytes: await plainImage('jpeg') },
    );
    const response = await site.app.server.inject({
      method: 'POST',
      url: '/admin/media',
      headers: { cookie: members.author.cookie, 'content-type': good.contentType },
      payload: good.payload,
    });
    expect(response.statusCode, response.body.slice(0, 300)).toBe(303);
    expect(response.headers.location).toMatch(/^\/admin\/media\?uploaded=img_/);

    await expectNothingStored(async () => {
      const bad = await multipart(
        { _csrf: members.author.csrf },
        { name: 'notes.jpg', type: 'image/jpeg', bytes: Buffer.from('not an image at all, just words') },
      );
      const refused = await site.app.server.inject({
        method: 'POST',
        url: '/admin/media',
        headers: { cookie: members.author.cookie, 'content-type': bad.contentType },
        payload: bad.payload,
      });
      expect(refused.statusCode).toBe(415);
      expect(refused.headers['content-type']).toContain('text/html');
      expect(refused.body).toContain('Ce fichier n’est pas une image JPEG');
    });
  });

  // Markup does not depend on the database: checked once, on SQLite.
  it.skipIf(kind !== 'sqlite' || javaMissing)(
    'renders the library and a page with AVIF sources as valid HTML',
    async () => {
      const folder = mkdtempSync(path.join(tmpdir(), 'kiosque-media-html-'));
      try {
        const pages = {
          library: await site.app.server.inject({ url: '/admin/media', headers: { cookie: members.owner.cookie } }),
          refused: await site.app.server.inject({
            method: 'POST',
            url: '/admin/media',
            headers: { cookie: members.owner.cookie, ...formHeaders },
            payload: new URLSearchParams({ _csrf: members.owner.csrf }).toString(),
          }),
          article: await site.app.server.inject('/fr/la-gare-rouvre'),
        };
        expect(pages.library.statusCode).toBe(200);
        expect(pages.refused.statusCode).toBe(400);
        expect(pages.article.body).toContain('image/avif');
        const files = Object.entries(pages).map(([name, response]) => {
          const file = path.join(folder, `${name}.html`);
          writeFileSync(file, response.body);
          return file;
        });
        expect(await htmlErrors(files)).toEqual([]);
      } finally {
        rmSync(folder, { recursive: true, force: true });
      }
    },
    120_000,
  );
});
