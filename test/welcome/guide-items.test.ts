/**
 * Guide entries over HTTP against PostgreSQL: proposing an offer, every step from every status for
 * each kind of viewer (the guide side, the provider, a reader of the provider's organisation, a
 * third organisation, a hub admin), refusals that write nothing, concurrent answers (one wins),
 * stale versions, bad input, what the public sees, and the provider's inbox.
 *
 * Beta's coordinators write a guide; alpha provides the offers (Alice is its admin and catalogue
 * editor); Carol is a case worker of alpha: she sees the entries (her organisation provides them)
 * but may not answer.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { encodeGlobalID } from '@pothos/plugin-relay';
import {
  AnswerGuideProposalDocument,
  EndGuideItemDocument,
  GuideItemDocument,
  GuideProposalsDocument,
  MakeGuideItemRegularDocument,
  ProposeGuideItemDocument,
  UpdateGuideItemDocument,
  WithdrawGuideProposalDocument,
} from '../../clients/generated/graphql.ts';
import type { GuideItemStatus, Role } from '../../src/generated/prisma/enums.ts';
import { signUserToken } from '../../src/modules/accounts/signing-keys.service.ts';
import { itemTransition, type GuideItemAction } from '../../src/modules/welcome/guide-item-status.ts';
import { seedAlphaCatalogue, seedThemes } from '../helpers/catalogue-fixtures.ts';
import { seedScenario, type Scenario } from '../helpers/fixtures.ts';
import { startTestHub, type TestHub } from '../helpers/hub.ts';

let t: TestHub;
let s: Scenario;
let offers: Awaited<ReturnType<typeof seedAlphaCatalogue>>['offers'];
let guideId: string;
let alphaGuideId: string;
const tokens = new Map<string, string>();

const STATUSES: GuideItemStatus[] = ['PROPOSED', 'CONFIRMED', 'DECLINED', 'REGULAR', 'ENDED', 'WITHDRAWN'];
const ACTIONS: GuideItemAction[] = ['confirm', 'decline', 'withdraw', 'makeRegular', 'end'];

/** Who tries, and for which side (null: sees the entry but acts for no side; 'none': does not see it). */
const ACTORS: {
  name: string;
  org: 'alpha' | 'beta' | 'gamma' | 'hub';
  roles: Role[];
  side: 'GUIDE' | 'PROVIDER' | null | 'none';
}[] = [
  { name: 'guide coordinator', org: 'beta', roles: ['WELCOME_COORDINATOR'], side: 'GUIDE' },
  { name: 'provider catalogue editor', org: 'alpha', roles: ['CATALOGUE_EDITOR'], side: 'PROVIDER' },
  { name: 'provider case worker', org: 'alpha', roles: ['CASE_WORKER'], side: null },
  { name: 'third organisation', org: 'gamma', roles: ['ORG_ADMIN', 'WELCOME_COORDINATOR'], side: 'none' },
  { name: 'hub admin', org: 'hub', roles: ['HUB_ADMIN'], side: 'none' },
];

beforeAll(async () => {
  t = await startTestHub();
  s = await seedScenario(t.db.prisma, t.config);
  await seedThemes(t.db.prisma);
  ({ offers } = await seedAlphaCatalogue(t.db.prisma, s));
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
  const guide = await t.db.prisma.guide.create({
    data: {
      slug: 'beta-guide',
      organisationId: s.org.beta.id,
      title: { fr: 'Activités près du foyer', en: 'Activities near the home' },
      languages: ['fr', 'en'],
    },
  });
  guideId = encodeGlobalID('Guide', guide.id);
  const alphaGuide = await t.db.prisma.guide.create({
    data: {
      slug: 'alpha-guide',
      organisationId: s.org.alpha.id,
      title: { fr: "Guide d'alpha" },
      languages: ['fr'],
    },
  });
  alphaGuideId = encodeGlobalID('Guide', alphaGuide.id);
});
afterAll(() => t.close());

const NOTE = [
  { language: 'FR' as const, text: 'Cours gratuits, accessibles sans inscription préalable.' },
  { language: 'EN' as const, text: 'Free classes, no registration needed.' },
];

