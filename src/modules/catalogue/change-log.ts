/** The catalogue's change log: who changed which fields of what, when, before and after. */
import type { Prisma } from '../../generated/prisma/client.ts';
import { actorOf } from './catalogue.access.ts';
import type { Viewer } from '../accounts/viewer.ts';

type Snapshot = Record<string, unknown>;

/** Names of the fields whose values differ between two snapshots. */
export function changedFields(before: Snapshot | null, after: Snapshot | null): string[] {
  const keys = new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})]);
  return [...keys].filter((k) => JSON.stringify(before?.[k]) !== JSON.stringify(after?.[k])).sort();
}

/** Only the changed fields of each side, so that the log stays small and readable. */
export async function recordChange(
  tx: Prisma.TransactionClient,
  change: {
    viewer: Viewer | null;
    organisationId: string;
    entityType: 'Offer' | 'Site';
    entityId: string;
    action: string;
    before: Snapshot | null;
    after: Snapshot | null;
  },
): Promise<void> {
  const fields = changedFields(change.before, change.after);
  const pick = (s: Snapshot | null) =>
    s === null
      ? undefined
      : (Object.fromEntries(fields.map((f) => [f, s[f] ?? null])) as Prisma.InputJsonObject);
  await tx.catalogueChange.create({
    data: {
      organisationId: change.organisationId,
      entityType: change.entityType,
      entityId: change.entityId,
      offerId: change.entityType === 'Offer' ? change.entityId : null,
      action: change.action,
      fields,
      before: pick(change.before),
      after: pick(change.after),
      ...actorOf(change.viewer),
    },
  });
}
