/**
 * Registering and managing a registration in GraphQL. `registerForEvent` is public (with an
 * invited organisation's code); `registerStaff` is for an organisation's admins;
 * `registerParticipant` for the organisers. The person holds their registration through the
 * manage token (`registrationByToken`, `updateRegistration(token)`, `cancelRegistration(token)`,
 * `exportRegistration`, `deleteRegistration`); the organisers and the person's organisation's
 * admins through its global ID. Wrong tokens and codes count against the client's address.
 */
import { z } from 'zod';
import { builder } from '../../builder.ts';
import type { Registration } from '../../generated/prisma/client.ts';
import {
  ForbiddenError,
  InvalidInputError,
  InvalidTransitionError,
  NotFoundError,
  VersionConflictError,
} from '../../shared/errors.ts';
import type { Viewer } from '../accounts/viewer.ts';
import { Organisation } from '../organisations/organisation.schema.ts';
import { EventEditionNode, EventSessionNode } from './event.schema.ts';
import {
  AlreadyRegisteredError,
  InvitationCodeError,
  RegistrationClosedError,
  SessionFullError,
  TooManyTriesError,
} from './events.errors.ts';
import { markReadByToken, ParticipantCategoryEnum, RegistrationNode } from './registration.schema.ts';
import {
  cancelRegistration,
  deleteRegistration,
  exportRegistration,
  heldRegistration,
  registerByOrganiser,
  registerStaff,
  registerWithCode,
  updateRegistration,
  type Holder,
  type RegistrationFields,
} from './registration.service.ts';

const Locale = builder.enumType('RegistrationLocale', {
  description: 'The language of the messages a participant receives.',
  values: { FR: { value: 'fr' }, DE: { value: 'de' }, EN: { value: 'en' } } as const,
});

const token = z.string().max(200);

const RegistrationFieldsInput = builder.inputType('RegistrationFieldsInput', {
  description: 'A participant’s details, their sessions and their consent, field by field.',
  fields: (t) => ({
    name: t.string({ required: true, validate: z.string().max(200) }),
    email: t.string({ required: true, validate: z.string().max(320) }),
    organisationName: t.string({
      validate: z.string().max(200),
      description: 'For someone from outside the hub’s organisations (ignored when an organisation is set).',
    }),
    function: t.string({ validate: z.string().max(200) }),
    category: t.field({ type: ParticipantCategoryEnum, required: true }),
    sessionIds: t.globalIDList({ for: [EventSessionNode], validate: z.array(z.unknown()).max(50) }),
    waitlist: t.boolean({
      description:
        'Join the waitlist of sessions that are full (else SessionFullError and nothing is written).',
    }),
    accessibilityNeeds: t.string({
      validate: z.string().max(2000),
      description: 'Read by the organisers only; erased after the event.',
    }),
    showName: t.boolean({ description: 'Appear by name on the public participant list.' }),
    showOrganisation: t.boolean({ description: 'Show the organisation on the public list.' }),
    showFunction: t.boolean({ description: 'Show the function on the public list.' }),
    contactable: t.boolean({ description: 'Other participants may find you and ask to exchange contacts.' }),
    locale: t.field({ type: Locale }),
  }),
});

type FieldsIn = typeof RegistrationFieldsInput.$inferInput;
const fieldsOf = (f: FieldsIn): RegistrationFields => ({
  ...f,
  sessionIds: f.sessionIds?.map((s) => s.id) ?? [],
});

const RegisterForEventInput = builder.inputType('RegisterForEventInput', {
  fields: (t) => ({
    edition: t.string({ required: true, validate: z.string().max(100), description: 'The edition’s slug.' }),
    code: t.string({
      required: true,
      validate: token,
      description: 'Your organisation’s registration code (from its admin or the organisers).',
    }),
    participant: t.field({ type: RegistrationFieldsInput, required: true }),
  }),
});

const RegisterStaffInput = builder.inputType('RegisterStaffInput', {
  fields: (t) => ({
    editionId: t.globalID({ required: true, for: [EventEditionNode] }),
    organisationId: t.globalID({ required: true, for: [Organisation], description: 'Your organisation.' }),
    participant: t.field({ type: RegistrationFieldsInput, required: true }),
  }),
});

const RegisterParticipantInput = builder.inputType('RegisterParticipantInput', {
  fields: (t) => ({
    editionId: t.globalID({ required: true, for: [EventEditionNode] }),
    organisationId: t.globalID({ for: [Organisation], description: 'A hub organisation, or leave out.' }),
    participant: t.field({ type: RegistrationFieldsInput, required: true }),
  }),
});

