/** Expected failures of referral steps, each with a stable code a client can switch on. */
import { DomainError } from '../../shared/errors.ts';
import type { ReferralAction, ReferralStatus } from './referral-status.ts';

const DONE: Record<ReferralAction | 'update' | 'message', string> = {
  update: 'edited (only drafts can be)',
  message: 'given messages any more (its person data was anonymised)',
  send: 'sent',
  acknowledge: 'acknowledged',
  accept: 'accepted',
  decline: 'declined',
  start: 'started',
  hold: 'put on hold',
  resume: 'resumed',
  complete: 'completed',
  cancel: 'cancelled',
};

export class InvalidTransitionError extends DomainError {
  readonly code = 'referral/invalid_transition';
  constructor(
    readonly status: ReferralStatus,
    readonly action: ReferralAction | 'update' | 'message',
  ) {
    super(`A referral that is ${status.toLowerCase().replace('_', ' ')} cannot be ${DONE[action]}.`);
  }
}

export class ReasonRequiredError extends DomainError {
  readonly code = 'referral/reason_required';
  constructor(what: 'reason' | 'outcome') {
    super(what === 'reason' ? 'This step needs a reason.' : 'Completing a referral needs its outcome.');
  }
}

export class ConsentMissingError extends DomainError {
  readonly code = 'referral/consent_missing';
  constructor(readonly why: 'none' | 'expired' | 'withdrawn' | 'recipient') {
    super(
      {
        none: 'The person has not consented to this referral.',
        expired: "The person's consent has expired.",
        withdrawn: 'The person has withdrawn their consent.',
        recipient: "The person's consent does not cover the receiving organisation.",
      }[why],
    );
  }
}

export class OfferNotAcceptingReferralsError extends DomainError {
  readonly code = 'referral/offer_not_accepting';
  constructor() {
    super('This offer does not take referrals now (not published, withdrawn, or closed to referrals).');
  }
}

export class OfferFullError extends DomainError {
  readonly code = 'referral/offer_full';
  constructor() {
    super('This offer has no free place. Send it to the waitlist to wait for one.');
  }
}

export class IdempotencyConflictError extends DomainError {
  readonly code = 'referral/idempotency_conflict';
  constructor() {
    super('This idempotency key was already used with a different input.');
  }
}