async function propose(token: string, guide: string, offerId: string) {
  const res = await t.send(
    ProposeGuideItemDocument,
    {
      input: {
        guideId: guide,
        offerId: encodeGlobalID('Offer', offerId),
        relevanceNote: NOTE,
        audiences: ['REFUGEES'],
        languages: ['fr', 'uk'],
      },
    },
    { token },
  );
  return res.body.data!.proposeGuideItem;
}

describe('proposing an offer', () => {
  it('the guide side proposes a published offer: its provider is the offer’s organisation', async () => {
    const result = await propose(await s.token('bob'), guideId, offers.french.id);
    expect(result.__typename).toBe('MutationProposeGuideItemSuccess');
    if (result.__typename !== 'MutationProposeGuideItemSuccess') return;
    const item = result.data.item;
    expect(item).toMatchObject({
      status: 'PROPOSED',
      version: 1,
      audiences: ['REFUGEES'],
      languages: ['fr', 'uk'],
      providerOrganisation: { id: s.org.alpha.globalId },
      allowedActions: ['WITHDRAW'],
      verifiedAt: null,
    });
    expect(item.relevanceNoteTranslations).toEqual([
      { language: 'FR', text: NOTE[0]!.text, outdated: false },
      { language: 'EN', text: NOTE[1]!.text, outdated: false },
    ]);
    // Alice (alpha's admin) may answer it; the guide side may not.
    const seen = await t.send(GuideItemDocument, { id: item.id }, { token: await s.token('alice') });
    expect(seen.body.data?.node).toMatchObject({ allowedActions: ['CONFIRM', 'DECLINE'] });
    // Proposed twice while open: refused, naming the field; nothing written.
    const again = await propose(await s.token('bob'), guideId, offers.french.id);
    expect(again).toMatchObject({
      __typename: 'InvalidInputError',
      fields: [{ path: ['input', 'offerId'] }],
    });
    expect(await t.db.prisma.guideItem.count({ where: { offerId: offers.french.id } })).toBe(1);
    await t.db.prisma.guideItem.delete({
      where: { id: (await t.db.prisma.guideItem.findFirstOrThrow()).id },
    });
  });

  it('an offer that is not published is refused with a typed error naming offerId; an unseen one is not found', async () => {
    const own = await propose(await s.token('alice'), alphaGuideId, offers.draft.id);
    expect(own).toMatchObject({
      __typename: 'InvalidInputError',
      fields: [{ path: ['input', 'offerId'], message: 'must be a published offer (this one is draft)' }],
    });
    // Beta cannot see alpha's draft: exactly as an unknown offer.
    const hidden = await propose(await s.token('bob'), guideId, offers.draft.id);
    const unknown = await propose(await s.token('bob'), guideId, '00000000-0000-7000-8000-000000000000');
    expect(hidden).toEqual(unknown);
    expect(hidden).toMatchObject({ __typename: 'NotFoundError' });
    expect(await t.db.prisma.guideItem.count()).toBe(0);
  });

  it('only the guide’s coordinators propose: a reader is forbidden, an outsider finds no guide', async () => {
    const reader = await propose(tokens.get('provider case worker')!, guideId, offers.french.id);
    expect(reader).toMatchObject({ __typename: 'NotFoundError' }); // beta's draft guide: alpha sees it only through an entry
    const outsider = await propose(tokens.get('third organisation')!, guideId, offers.french.id);
    expect(outsider).toMatchObject({ __typename: 'NotFoundError' });
    const item = await propose(await s.token('bob'), guideId, offers.french.id);
    expect(item.__typename).toBe('MutationProposeGuideItemSuccess');
    // Now alpha provides an entry of the guide: it sees the guide, and is refused as a reader.
    const nowReader = await propose(tokens.get('provider case worker')!, guideId, offers.shelter.id);
    expect(nowReader).toMatchObject({ __typename: 'ForbiddenError' });
    expect(await t.db.prisma.guideItem.count()).toBe(1);
    await t.db.prisma.guideItem.deleteMany();
  });
});

