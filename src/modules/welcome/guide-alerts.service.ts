/**
 * Guide alerts: what changed in an offer of a guide (paused, withdrawn, full, schedule or sites
 * changed). The rows are written by triggers (migration `guide_alerts`), never here, so that no
 * path that changes an offer can forget them; here they are listed and marked resolved.
 */
import type { GuideAlert, PrismaClient } from '../../generated/prisma/client.ts';
import { ForbiddenError, NotFoundError } from '../../shared/errors.ts';
import { asUuid } from '../../shared/ids.ts';
import type { Viewer } from '../accounts/viewer.ts';
import { alertReadableGuidesWhere, editableGuidesWhere } from './welcome.access.ts';

export const GUIDE_ALERT_KINDS = [
  'OFFER_PAUSED',
  'OFFER_WITHDRAWN',
  'OFFER_FULL',
  'SCHEDULE_CHANGED',
  'SITE_CHANGED',
] as const;
export type GuideAlertKind = (typeof GUIDE_ALERT_KINDS)[number];

/** A guide's alerts, newest first; null when the viewer may not read them (public, outsiders). */
export async function guideAlerts(
  prisma: PrismaClient,
  viewer: Viewer | null,
  guideId: string,
  unresolvedOnly: boolean,
): Promise<GuideAlert[] | null> {
  const readable = await prisma.guide.count({
    where: { id: guideId, AND: [alertReadableGuidesWhere(viewer)] },
  });
  if (!readable) return null;
  return prisma.guideAlert.findMany({
    where: { guideId, ...(unresolvedOnly ? { resolvedAt: null } : {}) },
    orderBy: [{ at: 'desc' }, { id: 'desc' }],
  });
}

/**
 * The guide's coordinators mark an alert as dealt with (once: resolving it again changes
 * nothing). Readers of the alert who may not edit the guide get ForbiddenError; others, as for an
 * unknown id, NotFoundError.
 */
export async function resolveGuideAlert(
  prisma: PrismaClient,
  viewer: Viewer | null,
  id: string,
): Promise<GuideAlert> {
  const alertId = asUuid(id);
  const editable = await prisma.guideAlert.count({
    where: { id: alertId, guide: editableGuidesWhere(viewer) },
  });
  if (!editable) {
    const seen = await prisma.guideAlert.count({
      where: { id: alertId, guide: alertReadableGuidesWhere(viewer) },
    });
    if (seen) throw new ForbiddenError("resolve this alert: only the guide's coordinators may");
    throw new NotFoundError('alert');
  }
  await prisma.guideAlert.updateMany({
    where: { id: alertId, resolvedAt: null },
    data: { resolvedAt: new Date() },
  });
  return prisma.guideAlert.findUniqueOrThrow({ where: { id: alertId } });
}
