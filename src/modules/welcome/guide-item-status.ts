/**
 * Where an entry of a guide stands with the organisation that provides its offer:
 *
 *     PROPOSED  -> CONFIRMED | DECLINED        provider (DECLINED needs a reason)
 *     PROPOSED  -> WITHDRAWN                   guide side
 *     CONFIRMED -> REGULAR                     either side (a standing arrangement, its own schedule)
 *     CONFIRMED | REGULAR -> ENDED             either side
 *     final: DECLINED, ENDED, WITHDRAWN (propose the offer again for a new entry)
 *
 * The public sees an entry of a published guide once it is CONFIRMED or REGULAR.
 */
import type { GuideItemStatus } from '../../generated/prisma/enums.ts';

export type GuideItemSide = 'GUIDE' | 'PROVIDER';
export type GuideItemAction = 'confirm' | 'decline' | 'withdraw' | 'makeRegular' | 'end';

const TABLE: Record<
  GuideItemAction,
  { from: readonly GuideItemStatus[]; to: GuideItemStatus; sides: readonly GuideItemSide[] }
> = {
  confirm: { from: ['PROPOSED'], to: 'CONFIRMED', sides: ['PROVIDER'] },
  decline: { from: ['PROPOSED'], to: 'DECLINED', sides: ['PROVIDER'] },
  withdraw: { from: ['PROPOSED'], to: 'WITHDRAWN', sides: ['GUIDE'] },
  makeRegular: { from: ['CONFIRMED'], to: 'REGULAR', sides: ['GUIDE', 'PROVIDER'] },
  end: { from: ['CONFIRMED', 'REGULAR'], to: 'ENDED', sides: ['GUIDE', 'PROVIDER'] },
};

export const FINAL_ITEM_STATUSES: readonly GuideItemStatus[] = ['DECLINED', 'ENDED', 'WITHDRAWN'];

export type ItemTransition = { ok: true; to: GuideItemStatus } | { ok: false; reason: 'SIDE' | 'STATUS' };

/** Whether `side` may take `action` on an item in `status`: the new status, or why not. */
export function itemTransition(
  status: GuideItemStatus,
  action: GuideItemAction,
  side: GuideItemSide,
): ItemTransition {
  const rule = TABLE[action];
  if (!rule.from.includes(status)) return { ok: false, reason: 'STATUS' };
  if (!rule.sides.includes(side)) return { ok: false, reason: 'SIDE' };
  return { ok: true, to: rule.to };
}

/** The steps `side` may take from `status` (for a client's buttons). */
export function allowedItemActions(
  status: GuideItemStatus,
  sides: readonly GuideItemSide[],
): GuideItemAction[] {
  return (Object.keys(TABLE) as GuideItemAction[]).filter((a) =>
    sides.some((side) => itemTransition(status, a, side).ok),
  );
}