describe('every step from every status, for every kind of viewer', () => {
  let itemId: string;
  let globalId: string;
  beforeAll(async () => {
    const item = await t.db.prisma.guideItem.create({
      data: {
        guideId: (await t.db.prisma.guide.findUniqueOrThrow({ where: { slug: 'beta-guide' } })).id,
        offerId: offers.shelter.id,
        providerOrganisationId: s.org.alpha.id,
      },
    });
    itemId = item.id;
    globalId = encodeGlobalID('GuideItem', item.id);
  });
  afterAll(() => t.db.prisma.guideItem.deleteMany());

  async function attempt(action: GuideItemAction, token: string) {
    const input = { id: globalId, expectedVersion: 1 };
    if (action === 'confirm' || action === 'decline') {
      const decision = action === 'confirm' ? ('CONFIRM' as const) : ('DECLINE' as const);
      const res = await t.send(
        AnswerGuideProposalDocument,
        {
          input: { ...input, decision, reason: 'Plus de place cette saison.', placesPerWeek: 4, weekday: 3 },
        },
        { token },
      );
      return res.body.data!.answerGuideProposal;
    }
    if (action === 'withdraw')
      return (await t.send(WithdrawGuideProposalDocument, { input }, { token })).body.data!
        .withdrawGuideProposal;
    if (action === 'end')
      return (await t.send(EndGuideItemDocument, { input }, { token })).body.data!.endGuideItem;
    return (
      await t.send(MakeGuideItemRegularDocument, { input: { ...input, closures: ['2026-12-25'] } }, { token })
    ).body.data!.makeGuideItemRegular;
  }

  it.each(ACTORS.map((a) => [a.name, a] as const))('%s', async (_name, actor) => {
    for (const from of STATUSES) {
      for (const action of ACTIONS) {
        await t.db.prisma.guideItem.update({ where: { id: itemId }, data: { status: from, version: 1 } });
        const result = await attempt(action, tokens.get(actor.name)!);
        let expected: string;
        if (actor.side === 'none') expected = 'NotFoundError';
        else if (actor.side === null) expected = 'ForbiddenError';
        else {
          const step = itemTransition(from, action, actor.side);
          expected = step.ok
            ? `${step.to} v2`
            : step.reason === 'STATUS'
              ? 'InvalidTransitionError'
              : 'ForbiddenError';
        }
        const got =
          'data' in result && result.data
            ? `${result.data.item.status} v${result.data.item.version}`
            : result.__typename;
        expect(`${from} ${action}: ${got}`).toBe(`${from} ${action}: ${expected}`);
        const row = await t.db.prisma.guideItem.findUniqueOrThrow({ where: { id: itemId } });
        if (expected.endsWith(' v2')) expect([row.status, row.version]).toEqual([expected.split(' ')[0], 2]);
        else expect([row.status, row.version]).toEqual([from, 1]);
      }
    }
  });
});

