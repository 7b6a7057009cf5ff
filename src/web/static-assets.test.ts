import { describe, expect, it } from 'vitest';
import { etagMatches, pickEncoding } from './static-assets.js';

describe('If-None-Match as RFC 9110 reads it (issue 11)', () => {
  const hash = 'k3Jd9_aZ';
  it('matches `*`, lists, weak forms and any encoding of the same content', () => {
    for (const header of [
      '*',
      ' * ',
      `"${hash}"`,
      `"${hash}-gz"`,
      `W/"${hash}-br"`,
      `"other", "${hash}"`,
      `"other",W/"${hash}"`,
      `"a,b", "${hash}-gz"`,
    ]) {
      expect(etagMatches(header, hash), header).toBe(true);
    }
  });

  it('does not match other tags, unquoted text or a tag that merely contains ours', () => {
    for (const header of [undefined, '', hash, `"x${hash}"`, `"${hash}x"`, `"${hash}-zz"`, '"other", W/"again"']) {
      expect(etagMatches(header, hash), String(header)).toBe(false);
    }
  });
});

describe('Accept-Encoding', () => {
  it('prefers Brotli, falls back to gzip, and honours q=0 refusals', () => {
    expect(pickEncoding(undefined)).toBe('identity');
    expect(pickEncoding('gzip, deflate, br')).toBe('br');
    expect(pickEncoding('gzip')).toBe('gzip');
    expect(pickEncoding('br;q=0, gzip')).toBe('gzip');
    expect(pickEncoding('gzip;q=0')).toBe('identity');
    expect(pickEncoding('br;q=0.2, gzip;q=0.8')).toBe('gzip');
    expect(pickEncoding('*')).toBe('br');
    expect(pickEncoding('*;q=0, identity')).toBe('identity');
    expect(pickEncoding('identity')).toBe('identity');
  });
});
