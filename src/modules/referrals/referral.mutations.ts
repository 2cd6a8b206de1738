/** One mutation per referral step; each returns the referral or a typed error. */
import { z } from 'zod';
import { builder } from '../../builder.ts';
import type { Referral } from '../../generated/prisma/client.ts';
import type { DeclineReason } from '../../generated/prisma/enums.ts';
import {
  AmbiguousOrganisationError,
  ForbiddenError,
  IdempotencyConflictError,
  InvalidInputError,
  InvalidTransitionError,
  NotFoundError,
  UnknownThemeError,
  VersionConflictError,
} from '../../shared/errors.ts';
import { errorType } from '../common/errors.schema.ts';
import { OfferNode } from '../catalogue/offer.schema.ts';
import { Organisation } from '../organisations/organisation.schema.ts';
import {
  assignReferral,
  createReferral,
  postReferralMessage,
  stepReferral,
  updateReferralDraft,
  withdrawConsent,
} from './referral.service.ts';
import { personProblems } from './referral-person.ts';
import type { ReferralAction } from './referral-status.ts';
import {
  ContactChannelEnum,
  DeclineReasonEnum,
  ReferralNode,
  ReferralUrgencyEnum,
} from './referral.schema.ts';
import { ConsentMissingError, OfferFullError, OfferNotAcceptingReferralsError } from './referrals.errors.ts';

const ConsentProblemEnum = builder.enumType('ConsentProblem', {
  description: 'Why the consent does not cover sending.',
  values: {
    NONE: { description: 'No consent was recorded.' },
    EXPIRED: { description: 'Every consent recorded has expired.' },
    WITHDRAWN: { description: 'The person withdrew their consent.' },
    RECIPIENT: { description: 'No current consent covers the receiving organisation.' },
  } as const,
});

builder.objectType(ConsentMissingError, {
  name: 'ConsentMissingError',
  ...errorType(
    ConsentMissingError,
    "The person's consent does not cover sending this referral (see `reason`).",
  ),
  fields: (t) => ({ reason: t.field({ type: ConsentProblemEnum, resolve: (e) => e.reason }) }),
});
builder.objectType(OfferNotAcceptingReferralsError, {
  name: 'OfferNotAcceptingReferralsError',
  ...errorType(
    OfferNotAcceptingReferralsError,
    'The offer does not take referrals now (not published, withdrawn, or closed to referrals).',
  ),
});
builder.objectType(OfferFullError, {
  name: 'OfferFullError',
  ...errorType(OfferFullError, 'The offer has no free place: send with `acceptWaitlist` to wait for one.'),
});

const ReferralPayload = builder.objectRef<{ referral: Referral }>('ReferralPayload').implement({
  authScopes: { authenticated: true },
  fields: (t) => ({ referral: t.field({ type: ReferralNode, resolve: (p) => p.referral }) }),
});

/** A person's details: initials or a name, and a way to reach them (referral-person.ts). */
const personRule = z.looseObject({}).superRefine((person, ctx) => {
  for (const problem of personProblems(person)) {
    ctx.addIssue({
      code: 'custom',
      path: problem.path,
      message: problem.message,
      params: { reason: problem.reason },
    });
  }
});

const PersonInput = builder.inputType('ReferralPersonInput', {
  description:
    'At least `initials` or `name`, and a way to reach the person: `contactChannel`, with `contact` for PHONE, SMS (a phone number), EMAIL (an address) or POST (a postal address).',
  validate: personRule,
  fields: (t) => ({
    name: t.string({ validate: z.string().trim().max(200) }),
    initials: t.string({ validate: z.string().trim().max(20) }),
    birthYear: t.int({ validate: z.number().int().min(1900).max(2100) }),
    languages: t.stringList({
      validate: z
        .array(z.string().regex(/^[a-z]{2,3}$/, 'must be a language code such as fr, de or ar'))
        .max(10),
    }),
    contactChannel: t.field({ type: ContactChannelEnum }),
    contact: t.string({ validate: z.string().trim().max(200) }),
    interpreterNeeded: t.boolean(),
  }),
});

const CreateReferralInput = builder.inputType('CreateReferralInput', {
  fields: (t) => ({
    senderOrganisationId: t.globalID({
      for: [Organisation],
      description:
        'The organisation that sends. Left out: the one you send referrals for (an AmbiguousOrganisationError lists the choices when you act for several).',
    }),
    offerId: t.globalID({ required: true, for: [OfferNode] }),
    needs: t.string({ required: true, validate: z.string().trim().min(1).max(5000) }),
    needThemes: t.stringList(),
    urgency: t.field({ type: ReferralUrgencyEnum }),
    person: t.field({ type: PersonInput, required: true }),
    consentPurpose: t.string({ required: true, validate: z.string().trim().min(1).max(500) }),
    consentExpiresAt: t.field({ type: 'DateTime' }),
    idempotencyKey: t.string({ validate: z.string().min(1).max(100) }),
  }),
});

