/** Time and identity come from outside so that tests can fix them. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** Makes unique, URL-safe, roughly time-ordered ids (prefix + time + randomness). */
export type IdGenerator = (prefix: string) => string;