const RegistrationHolderFields = {
  token: 'The manage token (`evm_…`) from the confirmation mail.',
  id: 'Or the registration’s global ID, for the organisers and the person’s organisation’s admins.',
};

const UpdateRegistrationInput = builder.inputType('UpdateRegistrationInput', {
  fields: (t) => ({
    token: t.string({ validate: token, description: RegistrationHolderFields.token }),
    id: t.globalID({ for: [RegistrationNode], description: RegistrationHolderFields.id }),
    expectedVersion: t.int({ required: true }),
    name: t.string({ validate: z.string().max(200) }),
    function: t.string({ validate: z.string().max(200) }),
    organisationName: t.string({ validate: z.string().max(200) }),
    category: t.field({ type: ParticipantCategoryEnum }),
    accessibilityNeeds: t.string({ validate: z.string().max(2000) }),
    showName: t.boolean(),
    showOrganisation: t.boolean(),
    showFunction: t.boolean(),
    contactable: t.boolean(),
    locale: t.field({ type: Locale }),
    sessionIds: t.globalIDList({
      for: [EventSessionNode],
      validate: z.array(z.unknown()).max(50),
      description: 'The sessions wanted now: seats of those left out go to the next in line.',
    }),
    waitlist: t.boolean(),
  }),
});

const RegistrationHolderInput = builder.inputType('RegistrationHolderInput', {
  fields: (t) => ({
    token: t.string({ validate: token, description: RegistrationHolderFields.token }),
    id: t.globalID({ for: [RegistrationNode], description: RegistrationHolderFields.id }),
  }),
});

function holderOf(
  input: { token?: string | null; id?: { id: string } | null },
  viewer: Viewer | null,
): Holder {
  if (input.token && input.id) {
    throw new InvalidInputError(null, [
      { path: ['input', 'id'], message: 'give either a token or an id, not both' },
    ]);
  }
  if (input.token) return { token: input.token };
  if (input.id) return { viewer, id: input.id.id };
  throw new InvalidInputError(null, [
    { path: ['input', 'token'], message: 'give the manage token or the id' },
  ]);
}

const RegisteredPayload = builder
  .objectRef<{ registration: Registration; manageToken: string }>('RegisteredPayload')
  .implement({
    authScopes: { public: true },
    fields: (t) => ({
      registration: t.field({ type: RegistrationNode, resolve: (p) => p.registration }),
      manageToken: t.exposeString('manageToken', {
        description:
          'The private manage token, shown this once (and mailed to the participant): whoever holds it reads and changes the registration.',
      }),
    }),
  });

const RegistrationPayload = builder
  .objectRef<{ registration: Registration }>('RegistrationPayload')
  .implement({
    authScopes: { public: true },
    fields: (t) => ({ registration: t.field({ type: RegistrationNode, resolve: (p) => p.registration }) }),
  });

const DeletedPayload = builder.objectRef<{ deleted: boolean }>('RegistrationDeletedPayload').implement({
  authScopes: { public: true },
  fields: (t) => ({ deleted: t.exposeBoolean('deleted') }),
});

const registerErrors = [
  InvalidInputError,
  NotFoundError,
  ForbiddenError,
  SessionFullError,
  AlreadyRegisteredError,
  RegistrationClosedError,
] as const;

/** The person reading through the token sees what the organisers see of their registration. */
function byToken<T extends { registration: Registration }>(
  ctx: Parameters<typeof markReadByToken>[0],
  usedToken: boolean,
  payload: T,
): T {
  if (usedToken) markReadByToken(ctx, payload.registration.id);
  return payload;
}

