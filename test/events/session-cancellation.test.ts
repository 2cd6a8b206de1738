/**
 * An organiser takes a session off the programme over HTTP (`cancelSession`): its seats and
 * waitlist go with it, everyone who had one is mailed with the sessions they keep, and their
 * registration stands. Who asks is checked before anything is read; a started session, a stale
 * version and a session already gone are typed errors that change nothing; a registration racing
 * the cancellation either got in first (and is told) or is refused.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { decodeGlobalID } from '@pothos/plugin-relay';
import {
  CancelSessionDocument,
  CreateSessionDocument,
  RegisterForEventDocument,
  RegistrationByTokenDocument,
  type RegistrationLocale,
  UpdateEventEditionDocument,
} from '../../clients/generated/graphql.ts';
import { createEdition, type TestEdition } from '../helpers/events.ts';
import { holdLock, untilWaiting } from '../helpers/locks.ts';
import { seedScenario, seedThirdOrganisation, type Scenario } from '../helpers/fixtures.ts';
import { startTestHub, type TestHub } from '../helpers/hub.ts';

let t: TestHub;
let s: Scenario;
let alice: string;
let bob: string;
let gina: string;
let edition: TestEdition;
let code: string;
let start: Date;

const at = (hours: number) => new Date(start.getTime() + hours * 3600 * 1000).toISOString();
const rawId = (globalId: string) => decodeGlobalID(globalId).id;

async function addSession(title: string, hours: number, capacity: number | null): Promise<string> {
  const res = await t.send(
    CreateSessionDocument,
    {
      input: {
        editionId: edition.id,
        kind: 'WORKSHOP',
        title: [{ language: 'FR', text: title }],
        startsAt: at(hours),
        endsAt: at(hours + 1),
        room: 'Salle 1',
        capacity,
      },
    },
    { token: alice },
  );
  const c = res.body.data!.createSession;
  if (c.__typename !== 'MutationCreateSessionSuccess') throw new Error(JSON.stringify(c));
  return c.data.session.id;
}

/** Registers `who` for `sessionIds` (waiting where full); the registration's token, or the refusal. */
async function register(who: string, sessionIds: string[], locale: RegistrationLocale = 'FR') {
  const res = await t.send(RegisterForEventDocument, {
    input: {
      edition: edition.slug,
      code,
      participant: {
        name: who,
        email: `${who.toLowerCase().replace(/ /g, '.')}@beta.example`,
        category: 'PARTNER_STAFF',
        sessionIds,
        waitlist: true,
        locale,
      },
    },
  });
  expect(res.body.errors).toBeUndefined();
  return res.body.data!.registerForEvent;
}

async function registered(
  who: string,
  sessionIds: string[],
  locale: RegistrationLocale = 'FR',
): Promise<string> {
  const r = await register(who, sessionIds, locale);
  if (r.__typename !== 'MutationRegisterForEventSuccess') throw new Error(JSON.stringify(r));
  return r.data.manageToken;
}

async function cancel(id: string, expectedVersion: number, token: string | null = alice) {
  const res = await t.send(CancelSessionDocument, { input: { id, expectedVersion } }, token ? { token } : {});
  return res.body;
}

const sessionRow = (id: string) => t.db.prisma.eventSession.findUnique({ where: { id: rawId(id) } });
const seatsOf = (id: string) => t.db.prisma.registrationSeat.findMany({ where: { sessionId: rawId(id) } });
const cancelledMails = () =>
  t.db.prisma.mailMessage.findMany({
    where: { kind: 'event-registration-session-cancelled' },
    select: { to: true, subject: true, text: true, locale: true },
    orderBy: { to: 'asc' },
  });

beforeAll(async () => {
  t = await startTestHub();
  s = await seedScenario(t.db.prisma, t.config);
  gina = (await seedThirdOrganisation(t.db.prisma, t.config, ['ORG_ADMIN'])).token;
  alice = await s.token('alice');
  bob = await s.token('bob');
  start = new Date(Date.now() + 30 * 24 * 3600 * 1000);
  edition = await createEdition(t, alice, {
    organisationId: s.org.alpha.globalId,
    slug: 'assises-annulation',
    startsAt: start,
    invited: [s.org.beta.globalId],
  });
  const open = await t.send(
    UpdateEventEditionDocument,
    { input: { id: edition.id, expectedVersion: edition.version, status: 'OPEN' } },
    { token: alice },
  );
  expect(open.body.data!.updateEventEdition.__typename).toBe('MutationUpdateEventEditionSuccess');
  code = await edition.code('beta');
});

