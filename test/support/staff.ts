import type { InjectOptions } from 'fastify';
import type { ArticleRecord } from '../../src/domain/articles/article-input.js';
import type { Role } from '../../src/domain/staff/roles.js';
import { dateToZonedTime } from '../../src/web/routes/admin-story-routes.js';
import type { TestSite } from './test-app.js';

export const formHeaders = { 'content-type': 'application/x-www-form-urlencoded' };

/** A signed-in staff member as a browser would hold them: the session cookie and the page's CSRF token. */
export interface StaffAgent {
  cookie: string;
  csrf: string;
  email: string;
  role: Role;
}

function cookieValue(setCookie: string | string[] | undefined, name: string): string {
  const all = [setCookie ?? []].flat();
  const found = all.find((entry) => entry.startsWith(`${name}=`));
  if (!found) throw new Error(`no ${name} cookie in ${JSON.stringify(all)}`);
  return found.split(';')[0] as string;
}

export function csrfOf(html: string): string {
  const match = /name="_csrf" value="([^"]+)"/.exec(html);
  if (!match?.[1]) throw new Error('no CSRF field on the page');
  return match[1];
}

/** Opens a page as a visitor and returns what its form needs (pre-session CSRF cookie and token). */
export async function openForm(site: TestSite, url: string) {
  const page = await site.app.server.inject({ method: 'GET', url });
  return { page, cookie: cookieValue(page.headers['set-cookie'], 'kiosque_csrf'), csrf: csrfOf(page.body) };
}

export const post = (site: TestSite, url: string, form: Record<string, string>, cookie: string) =>
  site.app.server.inject({
    method: 'POST',
    url,
    headers: { ...formHeaders, cookie },
    payload: new URLSearchParams(form).toString(),
  });

/** Creates the owner through the one-time setup link, as a new install does. */
export async function setupOwner(
  site: TestSite,
  email = 'owner@example.org',
  password = 'owner password 123',
): Promise<StaffAgent> {
  const token = await site.app.staff.createOwnerSetupLink();
  const form = await openForm(site, `/admin/setup?token=${token}`);
  const response = await post(
    site,
    '/admin/setup',
    { _csrf: form.csrf, token, name: 'Olivia Owner', email, password },
    form.cookie,
  );
  if (response.statusCode !== 303)
    throw new Error(`setup failed: ${response.statusCode} ${response.body.slice(0, 300)}`);
  return signedIn(site, cookieValue(response.headers['set-cookie'], 'kiosque_staff'), email, 'owner');
}

/** Every admin page of a signed-in member, even a 403, carries the session's CSRF token (sign-out forms). */
async function signedIn(site: TestSite, cookie: string, email: string, role: Role): Promise<StaffAgent> {
  const page = await site.app.server.inject({ method: 'GET', url: '/admin/staff', headers: { cookie } });
  return { cookie, csrf: csrfOf(page.body), email, role };
}

/** Invites a member with `role` through the service and accepts the invitation in the web UI. */
export async function addMember(
  site: TestSite,
  role: Role,
  email: string,
  password = 'member password 123',
  /** Members of the same name sign with the same byline: give distinct names to tell them apart. */
  name = `Member ${role}`,
  /** The language of the member's admin pages. */
  language = 'fr',
): Promise<StaffAgent> {
  const { token } = await site.app.staff.invite(null, { email, name, role, language });
  const form = await openForm(site, `/admin/invitation?token=${token}`);
  const response = await post(site, '/admin/invitation', { _csrf: form.csrf, token, password }, form.cookie);
  if (response.statusCode !== 303)
    throw new Error(`invitation failed: ${response.statusCode} ${response.body.slice(0, 300)}`);
  return signedIn(site, cookieValue(response.headers['set-cookie'], 'kiosque_staff'), email, role);
}

export { cookieValue };

