import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * Whether a secret someone sent equals the one expected, in time that does not depend on where
 * they differ nor on the length of either: both are hashed to 32 bytes first, so the comparison
 * never stops early on a length mismatch. Missing or empty values never match (an empty stored
 * token must not accept an empty submitted one). The one comparison of secrets in the codebase
 * (CSRF tokens, webhook bearer secrets, signatures): see decision 0014.
 */
export function sameSecret(
  given: string | Buffer | undefined | null,
  expected: string | Buffer | undefined | null,
): boolean {
  if (given === undefined || given === null || expected === undefined || expected === null) return false;
  if (given.length === 0 || expected.length === 0) return false;
  const digest = (value: string | Buffer) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(given), digest(expected));
}
