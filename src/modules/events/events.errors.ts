/**
 * Expected failures that mean something only in the Events module. Shared meanings (not found,
 * forbidden, invalid fields, a stale version, an impossible step) are in src/shared/errors.ts.
 */
import { DomainError } from '../../shared/errors.ts';

/**
 * Some sessions asked for have no seat left. Nothing was written: ask again with
 * `waitlist: true` to take the next places on their waitlists (`waitlistLengths` says how many
 * are already waiting).
 */
export class SessionFullError extends DomainError {
  static readonly code = 'events/session_full';
  readonly code = SessionFullError.code;
  constructor(
    readonly sessionIds: string[],
    readonly waitlistLengths: number[],
  ) {
    super(
      `${sessionIds.length === 1 ? 'This session is' : `${sessionIds.length} sessions are`} full: nothing was written. Register with waitlist: true to join the waitlist (promoted in order when someone cancels).`,
    );
  }
}

/**
 * The registration code is not one of this edition's invited organisations, has expired, or was
 * withdrawn by the organisers.
 */
export class InvitationCodeError extends DomainError {
  static readonly code = 'events/invitation_code';
  readonly code = InvitationCodeError.code;
  constructor(readonly reason: 'WRONG' | 'EXPIRED' | 'WITHDRAWN') {
    super(
      reason === 'EXPIRED'
        ? 'This registration code has expired: ask your organisation or the organisers for help.'
        : reason === 'WITHDRAWN'
          ? 'The organisers withdrew this registration code: ask your organisation for its new one.'
          : 'This registration code is not valid for this event: check it with your organisation.',
    );
  }
}

/**
 * This address is already registered for the edition. Its manage link was sent to it again, so
 * that its owner can change or cancel the registration.
 */
export class AlreadyRegisteredError extends DomainError {
  static readonly code = 'events/already_registered';
  readonly code = AlreadyRegisteredError.code;
  constructor() {
    super('This e-mail address is already registered for this event: its manage link was sent to it again.');
  }
}

/** Registration is not open for this edition (a draft, closed, or past its closing date). */
export class RegistrationClosedError extends DomainError {
  static readonly code = 'events/registration_closed';
  readonly code = RegistrationClosedError.code;
  constructor(readonly status: string) {
    super('Registration for this event is closed.');
  }
}

/** The badge scanned belongs to another edition than the one checked in. */
export class BadgeOtherEditionError extends DomainError {
  static readonly code = 'events/badge_other_edition';
  readonly code = BadgeOtherEditionError.code;
  constructor() {
    super('This badge is for another edition of the event: nobody was checked in.');
  }
}

/** Too many wrong manage tokens or codes from this address: wait before trying again. */
export class TooManyTriesError extends DomainError {
  static readonly code = 'events/too_many_tries';
  readonly code = TooManyTriesError.code;
  constructor(readonly retryAfterSeconds: number) {
    super(`Too many tries: wait ${retryAfterSeconds} s before trying again.`);
  }
}
