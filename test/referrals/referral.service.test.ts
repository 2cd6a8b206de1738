/**
 * Referral steps against real PostgreSQL: draft with person and consent, idempotency, the
 * closed loop from send to completion, and the refusals (illegal step, stale version, third
 * organisation, withdrawn consent, full offer) that write nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Authenticator } from '../../src/modules/accounts/auth.service.ts';
import type { Viewer } from '../../src/modules/accounts/viewer.ts';
import {
  assignReferral,
  createReferral,
  postReferralMessage,
  stepReferral,
  type CreateReferralInput,
} from '../../src/modules/referrals/referral.service.ts';
import { ConsentMissingError, OfferFullError } from '../../src/modules/referrals/referrals.errors.ts';
import { loadConfig } from '../../src/shared/config.ts';
import { openDatabase, type Database } from '../../src/shared/db/client.ts';
import {
  ForbiddenError,
  IdempotencyConflictError,
  InvalidInputError,
  NotFoundError,
  VersionConflictError,
} from '../../src/shared/errors.ts';
import { createLogger } from '../../src/shared/logger.ts';
import { seedAlphaCatalogue, seedThemes } from '../helpers/catalogue-fixtures.ts';
import { seedScenario, type Person, type Scenario } from '../helpers/fixtures.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/pg.ts';

let database: TestDatabase;
let db: Database;
let s: Scenario;
let shelterId: string;
const viewers = {} as Record<Person, Viewer>;

beforeAll(async () => {
  database = await createTestDatabase();
  const config = loadConfig({ NODE_ENV: 'test', DATABASE_URL: database.url });
  const logger = createLogger('silent');
  db = openDatabase({ url: database.url, poolMax: 5, logger });
  s = await seedScenario(db.prisma, config);
  await seedThemes(db.prisma);
  shelterId = (await seedAlphaCatalogue(db.prisma, s)).offers.shelter.id;
  // Viewers as the server builds them, from real tokens.
  const auth = new Authenticator(db.prisma, db.sql, config, logger);
  for (const person of ['alice', 'bob', 'carol', 'hugo'] as const) {
    viewers[person] = (await auth.authenticate(`Bearer ${await s.token(person)}`))!;
  }
});
afterAll(async () => {
  await db.close();
  await database.drop();
});

const draft = (over: Partial<CreateReferralInput> = {}): CreateReferralInput => ({
  senderOrganisationId: s.org.beta.id,
  offerId: shelterId,
  needs: 'Famille de 4 personnes sans logement depuis une semaine.',
  needThemes: ['housing'],
  urgency: 'URGENT',
  person: {
    initials: 'M. K.',
    birthYear: 1987,
    languages: ['ar', 'fr'],
    contactChannel: 'PHONE',
    contact: '+352 621 000 000',
    interpreterNeeded: true,
  },
  consent: { purpose: 'Orientation vers un hébergement' },
  ...over,
});

const eventsOf = (referralId: string) => db.prisma.referralEvent.count({ where: { referralId } });

describe('drafts', () => {
  it('a case worker drafts a referral with the person and their consent', async () => {
    const r = await createReferral(db.prisma, viewers.bob, draft());
    expect(r).toMatchObject({ status: 'DRAFT', version: 1, receiverOrganisationId: s.org.alpha.id });
    expect(r.reference).toMatch(/^REF-\d{4}-\d{6}$/);
    const person = await db.prisma.referralPerson.findUniqueOrThrow({ where: { referralId: r.id } });
    expect(person).toMatchObject({ initials: 'M. K.', interpreterNeeded: true });
    const consent = await db.prisma.consent.findFirstOrThrow({ where: { referralId: r.id } });
    expect(consent.recipientOrganisationIds).toEqual([s.org.alpha.id]);
    expect(await eventsOf(r.id)).toBe(1);
  });

  it('the same idempotency key with the same input returns the first referral; another input is refused', async () => {
    const first = await createReferral(db.prisma, viewers.bob, draft({ idempotencyKey: 'crm-42' }));
    const retry = await createReferral(db.prisma, viewers.bob, draft({ idempotencyKey: 'crm-42' }));
    expect(retry.id).toBe(first.id);
    await expect(
      createReferral(db.prisma, viewers.bob, draft({ idempotencyKey: 'crm-42', needs: 'autre chose' })),
    ).rejects.toBeInstanceOf(IdempotencyConflictError);
    expect(await db.prisma.referral.count({ where: { idempotencyKey: 'crm-42' } })).toBe(1);
  });

  it('only case workers and admins of the sending organisation may draft', async () => {
    await expect(createReferral(db.prisma, viewers.carol, draft())).rejects.toBeInstanceOf(ForbiddenError);
    await expect(createReferral(db.prisma, viewers.hugo, draft())).rejects.toBeInstanceOf(ForbiddenError);
  });
});

describe('assignment and messages', () => {
  it('the receiving side assigns one of its case workers; messages go both ways and are recorded', async () => {
    const r = await createReferral(db.prisma, viewers.bob, draft());
    const sent = await stepReferral(db, viewers.bob, r.id, 'send', { expectedVersion: 1 });
    await expect(
      assignReferral(db.prisma, viewers.bob, r.id, s.user.bob.id, sent.version),
    ).rejects.toBeInstanceOf(ForbiddenError);
    await expect(
      assignReferral(db.prisma, viewers.alice, r.id, s.user.bob.id, sent.version),
    ).rejects.toBeInstanceOf(NotFoundError);
    const assigned = await assignReferral(db.prisma, viewers.alice, r.id, s.user.carol.id, sent.version);
    expect(assigned).toMatchObject({ assigneeUserId: s.user.carol.id, version: sent.version + 1 });

    await postReferralMessage(
      db.prisma,
      viewers.carol,
      r.id,
      'Pouvez-vous préciser la composition familiale ?',
    );
    await postReferralMessage(db.prisma, viewers.bob, r.id, 'Deux adultes, deux enfants de 4 et 7 ans.');
    await expect(postReferralMessage(db.prisma, viewers.hugo, r.id, 'x')).rejects.toBeInstanceOf(
      NotFoundError,
    );
    const messages = await db.prisma.referralMessage.findMany({
      where: { referralId: r.id },
      orderBy: { at: 'asc' },
    });
    expect(messages.map((m) => m.authorOrganisationId)).toEqual([s.org.alpha.id, s.org.beta.id]);
    expect(
      await db.prisma.referralEvent.count({
        where: { referralId: r.id, type: { in: ['ASSIGNED', 'MESSAGE'] } },
      }),
    ).toBe(3);
  });
});

describe('the closed loop', () => {
  it('send, acknowledge, accept, start, hold, resume, complete — each step bumps the version and is recorded', async () => {
    const r = await createReferral(db.prisma, viewers.bob, draft());
    let version = r.version;
    const step = async (who: Person, action: Parameters<typeof stepReferral>[3], extra = {}) => {
      const next = await stepReferral(db, viewers[who], r.id, action, {
        expectedVersion: version,
        ...extra,
      });
      version = next.version;
      return next;
    };
    const sent = await step('bob', 'send');
    expect(sent.status).toBe('SENT');
    expect(sent.dueAt!.getTime()).toBeGreaterThan(Date.now());
    expect((await step('carol', 'acknowledge')).firstAnswerAt).not.toBeNull();
    await step('carol', 'accept');
    await step('carol', 'start');
    await step('carol', 'hold', { reason: 'En attente du titre de séjour' });
    await step('carol', 'resume');
    const done = await step('carol', 'complete', { outcome: 'Hébergée au foyer' });
    expect(done).toMatchObject({ status: 'COMPLETED', outcome: 'Hébergée au foyer', version: 8 });
    expect(done.closedAt).not.toBeNull();
    expect(await eventsOf(r.id)).toBe(8);
  });

  it('an illegal step, a stale version or a third organisation changes nothing', async () => {
    const r = await createReferral(db.prisma, viewers.bob, draft());
    await expect(
      stepReferral(db, viewers.carol, r.id, 'accept', { expectedVersion: 1 }),
    ).rejects.toBeInstanceOf(NotFoundError); // a draft stays with its sender
    await expect(
      stepReferral(db, viewers.bob, r.id, 'accept', { expectedVersion: 1 }),
    ).rejects.toBeInstanceOf(ForbiddenError);
    await expect(
      stepReferral(db, viewers.bob, r.id, 'resume', { expectedVersion: 1 }),
    ).rejects.toBeInstanceOf(ForbiddenError);
    await expect(stepReferral(db, viewers.bob, r.id, 'cancel', { expectedVersion: 1 })).rejects.toMatchObject(
      {
        code: InvalidInputError.code,
        fields: [{ path: ['input', 'reason'], message: 'this step needs a reason' }],
      },
    );
    await expect(stepReferral(db, viewers.bob, r.id, 'send', { expectedVersion: 7 })).rejects.toBeInstanceOf(
      VersionConflictError,
    );
    await expect(stepReferral(db, viewers.hugo, r.id, 'send', { expectedVersion: 1 })).rejects.toBeInstanceOf(
      NotFoundError,
    );
    expect(await db.prisma.referral.findUniqueOrThrow({ where: { id: r.id } })).toMatchObject({
      status: 'DRAFT',
      version: 1,
    });
    expect(await eventsOf(r.id)).toBe(1);
  });

  it('of two concurrent accepts, one wins and the other gets the conflict', async () => {
    const r = await createReferral(db.prisma, viewers.bob, draft());
    const sent = await stepReferral(db, viewers.bob, r.id, 'send', { expectedVersion: 1 });
    const results = await Promise.allSettled([
      stepReferral(db, viewers.carol, r.id, 'accept', { expectedVersion: sent.version }),
      stepReferral(db, viewers.alice, r.id, 'accept', { expectedVersion: sent.version }),
    ]);
    expect(results.filter((x) => x.status === 'fulfilled')).toHaveLength(1);
    const failed = results.find((x) => x.status === 'rejected');
    expect(failed?.reason).toBeInstanceOf(VersionConflictError);
  });

  it('a withdrawn consent or a full offer stops the sending', async () => {
    const r = await createReferral(db.prisma, viewers.bob, draft());
    await db.prisma.consent.updateMany({ where: { referralId: r.id }, data: { withdrawnAt: new Date() } });
    await expect(stepReferral(db, viewers.bob, r.id, 'send', { expectedVersion: 1 })).rejects.toBeInstanceOf(
      ConsentMissingError,
    );

    const full = await createReferral(db.prisma, viewers.bob, draft());
    await db.prisma.offer.update({ where: { id: shelterId }, data: { capacityFree: 0 } });
    await expect(
      stepReferral(db, viewers.bob, full.id, 'send', { expectedVersion: 1 }),
    ).rejects.toBeInstanceOf(OfferFullError);
    const waiting = await stepReferral(db, viewers.bob, full.id, 'send', {
      expectedVersion: 1,
      acceptWaitlist: true,
    });
    expect(waiting).toMatchObject({ status: 'SENT', waitlisted: true });
  });
});
