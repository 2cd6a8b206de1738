/**
 * The secrets the hub hands to people: a kind prefix and 32 random bytes (base64url). Invitation
 * codes (`inv_`), one-time sign-in codes (`sin_`), session refresh tokens (`rt_`), event
 * registration codes of invited organisations (`evc_`) and registrations' manage tokens (`evm_`). Only a
 * SHA-256 of a secret is stored, and a row is found by that hash through a unique index: comparing
 * hashes of 256 random bits leaks nothing useful through timing, and a stolen table holds no usable
 * secret.
 */
import { createHash, randomBytes } from 'node:crypto';

export type SecretKind = 'inv' | 'sin' | 'rt' | 'evc' | 'evm';

export function generateSecret(kind: SecretKind): { code: string; hash: string } {
  const code = `${kind}_${randomBytes(32).toString('base64url')}`;
  return { code, hash: hashSecret(code) };
}

export function hashSecret(code: string): string {
  return createHash('sha256').update(code.trim()).digest('hex');
}

/** Whether `code` has the shape of a secret of this kind (whitespace around it is ignored). */
export function isSecret(kind: SecretKind, code: string): boolean {
  return new RegExp(`^${kind}_[A-Za-z0-9_-]{43}$`).test(code.trim());
}
