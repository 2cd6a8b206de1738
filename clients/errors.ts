/**
 * What can go wrong talking to a hub, as two kinds a caller can tell apart:
 *  - {@link MaillageRequestError}: the request did not run (no answer, HTTP error, bad token,
 *    invalid variables, rate limit…); `code` is the hub's `extensions.code` or a transport code;
 *  - {@link MaillageOperationError}: it ran and the hub answered an expected failure of the
 *    operation (a typed result such as `VersionConflictError`); `code` is its namespaced code.
 */
import type { GraphQLFormattedError } from 'graphql';

/** One invalid input field, as the hub names it. */
export interface FieldProblem {
  /** Path of the field in the input, e.g. `['person', 'contact']`. */
  path: string[];
  message: string;
}

/** Base of every error this package throws; `code` is stable enough to switch on. */
export class MaillageError extends Error {
  constructor(
    message: string,
    /** e.g. `UNAUTHENTICATED`, `NETWORK_ERROR`, `referral/invalid_transition`. */
    readonly code: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** The request failed before or while running: nothing was done (or, for a timeout, maybe). */
export class MaillageRequestError extends MaillageError {
  constructor(
    message: string,
    code: string,
    /** HTTP status; 0 when the hub could not be reached or did not answer. */
    readonly status: number,
    /** The GraphQL errors of the response, when there was one. */
    readonly errors: readonly GraphQLFormattedError[] = [],
  ) {
    super(message, code);
  }

  /** The hub's request id (support finds the log line with it), when it gave one. */
  get requestId(): string | undefined {
    const id = this.errors.find((e) => typeof e.extensions?.requestId === 'string')?.extensions?.requestId;
    return typeof id === 'string' ? id : undefined;
  }
}

/** The shape every expected failure of the API shares (the `Error` interface of the schema). */
export interface FailureResult {
  __typename: string;
  code: string;
  message: string;
  fields?: FieldProblem[];
  currentVersion?: number;
}

/** The operation ran and answered an expected failure: switch on `typename` or `code`. */
export class MaillageOperationError extends MaillageError {
  /** The GraphQL type of the failure, e.g. `VersionConflictError`, `NotFoundError`. */
  readonly typename: string;
  /** For `InvalidInputError`: every invalid field. */
  readonly fields: FieldProblem[];
  /** For `VersionConflictError`: the version the object is at now. */
  readonly currentVersion: number | undefined;

  constructor(failure: FailureResult) {
    super(failure.message, failure.code);
    this.typename = failure.__typename;
    this.fields = failure.fields ?? [];
    this.currentVersion = failure.currentVersion;
  }
}

/** The `data` of a mutation's `…Success` member. */
export type SuccessData<R> = R extends { __typename: `${string}Success`; data: infer D } ? D : never;

/**
 * Returns the `data` of a mutation result that succeeded (its `__typename` ends in `Success`),
 * else throws it as a {@link MaillageOperationError}. The operation must select `__typename` and
 * the failures' `code` and `message` (`... on Error { code message }`).
 */
export function unwrap<R extends { __typename: string }>(result: R): SuccessData<R> {
  if (result.__typename.endsWith('Success') && 'data' in result) return result.data as SuccessData<R>;
  const failure = result as Partial<FailureResult>;
  if (typeof failure.code !== 'string' || typeof failure.message !== 'string') {
    throw new MaillageError(
      `The hub answered ${result.__typename}, which this client does not know.`,
      'UNKNOWN',
    );
  }
  throw new MaillageOperationError(failure as FailureResult);
}