const common = [InvalidInputError, NotFoundError, ForbiddenError] as const;
type PersonFields = typeof PersonInput.$inferInput;

/** GraphQL person input → service input (empty texts are no value). */
function personOf(person: PersonFields) {
  return {
    ...person,
    name: person.name || null,
    initials: person.initials || null,
    contact: person.contact || null,
    languages: person.languages ?? [],
    interpreterNeeded: person.interpreterNeeded ?? false,
  };
}

builder.mutationField('createReferral', (t) =>
  t.field({
    type: ReferralPayload,
    description: 'Drafts a referral with the person and their consent. Retry-safe with an idempotency key.',
    authScopes: { authenticated: true },
    errors: {
      types: [
        ...common,
        AmbiguousOrganisationError,
        UnknownThemeError,
        OfferNotAcceptingReferralsError,
        IdempotencyConflictError,
      ],
    },
    args: { input: t.arg({ type: CreateReferralInput, required: true }) },
    resolve: async (_root, { input }, ctx) => ({
      referral: await createReferral(ctx.prisma, ctx.viewer, {
        senderOrganisationId: input.senderOrganisationId?.id ?? null,
        offerId: input.offerId.id,
        needs: input.needs.trim(),
        needThemes: input.needThemes ?? [],
        urgency: input.urgency ?? 'ROUTINE',
        person: personOf(input.person),
        consent: { purpose: input.consentPurpose, expiresAt: input.consentExpiresAt ?? null },
        idempotencyKey: input.idempotencyKey ?? null,
      }),
    }),
  }),
);

const UpdateReferralDraftInput = builder.inputType('UpdateReferralDraftInput', {
  description: 'Fields left out stay as they are; `person` replaces the person’s details as a whole.',
  fields: (t) => ({
    id: t.globalID({ required: true, for: [ReferralNode] }),
    expectedVersion: t.int({ required: true, description: 'The `version` you read.' }),
    offerId: t.globalID({
      for: [OfferNode],
      description: 'Another offer; one of another organisation needs a consent covering it before sending.',
    }),
    needs: t.string({ validate: z.string().trim().min(1).max(5000) }),
    needThemes: t.stringList(),
    urgency: t.field({ type: ReferralUrgencyEnum }),
    person: t.field({ type: PersonInput }),
    consentPurpose: t.string({
      description: 'Records a further consent of the person, for the current receiving organisation.',
      validate: z.string().trim().min(1).max(500),
    }),
    consentExpiresAt: t.field({ type: 'DateTime' }),
  }),
});

builder.mutationField('updateReferralDraft', (t) =>
  t.field({
    type: ReferralPayload,
    description: 'The sending side edits a draft before sending it.',
    authScopes: { authenticated: true },
    errors: {
      types: [
        ...common,
        VersionConflictError,
        InvalidTransitionError,
        UnknownThemeError,
        OfferNotAcceptingReferralsError,
      ],
    },
    args: { input: t.arg({ type: UpdateReferralDraftInput, required: true }) },
    resolve: async (_root, { input }, ctx) => ({
      referral: await updateReferralDraft(ctx.prisma, ctx.viewer, input.id.id, input.expectedVersion, {
        offerId: input.offerId?.id ?? null,
        needs: input.needs?.trim() ?? null,
        needThemes: input.needThemes ?? null,
        urgency: input.urgency ?? null,
        person: input.person ? personOf(input.person) : null,
        consent: input.consentPurpose
          ? { purpose: input.consentPurpose.trim(), expiresAt: input.consentExpiresAt ?? null }
          : null,
      }),
    }),
  }),
);

/** The step mutations: sendReferral, acknowledgeReferral, … cancelReferral. */
const STEPS: { action: ReferralAction; text?: 'reason' | 'outcome'; description: string }[] = [
  { action: 'send', description: 'Sends a draft to the receiving organisation (checks consent and places).' },
  { action: 'acknowledge', description: 'The receiving side confirms it has seen the referral.' },
  { action: 'accept', description: 'The receiving side takes the person on.' },
  { action: 'decline', text: 'reason', description: 'The receiving side declines, with a reason.' },
  { action: 'start', description: 'Work with the person has started.' },
  { action: 'hold', text: 'reason', description: 'Work pauses, with a reason.' },
  { action: 'resume', description: 'Work resumes.' },
  { action: 'complete', text: 'outcome', description: 'Closes the loop with the outcome.' },
  {
    action: 'cancel',
    text: 'reason',
    description: 'The sender (or the receiver once accepted) cancels, with a reason.',
  },
];

