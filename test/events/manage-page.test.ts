/**
 * The participant's manage page over real HTTP (`/events/manage?token=…`, no account, no script):
 * it shows the registration and nobody else's; its forms withdraw consent (the public page drops
 * the name at once), change sessions (a full one offers its waitlist, nothing written), cancel,
 * export and delete (after a confirmation); they find people and exchange contacts. A form read
 * before a session was taken off the programme still saves, without that session. A wrong token
 * is the same 404 as an unknown one and counts against the address (429 past the limit); every
 * answer is no-store, no-referrer, with a CSP that allows no script; names are escaped.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { encodeGlobalID } from '@pothos/plugin-relay';
import {
  CancelSessionDocument,
  CreateEventEditionDocument,
  EditionInvitationsDocument,
  RegisterForEventDocument,
  UpdateEventEditionDocument,
  type RegistrationFieldsInput,
} from '../../clients/generated/graphql.ts';
import { hashSecret } from '../../src/modules/accounts/secret-codes.ts';
import type { Scenario } from '../helpers/fixtures.ts';
import type { TestHub } from '../helpers/hub.ts';
import { createSession, expectPrivatePage, postForm, raw, startHubWithEvent } from './form-helpers.ts';

/** Wrong tokens an address may send before it waits (the hub's AUTH_FAILURES_PER_ADDRESS here). */
const WRONG_TRIES_ALLOWED = 5;
const EDITION = 'assises-manage-2026';
const ATTACK = '<script>alert("x")</script>';

let t: TestHub;
let s: Scenario;
let base: string;
let codeBeta: string;
let alice: string;
const session = {} as Record<'plenary' | 'workshop' | 'small', string>;
const token = {} as Record<'anna' | 'ben' | 'carl' | 'dora' | 'eve' | 'fay' | 'gus', string>;

const person = (name: string, extra: Partial<RegistrationFieldsInput> = {}): RegistrationFieldsInput => ({
  name,
  email: `${
    name
      .toLowerCase()
      .replace(/\W+/g, '.')
      .replace(/^\.|\.$/g, '') || 'x'
  }@beta.example`,
  category: 'PARTNER_STAFF',
  ...extra,
});

async function register(participant: RegistrationFieldsInput): Promise<string> {
  const res = await t.send(RegisterForEventDocument, {
    input: { edition: EDITION, code: codeBeta, participant },
  });
  const r = res.body.data!.registerForEvent;
  if (r.__typename !== 'MutationRegisterForEventSuccess') throw new Error(JSON.stringify(r));
  return r.data.manageToken;
}

const page = (tok: string, query = '', headers: Record<string, string> = {}) =>
  fetch(`${base}/events/manage?token=${encodeURIComponent(tok)}${query}`, { headers });

const post = (fields: [string, string][], headers: Record<string, string> = {}) =>
  postForm(`${base}/events/manage`, fields, headers);

/** The version the page's change form sends back. */
async function versionOn(tok: string): Promise<string> {
  const html = await (await page(tok)).text();
  return /name="expectedVersion" value="(\d+)"/.exec(html)![1]!;
}

const registration = (tok: string) =>
  t.db.prisma.registration.findUniqueOrThrow({
    where: { manageTokenHash: hashSecret(tok) },
    include: { seats: true },
  });

