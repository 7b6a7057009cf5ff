import { describe, expect, it } from 'vitest';
import { isKiosqueError } from '../errors.js';
import { byKind, forReaders, parseCorrectionInput } from './correction.js';

const refusal = (value: unknown) => {
  try {
    parseCorrectionInput(value);
  } catch (error) {
    if (isKiosqueError(error)) return { code: error.code, fields: (error.details as { fields: string[] }).fields };
  }
  return null;
};

describe('corrections (decision 0056)', () => {
  it('takes a known kind and a text of 1 to 2,000 characters, on one line', () => {
    expect(parseCorrectionInput({ kind: 'clarification', text: '  Le vote a eu lieu\n mardi.  ' })).toEqual({
      kind: 'clarification',
      text: 'Le vote a eu lieu mardi.',
    });
    expect(refusal({ kind: 'retraction', text: 'x' })).toEqual({ code: 'CORRECTION_INVALID', fields: ['kind'] });
    expect(refusal({ kind: 'correction', text: '   ' })).toEqual({ code: 'CORRECTION_INVALID', fields: ['text'] });
    expect(refusal({ kind: 'correction', text: 'x'.repeat(2001) })).toEqual({
      code: 'CORRECTION_INVALID',
      fields: ['text'],
    });
  });

  it('renders its text as inline Markdown with no script, block or foreign scheme', () => {
    const shown = forReaders({
      id: 'c1',
      articleId: 'a1',
      language: 'fr',
      kind: 'correction',
      text: '*1946* <script>alert(1)</script> [lien](javascript:alert(1)) [source](https://example.org)',
      status: 'published',
      sourceCorrectionId: null,
      sourceRevision: null,
      needsTranslation: false,
      createdBy: null,
      createdAt: new Date('2026-12-03T10:00:00Z'),
      publishedBy: null,
      publishedAt: new Date('2026-12-03T10:00:00Z'),
    });
    expect(shown?.html).toContain('<em>1946</em>');
    expect(shown?.html).not.toContain('<script');
    expect(shown?.html).not.toContain('href="javascript');
    expect(shown?.html).not.toContain('<p>');
    expect(shown?.html).toContain('<a href="https://example.org" rel="noopener">source</a>');
    expect(shown?.text).toBe('1946 <script>alert(1)</script> [lien](javascript:alert(1)) source');
  });

  it('keeps drafts from readers and sorts corrections apart from clarifications, oldest first', () => {
    const at = (iso: string, kind: 'correction' | 'clarification') => ({
      id: iso,
      articleId: 'a',
      kind,
      text: '',
      html: '',
      publishedAt: new Date(iso),
    });
    const sorted = byKind([
      at('2026-12-03T00:00:00Z', 'correction'),
      at('2026-12-01T00:00:00Z', 'correction'),
      at('2026-12-02T00:00:00Z', 'clarification'),
    ]);
    expect(sorted.corrections.map((c) => c.id)).toEqual(['2026-12-01T00:00:00Z', '2026-12-03T00:00:00Z']);
    expect(sorted.clarifications).toHaveLength(1);
  });
});
