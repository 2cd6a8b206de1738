/**
 * Check-in at the door: an organiser's scanner reads a badge's code and records the scan
 * (`checkInParticipant`) or its undoing (`undoCheckIn`).
 *
 * - Idempotent per scan: a scanner names each scan (`scannerKey` + `scanId`); a scan sent again
 *   (an offline queue syncing twice, a retry after a lost answer) returns what the first one
 *   recorded and writes nothing. The same scan id with another badge, direction or time is
 *   IdempotencyConflictError. Two copies sent at once: the second waits for the first's lock on
 *   the registration, then finds its row (or, with another badge, meets the unique index).
 * - Out of order: scanners queue offline and sync late, so scans reach the hub in any order. The
 *   registration's state follows the scan with the latest `scannedAt` (the scanner's own clock),
 *   whatever the order they arrive in: `checkedInAt` is the time of the first arrival since the
 *   last undo, in scanner time, or null when the latest scan is an undo. A scan dated more than
 *   `MAX_CLOCK_AHEAD_MS` after the hub's clock is refused: it would win over every later scan.
 * - Badges are looked for among the editions the viewer organises: one of their other editions
 *   (last year's badge) is BadgeOtherEditionError; anyone else's reads as unknown (NotFoundError).
 *   A cancelled (or anonymised) registration is InvalidTransitionError. Nothing is written then.
 * - One transaction of four statements: lock the registration, read its scans (after the lock, so
 *   that a copy committed meanwhile is seen), write `checkedInAt`, insert the CheckIn row last: its
 *   trigger appends the outbox row EVENT_CHECK_IN and takes the outbox lock, held to commit
 *   (migration `events`): no other lock may follow it. `Registration.version` does not change: a
 *   scan is not an edit, and must not make an organiser's pending edit of the person conflict.
 */
import { Prisma, type CheckIn, type PrismaClient, type Registration } from '../../generated/prisma/client.ts';
import {
  ForbiddenError,
  IdempotencyConflictError,
  InvalidInputError,
  InvalidTransitionError,
  NotFoundError,
} from '../../shared/errors.ts';
import { asUuid } from '../../shared/ids.ts';
import type { Viewer } from '../accounts/viewer.ts';
import { organisedEditionsWhere, visibleEditionsWhere } from './events.access.ts';
import { BadgeOtherEditionError } from './events.errors.ts';

/** A scan as the scanner recorded it. */
export interface ScanInput {
  editionId: string;
  badgeCode: string;
  /** The scanner (a device, or a person's key) and its own id for this scan. */
  scannerKey: string;
  scanId: string;
  /** When the scanner read the badge, by its own clock. */
  scannedAt: Date;
}

export interface ScanResult {
  checkIn: CheckIn;
  registration: Registration;
}

/** How far ahead of the hub's clock a scanner's clock may be. */
export const MAX_CLOCK_AHEAD_MS = 10 * 60_000;

/** An arrival. */
export function checkInParticipant(
  prisma: PrismaClient,
  viewer: Viewer | null,
  input: ScanInput,
  now = new Date(),
): Promise<ScanResult> {
  return recordScan(prisma, viewer, input, true, now);
}

/** A check-in undone (a wrong badge scanned, someone who turned back). */
export function undoCheckIn(
  prisma: PrismaClient,
  viewer: Viewer | null,
  input: ScanInput,
  now = new Date(),
): Promise<ScanResult> {
  return recordScan(prisma, viewer, input, false, now);
}

/**
 * Whether a registration is checked in after these scans, and since when: the scans in scanner
 * time (ties in the order they were recorded); the first arrival after the last undo, or null
 * when the latest scan is an undo (or there is none).
 */
export function presenceOf(scans: readonly { arrived: boolean; scannedAt: Date }[]): Date | null {
  const ordered = scans
    .map((scan, i) => ({ scan, i }))
    .sort((a, b) => a.scan.scannedAt.getTime() - b.scan.scannedAt.getTime() || a.i - b.i);
  let since: Date | null = null;
  for (const { scan } of ordered) since = scan.arrived ? (since ?? scan.scannedAt) : null;
  return since;
}

