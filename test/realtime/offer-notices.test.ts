/**
 * Offer notices carry only what `node` would show the subscriber now. A notice of an offer the
 * subscriber may no longer see (paused, withdrawn, or no longer theirs) comes as a tombstone — the
 * offer's id and "no longer available" — if the subscriber could see the offer when the change
 * happened, and not at all otherwise; never its status, places or current content.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { encodeGlobalID } from '@pothos/plugin-relay';
import { parse } from 'graphql';
import {
  createOffer,
  setOfferStatus,
  updateOffer,
  updateOfferCapacity,
} from '../../src/modules/catalogue/offer.service.ts';
import { aliceViewer, seedAlphaCatalogue, seedThemes } from '../helpers/catalogue-fixtures.ts';
import { seedScenario, type Scenario } from '../helpers/fixtures.ts';
import { startTestHub, type TestHub } from '../helpers/hub.ts';
import { resumable } from '../helpers/realtime.ts';

interface Notice {
  __typename: string;
  cursor: string;
  offerId: string;
  status?: string;
  capacityFree?: number | null;
  message?: string;
  offer?: { title: { text: string }; contact: { email: string | null } | null } | null;
}
type Result = { offerCapacityChanged: Notice };

// Fields of OfferChangeNotice only inside its fragment, so that a tombstone cannot carry them.
const Notices = parse(`subscription($after: String) {
  offerCapacityChanged(after: $after) {
    __typename cursor offerId
    ... on OfferChangeNotice {
      status capacityFree
      offer { title { text } contact { email } }
    }
  }
}`) as unknown as TypedDocumentNode<Result, { after?: string | null }>;
const NodeById = parse(`query($id: ID!) { node(id: $id) { id } }`) as unknown as TypedDocumentNode<
  { node: { id: string } | null },
  { id: string }
>;

let t: TestHub;
let s: Scenario;
const id = {} as Record<'shelter' | 'french' | 'open', string>;
const gid = {} as Record<keyof typeof id, string>;
const stops: (() => Promise<unknown>)[] = [];

/** The outbox's current end. */
async function now(): Promise<string> {
  const { rows } = await t.db.pool.query<{ seq: string }>(
    'select coalesce(max(seq), 0)::text as seq from "OutboxEvent"',
  );
  return rows[0]!.seq;
}

function listen(token: string | undefined, after: string) {
  const c = resumable(t.graphqlUrl, token, Notices, {}, (d) => d.offerCapacityChanged.cursor, after);
  stops.push(() => c.sub.stop());
  return c;
}

const summary = (n: Notice) =>
  n.__typename === 'OfferChangeNotice'
    ? `${n.offerId === gid.shelter ? 'shelter' : n.offerId === gid.french ? 'french' : 'open'} ${n.status} ${n.capacityFree}`
    : `${n.offerId === gid.shelter ? 'shelter' : n.offerId === gid.french ? 'french' : 'open'} gone`;

beforeAll(async () => {
  t = await startTestHub({ OUTBOX_POLL_MS: '60000' });
  s = await seedScenario(t.db.prisma, t.config);
  await seedThemes(t.db.prisma);
  const alice = aliceViewer(s);
  const p = t.db.prisma;
  // Published: shelter, french (fixture), then "open".
  const c = await seedAlphaCatalogue(p, s);
  const open = await createOffer(p, alice, s.org.alpha.id, {
    title: { fr: 'Permanence ouverte' },
    themeCodes: ['health'],
    serviceArea: ['Luxembourg'],
    capacityPlaces: 5,
  });
  await setOfferStatus(p, alice, open.id, 'publish');
  id.shelter = c.offers.shelter.id;
  id.french = c.offers.french.id;
  id.open = open.id;
  for (const k of Object.keys(id) as (keyof typeof id)[]) gid[k] = encodeGlobalID('Offer', id[k]);

  await updateOfferCapacity(p, alice, id.shelter, { free: 3 });
  await setOfferStatus(p, alice, id.shelter, 'pause');
  // While paused: new content (no notice of its own) and new places (a notice for alpha only).
  const { version } = await p.offer.findUniqueOrThrow({ where: { id: id.shelter } });
  await updateOffer(p, alice, id.shelter, version, {
    title: { fr: 'Titre secret' },
    contactEmail: 'secret@alpha.example',
  });
  await updateOfferCapacity(p, alice, id.shelter, { free: 1 });
  await setOfferStatus(p, alice, id.french, 'withdraw');
  await updateOfferCapacity(p, alice, id.open, { free: 2 });
});
afterAll(async () => {
  for (const stop of stops) await stop();
  await t.close();
});

