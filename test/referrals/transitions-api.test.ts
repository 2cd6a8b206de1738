/**
 * Every step from every status, for every role, over HTTP against PostgreSQL: the steps of
 * DESIGN.md's table succeed and move the referral where it says; a step of the other side is a
 * ForbiddenError, any other step an InvalidTransitionError; the receiving side gets NotFoundError
 * for a draft (never sent, it does not exist for them); members of the two organisations
 * without a referral role, a third organisation and a hub admin get NotFoundError. A refused step
 * writes nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { encodeGlobalID } from '@pothos/plugin-relay';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { parse } from 'graphql';
import type { Role } from '../../src/generated/prisma/enums.ts';
import { signUserToken } from '../../src/modules/accounts/signing-keys.service.ts';
import { createReferral } from '../../src/modules/referrals/referral.service.ts';
import { REFERRAL_STATUSES, type Side } from '../../src/modules/referrals/referral-status.ts';
import { seedAlphaCatalogue, seedThemes } from '../helpers/catalogue-fixtures.ts';
import { seedScenario, type Scenario } from '../helpers/fixtures.ts';
import { startTestHub, type TestHub } from '../helpers/hub.ts';
import { ACTIONS, ALLOWED, TEXT } from '../helpers/referral-table.ts';

let t: TestHub;
let s: Scenario;
let referralId: string;
let globalId: string;

/** Who tries, for which side (null: may not see the referral at all). */
const ACTORS: { name: string; org: 'alpha' | 'beta' | 'gamma' | 'hub'; roles: Role[]; side: Side | null }[] =
  [
    { name: 'sender case worker', org: 'beta', roles: ['CASE_WORKER'], side: 'SENDER' },
    { name: 'sender admin', org: 'beta', roles: ['ORG_ADMIN'], side: 'SENDER' },
    { name: 'receiver case worker', org: 'alpha', roles: ['CASE_WORKER'], side: 'RECEIVER' },
    { name: 'receiver admin', org: 'alpha', roles: ['ORG_ADMIN'], side: 'RECEIVER' },
    { name: 'receiver catalogue editor', org: 'alpha', roles: ['CATALOGUE_EDITOR'], side: null },
    { name: 'third organisation', org: 'gamma', roles: ['ORG_ADMIN', 'CASE_WORKER'], side: null },
    { name: 'hub admin', org: 'hub', roles: ['HUB_ADMIN'], side: null },
  ];
const tokens = new Map<string, string>();

beforeAll(async () => {
  t = await startTestHub();
  s = await seedScenario(t.db.prisma, t.config);
  await seedThemes(t.db.prisma);
  const { offers } = await seedAlphaCatalogue(t.db.prisma, s);
  const gamma = await t.db.prisma.organisation.create({
    data: { slug: 'gamma', name: 'Organisation gamma', kind: 'ASSOCIATION' },
  });
  const orgIds = { alpha: s.org.alpha.id, beta: s.org.beta.id, gamma: gamma.id, hub: s.org.hub.id };
  const sign = { issuer: t.config.AUTH_ISSUER, audience: t.config.AUTH_AUDIENCE, ttlSeconds: 900 };
  for (const [i, actor] of ACTORS.entries()) {
    const user = await t.db.prisma.user.create({
      data: {
        email: `actor${i}@${actor.org}.example`,
        name: actor.name,
        memberships: { create: { organisationId: orgIds[actor.org], roles: actor.roles } },
      },
    });
    tokens.set(actor.name, await signUserToken(t.db.prisma, user, sign));
  }
  const bob = {
    kind: 'user' as const,
    userId: s.user.bob.id,
    email: s.user.bob.email,
    roles: new Map([[s.org.beta.id, new Set(['CASE_WORKER' as const])]]),
    hubAdmin: false,
  };
  const referral = await createReferral(t.db.prisma, bob, {
    senderOrganisationId: s.org.beta.id,
    offerId: offers.shelter.id,
    needs: 'Hébergement',
    person: { initials: 'A. B.', contactChannel: 'THROUGH_SENDER' },
    consent: { purpose: 'Orientation' },
  });
  referralId = referral.id;
  globalId = encodeGlobalID('Referral', referral.id);
});
afterAll(() => t.close());

const STEP_TEXT: Record<string, Record<string, string>> = {
  decline: { reason: TEXT.reason },
  hold: { reason: TEXT.reason },
  cancel: { reason: TEXT.reason },
  complete: { outcome: TEXT.outcome },
};

const documents = Object.fromEntries(
  ACTIONS.map((action) => {
    const Name = `${action[0]!.toUpperCase()}${action.slice(1)}Referral`;
    const document = parse(`mutation M($input: ${Name}Input!) {
      ${action}Referral(input: $input) {
        __typename
        ... on Mutation${Name}Success { data { referral { status version } } }
        ... on Error { code }
      }
    }`) as TypedDocumentNode<
      Record<string, { __typename: string; data?: { referral: { status: string; version: number } } }>,
      { input: Record<string, unknown> }
    >;
    return [action, document];
  }),
);

describe('every step from every status, for every role', () => {
  it.each(ACTORS.map((a) => [a.name, a] as const))('%s', async (_name, actor) => {
    const outcomes: string[] = [];
    for (const from of REFERRAL_STATUSES) {
      for (const action of ACTIONS) {
        await t.db.prisma.referral.update({
          where: { id: referralId },
          data: {
            status: from,
            version: 1,
            firstAnswerAt: null,
            closedAt: null,
            sentAt: from === 'DRAFT' ? null : new Date(),
          },
        });
        const events = await t.db.prisma.referralEvent.count({ where: { referralId } });
        const res = await t.send(
          documents[action]!,
          { input: { id: globalId, expectedVersion: 1, ...STEP_TEXT[action] } },
          { token: tokens.get(actor.name) },
        );
        const result = res.body.data?.[`${action}Referral`];
        const allowed = ALLOWED.find(([f, a, side]) => f === from && a === action && side === actor.side);
        const sideMayAct = ALLOWED.some(([, a, side]) => a === action && side === actor.side);
        // A draft stays with its sender: to the receiving side it does not exist.
        const expected =
          !actor.side || (from === 'DRAFT' && actor.side === 'RECEIVER')
            ? 'NotFoundError'
            : allowed
              ? `${allowed[3]} v2`
              : sideMayAct
                ? 'InvalidTransitionError'
                : 'ForbiddenError';
        const got = result?.data
          ? `${result.data.referral.status} v${result.data.referral.version}`
          : result?.__typename;
        outcomes.push(`${from} ${action}: ${got}`);
        expect(`${from} ${action}: ${got}`).toBe(`${from} ${action}: ${expected}`);
        const row = await t.db.prisma.referral.findUniqueOrThrow({ where: { id: referralId } });
        const after = await t.db.prisma.referralEvent.count({ where: { referralId } });
        if (allowed) expect([row.status, row.version, after]).toEqual([allowed[3], 2, events + 1]);
        else expect([row.status, row.version, after]).toEqual([from, 1, events]);
      }
    }
    expect(outcomes).toHaveLength(REFERRAL_STATUSES.length * ACTIONS.length);
  });
});
