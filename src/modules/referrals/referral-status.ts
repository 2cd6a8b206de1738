/**
 * The referral status machine (../shared/DESIGN.md, aligned with the FHIR SDOH Task states):
 *
 *   DRAFT -> SENT                              sender
 *   SENT -> RECEIVED                           receiver (acknowledged)
 *   SENT | RECEIVED -> ACCEPTED | DECLINED     receiver (DECLINED needs a reason)
 *   ACCEPTED -> IN_PROGRESS                    receiver
 *   IN_PROGRESS <-> ON_HOLD                    receiver (hold needs a reason)
 *   ACCEPTED | IN_PROGRESS | ON_HOLD -> COMPLETED    receiver (with an outcome)
 *   any non-final -> CANCELLED                 sender, or receiver once accepted (with a reason)
 *
 * Pure: the referral services check the actor's side and version and write the change; this
 * module only says whether a step is allowed and where it leads.
 */

export const REFERRAL_STATUSES = [
  'DRAFT',
  'SENT',
  'RECEIVED',
  'ACCEPTED',
  'DECLINED',
  'IN_PROGRESS',
  'ON_HOLD',
  'COMPLETED',
  'CANCELLED',
] as const;
export type ReferralStatus = (typeof REFERRAL_STATUSES)[number];

export const FINAL_STATUSES: readonly ReferralStatus[] = ['COMPLETED', 'DECLINED', 'CANCELLED'];

/** Which organisation of the referral the actor acts for. */
export type Side = 'SENDER' | 'RECEIVER';

export type ReferralAction =
  'send' | 'acknowledge' | 'accept' | 'decline' | 'start' | 'hold' | 'resume' | 'complete' | 'cancel';

interface Step {
  from: readonly ReferralStatus[] | ((side: Side) => readonly ReferralStatus[]);
  to: ReferralStatus;
  sides: readonly Side[];
  /** A text the step must carry: the reason for declining, holding or cancelling; the outcome. */
  requires?: 'reason' | 'outcome';
}

const NOT_FINAL = REFERRAL_STATUSES.filter((s) => !FINAL_STATUSES.includes(s));
const ACCEPTED_OR_LATER: readonly ReferralStatus[] = ['ACCEPTED', 'IN_PROGRESS', 'ON_HOLD'];

const STEPS: Record<ReferralAction, Step> = {
  send: { from: ['DRAFT'], to: 'SENT', sides: ['SENDER'] },
  acknowledge: { from: ['SENT'], to: 'RECEIVED', sides: ['RECEIVER'] },
  accept: { from: ['SENT', 'RECEIVED'], to: 'ACCEPTED', sides: ['RECEIVER'] },
  decline: { from: ['SENT', 'RECEIVED'], to: 'DECLINED', sides: ['RECEIVER'], requires: 'reason' },
  start: { from: ['ACCEPTED'], to: 'IN_PROGRESS', sides: ['RECEIVER'] },
  hold: { from: ['IN_PROGRESS'], to: 'ON_HOLD', sides: ['RECEIVER'], requires: 'reason' },
  resume: { from: ['ON_HOLD'], to: 'IN_PROGRESS', sides: ['RECEIVER'] },
  complete: { from: ACCEPTED_OR_LATER, to: 'COMPLETED', sides: ['RECEIVER'], requires: 'outcome' },
  // The sender may cancel any open referral; the receiver only one it has accepted.
  cancel: {
    from: (side) => (side === 'SENDER' ? NOT_FINAL : ACCEPTED_OR_LATER),
    to: 'CANCELLED',
    sides: ['SENDER', 'RECEIVER'],
    requires: 'reason',
  },
};

/** Where each action leads (the one status it ends in, whatever it starts from). */
export const STEP_TARGETS = Object.fromEntries(
  Object.entries(STEPS).map(([action, step]) => [action, step.to]),
) as Record<ReferralAction, ReferralStatus>;

export type TransitionResult =
  | { ok: true; to: ReferralStatus }
  | { ok: false; problem: 'wrong_side' | 'invalid_transition' | 'missing_reason' | 'missing_outcome' };

/** Whether `side` may take `action` on a referral in `from`, and where it leads. */
export function transition(
  from: ReferralStatus,
  action: ReferralAction,
  side: Side,
  text?: { reason?: string | null; outcome?: string | null },
): TransitionResult {
  const step = STEPS[action];
  if (!step.sides.includes(side)) return { ok: false, problem: 'wrong_side' };
  const allowed = typeof step.from === 'function' ? step.from(side) : step.from;
  if (!allowed.includes(from)) return { ok: false, problem: 'invalid_transition' };
  if (step.requires === 'reason' && !text?.reason?.trim()) return { ok: false, problem: 'missing_reason' };
  if (step.requires === 'outcome' && !text?.outcome?.trim()) return { ok: false, problem: 'missing_outcome' };
  return { ok: true, to: step.to };
}

export function isFinal(status: ReferralStatus): boolean {
  return FINAL_STATUSES.includes(status);
}

/** A step a side may take from a status now: the action, where it leads, the text it needs. */
export interface AllowedStep {
  action: ReferralAction;
  to: ReferralStatus;
  requires: 'reason' | 'outcome' | null;
}

/** Every step `side` may take on a referral in `from` (the same table `transition` reads). */
export function allowedSteps(from: ReferralStatus, side: Side): AllowedStep[] {
  return (Object.keys(STEPS) as ReferralAction[]).flatMap((action) => {
    const step = STEPS[action];
    const allowed = typeof step.from === 'function' ? step.from(side) : step.from;
    return step.sides.includes(side) && allowed.includes(from)
      ? [{ action, to: step.to, requires: step.requires ?? null }]
      : [];
  });
}
