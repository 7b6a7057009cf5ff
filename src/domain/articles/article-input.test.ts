import { describe, expect, it } from 'vitest';
import { prepareNewArticle } from './article-input.js';

const clock = { now: () => new Date('2026-11-27T12:00:00Z') };
let n = 0;
const deps = { clock, ids: (prefix: string) => `${prefix}_${++n}` };

describe('prepareNewArticle', () => {
  it('renders the body, derives the slug from the headline and starts at revision 1', () => {
    const record = prepareNewArticle({ language: 'fr', headline: 'L’été à Pékin', bodyMarkdown: 'Un *mot*.' }, deps);
    expect(record).toMatchObject({
      slug: 'l-ete-a-pekin',
      bodyHtml: '<p>Un <em>mot</em>.</p>\n',
      status: 'draft',
      revision: 1,
      deletedAt: null,
    });
  });

  it('drops control characters that no one meant to type (PostgreSQL refuses NUL)', () => {
    const record = prepareNewArticle(
      { language: 'fr', headline: 'Titre\u0000 propre', bodyMarkdown: 'a\u0007b\nc\td' },
      deps,
    );
    expect(record.headline).toBe('Titre propre');
    expect(record.bodyMarkdown).toBe('ab\nc\td');
  });

  it('refuses a publication time in the future: that is a schedule', () => {
    expect(() =>
      prepareNewArticle(
        { language: 'fr', headline: 'x', status: 'published', publishedAt: new Date('2026-12-01T00:00:00Z') },
        deps,
      ),
    ).toThrowError(expect.objectContaining({ code: 'ARTICLE_INVALID' }));
  });

  it('refuses a schedule without a time, a source link that is not http(s), and an empty headline', () => {
    for (const input of [
      { language: 'fr', headline: 'x', status: 'scheduled' as const },
      { language: 'fr', headline: 'x', source: { name: 'AFP', url: 'javascript:alert(1)' } },
      { language: 'fr', headline: '   ' },
    ]) {
      expect(() => prepareNewArticle(input, deps)).toThrowError(expect.objectContaining({ code: 'ARTICLE_INVALID' }));
    }
  });

  it('refuses a reserved slug', () => {
    expect(() => prepareNewArticle({ language: 'fr', headline: 'x', slug: 'admin' }, deps)).toThrowError(
      expect.objectContaining({ code: 'ARTICLE_SLUG_INVALID' }),
    );
  });
});
