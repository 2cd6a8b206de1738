/**
 * An organiser changes an edition over HTTP (`updateEventEdition`): moved by whole days, its
 * programme and closing time move with it, each at the same time of day on Luxembourg's clock
 * (across a change to summer time too), and everyone registered is mailed the new dates in their
 * language; a change of length moves nothing else; dates that would leave a session outside the
 * edition are refused, changing nothing; titles and descriptions are replaced as whole lists of
 * translations. Who asks is checked before anything is locked; a registration and a session taken
 * off the programme racing a move both go through, in turn.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { decodeGlobalID } from '@pothos/plugin-relay';
import { DateTime } from 'luxon';
import {
  CancelSessionDocument,
  ConsoleEditEditionDocument,
  CreateSessionDocument,
  RegisterForEventDocument,
  type RegistrationLocale,
  UpdateSessionDocument,
  type UpdateEventEditionInput,
  UpdateEventEditionDocument,
} from '../../clients/generated/graphql.ts';
import { createEdition, type TestEdition } from '../helpers/events.ts';
import { seedScenario, seedThirdOrganisation, type Scenario } from '../helpers/fixtures.ts';
import { startTestHub, type TestHub } from '../helpers/hub.ts';
import { holdLock, untilWaiting } from '../helpers/locks.ts';

let t: TestHub;
let s: Scenario;
let alice: string;
let bob: string;
let gina: string;
let edition: TestEdition;
let code: string;
/** Two workshops: 10:00–11:00 and 15:00–16:30 on Luxembourg's clock (winter time, UTC+1). */
let morning: string;
let afternoon: string;

const rawId = (globalId: string) => decodeGlobalID(globalId).id;
// Two years ahead: 20 March, 09:00–17:00 in Luxembourg on winter time (UTC+1; summer time starts
// on the last Sunday of March, the 25th at the earliest, and has started by 1 April).
const Y = new Date().getUTCFullYear() + 2;
const START = new Date(`${Y}-03-20T08:00:00Z`);
const at = (day: string, time: string) => `${Y}-${day}T${time}:00Z`;

async function addSession(title: string, startsAt: string, endsAt: string): Promise<string> {
  const res = await t.send(
    CreateSessionDocument,
    {
      input: {
        editionId: edition.id,
        kind: 'WORKSHOP',
        title: [{ language: 'FR', text: title }],
        startsAt,
        endsAt,
        room: 'Salle 2',
      },
    },
    { token: alice },
  );
  const c = res.body.data!.createSession;
  if (c.__typename !== 'MutationCreateSessionSuccess') throw new Error(JSON.stringify(c));
  return c.data.session.id;
}

async function register(who: string, sessionIds: string[], locale: RegistrationLocale) {
  const res = await t.send(RegisterForEventDocument, {
    input: {
      edition: edition.slug,
      code,
      participant: {
        name: who,
        email: `${who.toLowerCase().replace(/ /g, '.')}@beta.example`,
        category: 'PARTNER_STAFF',
        sessionIds,
        locale,
      },
    },
  });
  const r = res.body.data!.registerForEvent;
  if (r.__typename !== 'MutationRegisterForEventSuccess') throw new Error(JSON.stringify(res.body));
}

const editionRow = () => t.db.prisma.eventEdition.findUniqueOrThrow({ where: { id: rawId(edition.id) } });
const sessionRows = () =>
  t.db.prisma.eventSession.findMany({
    where: { editionId: rawId(edition.id) },
    orderBy: { startsAt: 'asc' },
    select: { id: true, startsAt: true, endsAt: true, version: true },
  });
const movedMails = () =>
  t.db.prisma.mailMessage.findMany({
    where: { kind: 'event-registration-edition-moved' },
    select: { to: true, subject: true, text: true, locale: true },
    orderBy: { to: 'asc' },
  });

async function update(
  changes: Omit<UpdateEventEditionInput, 'id' | 'expectedVersion'>,
  token: string | null = alice,
) {
  const { version } = await editionRow();
  const res = await t.send(
    UpdateEventEditionDocument,
    { input: { id: edition.id, expectedVersion: version, ...changes } },
    token ? { token } : {},
  );
  return res.body;
}

