/**
 * GraphQL types of the expected failures shared by every module (see src/shared/errors.ts), and
 * `errorType`, which every module uses to publish its own: it writes the class's code into the
 * type's description, so that the schema (GraphiQL's Docs, the SDL) says which code each type
 * carries, and `test/api/errors.test.ts` checks one code per meaning from the schema itself.
 */
import { builder } from '../../builder.ts';
import {
  AmbiguousOrganisationError,
  type DomainError,
  type DomainErrorClass,
  type FieldProblem,
  type FieldProblemReason,
  ForbiddenError,
  IdempotencyConflictError,
  InvalidInputError,
  InvalidTransitionError,
  NotFoundError,
  UnknownThemeError,
  VersionConflictError,
} from '../../shared/errors.ts';
import { RoleEnum } from '../accounts/user.schema.ts';
import { Organisation } from '../organisations/organisation.schema.ts';

export const ErrorInterface = builder.interfaceRef<DomainError>('Error').implement({
  description:
    'An expected failure a client can switch on by `__typename` or `code`. Each code means one thing in every domain; each error type says its code.',
  authScopes: { public: true },
  fields: (t) => ({
    message: t.exposeString('message', { description: 'What went wrong, in plain words.' }),
    code: t.exposeString('code', {
      description: 'Stable, namespaced code, e.g. `common/not_found`: the same for every instance of a type.',
    }),
  }),
});

/**
 * What makes a class a published error type: it implements `Error`, it is public (an error says
 * no more than its message), and its description ends with its code. Every module publishes its
 * errors so: `builder.objectType(MyError, { name: 'MyError', ...errorType(MyError, 'What it means.') })`.
 */
export function errorType(cls: DomainErrorClass, description: string) {
  return {
    description: `${description} Code: \`${cls.code}\`.`,
    interfaces: [ErrorInterface],
    authScopes: { public: true as const },
  };
}

builder.objectType(NotFoundError, {
  name: 'NotFoundError',
  ...errorType(NotFoundError, 'The object does not exist or is not visible to the caller.'),
});

builder.objectType(ForbiddenError, {
  name: 'ForbiddenError',
  ...errorType(ForbiddenError, 'The caller can see the object but lacks the role for this action.'),
  fields: (t) => ({
    requiredRole: t.field({
      type: RoleEnum,
      nullable: true,
      description:
        'The one role that would allow the action (e.g. HUB_ADMIN to give a network role), where one does; null otherwise.',
      resolve: (e) => e.requiredRole,
    }),
  }),
});

export const FieldError = builder.objectRef<FieldProblem>('FieldError').implement({
  description: 'What is wrong with one input field.',
  authScopes: { public: true },
  fields: (t) => ({
    path: t.exposeStringList('path', {
      description: 'Path of the field in the arguments, e.g. `["input", "person", "contact"]`.',
    }),
    message: t.exposeString('message', { description: 'What is wrong, in plain words.' }),
    reason: t.field({
      type: builder.enumType('FieldProblemReason', {
        description: 'Why a field is wrong, for a client that words it in its user’s language.',
        values: {
          REQUIRED: { description: 'Missing or empty.' },
          FORMAT: { description: 'Not in the expected form (the message says which).' },
          TAKEN: { description: 'Already used where it must be unique.' },
          NOT_FOUND: { description: 'No object with this ID that the caller may see.' },
          OTHER_ORGANISATION: { description: 'An object of another organisation than allowed here.' },
          CANCELLED: { description: 'An object that was cancelled and can no longer be used.' },
          TOO_LONG: { description: 'Longer than allowed: at most `limit` characters (or items of a list).' },
          TOO_SHORT: {
            description: 'Shorter than allowed: at least `limit` characters (or items of a list).',
          },
          TOO_SMALL: {
            description: 'A number below the least it may be now: at least `limit` (the message says why).',
          },
          PAST: { description: 'A date or time that has passed, where one in the future is needed.' },
          FUTURE: {
            description:
              'A date in the future, where today or one before it is needed; or a scan’s time ahead of the hub’s clock (the scanner’s clock is wrong).',
          },
          INSECURE_URL: { description: 'A web address that does not use https.' },
          URL_CREDENTIALS: { description: 'A web address with a user name or password in it.' },
          URL_FRAGMENT: { description: 'A web address with a fragment (`#…`).' },
          BLOCKED_PORT: { description: 'A web address on a port reserved for another protocol.' },
          INTERNAL_ADDRESS: {
            description:
              'A web address that leads into an internal network (webhooks reach public hosts only).',
          },
          OUTSIDE_EDITION: {
            description:
              'A session’s time before its edition starts or after it ends: a session takes place during its edition.',
          },
          SESSIONS_OUTSIDE: {
            description:
              'An edition’s new dates would leave `limit` sessions of its programme outside its hours (moving it to another day moves the programme with it; a change of hours does not): move or take off those sessions first.',
          },
        } satisfies Record<FieldProblemReason, { description: string }>,
      }),
      nullable: true,
      description: 'Why, where the hub names it (null: only `message` says).',
      resolve: (f) => f.reason ?? null,
    }),
    limit: t.int({
      nullable: true,
      description:
        'For TOO_LONG and TOO_SHORT: the greatest or least length allowed (characters, or items of a list); for TOO_SMALL, the least number.',
      resolve: (f) => f.limit ?? null,
    }),
  }),
});

builder.objectType(InvalidInputError, {
  name: 'InvalidInputError',
  ...errorType(
    InvalidInputError,
    'Some input fields are invalid (all of them are listed); nothing was written.',
  ),
  fields: (t) => ({
    fields: t.field({ type: [FieldError], resolve: (e) => e.fields }),
  }),
});

builder.objectType(VersionConflictError, {
  name: 'VersionConflictError',
  ...errorType(
    VersionConflictError,
    'The object changed since the version you read: reload it and apply your change again.',
  ),
  fields: (t) => ({
    expectedVersion: t.exposeInt('expectedVersion'),
    currentVersion: t.exposeInt('currentVersion'),
  }),
});

builder.objectType(InvalidTransitionError, {
  name: 'InvalidTransitionError',
  ...errorType(
    InvalidTransitionError,
    "The object's status does not allow this step (a referral's, an offer's…).",
  ),
  fields: (t) => ({
    status: t.exposeString('status', { description: 'The status the object is in, e.g. `SENT`.' }),
  }),
});

builder.objectType(IdempotencyConflictError, {
  name: 'IdempotencyConflictError',
  ...errorType(IdempotencyConflictError, 'This idempotency key was already used with a different input.'),
});

builder.objectType(UnknownThemeError, {
  name: 'UnknownThemeError',
  ...errorType(UnknownThemeError, 'Some theme codes do not exist (see `themes`).'),
  fields: (t) => ({
    codes: t.exposeStringList('codes'),
    field: t.exposeStringList('field', {
      nullable: true,
      description: 'Path of the input field that holds them, e.g. `["criteria", "themes"]`.',
    }),
  }),
});

builder.objectType(AmbiguousOrganisationError, {
  name: 'AmbiguousOrganisationError',
  ...errorType(
    AmbiguousOrganisationError,
    'You act for several organisations and the input does not say which one: fill in `field` with one of `choices`.',
  ),
  fields: (t) => ({
    field: t.exposeStringList('field', {
      description: 'Path of the input field to fill in, e.g. `["input", "senderOrganisationId"]`.',
    }),
    choices: t.field({ type: [Organisation], resolve: (e) => e.choices }),
  }),
});
