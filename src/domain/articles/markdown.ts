import MarkdownIt from 'markdown-it';
import sanitizeHtml from 'sanitize-html';

/** Schemes a link in an article body may use; anything else (javascript:, data:, vbscript:…) is dropped. */
export const allowedLinkSchemes = ['http', 'https', 'mailto'];

// `html: false`: raw HTML in the Markdown is shown as text, never interpreted. Typographer off: the
// renderer must not change a single character of what the newsroom wrote.
const markdown = new MarkdownIt({ html: false, linkify: true, typographer: false, breaks: false });
markdown.validateLink = (url) => isAllowedUrl(url, allowedLinkSchemes);

const sanitizeOptions: sanitizeHtml.IOptions = {
  allowedTags: [
    'p',
    'h2',
    'h3',
    'h4',
    'blockquote',
    'ul',
    'ol',
    'li',
    'a',
    'em',
    'strong',
    'code',
    'pre',
    'hr',
    'br',
    'table',
    'thead',
    'tbody',
    'tr',
    'th',
    'td',
    's',
    'sup',
    'sub',
  ],
  allowedAttributes: { a: ['href', 'title'], ol: ['start'], th: ['style'], td: ['style'] },
  allowedStyles: {
    th: { 'text-align': [/^(left|right|center)$/] },
    td: { 'text-align': [/^(left|right|center)$/] },
  },
  allowedSchemes: allowedLinkSchemes,
  allowedSchemesAppliedToAttributes: ['href'],
  allowProtocolRelative: false,
  transformTags: {
    // A level-1 heading in a body would compete with the page's only h1 (the headline).
    h1: 'h2',
    a: (tagName, attribs) => ({
      tagName,
      attribs: /^https?:/i.test(attribs.href ?? '') ? { ...attribs, rel: 'noopener' } : attribs,
    }),
  },
  allowedClasses: {},
};

/** Markdown source → sanitized HTML fragment. Pure and deterministic: the preview and the page use it. */
export function renderMarkdown(source: string): string {
  return sanitizeHtml(markdown.render(source), {
    ...sanitizeOptions,
    allowedAttributes: { ...sanitizeOptions.allowedAttributes, a: ['href', 'title', 'rel'] },
  });
}

/**
 * One line of inline Markdown (a correction's text: emphasis, code, links) → sanitized HTML with
 * no block element, through the same renderer, link check and sanitizer as a body.
 */
export function renderInlineMarkdown(source: string): string {
  return sanitizeHtml(markdown.renderInline(source.replace(/\s+/g, ' ').trim()), {
    ...sanitizeOptions,
    allowedTags: ['a', 'em', 'strong', 'code', 's', 'sup', 'sub'],
    allowedAttributes: { a: ['href', 'title', 'rel'] },
  });
}

/**
 * The body of a sponsored story with every link marked `rel="sponsored"` (with `noopener` for
 * web links), as search engines ask of paid links (issue 14). Applied when the story is read, so
 * a story that becomes sponsored, or stops being, needs no re-rendering. The input is already
 * sanitized; this only rewrites the `rel` of its links.
 */
export function markSponsoredLinks(html: string): string {
  return sanitizeHtml(html, {
    ...sanitizeOptions,
    allowedAttributes: { ...sanitizeOptions.allowedAttributes, a: ['href', 'title', 'rel'] },
    transformTags: {
      ...sanitizeOptions.transformTags,
      a: (tagName, attribs) => ({
        tagName,
        attribs: {
          ...attribs,
          rel: /^https?:/i.test(attribs.href ?? '') ? 'sponsored noopener' : 'sponsored',
        },
      }),
    },
  });
}

/** Plain text of a Markdown source (for excerpts, search and feeds). */
export function markdownToText(source: string): string {
  return sanitizeHtml(markdown.render(source), { allowedTags: [], allowedAttributes: {} })
    .replace(/&amp;/g, '&')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/\s+/g, ' ')
    .trim();
}

/** True when `url` is absolute with one of `schemes`, or a site-relative path. */
export function isAllowedUrl(url: string, schemes: readonly string[] = allowedLinkSchemes): boolean {
  const trimmed = url.trim();
  if (trimmed.startsWith('/') && !trimmed.startsWith('//')) return true;
  if (trimmed.startsWith('#')) return true;
  // Control characters and whitespace inside a scheme are a classic way around naive checks.
  // biome-ignore lint/suspicious/noControlCharactersInRegex: that is exactly what is refused here
  if (/[\u0000-\u001f\u007f]/.test(trimmed)) return false;
  const match = /^([a-zA-Z][a-zA-Z0-9+.-]*):/.exec(trimmed);
  return match !== null && schemes.includes(match[1]!.toLowerCase());
}
