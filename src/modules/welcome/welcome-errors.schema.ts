/** GraphQL types of the Welcome module's own expected failures (shared ones: common/errors.schema.ts). */
import { builder } from '../../builder.ts';
import { errorType, FieldError } from '../common/errors.schema.ts';
import { GuideNotPublishableError } from './welcome.errors.ts';

builder.objectType(GuideNotPublishableError, {
  name: 'GuideNotPublishableError',
  ...errorType(
    GuideNotPublishableError,
    'Publishing a guide needs a title in its source language and at least one entry its provider confirmed (see `fields`).',
  ),
  fields: (t) => ({ fields: t.field({ type: [FieldError], resolve: (e) => e.fields }) }),
});
