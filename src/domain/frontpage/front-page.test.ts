import { describe, expect, it } from 'vitest';
import type { ArticleSummary } from '../articles/article.js';
import { isKiosqueError } from '../errors.js';
import { arrangeHome, bannerShown, checkBanner, moveTop, placeTop } from './front-page.js';

const story = (id: string) => ({ id, headline: id }) as unknown as ArticleSummary;
const now = new Date('2026-05-04T08:00:00Z');
const inAnHour = new Date('2026-05-04T09:00:00Z');

describe('the home page arrangement', () => {
  const newest = ['n1', 'n2', 'n3', 'n4'].map(story);

  it('leads with the newest story and pins nothing when staff pinned nothing', () => {
    const home = arrangeHome({ leadId: null, topIds: [] }, [], newest, 12);
    expect(home.lead?.id).toBe('n1');
    expect(home.top).toEqual([]);
    expect(home.latest.map((s) => s.id)).toEqual(['n2', 'n3', 'n4']);
  });

  it('keeps staff’s order, skips picks readers cannot see, and lets top stories stay in the latest list', () => {
    // `p2` is pinned but not public (absent from `pinned`): skipped, the others close up.
    const home = arrangeHome(
      { leadId: 'p1', topIds: ['n3', 'p2', 'n2'] },
      [story('n2'), story('n3'), story('p1')],
      newest,
      12,
    );
    expect(home.lead?.id).toBe('p1');
    expect(home.top.map((s) => s.id)).toEqual(['n3', 'n2']);
    expect(home.latest.map((s) => s.id)).toEqual(['n1', 'n2', 'n3', 'n4']);
  });

  it('falls back to the newest story when the pinned lead is not public, and never shows the lead twice', () => {
    const home = arrangeHome({ leadId: 'gone', topIds: ['n1', 'n2'] }, [story('n1'), story('n2')], newest, 12);
    expect(home.lead?.id).toBe('n1');
    expect(home.top.map((s) => s.id)).toEqual(['n2']);
    expect(home.latest.map((s) => s.id)).not.toContain('n1');
  });
});

describe('ordering top stories without a script', () => {
  it('moves one place up or down, and stays put at either end', () => {
    expect(moveTop(['a', 'b', 'c'], 'c', 'up')).toEqual(['a', 'c', 'b']);
    expect(moveTop(['a', 'b', 'c'], 'a', 'down')).toEqual(['b', 'a', 'c']);
    expect(moveTop(['a', 'b', 'c'], 'a', 'up')).toEqual(['a', 'b', 'c']);
    expect(moveTop(['a', 'b', 'c'], 'c', 'down')).toEqual(['a', 'b', 'c']);
  });

  it('places a story at a position number, clamped to the list', () => {
    expect(placeTop(['a', 'b', 'c'], 'c', 1)).toEqual(['c', 'a', 'b']);
    expect(placeTop(['a', 'b'], 'x', 99)).toEqual(['a', 'b', 'x']);
    expect(placeTop(['a', 'b'], 'x', 0)).toEqual(['x', 'a', 'b']);
  });
});

describe('the breaking-news banner', () => {
  const valid = { language: 'en', text: '  Polls   close early ', link: '', expiresAt: inAnHour };

  it('is shown until its expiry and never after', () => {
    const banner = checkBanner(valid, now);
    expect(banner.text).toBe('Polls close early');
    expect(bannerShown(banner, now)).toBe(true);
    expect(bannerShown(banner, new Date(inAnHour.getTime() - 1))).toBe(true);
    expect(bannerShown(banner, inAnHour)).toBe(false);
    expect(bannerShown(null, now)).toBe(false);
  });

  it('links only to a path of the site or an http(s) address', () => {
    expect(checkBanner({ ...valid, link: '/en/polls' }, now).link).toBe('/en/polls');
    expect(checkBanner({ ...valid, link: 'https://example.org/a b'.replace(' ', '') }, now).link).toBe(
      'https://example.org/ab',
    );
    for (const link of [
      'javascript:alert(1)',
      'data:text/html,x',
      '//evil.example',
      '/\\evil.example',
      'ftp://x',
      'mailto:a@b',
    ]) {
      expect(() => checkBanner({ ...valid, link }, now), link).toThrow();
    }
  });

  it('refuses an empty or long text and an expiry past or more than a week away', () => {
    const refused = (change: { text?: string; expiresAt?: Date | null }) => {
      try {
        checkBanner({ ...valid, ...change }, now);
        return null;
      } catch (error) {
        return isKiosqueError(error) ? error.code : 'other';
      }
    };
    expect(refused({ text: '   ' })).toBe('BREAKING_BANNER_INVALID');
    expect(refused({ text: 'x'.repeat(201) })).toBe('BREAKING_BANNER_INVALID');
    expect(refused({ text: 'x'.repeat(200) })).toBeNull();
    expect(refused({ expiresAt: now })).toBe('BREAKING_BANNER_INVALID');
    expect(refused({ expiresAt: null })).toBe('BREAKING_BANNER_INVALID');
    expect(refused({ expiresAt: new Date(now.getTime() + 8 * 24 * 3600_000) })).toBe('BREAKING_BANNER_INVALID');
  });
});
