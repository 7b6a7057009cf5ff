import { describe, expect, it } from 'vitest';
import { KiosqueError } from '../errors.js';
import { createNewsletterService, normalizeEmail, type SignupRecord } from './newsletter-service.js';

describe('normalizeEmail', () => {
  it('trims and lower-cases plausible addresses', () => {
    expect(normalizeEmail('  Claire.Morel+news@Example.ORG ')).toBe('claire.morel+news@example.org');
  });

  it.each([
    '',
    'claire',
    'claire@',
    '@example.org',
    'a b@example.org',
    'claire@example',
    'a@b@example.org',
    `${'a'.repeat(250)}@example.org`,
    'x@-example.org',
    '<script>@example.org',
    'claire\u0000@example.org',
    'claire\u0007@example.org',
  ])('refuses %j', (raw) => {
    expect(normalizeEmail(raw)).toBeNull();
  });
});

describe('newsletter signup', () => {
  const clock = { now: () => new Date('2026-11-27T10:00:00Z') };
  let n = 0;
  const ids = (prefix: string) => `${prefix}_${++n}`;

  it('stores a normalized address with the page’s language and time', async () => {
    const stored: SignupRecord[] = [];
    const service = createNewsletterService({
      signups: { insertIfAbsent: async (r) => (stored.push(r), true) },
      clock,
      ids,
    });
    await service.signup({ email: ' Ana@Example.org', language: 'fr', sourcePath: '/fr/x' });
    expect(stored).toEqual([
      expect.objectContaining({
        email: 'ana@example.org',
        language: 'fr',
        status: 'pending',
        sourcePath: '/fr/x',
        createdAt: clock.now(),
      }),
    ]);
  });

  it('refuses an invalid address with the catalog code and stores nothing', async () => {
    const stored: SignupRecord[] = [];
    const service = createNewsletterService({
      signups: { insertIfAbsent: async (r) => (stored.push(r), true) },
      clock,
      ids,
    });
    await expect(service.signup({ email: 'nope', language: 'fr', sourcePath: '/' })).rejects.toMatchObject({
      code: 'NEWSLETTER_EMAIL_INVALID',
    });
    await expect(service.signup({ email: 'nope', language: 'fr', sourcePath: '/' })).rejects.toBeInstanceOf(
      KiosqueError,
    );
    expect(stored).toEqual([]);
  });
});
