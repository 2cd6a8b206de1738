/**
 * Every (status, action, side) of the referral status machine against the table in DESIGN.md:
 * the allowed steps lead where the design says, everything else is refused with a reason.
 */
import { describe, expect, it } from '@jest/globals';
import {
  REFERRAL_STATUSES,
  transition,
  type ReferralAction,
  type ReferralStatus,
  type Side,
} from '../../src/modules/referrals/referral-status.ts';

/** The design's table, written out: [from, action, side] -> to. */
const ALLOWED: [ReferralStatus, ReferralAction, Side, ReferralStatus][] = [
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

const ACTIONS: ReferralAction[] = [
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
const TEXT = { reason: 'Plus de places', outcome: 'Logement trouvé' };

describe('referral status machine', () => {
  it.each(
    REFERRAL_STATUSES.flatMap((from) =>
      ACTIONS.flatMap((action) =>
        (['SENDER', 'RECEIVER'] as const).map((side) => [from, action, side] as const),
      ),
    ),
  )('%s --%s--> (%s)', (from, action, side) => {
    const expected = ALLOWED.find(([f, a, s]) => f === from && a === action && s === side);
    const result = transition(from, action, side, TEXT);
    if (expected) expect(result).toEqual({ ok: true, to: expected[3] });
    else expect(result.ok).toBe(false);
  });

  it('final statuses accept no step at all', () => {
    for (const from of ['COMPLETED', 'DECLINED', 'CANCELLED'] as const) {
      for (const action of ACTIONS) {
        for (const side of ['SENDER', 'RECEIVER'] as const)
          expect(transition(from, action, side, TEXT).ok).toBe(false);
      }
    }
  });

  it('declining, holding and cancelling need a reason; completing needs an outcome', () => {
    expect(transition('SENT', 'decline', 'RECEIVER')).toEqual({ ok: false, problem: 'missing_reason' });
    expect(transition('IN_PROGRESS', 'hold', 'RECEIVER', { reason: '  ' })).toEqual({
      ok: false,
      problem: 'missing_reason',
    });
    expect(transition('SENT', 'cancel', 'SENDER')).toEqual({ ok: false, problem: 'missing_reason' });
    expect(transition('ACCEPTED', 'complete', 'RECEIVER')).toEqual({ ok: false, problem: 'missing_outcome' });
  });

  it('says whether the side or the status was wrong', () => {
    expect(transition('SENT', 'accept', 'SENDER', TEXT)).toEqual({ ok: false, problem: 'wrong_side' });
    expect(transition('SENT', 'cancel', 'RECEIVER', TEXT)).toEqual({
      ok: false,
      problem: 'invalid_transition',
    });
  });
});
