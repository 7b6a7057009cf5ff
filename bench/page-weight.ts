import { get } from './processes.js';

export interface PageWeight {
  url: string;
  html: { brotli: number; gzip: number; identity: number };
  css: { brotli: number; gzip: number; identity: number };
  js: { brotli: number; gzip: number; identity: number };
  /** Images loaded eagerly (not loading="lazy"): their bytes as served, no content-encoding. */
  eagerImages: { count: number; bytes: number };
  /** Requests a first visit makes before anything lazy: the page, stylesheets, scripts, eager images. */
  requests: number;
  /** src/href on other origins among stylesheets, scripts and images. */
  thirdParty: string[];
  /** Scripts in the page that block parsing (no async, defer or type=module). */
  blockingScripts: number;
}

const attribute = (tag: string, name: string) => new RegExp(`\\s${name}="([^"]*)"`).exec(tag)?.[1];

/** What a first visit to `pageUrl` downloads, compressed as a browser asking for br/gzip gets it. */
export async function measurePageWeight(pageUrl: string): Promise<PageWeight> {
  const origin = new URL(pageUrl).origin;
  const sizes = async (url: string) => {
    const [brotli, gzip, identity] = await Promise.all([
      get(url, { 'accept-encoding': 'br' }),
      get(url, { 'accept-encoding': 'gzip' }),
      get(url),
    ]);
    for (const response of [brotli, gzip, identity]) {
      if (response.status !== 200) throw new Error(`${url} answered ${response.status}`);
    }
    return {
      brotli: brotli.body.length,
      gzip: gzip.body.length,
      identity: identity.body.length,
      text: identity.body.toString(),
    };
  };
  const page = await sizes(pageUrl);
  const html = page.text;
  const stylesheets = [...html.matchAll(/<link\b[^>]*>/g)]
    .map((m) => m[0])
    .filter((tag) => attribute(tag, 'rel') === 'stylesheet')
    .map((tag) => attribute(tag, 'href')!);
  const scriptTags = [...html.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]).filter((tag) => attribute(tag, 'src'));
  const scripts = scriptTags.map((tag) => attribute(tag, 'src')!);
  const blockingScripts = scriptTags.filter(
    (tag) => attribute(tag, 'type') !== 'module' && !/\s(async|defer)[\s=>]/.test(tag),
  ).length;
  const images = [...html.matchAll(/<img\b[^>]*>/g)]
    .map((m) => m[0])
    .filter((tag) => attribute(tag, 'loading') !== 'lazy')
    .map((tag) => attribute(tag, 'src')!.replace(/&amp;/g, '&'));
  const absolute = (href: string) => new URL(href, pageUrl).href;
  const thirdParty = [...stylesheets, ...scripts, ...images]
    .map(absolute)
    .filter((url) => new URL(url).origin !== origin);

  const total = { brotli: 0, gzip: 0, identity: 0 };
  const css = { ...total };
  for (const href of stylesheets) {
    const s = await sizes(absolute(href));
    css.brotli += s.brotli;
    css.gzip += s.gzip;
    css.identity += s.identity;
  }
  const js = { ...total };
  for (const src of scripts) {
    const s = await sizes(absolute(src));
    js.brotli += s.brotli;
    js.gzip += s.gzip;
    js.identity += s.identity;
  }
  let imageBytes = 0;
  for (const src of images) {
    const response = await get(absolute(src));
    if (response.status === 200) imageBytes += response.body.length;
  }
  return {
    url: pageUrl,
    html: { brotli: page.brotli, gzip: page.gzip, identity: page.identity },
    css,
    js,
    eagerImages: { count: images.length, bytes: imageBytes },
    requests: 1 + stylesheets.length + scripts.length + images.length,
    thirdParty,
    blockingScripts,
  };
}
