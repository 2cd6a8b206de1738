/**
 * What the accounts tests share: reading an invitation code the way a person does (from the mail
 * the hub kept), and unwrapping mutation results.
 */
import { expect } from '@jest/globals';
import type { PrismaClient } from '../../src/generated/prisma/client.ts';

/** An invitation code in a mail's text. */
export const CODE = /inv_[A-Za-z0-9_-]{43}/;

/** The code of the newest mail kept for `to` (no SMTP_URL: the hub keeps mail in the database). */
export async function keptCode(prisma: PrismaClient, to: string): Promise<string> {
  const mail = await prisma.mailMessage.findFirst({
    where: { to: to.toLowerCase(), kind: 'invitation' },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
  });
  const code = mail ? CODE.exec(mail.text)?.[0] : undefined;
  if (!code) throw new Error(`no invitation mail kept for ${to}`);
  return code;
}

/** A mutation result: its data when it succeeded, else the test fails showing the error. */
export function ok<R extends { __typename: string }>(result: R): Extract<R, { data: unknown }>['data'] {
  expect(result.__typename).toMatch(/Success$/);
  return (result as unknown as { data: Extract<R, { data: unknown }>['data'] }).data;
}

/** A mutation result that must be the error `typename`; returns it narrowed. */
export function failed<R extends { __typename: string }, N extends R['__typename']>(
  result: R,
  typename: N,
): Extract<R, { __typename: N }> {
  expect(result).toMatchObject({ __typename: typename });
  return result as Extract<R, { __typename: N }>;
}
