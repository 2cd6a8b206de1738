/**
 * An organiser changes an edition over HTTP (`updateEventEdition`): moved to another day, its
 * programme moves with it, each session at the same time of day on Luxembourg's clock (across a
 * change to summer time too), and everyone registered is mailed the new dates in their language;
 * new hours that would leave a session outside the edition are refused, changing nothing; titles
 * and descriptions are replaced as whole lists of translations. Who asks is checked before
 * anything is locked, and the edition's sessions are locked before the edition itself, as a
 * registration takes them.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { decodeGlobalID } from '@pothos/plugin-relay';
import pg from 'pg';
import {
  ConsoleEditEditionDocument,
  CreateSessionDocument,
  RegisterForEventDocument,
  type RegistrationLocale,
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
// Wednesday 20 March 2030, 09:00–17:00 in Luxembourg (UTC+1); summer time starts on 31 March.
const START = new Date('2030-03-20T08:00:00Z');

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
  morning = await addSession('Atelier logement', '2030-03-20T09:00:00Z', '2030-03-20T10:00:00Z');
  afternoon = await addSession('Table ronde emploi', '2030-03-20T14:00:00Z', '2030-03-20T15:30:00Z');
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

    // Wednesday 3 April 2030, 09:00–17:00 in Luxembourg, now on summer time (UTC+2).
    const body = await update({ startsAt: '2030-04-03T07:00:00Z', endsAt: '2030-04-03T15:00:00Z' });
    expect(body.errors).toBeUndefined();
    const r = body.data!.updateEventEdition;
    if (r.__typename !== 'MutationUpdateEventEditionSuccess') throw new Error(JSON.stringify(r));
    expect(r.data.toldCount).toBe(3);
    expect(r.data.edition).toMatchObject({
      version: before.version + 1,
      startsAt: '2030-04-03T07:00:00.000Z',
      endsAt: '2030-04-03T15:00:00.000Z',
    });
    // 10:00 and 15:00 in Luxembourg still: an hour earlier in UTC.
    expect(await sessionRows()).toEqual([
      {
        id: m!.id,
        startsAt: new Date('2030-04-03T08:00:00Z'),
        endsAt: new Date('2030-04-03T09:00:00Z'),
        version: m!.version + 1,
      },
      {
        id: a!.id,
        startsAt: new Date('2030-04-03T13:00:00Z'),
        endsAt: new Date('2030-04-03T14:30:00Z'),
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
    expect(fr!.text).toContain('mercredi 3 avril 2030');
    expect(fr!.text).toMatch(/10:00.*Atelier logement, Salle 2 \(place confirmée\)/);
    expect(de).toMatchObject({ subject: 'Neuer Termin: Édition assises-deplacees', locale: 'de' });
    expect(de!.text).toContain('Mittwoch, 3. April 2030');
    expect(de!.text).toMatch(/15:00.*Table ronde emploi/);
    expect(en).toMatchObject({ subject: 'New date: Édition assises-deplacees', locale: 'en' });
    // Nothing chosen, no programme listed.
    expect(en!.text).not.toContain('Your sessions');

    // Back a week, on the same hours: the sessions follow again; a change of hours alone does not
    // move them.
    const back = await update({ startsAt: '2030-03-27T08:00:00Z', endsAt: '2030-03-27T16:00:00Z' });
    expect(back.data!.updateEventEdition).toMatchObject({ data: { toldCount: 3 } });
    const later = await update({ startsAt: '2030-03-27T07:30:00Z' });
    expect(later.data!.updateEventEdition).toMatchObject({ data: { toldCount: 3 } });
    expect((await sessionRows()).map((x) => x.startsAt)).toEqual([
      new Date('2030-03-27T09:00:00Z'),
      new Date('2030-03-27T14:00:00Z'),
    ]);
    expect((await movedMails()).length).toBe(9);
  });

  it('refuses hours that would leave a session outside the edition, and changes nothing', async () => {
    const edition0 = await editionRow();
    const sessions0 = await sessionRows();
    const mails0 = (await movedMails()).length;
    // Same day, 11:00–14:00 in Luxembourg: the morning workshop starts before, the afternoon one
    // ends after.
    const body = await update({ startsAt: '2030-03-27T10:00:00Z', endsAt: '2030-03-27T13:00:00Z' });
    expect(body.data!.updateEventEdition).toMatchObject({
      __typename: 'InvalidInputError',
      fields: [
        { path: ['input', 'startsAt'], reason: 'SESSIONS_OUTSIDE', limit: 1 },
        { path: ['input', 'endsAt'], reason: 'SESSIONS_OUTSIDE', limit: 1 },
      ],
    });
    // The end before the start is said as before, without counting sessions.
    const backwards = await update({ endsAt: '2030-03-27T06:00:00Z' });
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
        { language: 'FR', text: 'Assises sociales 2030' },
        { language: 'DE', text: 'Sozialforum 2030' },
        { language: 'LB', text: 'Sozial Assisen 2030' },
      ],
      description: [{ language: 'FR', text: 'Une journée pour le réseau social du pays.' }],
    });
    expect(first.data!.updateEventEdition).toMatchObject({ data: { toldCount: 0 } });
    const read = async () =>
      (await t.send(ConsoleEditEditionDocument, { slug: edition.slug, lang: 'DE' }, { token: alice })).body
        .data!.eventEdition!;
    const read1 = await read();
    expect(read1).toMatchObject({ title: { text: 'Sozialforum 2030' } });
    expect([...read1.titleTranslations].sort((x, y) => x.language.localeCompare(y.language))).toEqual([
      { language: 'DE', text: 'Sozialforum 2030' },
      { language: 'FR', text: 'Assises sociales 2030' },
      { language: 'LB', text: 'Sozial Assisen 2030' },
    ]);
    expect(read1).toMatchObject({
      descriptionTranslations: [{ language: 'FR', text: 'Une journée pour le réseau social du pays.' }],
    });
    // A list without German: German is gone; an empty description list clears it.
    await update({ title: [{ language: 'FR', text: 'Assises sociales 2030' }], description: [] });
    expect(await read()).toMatchObject({
      title: { text: 'Assises sociales 2030' },
      titleTranslations: [{ language: 'FR', text: 'Assises sociales 2030' }],
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
    const move = { startsAt: '2030-05-08T07:00:00Z', endsAt: '2030-05-08T15:00:00Z' };
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

  it('locks the sessions before the edition, as a registration does, and refuses others without waiting', async () => {
    // The test holds a session's lock as a registration holds it (then it takes the edition's key).
    const lock = await holdLock(t.database.url, 'EventSession', rawId(afternoon));
    let moving: Promise<unknown> | undefined;
    const probe = new pg.Client({ connectionString: t.database.url });
    await probe.connect();
    try {
      moving = update({ startsAt: '2030-03-28T08:00:00Z', endsAt: '2030-03-28T16:00:00Z' });
      await untilWaiting(t.database.url, 1);
      // The move waits for the session with the edition still free: a registration holding the
      // session could take the edition's key and finish.
      await probe.query('begin');
      const free = await probe.query('select 1 from "EventEdition" where id = $1 for key share nowait', [
        rawId(edition.id),
      ]);
      expect(free.rowCount).toBe(1);
      await probe.query('commit');
      // Someone who does not organise it is refused at once.
      const byBob = await update({ startsAt: '2030-03-29T08:00:00Z' }, bob);
      expect(byBob.data!.updateEventEdition.__typename).toBe('ForbiddenError');
    } finally {
      await lock.release();
      await probe.end();
    }
    const moved = (await moving) as Awaited<ReturnType<typeof update>>;
    expect(moved.data!.updateEventEdition).toMatchObject({ data: { toldCount: 3 } });
    expect((await sessionRows()).map((x) => x.startsAt)).toEqual([
      new Date('2030-03-28T09:00:00Z'),
      new Date('2030-03-28T14:00:00Z'),
    ]);
  });
});
