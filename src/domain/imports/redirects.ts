/** What an old address may now name. */
export type RedirectTargetKind = 'article' | 'section' | 'tag' | 'author';

export interface RedirectTarget {
  kind: RedirectTargetKind;
  id: string;
}

/** Query parameters that name a thing on WordPress (`/?p=123`, `/?page_id=7`, `/?cat=3`, `/?tag=x`). */
const namingParameters = ['p', 'page_id', 'cat', 'tag', 'author'];

/**
 * The key an old address is stored and looked up under: the path decoded, lower-cased, without a
 * trailing slash (the root stays `/`), plus the one query parameter that names something, if any.
 * Other parameters (tracking, paging) are left out, so `/Slug/?utm_source=x` finds `/slug`.
 * Null for what cannot be an address (no leading slash, bad percent-encoding, too long).
 */
export function redirectKey(pathAndQuery: string): string | null {
  if (!pathAndQuery.startsWith('/') || pathAndQuery.startsWith('//') || pathAndQuery.length > 2000) return null;
  const url = new URL(pathAndQuery, 'http://old.invalid');
  let path: string;
  try {
    path = decodeURIComponent(url.pathname).toLowerCase();
  } catch {
    return null;
  }
  path = path.replace(/\/+$/, '') || '/';
  for (const name of namingParameters) {
    const value = url.searchParams.get(name);
    if (value !== null && value.trim() !== '') return `${path}?${name}=${value.trim().toLowerCase()}`;
  }
  return path;
}

/** Why the port exists: old addresses of an imported site keep working, answered where the site says 404. */
export interface RedirectStore {
  /** Points `key` (from `redirectKey`) at `target`; an existing key is pointed again. */
  put(key: string, target: RedirectTarget, now: Date): Promise<void>;
  /**
   * Where the old address now goes: the language and slug of what it names, if it still exists
   * (a story only while readers may see it at `now`).
   */
  resolve(key: string, now: Date): Promise<{ kind: RedirectTargetKind; language: string | null; slug: string } | null>;
}
