/**
 * Meeting people in GraphQL (contacts.service.ts): `eventContacts`, `requestContactExchange`,
 * `answerContactExchange`, and `Registration.contactExchanges` for the person reading with their
 * manage token.
 */
import { decodeGlobalID, encodeGlobalID } from '@pothos/plugin-relay';
import { z } from 'zod';
import { builder } from '../../builder.ts';
import type { ContactExchange } from '../../generated/prisma/client.ts';
import { ContactExchangeStatus } from '../../generated/prisma/enums.ts';
import { ForbiddenError, InvalidTransitionError, NotFoundError } from '../../shared/errors.ts';
import { Organisation } from '../organisations/organisation.schema.ts';
import {
  answerContactExchange,
  exchangesOf,
  findContacts,
  requestContactExchange,
  type ContactCard,
} from './contacts.service.ts';
import { TooManyTriesError } from './events.errors.ts';
import { readByToken } from './registration.schema.ts';

const token = z.string().max(200);

const ContactExchangeStatusEnum = builder.enumType(ContactExchangeStatus, { name: 'ContactExchangeStatus' });

const EventContact = builder.objectRef<ContactCard>('EventContact').implement({
  description:
    'A participant who agreed to be contacted: the organisation, and the name and function only when they agreed to show them.',
  authScopes: { public: true },
  fields: (t) => ({
    id: t.id({ resolve: (c) => encodeGlobalID('EventContact', c.id) }),
    name: t.exposeString('name', { nullable: true }),
    organisation: t.exposeString('organisation', { nullable: true }),
    function: t.exposeString('function', { nullable: true }),
  }),
});

type ExchangeView = Awaited<ReturnType<typeof exchangesOf>>[number];

const ContactExchangeRef = builder.objectRef<ExchangeView>('ContactExchange').implement({
  description: 'A request to exchange contacts, sent or received; the address shows once accepted.',
  authScopes: { public: true },
  fields: (t) => ({
    id: t.id({ resolve: (x) => encodeGlobalID('ContactExchange', x.id) }),
    direction: t.string({ resolve: (x) => x.direction, description: 'SENT or RECEIVED.' }),
    status: t.field({ type: ContactExchangeStatusEnum, resolve: (x) => x.status }),
    message: t.exposeString('message', { nullable: true }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    answeredAt: t.expose('answeredAt', { type: 'DateTime', nullable: true }),
    other: t.field({ type: EventContact, resolve: (x) => x.other }),
    email: t.exposeString('email', {
      nullable: true,
      description: 'The other person’s address: only once the request is accepted.',
    }),
  }),
});

builder.prismaObjectFields('Registration', (t) => ({
  contactExchanges: t.field({
    type: [ContactExchangeRef],
    nullable: true,
    description: 'Contact exchanges asked and received: for the person reading with their manage token only.',
    resolve: (r, _args, ctx) => (readByToken(ctx, r.id) ? exchangesOf(ctx.prisma, r) : null),
  }),
}));

/** The raw id of a global ID of `type`; anything else reads as unknown. */
const rawId = (globalId: string, type: 'EventContact' | 'ContactExchange') => {
  let decoded: { typename: string; id: string } | null = null;
  try {
    decoded = decodeGlobalID(globalId);
  } catch {
    decoded = null;
  }
  if (decoded?.typename !== type) {
    throw new NotFoundError(type === 'EventContact' ? 'participant' : 'contact exchange');
  }
  return decoded.id;
};

builder.queryFields((t) => ({
  eventContacts: t.field({
    type: [EventContact],
    description:
      'Participants of your edition who agreed to be contacted, by organisation or by a theme of their organisation’s offers. You must have agreed to be contacted yourself.',
    authScopes: { public: true },
    errors: { types: [NotFoundError, ForbiddenError, TooManyTriesError] },
    args: {
      token: t.arg.string({ required: true, validate: token }),
      organisationId: t.arg.globalID({ for: [Organisation] }),
      theme: t.arg.string({ validate: z.string().max(100) }),
      first: t.arg.int({ defaultValue: 50 }),
    },
    resolve: (_root, args, ctx) =>
      findContacts(
        ctx.prisma,
        args.token,
        {
          organisationId: args.organisationId?.id ?? null,
          theme: args.theme ?? null,
          first: args.first ?? 50,
        },
        ctx.secretGuesses,
      ),
  }),
}));

const ExchangePayload = builder.objectRef<{ exchange: ContactExchange }>('ContactExchangePayload').implement({
  authScopes: { public: true },
  fields: (t) => ({
    id: t.id({ resolve: (p) => encodeGlobalID('ContactExchange', p.exchange.id) }),
    status: t.field({ type: ContactExchangeStatusEnum, resolve: (p) => p.exchange.status }),
  }),
});

builder.mutationFields((t) => ({
  requestContactExchange: t.field({
    type: ExchangePayload,
    description:
      'Asks another participant to exchange contacts (they are told by mail and answer with their link).',
    authScopes: { public: true },
    errors: { types: [NotFoundError, ForbiddenError, TooManyTriesError] },
    args: {
      input: t.arg({
        required: true,
        type: builder.inputType('RequestContactExchangeInput', {
          fields: (f) => ({
            token: f.string({ required: true, validate: token }),
            contactId: f.id({ required: true, validate: z.string().max(200) }),
            message: f.string({ validate: z.string().max(1000) }),
          }),
        }),
      }),
    },
    resolve: async (_root, { input }, ctx) => ({
      exchange: await requestContactExchange(
        ctx.prisma,
        ctx.accounts,
        input.token,
        rawId(String(input.contactId), 'EventContact'),
        input.message ?? null,
        ctx.secretGuesses,
      ),
    }),
  }),
  answerContactExchange: t.field({
    type: ExchangePayload,
    description: 'Accepts or declines a request to exchange contacts: once accepted, both see the addresses.',
    authScopes: { public: true },
    errors: { types: [NotFoundError, ForbiddenError, InvalidTransitionError, TooManyTriesError] },
    args: {
      input: t.arg({
        required: true,
        type: builder.inputType('AnswerContactExchangeInput', {
          fields: (f) => ({
            token: f.string({ required: true, validate: token }),
            exchangeId: f.id({ required: true, validate: z.string().max(200) }),
            accept: f.boolean({ required: true }),
          }),
        }),
      }),
    },
    resolve: async (_root, { input }, ctx) => ({
      exchange: await answerContactExchange(
        ctx.prisma,
        input.token,
        rawId(String(input.exchangeId), 'ContactExchange'),
        input.accept,
        ctx.secretGuesses,
      ),
    }),
  }),
}));
