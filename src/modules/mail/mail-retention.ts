/**
 * Kept mail (no SMTP_URL, see mailer.ts) is what a demo or a trial reads instead of an inbox, not
 * an archive, and it holds codes in clear. `npm run retention` deletes it once it is older than
 * MAIL_KEEP_DAYS, and an invitation's mail as soon as its code can no longer be used: the
 * invitation was accepted, revoked, has expired or is gone, or a resent mail replaced the code; a
 * sign-in mail as soon as its code was used or expired (session.service.ts).
 */
import { Prisma, type PrismaClient } from '../../generated/prisma/client.ts';

export interface MailRetentionOptions {
  /** Kept mail written more than this many days before `now` is deleted. */
  days: number;
  now?: Date;
  /** Count what would be deleted, delete nothing. */
  dryRun?: boolean;
}

export interface MailRetentionResult {
  /** Kept mails deleted (or, in a dry run, that would be). */
  messages: number;
  /** Mail written before this instant went, whatever it held. */
  cutoff: Date;
}

/**
 * A resend replaces the code, so an invitation's mail written before the current code was sent
 * (`Invitation.sentAt`) holds a dead one. `sentAt` is the hub's clock and `createdAt` the
 * database's, written just after: the margin keeps a clock difference from taking the current
 * mail for an old one (a resend within it leaves the older mail to MAIL_KEEP_DAYS).
 */
const RESEND_MARGIN = Prisma.sql`interval '1 minute'`;

/** Deletes (or counts) kept mail past its time; see the file's comment for what goes. */
export async function pruneKeptMail(
  prisma: PrismaClient,
  opts: MailRetentionOptions,
): Promise<MailRetentionResult> {
  const { days, now = new Date(), dryRun = false } = opts;
  if (!Number.isInteger(days) || days < 1) throw new RangeError('days must be a positive integer');
  const cutoff = new Date(now.getTime() - days * 24 * 3600 * 1000);
  // Compared as text: an id that is not a uuid matches nothing instead of failing the statement.
  const due = Prisma.sql`
    m."createdAt" < ${cutoff}::timestamptz
    or (m.kind = 'invitation' and not exists (
      select 1 from "Invitation" i
       where i.id::text = m.related ->> 'invitationId'
         and i."acceptedAt" is null and i."revokedAt" is null
         and i."expiresAt" > ${now}::timestamptz
         and m."createdAt" >= i."sentAt" - ${RESEND_MARGIN}))
    or (m.kind = 'sign-in' and not exists (
      select 1 from "SignInCode" c
       where c.id::text = m.related ->> 'signInCodeId'
         and c."usedAt" is null and c."expiresAt" > ${now}::timestamptz))`;
  const [row] = dryRun
    ? await prisma.$queryRaw<{ n: number }[]>`
        select count(*)::int as n from "MailMessage" m where ${due}`
    : await prisma.$queryRaw<{ n: number }[]>`
        with gone as (delete from "MailMessage" m where ${due} returning 1)
        select count(*)::int as n from gone`;
  return { messages: row?.n ?? 0, cutoff };
}
