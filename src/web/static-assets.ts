import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

export interface StaticAsset {
  /** The public URL, with a content hash so it can be cached for a year. */
  url: string;
  contentType: string;
  /** Content hash; each encoding's ETag adds a suffix (see `encodedEtag`). */
  hash: string;
  identity: Buffer;
  gzip: Buffer;
  brotli: Buffer;
}

const types: Record<string, string> = {
  css: 'text/css; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
  svg: 'image/svg+xml',
  png: 'image/png',
};

/** Reads the site's CSS, JS and icon once at start, names them by content hash and pre-compresses them. */
export function loadStaticAssets(folder: URL, files: string[]): Map<string, StaticAsset> {
  const assets = new Map<string, StaticAsset>();
  for (const file of files) assets.set(file, staticAsset(file, readFileSync(new URL(file, folder))));
  return assets;
}

/** One asset from its bytes (also for files made at start, such as the PNG logo drawn from the icon). */
export function staticAsset(file: string, identity: Buffer): StaticAsset {
  const hash = createHash('sha256').update(identity).digest('base64url').slice(0, 12);
  const dot = file.lastIndexOf('.');
  const extension = file.slice(dot + 1);
  return {
    url: `/assets/${file.slice(0, dot)}.${hash}.${extension}`,
    contentType: types[extension] ?? 'application/octet-stream',
    hash,
    identity,
    gzip: gzipSync(identity, { level: 9 }),
    brotli: brotliCompressSync(identity, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }),
  };
}

/** A strong ETag per representation: the same content in another encoding is another entity. */
export function encodedEtag(hash: string, encoding: 'br' | 'gzip' | 'identity'): string {
  return `"${hash}${encoding === 'br' ? '-br' : encoding === 'gzip' ? '-gz' : ''}"`;
}

/** If-None-Match matches when it names any encoding of this content: the reader has it already. */
export function etagMatches(ifNoneMatch: string | undefined, hash: string): boolean {
  return ifNoneMatch !== undefined && (ifNoneMatch.includes(`"${hash}"`) || ifNoneMatch.includes(`"${hash}-`));
}

/** Which pre-compressed body to send for an Accept-Encoding header. */
export function pickEncoding(acceptEncoding: string | undefined): 'br' | 'gzip' | 'identity' {
  if (!acceptEncoding) return 'identity';
  if (/\bbr\b/.test(acceptEncoding)) return 'br';
  if (/\bgzip\b/.test(acceptEncoding)) return 'gzip';
  return 'identity';
}