async function recordScan(
  prisma: PrismaClient,
  viewer: Viewer | null,
  input: ScanInput,
  arrived: boolean,
  now: Date,
): Promise<ScanResult> {
  const editionId = asUuid(input.editionId);
  const scan = { ...input, editionId, badgeCode: input.badgeCode.trim(), arrived };
  // Both reads carry the rule: a badge is looked for among the editions the viewer organises, so
  // another organiser's badge reads as unknown; one of their own other editions is named so.
  const [edition, badge] = await Promise.all([
    prisma.eventEdition.findFirst({
      where: { id: editionId, AND: [organisedEditionsWhere(viewer)] },
      select: { id: true },
    }),
    prisma.registration.findFirst({
      where: { badgeCode: scan.badgeCode, edition: organisedEditionsWhere(viewer) },
      select: { id: true, editionId: true },
    }),
  ]);
  if (!edition) {
    const seen = await prisma.eventEdition.count({
      where: { id: editionId, AND: [visibleEditionsWhere(viewer)] },
    });
    if (seen) throw new ForbiddenError('check participants in: only the edition’s organisers may');
    throw new NotFoundError('edition');
  }
  // Who asks first; then the scan's own time, before which badge it is (a device's clock).
  if (scan.scannedAt.getTime() > now.getTime() + MAX_CLOCK_AHEAD_MS) {
    throw new InvalidInputError(null, [
      {
        path: ['input', 'scannedAt'],
        message: `is ahead of the hub's clock by more than ${MAX_CLOCK_AHEAD_MS / 60_000} minutes: check the scanner's clock`,
        reason: 'FUTURE',
      },
    ]);
  }
  if (!badge) throw new NotFoundError('badge');
  if (badge.editionId !== editionId) throw new BadgeOtherEditionError();

  try {
    return await prisma.$transaction(async (tx) => {
      const [locked] = await tx.$queryRaw<{ status: string; anonymisedAt: Date | null }[]>`
        select status::text as status, "anonymisedAt" from "Registration" where id = ${badge.id}::uuid
        for update`;
      if (!locked) throw new NotFoundError('badge');
      // Read after the lock: scans committed while we waited are in it, a copy of this one too.
      const history = await tx.checkIn.findMany({
        where: { registrationId: badge.id },
        orderBy: [{ recordedAt: 'asc' }, { id: 'asc' }],
      });
      const earlier = history.find((c) => c.scannerKey === scan.scannerKey && c.scanId === scan.scanId);
      if (earlier) {
        if (!sameScan(earlier, scan.arrived, scan.scannedAt)) throw new IdempotencyConflictError();
        return {
          checkIn: earlier,
          registration: await tx.registration.findUniqueOrThrow({ where: { id: badge.id } }),
        };
      }
      if (locked.status === 'CANCELLED' || locked.anonymisedAt) {
        throw new InvalidTransitionError(
          locked.anonymisedAt
            ? 'This registration was anonymised: its badge no longer checks in.'
            : 'This registration was cancelled: its badge no longer checks in.',
          locked.anonymisedAt ? 'ANONYMISED' : locked.status,
        );
      }
      const registration = await tx.registration.update({
        where: { id: badge.id },
        data: { checkedInAt: presenceOf([...history, scan]) },
      });
      // Last: the trigger's outbox write takes the outbox lock, held to commit.
      const checkIn = await tx.checkIn.create({
        data: {
          editionId,
          registrationId: badge.id,
          scannerKey: scan.scannerKey,
          scanId: scan.scanId,
          arrived,
          scannedAt: scan.scannedAt,
          byUserId: viewer?.kind === 'user' ? viewer.userId : null,
        },
      });
      return { checkIn, registration };
    });
  } catch (error) {
    // This scanner's scan id was taken meanwhile by a scan of another badge: the same answer as
    // if it had come first (a conflict, unless it is somehow this very scan).
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') {
      const committed = await recordedScan(prisma, scan);
      if (committed) return committed;
    }
    throw error;
  }
}

const sameScan = (c: CheckIn, arrived: boolean, scannedAt: Date) =>
  c.arrived === arrived && c.scannedAt.getTime() === scannedAt.getTime();

/**
 * The scan already recorded under this scanner's key and scan id, as it was answered (with the
 * registration as it is now); IdempotencyConflictError when that scan was another badge, the
 * other direction or another time; null when there is none.
 */
async function recordedScan(
  prisma: PrismaClient,
  scan: ScanInput & { arrived: boolean },
): Promise<ScanResult | null> {
  const found = await prisma.checkIn.findUnique({
    where: {
      editionId_scannerKey_scanId: {
        editionId: scan.editionId,
        scannerKey: scan.scannerKey,
        scanId: scan.scanId,
      },
    },
    include: { registration: true },
  });
  if (!found) return null;
  const { registration, ...checkIn } = found;
  if (registration.badgeCode !== scan.badgeCode || !sameScan(checkIn, scan.arrived, scan.scannedAt))
    throw new IdempotencyConflictError();
  return { checkIn, registration };
}
