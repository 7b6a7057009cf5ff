/**
 * The catalog of permanent error codes. Each entry says what happened and what to do next, in
 * English for logs and developers; readers see the translation under `error.<CODE>` in the
 * message catalogs. `docs/errors.md` lists the same codes (a test keeps them in sync).
 */
export const errorCatalog = {
  ARTICLE_NOT_FOUND: 'No published article has this address. Check the link or search the site.',
  AUTHOR_NOT_FOUND: 'No author has this address. Check the link or browse the home page.',
  SECTION_NOT_FOUND: 'No section has this address. Check the link or browse the home page.',
  TAG_NOT_FOUND: 'No tag has this address. Check the link or browse the home page.',
  PAGE_NOT_FOUND: 'Nothing is published at this address. Check the link or go to the home page.',
  LANGUAGE_NOT_SUPPORTED: 'This site is not published in that language. Pick one of the site languages.',
  ARTICLE_SLUG_TAKEN: 'Another article in this language already uses this slug. Choose another slug.',
  ARTICLE_SLUG_INVALID:
    'A slug uses lowercase letters a-z, digits and single hyphens, and is not a reserved word. Change the slug.',
  ARTICLE_INVALID: 'The article is incomplete or malformed. Fix the fields listed and save again.',
  ARTICLE_REVISION_CONFLICT:
    'Someone saved this article after you opened it. Compare both versions, merge your changes and save again.',
  ARTICLE_SCHEDULE_IN_PAST: 'A scheduled publication time must be in the future. Pick a later time or publish now.',
  NEWSLETTER_EMAIL_INVALID: 'This is not a valid email address. Check it and try again.',
  FORM_INVALID: 'The form was malformed or incomplete. Fill it in again from the page.',
  FORM_TOO_LARGE: 'The form sent too much data. Shorten what you entered and try again.',
  REQUEST_FORBIDDEN: 'This request came from another site and was refused. Use the form on this site.',
  MEDIA_NOT_FOUND: 'No image has this address. Check the link.',
  INTERNAL: 'Something went wrong on our side. Try again in a moment; the error has been logged.',
} as const;

export type ErrorCode = keyof typeof errorCatalog;

/** The one error type the domain throws; callers branch on `code`, never on the message. */
export class KiosqueError extends Error {
  override name = 'KiosqueError';
  constructor(
    readonly code: ErrorCode,
    readonly details: Record<string, unknown> = {},
  ) {
    super(`${code}: ${errorCatalog[code]}`);
  }
}

export function isKiosqueError(error: unknown): error is KiosqueError {
  return error instanceof KiosqueError;
}
