/** GraphQL types of the catalogue's own expected failures (shared ones: common/errors.schema.ts). */
import { builder } from '../../builder.ts';
import { errorType, FieldError } from '../common/errors.schema.ts';
import { OfferNotPublishableError, UnknownCommuneError } from './catalogue.errors.ts';

builder.objectType(UnknownCommuneError, {
  name: 'UnknownCommuneError',
  ...errorType(UnknownCommuneError, 'Some communes do not exist in Luxembourg (see `communes`).'),
  fields: (t) => ({
    communes: t.exposeStringList('communes'),
    field: t.exposeStringList('field', {
      nullable: true,
      description: 'Path of the input field that holds them, e.g. `["input", "serviceArea"]`.',
    }),
  }),
});

builder.objectType(OfferNotPublishableError, {
  name: 'OfferNotPublishableError',
  ...errorType(
    OfferNotPublishableError,
    'Publishing needs a title, a theme and a site or a service area (see `fields`).',
  ),
  fields: (t) => ({ fields: t.field({ type: [FieldError], resolve: (e) => e.fields }) }),
});