beforeAll(async () => {
  const hub = await startHubWithEvent(WRONG_TRIES_ALLOWED, 'assises-manage');
  ({ t, s, base } = hub);
  ({ alice } = hub);
  const start = new Date(Date.now() + 30 * 24 * 3600 * 1000);
  const edition = await t.send(
    CreateEventEditionDocument,
    {
      input: {
        eventId: hub.eventId,
        slug: EDITION,
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
  const editionId = e.data.edition.id;
  const mk = (title: string, capacity: number | null, hour: number) =>
    createSession(t, alice, { editionId, title, capacity, start, hour });
  session.plenary = await mk('Ouverture', null, 0);
  session.workshop = await mk('Atelier logement', 5, 1);
  session.small = await mk('Atelier emploi', 1, 2);
  const open = await t.send(
    UpdateEventEditionDocument,
    { input: { id: editionId, expectedVersion: e.data.edition.version, status: 'OPEN' } },
    { token: alice },
  );
  expect(open.body.data!.updateEventEdition.__typename).toBe('MutationUpdateEventEditionSuccess');
  const inv = await t.send(EditionInvitationsDocument, { slug: EDITION }, { token: alice });
  codeBeta = inv.body.data!.eventEdition!.invitations.find((c) => c.organisation.slug === 'beta')!.code!;

  token.anna = await register(
    person('Anna Manage', {
      function: 'Éducatrice',
      accessibilityNeeds: 'rampe d’accès',
      showName: true,
      showOrganisation: true,
      sessionIds: [session.plenary],
    }),
  );
  token.ben = await register(
    person('Ben Autre', { showName: true, contactable: true, sessionIds: [session.small] }),
  );
  token.carl = await register(person('Carl Annule', { sessionIds: [session.workshop] }));
  token.dora = await register(person('Dora Efface', { contactable: true, sessionIds: [session.workshop] }));
  token.eve = await register(person(ATTACK, { email: 'eve@beta.example', function: '<b>chef</b>' }));
  token.fay = await register(person('Fay Rencontre', { showName: true, contactable: true }));
  token.gus = await register(person('Gus English', { locale: 'EN' }));
});

afterAll(async () => {
  await t?.close();
});

describe('GET /events/manage', () => {
  it('shows the registration, and nobody else’s', async () => {
    const res = await page(token.anna);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const html = await res.text();
    for (const text of [
      'Votre inscription',
      'Assises de test 2026',
      'Anna Manage',
      'anna.manage@beta.example',
      'Organisation beta',
      'Éducatrice',
      'Personnel d’un partenaire',
      'rampe d’accès',
      'Ouverture',
      'place confirmée',
      'Mon nom sur la liste publique\u00a0: <strong>oui</strong>',
      'Ma fonction sur la liste publique\u00a0: <strong>non</strong>',
    ]) {
      expect(html).toContain(text);
    }
    for (const other of ['Ben Autre', 'ben.autre@beta.example', 'Carl Annule', 'Fay Rencontre']) {
      expect(html).not.toContain(other);
    }
  });

  it('answers private, script-free pages', async () => {
    const res = await page(token.anna);
    expectPrivatePage(res);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('escapes what a participant typed', async () => {
    const html = await (await page(token.eve)).text();
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
    expect(html).toContain('&lt;b&gt;chef&lt;/b&gt;');
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toContain('<b>chef');
  });

  it('speaks the registration’s language, or the one asked for', async () => {
    expect(await (await page(token.gus)).text()).toContain('Your registration');
    const de = await page(token.anna, '&lang=de');
    expect(de.headers.get('content-language')).toBe('de');
    expect(await de.text()).toContain('Ihre Anmeldung');
    expect((await page(token.anna, '&lang=xx')).status).toBe(400);
  });

  it('answers a wrong, a malformed and a missing token alike: 404, nothing echoed', async () => {
    const from = { 'x-forwarded-for': '198.51.100.4' };
    const wrong = 'evm_' + 'B'.repeat(43);
    const answers = await Promise.all([
      page(wrong, '', from),
      page('nonsense', '', from),
      fetch(`${base}/events/manage`, { headers: from }),
    ]);
    const bodies = await Promise.all(answers.map((r) => r.text()));
    expect(answers.map((r) => r.status)).toEqual([404, 404, 404]);
    expect(new Set(bodies).size).toBe(1);
    expect(bodies[0]).toContain('Ce lien ne correspond à aucune inscription');
    expect(bodies[0]).not.toContain(wrong);
    expect(answers[0].headers.get('cache-control')).toBe('no-store');
    // The same through a form.
    const posted = await post(
      [
        ['token', wrong],
        ['action', 'cancel'],
      ],
      { 'x-forwarded-for': '198.51.100.5' },
    );
    expect(posted.status).toBe(404);
    expect(await posted.text()).toBe(bodies[0]);
  });

  it('counts wrong tokens against the address: past the limit, 429 whatever the token', async () => {
    const from = { 'x-forwarded-for': '203.0.113.7' };
    for (let i = 0; i < WRONG_TRIES_ALLOWED; i++) {
      expect((await page(`evm_${String(i).repeat(43)}`, '', from)).status).toBe(404);
    }
    const blocked = await page(token.anna, '', from);
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await blocked.text()).toContain('Trop d’essais');
    const refusedForm = await post(
      [
        ['token', token.anna],
        ['action', 'export'],
      ],
      from,
    );
    expect(refusedForm.status).toBe(429);
    // Another address is not concerned.
    expect((await page(token.anna, '', { 'x-forwarded-for': '203.0.113.8' })).status).toBe(200);
  });
});

describe('POST /events/manage', () => {
  it('withdraws consent: the public page drops the name at once', async () => {
    expect(await (await fetch(`${base}/events/${EDITION}`)).text()).toContain('Anna Manage');
    const version = await versionOn(token.anna);
    const r = await post([
      ['token', token.anna],
      ['action', 'update'],
      ['expectedVersion', version],
      ['showOrganisation', 'yes'],
      ['function', 'Éducatrice'],
      ['accessibilityNeeds', 'rampe d’accès'],
      ['session', raw(session.plenary)],
    ]);
    expect(r.status).toBe(303);
    expect(r.headers.get('cache-control')).toBe('no-store');
    const location = r.headers.get('location')!;
    expect(location).toBe(`/events/manage?token=${encodeURIComponent(token.anna)}&done=updated`);
    const after = await (await fetch(`${base}${location}`)).text();
    expect(after).toContain('Vos changements sont enregistrés.');
    expect(after).toContain('Mon nom sur la liste publique\u00a0: <strong>non</strong>');
    const publicPage = await (await fetch(`${base}/events/${EDITION}`)).text();
    expect(publicPage).not.toContain('Anna Manage');
    expect(publicPage).toContain('Organisation beta');
    expect(await registration(token.anna)).toMatchObject({ showName: false, showOrganisation: true });
  });

  it('refuses a full session with the waitlist message, writing nothing; then joins the waitlist', async () => {
    const before = await registration(token.anna);
    const fields: [string, string][] = [
      ['token', token.anna],
      ['action', 'update'],
      ['expectedVersion', String(before.version)],
      ['showOrganisation', 'yes'],
      ['session', raw(session.plenary)],
      ['session', raw(session.small)],
    ];
    const full = await post(fields);
    expect(full.status).toBe(409);
    const html = await full.text();
    expect(html).toContain('Complet\u00a0: «\u00a0Atelier emploi\u00a0»');
    expect(html).toContain('Cochez «\u00a0liste d’attente\u00a0»');
    expect(html).toContain('Rien n’a été enregistré.');
    // The form keeps what was asked.
    expect(html).toMatch(new RegExp(`value="${raw(session.small)}" checked`));
    expect(await registration(token.anna)).toMatchObject({ version: before.version, seats: before.seats });
    const waiting = await post([...fields, ['waitlist', 'yes']]);
    expect(waiting.status).toBe(303);
    const after = await (await fetch(`${base}${waiting.headers.get('location')!}`)).text();
    expect(after).toContain('liste d’attente, position 1');
    const seats = (await registration(token.anna)).seats;
    expect(seats.find((x) => x.sessionId === raw(session.small))?.status).toBe('WAITLISTED');
  });

  it('saves a form read before a session was taken off the programme, without that session', async () => {
    const editionId = (await t.db.prisma.eventEdition.findUniqueOrThrow({ where: { slug: EDITION } })).id;
    const dropped = await createSession(t, alice, {
      editionId: encodeGlobalID('EventEdition', editionId),
      title: 'Atelier annulé',
      capacity: null,
      start: new Date(Date.now() + 30 * 24 * 3600 * 1000),
      hour: 3,
    });
    const tok = await register(person('Hana Programme', { sessionIds: [session.plenary, dropped] }));
    const version = await versionOn(tok);
    const row = await t.db.prisma.eventSession.findUniqueOrThrow({ where: { id: raw(dropped) } });
    const cancelled = await t.send(
      CancelSessionDocument,
      { input: { id: dropped, expectedVersion: row.version } },
      { token: alice },
    );
    expect(cancelled.body.data!.cancelSession.__typename).toBe('MutationCancelSessionSuccess');
    // The page as it was read: both sessions ticked, and now a consent too.
    const r = await post([
      ['token', tok],
      ['action', 'update'],
      ['expectedVersion', version],
      ['showName', 'yes'],
      ['session', raw(session.plenary)],
      ['session', raw(dropped)],
    ]);
    expect(r.status).toBe(303);
    const after = await registration(tok);
    expect(after.showName).toBe(true);
    expect(after.seats.map((x) => x.sessionId)).toEqual([raw(session.plenary)]);
  });

  it('refuses a stale version with the current state', async () => {
    const r = await post([
      ['token', token.anna],
      ['action', 'update'],
      ['expectedVersion', '1'],
      ['showName', 'yes'],
    ]);
    expect(r.status).toBe(409);
    expect(await r.text()).toContain('modifiée entre-temps');
    expect((await registration(token.anna)).showName).toBe(false);
  });

  it('cancels, freeing the seat', async () => {
    const r = await post([
      ['token', token.carl],
      ['action', 'cancel'],
    ]);
    expect(r.status).toBe(303);
    expect(r.headers.get('location')).toContain('done=cancelled');
    const html = await (await fetch(`${base}${r.headers.get('location')!}`)).text();
    expect(html).toContain('Votre inscription est annulée.');
    expect(html).toContain('Annulée le');
    expect(html).not.toContain('name="expectedVersion"');
    expect(await registration(token.carl)).toMatchObject({ status: 'CANCELLED', seats: [] });
  });

  it('exports the person’s data as a JSON download, without the token’s hash', async () => {
    const r = await post([
      ['token', token.anna],
      ['action', 'export'],
    ]);
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(r.headers.get('content-disposition')).toBe(`attachment; filename="registration-${EDITION}.json"`);
    expect(r.headers.get('cache-control')).toBe('no-store');
    const text = await r.text();
    const data = JSON.parse(text) as { registration: Record<string, unknown> };
    expect(data.registration).toMatchObject({
      name: 'Anna Manage',
      email: 'anna.manage@beta.example',
      accessibilityNeeds: 'rampe d’accès',
    });
    expect(data.registration).not.toHaveProperty('manageTokenHash');
    expect(text).not.toContain(hashSecret(token.anna));
    expect(text).not.toContain('evm_');
  });

  it('deletes after a confirmation, and says what was erased and what stays', async () => {
    const first = await post([
      ['token', token.dora],
      ['action', 'delete'],
    ]);
    expect(first.status).toBe(200);
    const confirm = await first.text();
    expect(confirm).toContain('Supprimer vos données\u202f?');
    expect(confirm).toContain('name="confirm" value="yes"');
    expect((await registration(token.dora)).name).toBe('Dora Efface');
    const row = await registration(token.dora);
    const second = await post([
      ['token', token.dora],
      ['action', 'delete'],
      ['confirm', 'yes'],
    ]);
    expect(second.status).toBe(303);
    const location = second.headers.get('location')!;
    expect(location).not.toContain(token.dora);
    const done = await (await fetch(`${base}${location}`)).text();
    expect(done).toContain('Vos données sont supprimées');
    expect(done).toContain('votre place dans 1 session');
    expect(done).toContain('votre organisation et votre catégorie');
    const erased = await t.db.prisma.registration.findUniqueOrThrow({ where: { id: row.id } });
    expect(erased).toMatchObject({
      name: '',
      function: null,
      status: 'CANCELLED',
      organisationId: s.org.beta.id,
    });
    expect(erased.anonymisedAt).not.toBeNull();
    expect(erased.email).not.toContain('dora');
    const gone = await page(token.dora, '', { 'x-forwarded-for': '198.51.100.6' });
    expect(gone.status).toBe(404);
  });

  it('finds people, asks to exchange contacts, and shows the address once accepted', async () => {
    const search = await post([
      ['token', token.fay],
      ['action', 'contacts'],
      ['organisation', s.org.beta.id],
      ['theme', ''],
    ]);
    expect(search.status).toBe(200);
    const results = await search.text();
    expect(results).toContain('Ben Autre');
    // Not contactable: not found.
    expect(results).not.toContain('Anna Manage');
    const benId = (await registration(token.ben)).id;
    const asked = await post([
      ['token', token.fay],
      ['action', 'request'],
      ['contactId', benId],
      ['message', 'On se voit au stand ?'],
    ]);
    expect(asked.status).toBe(303);
    expect(asked.headers.get('location')).toContain('done=requested');
    const fayBefore = await (await page(token.fay)).text();
    expect(fayBefore).toContain('Vous avez proposé à Ben Autre');
    expect(fayBefore).not.toContain('ben.autre@beta.example');
    const benPage = await (await page(token.ben)).text();
    expect(benPage).toContain('Fay Rencontre');
    expect(benPage).toContain('On se voit au stand ?');
    const exchangeId = /name="exchangeId" value="([^"]+)"/.exec(benPage)![1]!;
    const answered = await post([
      ['token', token.ben],
      ['action', 'answer'],
      ['exchangeId', exchangeId],
      ['accept', 'yes'],
    ]);
    expect(answered.status).toBe(303);
    expect(await (await page(token.fay)).text()).toContain('ben.autre@beta.example');
    expect(await (await page(token.ben)).text()).toContain('fay.rencontre@beta.example');
    // Answering twice: a message, nothing changes.
    const twice = await post([
      ['token', token.ben],
      ['action', 'answer'],
      ['exchangeId', exchangeId],
      ['accept', 'no'],
    ]);
    expect(twice.status).toBe(409);
    expect(await twice.text()).toContain('déjà reçu une réponse');
  });

  it('asks someone who does not agree to be contacted to agree first', async () => {
    const r = await post([
      ['token', token.anna],
      ['action', 'contacts'],
    ]);
    expect(r.status).toBe(403);
    expect(await r.text()).toContain('acceptez d’abord d’être trouvé·e');
  });

  it('refuses what is not one of its forms', async () => {
    const json = await fetch(`${base}/events/manage`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token: token.anna, action: 'cancel' }),
    });
    expect(json.status).toBe(415);
    const big = await post([
      ['token', token.anna],
      ['action', 'update'],
      ['function', 'x'.repeat(40_000)],
    ]);
    expect(big.status).toBe(413);
    const unknown = await post([
      ['token', token.anna],
      ['action', 'launch'],
    ]);
    expect(unknown.status).toBe(400);
    const put = await fetch(`${base}/events/manage`, { method: 'PUT' });
    expect(put.status).toBe(405);
    expect(put.headers.get('allow')).toBe('GET, HEAD, POST');
    expect((await registration(token.anna)).status).toBe('REGISTERED');
  });
});
