/**
 * The CATALOGUE_READ scope: an organisation's API client sees its drafts, paused and withdrawn
 * offers only with CATALOGUE_READ (or CATALOGUE_WRITE, as REFERRALS_WRITE implies reading
 * referrals); without it, exactly what the public sees — through `offers`, `node`, `nodes`,
 * `organisation.offers`, the HSDS API and `offerCapacityChanged`.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { decodeGlobalID, encodeGlobalID } from '@pothos/plugin-relay';
import { parse } from 'graphql';
import {
  OfferCapacityChangedDocument,
  UpdateOfferCapacityDocument,
} from '../../clients/generated/graphql.ts';
import type { ApiScope } from '../../src/generated/prisma/enums.ts';
import { createApiClient } from '../../src/modules/accounts/api-client.service.ts';
import type { Viewer } from '../../src/modules/accounts/viewer.ts';
import {
  offerVisibility,
  visibleOffersSql,
  visibleOffersWhere,
} from '../../src/modules/catalogue/catalogue.access.ts';
import { createOffer, setOfferStatus } from '../../src/modules/catalogue/offer.service.ts';
import { aliceViewer, seedAlphaCatalogue, seedThemes } from '../helpers/catalogue-fixtures.ts';
import { seedScenario, type Scenario } from '../helpers/fixtures.ts';
import { startTestHub, type TestHub } from '../helpers/hub.ts';
import { resumable } from '../helpers/realtime.ts';

let t: TestHub;
let s: Scenario;
/** Alpha's offers by status (global IDs). */
const offer = {} as Record<'published' | 'draft' | 'paused' | 'withdrawn', string>;
/** Alpha's API keys by what they hold. */
const key = {} as Record<'none' | 'read' | 'write', string>;
const stops: (() => Promise<unknown>)[] = [];

beforeAll(async () => {
  t = await startTestHub({ OUTBOX_POLL_MS: '60000' });
  s = await seedScenario(t.db.prisma, t.config);
  await seedThemes(t.db.prisma);
  const c = await seedAlphaCatalogue(t.db.prisma, s);
  const alice = aliceViewer(s);
  const paused = await createOffer(t.db.prisma, alice, s.org.alpha.id, {
    title: { fr: 'Offre en pause' },
    themeCodes: ['health'],
    serviceArea: ['Luxembourg'],
  });
  await setOfferStatus(t.db.prisma, alice, paused.id, 'publish');
  await setOfferStatus(t.db.prisma, alice, paused.id, 'pause');
  const withdrawn = await createOffer(t.db.prisma, alice, s.org.alpha.id, { title: { fr: 'Offre retirée' } });
  await setOfferStatus(t.db.prisma, alice, withdrawn.id, 'withdraw');
  offer.published = encodeGlobalID('Offer', c.offers.shelter.id);
  offer.draft = encodeGlobalID('Offer', c.offers.draft.id);
  offer.paused = encodeGlobalID('Offer', paused.id);
  offer.withdrawn = encodeGlobalID('Offer', withdrawn.id);
  const scopes: Record<keyof typeof key, ApiScope[]> = {
    none: ['REFERRALS_READ'],
    read: ['CATALOGUE_READ'],
    write: ['CATALOGUE_WRITE'],
  };
  for (const [name, list] of Object.entries(scopes) as [keyof typeof key, ApiScope[]][]) {
    const created = await createApiClient(t.db.prisma, alice, {
      organisationId: s.org.alpha.id,
      name: `Alpha ${name}`,
      scopes: list,
    });
    key[name] = created.key;
  }
});
afterAll(async () => {
  for (const stop of stops) await stop();
  await t.close();
});

const HIDDEN = ['DRAFT', 'PAUSED', 'WITHDRAWN'] as const;

type Json = Record<string, unknown>;
const doc = (source: string) => parse(source) as unknown as TypedDocumentNode<Json, Json>;
const OffersByStatus = doc(`query($statuses: [OfferStatus!]) {
  offers(filter: { statuses: $statuses }, first: 50) { totalCount edges { node { id status } } }
}`);
const NodeById = doc(`query($id: ID!) { node(id: $id) { id ... on Offer { status title { text } } } }`);
const NodesByIds = doc(`query($ids: [ID!]!) { nodes(ids: $ids) { id } }`);
const OrganisationOffers = doc(`query($slug: String!) {
  organisation(slug: $slug) { offers(first: 50) { totalCount edges { node { id status } } } }
}`);

async function data(document: TypedDocumentNode<Json, Json>, variables: Json, token?: string) {
  const res = await t.send(document, variables, { token });
  expect(res.body.errors).toBeUndefined();
  return res.body.data as Json;
}

/** Everything an API caller can learn of alpha's catalogue, path by path. */
async function whatIsSeen(token?: string) {
  const all = [offer.published, offer.draft, offer.paused, offer.withdrawn];
  const list = (await data(OffersByStatus, { statuses: [...HIDDEN, 'PUBLISHED'] }, token)) as {
    offers: { edges: { node: { id: string } }[] };
  };
  const byNode: (string | null)[] = [];
  for (const id of all) {
    const one = (await data(NodeById, { id }, token)) as { node: { id: string } | null };
    byNode.push(one.node?.id ?? null);
  }
  const many = (await data(NodesByIds, { ids: all }, token)) as { nodes: ({ id: string } | null)[] };
  const org = (await data(OrganisationOffers, { slug: 'alpha' }, token)) as {
    organisation: { offers: { edges: { node: { id: string } }[] } };
  };
  return {
    offers: list.offers.edges
      .map((e) => e.node.id)
      .filter((id) => all.includes(id))
      .sort(),
    node: byNode,
    nodes: many.nodes.map((n) => n?.id ?? null),
    organisationOffers: org.organisation.offers.edges
      .map((e) => e.node.id)
      .filter((id) => all.includes(id))
      .sort(),
  };
}

