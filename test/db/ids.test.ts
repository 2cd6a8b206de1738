/** `uuidv7`: RFC 9562 version 7 (time first, so ids sort by creation), as Prisma's `uuid(7)`. */
import { describe, expect, it } from '@jest/globals';
import { asUuid, uuidv7 } from '../../src/shared/ids.ts';

const V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('uuidv7', () => {
  it('has version 7, the RFC variant and the time in its first 48 bits', () => {
    const at = Date.UTC(2026, 11, 2, 10, 0, 0, 123);
    const id = uuidv7(at);
    expect(id).toMatch(V7);
    expect(Number.parseInt(id.replace('-', '').slice(0, 12), 16)).toBe(at);
    expect(asUuid(id)).toBe(id);
  });

  it('sorts by time, and differs within one millisecond', () => {
    const ids = [1, 2, 3, 1_000, 2 ** 40].map((ms) => uuidv7(Date.UTC(2026, 0, 1) + ms));
    expect([...ids].sort()).toEqual(ids);
    const same = new Set(Array.from({ length: 1_000 }, () => uuidv7(Date.UTC(2026, 0, 1))));
    expect(same.size).toBe(1_000);
    for (const id of same) expect(id).toMatch(V7);
  });
});
