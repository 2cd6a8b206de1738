/** Expected failures of catalogue changes, each with a stable code. */
import { DomainError } from '../../shared/errors.ts';

/** The object changed since the version the client read: reload and retry. */
export class VersionConflictError extends DomainError {
  readonly code = 'catalogue/version_conflict';
  constructor(
    readonly expectedVersion: number,
    readonly currentVersion: number,
  ) {
    super(`This was changed meanwhile: you had version ${expectedVersion}, it is now ${currentVersion}.`);
  }
}

/** Some theme codes do not exist. */
export class UnknownThemeError extends DomainError {
  readonly code = 'catalogue/unknown_theme';
  constructor(readonly codes: string[]) {
    super(`Unknown theme code${codes.length > 1 ? 's' : ''}: ${codes.join(', ')}.`);
  }
}

/** Some communes do not exist in Luxembourg. */
export class UnknownCommuneError extends DomainError {
  readonly code = 'catalogue/unknown_commune';
  constructor(readonly communes: string[]) {
    super(`Unknown commune${communes.length > 1 ? 's' : ''}: ${communes.join(', ')}.`);
  }
}

/** Publishing needs a title, a theme and a site or service area. */
export class OfferNotPublishableError extends DomainError {
  readonly code = 'catalogue/not_publishable';
  constructor(readonly fields: { path: string[]; message: string }[]) {
    super('The offer cannot be published yet: some fields are missing.');
  }
}

/** The offer's status does not allow this step (e.g. pausing a withdrawn offer). */
export class OfferStatusError extends DomainError {
  readonly code = 'catalogue/invalid_status';
  constructor(from: string, action: string) {
    super(`An offer that is ${from.toLowerCase()} cannot be ${action}.`);
  }
}
