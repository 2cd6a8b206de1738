/**
 * An organiser changes a session of the programme over HTTP (`updateSession`): its room, time,
 * speakers and seats. Raised seats go to the waitlist in order, with a mail each; seats are never
 * taken back; who asks is checked before anything is read; bad input and a stale version are
 * typed errors that change nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { decodeGlobalID, encodeGlobalID } from '@pothos/plugin-relay';
import {
  CreateEventDocument,
  CreateEventEditionDocument,
  CreateSessionDocument,
  EditionInvitationsDocument,
  RegisterForEventDocument,
  RegistrationByTokenDocument,
  UpdateEventEditionDocument,
  UpdateSessionDocument,
  type UpdateSessionInput,
} from '../../clients/generated/graphql.ts';
import { seedScenario, seedThirdOrganisation, type Scenario } from '../helpers/fixtures.ts';
import { startTestHub, type TestHub } from '../helpers/hub.ts';

let t: TestHub;
let s: Scenario;
let alice: string;
let bob: string;
let gina: string;
let code: string;
let start: Date;
let workshopId: string;
let editionGlobalId: string;
const SLUG = 'assises-sessions-2026';

const at = (hours: number) => new Date(start.getTime() + hours * 3600 * 1000).toISOString();

async function update(input: Omit<UpdateSessionInput, 'id'>, token = alice) {
  const res = await t.send(UpdateSessionDocument, { input: { id: workshopId, ...input } }, { token });
  expect(res.body.errors).toBeUndefined();
  return res.body.data!.updateSession;
}

async function version(): Promise<number> {
  return (await t.db.prisma.eventSession.findUniqueOrThrow({ where: { id: rawId(workshopId) } })).version;
}

const rawId = (globalId: string) => decodeGlobalID(globalId).id;

async function register(n: number) {
  const res = await t.send(RegisterForEventDocument, {
    input: {
      edition: SLUG,
      code,
      participant: {
        name: `Personne ${n}`,
        email: `personne.${n}@beta.example`,
        category: 'PARTNER_STAFF',
        sessionIds: [workshopId],
        waitlist: true,
      },
    },
  });
  const r = res.body.data!.registerForEvent;
  if (r.__typename !== 'MutationRegisterForEventSuccess') throw new Error(JSON.stringify(r));
  return r.data.manageToken;
}

const seatOf = async (token: string) =>
  (await t.send(RegistrationByTokenDocument, { token })).body.data!.registrationByToken!.seats[0]!;

beforeAll(async () => {
  t = await startTestHub();
  s = await seedScenario(t.db.prisma, t.config);
  gina = (await seedThirdOrganisation(t.db.prisma, t.config, ['ORG_ADMIN'])).token;
  alice = await s.token('alice');
  bob = await s.token('bob');
  const event = await t.send(
    CreateEventDocument,
    {
      input: {
        organisationId: s.org.alpha.globalId,
        slug: 'assises-sessions',
        name: [{ language: 'FR', text: 'Assises' }],
      },
    },
    { token: alice },
  );
  const created = event.body.data!.createEvent;
  if (created.__typename !== 'MutationCreateEventSuccess') throw new Error(JSON.stringify(created));
  start = new Date(Date.now() + 30 * 24 * 3600 * 1000);
  const edition = await t.send(
    CreateEventEditionDocument,
    {
      input: {
        eventId: created.data.event.id,
        slug: SLUG,
        title: [{ language: 'FR', text: 'Assises 2026' }],
        startsAt: at(0),
        endsAt: at(8),
        invitedOrganisationIds: [s.org.beta.globalId],
      },
    },
    { token: alice },
  );
  const e = edition.body.data!.createEventEdition;
  if (e.__typename !== 'MutationCreateEventEditionSuccess') throw new Error(JSON.stringify(e));
  editionGlobalId = e.data.edition.id;
  const session = await t.send(
    CreateSessionDocument,
    {
      input: {
        editionId: e.data.edition.id,
        kind: 'WORKSHOP',
        title: [{ language: 'FR', text: 'Atelier logement' }],
        startsAt: at(1),
        endsAt: at(2),
        room: 'Salle 1',
        capacity: 2,
      },
    },
    { token: alice },
  );
  const c = session.body.data!.createSession;
  if (c.__typename !== 'MutationCreateSessionSuccess') throw new Error(JSON.stringify(c));
  workshopId = c.data.session.id;
  const open = await t.send(
    UpdateEventEditionDocument,
    { input: { id: e.data.edition.id, expectedVersion: e.data.edition.version, status: 'OPEN' } },
    { token: alice },
  );
  expect(open.body.data!.updateEventEdition.__typename).toBe('MutationUpdateEventEditionSuccess');
  const inv = await t.send(EditionInvitationsDocument, { slug: SLUG }, { token: alice });
  code = inv.body.data!.eventEdition!.invitations.find((i) => i.organisation.slug === 'beta')!.code!;
});

afterAll(async () => {
  await t?.close();
});

describe('updateSession', () => {
  it('moves a session to another room and time and changes its speakers, and nothing else', async () => {
    const r = await update({
      expectedVersion: await version(),
      room: '  Salle 3  ',
      startsAt: at(3),
      endsAt: at(4),
      speakers: [{ name: ' Marie Muller ', organisation: 'Ville de Luxembourg' }],
    });
    if (r.__typename !== 'MutationUpdateSessionSuccess') throw new Error(JSON.stringify(r));
    expect(r.data.session).toMatchObject({
      version: 2,
      kind: 'WORKSHOP',
      room: 'Salle 3',
      capacity: 2,
      startsAt: at(3),
      endsAt: at(4),
      title: { text: 'Atelier logement' },
      speakers: [{ name: 'Marie Muller', organisation: 'Ville de Luxembourg' }],
    });
  });

  it('refuses anyone who does not organise the edition before reading the session, and a stale version', async () => {
    const before = await t.db.prisma.eventSession.findUniqueOrThrow({ where: { id: rawId(workshopId) } });
    // Bob (beta, invited) sees the edition but does not organise it; Gina's organisation is not invited
    // and the edition is public, so she sees it too: both are refused.
    for (const token of [bob, gina]) {
      const r = await update({ expectedVersion: before.version, room: 'Ailleurs' }, token);
      expect(r.__typename).toBe('ForbiddenError');
    }
    const anonymous = await t.send(UpdateSessionDocument, {
      input: { id: workshopId, expectedVersion: before.version, room: 'Ailleurs' },
    });
    expect(anonymous.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const stale = await update({ expectedVersion: before.version - 1, room: 'Ailleurs' });
    expect(stale).toMatchObject({ __typename: 'VersionConflictError', currentVersion: before.version });
    const unknown = await t.send(
      UpdateSessionDocument,
      {
        input: {
          id: encodeGlobalID('EventSession', '00000000-0000-7000-8000-000000000000'),
          expectedVersion: 1,
        },
      },
      { token: alice },
    );
    expect(unknown.body.data!.updateSession.__typename).toBe('NotFoundError');
    expect(await t.db.prisma.eventSession.findUniqueOrThrow({ where: { id: rawId(workshopId) } })).toEqual(
      before,
    );
  });

  it('refuses an end before the start, an empty title and no seat, and changes nothing', async () => {
    const v = await version();
    const r = await update({ expectedVersion: v, endsAt: at(2), title: [], capacity: 0 });
    if (r.__typename !== 'InvalidInputError') throw new Error(JSON.stringify(r));
    expect(r.fields.map((f) => f.path.join('.')).sort()).toEqual([
      'input.capacity',
      'input.endsAt',
      'input.title',
    ]);
    expect(r.fields.find((f) => f.path.join('.') === 'input.capacity')).toMatchObject({
      reason: 'TOO_SMALL',
      limit: 1,
    });
    expect(await version()).toBe(v);
  });

  it('clears a room and the speakers when told to, and keeps what is left out', async () => {
    const r = await update({ expectedVersion: await version(), room: null, speakers: [] });
    if (r.__typename !== 'MutationUpdateSessionSuccess') throw new Error(JSON.stringify(r));
    expect(r.data.session).toMatchObject({ room: null, speakers: [], startsAt: at(3), capacity: 2 });
    const kept = await update({ expectedVersion: await version(), room: 'Salle 3' });
    if (kept.__typename !== 'MutationUpdateSessionSuccess') throw new Error(JSON.stringify(kept));
    expect(kept.data.session).toMatchObject({
      room: 'Salle 3',
      speakers: [],
      title: { text: 'Atelier logement' },
    });
  });

  it('gives raised seats to the people waiting, in order, with a mail, and never takes a seat back', async () => {
    const tokens: string[] = [];
    for (let n = 1; n <= 5; n++) tokens.push(await register(n));
    const statuses = async () => (await Promise.all(tokens.map(seatOf))).map((seat) => seat.status);
    expect(await statuses()).toEqual(['CONFIRMED', 'CONFIRMED', 'WAITLISTED', 'WAITLISTED', 'WAITLISTED']);
    const promotedMails = async () =>
      (
        await t.db.prisma.mailMessage.findMany({
          where: { kind: 'event-registration-promoted' },
          select: { to: true },
          orderBy: { to: 'asc' },
        })
      ).map((m) => m.to);
    // Below the two seats taken: refused, with the least it may be.
    const below = await update({ expectedVersion: await version(), capacity: 1 });
    if (below.__typename !== 'InvalidInputError') throw new Error(JSON.stringify(below));
    expect(below.fields).toEqual([
      expect.objectContaining({ path: ['input', 'capacity'], reason: 'TOO_SMALL', limit: 2 }),
    ]);
    // The same seats again: nobody moves.
    const same = await update({ expectedVersion: await version(), capacity: 2 });
    expect(same).toMatchObject({ data: { promotedCount: 0, session: { seatsTaken: 2, waitlistLength: 3 } } });
    expect(await promotedMails()).toEqual([]);
    // Two more seats: persons 3 and 4, in the order they joined; person 5 still waits, first in line.
    const raised = await update({ expectedVersion: await version(), capacity: 4 });
    if (raised.__typename !== 'MutationUpdateSessionSuccess') throw new Error(JSON.stringify(raised));
    expect(raised.data).toMatchObject({
      promotedCount: 2,
      session: { capacity: 4, seatsTaken: 4, waitlistLength: 1 },
    });
    expect(await statuses()).toEqual(['CONFIRMED', 'CONFIRMED', 'CONFIRMED', 'CONFIRMED', 'WAITLISTED']);
    expect((await seatOf(tokens[4]!)).waitlistPosition).toBe(1);
    expect(await promotedMails()).toEqual(['personne.3@beta.example', 'personne.4@beta.example']);
    // No limit: the last one gets a seat too.
    const lifted = await update({ expectedVersion: await version(), capacity: null });
    expect(lifted).toMatchObject({
      data: { promotedCount: 1, session: { capacity: null, seatsTaken: 5, waitlistLength: 0 } },
    });
    // A limit again, at the seats taken: allowed; one below: refused, and the seats stay.
    const again = await update({ expectedVersion: await version(), capacity: 5 });
    expect(again).toMatchObject({ data: { promotedCount: 0, session: { capacity: 5 } } });
    const fewer = await update({ expectedVersion: await version(), capacity: 4 });
    if (fewer.__typename !== 'InvalidInputError') throw new Error(JSON.stringify(fewer));
    expect(fewer.fields).toEqual([expect.objectContaining({ reason: 'TOO_SMALL', limit: 5 })]);
    expect(await statuses()).toEqual(Array(5).fill('CONFIRMED'));
  });

  it('never over-books when seats are added while people register', async () => {
    // Full at 5 of 5; two seats added while three more people register, all at once.
    const [raised] = await Promise.all([
      update({ expectedVersion: await version(), capacity: 7 }),
      register(6),
      register(7),
      register(8),
    ]);
    expect(raised.__typename).toBe('MutationUpdateSessionSuccess');
    const seats = await t.db.prisma.registrationSeat.groupBy({
      by: ['status'],
      where: { sessionId: rawId(workshopId) },
      _count: true,
    });
    expect(Object.fromEntries(seats.map((x) => [x.status, x._count]))).toEqual({
      CONFIRMED: 7,
      WAITLISTED: 1,
    });
  });

  it('tells everyone registered for the session, seated or waiting, of a new room or time, and nobody of the seats', async () => {
    const registered = await t.db.prisma.registrationSeat.findMany({
      where: { sessionId: rawId(workshopId), registration: { status: 'REGISTERED' } },
      select: { registration: { select: { email: true } } },
    });
    expect(registered.length).toBe(8);
    // A ninth waits too: the change below gives one seat to the first in line.
    await register(9);
    const movedMails = () =>
      t.db.prisma.mailMessage.findMany({
        where: { kind: 'event-registration-moved' },
        select: { to: true, subject: true, text: true },
        orderBy: { to: 'asc' },
      });
    const promotedBefore = await t.db.prisma.mailMessage.count({
      where: { kind: 'event-registration-promoted' },
    });
    const r = await update({
      expectedVersion: await version(),
      room: 'Salle 9',
      startsAt: at(5),
      endsAt: at(6),
      capacity: 8,
    });
    // Nine registered: the one just seated is told by that mail (which lists the new time), not twice.
    expect(r).toMatchObject({ data: { toldCount: 8, promotedCount: 1 } });
    const promoted = await t.db.prisma.mailMessage.findMany({
      where: { kind: 'event-registration-promoted' },
      orderBy: { createdAt: 'desc' },
      take: 1,
      select: { to: true, text: true },
    });
    expect(await t.db.prisma.mailMessage.count({ where: { kind: 'event-registration-promoted' } })).toBe(
      promotedBefore + 1,
    );
    expect(promoted[0]!.text).toContain('Atelier logement, Salle 9 (place confirmée)');
    const mails = await movedMails();
    expect(mails.map((m) => m.to)).toEqual(
      [...registered.map((x) => x.registration.email), 'personne.9@beta.example']
        .filter((to) => to !== promoted[0]!.to)
        .sort(),
    );
    // With its day: a session moved to another day says so.
    const hours = new Intl.DateTimeFormat('fr-LU', {
      weekday: 'short',
      day: 'numeric',
      month: 'short',
      hour: '2-digit',
      minute: '2-digit',
      timeZone: 'Europe/Luxembourg',
    }).formatRange(new Date(at(5)), new Date(at(6)));
    expect(mails[0]).toMatchObject({ subject: 'Programme modifié\u00a0: Assises 2026' });
    expect(mails[0]!.text).toContain(
      'la session «\u00a0Atelier logement\u00a0» de «\u00a0Assises 2026\u00a0»',
    );
    expect(mails[0]!.text).toContain(`- ${hours} Atelier logement, Salle 9 (`);
    // The seats alone, or the same room again: nobody is told.
    for (const input of [{ capacity: 8 }, { room: 'Salle 9' }]) {
      const same = await update({ expectedVersion: await version(), ...input });
      expect(same).toMatchObject({ data: { toldCount: 0 } });
    }
    expect((await movedMails()).length).toBe(8);
  });

  it('moves nobody once registration has closed', async () => {
    const edition = await t.db.prisma.eventEdition.findUniqueOrThrow({ where: { slug: SLUG } });
    const closed = await t.send(
      UpdateEventEditionDocument,
      { input: { id: editionGlobalId, expectedVersion: edition.version, status: 'CLOSED' } },
      { token: alice },
    );
    expect(closed.body.data!.updateEventEdition.__typename).toBe('MutationUpdateEventEditionSuccess');
    const mails = await t.db.prisma.mailMessage.count({ where: { kind: 'event-registration-promoted' } });
    const r = await update({ expectedVersion: await version(), capacity: 10 });
    expect(r).toMatchObject({
      data: { promotedCount: 0, session: { capacity: 10, seatsTaken: 8, waitlistLength: 1 } },
    });
    expect(await t.db.prisma.mailMessage.count({ where: { kind: 'event-registration-promoted' } })).toBe(
      mails,
    );
    // Once the edition has ended, a new room tells nobody.
    const ended = new Date(Date.now() - 3600_000);
    await t.db.prisma.eventEdition.update({
      where: { slug: SLUG },
      data: { startsAt: new Date(ended.getTime() - 8 * 3600_000), endsAt: ended, registrationClosesAt: null },
    });
    const moved = await update({ expectedVersion: await version(), room: 'Salle 10' });
    expect(moved).toMatchObject({ data: { toldCount: 0, session: { room: 'Salle 10' } } });
  });
});
