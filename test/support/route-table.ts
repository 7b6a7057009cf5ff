import { sql } from 'kysely';
import type { TestSite } from './test-app.js';

/** One route of the server's table (`app.server.routeList`), HEAD and wildcard routes left out. */
export interface RouteEntry {
  method: string;
  url: string;
  /** Why the route takes posts from other sites (webhooks), when it does. */
  crossOrigin?: string;
}

/** Every route the server answers, once each: the generated suites of issue 11 walk this list. */
export function routesOf(site: TestSite): RouteEntry[] {
  const seen = new Set<string>();
  return site.app.server.routeList.filter((route) => {
    const key = `${route.method} ${route.url}`;
    if (route.method === 'HEAD' || route.method === 'OPTIONS' || route.url.includes('*') || seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

export const isStateChanging = (route: RouteEntry) => ['POST', 'PUT', 'PATCH', 'DELETE'].includes(route.method);

export const paramsOf = (url: string) => [...url.matchAll(/:(\w+)/g)].map((match) => match[1] as string);

/** Realistic values of the demo site for each route parameter name (some depend on the route). */
export interface SampleValues {
  storySlug: string;
  storyId: string;
  sectionSlug: string;
  tagSlug: string;
  tagId: string;
  sectionId: string;
  authorSlug: string;
  authorId: string;
  imageId: string;
  memberId: string;
  staffId: string;
  previewToken: string;
  assetFile: string;
  /** A wire source and a wire item of the demo's desk (issue 12). */
  wireSourceId: string;
  wireItemId: string;
  /** An integration (issue 13); the demo has none, so one is added. */
  integrationId: string;
  /** One of its webhooks (added), and a delivery id (none is sent on the demo site, so it is unknown: 404). */
  webhookId: string;
  deliveryId: string;
}

/** Reads the values from the demo content of a running test site (English story, its section…). */
export async function sampleValues(
  site: TestSite,
  extra: { memberId: string; staffId: string },
): Promise<SampleValues> {
  const db = site.app.database.db;
  const story = await db
    .selectFrom('articles')
    .select(['id', 'slug', 'section_id'])
    .where('language', '=', 'en')
    .where('status', '=', 'published')
    .where('section_id', 'is not', null)
    .orderBy('id')
    .executeTakeFirstOrThrow();
  const section = await db
    .selectFrom('sections')
    .select('slug')
    .where('id', '=', story.section_id as string)
    .executeTakeFirstOrThrow();
  const tag = await db.selectFrom('tags').select(['id', 'slug']).where('language', '=', 'en').executeTakeFirstOrThrow();
  const author = await db.selectFrom('authors').select(['id', 'slug']).executeTakeFirstOrThrow();
  const image = await db.selectFrom('images').select('id').executeTakeFirstOrThrow();
  const token = 'preview-token-for-the-generated-suites';
  await db.updateTable('articles').set({ preview_token: token }).where('id', '=', story.id).execute();
  const asset = site.app.server.routeList.length > 0 ? await firstAsset(site) : '';
  const wireItem = await db.selectFrom('wire_items').select(['id', 'source_id']).orderBy('id').executeTakeFirst();
  const integration =
    (await site.app.integrations.list())[0] ??
    (await site.app.integrations.add({ name: 'Route samples', createdBy: null })).integration;
  const webhook =
    (await site.app.webhooks.listFor(integration.id))[0] ??
    (
      await site.app.webhooks.add({
        integrationId: integration.id,
        event: 'story.published',
        targetUrl: 'https://hooks.example.org/kiosque',
        createdBy: null,
      })
    ).webhook;
  return {
    storySlug: story.slug,
    storyId: story.id,
    sectionSlug: section.slug,
    tagSlug: tag.slug,
    tagId: tag.id,
    sectionId: story.section_id as string,
    authorSlug: author.slug,
    authorId: author.id,
    imageId: image.id,
    memberId: extra.memberId,
    staffId: extra.staffId,
    previewToken: token,
    assetFile: asset,
    wireSourceId: wireItem?.source_id ?? 'src_none',
    wireItemId: wireItem?.id ?? 'wir_none',
    integrationId: integration.id,
    webhookId: webhook.id,
    deliveryId: 'whd_none',
  };
}

/** The hashed name of the site's stylesheet, as pages link it. */
async function firstAsset(site: TestSite): Promise<string> {
  const home = await site.app.server.inject({ method: 'GET', url: '/en/' });
  const match = /href="\/assets\/([^"]+\.css)"/.exec(home.body);
  if (!match?.[1]) throw new Error('no stylesheet link on the home page');
  return match[1];
}

/**
 * The sample value of a parameter on a route, or undefined when none is known: the suites fail
 * then, so a route added with a new parameter name is covered the day it is added (add its
 * sample here).
 */
export function sampleFor(name: string, url: string, values: SampleValues): string | undefined {
  switch (name) {
    case 'lang':
      return 'en';
    case 'slug':
      if (url.startsWith('/:lang/section/')) return values.sectionSlug;
      if (url.startsWith('/:lang/tag/')) return values.tagSlug;
      if (url.startsWith('/:lang/author/')) return values.authorSlug;
      // The demo has no static page: its address answers 404 (decision 0059).
      if (url === '/:lang/page/:slug') return 'about';
      if (url === '/:lang/:slug' || url === '/:lang/read/:slug' || url === '/api/ninjs/:lang/:slug') {
        return values.storySlug;
      }
      // Ghost's Content API (issue 13): a page has no story of its address, so it answers 404.
      if (url.startsWith('/ghost/api/content/tags/')) return values.tagSlug;
      if (url.startsWith('/ghost/api/content/authors/')) return values.authorSlug;
      if (url.startsWith('/ghost/api/content/')) return values.storySlug;
      return undefined;
    case 'file':
      if (url === '/sitemaps/:file') return 'en-1.xml';
      if (url === '/media/:id/:file') return '320.webp';
      if (url === '/assets/:file') return values.assetFile;
      return undefined;
    case 'kind':
      if (url.startsWith('/admin/api/taxonomy/')) return 'tag';
      return undefined;
    case 'section':
      if (url.startsWith('/admin/settings/')) return 'identity';
      return undefined;
    case 'id':
      if (url.startsWith('/admin/api/taxonomy/') || url.startsWith('/admin/tags/')) return values.tagId;
      if (url.startsWith('/admin/sections/')) return values.sectionId;
      if (url.startsWith('/admin/authors/')) return values.authorId;
      if (
        url.startsWith('/admin/stories/') ||
        url.startsWith('/admin/api/stories/') ||
        url.startsWith('/api/admin/v1/stories/')
      ) {
        return values.storyId;
      }
      if (url.startsWith('/admin/members/')) return values.memberId;
      if (url.startsWith('/admin/staff/')) return values.staffId;
      if (url.startsWith('/admin/media/') || url.startsWith('/media/')) return values.imageId;
      if (url.startsWith('/admin/wire/sources/')) return values.wireSourceId;
      if (url.startsWith('/admin/wire/items/')) return values.wireItemId;
      // The demo has no import: an id of none, whose page is the admin's 404 (IMPORT_NOT_FOUND).
      if (url.startsWith('/admin/import/')) return 'imp_none';
      // Nor a static page: the editor's 404 (decision 0059).
      if (url.startsWith('/admin/pages/')) return 'page_none';
      if (url.startsWith('/admin/integrations/')) return values.integrationId;
      if (url.startsWith('/ghost/api/content/tags/')) return values.tagId;
      if (url.startsWith('/ghost/api/content/')) return values.storyId;
      return undefined;
    case 'webhookId':
      if (url.startsWith('/admin/integrations/')) return values.webhookId;
      return undefined;
    case 'deliveryId':
      if (url.startsWith('/admin/integrations/')) return values.deliveryId;
      return undefined;
    case 'token':
      if (url === '/preview/:token') return values.previewToken;
      return undefined;
    case 'revision':
      return '1';
    case 'correction':
      // The demo has no correction: an id of none, refused as CORRECTION_NOT_FOUND (issue 14).
      if (url.startsWith('/admin/stories/:id/corrections/')) return 'cor_none';
      return undefined;
    default:
      return undefined;
  }
}

/** The routes with a parameter that has no sample: the suites assert this list is empty. */
export function routesWithoutSamples(routes: RouteEntry[], values: SampleValues): string[] {
  return routes.flatMap((route) =>
    paramsOf(route.url)
      .filter((name) => sampleFor(name, route.url, values) === undefined)
      .map((name) => `${route.method} ${route.url} (:${name})`),
  );
}

/** The route's path with every parameter replaced by its sample, or by `override(name)` when it gives one. */
export function fillRoute(
  route: RouteEntry,
  values: SampleValues,
  override: (name: string, sample: string) => string | undefined = () => undefined,
): string {
  return route.url.replace(/:(\w+)/g, (_match, name: string) => {
    const sample = sampleFor(name, route.url, values) ?? '';
    return override(name, sample) ?? encodeURIComponent(sample);
  });
}

/**
 * A digest of every row of every table: two equal digests mean the request stored nothing. Rows
 * are read in a stable order and compared as JSON, so it works the same on SQLite and PostgreSQL.
 */
export async function databaseDigest(site: TestSite, ignore: string[] = []): Promise<Map<string, string>> {
  const db = site.app.database.db;
  const names =
    site.database.name === 'sqlite'
      ? (
          await sql<{
            name: string;
          }>`select name from sqlite_master where type = 'table' and name not like 'sqlite_%' and name not like '%_fts%' order by name`.execute(
            db,
          )
        ).rows.map((row) => row.name)
      : (
          await sql<{
            name: string;
          }>`select table_name as name from information_schema.tables where table_schema = current_schema() and table_type = 'BASE TABLE' order by table_name`.execute(
            db,
          )
        ).rows.map((row) => row.name);
  const digest = new Map<string, string>();
  for (const name of names) {
    if (ignore.includes(name)) continue;
    const rows = (await sql<Record<string, unknown>>`select * from ${sql.table(name)}`.execute(db)).rows;
    const lines = rows.map((row) =>
      JSON.stringify(row, (_key, value) => (value instanceof Date ? value.toISOString() : value)),
    );
    digest.set(name, `${rows.length}:${lines.sort().join('\n')}`);
  }
  return digest;
}

/** The tables whose rows differ between two digests. */
export function changedTables(before: Map<string, string>, after: Map<string, string>): string[] {
  const names = new Set([...before.keys(), ...after.keys()]);
  return [...names].filter((name) => before.get(name) !== after.get(name));
}
