import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { imageBudget } from '../../src/domain/media/image-budget.js';
import { createDiskMediaStore } from '../../src/media/media-store.js';
import { createImageRepository } from '../../src/storage/image-repository.js';
import { describeEachDatabase } from '../support/databases.js';
import { multipart, uploadAs } from '../support/media.js';
import { addMember, type StaffAgent } from '../support/staff.js';
import { startTestSite, type TestSite } from '../support/test-app.js';

// Issue 11: a 450-byte 2000×2 PNG took the server from 388 MB to over 1 GB for 27 s (crops blew it
// up 337 times to cover 1200×675), and a 60000×2 PNG made its crop URLs answer 500 to anyone.
// Memory is not measured here (it would be a timing-like flaky assertion): what is asserted is the
// number of pixels each made file has, which is what a resize holds in memory, and that nothing
// made is larger than its original.

const strip = (width: number, height: number) =>
  sharp({ create: { width, height, channels: 3, background: { r: 200, g: 30, b: 30 } } })
    .png({ compressionLevel: 9 })
    .toBuffer();

const widths = [320, 640, 960, 1280, 1600];
const crops = ['16x9', '4x3', '1x1'] as const;

describeEachDatabase('hostile images on $kind', ({ kind }) => {
  let site: TestSite;
  let editor: StaffAgent;
  const store = () => createDiskMediaStore(path.join(site.config.dataDir, 'media'));
  const imageCount = async () =>
    Number(
      (
        await site.app.database.db
          .selectFrom('images')
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  beforeAll(async () => {
    site = await startTestSite(kind, { demo: false });
    editor = await addMember(site, 'editor', 'editor@example.org');
  });
  afterAll(async () => {
    await site?.close();
  });

  /** An image stored the way one uploaded before the budget was: straight into storage. */
  async function storeStraight(id: string, bytes: Buffer, recorded: { width: number; height: number }) {
    await store().put(`originals/${id}.png`, bytes);
    await createImageRepository(site.app.database.db).insert({
      id,
      originalKey: `originals/${id}.png`,
      mime: 'image/png',
      ...recorded,
      bytes: bytes.length,
      alt: 'Bande',
      caption: '',
      credit: '',
      createdAt: new Date(),
    });
  }

  it('refuses a 2000×2 PNG at upload, in the staff member’s language, storing nothing', async () => {
    const bytes = await strip(2000, 2);
    expect(bytes.length).toBeLessThan(1000);
    const before = await imageCount();
    const api = await uploadAs(site, editor, { name: 'strip.png', type: 'image/png', bytes });
    expect(api.statusCode).toBe(422);
    expect(api.json().code).toBe('MEDIA_SHAPE_UNSUPPORTED');
    // The page's plain form answers in French, the editor's language, with the limit named.
    const body = await multipart({}, { name: 'strip.png', type: 'image/png', bytes });
    const page = await site.app.server.inject({
      method: 'POST',
      url: '/admin/media',
      headers: {
        'content-type': body.contentType,
        cookie: editor.cookie,
        'x-csrf-token': editor.csrf,
        origin: site.config.publicUrl,
      },
      payload: body.payload,
    });
    expect(page.statusCode).toBe(422);
    expect(page.body).toContain(`plus de ${imageBudget.maxAspectRatio} fois plus longue que large`);
    expect(await imageCount()).toBe(before);
  });

  it('answers 404, never 500, for every variant of extreme strips stored before the rule', async () => {
    await storeStraight('img_strip_2000', await strip(2000, 2), { width: 2000, height: 2 });
    await storeStraight('img_strip_60000', await strip(60_000, 2), { width: 60_000, height: 2 });
    // A row that lies about its file: the file's own header decides.
    await storeStraight('img_strip_liar', await strip(20_000, 2), { width: 1600, height: 1200 });
    for (const id of ['img_strip_2000', 'img_strip_60000', 'img_strip_liar']) {
      for (const file of [...crops.map((ratio) => `${ratio}-1200.jpg`), ...widths.map((w) => `${w}.webp`), '320.jpg']) {
        const response = await site.app.server.inject(`/media/${id}/${file}`);
        expect(response.statusCode, `${id}/${file}`).toBe(404);
      }
      // Nothing was made and kept for them.
      for (const ratio of crops) expect(await store().get(`variants/${id}/${ratio}-1200.jpg`)).toBeNull();
    }
  });

  it('answers a 4xx, never a 500, to hostile image ids on both databases', async () => {
    for (const id of ['img%00nul', `img_${'x'.repeat(5000)}`, 'img%C3%28', '..%2F..%2Fsecret']) {
      for (const file of ['320.webp', '16x9-1200.jpg']) {
        const response = await site.app.server.inject(`/media/${id}/${file}`);
        // Fastify answers a path parameter over 100 characters, the request guard a NUL byte or
        // bad UTF-8, the media route the rest (404): a client error each time, never a 500.
        const label = `${id.slice(0, 20)}/${file}`;
        expect(response.statusCode, label).toBeGreaterThanOrEqual(400);
        expect(response.statusCode, label).toBeLessThan(500);
        if (!id.includes('%') && id.length < 100) expect(response.statusCode, label).toBe(404);
      }
    }
  });

  it('crops the most elongated accepted image without enlarging it', async () => {
    const ratio = imageBudget.maxAspectRatio;
    const [width, height] = [100 * ratio, 100];
    const response = await uploadAs(site, editor, {
      name: 'pano.png',
      type: 'image/png',
      bytes: await strip(width, height),
    });
    expect(response.statusCode).toBe(201);
    const { image } = response.json() as { image: { id: string } };
    for (const crop of crops) {
      const made = await site.app.server.inject(`/media/${image.id}/${crop}-1200.jpg`);
      expect(made.statusCode, crop).toBe(200);
      const metadata = await sharp(made.rawPayload).metadata();
      const [across, down] = crop.split('x').map(Number) as [number, number];
      // The largest area of that shape the original holds: as high as the original, never higher.
      expect(metadata.height, crop).toBeLessThanOrEqual(height);
      expect(metadata.width, crop).toBe(Math.floor((height * across) / down));
      expect((metadata.width ?? 0) * (metadata.height ?? 0), crop).toBeLessThanOrEqual(width * height);
    }
    await site.app.mediaJobs.idle();
  });

  it('gives a small photo crops of its own size, not blown up to 1,200 pixels', async () => {
    const response = await uploadAs(site, editor, {
      name: 'small.png',
      type: 'image/png',
      bytes: await strip(300, 200),
    });
    const { image } = response.json() as { image: { id: string } };
    const sizes: Record<string, [number | undefined, number | undefined]> = {};
    for (const crop of crops) {
      const made = await site.app.server.inject(`/media/${image.id}/${crop}-1200.jpg`);
      expect(made.statusCode, crop).toBe(200);
      const metadata = await sharp(made.rawPayload).metadata();
      sizes[crop] = [metadata.width, metadata.height];
    }
    expect(sizes).toEqual({ '16x9': [300, 168], '4x3': [266, 199], '1x1': [200, 200] });
    // The smallest width is offered even for a narrower original, and is the original's width.
    const variant = await site.app.server.inject(`/media/${image.id}/320.webp`);
    expect(variant.statusCode).toBe(200);
    expect((await sharp(variant.rawPayload).metadata()).width).toBe(300);
    await site.app.mediaJobs.idle();
  });
});
