/**
 * Authorise before locking: offer and site mutations lock only rows the caller may edit (the rule
 * is in the locking statement's WHERE). An outsider never waits on, nor holds, a lock on another
 * organisation's row: while another transaction holds it, the outsider is answered at once —
 * not found for an offer it may not see (exactly as for an unknown id), forbidden for one it may
 * see — and nothing is written. The owning organisation's editors still wait their turn.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { encodeGlobalID } from '@pothos/plugin-relay';
import pg from 'pg';
import {
  PauseOfferDocument,
  UpdateOfferCapacityDocument,
  UpdateOfferDocument,
  UpdateSiteDocument,
} from '../../clients/generated/graphql.ts';
import { seedAlphaCatalogue, seedThemes } from '../helpers/catalogue-fixtures.ts';
import { seedScenario, type Scenario } from '../helpers/fixtures.ts';
import { startTestHub, type TestHub } from '../helpers/hub.ts';

let t: TestHub;
let s: Scenario;
const row = {} as Record<'draft' | 'published' | 'site', { id: string; globalId: string }>;

beforeAll(async () => {
  t = await startTestHub();
  s = await seedScenario(t.db.prisma, t.config);
  await seedThemes(t.db.prisma);
  const c = await seedAlphaCatalogue(t.db.prisma, s);
  row.draft = { id: c.offers.draft.id, globalId: encodeGlobalID('Offer', c.offers.draft.id) };
  row.published = { id: c.offers.shelter.id, globalId: encodeGlobalID('Offer', c.offers.shelter.id) };
  row.site = { id: c.sites.esch.id, globalId: encodeGlobalID('Site', c.sites.esch.id) };
});
afterAll(() => t.close());

/** Another transaction holding `FOR UPDATE` on one row, until released. */
async function holdLock(table: 'Offer' | 'Site', id: string) {
  const client = new pg.Client({ connectionString: t.database.url });
  await client.connect();
  await client.query('begin');
  await client.query(`select 1 from "${table}" where id = $1 for update`, [id]);
  return {
    async release() {
      await client.query('rollback');
      await client.end();
    },
  };
}

/** The answer, or a failure if it waits on the lock (it would wait until the lock goes). */
function promptly<T>(answer: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const blocked = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('the request waited on the row lock')), 5_000);
  });
  return Promise.race([answer, blocked]).finally(() => clearTimeout(timer));
}

/** What a mutation may change: the rows and the change log. */
async function footprint() {
  const [offers, sites, changes] = await Promise.all([
    t.db.prisma.offer.findMany({ orderBy: { id: 'asc' } }),
    t.db.prisma.site.findMany({ orderBy: { id: 'asc' } }),
    t.db.prisma.catalogueChange.count(),
  ]);
  return { offers, sites, changes };
}

const unknownOffer = () => encodeGlobalID('Offer', crypto.randomUUID());

describe('an outsider on a locked row', () => {
  it('updateOffer on a hidden offer: not found at once, like an unknown id; nothing written', async () => {
    const bob = t.client(await s.token('bob'));
    const before = await footprint();
    const lock = await holdLock('Offer', row.draft.id);
    try {
      const input = (id: string) => ({ input: { id, expectedVersion: 1, minAge: 3 } });
      const onHidden = await promptly(bob.request(UpdateOfferDocument, input(row.draft.globalId)));
      const onUnknown = await bob.request(UpdateOfferDocument, input(unknownOffer()));
      expect(onHidden.updateOffer.__typename).toBe('NotFoundError');
      expect(onHidden).toEqual(onUnknown);
      const capacity = await promptly(
        bob.request(UpdateOfferCapacityDocument, { input: { id: row.draft.globalId, free: 1 } }),
      );
      expect(capacity.updateOfferCapacity.__typename).toBe('NotFoundError');
    } finally {
      await lock.release();
    }
    expect(await footprint()).toEqual(before);
  });

  it('on a published offer it may see but not edit: forbidden at once; nothing written', async () => {
    const bob = t.client(await s.token('bob'));
    const before = await footprint();
    const lock = await holdLock('Offer', row.published.id);
    try {
      const paused = await promptly(
        bob.request(PauseOfferDocument, { input: { id: row.published.globalId } }),
      );
      expect(paused.pauseOffer.__typename).toBe('ForbiddenError');
      const updated = await promptly(
        bob.request(UpdateOfferDocument, {
          input: { id: row.published.globalId, expectedVersion: 2, minAge: 3 },
        }),
      );
      expect(updated.updateOffer.__typename).toBe('ForbiddenError');
    } finally {
      await lock.release();
    }
    expect(await footprint()).toEqual(before);
  });

  it('updateSite on another organisation’s (public) site: forbidden at once; nothing written', async () => {
    const bob = t.client(await s.token('bob'));
    const before = await footprint();
    const lock = await holdLock('Site', row.site.id);
    try {
      const res = await promptly(
        bob.request(UpdateSiteDocument, {
          input: { id: row.site.globalId, expectedVersion: 1, name: 'Pris' },
        }),
      );
      expect(res.updateSite.__typename).toBe('ForbiddenError');
      const unknown = await bob.request(UpdateSiteDocument, {
        input: { id: encodeGlobalID('Site', crypto.randomUUID()), expectedVersion: 1, name: 'Pris' },
      });
      expect(unknown.updateSite.__typename).toBe('NotFoundError');
    } finally {
      await lock.release();
    }
    expect(await footprint()).toEqual(before);
  });
});

describe('the owning organisation', () => {
  it('still locks: its editor waits for the other transaction, then succeeds', async () => {
    const alice = t.client(await s.token('alice'));
    const lock = await holdLock('Offer', row.draft.id);
    const answer = alice.request(UpdateOfferDocument, {
      input: { id: row.draft.globalId, expectedVersion: 1, minAge: 3 },
    });
    // Watched from another connection: the hub's query waits on the row lock.
    const watcher = new pg.Client({ connectionString: t.database.url });
    await watcher.connect();
    for (;;) {
      const { rows } = await watcher.query(
        `select 1 from pg_stat_activity where datname = current_database()
           and application_name = 'maillage' and wait_event_type = 'Lock'`,
      );
      if (rows.length > 0) break;
      await new Promise((resolve) => setImmediate(resolve));
    }
    await watcher.end();
    await lock.release();
    expect((await answer).updateOffer.__typename).toBe('MutationUpdateOfferSuccess');
  });
});
