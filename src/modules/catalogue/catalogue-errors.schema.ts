/** GraphQL types of the catalogue's expected failures. */
import { builder } from '../../builder.ts';
import { ErrorInterface, FieldError } from '../common/errors.schema.ts';
import {
  OfferNotPublishableError,
  OfferStatusError,
  UnknownCommuneError,
  UnknownThemeError,
  VersionConflictError,
} from './catalogue.errors.ts';

builder.objectType(VersionConflictError, {
  name: 'VersionConflictError',
  description: 'The object changed since the version you read: reload it and apply your change again.',
  interfaces: [ErrorInterface],
  authScopes: { public: true },
  fields: (t) => ({
    expectedVersion: t.exposeInt('expectedVersion'),
    currentVersion: t.exposeInt('currentVersion'),
  }),
});

builder.objectType(UnknownThemeError, {
  name: 'UnknownThemeError',
  interfaces: [ErrorInterface],
  authScopes: { public: true },
  fields: (t) => ({ codes: t.exposeStringList('codes') }),
});

builder.objectType(UnknownCommuneError, {
  name: 'UnknownCommuneError',
  interfaces: [ErrorInterface],
  authScopes: { public: true },
  fields: (t) => ({ communes: t.exposeStringList('communes') }),
});

builder.objectType(OfferNotPublishableError, {
  name: 'OfferNotPublishableError',
  description: 'Publishing needs a title, a theme and a site or a service area.',
  interfaces: [ErrorInterface],
  authScopes: { public: true },
  fields: (t) => ({ fields: t.field({ type: [FieldError], resolve: (e) => e.fields }) }),
});

builder.objectType(OfferStatusError, {
  name: 'OfferStatusError',
  description: "The offer's status does not allow this step.",
  interfaces: [ErrorInterface],
  authScopes: { public: true },
});
