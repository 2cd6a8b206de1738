/** Database id helpers. */

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const NIL_UUID = '00000000-0000-0000-0000-000000000000';

/**
 * A uuid column rejects malformed text with a database error; a malformed id must read as
 * "no such row" instead, exactly like an unknown one.
 */
export function asUuid(id: string): string {
  return UUID.test(id) ? id : NIL_UUID;
}
