/**
 * Registration messages over SMTP, against a real SMTP server (smtp-server) started by the test:
 * the confirmation with the manage link, in the participant's language, and the mail to the first
 * in line when a seat comes free.
 */
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import {
  CancelRegistrationDocument,
  CreateEventDocument,
  CreateEventEditionDocument,
  CreateSessionDocument,
  EditionInvitationsDocument,
  RegisterForEventDocument,
  UpdateEventEditionDocument,
  type RegistrationFieldsInput,
} from '../../clients/generated/graphql.ts';
import { seedScenario, type Scenario } from '../helpers/fixtures.ts';
import { startTestHub, type TestHub } from '../helpers/hub.ts';
import { header, startSmtpServer, textOf } from '../helpers/smtp.ts';

let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
let t: TestHub;
let s: Scenario;
let code: string;
let workshop: string;

beforeAll(async () => {
  smtp = await startSmtpServer();
  t = await startTestHub({
    SMTP_URL: `smtp://127.0.0.1:${smtp.port}`,
    MAIL_FROM: 'Maillage <hub@maillage.example>',
    PUBLIC_URL: 'https://maillage.example/',
  });
  s = await seedScenario(t.db.prisma, t.config);
  const alice = await s.token('alice');
  const ev = await t.send(
    CreateEventDocument,
    {
      input: {
        organisationId: s.org.alpha.globalId,
        slug: 'journee',
        name: [{ language: 'FR', text: 'Journée' }],
      },
    },
    { token: alice },
  );
  if (ev.body.data!.createEvent.__typename !== 'MutationCreateEventSuccess') throw new Error();
  const start = new Date(Date.now() + 10 * 24 * 3600 * 1000);
  const ed = await t.send(
    CreateEventEditionDocument,
    {
      input: {
        eventId: ev.body.data!.createEvent.data.event.id,
        slug: 'journee-2026',
        title: [
          { language: 'FR', text: 'Journée du réseau' },
          { language: 'DE', text: 'Netzwerktag' },
        ],
        startsAt: start.toISOString(),
        endsAt: new Date(start.getTime() + 4 * 3600 * 1000).toISOString(),
        invitedOrganisationIds: [s.org.beta.globalId],
      },
    },
    { token: alice },
  );
  const e = ed.body.data!.createEventEdition;
  if (e.__typename !== 'MutationCreateEventEditionSuccess') throw new Error(JSON.stringify(e));
  const session = await t.send(
    CreateSessionDocument,
    {
      input: {
        editionId: e.data.edition.id,
        kind: 'WORKSHOP',
        title: [{ language: 'FR', text: 'Atelier' }],
        startsAt: start.toISOString(),
        endsAt: new Date(start.getTime() + 3600 * 1000).toISOString(),
        capacity: 1,
      },
    },
    { token: alice },
  );
  if (session.body.data!.createSession.__typename !== 'MutationCreateSessionSuccess') throw new Error();
  workshop = session.body.data!.createSession.data.session.id;
  await t.send(
    UpdateEventEditionDocument,
    { input: { id: e.data.edition.id, expectedVersion: e.data.edition.version, status: 'OPEN' } },
    { token: alice },
  );
  const inv = await t.send(EditionInvitationsDocument, { slug: 'journee-2026' }, { token: alice });
  code = inv.body.data!.eventEdition!.invitations[0]!.code!;
});

afterAll(async () => {
  await t?.close();
  await smtp?.close();
});

async function register(participant: RegistrationFieldsInput) {
  const r = await t.send(RegisterForEventDocument, { input: { edition: 'journee-2026', code, participant } });
  const d = r.body.data!.registerForEvent;
  if (d.__typename !== 'MutationRegisterForEventSuccess') throw new Error(JSON.stringify(d));
  return d.data.manageToken;
}

it('sends the confirmation with the manage link, in the participant’s language, and keeps nothing', async () => {
  const token = await register({
    name: 'Jana Schmit',
    email: 'jana@beta.example',
    category: 'PARTNER_STAFF',
    locale: 'DE',
    sessionIds: [workshop],
  });
  const mail = smtp.received.find((m) => m.to.includes('jana@beta.example'))!;
  expect(mail.from).toBe('hub@maillage.example');
  expect(header(mail.raw, 'Subject')).toBe('Anmeldung bestätigt: Netzwerktag');
  const text = textOf(mail.raw);
  expect(text).toContain('Guten Tag Jana Schmit,');
  expect(text).toContain(`https://maillage.example/events/manage?token=${encodeURIComponent(token)}`);
  expect(text).toContain('Platz bestätigt');
  expect(await t.db.prisma.mailMessage.count()).toBe(0);
});

it('tells the first in line by mail when a seat comes free', async () => {
  const first = await register({
    name: 'Luc',
    email: 'luc@beta.example',
    category: 'VOLUNTEER',
    sessionIds: [],
  });
  void first;
  await register({
    name: 'Marie Hoffmann',
    email: 'marie@beta.example',
    category: 'PARTNER_STAFF',
    sessionIds: [workshop],
    waitlist: true,
  });
  const waiting = textOf(smtp.received.find((m) => m.to.includes('marie@beta.example'))!.raw);
  expect(waiting).toContain('liste d’attente');
  const jana = await t.db.prisma.registration.findFirstOrThrow({ where: { email: 'jana@beta.example' } });
  await t.send(
    CancelRegistrationDocument,
    { input: { id: Buffer.from(`Registration:${jana.id}`).toString('base64') } },
    { token: await s.token('alice') },
  );
  const promoted = smtp.received.filter((m) => m.to.includes('marie@beta.example'));
  expect(promoted).toHaveLength(2);
  expect(header(promoted[1]!.raw, 'Subject')).toBe(
    'Une place s’est libérée pour vous\u00a0: Journée du réseau',
  );
  expect(textOf(promoted[1]!.raw)).toContain('place confirmée');
  const cancelled = smtp.received.filter((m) => m.to.includes('jana@beta.example'));
  expect(header(cancelled.at(-1)!.raw, 'Subject')).toBe('Anmeldung storniert: Netzwerktag');
});
