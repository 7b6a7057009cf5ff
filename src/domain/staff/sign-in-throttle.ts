/**
 * Sign-in throttling with exponential backoff instead of a lock (decision 0023). Pure: the
 * failures are given, the time is given, the answer is how long to wait.
 *
 * Each failure counts 1 when it happens and half as much every `halfLifeMs` after, so the delay
 * decays by itself. Past `freeFailures`, the delay after the latest failure doubles with each
 * further failure, up to `capMs`. A refused attempt (made during the delay) is not a failure: it
 * neither checks the password nor lengthens anyone's wait.
 */
export interface ThrottlePolicy {
  freeFailures: number;
  baseDelayMs: number;
  capMs: number;
  halfLifeMs: number;
}

/**
 * Per account (the address typed, whether or not it exists): a short cap, so that whoever guesses
 * from elsewhere can delay the owner by a minute at most, never lock them out.
 */
export const accountThrottle: ThrottlePolicy = {
  freeFailures: 5,
  baseDelayMs: 1_000,
  capMs: 60_000,
  halfLifeMs: 3_600_000,
};

/**
 * Per client (IPv4 address, IPv6 /64): more free failures (a newsroom shares one address behind its
 * router), and a long cap: the client that guesses is the one that waits.
 */
export const clientThrottle: ThrottlePolicy = {
  freeFailures: 10,
  baseDelayMs: 1_000,
  capMs: 15 * 60_000,
  // Slow to forget, so that a client guessing as fast as it is let reaches the cap and stays there.
  halfLifeMs: 6 * 3_600_000,
};

/** Failures older than this weigh 1/256 at most and are forgotten; at most this many are read. */
export const throttleMemoryMs = 48 * 3_600_000;
export const throttleMaxRemembered = 64;

/** How long, in milliseconds, before an attempt under this policy is checked; 0 when it may be now. */
export function throttleWaitMs(failures: readonly Date[], now: Date, policy: ThrottlePolicy): number {
  const at = now.getTime();
  let score = 0;
  let latest = Number.NEGATIVE_INFINITY;
  for (const failure of failures) {
    const time = Math.min(failure.getTime(), at);
    score += 0.5 ** ((at - time) / policy.halfLifeMs);
    latest = Math.max(latest, time);
  }
  // Rounded, so a burst keeps its count for a while rather than losing one the next millisecond.
  const count = Math.round(score);
  if (count < policy.freeFailures) return 0;
  const delay = Math.min(policy.capMs, policy.baseDelayMs * 2 ** (count - policy.freeFailures));
  return Math.max(0, latest + delay - at);
}
