import { describe, expect, it } from 'vitest';
import { isPublic } from './article.js';
import { prepareNewArticle } from './article-input.js';
import { heldByEmbargo } from './article-service.js';
import { diffRecords } from './revision-diff.js';

const now = new Date('2026-05-04T08:00:00.000Z');
const minute = 60_000;
const deps = { clock: { now: () => now }, ids: (prefix: string) => `${prefix}_1` };
const embargo = new Date(now.getTime() + 60 * minute);
const story = (input: Partial<Parameters<typeof prepareNewArticle>[0]> = {}) =>
  prepareNewArticle({ language: 'en', headline: 'Under embargo', embargoUntil: embargo, ...input }, deps);

describe('an embargo (issue 12)', () => {
  it('keeps a published story from readers until it passes, and not a moment longer', () => {
    const published = {
      status: 'published' as const,
      publishedAt: now,
      deletedAt: null,
      embargoUntil: embargo,
      killedAt: null,
    };
    expect(isPublic(published, now)).toBe(false);
    expect(isPublic(published, new Date(embargo.getTime() - 1))).toBe(false);
    expect(isPublic(published, embargo)).toBe(true);
    expect(isPublic({ ...published, embargoUntil: null }, now)).toBe(true);
  });

  it('turns publishing under embargo into a schedule at its end, without a publication date', () => {
    const held = heldByEmbargo({ ...story(), status: 'published', publishedAt: now }, story(), now);
    expect(held).toMatchObject({ status: 'scheduled', scheduledAt: embargo, publishedAt: null });
  });

  it('keeps the publication date of a story that was published before', () => {
    const before = { ...story(), publishedAt: new Date(now.getTime() - minute) };
    const held = heldByEmbargo({ ...before, status: 'published' }, before, now);
    expect(held.publishedAt).toEqual(before.publishedAt);
  });

  it('moves a schedule set before the embargo to its end, and leaves a later one alone', () => {
    const early = new Date(now.getTime() + minute);
    expect(heldByEmbargo({ ...story(), status: 'scheduled', scheduledAt: early }, null, now).scheduledAt).toEqual(
      embargo,
    );
    const late = new Date(embargo.getTime() + minute);
    expect(heldByEmbargo({ ...story(), status: 'scheduled', scheduledAt: late }, null, now).scheduledAt).toEqual(late);
  });

  it('changes nothing once the embargo passed, nor on drafts', () => {
    const published = { ...story(), status: 'published' as const, publishedAt: now };
    expect(heldByEmbargo(published, null, embargo)).toBe(published);
    const draft = story();
    expect(heldByEmbargo(draft, null, now)).toBe(draft);
  });
});

describe('the embargo in revisions', () => {
  it('is a field of the revision diff, shown as a date', () => {
    const before = story({ embargoUntil: null });
    const after = story();
    const names = {
      section: String,
      tag: String,
      author: String,
      date: (date: Date) => date.toISOString(),
      genre: String,
    };
    const field = diffRecords(before, after, names).find((entry) => entry.field === 'embargoUntil');
    expect(field).toMatchObject({ changed: true, before: '', after: embargo.toISOString() });
  });
});
