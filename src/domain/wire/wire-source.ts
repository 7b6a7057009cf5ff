import { z } from 'zod';
import { isAllowedUrl } from '../articles/markdown.js';

/** Where wire copy comes from: a polled feed, the watched folder, files uploaded, URLs pasted. */
export const wireSourceKinds = ['feed', 'folder', 'upload', 'url'] as const;
export type WireSourceKind = (typeof wireSourceKinds)[number];

/** The last thing that went wrong with a source, kept until the next success. */
export interface WireSourceError {
  /** A code of the error catalog; the admin shows `error.<code>` in the staff member's language. */
  code: string;
  values: Record<string, string | number>;
  at: Date;
}

export interface WireSource {
  id: string;
  /** Empty for the built-in sources (uploads, pasted links, the folder): the admin names them. */
  name: string;
  kind: WireSourceKind;
  feedUrl: string | null;
  /** The language of its items when they do not say. */
  language: string | null;
  /** The credit readers see on a story made from its copy ("AFP", "Reuters"). */
  creditName: string;
  /** The licence or usage terms its copy comes with. */
  licenceNote: string;
  pollMinutes: number;
  enabled: boolean;
  etag: string | null;
  lastModified: string | null;
  nextPollAt: Date | null;
  /** The poll job that owns the source; any other poll job for it stops. */
  pollKey: string | null;
  consecutiveErrors: number;
  lastError: WireSourceError | null;
  lastSuccessAt: Date | null;
  createdAt: Date;
}

/** The built-in sources, one per kind, made when first needed. */
export const builtInSourceIds = { folder: 'src_wire_folder', upload: 'src_wire_upload', url: 'src_wire_url' } as const;

const httpUrl = z
  .string()
  .trim()
  .min(1)
  .max(2000)
  .refine((url) => /^https?:\/\//i.test(url) && isAllowedUrl(url, ['http', 'https']), 'an absolute http(s) URL');

/** A feed source as the admin's form sends it. */
export const feedSourceSchema = z.object({
  name: z.string().trim().min(1).max(200),
  feedUrl: httpUrl,
  language: z
    .string()
    .trim()
    .toLowerCase()
    .max(20)
    .refine((tag) => tag === '' || /^[a-z]{2,3}(-[a-z0-9]{2,8})*$/.test(tag), 'a BCP 47 tag')
    .default(''),
  creditName: z.string().trim().min(1).max(300),
  licenceNote: z.string().trim().max(2000).default(''),
  pollMinutes: z.coerce.number().int().min(1).max(1440).default(15),
  enabled: z.boolean().default(true),
});
export type FeedSourceInput = z.input<typeof feedSourceSchema>;

/** The longest wait between two polls of a failing source. */
export const maxBackoffMs = 3_600_000;

/**
 * How long to wait after the `consecutiveErrors`-th failure in a row: one minute, doubled each
 * time, capped at an hour — never shorter than the source's own interval would be pointless, so a
 * source polled hourly stays hourly.
 */
export function backoffMs(consecutiveErrors: number, pollMinutes: number): number {
  const doubled = 60_000 * 2 ** Math.max(0, Math.min(consecutiveErrors - 1, 20));
  return Math.min(Math.max(doubled, Math.min(pollMinutes * 60_000, maxBackoffMs)), maxBackoffMs);
}

/** A new source's poll state: never polled, nothing went wrong. */
export function freshPollState(now: Date) {
  return {
    etag: null,
    lastModified: null,
    nextPollAt: null,
    pollKey: null,
    consecutiveErrors: 0,
    lastError: null,
    lastSuccessAt: null,
    createdAt: now,
  };
}
