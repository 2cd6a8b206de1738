/**
 * Expected failures of catalogue changes that mean something only in the catalogue. Shared
 * meanings (a stale version, an impossible step, an unknown theme) are in src/shared/errors.ts.
 */
import { DomainError, InvalidTransitionError, type FieldProblem } from '../../shared/errors.ts';

/** Some communes do not exist in Luxembourg. */
export class UnknownCommuneError extends DomainError {
  static readonly code = 'catalogue/unknown_commune';
  readonly code = UnknownCommuneError.code;
  /** `field`: the input field that holds the names, e.g. `['input', 'serviceArea']`. */
  constructor(
    readonly communes: string[],
    readonly field: string[] | null = null,
  ) {
    super(`Unknown commune${communes.length > 1 ? 's' : ''}: ${communes.join(', ')}.`);
  }
}

/** Publishing needs a title, a theme and a site or service area. */
export class OfferNotPublishableError extends DomainError {
  static readonly code = 'catalogue/not_publishable';
  readonly code = OfferNotPublishableError.code;
  constructor(readonly fields: FieldProblem[]) {
    super('The offer cannot be published yet: some fields are missing.');
  }
}

/** The offer's status does not allow this step (e.g. pausing a withdrawn offer). */
export class OfferStatusError extends InvalidTransitionError {
  constructor(from: string, action: string) {
    super(`An offer that is ${from.toLowerCase()} cannot be ${action}.`, from);
  }
}
