/** Database id helpers. */
import { randomBytes } from 'node:crypto';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const NIL_UUID = '00000000-0000-0000-0000-000000000000';

/**
 * A uuid column rejects malformed text with a database error; a malformed id must read as
 * "no such row" instead, exactly like an unknown one.
 */
export function asUuid(id: string): string {
  return UUID.test(id) ? id : NIL_UUID;
}

/** A UUID version 7 (RFC 9562: 48-bit Unix milliseconds, then random), as Prisma's `uuid(7)`. */
export function uuidv7(now = Date.now()): string {
  const bytes = randomBytes(16);
  bytes.writeUIntBE(now, 0, 6);
  bytes[6] = (bytes[6]! & 0x0f) | 0x70;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
