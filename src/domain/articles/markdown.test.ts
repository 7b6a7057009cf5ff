import { describe, expect, it } from 'vitest';
import { isAllowedUrl, markdownToText, renderMarkdown } from './markdown.js';

describe('renderMarkdown', () => {
  it('renders paragraphs, emphasis, lists, quotes and subheadings', () => {
    const html = renderMarkdown('Un *mot* et **deux**.\n\n## Titre\n\n> Citation\n\n- a\n- b');
    expect(html).toContain('<p>Un <em>mot</em> et <strong>deux</strong>.</p>');
    expect(html).toContain('<h2>Titre</h2>');
    expect(html).toContain('<blockquote>');
    expect(html).toContain('<li>a</li>');
  });

  it('keeps every character of the text, typographic quotes and spaces included', () => {
    const text = 'La Chine « traite avec compréhension et soutient » la demande — d’accord ?';
    expect(renderMarkdown(text)).toBe(`<p>${text}</p>\n`);
  });

  it('shows raw HTML as text instead of interpreting it', () => {
    const html = renderMarkdown('<script>alert(1)</script> <img src=x onerror=alert(1)>');
    expect(html).not.toContain('<script');
    expect(html).not.toContain('<img');
    expect(html).toContain('&lt;script&gt;');
  });

  it.each([
    '[x](javascript:alert(1))',
    '[x](JaVaScRiPt:alert(1))',
    '[x](java\tscript:alert(1))',
    '[x](data:text/html;base64,PHNjcmlwdD4=)',
    '[x](vbscript:msgbox)',
    '<javascript:alert(1)>',
  ])('drops the dangerous link in %s', (source) => {
    const html = renderMarkdown(source);
    expect(html).not.toMatch(/href="\s*(javascript|data|vbscript)/i);
    expect(html).not.toMatch(/href="[^"]*script:/i);
  });

  it('keeps http, https and mailto links, and marks outbound ones noopener', () => {
    const html = renderMarkdown('[a](https://www.ipcc.ch/) [b](mailto:redaction@example.org) [c](/fr/)');
    expect(html).toContain('<a href="https://www.ipcc.ch/" rel="noopener">a</a>');
    expect(html).toContain('<a href="mailto:redaction@example.org">b</a>');
    expect(html).toContain('<a href="/fr/">c</a>');
  });

  it('turns a level-one heading into a level-two one: the headline is the page’s only h1', () => {
    expect(renderMarkdown('# Titre')).toBe('<h2>Titre</h2>\n');
  });

  it('renders a paragraph that starts with a hyphen as text when it is escaped', () => {
    expect(renderMarkdown('\\-puissances armées')).toBe('<p>-puissances armées</p>\n');
  });
});

describe('markdownToText', () => {
  it('gives the plain text with entities decoded', () => {
    expect(markdownToText('A *b* & [c](https://x.org) <d>')).toBe('A b & c <d>');
  });
});

describe('isAllowedUrl', () => {
  it('accepts site paths and allowed schemes only', () => {
    expect(isAllowedUrl('/fr/monde')).toBe(true);
    expect(isAllowedUrl('https://example.org')).toBe(true);
    expect(isAllowedUrl('//evil.example/x')).toBe(false);
    expect(isAllowedUrl(' javascript:alert(1)')).toBe(false);
    expect(isAllowedUrl('ftp://example.org', ['http', 'https'])).toBe(false);
  });
});
