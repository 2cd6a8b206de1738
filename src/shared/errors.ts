/**
 * Expected failures. Each is a class with a stable, namespaced code; mutations list the ones they
 * can return and clients switch on `__typename` (or `code`). Anything else is unexpected: masked in
 * the response and logged with the request id.
 *
 * One code means one thing, whichever domain answers it: a meaning shared by domains (not found,
 * a stale version, an impossible step…) is a class here with a `common/` code; a domain's own
 * meaning is a class in its `<domain>.errors.ts`. Each class says its code twice, as a static (so
 * that the schema documents it, `errorType` in src/modules/common/errors.schema.ts) and on each
 * instance. `test/api/errors.test.ts` lists every error type with its code and meaning.
 */
import type { Organisation } from '../generated/prisma/client.ts';
import type { Role } from '../generated/prisma/enums.ts';

export abstract class DomainError extends Error {
  abstract readonly code: string;
}

/** A class of expected failure, with the code all its instances carry. */
export interface DomainErrorClass {
  readonly code: string;
}

/**
 * Why a field is wrong, for clients that word it themselves (a console in the user's language):
 * missing, malformed, already taken, pointing to nothing the caller may see, to another
 * organisation's object than allowed, or to a cancelled one; too long or too short (`limit` says
 * how long it may be); a number too small (`limit`: the least); a date on the wrong side of today; a
 * web address a webhook may not use.
 */
export type FieldProblemReason =
  | 'REQUIRED'
  | 'FORMAT'
  | 'TAKEN'
  | 'NOT_FOUND'
  | 'OTHER_ORGANISATION'
  | 'CANCELLED'
  | 'TOO_LONG'
  | 'TOO_SHORT'
  | 'TOO_SMALL'
  | 'PAST'
  | 'FUTURE'
  | 'INSECURE_URL'
  | 'URL_CREDENTIALS'
  | 'URL_FRAGMENT'
  | 'BLOCKED_PORT'
  | 'INTERNAL_ADDRESS'
  | 'SESSIONS_OUTSIDE'
  | 'OUTSIDE_EDITION';

/** One problem with one input field: its path in the arguments (`['input', 'person', 'name']`). */
export interface FieldProblem {
  path: string[];
  message: string;
  /** Set where the hub names it (absent: only the message says). */
  reason?: FieldProblemReason;
  /**
   * For TOO_LONG and TOO_SHORT: the greatest or least length (characters, or items of a list); for
   * TOO_SMALL, the least number; for SESSIONS_OUTSIDE, how many sessions.
   */
  limit?: number;
}

/** The object does not exist, or the caller may not see it: the two are indistinguishable. */
export class NotFoundError extends DomainError {
  static readonly code = 'common/not_found';
  readonly code = NotFoundError.code;
  constructor(what = 'object') {
    super(`No ${what} with this ID.`);
  }
}

/**
 * The caller can see the object but lacks the role for this action; `requiredRole` names the one
 * role that would allow it, where one does (a client words "only the network's admins can…").
 */
export class ForbiddenError extends DomainError {
  static readonly code = 'common/forbidden';
  readonly code = ForbiddenError.code;
  constructor(
    action: string,
    readonly requiredRole: Role | null = null,
  ) {
    super(`You are not allowed to ${action}.`);
  }
}

/**
 * One or more input fields are invalid: every one of them is listed, with its path and what is
 * wrong in plain words. The message names them too, for clients that print only the message.
 */
export class InvalidInputError extends DomainError {
  static readonly code = 'common/invalid_input';
  readonly code = InvalidInputError.code;
  readonly fields: FieldProblem[];
  constructor(message: string | null, fields: FieldProblem[]) {
    super(message ?? invalidFieldsMessage(fields));
    this.fields = fields;
  }
}

/** "Some fields are invalid: needs (must not be empty); person.contact (…)." */
export function invalidFieldsMessage(fields: FieldProblem[]): string {
  const named = fields.map((f) => {
    const path = f.path[0] === 'input' && f.path.length > 1 ? f.path.slice(1) : f.path;
    return `${path.join('.') || 'input'} (${f.message})`;
  });
  return named.length === 1
    ? `One field is invalid: ${named[0]}.`
    : `${named.length} fields are invalid: ${named.join('; ')}.`;
}

/** The object changed since the version the client read: reload and retry. */
export class VersionConflictError extends DomainError {
  static readonly code = 'common/version_conflict';
  readonly code = VersionConflictError.code;
  constructor(
    readonly expectedVersion: number,
    readonly currentVersion: number,
  ) {
    super(`This was changed meanwhile: you had version ${expectedVersion}, it is now ${currentVersion}.`);
  }
}

/**
 * The object's status does not allow this step (accepting a cancelled referral, pausing a
 * withdrawn offer). Each domain words the message; `status` is the status the object is in.
 */
export class InvalidTransitionError extends DomainError {
  static readonly code = 'common/invalid_transition';
  readonly code = InvalidTransitionError.code;
  constructor(
    message: string,
    readonly status: string,
  ) {
    super(message);
  }
}

/** The idempotency key was already used with a different input. */
export class IdempotencyConflictError extends DomainError {
  static readonly code = 'common/idempotency_conflict';
  readonly code = IdempotencyConflictError.code;
  constructor() {
    super('This idempotency key was already used with a different input.');
  }
}

/** Some theme codes do not exist (the taxonomy is shared by the catalogue, referrals, matching…). */
export class UnknownThemeError extends DomainError {
  static readonly code = 'common/unknown_theme';
  readonly code = UnknownThemeError.code;
  /** `field`: the input field that holds the codes, e.g. `['criteria', 'themes']`. */
  constructor(
    readonly codes: string[],
    readonly field: string[] | null = null,
  ) {
    super(`Unknown theme code${codes.length > 1 ? 's' : ''}: ${codes.join(', ')}.`);
  }
}

/**
 * The caller acts for several organisations and the input does not say which one acts: the
 * choices are listed, and `field` is the input field to fill in with one of them.
 */
export class AmbiguousOrganisationError extends DomainError {
  static readonly code = 'common/organisation_ambiguous';
  readonly code = AmbiguousOrganisationError.code;
  constructor(
    readonly field: string[],
    readonly choices: Organisation[],
    action: string,
  ) {
    super(
      `You act for ${choices.length} organisations: say which one ${action} (${field.at(-1)}): ${choices
        .map((c) => c.name)
        .join(', ')}.`,
    );
  }
}
