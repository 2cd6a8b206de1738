/** The referral status machine of DESIGN.md written out by hand, for the tests to check against. */
import type { ReferralAction, ReferralStatus, Side } from '../../src/modules/referrals/referral-status.ts';

/** The design's table, written out: [from, action, side] -> to. */
export const ALLOWED: [ReferralStatus, ReferralAction, Side, ReferralStatus][] = [
  ['DRAFT', 'send', 'SENDER', 'SENT'],
  ['SENT', 'acknowledge', 'RECEIVER', 'RECEIVED'],
  ['SENT', 'accept', 'RECEIVER', 'ACCEPTED'],
  ['RECEIVED', 'accept', 'RECEIVER', 'ACCEPTED'],
  ['SENT', 'decline', 'RECEIVER', 'DECLINED'],
  ['RECEIVED', 'decline', 'RECEIVER', 'DECLINED'],
  ['ACCEPTED', 'start', 'RECEIVER', 'IN_PROGRESS'],
  ['IN_PROGRESS', 'hold', 'RECEIVER', 'ON_HOLD'],
  ['ON_HOLD', 'resume', 'RECEIVER', 'IN_PROGRESS'],
  ['ACCEPTED', 'complete', 'RECEIVER', 'COMPLETED'],
  ['IN_PROGRESS', 'complete', 'RECEIVER', 'COMPLETED'],
  ['ON_HOLD', 'complete', 'RECEIVER', 'COMPLETED'],
  ...(['DRAFT', 'SENT', 'RECEIVED', 'ACCEPTED', 'IN_PROGRESS', 'ON_HOLD'] as const).map(
    (from) =>
      [from, 'cancel', 'SENDER', 'CANCELLED'] as [ReferralStatus, ReferralAction, Side, ReferralStatus],
  ),
  ...(['ACCEPTED', 'IN_PROGRESS', 'ON_HOLD'] as const).map(
    (from) =>
      [from, 'cancel', 'RECEIVER', 'CANCELLED'] as [ReferralStatus, ReferralAction, Side, ReferralStatus],
  ),
];

export const ACTIONS: ReferralAction[] = [
  'send',
  'acknowledge',
  'accept',
  'decline',
  'start',
  'hold',
  'resume',
  'complete',
  'cancel',
];
export const TEXT = { reason: 'Plus de places', outcome: 'Logement trouvé' };
