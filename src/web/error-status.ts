import type { ErrorCode } from '../domain/errors.js';

/** The one place where an error code becomes an HTTP status. */
export const errorStatus: Record<ErrorCode, number> = {
  ARTICLE_NOT_FOUND: 404,
  AUTHOR_NOT_FOUND: 404,
  SECTION_NOT_FOUND: 404,
  TAG_NOT_FOUND: 404,
  PAGE_NOT_FOUND: 404,
  LANGUAGE_NOT_SUPPORTED: 404,
  MEDIA_NOT_FOUND: 404,
  ARTICLE_SLUG_TAKEN: 409,
  ARTICLE_SLUG_INVALID: 400,
  ARTICLE_INVALID: 400,
  NEWSLETTER_EMAIL_INVALID: 400,
  FORM_INVALID: 400,
  FORM_TOO_LARGE: 400,
  REQUEST_FORBIDDEN: 403,
  INTERNAL: 500,
};
