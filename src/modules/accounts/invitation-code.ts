/**
 * Invitation codes: `inv_` and 32 random bytes (base64url). Only a SHA-256 of the code is stored,
 * and a code is found by that hash through a unique index: comparing hashes of 256 random bits
 * leaks nothing useful through timing, and a stolen table holds no usable code.
 */
import { createHash, randomBytes } from 'node:crypto';

const CODE = /^inv_[A-Za-z0-9_-]{43}$/;

export function generateInvitationCode(): { code: string; hash: string } {
  const code = `inv_${randomBytes(32).toString('base64url')}`;
  return { code, hash: hashInvitationCode(code) };
}

export function hashInvitationCode(code: string): string {
  return createHash('sha256').update(code).digest('hex');
}

/** Whether `code` has the shape of a code the hub hands out (whitespace around it is ignored). */
export function isInvitationCode(code: string): boolean {
  return CODE.test(code.trim());
}
