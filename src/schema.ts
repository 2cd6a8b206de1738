/** The GraphQL schema: every module's schema file, then builder.toSchema(). */
import { builder } from './builder.ts';
import './modules/common/errors.schema.ts';
import './modules/organisations/organisation.schema.ts';
import './modules/accounts/user.schema.ts';
import './modules/accounts/api-client.schema.ts';
import './modules/accounts/accounts-errors.schema.ts';
import './modules/accounts/membership.schema.ts';
import './modules/accounts/session.schema.ts';
import './modules/accounts/invitation.schema.ts';
import './modules/accounts/audit-log.schema.ts';
import './modules/organisations/organisation.mutations.ts';
import './modules/mail/mail.schema.ts';
import './modules/catalogue/catalogue-errors.schema.ts';
import './modules/catalogue/theme.schema.ts';
import './modules/catalogue/site.schema.ts';
import './modules/catalogue/offer.schema.ts';
import './modules/catalogue/offer.mutations.ts';
import './modules/catalogue/organisation-catalogue.schema.ts';
import './modules/referrals/referral.schema.ts';
import './modules/referrals/referral.mutations.ts';
import './modules/referrals/referral-stats.schema.ts';
import './modules/webhooks/webhook.schema.ts';
import './modules/realtime/realtime.schema.ts';
import './modules/realtime/offer-notices.schema.ts';

export const schema = builder.toSchema({ sortSchema: true });
