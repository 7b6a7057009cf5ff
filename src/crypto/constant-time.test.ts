import { describe, expect, it } from 'vitest';
import { sameSecret } from './constant-time.js';

describe('sameSecret (issue 11: one constant-time comparison)', () => {
  it('accepts the same secret, as text or bytes', () => {
    expect(sameSecret('tok_abc', 'tok_abc')).toBe(true);
    expect(sameSecret(Buffer.from('tok_abc'), Buffer.from('tok_abc'))).toBe(true);
  });

  it('refuses a different secret, a prefix, a longer one and a different case', () => {
    expect(sameSecret('tok_abd', 'tok_abc')).toBe(false);
    expect(sameSecret('tok_ab', 'tok_abc')).toBe(false);
    expect(sameSecret('tok_abcd', 'tok_abc')).toBe(false);
    expect(sameSecret('TOK_ABC', 'tok_abc')).toBe(false);
  });

  it('never matches a missing or empty secret, even against another empty one', () => {
    expect(sameSecret(undefined, 'x')).toBe(false);
    expect(sameSecret('x', undefined)).toBe(false);
    expect(sameSecret(null, null)).toBe(false);
    expect(sameSecret('', '')).toBe(false);
    expect(sameSecret(Buffer.alloc(0), Buffer.alloc(0))).toBe(false);
  });
});
