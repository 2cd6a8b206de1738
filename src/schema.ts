/** The GraphQL schema: every module's schema file, then builder.toSchema(). */
import { builder } from './builder.ts';
import './modules/common/errors.schema.ts';
import './modules/organisations/organisation.schema.ts';
import './modules/accounts/user.schema.ts';
import './modules/accounts/api-client.schema.ts';

export const schema = builder.toSchema({ sortSchema: true });
