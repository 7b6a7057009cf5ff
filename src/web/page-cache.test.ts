import { describe, expect, it } from 'vitest';
import { createPageCache } from './page-cache.js';

const page = (body: string, dependencies: string[] = []) => ({ contentType: 'text/html', body, dependencies });

describe('page cache', () => {
  it('renders a page once and serves it from memory afterwards', async () => {
    const cache = createPageCache({ maxBytes: 1_000_000 });
    let renders = 0;
    const render = async () => {
      renders++;
      return page('<p>bonjour</p>');
    };
    const first = await cache.getOrRender('/fr/', render);
    const second = await cache.getOrRender('/fr/', render);
    expect(renders).toBe(1);
    expect(second).toBe(first);
    expect(first.identity.toString()).toBe('<p>bonjour</p>');
  });

  it('stops serving a page at its expiry, with no event, by the clock it was given (decision 0060)', async () => {
    let now = 1_000;
    const cache = createPageCache({ maxBytes: 1_000_000, now: () => now });
    let renders = 0;
    const render = async () => ({
      contentType: 'text/html',
      body: `page ${++renders}`,
      dependencies: [],
      expiresAt: 2_000,
    });
    await cache.getOrRender('/fr/', render);
    await cache.getOrRender('/fr/', render);
    expect(renders).toBe(1);
    now = 2_000;
    expect(cache.get('/fr/')).toBeUndefined();
    // Rendered again after its expiry with the same stale expiry: served, never kept.
    await cache.getOrRender('/fr/', render);
    expect(renders).toBe(2);
    expect(cache.has('/fr/')).toBe(false);
  });

  it('renders once for a burst of concurrent misses', async () => {
    const cache = createPageCache({ maxBytes: 1_000_000 });
    let renders = 0;
    const render = async () => {
      renders++;
      await new Promise((resolve) => setTimeout(resolve, 20));
      return page('x');
    };
    await Promise.all(Array.from({ length: 50 }, () => cache.getOrRender('/fr/a', render)));
    expect(renders).toBe(1);
  });

  it('drops exactly the pages that depend on what changed', async () => {
    const cache = createPageCache({ maxBytes: 1_000_000 });
    await cache.getOrRender('/fr/a', async () => page('a', ['article:a', 'latest:fr']));
    await cache.getOrRender('/fr/b', async () => page('b', ['article:b', 'latest:fr']));
    await cache.getOrRender('/en/c', async () => page('c', ['article:c', 'latest:en']));
    expect(cache.invalidate(['article:a'])).toBe(1);
    expect([cache.has('/fr/a'), cache.has('/fr/b'), cache.has('/en/c')]).toEqual([false, true, true]);
    expect(cache.invalidate(['latest:fr'])).toBe(1);
    expect(cache.has('/en/c')).toBe(true);
  });

  it('does not store a page whose render began before an invalidation', async () => {
    const cache = createPageCache({ maxBytes: 1_000_000 });
    let release: () => void = () => {};
    const pending = cache.getOrRender(
      '/fr/a',
      () => new Promise((resolve) => (release = () => resolve(page('old', ['article:a'])))),
    );
    cache.invalidate(['article:a']);
    release();
    expect((await pending).identity.toString()).toBe('old');
    expect(cache.has('/fr/a')).toBe(false);
  });

  it('keeps nothing while suspended, and starts empty when resumed', async () => {
    const cache = createPageCache({ maxBytes: 1_000_000 });
    let version = 'old';
    let renders = 0;
    const render = async () => {
      renders++;
      return page(version, ['article:a']);
    };
    await cache.getOrRender('/fr/a', render);
    let release: () => void = () => {};
    const inFlight = cache.getOrRender('/fr/b', () => new Promise((resolve) => (release = () => resolve(page('b')))));
    cache.suspend();
    expect(cache.has('/fr/a')).toBe(false);
    version = 'new';
    expect((await cache.getOrRender('/fr/a', render)).identity.toString()).toBe('new');
    expect((await cache.getOrRender('/fr/a', render)).identity.toString()).toBe('new');
    expect(renders).toBe(3);
    expect(cache.stats()).toMatchObject({ entries: 0, suspended: true });
    release();
    await inFlight;
    expect(cache.has('/fr/b')).toBe(false);
    cache.resume();
    await cache.getOrRender('/fr/a', render);
    await cache.getOrRender('/fr/a', render);
    expect(renders).toBe(4);
    expect(cache.stats()).toMatchObject({ entries: 1, suspended: false });
  });

  it('stays within its byte budget by evicting the least recently used pages', async () => {
    const body = 'x'.repeat(10_000);
    const cache = createPageCache({ maxBytes: 25_000 });
    await cache.getOrRender('/1', async () => page(body));
    await cache.getOrRender('/2', async () => page(body));
    cache.get('/1');
    await cache.getOrRender('/3', async () => page(body));
    expect(cache.stats().bytes).toBeLessThanOrEqual(25_000);
    expect([cache.has('/1'), cache.has('/2'), cache.has('/3')]).toEqual([true, false, true]);
  });

  it('keeps a gzip body, and adds Brotli in the background once the page is read again', async () => {
    const cache = createPageCache({ maxBytes: 1_000_000 });
    const render = async () => page('<p>é</p>'.repeat(200));
    const cached = await cache.getOrRender('/fr/', render);
    expect(cached.gzip.length).toBeLessThan(cached.identity.length);
    const once = await cache.getOrRender('/en/', render);
    await new Promise((resolve) => setTimeout(resolve, 200));
    // A page read once (a crawler's) costs no Brotli.
    expect([cached.brotli, once.brotli]).toEqual([null, null]);
    const bytes = cache.stats().bytes;
    expect(await cache.getOrRender('/fr/', render)).toBe(cached);
    for (let tries = 0; cached.brotli === null && tries < 100; tries++)
      await new Promise((resolve) => setTimeout(resolve, 50));
    expect(cached.brotli?.length).toBeGreaterThan(0);
    expect(cache.stats().bytes).toBe(bytes + (cached.brotli?.length ?? 0));
    expect(once.brotli).toBeNull();
  });

  it('holds no more memory than the bytes it counts', async () => {
    const cache = createPageCache({ maxBytes: 1_000_000 });
    const cached = await cache.getOrRender('/fr/', async () => page('<p>bonjour</p>'.repeat(500)));
    cache.get('/fr/');
    for (let tries = 0; cached.brotli === null && tries < 100; tries++)
      await new Promise((resolve) => setTimeout(resolve, 50));
    // zlib returns views into 16 KB chunks; a kept view would hold the whole chunk.
    for (const body of [cached.identity, cached.gzip, cached.brotli as Buffer])
      expect(body.buffer.byteLength).toBe(body.byteLength);
    expect(cache.stats().bytes).toBe(cached.identity.length + cached.gzip.length + (cached.brotli as Buffer).length);
  });
});
