/**
 * Expected failures that mean something only for referrals, each with a stable code. Shared
 * meanings (a stale version, an impossible step, a reused idempotency key, an unknown theme,
 * invalid fields) are in src/shared/errors.ts.
 */
import { DomainError, InvalidTransitionError } from '../../shared/errors.ts';
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

/** A referral's status does not allow this step: an InvalidTransitionError worded for referrals. */
export class ReferralTransitionError extends InvalidTransitionError {
  constructor(
    status: ReferralStatus,
    readonly action: ReferralAction | 'update' | 'message',
  ) {
    super(`A referral that is ${status.toLowerCase().replace('_', ' ')} cannot be ${DONE[action]}.`, status);
  }
}

/** Why the consent does not cover sending: none recorded, expired, withdrawn, or not for this receiver. */
export type ConsentProblem = 'NONE' | 'EXPIRED' | 'WITHDRAWN' | 'RECIPIENT';

export class ConsentMissingError extends DomainError {
  static readonly code = 'referral/consent_missing';
  readonly code = ConsentMissingError.code;
  constructor(readonly reason: ConsentProblem) {
    super(
      {
        NONE: 'The person has not consented to this referral.',
        EXPIRED: "The person's consent has expired.",
        WITHDRAWN: 'The person has withdrawn their consent.',
        RECIPIENT: "The person's consent does not cover the receiving organisation.",
      }[reason],
    );
  }
}

export class OfferNotAcceptingReferralsError extends DomainError {
  static readonly code = 'referral/offer_not_accepting';
  readonly code = OfferNotAcceptingReferralsError.code;
  constructor() {
    super('This offer does not take referrals now (not published, withdrawn, or closed to referrals).');
  }
}

export class OfferFullError extends DomainError {
  static readonly code = 'referral/offer_full';
  readonly code = OfferFullError.code;
  constructor() {
    super('This offer has no free place. Send it to the waitlist to wait for one.');
  }
}