describe('CATALOGUE_READ', () => {
  it('without it, an API client of the organisation sees what the public sees, on every GraphQL path', async () => {
    const publicView = await whatIsSeen(undefined);
    expect(publicView).toEqual({
      offers: [offer.published],
      node: [offer.published, null, null, null],
      nodes: [offer.published, null, null, null],
      organisationOffers: [offer.published],
    });
    expect(await whatIsSeen(key.none)).toEqual(publicView);
  });

  it('with it (or with CATALOGUE_WRITE), the client sees all of its organisation’s offers', async () => {
    const all = [offer.published, offer.draft, offer.paused, offer.withdrawn];
    for (const token of [key.read, key.write]) {
      expect(await whatIsSeen(token)).toEqual({
        offers: [...all].sort(),
        node: all,
        nodes: all,
        organisationOffers: [...all].sort(),
      });
    }
  });

  it('a hidden offer reads exactly like an unknown one', async () => {
    const hidden = await t.send(NodeById, { id: offer.draft }, { token: key.none });
    const unknown = await t.send(
      NodeById,
      { id: encodeGlobalID('Offer', crypto.randomUUID()) },
      { token: key.none },
    );
    expect(hidden.body).toEqual({ data: { node: null } });
    expect(unknown.body).toEqual(hidden.body);
  });

  it('the HSDS API serves the published catalogue only, whatever credential comes with the request', async () => {
    const base = t.graphqlUrl.replace(/\/graphql$/, '');
    for (const token of [undefined, key.none, key.read]) {
      const headers = token ? { authorization: `Bearer ${token}` } : undefined;
      const list = await fetch(`${base}/hsds/services?organization_id=${s.org.alpha.id}&per_page=50`, {
        headers,
      });
      const ids = ((await list.json()) as { contents: { id: string }[] }).contents.map((d) => d.id);
      const seen = ids.map((id) => encodeGlobalID('Offer', id));
      expect(seen.filter((id) => Object.values(offer).includes(id))).toEqual([offer.published]);
      for (const hidden of [offer.draft, offer.paused, offer.withdrawn]) {
        const one = await fetch(`${base}/hsds/services/${decodeGlobalID(hidden).id}`, { headers });
        expect([hidden, one.status]).toEqual([hidden, 404]);
      }
    }
  });

  it('offerCapacityChanged: a client without it hears of published offers only', async () => {
    const { rows } = await t.db.pool.query<{ seq: string }>(
      'select coalesce(max(seq), 0)::text as seq from "OutboxEvent"',
    );
    const listen = (token: string) => {
      const c = resumable(
        t.graphqlUrl,
        token,
        OfferCapacityChangedDocument,
        { filter: { organisationId: s.org.alpha.globalId } },
        (d) => d.offerCapacityChanged.cursor,
        rows[0]!.seq,
      );
      stops.push(() => c.sub.stop());
      return c;
    };
    const none = listen(key.none);
    const read = listen(key.read);
    const alice = t.client(await s.token('alice'));
    // A change to a draft (not public), then one to a published offer (the sentinel).
    for (const id of [offer.draft, offer.published]) {
      const res = await alice.request(UpdateOfferCapacityDocument, { input: { id, free: 0, places: 5 } });
      expect(res.updateOfferCapacity.__typename).toBe('MutationUpdateOfferCapacitySuccess');
    }
    const forRead = await read.waitFor(2);
    expect(forRead.map((d) => d.offerCapacityChanged.offerId)).toEqual([offer.draft, offer.published]);
    const forNone = await none.waitFor(1);
    expect(forNone.map((d) => d.offerCapacityChanged.offerId)).toEqual([offer.published]);
  });
});

describe('one rule, three renderings', () => {
  it('the predicate, the Prisma filter and the SQL agree for every kind of viewer and every offer', async () => {
    const p = t.db.prisma;
    const client = (scopes: ApiScope[]): Viewer => ({
      kind: 'apiClient',
      apiClientId: crypto.randomUUID(),
      organisationId: s.org.alpha.id,
      scopes: new Set(scopes),
    });
    const viewers: [string, Viewer | null][] = [
      ['anonymous', null],
      ['alice', s.viewer('alice')],
      ['bob', s.viewer('bob')],
      ['hugo (hub admin)', s.viewer('hugo')],
      ['client without scope', client(['REFERRALS_READ'])],
      ['client CATALOGUE_READ', client(['CATALOGUE_READ'])],
      ['client CATALOGUE_WRITE', client(['CATALOGUE_WRITE'])],
    ];
    const offers = await p.offer.findMany({ select: { id: true, organisationId: true, status: true } });
    for (const [who, viewer] of viewers) {
      const sees = offerVisibility(viewer);
      const byPredicate = offers
        .filter((o) => sees(o))
        .map((o) => o.id)
        .sort();
      const byPrisma = (await p.offer.findMany({ where: visibleOffersWhere(viewer), select: { id: true } }))
        .map((o) => o.id)
        .sort();
      const bySql = (
        await p.$queryRaw<{ id: string }[]>`select o.id from "Offer" o where ${visibleOffersSql(viewer, 'o')}`
      )
        .map((o) => o.id)
        .sort();
      expect([who, byPrisma]).toEqual([who, byPredicate]);
      expect([who, bySql]).toEqual([who, byPredicate]);
    }
  });
});
