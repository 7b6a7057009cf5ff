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
  ARTICLE_ALT_TEXT_MISSING:
    'An image of this article has no alt text, so readers who cannot see it would miss it. Write alt text for every image listed, then publish.',
  ARTICLE_REVISION_NOT_FOUND: 'This article has no revision with that number. Pick one from the list of revisions.',
  ARTICLE_NOT_PUBLISHABLE:
    'This story cannot be published as it is: the preflight checks found what readers must not get (no byline, no source credit or no link to the original on wire copy, or no text). Fix each blocking finding listed, then publish.',
  TRANSLATION_LANGUAGE_TAKEN:
    'These translations already have a story in this language, and a story has one translation per language. Unlink that story first, or link to another group.',
  TRANSLATION_LINK_INVALID:
    'There is no other story with this identifier to link to. Paste the identifier or the editor address of the story whose translations this one joins.',
  TRANSLATION_PROVIDER_KEY_REFUSED:
    'The machine translation service refused the key Kiosque sent (it is wrong, revoked or for another plan). Check KIOSQUE_DEEPL_KEY or KIOSQUE_LIBRETRANSLATE_KEY with the service, restart Kiosque, then translate again; meanwhile, write the translation by hand.',
  TRANSLATION_PROVIDER_QUOTA:
    'The machine translation service’s character allowance for this period is used up. Wait for the next period or raise the plan’s allowance with the service; meanwhile, write the translation by hand.',
  TRANSLATION_PROVIDER_BUSY:
    'The machine translation service received too many requests and asked Kiosque to slow down. Wait a minute, then translate again.',
  TRANSLATION_PROVIDER_FAILED:
    'The machine translation service did not answer, or answered something Kiosque cannot use; nothing was saved. Try again in a few minutes; if it keeps failing, check KIOSQUE_TRANSLATION_PROVIDER and the service’s URL, or write the translation by hand.',
  TRANSLATION_NOT_MACHINE_MADE:
    'This story was not machine-translated, so there is no machine text to mark as reviewed. Reload the editor: a story written by people needs no review mark.',
  CORRECTION_INVALID:
    'A correction needs its kind (correction or clarification) and a text of 1 to 2,000 characters. Fix the fields listed and add it again.',
  CORRECTION_NOT_FOUND:
    'This story has no correction with that identifier. Reload the editor and pick one from its list of corrections.',
  CORRECTION_PUBLISHED:
    'This correction is published: readers have seen it, so it is never changed or removed. To correct it, add a new correction that says what was wrong in it.',
  CORRECTION_STORY_NOT_PUBLISHED:
    'A correction is published on a story readers can see, and this one is not published. Publish the story first, or simply edit its text while it is not public.',
  CORRECTION_UNTRANSLATED:
    'This correction still holds the source story’s words: no one has translated it into this story’s language yet. Write its text in this story’s language, save it, then publish it.',
  ARTICLE_GONE:
    'The newsroom withdrew this story for good; it is no longer available. Go to the home page for the latest news.',
  ARTICLE_KILLED:
    'This story was killed: it is gone from the site for good, and a killed story is never changed, published or restored again. Its revisions stay readable for the record; to publish on the subject again, write a new story.',
  ARTICLE_NEVER_PUBLISHED:
    'This story was never published, so readers have nothing to be told it is gone. Delete it instead, or publish it first.',
  ARTICLE_NOTHING_PENDING:
    'This story has no unpublished changes: readers already see what is saved. Reload the editor to see the story as it is.',
  REVIEW_STEP_INVALID:
    'This review step does not fit where the story stands: someone answered its review first, it was never submitted, or it is published, scheduled or in the trash. Reload the editor to see the story’s review as it is now.',
  TAXON_CREATE_DENIED:
    'A section or tag named on this story does not exist yet, and your role cannot create sections and tags. Choose an existing one, or ask an editor to create it.',
  TAXONOMY_SLUG_TAKEN: 'Another section, tag or author already uses this address. Choose another name or address.',
  TAXONOMY_NAME_INVALID:
    'A name is 1 to 100 characters, and an address lowercase letters a-z, digits and single hyphens. Fix the name or the address and save again.',
  TAXONOMY_MERGE_REFUSED:
    'A section or tag can be merged only into another one of the same kind and language, never into itself. Choose another target in the list and merge again.',
  TAXONOMY_DESCRIPTION_TOO_LONG: 'A description is at most 1,000 characters. Shorten it and save again.',
  AUTHOR_LINK_INVALID:
    'A link on an author profile must be a full web address starting with https:// or http://. Fix or remove the link and save again.',
  AUTHOR_PROFILE_INVALID:
    'A job title is at most 200 characters, a bio at most 2,000, an author has at most 10 links, and the photo must be an image of the media library. Fix the profile and save again.',
  NEWSLETTER_EMAIL_INVALID: 'This is not a valid email address. Check it and try again.',
  NEWSLETTER_LINK_INVALID:
    'This newsletter link is not valid, or it has expired. Sign up again from the newsletter page to get a new one.',
  NEWSLETTER_LIST_NOT_FOUND: 'No newsletter has this identifier. Pick one from the list of newsletters.',
  NEWSLETTER_LIST_INVALID:
    'A newsletter needs a name of 1 to 80 characters that no other newsletter of its language uses, one of the site languages, and a digest time such as 07:00. Fix the fields and try again.',
  NEWSLETTER_STORY_NOT_PUBLISHED:
    'Only a published story that readers can see now can be sent to a newsletter. Publish it first, then send it.',
  NEWSLETTER_LANGUAGE_MISMATCH:
    'This story is not in the newsletter’s language. Send its translation to this newsletter, or pick a newsletter in the story’s language.',
  NEWSLETTER_ALREADY_SENT:
    'This story was already sent to this newsletter, or is waiting for its next digest. Pick another newsletter or another story.',
  NEWSLETTER_SUBSCRIBER_NOT_FOUND:
    'No subscriber has this email address. Check the spelling; the person may have signed up with another address.',
  WEBHOOK_UNAUTHORIZED:
    'This webhook request did not carry the shared secret. Send it with the header Authorization: Bearer followed by the value of KIOSQUE_MAIL_WEBHOOK_SECRET.',
  SETTINGS_INVALID: 'A setting is not valid, so nothing was saved. Fix each field marked and save again.',
  STATIC_PAGE_INVALID:
    'This page is incomplete or malformed: a title, an address of lowercase letters a-z, digits and single hyphens, and a site language are needed. Fix the field marked and save again.',
  STATIC_PAGE_SLUG_TAKEN: 'Another page in this language already uses this address. Choose another address.',
  STATIC_PAGE_LANGUAGE_TAKEN:
    'These translations already have a page in this language, and a page has one translation per language. Edit that page instead, or make this one a page of its own.',
  FORM_INVALID: 'The form was malformed or incomplete. Fill it in again from the page.',
  FORM_TOO_LARGE: 'The form sent too much data. Shorten what you entered and try again.',
  REQUEST_FORBIDDEN: 'This request came from another site and was refused. Use the form on this site.',
  REQUEST_MALFORMED:
    'This address or form holds characters that cannot be read (a null character, or text that is not valid UTF-8). Check the link or retype what you entered, then try again.',
  REQUEST_TOO_LONG:
    'This address is too long to be a page of this site. Check the link, or shorten the search, then try again.',
  MEDIA_NOT_FOUND: 'No image has this address. Check the link.',
  MEDIA_FILE_MISSING: 'The upload contained no file, or an empty one. Choose an image file and upload it again.',
  MEDIA_TYPE_UNSUPPORTED:
    'This file is not a readable JPEG, PNG, WebP, AVIF or GIF image; its content was checked, not its name, and SVG is refused because it can carry scripts. Export the picture as JPEG or PNG and upload it again.',
  MEDIA_TOO_LARGE:
    'This file is larger than the upload limit (KIOSQUE_MAX_UPLOAD_MB, 20 MB unless configured). Resize or compress the image and upload it again.',
  MEDIA_DIMENSIONS_TOO_LARGE:
    'This image has more than 100 million pixels, more than the server decodes safely. Reduce its dimensions and upload it again.',
  MEDIA_SHAPE_UNSUPPORTED:
    'This image is more than 12 times as long as it is wide (or as wide as it is tall): no page shows such a strip, and crops would have to blow it up. Crop it closer to the picture and upload it again.',
  STAFF_INPUT_INVALID: 'A staff member needs a valid email address and a name. Fix the fields and try again.',
  STAFF_PASSWORD_WEAK:
    'A password needs at least 10 characters (at most 256). Choose a longer one; a phrase of several words is easy to remember.',
  STAFF_EMAIL_TAKEN:
    'Another staff member already uses this email address. Use another address, or ask an admin to change the existing account.',
  STAFF_NOT_FOUND: 'No staff member has this identifier. Go back to the staff list and pick someone listed there.',
  STAFF_OWNER_PROTECTED:
    'The owner cannot be removed or demoted. Transfer ownership first if someone else should own the site.',
  SETUP_ALREADY_DONE: 'This site already has an owner. Sign in, or ask the owner to invite you.',
  SETUP_LINK_INVALID:
    'This link is unknown, already used or expired. Ask for a new link (restart Kiosque or run kiosque user add for the owner; ask an admin for an invitation).',
  STAFF_ROLE_REQUIRED:
    'An invitation needs a role chosen for the new member; none is chosen for them. Pick the role and send the invitation again.',
  STAFF_PASSWORD_WRONG: 'The current password is wrong, so nothing was changed. Type your current password again.',
  STAFF_INVITATION_ACCEPTED:
    'This member already accepted their invitation and chose a password, so there is nothing to resend. They can use “Forgot your password?” on the sign-in page.',
  STAFF_SESSION_NOT_FOUND:
    'None of your sessions has this identifier: it was already signed out or has expired. Reload your account page to see the current list.',
  TWO_FACTOR_CODE_INVALID:
    'This code is wrong, expired or already used. Type the code your authenticator app shows now, or one of your unused recovery codes.',
  TWO_FACTOR_STEP_EXPIRED:
    'This sign-in waited too long for its code (more than 5 minutes) or was already completed. Sign in again with your password.',
  TWO_FACTOR_ALREADY_ON:
    'Two-factor sign-in is already on for this account. To set it up with another app, turn it off first (your password is asked), then on again.',
  LOGIN_FAILED: 'The email address or the password is wrong. Check both and try again.',
  LOGIN_THROTTLED:
    'Too many failed sign-ins from this network or for this address, so this one was not checked. Wait the time shown before trying again.',
  SIGNIN_REQUIRED: 'This page is for signed-in staff. Sign in to continue.',
  ACCESS_DENIED: 'Your role does not allow this. Ask an editor or an admin to do it, or to change your role.',
  CSRF_INVALID: 'This form has expired or did not come from this site. Reload the page and submit it again.',
  MEMBER_EMAIL_INVALID: 'This is not a valid email address. Check it and try again.',
  MEMBER_LINK_INVALID:
    'This sign-in link is unknown, already used or expired (a link lasts 15 minutes). Ask for a new link on the sign-in page.',
  MEMBER_SIGNIN_REQUIRED: 'This page is for signed-in readers. Sign in with your email address to continue.',
  MEMBER_NOT_FOUND: 'No reader account has this identifier. Go back to the members list and pick someone listed there.',
  MEMBER_INPUT_INVALID: 'The form was incomplete, or its end date is already past. Check the fields and submit again.',
  SUBSCRIPTIONS_CLOSED:
    'Subscriptions are not open yet on this site. Come back later; meanwhile staff can grant access by hand.',
  SUBSCRIPTION_ALREADY_ACTIVE: 'This account already has paid access. Manage it from your account page.',
  SUBSCRIPTION_NOT_FOUND: 'This account has no subscription to manage. Subscribe from the pricing page first.',
  BILLING_SIGNATURE_INVALID:
    'The payment event is not signed with the configured webhook secret. Check that STRIPE_WEBHOOK_SECRET is the signing secret of this endpoint in Stripe.',
  BILLING_PROVIDER_FAILED:
    'The payment provider did not answer as expected. Try again in a moment; the error has been logged.',
  BILLING_EVENT_INVALID:
    'This payment event is signed but not one Kiosque can read (a field is missing, malformed or out of range). Nothing was changed; check the webhook endpoint’s API version in Stripe.',
  BILLING_EVENT_TOO_LARGE:
    'This payment event is larger than the 512 kB a webhook may send. Nothing was changed; check that the request really comes from Stripe.',
  STAFF_RESET_LINK_INVALID:
    'This password reset link is unknown, already used, replaced by a newer one or expired (a link lasts 30 minutes). Ask for a new link from the sign-in page.',
  MAIL_RATE_LIMITED:
    'Too many emails were asked for from this network, to this address or on this site in the last few minutes, so none was sent. Wait a few minutes before asking again.',
  MEMBER_EMAIL_NOT_SENT:
    'The sign-in email could not be handed to the mail server. Try again in a few minutes; the error has been logged.',
  // Issue 12, the wire desk (src/domain/wire/wire-desk.ts).
  WIRE_SOURCE_NOT_FOUND: 'No wire source has this identifier. Pick one from the list of sources under Admin → Wire.',
  WIRE_SOURCE_INVALID:
    'This wire source is incomplete or malformed (fields: {fields}). A feed needs a name, an http(s) address, a credit name readers will see, and a poll interval of 1 to 1440 minutes. Fix the fields and save again.',
  WIRE_ITEM_NOT_FOUND: 'No wire item has this identifier. Go back to the wire queue and pick an item listed there.',
  WIRE_ITEM_USED:
    'A story in this language was already made from this wire item (story {articleId}). Open that story to go on with it, or choose another language with “Translate into…”.',
  WIRE_LANGUAGE_UNSUPPORTED:
    'This wire item’s language ({language}) is not one of the site’s languages. Use “Translate into…” to make the story in one of the site’s languages.',
  WIRE_FILE_MISSING:
    'The upload contained no file, or an empty one. Choose one or more wire files (ninjs, NewsML-G2, NITF, RSS or Atom) and upload them again.',
  WIRE_PASTED_URL_INVALID:
    'This is not an http(s) address the desk can read, or the page did not answer with a document. Paste the full address of the article or feed, starting with https://, and try again.',
  WIRE_TRANSLATION_UNAVAILABLE:
    'No machine translation service is configured, so the desk cannot make this story in {language}. Use as draft in the item’s language and translate it there, or ask an admin to set KIOSQUE_TRANSLATION_PROVIDER.',
  WIRE_POLL_FAILED:
    'The last poll of this source failed ({reason}). Check the feed’s address and that its server answers; the desk tries again later, waiting longer after each failure (at most an hour).',
  // Wire desk: documents and fetching (src/ingest/).
  WIRE_DOCUMENT_INVALID:
    'This file cannot be read as wire copy: it is broken or cut short, its characters do not match its encoding, or it declares entities, which are refused for safety. Nothing was imported; ask the provider for a complete, well-formed copy, or check that the whole file was received.',
  WIRE_FORMAT_UNKNOWN:
    'This file is not in a wire format Kiosque reads (ninjs JSON, NewsML-G2, NITF, RSS or Atom); its content was checked, not its name. If it is a web page, paste its address instead; otherwise ask the provider for one of these formats.',
  WIRE_DOCUMENT_TOO_LARGE:
    'This file is larger than 20 MB or holds more than 5000 items, more than one wire document may. Split it into smaller files and import them one by one.',
  WIRE_FETCH_REFUSED:
    'Kiosque does not fetch this address: only http and https addresses of the public internet are fetched, and this one uses another scheme or leads to a private, local or reserved network, so that a link cannot reach the server’s own network. Use a public http(s) address; if this host is yours and trusted, an admin can name it in KIOSQUE_WIRE_ALLOW_HOSTS.',
  WIRE_FETCH_TOO_LARGE:
    'The answer from this address is larger than Kiosque reads from one address (20 MB after decompression), so reading stopped there. Check that the address is a feed or an article; for a large file, download it and import it instead.',
  WIRE_FETCH_TIMEOUT:
    'This address did not answer completely in time (30 seconds unless configured), so Kiosque stopped waiting. Try again later; if it keeps happening, the site is slow or down.',
  WIRE_FETCH_TOO_MANY_REDIRECTS:
    'This address redirected more than 5 times, so Kiosque stopped following it. Open it in a browser to find its final address, and use that one.',
  WIRE_FETCH_FAILED:
    'This address could not be fetched: the site answered with an error or could not be reached. Check the address, then try again later; the site may be down or refuse the request.',
  // Issue 13, integrations (src/domain/integrations/).
  INTEGRATION_NOT_FOUND:
    'No integration has this identifier, or it was revoked. Pick one from the list under Admin → Integrations, or add a new one.',
  INTEGRATION_INVALID:
    'This integration is incomplete or malformed (fields: {fields}). An integration needs a name of 1 to 100 characters, and its scopes are among stories:read, stories:write, stories:publish, media:write and members:read. Fix the fields and try again.',
  // Issue 13, the Admin API (src/web/routes/admin-api-routes.ts, decision 0047).
  ADMIN_API_TOKEN_MISSING:
    'This request carries no Admin API token, and the Admin API accepts nothing else (not a staff sign-in). Send the integration’s token in an "Authorization: Bearer kqa_…" header.',
  ADMIN_API_TOKEN_INVALID:
    'This Admin API token proves nothing: it is malformed, it was replaced, or its integration was revoked. Use the integration’s current token; an admin can issue a new one under Admin → Integrations.',
  ADMIN_API_SCOPE_MISSING:
    'This integration’s token does not have the {scope} scope this request needs. Ask an admin for an integration with that scope under Admin → Integrations.',
  ADMIN_API_INVALID:
    'The request is malformed or incomplete: the fields listed in "fields" are missing, of the wrong type or not known. Check them against /api/openapi.json and send the request again.',
  ADMIN_API_REVISION_REQUIRED:
    'A change to an existing story must say which revision of it the change is based on, so that nobody’s work is overwritten. Send the revision you read in an If-Match header or a "revision" field.',
  ADMIN_API_STORY_NOT_FOUND:
    'No story has this identifier. Check the identifier, or list the stories with GET /api/admin/v1/stories.',
  ADMIN_API_TOO_LARGE:
    'The request body is larger than the Admin API accepts on this route (4 MB for a story). Send a shorter story; images go to /api/admin/v1/images.',
  // Issue 13, outgoing webhooks (src/domain/webhooks/).
  HOOK_INVALID:
    'This webhook is incomplete or malformed (fields: {fields}). A webhook needs one of the listed events and a target address starting with http:// or https://, of at most 2,000 characters. Fix the fields and try again.',
  HOOK_NOT_FOUND:
    'No webhook or delivery has this identifier: it was deleted, or its log entry was pruned. Open the integration’s page under Admin → Integrations and pick one from its list.',
  HOOK_TARGET_REFUSED:
    'Kiosque does not send webhooks to this address: only http and https addresses of the public internet are called, and this one leads to a private, local or reserved network, so that a webhook cannot reach the server’s own network. Use a public http(s) address; if this host is yours and trusted, an admin can name it in KIOSQUE_WEBHOOK_ALLOW_HOSTS.',
  HOOK_TARGET_UNREACHABLE:
    'The webhook’s address could not be reached ({reason}). Check that the receiver is running and its address is right; Kiosque tries again on its own, with longer and longer waits, for 24 hours.',
  HOOK_TARGET_TIMEOUT:
    'The webhook’s address did not answer within {seconds} seconds, so Kiosque stopped waiting. Make the receiver answer at once (store the event and work on it afterwards); Kiosque tries again on its own for 24 hours.',
  HOOK_TARGET_REJECTED:
    'The webhook’s address answered with HTTP status {status} instead of a 2xx status. Look at the answer in the delivery log and fix the receiver; Kiosque tries again on its own for 24 hours, and “Send again” sends it once more.',
  EXPORT_FOLDER_NOT_EMPTY:
    'The export folder {folder} already holds files; an export never mixes with or overwrites them. Name a folder that does not exist yet or is empty, and export again.',
  IMPORT_KIOSQUE_MANIFEST_INVALID:
    'The folder {folder} has no readable manifest.json of a Kiosque export, or its manifest is malformed, so nothing was imported. Point the import at the folder that `kiosque export --to` wrote (or the unpacked download), whole and unchanged.',
  IMPORT_KIOSQUE_FORMAT_NEWER:
    'This export is in format version {version}, newer than the version {supported} this Kiosque reads, so nothing was imported. Upgrade Kiosque to the version that made the export (or a newer one), then import again.',
  IMPORT_KIOSQUE_SCHEMA_NEWER:
    'This export comes from a newer Kiosque: its database had {migration}, which this Kiosque does not know, so nothing was imported. Upgrade Kiosque to the version that made the export (or a newer one), then import again.',
  IMPORT_KIOSQUE_DAMAGED:
    'The export file {file} is missing or does not match the size and checksum its manifest records: it was changed or cut short after the export, so nothing was imported. Copy or download the export again, whole, and import that copy.',
  IMPORT_KIOSQUE_TARGET_NOT_EMPTY:
    'The database to import into already holds data (table {table}), and an import never mixes two sites, so nothing was imported. Create a new, empty database, point DATABASE_URL at it and import there before the first `kiosque serve`.',
  IMPORT_KIOSQUE_ROWS_REFUSED:
    'The database refused a row of the table {table} ({reason}), so the whole import was undone and nothing was imported. Check that the export is whole and comes from Kiosque, and that the database is new and empty; if it keeps failing, report the message with the export’s manifest.',
  // Issue 13, the Ghost-compatible Content API (src/web/routes/content-api-routes.ts).
  CONTENT_API_KEY_MISSING:
    'This request to the Content API carries no key, so Kiosque cannot tell which integration reads. Add the integration’s Content API key as ?key=…; an admin finds it under Admin → Integrations.',
  CONTENT_API_KEY_UNKNOWN:
    'This Content API key belongs to no active integration: it is mistyped, was replaced or was revoked. Copy the current key from Admin → Integrations, or ask an admin for a new one.',
  CONTENT_API_FILTER_INVALID:
    'The filter cannot be read at character {position} (near “{near}”). Write it in Ghost’s filter syntax (field:value, joined by + for “and” and by , for “or”) with a field this list accepts, and dates in quotes.',
  CONTENT_API_QUERY_INVALID:
    'The query parameter {parameter} has a value this list does not accept: “{value}”. Check the Content API documentation: limit is a number from 1 or all, page a number from 1, order a field followed by asc or desc, include and formats among the listed values.',
  IMPORT_FILE_MISSING:
    'No file was given, or it is empty or cannot be read. Choose the export file (for WordPress, the .xml file made by Tools → Export) and try again.',
  IMPORT_FILE_TOO_LARGE:
    'This file is larger than {limit} MB, more than one import reads. Export the site in parts (by date or by content type) and import them one by one.',
  IMPORT_NOT_FOUND: 'No import has this identifier. Go back to Admin → Import and pick an import listed there.',
  WXR_FILE_INVALID:
    'This file cannot be read as a WordPress export: it is broken or cut short, its characters do not match its encoding, or it declares entities, which are refused for safety. Nothing was imported; export it again from WordPress (Tools → Export → All content) and check that the whole file was received.',
  WXR_NOT_WORDPRESS:
    'This file is not a WordPress export (WXR 1.0 to 1.2); its content was checked, not its name. In WordPress, use Tools → Export → All content and import the file it makes.',
  GHOST_IMPORT_INVALID:
    'This file is not a Ghost JSON export Kiosque can read (at {detail}): it is not JSON, or a part Kiosque needs is missing or malformed. Nothing was imported; export the site again from Ghost (Settings → Labs → Export your content) and import the whole file.',
  GHOST_IMPORT_TOO_LARGE:
    'This Ghost export is larger than {limit}, more than Kiosque reads in one import. Nothing was imported; check that it is the JSON export (not a backup with images), or ask an admin to import it from the command line in parts.',
  FRONT_PAGE_STORY_INVALID:
    'This story cannot be pinned here: it is not a story of this language (or of this section), it is in the trash, or the top stories are full (12 at most). Pick a story from the list on this page, or remove a top story first.',
  BREAKING_BANNER_INVALID:
    'A breaking-news banner needs a text of 1 to 200 characters, an expiry time within the next seven days, and, when it links somewhere, an address on this site (starting with /) or one starting with https:// or http://. Fix the fields and save the banner again.',
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

/** The details a message may show (`{limit}` in "larger than {limit} MB"): plain strings and numbers only. */
export function messageValues(error: unknown): Record<string, string | number> {
  if (!isKiosqueError(error)) return {};
  return Object.fromEntries(
    Object.entries(error.details).filter(
      (entry): entry is [string, string | number] => typeof entry[1] === 'string' || typeof entry[1] === 'number',
    ),
  );
}
