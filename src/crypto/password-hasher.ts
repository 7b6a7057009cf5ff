import { randomBytes } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';
import type { PasswordHasher } from '../domain/staff/staff-service.js';

/** argon2id with the OWASP-recommended minimum cost (19 MiB, 2 passes): ~20–50 ms per hash here. */
export function createArgon2Hasher(): PasswordHasher {
  // 2 is Algorithm.Argon2id (a const enum, which isolated modules cannot read).
  const options = { algorithm: 2, memoryCost: 19_456, timeCost: 2, parallelism: 1 };
  return {
    hash: (password) => hash(password, options),
    async verify(stored, password) {
      try {
        return await verify(stored, password);
      } catch {
        return false;
      }
    },
  };
}

/** 32 random bytes, URL-safe: session cookies, CSRF tokens, one-time links. */
export function randomSecret(): string {
  return randomBytes(32).toString('base64url');
}
