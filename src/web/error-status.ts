import type { FastifyRequest } from 'fastify';
import { ZodError } from 'zod';
import { type ErrorCode, isKiosqueError } from '../domain/errors.js';
import { failedReadingBody } from './request-guard.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * How this route names a request it could not read — one that is not its own refusal (a
     * body over its limit, unparseable bytes, Fastify's validation): by default `FORM_TOO_LARGE`
     * and `FORM_INVALID`. A webhook whose caller reads codes names them in its own terms.
     */
    unreadable?: { tooLarge: ErrorCode; invalid: ErrorCode };
  }
}

/** The one place where an error code becomes an HTTP status. */
export const errorStatus: Record<ErrorCode, number> = {
  ARTICLE_NOT_FOUND: 404,
  AUTHOR_NOT_FOUND: 404,
  SECTION_NOT_FOUND: 404,
  TAG_NOT_FOUND: 404,
  PAGE_NOT_FOUND: 404,
  LANGUAGE_NOT_SUPPORTED: 404,
  MEDIA_NOT_FOUND: 404,
  MEDIA_FILE_MISSING: 400,
  MEDIA_TYPE_UNSUPPORTED: 415,
  MEDIA_TOO_LARGE: 413,
  MEDIA_DIMENSIONS_TOO_LARGE: 422,
  MEDIA_SHAPE_UNSUPPORTED: 422,
  ARTICLE_SLUG_TAKEN: 409,
  ARTICLE_SLUG_INVALID: 400,
  ARTICLE_INVALID: 400,
  ARTICLE_REVISION_CONFLICT: 409,
  ARTICLE_SCHEDULE_IN_PAST: 400,
  ARTICLE_ALT_TEXT_MISSING: 400,
  ARTICLE_REVISION_NOT_FOUND: 404,
  ARTICLE_NOT_PUBLISHABLE: 422,
  TRANSLATION_LANGUAGE_TAKEN: 409,
  TRANSLATION_LINK_INVALID: 400,
  TRANSLATION_PROVIDER_KEY_REFUSED: 502,
  TRANSLATION_PROVIDER_QUOTA: 503,
  TRANSLATION_PROVIDER_BUSY: 503,
  TRANSLATION_PROVIDER_FAILED: 502,
  TRANSLATION_NOT_MACHINE_MADE: 409,
  ARTICLE_NOTHING_PENDING: 409,
  TAXON_CREATE_DENIED: 403,
  TAXONOMY_SLUG_TAKEN: 409,
  TAXONOMY_NAME_INVALID: 400,
  TAXONOMY_MERGE_REFUSED: 400,
  TAXONOMY_DESCRIPTION_TOO_LONG: 400,
  AUTHOR_LINK_INVALID: 400,
  AUTHOR_PROFILE_INVALID: 400,
  NEWSLETTER_EMAIL_INVALID: 400,
  NEWSLETTER_LINK_INVALID: 400,
  NEWSLETTER_LIST_NOT_FOUND: 404,
  NEWSLETTER_LIST_INVALID: 400,
  NEWSLETTER_STORY_NOT_PUBLISHED: 409,
  NEWSLETTER_LANGUAGE_MISMATCH: 400,
  NEWSLETTER_ALREADY_SENT: 409,
  NEWSLETTER_SUBSCRIBER_NOT_FOUND: 404,
  WEBHOOK_UNAUTHORIZED: 401,
  FORM_INVALID: 400,
  FORM_TOO_LARGE: 400,
  REQUEST_FORBIDDEN: 403,
  REQUEST_MALFORMED: 400,
  REQUEST_TOO_LONG: 414,
  STAFF_INPUT_INVALID: 400,
  STAFF_PASSWORD_WEAK: 400,
  STAFF_EMAIL_TAKEN: 409,
  STAFF_NOT_FOUND: 404,
  STAFF_OWNER_PROTECTED: 403,
  SETUP_ALREADY_DONE: 409,
  SETUP_LINK_INVALID: 400,
  LOGIN_FAILED: 401,
  LOGIN_THROTTLED: 429,
  SIGNIN_REQUIRED: 401,
  ACCESS_DENIED: 403,
  CSRF_INVALID: 403,
  MEMBER_EMAIL_INVALID: 400,
  MEMBER_LINK_INVALID: 400,
  MEMBER_SIGNIN_REQUIRED: 401,
  MEMBER_NOT_FOUND: 404,
  MEMBER_INPUT_INVALID: 400,
  SUBSCRIPTIONS_CLOSED: 409,
  SUBSCRIPTION_ALREADY_ACTIVE: 409,
  SUBSCRIPTION_NOT_FOUND: 404,
  BILLING_SIGNATURE_INVALID: 400,
  BILLING_PROVIDER_FAILED: 502,
  BILLING_EVENT_INVALID: 400,
  BILLING_EVENT_TOO_LARGE: 413,
  STAFF_RESET_LINK_INVALID: 400,
  MAIL_RATE_LIMITED: 429,
  MEMBER_EMAIL_NOT_SENT: 503,
  WIRE_SOURCE_NOT_FOUND: 404,
  WIRE_SOURCE_INVALID: 400,
  WIRE_ITEM_NOT_FOUND: 404,
  WIRE_ITEM_USED: 409,
  WIRE_LANGUAGE_UNSUPPORTED: 400,
  WIRE_FILE_MISSING: 400,
  WIRE_PASTED_URL_INVALID: 400,
  WIRE_POLL_FAILED: 502,
  WIRE_TRANSLATION_UNAVAILABLE: 409,
  WIRE_DOCUMENT_INVALID: 422,
  WIRE_FORMAT_UNKNOWN: 415,
  WIRE_DOCUMENT_TOO_LARGE: 413,
  WIRE_FETCH_REFUSED: 422,
  WIRE_FETCH_TOO_LARGE: 422,
  WIRE_FETCH_TIMEOUT: 504,
  WIRE_FETCH_TOO_MANY_REDIRECTS: 502,
  WIRE_FETCH_FAILED: 502,
  INTEGRATION_NOT_FOUND: 404,
  INTEGRATION_INVALID: 400,
  ADMIN_API_TOKEN_MISSING: 401,
  ADMIN_API_TOKEN_INVALID: 401,
  ADMIN_API_SCOPE_MISSING: 403,
  ADMIN_API_INVALID: 400,
  ADMIN_API_REVISION_REQUIRED: 428,
  ADMIN_API_STORY_NOT_FOUND: 404,
  ADMIN_API_TOO_LARGE: 413,
  HOOK_INVALID: 400,
  HOOK_NOT_FOUND: 404,
  HOOK_TARGET_REFUSED: 422,
  HOOK_TARGET_UNREACHABLE: 502,
  HOOK_TARGET_TIMEOUT: 504,
  HOOK_TARGET_REJECTED: 502,
  EXPORT_FOLDER_NOT_EMPTY: 409,
  IMPORT_KIOSQUE_MANIFEST_INVALID: 400,
  IMPORT_KIOSQUE_FORMAT_NEWER: 422,
  IMPORT_KIOSQUE_SCHEMA_NEWER: 422,
  IMPORT_KIOSQUE_DAMAGED: 422,
  IMPORT_KIOSQUE_TARGET_NOT_EMPTY: 409,
  IMPORT_KIOSQUE_ROWS_REFUSED: 422,
  CONTENT_API_KEY_MISSING: 403,
  CONTENT_API_KEY_UNKNOWN: 401,
  CONTENT_API_FILTER_INVALID: 400,
  CONTENT_API_QUERY_INVALID: 422,
  IMPORT_FILE_MISSING: 400,
  IMPORT_FILE_TOO_LARGE: 413,
  IMPORT_NOT_FOUND: 404,
  WXR_FILE_INVALID: 422,
  WXR_NOT_WORDPRESS: 415,
  GHOST_IMPORT_INVALID: 422,
  GHOST_IMPORT_TOO_LARGE: 413,
  INTERNAL: 500,
};

