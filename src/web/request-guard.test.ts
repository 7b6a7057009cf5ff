import { describe, expect, it } from 'vitest';
import { isReadableUrl, isReadableValue } from './request-guard.js';

describe('the request boundary (issue 11: no NUL or broken UTF-8 reaches a database)', () => {
  it('reads ordinary addresses, encoded accents and stray percent signs', () => {
    for (const url of [
      '/fr/',
      '/fr/r%C3%A9seau-%C3%A9tendu',
      '/ar/%D8%A7%D9%84%D8%B9%D8%B1%D8%A8%D9%8A%D8%A9',
      '/fr/search?q=100%',
      '/fr/search?q=caf%C3%A9+cr%C3%A8me&page=2',
      '/fr/search?q=%F0%9F%93%B0',
    ]) {
      expect(isReadableUrl(url), url).toBe(true);
    }
  });

  it('refuses NUL, invalid UTF-8 and encoded surrogates in the path or the query', () => {
    for (const url of [
      '/en/a%00',
      '/en/a\u0000',
      '/en/search?q=%00',
      '/en/search?q%00=1',
      '/en/%C3%28',
      '/en/search?q=%FF',
      '/en/search?q=%ED%A0%80',
      '/en/search?q=%C0%AF',
    ]) {
      expect(isReadableUrl(url), url).toBe(false);
    }
  });

  it('walks parsed bodies for NUL and lone surrogates, keys included', () => {
    expect(isReadableValue({ email: 'a@example.org', tags: ['x', 'y'], n: 3 })).toBe(true);
    expect(isReadableValue({ headline: 'Le réseau 📰' })).toBe(true);
    expect(isReadableValue({ email: 'a\u0000@example.org' })).toBe(false);
    expect(isReadableValue({ tags: ['ok', 'bad\ud800'] })).toBe(false);
    expect(isReadableValue({ 'bad\u0000key': 'x' })).toBe(false);
    expect(isReadableValue(Buffer.from([0, 0xff]))).toBe(true);
    let deep: unknown = 'x';
    for (let i = 0; i < 50; i++) deep = [deep];
    expect(isReadableValue(deep)).toBe(false);
  });
});
