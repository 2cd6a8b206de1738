/**
 * Registration over HTTP: organisers set up an edition and invite organisations; a person
 * registers with their organisation's code (public), an admin registers staff, organisers add
 * anyone. Seats are never over-booked, also under concurrent registrations; a full session offers
 * its waitlist, promoted in order with a mail; the manage token reads, changes, exports, cancels
 * and deletes; wrong codes and tokens are typed errors that write nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { encodeGlobalID } from '@pothos/plugin-relay';
import {
  CancelRegistrationDocument,
  CreateEventDocument,
  CreateEventEditionDocument,
  CreateSessionDocument,
  DeleteRegistrationDocument,
  EditionInvitationsDocument,
  ExportRegistrationDocument,
  RegisterForEventDocument,
  RegisterParticipantDocument,
  RegisterStaffDocument,
  RegistrationByTokenDocument,
  RegistrationNodeDocument,
  UpdateEventEditionDocument,
  UpdateRegistrationDocument,
  type RegistrationFieldsInput,
} from '../../clients/generated/graphql.ts';
import { seedScenario, seedThirdOrganisation, type Scenario } from '../helpers/fixtures.ts';
import { startTestHub, type TestHub } from '../helpers/hub.ts';

let t: TestHub;
let s: Scenario;
let alice: string;
let bob: string;
let gina: string;
let editionId: string;
let codeBeta: string;
let codeAlpha: string;
const session = {} as Record<'plenary' | 'workshop' | 'small', string>;

const person = (n: number, extra: Partial<RegistrationFieldsInput> = {}): RegistrationFieldsInput => ({
  name: `Personne ${n}`,
  email: `personne.${n}@beta.example`,
  category: 'PARTNER_STAFF',
  ...extra,
});

async function registerTyped(participant: RegistrationFieldsInput, code = codeBeta) {
  const res = await t.send(RegisterForEventDocument, {
    input: { edition: 'assises-test-2026', code, participant },
  });
  expect(res.body.errors).toBeUndefined();
  return res.body.data!.registerForEvent;
}

const counts = () =>
  Promise.all([
    t.db.prisma.registration.count(),
    t.db.prisma.registrationSeat.count(),
    t.db.prisma.mailMessage.count(),
  ]);

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
        slug: 'assises-test',
        name: [{ language: 'FR', text: 'Assises de test' }],
      },
    },
    { token: alice },
  );
  const created = event.body.data!.createEvent;
  if (created.__typename !== 'MutationCreateEventSuccess') throw new Error(JSON.stringify(created));
  const start = new Date(Date.now() + 30 * 24 * 3600 * 1000);
  const edition = await t.send(
    CreateEventEditionDocument,
    {
      input: {
        eventId: created.data.event.id,
        slug: 'assises-test-2026',
        title: [{ language: 'FR', text: 'Assises de test 2026' }],
        startsAt: start.toISOString(),
        endsAt: new Date(start.getTime() + 8 * 3600 * 1000).toISOString(),
        invitedOrganisationIds: [s.org.beta.globalId, s.org.alpha.globalId],
      },
    },
    { token: alice },
  );
  const e = edition.body.data!.createEventEdition;
  if (e.__typename !== 'MutationCreateEventEditionSuccess') throw new Error(JSON.stringify(e));
  editionId = e.data.edition.id;
  const mk = async (title: string, capacity: number | null, hour: number) => {
    const r = await t.send(
      CreateSessionDocument,
      {
        input: {
          editionId,
          kind: capacity ? 'WORKSHOP' : 'PLENARY',
          title: [{ language: 'FR', text: title }],
          startsAt: new Date(start.getTime() + hour * 3600 * 1000).toISOString(),
          endsAt: new Date(start.getTime() + (hour + 1) * 3600 * 1000).toISOString(),
          capacity,
        },
      },
      { token: alice },
    );
    const c = r.body.data!.createSession;
    if (c.__typename !== 'MutationCreateSessionSuccess') throw new Error(JSON.stringify(c));
    return c.data.session.id;
  };
  session.plenary = await mk('Ouverture', null, 0);
  session.workshop = await mk('Atelier logement', 5, 1);
  session.small = await mk('Atelier emploi', 2, 2);
  const open = await t.send(
    UpdateEventEditionDocument,
    { input: { id: editionId, expectedVersion: e.data.edition.version, status: 'OPEN' } },
    { token: alice },
  );
  expect(open.body.data!.updateEventEdition.__typename).toBe('MutationUpdateEventEditionSuccess');
  const inv = await t.send(EditionInvitationsDocument, { slug: 'assises-test-2026' }, { token: alice });
  const codes = inv.body.data!.eventEdition!.invitations;
  codeBeta = codes.find((c) => c.organisation.slug === 'beta')!.code!;
  codeAlpha = codes.find((c) => c.organisation.slug === 'alpha')!.code!;
});

afterAll(async () => {
  await t?.close();
});

describe('invitation codes', () => {
  it('are read by the organisers and by the invited organisation’s admins only', async () => {
    expect(codeBeta).toMatch(/^evc_/);
    const asBob = await t.send(EditionInvitationsDocument, { slug: 'assises-test-2026' }, { token: bob });
    expect(asBob.body.data!.eventEdition!.invitations).toEqual([
      expect.objectContaining({ organisation: { slug: 'beta' }, code: codeBeta }),
    ]);
    const anonymous = await t.send(EditionInvitationsDocument, { slug: 'assises-test-2026' });
    expect(anonymous.body.data!.eventEdition!.invitations).toEqual([]);
    const carol = await t.send(
      EditionInvitationsDocument,
      { slug: 'assises-test-2026' },
      { token: await s.token('carol') },
    );
    // A member of the organising organisation without the organiser's role: the code stays hidden.
    expect(carol.body.data!.eventEdition!.invitations).toEqual([
      expect.objectContaining({ organisation: { slug: 'alpha' }, code: null }),
    ]);
  });
});

describe('registerForEvent', () => {
  it('registers with the organisation’s code, returns and mails the manage link', async () => {
    const r = await registerTyped(
      person(1, {
        sessionIds: [session.plenary, session.workshop],
        showName: true,
        accessibilityNeeds: 'fauteuil roulant',
        organisationName: 'ignored: the code says beta',
      }),
    );
    if (r.__typename !== 'MutationRegisterForEventSuccess') throw new Error(JSON.stringify(r));
    expect(r.data.manageToken).toMatch(/^evm_/);
    expect(r.data.registration).toMatchObject({
      name: 'Personne 1',
      email: 'personne.1@beta.example',
      organisationName: 'Organisation beta',
      source: 'SELF',
      status: 'REGISTERED',
      showName: true,
      showOrganisation: false,
      accessibilityNeeds: 'fauteuil roulant',
    });
    expect(r.data.registration.seats.map((x) => x.status)).toEqual(['CONFIRMED', 'CONFIRMED']);
    const mail = await t.db.prisma.mailMessage.findFirstOrThrow({
      where: { to: 'personne.1@beta.example' },
    });
    expect(mail.kind).toBe('event-registration-confirmed');
    expect(mail.subject).toContain('Assises de test 2026');
    expect(mail.text).toContain(`/events/manage?token=${encodeURIComponent(r.data.manageToken)}`);
  });

  it('refuses a wrong, another edition’s or an expired code, writing nothing', async () => {
    const before = await counts();
    const wrong = await registerTyped(person(2), 'evc_' + 'A'.repeat(43));
    expect(wrong).toMatchObject({ __typename: 'InvitationCodeError', reason: 'WRONG' });
    const garbage = await registerTyped(person(2), 'not a code');
    expect(garbage).toMatchObject({ __typename: 'InvitationCodeError', reason: 'WRONG' });
    await t.db.prisma.editionInvitation.updateMany({
      where: { organisation: { slug: 'alpha' } },
      data: { expiresAt: new Date(Date.now() - 1000) },
    });
    const expired = await registerTyped(person(2), codeAlpha);
    expect(expired).toMatchObject({ __typename: 'InvitationCodeError', reason: 'EXPIRED' });
    await t.db.prisma.editionInvitation.updateMany({
      where: { organisation: { slug: 'alpha' } },
      data: { expiresAt: new Date(Date.now() + 365 * 24 * 3600 * 1000) },
    });
    expect(await counts()).toEqual(before);
  });

  it('refuses a second registration of the same address (any case), writing nothing', async () => {
    const before = await counts();
    const again = await registerTyped(person(1, { email: ' Personne.1@BETA.example ' }));
    expect(again.__typename).toBe('AlreadyRegisteredError');
    expect(await counts()).toEqual(before);
  });

  it('offers the waitlist of a full session, then promotes in order when someone cancels', async () => {
    const first = await registerTyped(person(10, { sessionIds: [session.small] }));
    const second = await registerTyped(person(11, { sessionIds: [session.small] }));
    expect([first.__typename, second.__typename]).toEqual([
      'MutationRegisterForEventSuccess',
      'MutationRegisterForEventSuccess',
    ]);
    const before = await counts();
    const full = await registerTyped(person(12, { sessionIds: [session.plenary, session.small] }));
    expect(full).toMatchObject({
      __typename: 'SessionFullError',
      sessionIds: [session.small],
      waitlistLengths: [0],
    });
    expect(await counts()).toEqual(before);
    const w1 = await registerTyped(person(12, { sessionIds: [session.small], waitlist: true }));
    const w2 = await registerTyped(person(13, { sessionIds: [session.small], waitlist: true }));
    if (
      w1.__typename !== 'MutationRegisterForEventSuccess' ||
      w2.__typename !== 'MutationRegisterForEventSuccess'
    )
      throw new Error('expected waitlist registrations');
    expect(w1.data.registration.seats[0]).toMatchObject({ status: 'WAITLISTED', waitlistPosition: 1 });
    expect(w2.data.registration.seats[0]).toMatchObject({ status: 'WAITLISTED', waitlistPosition: 2 });
    if (first.__typename !== 'MutationRegisterForEventSuccess') throw new Error();
    const cancelled = await t.send(CancelRegistrationDocument, { input: { token: first.data.manageToken } });
    expect(cancelled.body.data!.cancelRegistration).toMatchObject({
      data: { registration: { status: 'CANCELLED', seats: [] } },
    });
    const promoted = await t.send(RegistrationByTokenDocument, { token: w1.data.manageToken });
    expect(promoted.body.data!.registrationByToken!.seats[0]).toMatchObject({ status: 'CONFIRMED' });
    const still = await t.send(RegistrationByTokenDocument, { token: w2.data.manageToken });
    expect(still.body.data!.registrationByToken!.seats[0]).toMatchObject({
      status: 'WAITLISTED',
      waitlistPosition: 1,
    });
    const mail = await t.db.prisma.mailMessage.findFirst({
      where: { to: 'personne.12@beta.example', kind: 'event-registration-promoted' },
    });
    expect(mail?.subject).toContain('place');
    // Cancelling twice changes nothing more.
    const again = await t.send(CancelRegistrationDocument, { input: { token: first.data.manageToken } });
    expect(again.body.data!.cancelRegistration).toMatchObject({
      data: { registration: { status: 'CANCELLED' } },
    });
  });

  it('never over-books under 20 concurrent registrations', async () => {
    const before = await t.db.prisma.registrationSeat.count({ where: { sessionId: raw(session.workshop) } });
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        registerTyped(person(100 + i, { sessionIds: [session.workshop] })),
      ),
    );
    const ok = results.filter((r) => r.__typename === 'MutationRegisterForEventSuccess');
    const full = results.filter((r) => r.__typename === 'SessionFullError');
    expect(ok.length + full.length).toBe(20);
    expect(before + ok.length).toBe(5);
    const withWaitlist = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        registerTyped(person(200 + i, { sessionIds: [session.workshop], waitlist: true })),
      ),
    );
    expect(withWaitlist.every((r) => r.__typename === 'MutationRegisterForEventSuccess')).toBe(true);
    const seats = await t.db.prisma.registrationSeat.groupBy({
      by: ['status'],
      where: { sessionId: raw(session.workshop) },
      _count: true,
    });
    expect(Object.fromEntries(seats.map((x) => [x.status, x._count]))).toEqual({
      CONFIRMED: 5,
      WAITLISTED: 10,
    });
  });
});

const raw = (globalId: string) => Buffer.from(globalId, 'base64').toString('utf8').split(':')[1]!;

describe('the manage token', () => {
  let token: string;
  let id: string;
  let version: number;
  beforeAll(async () => {
    const r = await registerTyped(
      person(300, {
        showName: true,
        showOrganisation: true,
        contactable: true,
        accessibilityNeeds: 'interprète LSF',
      }),
    );
    if (r.__typename !== 'MutationRegisterForEventSuccess') throw new Error(JSON.stringify(r));
    token = r.data.manageToken;
    id = r.data.registration.id;
    version = r.data.registration.version;
  });

  it('reads the registration, and an unknown token reads as nothing', async () => {
    const mine = await t.send(RegistrationByTokenDocument, { token });
    expect(mine.body.data!.registrationByToken).toMatchObject({ id, accessibilityNeeds: 'interprète LSF' });
    expect(mine.body.data!.registrationByToken!.badgeCode).toMatch(/^[0-9A-Z]{10}$/);
    for (const wrong of ['evm_' + 'B'.repeat(43), 'nonsense']) {
      const r = await t.send(RegistrationByTokenDocument, { token: wrong });
      expect(r.body.data!.registrationByToken).toBeNull();
    }
  });

  it('withdraws consent and changes details, with version checks', async () => {
    const stale = await t.send(UpdateRegistrationDocument, {
      input: { token, expectedVersion: version + 7, showName: false },
    });
    expect(stale.body.data!.updateRegistration).toMatchObject({ __typename: 'VersionConflictError' });
    const r = await t.send(UpdateRegistrationDocument, {
      input: { token, expectedVersion: version, showName: false, function: 'Assistante sociale' },
    });
    expect(r.body.data!.updateRegistration).toMatchObject({
      data: { registration: { showName: false, showOrganisation: true, function: 'Assistante sociale' } },
    });
  });

  it('exports everything held, without the token’s hash', async () => {
    const r = await t.send(ExportRegistrationDocument, { token });
    const exported = JSON.parse(r.body.data!.exportRegistration!) as {
      registration: Record<string, unknown>;
    };
    expect(exported.registration).toMatchObject({ name: 'Personne 300', email: 'personne.300@beta.example' });
    expect(exported.registration).not.toHaveProperty('manageTokenHash');
    expect(r.body.data!.exportRegistration).not.toContain('evm_');
  });

  it('deletes the person’s data; the token then opens nothing', async () => {
    const r = await t.send(DeleteRegistrationDocument, { token });
    expect(r.body.data!.deleteRegistration).toMatchObject({ data: { deleted: true } });
    const row = await t.db.prisma.registration.findUniqueOrThrow({ where: { id: raw(id) } });
    expect(row).toMatchObject({ name: '', function: null, accessibilityNeeds: null, status: 'CANCELLED' });
    expect(row.email).not.toContain('personne.300');
    expect(row.organisationId).toBe(s.org.beta.id);
    expect((await t.send(RegistrationByTokenDocument, { token })).body.data!.registrationByToken).toBeNull();
  });
});

describe('who registers whom, and who sees a registration', () => {
  it('lets an organisation’s admin register its staff, and nobody else’s', async () => {
    const asBob = await t.send(
      RegisterStaffDocument,
      { input: { editionId, organisationId: s.org.beta.globalId, participant: person(400) } },
      { token: bob },
    );
    expect(asBob.body.data!.registerStaff).toMatchObject({
      data: { registration: { source: 'ORGANISATION', organisationName: 'Organisation beta' } },
    });
    const forAlpha = await t.send(
      RegisterStaffDocument,
      { input: { editionId, organisationId: s.org.alpha.globalId, participant: person(401) } },
      { token: bob },
    );
    expect(forAlpha.body.data!.registerStaff.__typename).toBe('ForbiddenError');
    const asGina = await t.send(
      RegisterStaffDocument,
      { input: { editionId, organisationId: s.org.beta.globalId, participant: person(402) } },
      { token: gina },
    );
    expect(asGina.body.data!.registerStaff.__typename).toBe('ForbiddenError');
  });

  it('lets organisers add anyone; others may not', async () => {
    const r = await t.send(
      RegisterParticipantDocument,
      {
        input: {
          editionId,
          participant: person(500, {
            email: 'journaliste@wort.example',
            organisationName: 'Luxemburger Wort',
            category: 'PRESS',
          }),
        },
      },
      { token: alice },
    );
    expect(r.body.data!.registerParticipant).toMatchObject({
      data: {
        registration: { source: 'ORGANISER', organisationName: 'Luxemburger Wort', category: 'PRESS' },
      },
    });
    const asBob = await t.send(
      RegisterParticipantDocument,
      { input: { editionId, participant: person(501) } },
      { token: bob },
    );
    expect(asBob.body.data!.registerParticipant.__typename).toBe('ForbiddenError');
  });

  it('shows a registration’s global ID to organisers and its organisation’s admins only', async () => {
    const r = await registerTyped(person(600, { accessibilityNeeds: 'boucle magnétique' }));
    if (r.__typename !== 'MutationRegisterForEventSuccess') throw new Error();
    const node = (token?: string) =>
      t.send(RegistrationNodeDocument, { id: r.data.registration.id }, { token });
    const asAlice = await node(alice);
    expect(asAlice.body.data!.node).toMatchObject({
      name: 'Personne 600',
      accessibilityNeeds: 'boucle magnétique',
    });
    const asBob = await node(bob);
    // Its organisation's admin: the registration, but not the needs (organisers only).
    expect(asBob.body.data!.node).toMatchObject({
      name: 'Personne 600',
      accessibilityNeeds: null,
      badgeCode: null,
    });
    for (const token of [undefined, gina, await s.token('carol')]) {
      expect((await node(token)).body.data!.node).toBeNull();
    }
    // An unknown ID answers the same.
    const unknown = await t.send(RegistrationNodeDocument, {
      id: encodeGlobalID('Registration', '00000000-0000-7000-8000-000000000000'),
    });
    expect(unknown.body.data!.node).toBeNull();
    // Others cannot change it by its ID either.
    const change = await t.send(
      UpdateRegistrationDocument,
      { input: { id: r.data.registration.id, expectedVersion: 1, showName: true } },
      { token: gina },
    );
    expect(change.body.data!.updateRegistration.__typename).toBe('NotFoundError');
  });

  it('closes registration with the edition, writing nothing', async () => {
    const current = await t.db.prisma.eventEdition.findUniqueOrThrow({ where: { id: raw(editionId) } });
    await t.send(
      UpdateEventEditionDocument,
      { input: { id: editionId, expectedVersion: current.version, status: 'CLOSED' } },
      { token: alice },
    );
    const before = await counts();
    const r = await registerTyped(person(700));
    expect(r.__typename).toBe('RegistrationClosedError');
    expect(await counts()).toEqual(before);
    await t.send(
      UpdateEventEditionDocument,
      { input: { id: editionId, expectedVersion: current.version + 1, status: 'OPEN' } },
      { token: alice },
    );
  });
});