describe('answering, with versions and details', () => {
  let globalId: string;
  let itemId: string;
  beforeAll(async () => {
    const result = await propose(await s.token('bob'), guideId, offers.french.id);
    if (result.__typename !== 'MutationProposeGuideItemSuccess') throw new Error(result.__typename);
    globalId = result.data.item.id;
    itemId = (await t.db.prisma.guideItem.findFirstOrThrow({ where: { offerId: offers.french.id } })).id;
  });

  it('declining needs a reason: a typed error naming it, nothing written', async () => {
    const res = await t.send(
      AnswerGuideProposalDocument,
      { input: { id: globalId, decision: 'DECLINE', expectedVersion: 1 } },
      { token: await s.token('alice') },
    );
    expect(res.body.data?.answerGuideProposal).toMatchObject({
      __typename: 'InvalidInputError',
      fields: [{ path: ['input', 'reason'] }],
    });
    const bad = await t.send(
      AnswerGuideProposalDocument,
      {
        input: {
          id: globalId,
          decision: 'CONFIRM',
          expectedVersion: 1,
          weekday: 8,
          contactEmail: 'not-an-address',
        },
      },
      { token: await s.token('alice') },
    );
    expect(bad.body.data?.answerGuideProposal).toMatchObject({ __typename: 'InvalidInputError' });
    const paths = (bad.body.data?.answerGuideProposal as { fields: { path: string[] }[] }).fields.map((f) =>
      f.path.join('.'),
    );
    expect(paths.sort()).toEqual(['input.contactEmail', 'input.weekday']);
    expect(await t.db.prisma.guideItem.findUniqueOrThrow({ where: { id: itemId } })).toMatchObject({
      status: 'PROPOSED',
      version: 1,
    });
  });

  it('two confirmations at once: one wins, the other reads a version conflict', async () => {
    const token = await s.token('alice');
    const confirm = () =>
      t.send(
        AnswerGuideProposalDocument,
        {
          input: {
            id: globalId,
            decision: 'CONFIRM',
            expectedVersion: 1,
            placesPerWeek: 6,
            weekday: 2,
            contactName: 'Marie Schmit',
            contactPhone: '+352 26 00 00 00',
            contactEmail: 'accueil@alpha.example',
          },
        },
        { token },
      );
    const results = await Promise.all([confirm(), confirm()]);
    const kinds = results.map((r) => r.body.data!.answerGuideProposal.__typename).sort();
    expect(kinds).toEqual(['MutationAnswerGuideProposalSuccess', 'VersionConflictError']);
    const conflict = results
      .map((r) => r.body.data!.answerGuideProposal)
      .find((r) => r.__typename === 'VersionConflictError');
    expect(conflict).toMatchObject({ expectedVersion: 1, currentVersion: 2 });
    const row = await t.db.prisma.guideItem.findUniqueOrThrow({ where: { id: itemId } });
    expect(row).toMatchObject({
      status: 'CONFIRMED',
      version: 2,
      placesPerWeek: 6,
      weekday: 2,
      decidedById: s.user.alice.id,
    });
    expect(row.verifiedAt).toBeInstanceOf(Date);
  });

  it('a stale version is a conflict and writes nothing', async () => {
    const res = await t.send(
      EndGuideItemDocument,
      { input: { id: globalId, expectedVersion: 1 } },
      { token: await s.token('bob') },
    );
    expect(res.body.data?.endGuideItem).toMatchObject({
      __typename: 'VersionConflictError',
      code: 'common/version_conflict',
    });
    expect(await t.db.prisma.guideItem.findUniqueOrThrow({ where: { id: itemId } })).toMatchObject({
      status: 'CONFIRMED',
      version: 2,
    });
  });

  it('the contact is for the guide side and the provider; the public sees the agreed entry of a published guide without it', async () => {
    const inside = await t.send(GuideItemDocument, { id: globalId }, { token: await s.token('bob') });
    expect(inside.body.data?.node).toMatchObject({
      contact: { name: 'Marie Schmit', phone: '+352 26 00 00 00', email: 'accueil@alpha.example' },
      verifiedBy: { id: s.org.alpha.globalId },
      allowedActions: ['MAKE_REGULAR', 'END'],
    });
    const anonymousDraft = await t.send(GuideItemDocument, { id: globalId });
    expect(anonymousDraft.body.data?.node).toBeNull();
    await t.db.prisma.guide.update({ where: { slug: 'beta-guide' }, data: { status: 'PUBLISHED' } });
    try {
      const anonymous = await t.send(GuideItemDocument, { id: globalId });
      expect(anonymous.body.data?.node).toMatchObject({
        status: 'CONFIRMED',
        contact: null,
        declineReason: null,
        allowedActions: [],
      });
      const outsider = await t.send(
        GuideItemDocument,
        { id: globalId },
        { token: tokens.get('third organisation') },
      );
      expect(outsider.body.data?.node).toMatchObject({ contact: null });
    } finally {
      await t.db.prisma.guide.update({ where: { slug: 'beta-guide' }, data: { status: 'DRAFT' } });
    }
  });

  it('making it regular sets its schedule and closures; the provider’s word renews "verified on"', async () => {
    const before = (await t.db.prisma.guideItem.findUniqueOrThrow({ where: { id: itemId } })).verifiedAt!;
    const res = await t.send(
      MakeGuideItemRegularDocument,
      {
        input: {
          id: globalId,
          expectedVersion: 2,
          schedule: [{ freq: 'WEEKLY', byday: ['WE'], opensAt: '14:00', closesAt: '16:00' }],
          closures: ['2026-12-30', '2026-12-23', 'not-a-date'],
        },
      },
      { token: await s.token('alice') },
    );
    expect(res.body.data?.makeGuideItemRegular).toMatchObject({
      __typename: 'InvalidInputError',
      fields: [{ path: ['input', 'closures', '2'] }],
    });
    const ok = await t.send(
      MakeGuideItemRegularDocument,
      {
        input: {
          id: globalId,
          expectedVersion: 2,
          schedule: [{ freq: 'WEEKLY', byday: ['WE'], opensAt: '14:00', closesAt: '16:00' }],
          closures: ['2026-12-30', '2026-12-23'],
        },
      },
      { token: await s.token('alice') },
    );
    expect(ok.body.data?.makeGuideItemRegular).toMatchObject({
      data: {
        item: {
          status: 'REGULAR',
          version: 3,
          closures: ['2026-12-23', '2026-12-30'],
          schedule: [{ byday: ['WE'], opensAt: '14:00' }],
        },
      },
    });
    const row = await t.db.prisma.guideItem.findUniqueOrThrow({ where: { id: itemId } });
    expect(row.verifiedAt!.getTime()).toBeGreaterThan(before.getTime());
  });

  it('editing the note in the source language makes the translations outdated', async () => {
    const res = await t.send(
      UpdateGuideItemDocument,
      {
        input: {
          id: globalId,
          expectedVersion: 3,
          relevanceNote: [{ language: 'FR', text: 'Cours gratuits le mercredi après-midi.' }],
          position: 3,
        },
        lang: 'EN',
      },
      { token: await s.token('bob') },
    );
    expect(res.body.data?.updateGuideItem).toMatchObject({
      data: {
        item: {
          version: 4,
          position: 3,
          noteVersion: 2,
          relevanceNote: { language: 'EN', outdated: true, fallback: false },
          relevanceNoteTranslations: [
            { language: 'FR', outdated: false },
            { language: 'EN', outdated: true },
          ],
        },
      },
    });
    const translated = await t.send(
      UpdateGuideItemDocument,
      {
        input: {
          id: globalId,
          expectedVersion: 4,
          relevanceNote: [{ language: 'EN', text: 'Free classes on Wednesday afternoons.' }],
        },
      },
      { token: await s.token('bob') },
    );
    expect(translated.body.data?.updateGuideItem).toMatchObject({
      data: {
        item: {
          noteVersion: 2,
          relevanceNoteTranslations: [
            { language: 'FR', outdated: false },
            { language: 'EN', outdated: false },
          ],
        },
      },
    });
    // The provider may not edit the guide's texts.
    const provider = await t.send(
      UpdateGuideItemDocument,
      { input: { id: globalId, expectedVersion: 5, position: 1 } },
      { token: await s.token('alice') },
    );
    expect(provider.body.data?.updateGuideItem).toMatchObject({ __typename: 'ForbiddenError' });
  });

  it("the provider's inbox lists the entries of its offers, with counts per status", async () => {
    await propose(await s.token('bob'), guideId, offers.shelter.id);
    const res = await t.send(
      GuideProposalsDocument,
      { status: ['PROPOSED'] },
      { token: await s.token('alice') },
    );
    expect(res.body.data?.guideProposals).toMatchObject({
      totalCount: 1,
      edges: [{ node: { status: 'PROPOSED', offer: { id: encodeGlobalID('Offer', offers.shelter.id) } } }],
    });
    const counts = Object.fromEntries(
      res.body.data!.guideProposals.statusCounts.map((c) => [c.status, c.count]),
    );
    expect(counts).toMatchObject({ PROPOSED: 1, REGULAR: 1, CONFIRMED: 0 });
    // The guide side is not the provider: its inbox is empty; so is an outsider's and the public's.
    for (const token of [await s.token('bob'), tokens.get('third organisation'), undefined]) {
      const other = await t.send(GuideProposalsDocument, {}, { token });
      expect(other.body.data?.guideProposals.totalCount).toBe(0);
    }
  });
});
