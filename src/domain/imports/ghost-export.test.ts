import { describe, expect, it } from 'vitest';
import { parseGhostExport } from './ghost-export.js';

const bytes = (value: unknown) => new TextEncoder().encode(typeof value === 'string' ? value : JSON.stringify(value));

describe('parseGhostExport', () => {
  const minimal = { posts: [{ id: 'p1', title: 'T', slug: 't', status: 'published', page: true }] };

  it('reads the 1.x+ db wrapper and the older bare export, with the site locale', () => {
    const wrapped = parseGhostExport(
      bytes({
        db: [{ meta: { version: '5.80.0' }, data: { ...minimal, settings: [{ key: 'locale', value: 'fr' }] } }],
      }),
    );
    expect(wrapped).toMatchObject({ version: '5.80.0', locale: 'fr' });
    const bare = parseGhostExport(bytes({ meta: { version: '0.11.14', exported_on: 1400000000000 }, data: minimal }));
    expect(bare.exportedOn?.toISOString()).toBe('2014-05-13T16:53:20.000Z');
    expect(bare.data.posts[0]?.page).toBe(true);
    expect(bare.data.tags).toEqual([]);
  });

  it('refuses a file that is not an export, naming where it is wrong', () => {
    expect(() => parseGhostExport(bytes({ db: [{ data: { posts: [{ id: 'p1' }] } }] }))).toThrow(
      expect.objectContaining({ code: 'GHOST_IMPORT_INVALID' }),
    );
    expect(() => parseGhostExport(bytes('{'))).toThrow(expect.objectContaining({ code: 'GHOST_IMPORT_INVALID' }));
    expect(() =>
      parseGhostExport(bytes({ db: [{ data: { posts: [{ ...minimal.posts[0], published_at: 'soon' }] } }] })),
    ).toThrow(expect.objectContaining({ code: 'GHOST_IMPORT_INVALID' }));
  });

  it('refuses a file over the size limit before reading it', () => {
    const huge = { byteLength: 101 * 1024 * 1024 } as Uint8Array;
    expect(() => parseGhostExport(huge)).toThrow(expect.objectContaining({ code: 'GHOST_IMPORT_TOO_LARGE' }));
  });
});
