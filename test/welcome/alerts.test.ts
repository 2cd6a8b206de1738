/**
 * Guide alerts, end to end over the real hub: an offer in two guides (beta's, for its shelter,
 * and gamma's) is paused through the catalogue's `pauseOffer`; the triggers write one GuideAlert
 * per open entry and one outbox row each; each guide's side sees its own alert on the guide, hears
 * of it live over graphql-ws, gets it again when replaying with `after`, and its webhook receives
 * `guide.alert`; the provider, the public and the other organisation hear nothing of it.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { decodeGlobalID, encodeGlobalID } from '@pothos/plugin-relay';
import {
  CreateWebhookDocument,
  GuideAlertListDocument,
  GuideAlertNoticesDocument,
  PauseOfferDocument,
  ResolveGuideAlertDocument,
} from '../../clients/generated/graphql.ts';
import { updateOffer, updateOfferCapacity } from '../../src/modules/catalogue/offer.service.ts';
import { aliceViewer, seedAlphaCatalogue, seedThemes } from '../helpers/catalogue-fixtures.ts';
import { seedScenario, seedThirdOrganisation, type Scenario } from '../helpers/fixtures.ts';
import { startTestHub, type TestHub } from '../helpers/hub.ts';
import { raw } from '../helpers/realtime.ts';
import { Receiver } from '../webhooks/helpers.ts';

let t: TestHub;
let s: Scenario;
let offers: Awaited<ReturnType<typeof seedAlphaCatalogue>>['offers'];
let sites: Awaited<ReturnType<typeof seedAlphaCatalogue>>['sites'];
let gamma: Awaited<ReturnType<typeof seedThirdOrganisation>>;
const guides = { beta: '', gamma: '' };
const items = { beta: '', gamma: '', betaEnded: '' };
const receivers: Receiver[] = [];

beforeAll(async () => {
  t = await startTestHub({ OUTBOX_POLL_MS: '100', WEBHOOK_RETRY_BASE_MS: '50' });
  s = await seedScenario(t.db.prisma, t.config);
  await seedThemes(t.db.prisma);
  ({ offers, sites } = await seedAlphaCatalogue(t.db.prisma, s));
  gamma = await seedThirdOrganisation(t.db.prisma, t.config, ['ORG_ADMIN', 'WELCOME_COORDINATOR']);
  const db = t.db.prisma;
  // Beta runs a shelter (hub is its partner there) and writes its guide.
  const site = await db.site.create({
    data: { organisationId: s.org.beta.id, name: 'Foyer Kirchberg', commune: 'Luxembourg' },
  });
  const shelter = await db.shelter.create({
    data: {
      siteId: site.id,
      organisationId: s.org.beta.id,
      kind: 'EMERGENCY',
      partners: { create: { organisationId: s.org.hub.id } },
    },
  });
  const beta = await db.guide.create({
    data: {
      slug: 'kirchberg',
      organisationId: s.org.beta.id,
      shelterId: shelter.id,
      title: { fr: 'Près du foyer' },
      languages: ['fr'],
    },
  });
  const gammaGuide = await db.guide.create({
    data: {
      slug: 'gamma',
      organisationId: gamma.organisation.id,
      title: { fr: 'Guide gamma' },
      languages: ['fr'],
    },
  });
  guides.beta = beta.id;
  guides.gamma = gammaGuide.id;
  const item = (guideId: string, offerId: string, status: 'CONFIRMED' | 'ENDED') =>
    db.guideItem.create({ data: { guideId, offerId, providerOrganisationId: s.org.alpha.id, status } });
  items.beta = (await item(beta.id, offers.french.id, 'CONFIRMED')).id;
  items.betaEnded = (await item(beta.id, offers.shelter.id, 'ENDED')).id;
  items.gamma = (await item(gammaGuide.id, offers.french.id, 'CONFIRMED')).id;
});
afterAll(async () => {
  for (const r of receivers) await r.close();
  await t.close();
});

async function lastSeq(): Promise<string> {
  return (await t.db.prisma.outboxSequence.findUniqueOrThrow({ where: { id: 1 } })).value.toString();
}

async function webhookFor(token: string, organisationId: string) {
  const receiver = await Receiver.start(200);
  receivers.push(receiver);
  const res = await t.client(token).request(CreateWebhookDocument, {
    input: {
      organisationId: encodeGlobalID('Organisation', organisationId),
      url: receiver.url,
      eventTypes: ['GUIDE_ALERT'],
    },
  });
  if (res.createWebhook.__typename !== 'MutationCreateWebhookSuccess')
    throw new Error(JSON.stringify(res.createWebhook));
  return { receiver, id: decodeGlobalID(res.createWebhook.data.webhook.id).id };
}

describe('an offer in two guides is paused', () => {
  let before: string;
  let betaAlert: string;

  it('writes one alert per open entry, heard live by each guide’s side only, and delivered to their webhooks', async () => {
    const bob = await s.token('bob');
    const betaHook = await webhookFor(bob, s.org.beta.id);
    const gammaHook = await webhookFor(gamma.token, gamma.organisation.id);
    before = await lastSeq();
    // Subscribed from `before`: nothing committed after it can be missed, whenever the stream starts.
    const betaNotices = raw(t.graphqlUrl, bob, GuideAlertNoticesDocument, { after: before });
    const gammaNotices = raw(t.graphqlUrl, gamma.token, GuideAlertNoticesDocument, { after: before });
    const partner = raw(t.graphqlUrl, await s.token('hugo'), GuideAlertNoticesDocument, { after: before });
    const provider = raw(t.graphqlUrl, await s.token('alice'), GuideAlertNoticesDocument, { after: before });

    const paused = await t.send(
      PauseOfferDocument,
      { input: { id: encodeGlobalID('Offer', offers.french.id) } },
      { token: await s.token('alice') },
    );
    expect(paused.body.data?.pauseOffer.__typename).toBe('MutationPauseOfferSuccess');

    const rows = await t.db.prisma.guideAlert.findMany({ orderBy: { guideItemId: 'asc' } });
    expect(rows.map((r) => [r.guideItemId, r.kind, r.offerId])).toEqual(
      [
        [items.beta, 'OFFER_PAUSED', offers.french.id],
        [items.gamma, 'OFFER_PAUSED', offers.french.id],
      ].sort(),
    );
    betaAlert = rows.find((r) => r.guideId === guides.beta)!.id;
    const gammaAlert = rows.find((r) => r.guideId === guides.gamma)!.id;
    const outbox = await t.db.prisma.outboxEvent.findMany({
      where: { type: 'GUIDE_ALERT' },
      orderBy: { seq: 'asc' },
    });
    expect(outbox).toHaveLength(2);
    const betaRow = outbox.find((o) => (o.payload as { alert: { id: string } }).alert.id === betaAlert)!;
    expect(betaRow.organisationIds.sort()).toEqual([s.org.beta.id, s.org.hub.id].sort());
    expect(Object.keys((betaRow.payload as { alert: object }).alert).sort()).toEqual(
      ['at', 'guideId', 'guideItemId', 'id', 'kind', 'offerId'].sort(),
    );

    const [beta] = await betaNotices.waitFor(1);
    expect(beta?.data).toEqual({
      guideAlerts: {
        cursor: betaRow.seq.toString(),
        alertId: encodeGlobalID('GuideAlert', betaAlert),
        kind: 'OFFER_PAUSED',
        at: expect.any(String),
        guideId: encodeGlobalID('Guide', guides.beta),
        guideItemId: encodeGlobalID('GuideItem', items.beta),
        offerId: encodeGlobalID('Offer', offers.french.id),
        alert: { id: encodeGlobalID('GuideAlert', betaAlert), kind: 'OFFER_PAUSED', resolvedAt: null },
      },
    });
    // The shelter's partner hears of beta's alert too; gamma only of its own.
    expect((await partner.waitFor(1))[0]?.data?.guideAlerts.alertId).toBe(
      encodeGlobalID('GuideAlert', betaAlert),
    );
    const [own] = await gammaNotices.waitFor(1);
    expect(own?.data?.guideAlerts.alertId).toBe(encodeGlobalID('GuideAlert', gammaAlert));

    // Webhooks: each organisation's endpoint gets its guide's alert, with global IDs.
    const gammaRow = outbox.find((o) => o !== betaRow)!;
    await betaHook.receiver.waitForDelivered([betaRow.seq.toString()]);
    await gammaHook.receiver.waitForDelivered([gammaRow.seq.toString()]);
    const body = JSON.parse(betaHook.receiver.requests.items[0]!.body) as { type: string; data: unknown };
    expect(body).toMatchObject({
      type: 'guide.alert',
      data: {
        alert: {
          id: encodeGlobalID('GuideAlert', betaAlert),
          rawId: betaAlert,
          kind: 'OFFER_PAUSED',
          guideId: encodeGlobalID('Guide', guides.beta),
          guideItemId: encodeGlobalID('GuideItem', items.beta),
          offerId: encodeGlobalID('Offer', offers.french.id),
        },
      },
    });
    // Both rows were fanned out by now: each endpoint got its own, nothing of the other's.
    for (const hook of [betaHook, gammaHook]) {
      expect(await t.db.prisma.webhookDelivery.count({ where: { endpointId: hook.id } })).toBe(1);
    }
    expect(gammaNotices.items).toHaveLength(1);
    // The provider (alpha) is no audience of the guides' alerts: a later event it hears would
    // come after; here, once the rows above were delivered, nothing reached it.
    expect(provider.items).toHaveLength(0);
    for (const c of [betaNotices, gammaNotices, partner, provider]) await c.client.dispose();
  });

  it('a subscriber that comes back with `after` gets the alert again, in order', async () => {
    const again = raw(t.graphqlUrl, await s.token('bob'), GuideAlertNoticesDocument, { after: before });
    const [replayed] = await again.waitFor(1);
    expect(replayed?.data?.guideAlerts.alertId).toBe(encodeGlobalID('GuideAlert', betaAlert));
    const bad = raw(t.graphqlUrl, await s.token('bob'), GuideAlertNoticesDocument, { after: 'nope' });
    await bad.ended;
    expect(bad.items[0]?.errors?.[0]?.extensions?.code).toBe('CURSOR_INVALID');
    await again.client.dispose();
    await bad.client.dispose();
  });

  it('the alert is on the guide for its side; the provider, outsiders and the public read nothing', async () => {
    const id = encodeGlobalID('Guide', guides.beta);
    const bob = await t.send(GuideAlertListDocument, { id }, { token: await s.token('bob') });
    expect(bob.body.data?.node).toMatchObject({
      alerts: [
        {
          id: encodeGlobalID('GuideAlert', betaAlert),
          kind: 'OFFER_PAUSED',
          resolvedAt: null,
          item: { id: encodeGlobalID('GuideItem', items.beta) },
        },
      ],
    });
    // Alpha provides an entry: it sees the draft guide, but not its alerts.
    const alice = await t.send(GuideAlertListDocument, { id }, { token: await s.token('alice') });
    expect(alice.body.data?.node).toMatchObject({ alerts: null });
    const outsider = await t.send(GuideAlertListDocument, { id }, { token: gamma.token });
    expect(outsider.body.data?.node).toBeNull();
    await t.db.prisma.guide.update({ where: { id: guides.beta }, data: { status: 'PUBLISHED' } });
    try {
      const anonymous = await t.send(GuideAlertListDocument, { id });
      expect(anonymous.body.data?.node).toMatchObject({ alerts: null });
    } finally {
      await t.db.prisma.guide.update({ where: { id: guides.beta }, data: { status: 'DRAFT' } });
    }
  });

  it("the guide's coordinators resolve it; readers may not; others find nothing", async () => {
    const input = { id: encodeGlobalID('GuideAlert', betaAlert) };
    const hugo = await t.send(ResolveGuideAlertDocument, { input }, { token: await s.token('hugo') });
    expect(hugo.body.data?.resolveGuideAlert.__typename).toBe('ForbiddenError'); // shelter partner: reads, may not resolve
    for (const token of [await s.token('alice'), gamma.token]) {
      const res = await t.send(ResolveGuideAlertDocument, { input }, { token });
      expect(res.body.data?.resolveGuideAlert.__typename).toBe('NotFoundError');
    }
    expect(
      (await t.db.prisma.guideAlert.findUniqueOrThrow({ where: { id: betaAlert } })).resolvedAt,
    ).toBeNull();
    const res = await t.send(ResolveGuideAlertDocument, { input }, { token: await s.token('bob') });
    expect(res.body.data?.resolveGuideAlert).toMatchObject({
      data: { alert: { resolvedAt: expect.any(String) } },
    });
    const open = await t.send(
      GuideAlertListDocument,
      { id: encodeGlobalID('Guide', guides.beta) },
      { token: await s.token('bob') },
    );
    expect(open.body.data?.node).toMatchObject({ alerts: [] });
    const all = await t.send(
      GuideAlertListDocument,
      { id: encodeGlobalID('Guide', guides.beta), unresolvedOnly: false },
      { token: await s.token('bob') },
    );
    expect(all.body.data?.node).toMatchObject({ alerts: [{ kind: 'OFFER_PAUSED' }] });
  });
});

describe('other changes of an offer in a guide', () => {
  it('full without a waiting list, a new schedule, other sites, a site that moved: one alert each; an ended entry none', async () => {
    const db = t.db.prisma;
    await db.guideAlert.deleteMany();
    const kinds = async () =>
      (await db.guideAlert.findMany({ where: { guideItemId: items.beta }, orderBy: { at: 'asc' } })).map(
        (a) => a.kind,
      );
    await updateOfferCapacity(db, aliceViewer(s), offers.french.id, { places: 10, free: 0 });
    expect(await kinds()).toEqual(['OFFER_FULL']);
    await db.offer.update({
      where: { id: offers.french.id },
      data: { schedule: [{ freq: 'WEEKLY', byday: ['TU'], opensAt: '10:00', closesAt: '12:00' }] },
    });
    // Two sites set in one change: one alert.
    await db.offer.update({
      where: { id: offers.french.id },
      data: { sites: { set: [{ id: sites.bonnevoie.id }] } },
    });
    // An edit that names the same sites again changes no link: no alert.
    const current = await db.offer.findUniqueOrThrow({ where: { id: offers.french.id } });
    await updateOffer(db, aliceViewer(s), offers.french.id, current.version, {
      siteIds: [sites.bonnevoie.id],
    });
    expect(await kinds()).toEqual(['OFFER_FULL', 'SCHEDULE_CHANGED', 'SITE_CHANGED']);
    await db.site.update({ where: { id: sites.bonnevoie.id }, data: { street: '14 rue de Bonnevoie' } });
    await db.site.update({ where: { id: sites.bonnevoie.id }, data: { name: 'Foyer de Bonnevoie' } }); // not a move
    expect(await kinds()).toEqual(['OFFER_FULL', 'SCHEDULE_CHANGED', 'SITE_CHANGED', 'SITE_CHANGED']);
    // The shelter offer's entry in beta's guide ended: withdrawing the offer alerts nobody there.
    await db.offer.update({ where: { id: offers.shelter.id }, data: { status: 'WITHDRAWN' } });
    expect(await db.guideAlert.count({ where: { guideItemId: items.betaEnded } })).toBe(0);
    // Each alert wrote its outbox row.
    const alerts = await db.guideAlert.findMany({ select: { id: true } });
    const outbox = await db.outboxEvent.findMany({ where: { type: 'GUIDE_ALERT' } });
    const notified = new Set(outbox.map((o) => (o.payload as { alert: { id: string } }).alert.id));
    expect(alerts.every((a) => notified.has(a.id))).toBe(true);
  });
});
