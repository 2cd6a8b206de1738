/**
 * Expected failures. Each is a class with a stable, namespaced code; mutations list the ones they
 * can return and clients switch on `__typename` (or `code`). Anything else is unexpected: masked in
 * the response and logged with the request id.
 */
export abstract class DomainError extends Error {
  abstract readonly code: string;
}

/** The object does not exist, or the caller may not see it: the two are indistinguishable. */
export class NotFoundError extends DomainError {
  readonly code = 'common/not_found';
  constructor(what = 'object') {
    super(`No ${what} with this ID.`);
  }
}

/** The caller can see the object but lacks the role for this action. */
export class ForbiddenError extends DomainError {
  readonly code = 'common/forbidden';
  constructor(action: string) {
    super(`You are not allowed to ${action}.`);
  }
}

/** One or more input fields are invalid. */
export class InvalidInputError extends DomainError {
  readonly code = 'common/invalid_input';
  constructor(
    message: string,
    readonly fields: { path: string[]; message: string }[],
  ) {
    super(message);
  }
}