describe('offerCapacityChanged(after: "0")', () => {
  it('anonymous: tombstones for offers now paused or withdrawn, nothing of their content; `node` agrees', async () => {
    const anyone = listen(undefined, '0');
    const got = (await anyone.waitFor(7)).map((d) => d.offerCapacityChanged);
    expect(got.map(summary)).toEqual([
      'shelter gone', // published
      'french gone', // published
      'open PUBLISHED null', // published
      'shelter gone', // 3 free places
      'shelter gone', // paused
      // 1 free place while paused: never public, so not even a tombstone
      'french gone', // withdrawn
      'open PUBLISHED 2',
    ]);
    expect(JSON.stringify(got)).not.toMatch(/secret|Titre/i);
    const tombstone = got[0]!;
    expect(Object.keys(tombstone).sort()).toEqual(['__typename', 'cursor', 'offerId']);
    expect(tombstone.__typename).toBe('OfferUnavailableNotice');
    for (const offer of [gid.shelter, gid.french]) {
      expect((await t.send(NodeById, { id: offer })).body).toEqual({ data: { node: null } });
    }
    expect((await t.send(NodeById, { id: gid.open })).body).toEqual({ data: { node: { id: gid.open } } });
  });

  it('the tombstone says the offer is no longer available', async () => {
    const Message = parse(`subscription($after: String) {
      offerCapacityChanged(after: $after) { cursor ... on OfferUnavailableNotice { message } }
    }`) as unknown as TypedDocumentNode<{ offerCapacityChanged: Notice }, { after?: string | null }>;
    const c = resumable(t.graphqlUrl, undefined, Message, {}, (d) => d.offerCapacityChanged.cursor, '0');
    stops.push(() => c.sub.stop());
    const [first] = await c.waitFor(1);
    expect(first?.offerCapacityChanged.message).toBe('This offer is no longer available.');
  });

  it('a member of the organisation sees every notice in full, with the offer as it is now', async () => {
    const alice = listen(await s.token('alice'), '0');
    const got = (await alice.waitFor(8)).map((d) => d.offerCapacityChanged);
    expect(got.map(summary)).toEqual([
      'shelter PUBLISHED null',
      'french PUBLISHED null',
      'open PUBLISHED null',
      'shelter PUBLISHED 3',
      'shelter PAUSED 3',
      'shelter PAUSED 1',
      'french WITHDRAWN null',
      'open PUBLISHED 2',
    ]);
    expect(got[0]?.offer).toEqual({
      title: { text: 'Titre secret' },
      contact: { email: 'secret@alpha.example' },
    });
  });

  it('another organisation’s member is answered like anyone', async () => {
    const bob = listen(await s.token('bob'), '0');
    const got = (await bob.waitFor(7)).map((d) => d.offerCapacityChanged);
    expect(got.map(summary)).toContain('shelter gone');
    expect(JSON.stringify(got)).not.toMatch(/secret|Titre/i);
  });
});

describe('live', () => {
  it('pausing an offer sends the public a tombstone; changes while paused nothing; republishing the offer', async () => {
    const anyone = listen(undefined, await now());
    const alice = aliceViewer(s);
    const p = t.db.prisma;
    await setOfferStatus(p, alice, id.open, 'pause');
    await updateOfferCapacity(p, alice, id.open, { free: 4 });
    await setOfferStatus(p, alice, id.open, 'publish');
    const got = (await anyone.waitFor(2)).map((d) => d.offerCapacityChanged);
    expect(got.map(summary)).toEqual(['open gone', 'open PUBLISHED 4']);
  });
});
