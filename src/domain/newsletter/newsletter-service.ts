import type { Clock, IdGenerator } from '../clock.js';
import { KiosqueError } from '../errors.js';

export interface SignupRecord {
  id: string;
  email: string;
  language: string;
  /** `pending` until the reader confirms (double opt-in comes with the audience work). */
  status: 'pending' | 'confirmed' | 'unsubscribed';
  sourcePath: string;
  createdAt: Date;
}

/** Where signups are kept; inserting an address that is already there changes nothing. */
export interface SignupStore {
  insertIfAbsent(record: SignupRecord): Promise<boolean>;
}

// Deliberately permissive on the local part (RFC 5322 allows much), strict on shape: one @, a
// dotted domain, no spaces or control characters, within the 254-character limit of SMTP paths.
// (`\s` alone lets NUL and other controls through: PostgreSQL then refuses the row, SQLite keeps it.)
const emailPattern =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters is the point
  /^[^\s\u0000-\u001f\u007f@<>()[\]\\,;:"]+@[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+$/i;

/** Trims and lower-cases an address; returns null when it is not a plausible email address. */
export function normalizeEmail(raw: string): string | null {
  const email = raw.trim().toLowerCase();
  if (email.length > 254 || !emailPattern.test(email)) return null;
  return email;
}

export function createNewsletterService(deps: { signups: SignupStore; clock: Clock; ids: IdGenerator }) {
  return {
    /**
     * Records a signup. Signing up twice is not an error and stores nothing new; the answer is
     * the same either way, so the form never reveals whether an address is known.
     */
    async signup(input: { email: string; language: string; sourcePath: string }): Promise<void> {
      const email = normalizeEmail(input.email);
      if (email === null) throw new KiosqueError('NEWSLETTER_EMAIL_INVALID');
      await deps.signups.insertIfAbsent({
        id: deps.ids('sub'),
        email,
        language: input.language,
        status: 'pending',
        sourcePath: input.sourcePath.slice(0, 500),
        createdAt: deps.clock.now(),
      });
    },
  };
}

export type NewsletterService = ReturnType<typeof createNewsletterService>;