/** A multipart body with `files` in the field `field`, and the CSRF token, as a browser's upload form sends it. */
export function multipartForm(csrf: string, files: { name: string; type: string; bytes: Buffer }[], field = 'files') {
  const boundary = '----kiosque-upload-test';
  const parts: Buffer[] = [
    Buffer.from(`--${boundary}\r\ncontent-disposition: form-data; name="_csrf"\r\n\r\n${csrf}\r\n`),
  ];
  for (const file of files) {
    parts.push(
      Buffer.from(
        `--${boundary}\r\ncontent-disposition: form-data; name="${field}"; filename="${file.name}"\r\ncontent-type: ${file.type}\r\n\r\n`,
      ),
      file.bytes,
      Buffer.from('\r\n'),
    );
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(parts), contentType: `multipart/form-data; boundary=${boundary}` };
}

/** Form fields as the admin's forms send them (a repeated name carries several values). */
export type FormFields = Record<string, string | string[]>;

/**
 * The editor form's fields for a stored story, as the browser sends them back, with some changed.
 * Tags travel by name, so their names are read from the site's database.
 */
export async function editorFormOf(
  site: TestSite,
  record: ArticleRecord,
  changes: FormFields = {},
): Promise<FormFields> {
  const tags =
    record.tagIds.length === 0
      ? []
      : await site.app.database.db.selectFrom('tags').select(['id', 'name']).where('id', 'in', record.tagIds).execute();
  const fields: FormFields = {
    language: record.language,
    headline: record.headline,
    standfirst: record.standfirst,
    slug: record.slug,
    bodyMarkdown: record.bodyMarkdown,
    access: record.access,
    sectionId: record.sectionId ?? '',
    tags: record.tagIds.map((tagId) => tags.find((tag) => tag.id === tagId)?.name ?? '').join(', '),
    authorIds: record.authorIds,
    sourceName: record.source?.name ?? '',
    sourceUrl: record.source?.url ?? '',
    seoTitle: record.seoTitle ?? '',
    seoDescription: record.seoDescription ?? '',
    embargoUntil: record.embargoUntil ? dateToZonedTime(record.embargoUntil, site.config.timeZone) : '',
    dateline: record.dateline,
    licenceNote: record.licenceNote,
    genre: record.genre,
  };
  if (record.hero) {
    for (const part of ['imageId', 'alt', 'caption', 'credit'] as const) fields[`hero.${part}`] = record.hero[part];
  }
  record.gallery.forEach((use, index) => {
    for (const part of ['imageId', 'alt', 'caption', 'credit'] as const) fields[`gallery.${index}.${part}`] = use[part];
  });
  return { ...fields, ...changes };
}

/**
 * What a signed-in staff member's browser does: pages, JSON to the editor's endpoints, forms (with
 * the CSRF token) to the rest. Takes the site, or a function returning it where the site is started
 * after the client is made (in `beforeAll`).
 */
export function staffClient(site: TestSite | (() => TestSite)) {
  const inject_ = (options: InjectOptions) => (typeof site === 'function' ? site() : site).app.server.inject(options);
  return {
    get: (url: string, agent?: StaffAgent) =>
      inject_({ method: 'GET', url, headers: agent ? { cookie: agent.cookie } : {} }),
    api: (agent: StaffAgent, method: 'POST' | 'PUT', url: string, payload: unknown) =>
      inject_({
        method,
        url,
        headers: { cookie: agent.cookie, 'x-csrf-token': agent.csrf, 'content-type': 'application/json' },
        payload: JSON.stringify(payload),
      }),
    form(agent: StaffAgent, url: string, fields: FormFields) {
      const body = new URLSearchParams();
      body.append('_csrf', agent.csrf);
      for (const [name, value] of Object.entries(fields)) for (const v of [value].flat()) body.append(name, v);
      return inject_({
        method: 'POST',
        url,
        headers: { ...formHeaders, cookie: agent.cookie },
        payload: body.toString(),
      });
    },
  };
}

/** The author profile a staff member signs with. */
export async function authorIdOf(site: TestSite, agent: StaffAgent): Promise<string> {
  const row = await site.app.database.db
    .selectFrom('staff_users')
    .select('author_id')
    .where('email', '=', agent.email)
    .executeTakeFirstOrThrow();
  return row.author_id as string;
}
