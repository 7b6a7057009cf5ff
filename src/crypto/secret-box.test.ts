import { describe, expect, it } from 'vitest';
import { createSecretBox } from './secret-box.js';

describe('secret box', () => {
  it('opens what it sealed, and nothing sealed with another key or purpose, or altered', () => {
    const box = createSecretBox('k'.repeat(40), 'totp');
    const sealed = box.seal('JBSWY3DPEHPK3PXP');
    expect(sealed).not.toContain('JBSWY3DPEHPK3PXP');
    expect(box.open(sealed)).toBe('JBSWY3DPEHPK3PXP');
    expect(box.seal('JBSWY3DPEHPK3PXP')).not.toBe(sealed);
    expect(createSecretBox('j'.repeat(40), 'totp').open(sealed)).toBeNull();
    expect(createSecretBox('k'.repeat(40), 'other').open(sealed)).toBeNull();
    const altered = `${sealed.slice(0, -2)}${sealed.endsWith('A') ? 'B' : 'A'}${sealed.slice(-1)}`;
    expect(box.open(altered)).toBeNull();
    expect(box.open('')).toBeNull();
  });
});
