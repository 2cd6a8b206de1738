/**
 * Every (status, action, side) of the referral status machine against the table in DESIGN.md:
 * the allowed steps lead where the design says, everything else is refused with a reason.
 */
import { describe, expect, it } from '@jest/globals';
import { allowedSteps, REFERRAL_STATUSES, transition } from '../../src/modules/referrals/referral-status.ts';
import { ACTIONS, ALLOWED, TEXT } from '../helpers/referral-table.ts';

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

describe('allowedSteps (the buttons a screen shows)', () => {
  it('lists exactly the steps transition() accepts, for each status and side, with the text each needs', () => {
    for (const from of REFERRAL_STATUSES) {
      for (const side of ['SENDER', 'RECEIVER'] as const) {
        const expected = ACTIONS.flatMap((action) => {
          const r = transition(from, action, side, TEXT);
          if (!r.ok) return [];
          const bare = transition(from, action, side);
          const requires = bare.ok ? null : bare.problem === 'missing_outcome' ? 'outcome' : 'reason';
          return [{ action, to: r.to, requires }];
        });
        expect({ from, side, steps: allowedSteps(from, side) }).toEqual({ from, side, steps: expected });
      }
    }
  });
});
