import type { WxrItem } from './wordpress-export.js';

/** What the body needs of an attachment to stand in for `[gallery ids="…"]`. */
export interface AttachmentInfo {
  url: string;
  alt: string;
  caption: string;
}

const blockTags =
  /^<(p|h[1-6]|ul|ol|li|blockquote|table|thead|tbody|tr|figure|div|pre|hr|iframe|section|dl|address|!--)[\s>/-]/i;

function escapeAttribute(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function escapeText(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function attribute(shortcode: string, name: string): string {
  return new RegExp(`\\b${name}\\s*=\\s*["']([^"']*)["']`, 'i').exec(shortcode)?.[1] ?? '';
}

/**
 * A post's `content:encoded` as HTML the shared body reader (`html-blocks.ts`) understands, so
 * WordPress's own conventions are not lost on the way:
 *
 * - classic posts are written with blank lines between paragraphs (WordPress adds the `<p>` when
 *   it shows them, "wpautop"): each run of text between blank lines becomes a paragraph; Gutenberg
 *   posts (`<!-- wp:… -->` comments) already carry their markup and are left as they are;
 * - `[caption …]<img …> Words[/caption]` becomes a figure with its caption;
 * - `[gallery ids="1,2"]` becomes a gallery figure of those attachments (address, alt, caption);
 * - `[embed]url[/embed]` and, in classic posts, an address alone on its line (WordPress embeds
 *   those) become an embed figure;
 * - any other shortcode is removed, its inner text kept.
 */
export function wordpressHtml(content: string, attachments: (id: string) => AttachmentInfo | null): string {
  let html = content.replace(/\r\n?/g, '\n');
  html = html.replace(/\[caption([^\]]*)\]([\s\S]*?)\[\/caption\]/gi, (_all, attrs: string, inner: string) => {
    const image = /<img\b[^>]*>/i.exec(inner)?.[0] ?? '';
    const wrapped = /<a\b[^>]*>\s*<img\b[^>]*>\s*<\/a>/i.exec(inner)?.[0] ?? image;
    const words =
      inner
        .replace(wrapped, '')
        .replace(/<[^>]+>/g, '')
        .trim() || attribute(attrs, 'caption');
    return `<figure>${image}<figcaption>${escapeText(words)}</figcaption></figure>`;
  });
  html = html.replace(/\[gallery([^\]]*)\]/gi, (_all, attrs: string) => {
    const figures = attribute(attrs, 'ids')
      .split(',')
      .map((id) => attachments(id.trim()))
      .filter((found): found is AttachmentInfo => found !== null)
      .map(
        (found) =>
          `<figure><img src="${escapeAttribute(found.url)}" alt="${escapeAttribute(found.alt)}"><figcaption>${escapeText(found.caption)}</figcaption></figure>`,
      );
    return `<figure class="wp-block-gallery">${figures.join('')}</figure>`;
  });
  html = html.replace(
    /\[embed[^\]]*\]\s*(\S+?)\s*\[\/embed\]/gi,
    (_all, url: string) => `<figure class="wp-block-embed"><div>${escapeText(url)}</div></figure>`,
  );
  // Shortcodes Kiosque has no equivalent for: their words stay, their brackets go.
  html = html.replace(/\[\/?[a-z][a-z0-9_-]*(\s[^\]]*)?\]/gi, '');
  if (/<!--\s*wp:/.test(html)) return html;
  return html
    .split(/\n\s*\n/)
    .map((chunk) => chunk.trim())
    .filter((chunk) => chunk !== '')
    .map((chunk) => {
      if (/^https?:\/\/\S+$/.test(chunk))
        return `<figure class="wp-block-embed"><div>${escapeText(chunk)}</div></figure>`;
      if (blockTags.test(chunk)) return chunk;
      return `<p>${chunk.replace(/\n/g, '<br>')}</p>`;
    })
    .join('\n');
}

/** The attachment ids a post's images name (`wp-image-12` classes, `data-id`, gallery ids), in order. */
export function attachmentIdsIn(item: Pick<WxrItem, 'content'>): string[] {
  const ids: string[] = [];
  for (const match of item.content.matchAll(/wp-image-(\d+)|data-id="(\d+)"|\[gallery[^\]]*ids="([\d,\s]+)"/g)) {
    const found = match[1] ?? match[2] ?? match[3] ?? '';
    for (const id of found.split(',')) if (id.trim() && !ids.includes(id.trim())) ids.push(id.trim());
  }
  return ids;
}