for (const step of STEPS) {
  const Name = `${step.action[0]!.toUpperCase()}${step.action.slice(1)}Referral`;
  const Input = builder.inputType(`${Name}Input`, {
    fields: (t) => ({
      id: t.globalID({ required: true, for: [ReferralNode] }),
      expectedVersion: t.int({ required: true, description: 'The `version` you read.' }),
      ...(step.text
        ? { [step.text]: t.string({ required: true, validate: z.string().trim().min(1).max(2000) }) }
        : {}),
      ...(step.action === 'send'
        ? {
            acceptWaitlist: t.boolean({ description: 'Send even if the offer is full, to its waitlist.' }),
            idempotencyKey: t.string({
              description: 'Makes the step safe to retry: the same key and input return the first result.',
              validate: z.string().min(1).max(100),
            }),
          }
        : {}),
      ...(step.action === 'decline'
        ? {
            reasonCode: t.field({
              type: DeclineReasonEnum,
              description: 'Counted in statistics (default OTHER).',
            }),
          }
        : {}),
    }),
  });
  builder.mutationField(`${step.action}Referral`, (t) =>
    t.field({
      type: ReferralPayload,
      description: step.description,
      authScopes: { authenticated: true },
      errors: {
        types: [
          ...common,
          InvalidTransitionError,
          VersionConflictError,
          ...(step.action === 'send'
            ? [ConsentMissingError, OfferNotAcceptingReferralsError, OfferFullError, IdempotencyConflictError]
            : []),
        ],
      },
      args: { input: t.arg({ type: Input, required: true }) },
      resolve: async (_root, { input }, ctx) => {
        const i = input as {
          id: { id: string };
          expectedVersion: number;
          reason?: string;
          outcome?: string;
          acceptWaitlist?: boolean | null;
          idempotencyKey?: string | null;
          reasonCode?: DeclineReason | null;
        };
        return {
          referral: await stepReferral(ctx, ctx.viewer, i.id.id, step.action, {
            expectedVersion: i.expectedVersion,
            reason: i.reason ?? null,
            outcome: i.outcome ?? null,
            acceptWaitlist: i.acceptWaitlist ?? false,
            idempotencyKey: i.idempotencyKey ?? null,
            declineReason: i.reasonCode ?? null,
          }),
        };
      },
    }),
  );
}

const WithdrawConsentInput = builder.inputType('WithdrawConsentInput', {
  fields: (t) => ({ id: t.globalID({ required: true, for: [ReferralNode] }) }),
});

builder.mutationField('withdrawConsent', (t) =>
  t.field({
    type: ReferralPayload,
    description:
      'Records that the person withdrew their consent: an open referral is cancelled, and the receiving side no longer sees the person.',
    authScopes: { authenticated: true },
    errors: { types: [...common] },
    args: { input: t.arg({ type: WithdrawConsentInput, required: true }) },
    resolve: async (_root, { input }, ctx) => ({
      referral: await withdrawConsent(ctx.prisma, ctx.viewer, input.id.id),
    }),
  }),
);

const AssignReferralInput = builder.inputType('AssignReferralInput', {
  fields: (t) => ({
    id: t.globalID({ required: true, for: [ReferralNode] }),
    expectedVersion: t.int({ required: true }),
    assigneeId: t.globalID({ description: 'A case worker of the receiving organisation; null to unassign.' }),
  }),
});

builder.mutationField('assignReferral', (t) =>
  t.field({
    type: ReferralPayload,
    description: 'The receiving side puts one of its case workers in charge (or nobody).',
    authScopes: { authenticated: true },
    errors: { types: [...common, VersionConflictError] },
    args: { input: t.arg({ type: AssignReferralInput, required: true }) },
    resolve: async (_root, { input }, ctx) => ({
      referral: await assignReferral(
        ctx.prisma,
        ctx.viewer,
        input.id.id,
        input.assigneeId?.id ?? null,
        input.expectedVersion,
      ),
    }),
  }),
);

const PostReferralMessageInput = builder.inputType('PostReferralMessageInput', {
  fields: (t) => ({
    id: t.globalID({ required: true, for: [ReferralNode] }),
    body: t.string({ required: true, validate: z.string().trim().min(1).max(5000) }),
  }),
});

builder.mutationField('postReferralMessage', (t) =>
  t.field({
    type: ReferralPayload,
    description: 'A message to the other side of the referral.',
    authScopes: { authenticated: true },
    errors: { types: [...common] },
    args: { input: t.arg({ type: PostReferralMessageInput, required: true }) },
    resolve: async (_root, { input }, ctx) => ({
      referral: await postReferralMessage(ctx.prisma, ctx.viewer, input.id.id, input.body.trim()),
    }),
  }),
);
