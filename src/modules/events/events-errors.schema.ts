/** GraphQL types of the Events module's own expected failures (shared ones: common/errors.schema.ts). */
import { encodeGlobalID } from '@pothos/plugin-relay';
import { builder } from '../../builder.ts';
import { errorType } from '../common/errors.schema.ts';
import {
  AlreadyRegisteredError,
  BadgeOtherEditionError,
  InvitationCodeError,
  RegistrationClosedError,
  SessionFullError,
  TooManyTriesError,
} from './events.errors.ts';

builder.objectType(SessionFullError, {
  name: 'SessionFullError',
  ...errorType(
    SessionFullError,
    'Some sessions asked for are full; nothing was written. Ask again with `waitlist: true` to join their waitlists.',
  ),
  fields: (t) => ({
    sessionIds: t.idList({
      resolve: (e) => e.sessionIds.map((id) => encodeGlobalID('EventSession', id)),
      description: 'The full sessions (global IDs).',
    }),
    waitlistLengths: t.exposeIntList('waitlistLengths', {
      description: 'How many are already waiting for each, in the same order.',
    }),
  }),
});

const InvitationCodeProblem = builder.enumType('InvitationCodeProblem', {
  values: ['WRONG', 'EXPIRED', 'WITHDRAWN'] as const,
});

builder.objectType(InvitationCodeError, {
  name: 'InvitationCodeError',
  ...errorType(
    InvitationCodeError,
    'The registration code is wrong for this edition, has expired, or was withdrawn by the organisers.',
  ),
  fields: (t) => ({ reason: t.field({ type: InvitationCodeProblem, resolve: (e) => e.reason }) }),
});

builder.objectType(AlreadyRegisteredError, {
  name: 'AlreadyRegisteredError',
  ...errorType(
    AlreadyRegisteredError,
    'This address is already registered for the edition; its manage link was sent to it again.',
  ),
});

builder.objectType(RegistrationClosedError, {
  name: 'RegistrationClosedError',
  ...errorType(RegistrationClosedError, 'Registration is not open for this edition.'),
  fields: (t) => ({ status: t.exposeString('status', { description: 'The edition’s status.' }) }),
});

builder.objectType(BadgeOtherEditionError, {
  name: 'BadgeOtherEditionError',
  ...errorType(BadgeOtherEditionError, 'The badge belongs to another edition; nobody was checked in.'),
});

builder.objectType(TooManyTriesError, {
  name: 'TooManyTriesError',
  ...errorType(
    TooManyTriesError,
    'Too many wrong tokens or codes from this address: wait before trying again.',
  ),
  fields: (t) => ({ retryAfterSeconds: t.exposeInt('retryAfterSeconds') }),
});
