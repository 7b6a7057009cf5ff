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

/**
 * Whether an If-None-Match header (RFC 9110 §13.1.2) names a representation of this content: `*`
 * matches any current one; otherwise each entity tag of the list is compared weakly (a `W/`
 * prefix is ignored) with this content's tag in any encoding: the reader has it already.
 */
export function etagMatches(ifNoneMatch: string | undefined, hash: string): boolean {
  if (ifNoneMatch === undefined) return false;
  if (ifNoneMatch.trim() === '*') return true;
  const ours = new Set([hash, `${hash}-gz`, `${hash}-br`]);
  // Entity tags are quoted and may contain commas: read them as quoted strings, not split on commas.
  for (const match of ifNoneMatch.matchAll(/(?:W\/)?"([^"]*)"/g)) {
    if (ours.has(match[1] as string)) return true;
  }
  return false;
}

/** The encodings an Accept-Encoding header accepts, each with its weight; `q=0` refuses one. */
function acceptedEncodings(acceptEncoding: string): Map<string, number> {
  const weights = new Map<string, number>();
  for (const item of acceptEncoding.split(',')) {
    const [name, ...params] = item.trim().toLowerCase().split(';');
    if (!name) continue;
    const q = params.map((param) => /^\s*q\s*=\s*([0-9.]+)\s*$/.exec(param)?.[1]).find((value) => value !== undefined);
    const weight = q === undefined ? 1 : Number(q);
    weights.set(name, Number.isFinite(weight) ? weight : 0);
  }
  return weights;
}

/** Which pre-compressed body to send for an Accept-Encoding header (its `q=0` refusals honoured). */
export function pickEncoding(acceptEncoding: string | undefined): 'br' | 'gzip' | 'identity' {
  if (!acceptEncoding) return 'identity';
  const weights = acceptedEncodings(acceptEncoding);
  const weight = (name: string) => weights.get(name) ?? (weights.has('*') ? (weights.get('*') as number) : 0);
  const br = weight('br');
  const gzip = Math.max(weight('gzip'), weights.get('x-gzip') ?? 0);
  if (br > 0 && br >= gzip) return 'br';
  if (gzip > 0) return 'gzip';
  return 'identity';
}