afterAll(async () => {
  await t?.close();
});

describe('cancelSession', () => {
  it('takes the session off with its seats and waitlist, tells each person with what they keep, and their registration stands', async () => {
    const dropped = await addSession('Atelier santé mentale', 1, 2);
    const kept = await addSession('Table ronde logement', 3, null);
    const ana = await registered('Ana Lopes', [dropped, kept]);
    await registered('Ben Wagner', [dropped], 'DE');
    // The third waits for a seat; the fourth never chose the session.
    await registered('Cleo Martin', [dropped], 'EN');
    await registered('Dan Thill', [kept]);
    expect((await seatsOf(dropped)).map((x) => x.status).sort()).toEqual([
      'CONFIRMED',
      'CONFIRMED',
      'WAITLISTED',
    ]);

    const version = (await sessionRow(dropped))!.version;
    const editionRow = () => t.db.prisma.eventEdition.findUniqueOrThrow({ where: { id: rawId(edition.id) } });
    const editionBefore = await editionRow();
    const body = await cancel(dropped, version);
    expect(body.errors).toBeUndefined();
    const r = body.data!.cancelSession;
    if (r.__typename !== 'MutationCancelSessionSuccess') throw new Error(JSON.stringify(r));
    expect(r.data.toldCount).toBe(3);
    expect(r.data.edition.sessions.map((x) => x.id)).toEqual([kept]);
    expect(await sessionRow(dropped)).toBeNull();
    expect(await seatsOf(dropped)).toEqual([]);
    // The programme changed: the public page's and feed's Last-Modified (the edition's row) say so;
    // the edition's version, which its organisers' forms hold, does not move.
    const editionAfter = await editionRow();
    expect(editionAfter.updatedAt.getTime()).toBeGreaterThan(editionBefore.updatedAt.getTime());
    expect(editionAfter.version).toBe(editionBefore.version);
    expect((await seatsOf(kept)).length).toBe(2);

    // Every registration stands, with the sessions it keeps.
    const ana2 = (await t.send(RegistrationByTokenDocument, { token: ana })).body.data!.registrationByToken!;
    expect(ana2.status).toBe('REGISTERED');
    expect(ana2.seats.map((x) => x.session.id)).toEqual([kept]);
    expect(
      await t.db.prisma.registration.count({ where: { editionId: rawId(edition.id), status: 'REGISTERED' } }),
    ).toBe(4);

    // One mail each, in their language, seated or waiting; nothing to the one who never chose it.
    const mails = await cancelledMails();
    expect(mails.map((m) => m.to)).toEqual([
      'ana.lopes@beta.example',
      'ben.wagner@beta.example',
      'cleo.martin@beta.example',
    ]);
    const [fr, de, en] = mails;
    expect(fr).toMatchObject({ subject: 'Session annulée\u00a0: Édition assises-annulation', locale: 'fr' });
    expect(fr!.text).toContain(
      'la session «\u00a0Atelier santé mentale\u00a0» de «\u00a0Édition assises-annulation\u00a0»',
    );
    expect(fr!.text).toContain('reste valable');
    expect(fr!.text).toContain('Table ronde logement, Salle 1 (place confirmée)');
    expect(fr!.text).not.toContain('Atelier santé mentale, Salle 1');
    expect(de).toMatchObject({ subject: 'Sitzung abgesagt: Édition assises-annulation', locale: 'de' });
    expect(de!.text).toContain('ist abgesagt');
    // Nothing left to list: no programme.
    expect(de!.text).not.toContain('Ihre Sitzungen');
    expect(en).toMatchObject({ subject: 'Session cancelled: Édition assises-annulation', locale: 'en' });

    // The public programme no longer offers it: a registration naming it is refused.
    const late = await register('Eva Klein', [dropped]);
    expect(late.__typename).toBe('InvalidInputError');
  });

  it('refuses anyone who does not organise the edition, a stale version, a started session and one already gone, and changes nothing', async () => {
    const id = await addSession('Atelier emploi', 2, 10);
    await registered('Fred Schmit', [id]);
    const before = (await sessionRow(id))!;
    // Bob (beta, invited) sees the edition but does not organise it; Gina sees it as the public does.
    for (const token of [bob, gina]) {
      const r = (await cancel(id, before.version, token)).data!.cancelSession;
      expect(r.__typename).toBe('ForbiddenError');
    }
    const anonymous = await cancel(id, before.version, null);
    expect(anonymous.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const stale = (await cancel(id, before.version - 1)).data!.cancelSession;
    expect(stale).toMatchObject({ __typename: 'VersionConflictError', currentVersion: before.version });
    expect(await sessionRow(id)).toEqual(before);
    expect((await seatsOf(id)).length).toBe(1);

    // A session that has started stays in the programme (its start moved into the past).
    await t.db.prisma.eventSession.update({
      where: { id: rawId(id) },
      data: { startsAt: new Date(Date.now() - 60_000) },
    });
    const startedRow = (await sessionRow(id))!;
    const started = (await cancel(id, startedRow.version)).data!.cancelSession;
    expect(started).toMatchObject({
      __typename: 'InvalidInputError',
      fields: [{ path: ['input', 'id'], reason: 'PAST' }],
    });
    expect(await sessionRow(id)).toEqual(startedRow);
    expect((await seatsOf(id)).length).toBe(1);

    // Gone already: not found, for the organiser too.
    const other = await addSession('Atelier formation', 4, null);
    const v = (await sessionRow(other))!.version;
    expect((await cancel(other, v)).data!.cancelSession.__typename).toBe('MutationCancelSessionSuccess');
    expect((await cancel(other, v)).data!.cancelSession.__typename).toBe('NotFoundError');
  });

  it('tells a registration that locked the session first, and refuses one that waited behind it', async () => {
    // The test holds the session's row lock, queues the two requests behind it in a known order,
    // then lets go: PostgreSQL hands the lock to its waiters in turn.
    const race = async (first: 'register' | 'cancel', who: string) => {
      const id = await addSession(`Atelier ${who}`, 5, 1);
      const version = (await sessionRow(id))!.version;
      const lock = await holdLock(t.database.url, 'EventSession', rawId(id));
      const start = { register: () => register(who, [id]), cancel: () => cancel(id, version) };
      const second = first === 'register' ? 'cancel' : 'register';
      let one: ReturnType<(typeof start)[typeof first]> | undefined;
      let two: ReturnType<(typeof start)[typeof second]> | undefined;
      try {
        one = start[first]();
        await untilWaiting(t.database.url, 1);
        two = start[second]();
        await untilWaiting(t.database.url, 2);
        // Someone who does not organise the edition is refused without waiting for the lock.
        const byBob = await cancel(id, version, bob);
        expect(byBob.data!.cancelSession.__typename).toBe('ForbiddenError');
      } finally {
        await lock.release();
      }
      const [a, b] = await Promise.all([one, two]);
      return first === 'register' ? { registration: a, cancelled: b } : { registration: b, cancelled: a };
    };
    const mails = (await cancelledMails()).length;

    const before = (await race('register', 'Gil Course')) as {
      registration: Awaited<ReturnType<typeof register>>;
      cancelled: Awaited<ReturnType<typeof cancel>>;
    };
    expect(before.registration.__typename).toBe('MutationRegisterForEventSuccess');
    expect(before.cancelled.data!.cancelSession).toMatchObject({ data: { toldCount: 1 } });
    expect((await cancelledMails()).map((m) => m.to)).toContain('gil.course@beta.example');

    const after = (await race('cancel', 'Hana Course')) as typeof before;
    expect(after.cancelled.data!.cancelSession).toMatchObject({ data: { toldCount: 0 } });
    expect(after.registration).toMatchObject({
      __typename: 'InvalidInputError',
      fields: [{ path: ['input', 'sessionIds'] }],
    });
    expect(await t.db.prisma.registration.count({ where: { email: 'hana.course@beta.example' } })).toBe(0);
    expect((await cancelledMails()).length).toBe(mails + 1);
  });
});
