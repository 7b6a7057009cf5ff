/**
 * Bytes of a fetched page to text: the byte-order mark first, then the charset of the
 * Content-Type header, then a `<meta charset>` or `<meta http-equiv="Content-Type">` in the first
 * bytes (the HTML standard's order), else UTF-8 — or windows-1252 when the bytes are not UTF-8.
 */

const PRESCAN_BYTES = 4096;

function decoderFor(label: string | null | undefined): TextDecoder | null {
  if (!label) return null;
  try {
    const decoder = new TextDecoder(label.trim().toLowerCase());
    // A page cannot declare itself UTF-16 from inside (the standard reads that as UTF-8).
    return decoder.encoding.startsWith('utf-16') ? new TextDecoder('utf-8') : decoder;
  } catch {
    return null;
  }
}

function charsetOfContentType(contentType: string | undefined): string | null {
  const match = /charset\s*=\s*["']?([^"';\s]+)/i.exec(contentType ?? '');
  return match?.[1] ?? null;
}

function charsetOfMeta(bytes: Uint8Array): string | null {
  // The prescan reads the head as ASCII: every encoding a page can declare keeps ASCII in place.
  const head = new TextDecoder('windows-1252').decode(bytes.subarray(0, PRESCAN_BYTES));
  for (const tag of head.match(/<meta\b[^>]*>/gi) ?? []) {
    const direct = /\bcharset\s*=\s*["']?\s*([^"'\s/>;]+)/i.exec(tag);
    if (direct && !/\bcontent\s*=/i.test(tag.slice(0, direct.index))) return direct[1]!;
    if (/http-equiv\s*=\s*["']?content-type/i.test(tag)) {
      const content = /\bcontent\s*=\s*(["'])(.*?)\1/i.exec(tag);
      const charset = charsetOfContentType(content?.[2]);
      if (charset) return charset;
    }
    if (direct) return direct[1]!;
  }
  return null;
}

function byteOrderMark(bytes: Uint8Array): TextDecoder | null {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return new TextDecoder('utf-8');
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le');
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be');
  return null;
}

/** The page's text, decoded as its bytes, its server or its own markup say. */
export function decodePage(page: string | Uint8Array, contentType?: string): string {
  if (typeof page === 'string') return page.replace(/^\uFEFF/, '');
  const decoder =
    byteOrderMark(page) ?? decoderFor(charsetOfContentType(contentType)) ?? decoderFor(charsetOfMeta(page));
  if (decoder) return decoder.decode(page);
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(page);
  } catch {
    // Undeclared and not UTF-8: the web's historical default.
    return new TextDecoder('windows-1252').decode(page);
  }
}