/** Fastify's (and its plugins') own request errors, by their permanent code. */
const fastifyCodes: Record<string, ErrorCode> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'FORM_TOO_LARGE',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'FORM_INVALID',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'FORM_INVALID',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'FORM_INVALID',
  FST_ERR_CTP_INVALID_JSON_BODY: 'FORM_INVALID',
  FST_ERR_BAD_URL: 'REQUEST_MALFORMED',
  FST_ERR_VALIDATION: 'FORM_INVALID',
  FST_PARTS_LIMIT: 'FORM_TOO_LARGE',
  FST_FILES_LIMIT: 'FORM_TOO_LARGE',
  FST_FIELDS_LIMIT: 'FORM_TOO_LARGE',
  FST_PROTO_VIOLATION: 'FORM_INVALID',
  FST_INVALID_MULTIPART_CONTENT_TYPE: 'FORM_INVALID',
};

/**
 * The one mapping from anything thrown to what the client is told: a catalog code and its
 * status. Every error handler (reader pages, admin pages and JSON API, webhooks) calls it, so a
 * given error answers the same everywhere (issue 11: four copies answered 400 or 500 for the
 * same cause). Only a genuine fault of ours is a 5xx: malformed input of any kind is a 4xx.
 */
export function errorOf(error: unknown, request?: FastifyRequest): { code: ErrorCode; status: number } {
  let code = codeOf(error);
  if (code === 'INTERNAL' && request && failedReadingBody(request)) code = 'FORM_INVALID';
  const unreadable = request?.routeOptions?.config?.unreadable;
  if (unreadable && !isKiosqueError(error) && errorStatus[code] >= 400 && errorStatus[code] < 500) {
    code = code === 'FORM_TOO_LARGE' ? unreadable.tooLarge : unreadable.invalid;
  }
  return { code, status: errorStatus[code] };
}

function codeOf(error: unknown): ErrorCode {
  if (isKiosqueError(error)) return error.code;
  if (error instanceof ZodError) return 'FORM_INVALID';
  // decodeURIComponent and friends: text that is not valid percent-encoded UTF-8.
  if (error instanceof URIError) return 'REQUEST_MALFORMED';
  if (typeof error !== 'object' || error === null) return 'INTERNAL';
  const { code, statusCode } = error as { code?: unknown; statusCode?: unknown };
  if (typeof code === 'string' && code in fastifyCodes) return fastifyCodes[code] as ErrorCode;
  if (typeof statusCode !== 'number' || statusCode < 400 || statusCode >= 500) return 'INTERNAL';
  if (statusCode === 404) return 'PAGE_NOT_FOUND';
  if (statusCode === 413) return 'FORM_TOO_LARGE';
  if (statusCode === 414 || statusCode === 431) return 'REQUEST_TOO_LONG';
  return 'FORM_INVALID';
}
