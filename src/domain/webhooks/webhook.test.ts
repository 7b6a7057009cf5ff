import { describe, expect, it } from 'vitest';
import type { ArticleFacts } from '../events.js';
import { retryDelayMs, retryWindowMs, storyEventsOf, wordsChanged } from './webhook.js';

const facts = (overrides: Partial<ArticleFacts> = {}): ArticleFacts => ({
  language: 'en',
  translationGroup: 'g1',
  slug: 'a-story',
  sectionId: null,
  tagIds: [],
  authorIds: ['a1'],
  visible: true,
  publishedAt: '2026-06-01T08:00:00.000Z',
  revision: 3,
  textRevision: 2,
  deleted: false,
  killed: false,
  ...overrides,
});
const change = (before: ArticleFacts | null, after: ArticleFacts | null) =>
  ({ type: 'article.changed', articleId: 'x', before, after }) as const;

describe('storyEventsOf', () => {
  it('announces a published correction as an update and as story.corrected (decision 0056)', () => {
    const corrected = {
      ...change(facts(), facts({ revision: 4, textRevision: 4 })),
      corrected: { id: 'cor1', kind: 'correction' as const },
    };
    expect(storyEventsOf(corrected)).toEqual(['story.updated', 'story.corrected']);
  });

  it('names what readers saw change: appearing, new words while live, withdrawal, the trash', () => {
    expect(storyEventsOf(change(facts({ visible: false }), facts()))).toEqual(['story.published']);
    expect(storyEventsOf(change(null, facts()))).toEqual(['story.published']);
    expect(storyEventsOf(change(facts(), facts({ revision: 4, textRevision: 4 })))).toEqual(['story.updated']);
    expect(storyEventsOf(change(facts(), facts({ visible: false })))).toEqual(['story.unpublished']);
    expect(storyEventsOf(change(facts(), facts({ visible: false, deleted: true })))).toEqual(['story.deleted']);
  });

  it('tells a kill (decision 0057), also of a story unpublished before, never of one readers never had', () => {
    expect(storyEventsOf(change(facts(), facts({ visible: false, killed: true })))).toEqual(['story.killed']);
    expect(storyEventsOf(change(facts({ visible: false }), facts({ visible: false, killed: true })))).toEqual([
      'story.killed',
    ]);
    expect(
      storyEventsOf(
        change(
          facts({ visible: false, publishedAt: null }),
          facts({ visible: false, publishedAt: null, killed: true }),
        ),
      ),
    ).toEqual([]);
  });

  it('says nothing of changes readers never saw, nor of a live save that kept the words', () => {
    expect(storyEventsOf(change(facts({ visible: false }), facts({ visible: false, textRevision: 5 })))).toEqual([]);
    expect(storyEventsOf(change(facts({ visible: false }), facts({ visible: false, deleted: true })))).toEqual([]);
    expect(storyEventsOf(change(facts(), facts({ revision: 4, tagIds: ['t1'] })))).toEqual([]);
  });

  it('tells a change of words from any other save, whatever the status', () => {
    expect(wordsChanged(change(facts({ visible: false }), facts({ visible: false, textRevision: 4 })))).toBe(true);
    expect(wordsChanged(change(facts(), facts({ revision: 4 })))).toBe(false);
    expect(wordsChanged(change(null, facts()))).toBe(false);
  });
});

describe('retryDelayMs', () => {
  it('waits 30 s doubling up to an hour, so an hour-long outage is retried within the day', () => {
    expect([1, 2, 3, 4, 7, 8, 20].map(retryDelayMs)).toEqual([
      30_000, 60_000, 120_000, 240_000, 1_920_000, 3_600_000, 3_600_000,
    ]);
    let waited = 0;
    let attempts = 0;
    while (waited < 3_600_000) waited += retryDelayMs(++attempts);
    expect(waited).toBeLessThan(retryWindowMs);
  });
});