builder.mutationFields((t) => ({
  registerForEvent: t.field({
    type: RegisteredPayload,
    description:
      'Registers yourself for an open edition with your organisation’s registration code, without an account. The manage token is returned once and mailed to you.',
    authScopes: { public: true },
    errors: { types: [...registerErrors, InvitationCodeError, TooManyTriesError] },
    args: { input: t.arg({ type: RegisterForEventInput, required: true }) },
    resolve: async (_root, { input }, ctx) =>
      byToken(
        ctx,
        true,
        await registerWithCode(
          ctx.prisma,
          ctx.accounts,
          input.edition,
          input.code,
          fieldsOf(input.participant),
          ctx.secretGuesses,
        ),
      ),
  }),
  registerStaff: t.field({
    type: RegisteredPayload,
    description: 'Registers one of your organisation’s staff (its admins), for an edition it is invited to.',
    authScopes: { authenticated: true },
    errors: { types: [...registerErrors] },
    args: { input: t.arg({ type: RegisterStaffInput, required: true }) },
    resolve: async (_root, { input }, ctx) =>
      registerStaff(ctx.prisma, ctx.accounts, ctx.viewer, input.editionId.id, {
        ...fieldsOf(input.participant),
        organisationId: input.organisationId.id,
      }),
  }),
  registerParticipant: t.field({
    type: RegisteredPayload,
    description: 'Adds anyone to an edition you organise (from a hub organisation or another).',
    authScopes: { authenticated: true },
    errors: { types: [...registerErrors] },
    args: { input: t.arg({ type: RegisterParticipantInput, required: true }) },
    resolve: async (_root, { input }, ctx) =>
      registerByOrganiser(ctx.prisma, ctx.accounts, ctx.viewer, input.editionId.id, {
        ...fieldsOf(input.participant),
        organisationId: input.organisationId?.id ?? null,
      }),
  }),
  updateRegistration: t.field({
    type: RegistrationPayload,
    description:
      'Changes a registration (details, consent, sessions), with its manage token or as its organisers or organisation’s admins. Consent withdrawn takes effect at once on every public page.',
    authScopes: { public: true },
    errors: {
      types: [
        InvalidInputError,
        NotFoundError,
        VersionConflictError,
        InvalidTransitionError,
        SessionFullError,
        RegistrationClosedError,
        TooManyTriesError,
      ],
    },
    args: { input: t.arg({ type: UpdateRegistrationInput, required: true }) },
    resolve: async (_root, { input }, ctx) => {
      const { token: _t, id: _i, sessionIds, ...changes } = input;
      const registration = await updateRegistration(
        ctx.prisma,
        ctx.accounts,
        holderOf(input, ctx.viewer),
        { ...changes, sessionIds: sessionIds?.map((s) => s.id) ?? null },
        ctx.secretGuesses,
      );
      return byToken(ctx, !!input.token, { registration });
    },
  }),
  cancelRegistration: t.field({
    type: RegistrationPayload,
    description:
      'Cancels a registration; its seats go to the next in line of each session, who are told by mail.',
    authScopes: { public: true },
    errors: { types: [InvalidInputError, NotFoundError, TooManyTriesError] },
    args: { input: t.arg({ type: RegistrationHolderInput, required: true }) },
    resolve: async (_root, { input }, ctx) =>
      byToken(ctx, !!input.token, {
        registration: await cancelRegistration(
          ctx.prisma,
          ctx.accounts,
          holderOf(input, ctx.viewer),
          ctx.secretGuesses,
        ),
      }),
  }),
  deleteRegistration: t.field({
    type: DeletedPayload,
    description:
      'Erases what the hub holds of you for this edition (name, address, function, needs, contact exchanges), with your manage token. Only your organisation and category remain, as counts.',
    authScopes: { public: true },
    errors: { types: [NotFoundError, TooManyTriesError] },
    args: { token: t.arg.string({ required: true, validate: token }) },
    resolve: async (_root, { token: manage }, ctx) => {
      await deleteRegistration(ctx.prisma, ctx.accounts, { token: manage }, ctx.secretGuesses);
      return { deleted: true };
    },
  }),
}));

builder.queryFields((t) => ({
  registrationByToken: t.field({
    type: RegistrationNode,
    nullable: true,
    description:
      'Your registration, read with its manage token (no account needed). Null for an unknown token; wrong tokens count against your address.',
    authScopes: { public: true },
    args: { token: t.arg.string({ required: true, validate: token }) },
    resolve: async (_root, { token: manage }, ctx) => {
      try {
        const registration = await heldRegistration(ctx.prisma, { token: manage }, ctx.secretGuesses);
        markReadByToken(ctx, registration.id);
        return registration;
      } catch (error) {
        if (error instanceof NotFoundError) return null;
        throw error;
      }
    },
  }),
  exportRegistration: t.string({
    nullable: true,
    description:
      'Everything the hub holds of your registration, as JSON, read with its manage token. Null for an unknown token.',
    authScopes: { public: true },
    args: { token: t.arg.string({ required: true, validate: token }) },
    resolve: async (_root, { token: manage }, ctx) => {
      try {
        return JSON.stringify(await exportRegistration(ctx.prisma, manage, ctx.secretGuesses), null, 2);
      } catch (error) {
        if (error instanceof NotFoundError) return null;
        throw error;
      }
    },
  }),
}));
