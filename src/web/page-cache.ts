import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzipSync } from 'node:zlib';

const brotli = promisify(brotliCompress);

/**
 * zlib hands back its output as a view into a 16 KB chunk: a 6 KB gzip body kept in the cache
 * would hold the whole chunk (at 100,000 articles, ~35 MB more than the cache counted). The
 * cache keeps a copy of exactly the compressed bytes instead.
 */
function exactly(buffer: Buffer): Buffer {
  if (buffer.byteLength === buffer.buffer.byteLength) return buffer;
  // Not Buffer.from: a small copy would land in Node's shared 8 KB pool, the same waste again.
  const copy = Buffer.allocUnsafeSlow(buffer.byteLength);
  buffer.copy(copy);
  return copy;
}

/** A page as rendered once, with what it shows, so a change can drop exactly the pages it touches. */
export interface RenderedPage {
  contentType: string;
  body: string;
  /** Keys of what the page shows: `article:<id>`, `list:<lang>`, `tag:<id>`, `menu:<lang>`… */
  dependencies: Iterable<string>;
  /**
   * When the page stops being true on its own (a breaking-news banner's expiry, decision 0060), in
   * milliseconds since the epoch: the cache never serves it from then on, with no event needed.
   */
  expiresAt?: number;
}

export interface CachedPage {
  contentType: string;
  /** Strong validator of the identity body; encodings get a suffix (`-gz`, `-br`). */
  hash: string;
  identity: Buffer;
  gzip: Buffer;
  /**
   * Made in the background once the page is read a second time (a page read once, as by a
   * crawler walking the archive, never pays for it); gzip serves until then.
   */
  brotli: Buffer | null;
  dependencies: string[];
  bytes: number;
  /** See `RenderedPage.expiresAt`; undefined: until a change drops it. */
  expiresAt?: number;
}

export interface PageCacheStats {
  entries: number;
  bytes: number;
  hits: number;
  misses: number;
  renders: number;
  invalidated: number;
  /** True while the cache keeps nothing (it cannot hear other instances' changes). */
  suspended: boolean;
}

/**
 * An in-memory cache of anonymous pages, bounded in bytes with least-recently-used eviction.
 * Concurrent misses for one key share a single render (no thundering herd), and `invalidate`
 * drops exactly the pages that declared a dependency on what changed.
 */
export function createPageCache(options: {
  maxBytes: number;
  /** The clock pages expire by (the site's injected clock, so tests move it). */
  now?: () => number;
}) {
  const now = options.now ?? Date.now;
  const entries = new Map<string, CachedPage>();
  const byDependency = new Map<string, Set<string>>();
  const rendering = new Map<string, Promise<CachedPage>>();
  // A render that started before an invalidation must not store what it rendered from old data.
  let generation = 0;
  // While suspended every request renders and nothing is kept: changes could go unheard.
  let suspended = false;
  const stats = { hits: 0, misses: 0, renders: 0, invalidated: 0 };
  let bytes = 0;

  function remove(key: string): void {
    const entry = entries.get(key);
    if (!entry) return;
    entries.delete(key);
    bytes -= entry.bytes;
    for (const dependency of entry.dependencies) {
      const keys = byDependency.get(dependency);
      keys?.delete(key);
      if (keys && keys.size === 0) byDependency.delete(dependency);
    }
  }

  function store(key: string, page: CachedPage): void {
    remove(key);
    entries.set(key, page);
    bytes += page.bytes;
    for (const dependency of page.dependencies) {
      let keys = byDependency.get(dependency);
      if (!keys) {
        keys = new Set();
        byDependency.set(dependency, keys);
      }
      keys.add(key);
    }
    // Map iteration order is insertion order: the first keys are the least recently used.
    for (const oldest of entries.keys()) {
      if (bytes <= options.maxBytes || entries.size <= 1) break;
      remove(oldest);
    }
  }

  function prepare(page: RenderedPage): CachedPage {
    const identity = Buffer.from(page.body);
    const gzip = exactly(gzipSync(identity, { level: 6 }));
    return {
      contentType: page.contentType,
      hash: createHash('sha1').update(identity).digest('base64url').slice(0, 22),
      identity,
      gzip,
      brotli: null,
      dependencies: [...new Set(page.dependencies)],
      bytes: identity.length + gzip.length,
      ...(page.expiresAt !== undefined ? { expiresAt: page.expiresAt } : {}),
    };
  }

  const compressing = new WeakSet<CachedPage>();

  function compressInBackground(key: string, page: CachedPage): void {
    if (page.brotli || compressing.has(page)) return;
    compressing.add(page);
    // Quality 5, not 11: on a 30 KB article page 11 takes ~60 ms of CPU per render for 8 % fewer bytes
    // than 5 (~3 ms); during a burst of cache misses those 60 ms per page starved the renders themselves.
    brotli(page.identity, { params: { [constants.BROTLI_PARAM_QUALITY]: 5 } })
      .then((compressed) => {
        if (entries.get(key) !== page) return;
        page.brotli = exactly(compressed);
        page.bytes += compressed.length;
        bytes += compressed.length;
      })
      .catch(() => {
        // gzip keeps serving; nothing is lost.
      });
  }

  return {
    /** The cached page, marked as recently used; undefined on a miss. */
    get(key: string): CachedPage | undefined {
      let entry = entries.get(key);
      if (entry?.expiresAt !== undefined && entry.expiresAt <= now()) {
        remove(key);
        entry = undefined;
      }
      if (entry) {
        entries.delete(key);
        entries.set(key, entry);
        stats.hits++;
        compressInBackground(key, entry);
      }
      return entry;
    },

    /** Returns the cached page or renders it once, however many requests wait for it. */
    async getOrRender(key: string, render: () => Promise<RenderedPage>): Promise<CachedPage> {
      const cached = this.get(key);
      if (cached) return cached;
      stats.misses++;
      const pending = rendering.get(key);
      if (pending) return pending;
      const startedAt = generation;
      const promise = (async () => {
        stats.renders++;
        const page = prepare(await render());
        const expired = page.expiresAt !== undefined && page.expiresAt <= now();
        if (startedAt === generation && !suspended && options.maxBytes > 0 && !expired) {
          store(key, page);
        }
        return page;
      })().finally(() => rendering.delete(key));
      rendering.set(key, promise);
      return promise;
    },

    /** Drops every page that depends on one of `dependencies`; returns how many were dropped. */
    invalidate(dependencies: Iterable<string>): number {
      generation++;
      let dropped = 0;
      for (const dependency of dependencies) {
        const keys = byDependency.get(dependency);
        if (!keys) continue;
        for (const key of [...keys]) {
          remove(key);
          dropped++;
        }
      }
      stats.invalidated += dropped;
      return dropped;
    },

    clear(): void {
      generation++;
      for (const key of [...entries.keys()]) remove(key);
    },

    /**
     * Drops every page and keeps none until `resume()`: for when changes made elsewhere can no
     * longer be heard (another instance's events on a lost connection), so none is served stale.
     */
    suspend(): void {
      suspended = true;
      this.clear();
    },

    /** Keeps pages again, starting empty: whatever changed while suspended is in no kept page. */
    resume(): void {
      suspended = false;
      this.clear();
    },

    has(key: string): boolean {
      return entries.has(key);
    },

    stats(): PageCacheStats {
      return { entries: entries.size, bytes, ...stats, suspended };
    },
  };
}

export type PageCache = ReturnType<typeof createPageCache>;
