/**
 * The accounts module's hand-written reads (issue 15). The token check runs on every
 * authenticated request: through Prisma it was two statements (the user, then its memberships)
 * and ~2 ms of the hub's CPU; here it is one. `test/accounts/accounts-sql.test.ts` compares it
 * with the same read through Prisma.
 */
import { Prisma } from '../../generated/prisma/client.ts';
import type { Role } from '../../generated/prisma/enums.ts';
import type { SqlRunner } from '../../shared/db/client.ts';
import { liveSessionSql } from './session.service.ts';

export interface ViewerRow {
  id: string;
  email: string;
  disabledAt: Date | null;
  /** Live memberships only: a disabled membership gives no access. */
  memberships: { organisationId: string; roles: Role[] }[];
  /** Whether the token's session is live; null when the token names none. */
  sessionLive: boolean | null;
}

/**
 * The account a token names, by the hub's user id (its own tokens) or by a partner provider's
 * subject, with its live memberships and whether the token's session (`sid`) is live.
 */
export async function viewerRow(
  sql: SqlRunner,
  by: { id: string } | { subject: string },
  sessionId: string | null,
  now = new Date(),
): Promise<ViewerRow | null> {
  const rows = await sql<ViewerRow>(Prisma.sql`
    select u.id, u.email, u."disabledAt",
      coalesce((select json_agg(json_build_object('organisationId', m."organisationId", 'roles', m.roles))
                from "Membership" m where m."userId" = u.id and m."disabledAt" is null), '[]'::json) as memberships,
      ${
        sessionId
          ? Prisma.sql`exists (select 1 from "Session" s where s."userId" = u.id and ${liveSessionSql(sessionId, 's', now)})`
          : Prisma.sql`null::boolean`
      } as "sessionLive"
    from "User" u
    where ${'id' in by ? Prisma.sql`u.id = ${by.id}::uuid` : Prisma.sql`u.subject = ${by.subject}`}
    limit 1`);
  return rows[0] ?? null;
}
