import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createHmacSigner, loadOrCreateSecret } from './hmac-signer.js';

describe('loadOrCreateSecret', () => {
  const folders: string[] = [];
  const folder = () => {
    const made = mkdtempSync(path.join(tmpdir(), 'kiosque-secret-'));
    folders.push(made);
    return made;
  };
  afterEach(() => {
    for (const made of folders.splice(0)) rmSync(made, { recursive: true, force: true });
  });

  it('makes a secret at first start, readable by the owner only, and keeps it across starts', () => {
    const dataDir = folder();
    const first = loadOrCreateSecret(dataDir, null);
    const file = path.join(dataDir, 'secret');
    expect(first.length).toBeGreaterThanOrEqual(32);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(loadOrCreateSecret(dataDir, null)).toBe(first);
    expect(readFileSync(file, 'utf8').trim()).toBe(first);
  });

  it('tightens a secret file someone made readable by others', () => {
    const dataDir = folder();
    loadOrCreateSecret(dataDir, null);
    chmodSync(path.join(dataDir, 'secret'), 0o644);
    loadOrCreateSecret(dataDir, null);
    expect(statSync(path.join(dataDir, 'secret')).mode & 0o777).toBe(0o600);
  });

  it('uses KIOSQUE_SECRET when set, and writes no file', () => {
    const dataDir = folder();
    expect(loadOrCreateSecret(dataDir, 'k'.repeat(40))).toBe('k'.repeat(40));
    expect(() => statSync(path.join(dataDir, 'secret'))).toThrow();
  });
});

describe('createHmacSigner', () => {
  it('verifies its own signatures and nothing altered or signed with another secret', () => {
    const signer = createHmacSigner('s'.repeat(32));
    const token = signer.sign('u.sub_1.nll_1.-.0');
    expect(signer.verify(token)).toBe('u.sub_1.nll_1.-.0');
    expect(signer.verify(token.replace('sub_1', 'sub_2'))).toBeNull();
    expect(signer.verify(`${token}x`)).toBeNull();
    expect(createHmacSigner('t'.repeat(32)).verify(token)).toBeNull();
    expect(signer.verify('no-signature')).toBeNull();
  });
});
