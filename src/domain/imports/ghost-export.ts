import { z } from 'zod';
import { KiosqueError } from '../errors.js';

/** A Ghost export larger than this is refused before it is parsed (the biggest sites are a few MB). */
export const ghostExportMaxBytes = 100 * 1024 * 1024;

// Ghost 1.x+ writes ISO strings; 0.x wrote milliseconds. Both become a Date (null when absent).
const when = z
  .union([z.string(), z.number(), z.null()])
  .optional()
  .transform((value, ctx) => {
    if (value === null || value === undefined || value === '') return null;
    const date = new Date(value);
    if (Number.isNaN(date.getTime())) {
      ctx.addIssue({ code: 'custom', message: 'not a date' });
      return z.NEVER;
    }
    return date;
  });
const text = z
  .string()
  .nullable()
  .optional()
  .transform((value) => value ?? '');
const id = z.union([z.string().min(1), z.number()]).transform(String);
const rows = <T extends z.ZodType>(row: T) => z.array(row).max(1_000_000).optional().default([]);

const post = z.object({
  id,
  title: text,
  slug: z.string().min(1).max(500),
  html: z.string().nullable().optional(),
  lexical: z.string().nullable().optional(),
  mobiledoc: z.string().nullable().optional(),
  markdown: z.string().nullable().optional(),
  /** Ghost 1.x–2.x said `page: true`; 3.x+ says `type: 'page'`. */
  type: z.string().optional(),
  page: z.union([z.boolean(), z.number()]).optional(),
  status: z.string(),
  visibility: z.string().optional().default('public'),
  feature_image: z.string().nullable().optional(),
  custom_excerpt: text,
  created_at: when,
  published_at: when,
  updated_at: when,
  /** Older exports kept the post's author on the post itself. */
  author_id: id.optional(),
});

const postMeta = z.object({
  post_id: id,
  feature_image_alt: text,
  feature_image_caption: text,
  meta_title: text,
  meta_description: text,
});

const tag = z.object({
  id,
  name: z.string(),
  slug: z.string().min(1).max(500),
  visibility: z.string().optional().default('public'),
});

const user = z.object({ id, name: z.string(), slug: z.string().min(1).max(500), bio: text });

const member = z.object({
  id,
  email: z.string().max(500),
  name: text,
  note: text,
  status: z.string().optional().default('free'),
  created_at: when,
});

const label = z.object({ id, name: z.string(), slug: text });
const newsletter = z.object({
  id,
  name: z.string(),
  slug: text,
  status: z.string().optional().default('active'),
});
const link = <A extends string, B extends string>(a: A, b: B) =>
  z.object({ [a]: id, [b]: id, sort_order: z.number().optional().default(0) } as {
    [K in A | B]: typeof id;
  } & { sort_order: z.ZodDefault<z.ZodOptional<z.ZodNumber>> });

const data = z.object({
  posts: rows(post),
  posts_meta: rows(postMeta),
  tags: rows(tag),
  posts_tags: rows(link('post_id', 'tag_id')),
  users: rows(user),
  posts_authors: rows(link('post_id', 'author_id')),
  members: rows(member),
  labels: rows(label),
  members_labels: rows(link('member_id', 'label_id')),
  newsletters: rows(newsletter),
  members_newsletters: rows(link('member_id', 'newsletter_id')),
  settings: rows(z.object({ key: z.string(), value: z.unknown() })),
});

const database = z.object({
  meta: z.object({ exported_on: when, version: z.string() }).partial().optional().default({}),
  data,
});

/** Ghost 1.x+ wraps the database in `db: [ … ]`; very old exports are the database itself. */
const exportFile = z.union([z.object({ db: z.array(database).min(1) }), database.transform((db) => ({ db: [db] }))]);

export type GhostDatabase = z.output<typeof database>;
export type GhostPost = z.output<typeof post>;
export type GhostData = GhostDatabase['data'];

/** A checked Ghost export: its data, its version, and the site's language if it says one. */
export interface GhostDocument {
  version: string;
  exportedOn: Date | null;
  /** Ghost's `locale` (5.x) or `lang` (older) setting, as written; null when the export has none. */
  locale: string | null;
  data: GhostData;
}

/**
 * Reads a Ghost JSON export (the file Ghost's Labs → Export gives). A file that is too large, not
 * JSON or not shaped like an export is refused as a whole — `GHOST_IMPORT_TOO_LARGE`,
 * `GHOST_IMPORT_INVALID` — before anything is stored.
 */
export function parseGhostExport(bytes: Uint8Array): GhostDocument {
  if (bytes.byteLength > ghostExportMaxBytes) {
    throw new KiosqueError('GHOST_IMPORT_TOO_LARGE', { limit: `${ghostExportMaxBytes / 1024 / 1024} MB` });
  }
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    throw new KiosqueError('GHOST_IMPORT_INVALID', { detail: 'not JSON' });
  }
  const parsed = exportFile.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue ? issue.path.join('.') : '';
    throw new KiosqueError('GHOST_IMPORT_INVALID', { detail: where || 'not a Ghost export' });
  }
  const [first] = parsed.data.db;
  if (!first) throw new KiosqueError('GHOST_IMPORT_INVALID', { detail: 'db' });
  const setting = (key: string) => first.data.settings.find((s) => s.key === key)?.value;
  const locale = [setting('locale'), setting('lang')].find((v): v is string => typeof v === 'string' && v !== '');
  return {
    version: first.meta.version ?? '',
    exportedOn: first.meta.exported_on ?? null,
    locale: locale ?? null,
    data: first.data,
  };
}