beforeAll(async () => {
  t = await startTestHub();
  s = await seedScenario(t.db.prisma, t.config);
  gina = (await seedThirdOrganisation(t.db.prisma, t.config, ['ORG_ADMIN'])).token;
  alice = await s.token('alice');
  bob = await s.token('bob');
  edition = await createEdition(t, alice, {
    organisationId: s.org.alpha.globalId,
    slug: 'assises-deplacees',
    startsAt: START,
    invited: [s.org.beta.globalId],
  });
  const open = await update({ status: 'OPEN' });
  expect(open.data!.updateEventEdition.__typename).toBe('MutationUpdateEventEditionSuccess');
  code = await edition.code('beta');
  morning = await addSession('Atelier logement', at('03-20', '09:00'), at('03-20', '10:00'));
  afternoon = await addSession('Table ronde emploi', at('03-20', '14:00'), at('03-20', '15:30'));
});

afterAll(async () => {
  await t?.close();
});

describe('updateEventEdition', () => {
  it('moves the programme with the edition to another day, at the same time on Luxembourg’s clock, and tells everyone registered', async () => {
    await register('Ana Lopes', [morning], 'FR');
    await register('Ben Wagner', [afternoon], 'DE');
    await register('Cleo Martin', [], 'EN');
    const [m, a] = await sessionRows();
    const before = await editionRow();

    // 3 April, 09:00–17:00 in Luxembourg, now on summer time (UTC+2).
    const body = await update({ startsAt: at('04-03', '07:00'), endsAt: at('04-03', '15:00') });
    expect(body.errors).toBeUndefined();
    const r = body.data!.updateEventEdition;
    if (r.__typename !== 'MutationUpdateEventEditionSuccess') throw new Error(JSON.stringify(r));
    expect(r.data.toldCount).toBe(3);
    expect(r.data.edition).toMatchObject({
      version: before.version + 1,
      startsAt: `${Y}-04-03T07:00:00.000Z`,
      endsAt: `${Y}-04-03T15:00:00.000Z`,
    });
    // 10:00 and 15:00 in Luxembourg still: an hour earlier in UTC.
    expect(await sessionRows()).toEqual([
      {
        id: m!.id,
        startsAt: new Date(at('04-03', '08:00')),
        endsAt: new Date(at('04-03', '09:00')),
        version: m!.version + 1,
      },
      {
        id: a!.id,
        startsAt: new Date(at('04-03', '13:00')),
        endsAt: new Date(at('04-03', '14:30')),
        version: a!.version + 1,
      },
    ]);

    const mails = await movedMails();
    expect(mails.map((x) => x.to)).toEqual([
      'ana.lopes@beta.example',
      'ben.wagner@beta.example',
      'cleo.martin@beta.example',
    ]);
    const [fr, de, en] = mails;
    expect(fr).toMatchObject({ subject: 'Nouvelle date\u00a0: Édition assises-deplacees', locale: 'fr' });
    expect(fr!.text).toContain('change de date ou d’horaire');
    expect(fr!.text).toContain(`3 avril ${Y}`);
    expect(fr!.text).toMatch(/10:00.*Atelier logement, Salle 2 \(place confirmée\)/);
    expect(de).toMatchObject({ subject: 'Neuer Termin: Édition assises-deplacees', locale: 'de' });
    expect(de!.text).toContain(`3. April ${Y}`);
    expect(de!.text).toMatch(/15:00.*Table ronde emploi/);
    expect(en).toMatchObject({ subject: 'New date: Édition assises-deplacees', locale: 'en' });
    // Nothing chosen, no programme listed.
    expect(en!.text).not.toContain('Your sessions');

    // Back three weeks, on winter time again, with a closing time: the sessions and the closing
    // time follow, at the same hours in Luxembourg.
    const closing = await update({ registrationClosesAt: at('04-02', '16:00') });
    expect(closing.data!.updateEventEdition).toMatchObject({ data: { toldCount: 0 } });
    const back = await update({ startsAt: at('03-13', '08:00'), endsAt: at('03-13', '16:00') });
    expect(back.data!.updateEventEdition).toMatchObject({ data: { toldCount: 3 } });
    expect((await sessionRows()).map((x) => x.startsAt)).toEqual([
      new Date(at('03-13', '09:00')),
      new Date(at('03-13', '14:00')),
    ]);
    expect((await editionRow()).registrationClosesAt).toEqual(new Date(at('03-12', '17:00')));
    // A change of length (an earlier start, the same last day) moves nothing else, and is told.
    const longer = await update({ startsAt: at('03-12', '08:00') });
    expect(longer.data!.updateEventEdition).toMatchObject({ data: { toldCount: 3 } });
    expect((await sessionRows()).map((x) => x.startsAt)).toEqual([
      new Date(at('03-13', '09:00')),
      new Date(at('03-13', '14:00')),
    ]);
    expect((await editionRow()).registrationClosesAt).toEqual(new Date(at('03-12', '17:00')));
    // And back to one day, with earlier hours.
    const shorter = await update({ startsAt: at('03-13', '07:30') });
    expect(shorter.data!.updateEventEdition).toMatchObject({ data: { toldCount: 3 } });
    expect((await movedMails()).length).toBe(12);
  });

  it('refuses hours that would leave a session outside the edition, and changes nothing', async () => {
    const edition0 = await editionRow();
    const sessions0 = await sessionRows();
    const mails0 = (await movedMails()).length;
    // Same day, 11:00–14:00 in Luxembourg: the morning workshop starts before, the afternoon one
    // ends after.
    const body = await update({ startsAt: at('03-13', '10:00'), endsAt: at('03-13', '13:00') });
    expect(body.data!.updateEventEdition).toMatchObject({
      __typename: 'InvalidInputError',
      fields: [
        { path: ['input', 'startsAt'], reason: 'SESSIONS_OUTSIDE', limit: 1 },
        { path: ['input', 'endsAt'], reason: 'SESSIONS_OUTSIDE', limit: 1 },
      ],
    });
    // The end before the start is said as before, without counting sessions.
    const backwards = await update({ endsAt: at('03-13', '06:00') });
    expect(backwards.data!.updateEventEdition).toMatchObject({
      __typename: 'InvalidInputError',
      fields: [{ path: ['input', 'endsAt'] }],
    });
    expect(await editionRow()).toEqual(edition0);
    expect(await sessionRows()).toEqual(sessions0);
    expect((await movedMails()).length).toBe(mails0);
  });

  it('replaces the title and description as whole lists of translations, and mails nobody', async () => {
    const mails0 = (await movedMails()).length;
    const first = await update({
      title: [
        { language: 'FR', text: 'Assises sociales' },
        { language: 'DE', text: 'Sozialforum' },
        { language: 'LB', text: 'Sozial Assisen' },
      ],
      description: [{ language: 'FR', text: 'Une journée pour le réseau social du pays.' }],
    });
    expect(first.data!.updateEventEdition).toMatchObject({ data: { toldCount: 0 } });
    const read = async () =>
      (await t.send(ConsoleEditEditionDocument, { slug: edition.slug, lang: 'DE' }, { token: alice })).body
        .data!.eventEdition!;
    const read1 = await read();
    expect(read1).toMatchObject({ title: { text: 'Sozialforum' } });
    expect([...read1.titleTranslations].sort((x, y) => x.language.localeCompare(y.language))).toEqual([
      { language: 'DE', text: 'Sozialforum' },
      { language: 'FR', text: 'Assises sociales' },
      { language: 'LB', text: 'Sozial Assisen' },
    ]);
    expect(read1).toMatchObject({
      descriptionTranslations: [{ language: 'FR', text: 'Une journée pour le réseau social du pays.' }],
    });
    // A list without German: German is gone; an empty description list clears it.
    await update({ title: [{ language: 'FR', text: 'Assises sociales' }], description: [] });
    expect(await read()).toMatchObject({
      title: { text: 'Assises sociales' },
      titleTranslations: [{ language: 'FR', text: 'Assises sociales' }],
      descriptionTranslations: [],
    });
    const before = await editionRow();
    const none = await update({ title: [] });
    expect(none.data!.updateEventEdition).toMatchObject({
      __typename: 'InvalidInputError',
      fields: [{ path: ['input', 'title'], reason: 'REQUIRED' }],
    });
    expect(await editionRow()).toEqual(before);
    expect((await movedMails()).length).toBe(mails0);
  });

  it('refuses anyone who does not organise the edition, and a stale version, changing nothing', async () => {
    const before = await editionRow();
    const sessions = await sessionRows();
    const move = { startsAt: at('05-08', '07:00'), endsAt: at('05-08', '15:00') };
    // Bob (beta, invited) sees the edition but does not organise it; Gina sees it as the public does.
    for (const token of [bob, gina]) {
      expect((await update(move, token)).data!.updateEventEdition.__typename).toBe('ForbiddenError');
    }
    expect((await update(move, null)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const stale = await t.send(
      UpdateEventEditionDocument,
      { input: { id: edition.id, expectedVersion: before.version - 1, ...move } },
      { token: alice },
    );
    expect(stale.body.data!.updateEventEdition).toMatchObject({
      __typename: 'VersionConflictError',
      currentVersion: before.version,
    });
    expect(await editionRow()).toEqual(before);
    expect(await sessionRows()).toEqual(sessions);
  });

  it('refuses a move that would carry the closing time into the past, changing nothing', async () => {
    // An edition in three days, registration closing tomorrow.
    const soon = await createEdition(t, alice, {
      organisationId: s.org.alpha.globalId,
      slug: 'assises-bientot',
      startsAt: new Date(Date.now() + 3 * 24 * 3600_000),
    });
    const closesAt = new Date(Date.now() + 24 * 3600_000).toISOString();
    const opened = await t.send(
      UpdateEventEditionDocument,
      {
        input: { id: soon.id, expectedVersion: soon.version, status: 'OPEN', registrationClosesAt: closesAt },
      },
      { token: alice },
    );
    expect(opened.body.data!.updateEventEdition.__typename).toBe('MutationUpdateEventEditionSuccess');
    const row = () => t.db.prisma.eventEdition.findUniqueOrThrow({ where: { slug: 'assises-bientot' } });
    const before = await row();
    // Two days earlier on Luxembourg's calendar (a summer-time change may fall in between).
    const twoDaysEarlier = (d: Date) =>
      DateTime.fromJSDate(d, { zone: 'Europe/Luxembourg' }).minus({ days: 2 }).toJSDate().toISOString();
    const res = await t.send(
      UpdateEventEditionDocument,
      {
        input: {
          id: soon.id,
          expectedVersion: before.version,
          startsAt: twoDaysEarlier(before.startsAt),
          endsAt: twoDaysEarlier(before.endsAt),
        },
      },
      { token: alice },
    );
    expect(res.body.data!.updateEventEdition).toMatchObject({
      __typename: 'InvalidInputError',
      fields: [{ path: ['input', 'registrationClosesAt'], reason: 'PAST' }],
    });
    expect(await row()).toEqual(before);
  });

  it('lets a registration and a session taken off, racing a move, go through in turn', async () => {
    const deadlocks = async () => {
      const [r] = await t.db.prisma.$queryRaw<{ n: bigint }[]>`
        SELECT deadlocks AS n FROM pg_stat_database WHERE datname = current_database()`;
      return Number(r!.n);
    };
    const deadlocks0 = await deadlocks();

    // A registration arrives while a move waits for the session it wants: it waits for the move
    // (the edition's key), then takes its seat on the new day.
    let lock = await holdLock(t.database.url, 'EventSession', rawId(afternoon));
    let moving: Promise<Awaited<ReturnType<typeof update>>> | undefined;
    let registering: Promise<void> | undefined;
    try {
      moving = update({ startsAt: at('03-14', '07:30'), endsAt: at('03-14', '16:00') });
      await untilWaiting(t.database.url, 1);
      registering = register('Dora Weis', [afternoon], 'FR');
      await untilWaiting(t.database.url, 2);
      // Someone who does not organise it is refused at once.
      const byBob = await update({ startsAt: at('03-15', '08:00') }, bob);
      expect(byBob.data!.updateEventEdition.__typename).toBe('ForbiddenError');
    } finally {
      await lock.release();
    }
    expect((await moving).data!.updateEventEdition).toMatchObject({ data: { toldCount: 3 } });
    await registering;
    const dora = await t.db.prisma.registration.findFirstOrThrow({
      where: { email: 'dora.weis@beta.example' },
      include: { seats: { include: { session: true } } },
    });
    expect(dora.seats.map((x) => x.session.startsAt)).toEqual([new Date(at('03-14', '14:00'))]);

    // A session taken off the programme while a move waits: the cancellation goes first (it holds
    // the edition before the session, as the move does), then the move, without it.
    const dropped = await addSession('Atelier annulé', at('03-14', '11:00'), at('03-14', '12:00'));
    const version = (await t.db.prisma.eventSession.findUniqueOrThrow({ where: { id: rawId(dropped) } }))
      .version;
    lock = await holdLock(t.database.url, 'EventSession', rawId(dropped));
    let cancelling: Promise<unknown> | undefined;
    try {
      cancelling = t.send(
        CancelSessionDocument,
        { input: { id: dropped, expectedVersion: version } },
        { token: alice },
      );
      await untilWaiting(t.database.url, 1);
      moving = update({ startsAt: at('03-15', '07:30'), endsAt: at('03-15', '16:00') });
      await untilWaiting(t.database.url, 2);
    } finally {
      await lock.release();
    }
    const cancelled = (await cancelling) as { body: { data?: { cancelSession: { __typename: string } } } };
    expect(cancelled.body.data!.cancelSession.__typename).toBe('MutationCancelSessionSuccess');
    expect((await moving).data!.updateEventEdition.__typename).toBe('MutationUpdateEventEditionSuccess');
    expect((await sessionRows()).map((x) => x.startsAt)).toEqual([
      new Date(at('03-15', '09:00')),
      new Date(at('03-15', '14:00')),
    ]);
    expect(await deadlocks()).toBe(deadlocks0);
  });

  it('keeps every session within its edition: one added or moved outside is refused, one added while a move waits is checked against the new days', async () => {
    const { startsAt, endsAt } = await editionRow();
    const hour = 3600_000;
    const create = async (from: Date, to: Date) =>
      (
        await t.send(
          CreateSessionDocument,
          {
            input: {
              editionId: edition.id,
              kind: 'OTHER',
              title: [{ language: 'FR', text: 'Conférence du soir' }],
              startsAt: from.toISOString(),
              endsAt: to.toISOString(),
            },
          },
          { token: alice },
        )
      ).body.data!.createSession;
    const count = () => t.db.prisma.eventSession.count({ where: { editionId: rawId(edition.id) } });
    const sessions0 = await count();
    expect(await create(new Date(endsAt.getTime() - hour), new Date(endsAt.getTime() + hour))).toMatchObject({
      __typename: 'InvalidInputError',
      fields: [{ path: ['input', 'endsAt'], reason: 'OUTSIDE_EDITION' }],
    });
    expect(
      await create(new Date(startsAt.getTime() - hour), new Date(startsAt.getTime() + hour)),
    ).toMatchObject({
      __typename: 'InvalidInputError',
      fields: [{ path: ['input', 'startsAt'], reason: 'OUTSIDE_EDITION' }],
    });
    expect(await count()).toBe(sessions0);
    const row = await t.db.prisma.eventSession.findUniqueOrThrow({ where: { id: rawId(morning) } });
    const moved = await t.send(
      UpdateSessionDocument,
      {
        input: {
          id: morning,
          expectedVersion: row.version,
          startsAt: new Date(startsAt.getTime() - hour).toISOString(),
        },
      },
      { token: alice },
    );
    expect(moved.body.data!.updateSession).toMatchObject({
      __typename: 'InvalidInputError',
      fields: [{ path: ['input', 'startsAt'], reason: 'OUTSIDE_EDITION' }],
    });
    expect(await t.db.prisma.eventSession.findUniqueOrThrow({ where: { id: rawId(morning) } })).toEqual(row);

    // A session added on the edition's day while a move to the next day waits: it waits for the
    // move, then is refused on the day the edition no longer covers.
    const lock = await holdLock(t.database.url, 'EventSession', rawId(afternoon));
    let moving: Promise<Awaited<ReturnType<typeof update>>> | undefined;
    let adding: ReturnType<typeof create> | undefined;
    const day = new Date(startsAt.getTime() + 2 * hour);
    try {
      const next = (d: Date) => new Date(d.getTime() + 24 * hour).toISOString();
      moving = update({ startsAt: next(startsAt), endsAt: next(endsAt) });
      await untilWaiting(t.database.url, 1);
      adding = create(day, new Date(day.getTime() + hour));
      await untilWaiting(t.database.url, 2);
    } finally {
      await lock.release();
    }
    expect((await moving).data!.updateEventEdition.__typename).toBe('MutationUpdateEventEditionSuccess');
    expect(await adding).toMatchObject({ __typename: 'InvalidInputError' });
    expect(await count()).toBe(sessions0);
  });
});
