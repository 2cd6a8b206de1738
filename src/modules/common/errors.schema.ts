/** GraphQL types of the expected failures shared by every module (see src/shared/errors.ts). */
import { builder } from '../../builder.ts';
import { type DomainError, ForbiddenError, InvalidInputError, NotFoundError } from '../../shared/errors.ts';

export const ErrorInterface = builder.interfaceRef<DomainError>('Error').implement({
  description: 'An expected failure a client can switch on by `__typename` or `code`.',
  authScopes: { public: true },
  fields: (t) => ({
    message: t.exposeString('message'),
    code: t.exposeString('code', { description: 'Stable, namespaced code, e.g. `common/not_found`.' }),
  }),
});

builder.objectType(NotFoundError, {
  name: 'NotFoundError',
  description: 'The object does not exist or is not visible to the caller.',
  interfaces: [ErrorInterface],
  authScopes: { public: true },
});

builder.objectType(ForbiddenError, {
  name: 'ForbiddenError',
  description: 'The caller can see the object but lacks the role for this action.',
  interfaces: [ErrorInterface],
  authScopes: { public: true },
});

export const FieldError = builder.objectRef<{ path: string[]; message: string }>('FieldError').implement({
  description: 'What is wrong with one input field.',
  authScopes: { public: true },
  fields: (t) => ({
    path: t.exposeStringList('path', { description: 'Path of the field in the input.' }),
    message: t.exposeString('message'),
  }),
});

builder.objectType(InvalidInputError, {
  name: 'InvalidInputError',
  description: 'Some input fields are invalid; nothing was written.',
  interfaces: [ErrorInterface],
  authScopes: { public: true },
  fields: (t) => ({
    fields: t.field({ type: [FieldError], resolve: (e) => e.fields }),
  }),
});
