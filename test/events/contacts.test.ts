/**
 * Meeting people over HTTP: participants who agreed to be contacted find each other by
 * organisation and theme, ask to exchange contacts, and see each other's address only once the
 * other accepts. Also: wrong manage tokens are limited per address (the hub runs with a low limit
 * here), and `inviteOrganisations` / `events` as organisers and others read them.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  AnswerContactExchangeDocument,
  CreateEventDocument,
  CreateEventEditionDocument,
  EventContactsDocument,
  EventsDocument,
  InviteOrganisationsDocument,
  MyContactExchangesDocument,
  RegisterForEventDocument,
  RegistrationByTokenDocument,
  RequestContactExchangeDocument,
  UpdateEventEditionDocument,
  UpdateRegistrationDocument,
  type RegistrationFieldsInput,
} from '../../clients/generated/graphql.ts';
import { createOffer, setOfferStatus } from '../../src/modules/catalogue/offer.service.ts';
import { createSite } from '../../src/modules/catalogue/site.service.ts';
import { seedThemes } from '../helpers/catalogue-fixtures.ts';
import { seedScenario, seedThirdOrganisation, type Scenario } from '../helpers/fixtures.ts';
import { startTestHub, type TestHub } from '../helpers/hub.ts';

const WRONG_TRIES_ALLOWED = 4;
let t: TestHub;
let s: Scenario;
let alice: string;
let editionId: string;
const code = {} as Record<'alpha' | 'beta' | 'gamma', string>;
const tokens = {} as Record<'ana' | 'ben' | 'cleo' | 'dan', string>;

async function register(who: RegistrationFieldsInput, org: keyof typeof code) {
  const res = await t.send(RegisterForEventDocument, {
    input: { edition: 'rencontres-2026', code: code[org], participant: who },
  });
  const r = res.body.data!.registerForEvent;
  if (r.__typename !== 'MutationRegisterForEventSuccess') throw new Error(JSON.stringify(r));
  return r.data.manageToken;
}

beforeAll(async () => {
  t = await startTestHub({ AUTH_FAILURES_PER_ADDRESS: String(WRONG_TRIES_ALLOWED) });
  s = await seedScenario(t.db.prisma, t.config);
  await seedThemes(t.db.prisma);
  const gamma = await seedThirdOrganisation(t.db.prisma, t.config, ['ORG_ADMIN']);
  alice = await s.token('alice');
  // Beta publishes a housing offer: its people are found by the theme "housing".
  const bob = s.viewer('bob');
  const site = await createSite(t.db.prisma, bob, s.org.beta.id, { name: 'Beta', commune: 'Luxembourg' });
  const offer = await createOffer(t.db.prisma, bob, s.org.beta.id, {
    title: { fr: 'Logement d’urgence' },
    themeCodes: ['housing'],
    siteIds: [site.id],
  });
  await setOfferStatus(t.db.prisma, bob, offer.id, 'publish');
  const ev = await t.send(
    CreateEventDocument,
    {
      input: {
        organisationId: s.org.alpha.globalId,
        slug: 'rencontres',
        name: [{ language: 'FR', text: 'Rencontres' }],
      },
    },
    { token: alice },
  );
  if (ev.body.data!.createEvent.__typename !== 'MutationCreateEventSuccess') throw new Error();
  const start = new Date(Date.now() + 7 * 24 * 3600 * 1000);
  const ed = await t.send(
    CreateEventEditionDocument,
    {
      input: {
        eventId: ev.body.data!.createEvent.data.event.id,
        slug: 'rencontres-2026',
        title: [{ language: 'FR', text: 'Rencontres 2026' }],
        startsAt: start.toISOString(),
        endsAt: new Date(start.getTime() + 6 * 3600 * 1000).toISOString(),
        invitedOrganisationIds: [s.org.beta.globalId],
      },
    },
    { token: alice },
  );
  const e = ed.body.data!.createEventEdition;
  if (e.__typename !== 'MutationCreateEventEditionSuccess') throw new Error(JSON.stringify(e));
  editionId = e.data.edition.id;
  // Gamma and alpha join later.
  const inv = await t.send(
    InviteOrganisationsDocument,
    {
      input: {
        editionId,
        organisationIds: [
          encode('Organisation', gamma.organisation.id),
          s.org.alpha.globalId,
          s.org.beta.globalId,
        ],
      },
    },
    { token: alice },
  );
  const invited = inv.body.data!.inviteOrganisations;
  if (invited.__typename !== 'MutationInviteOrganisationsSuccess') throw new Error(JSON.stringify(invited));
  for (const i of invited.data.edition.invitations) code[i.organisation.slug as keyof typeof code] = i.code!;
  await t.send(
    UpdateEventEditionDocument,
    { input: { id: editionId, expectedVersion: e.data.edition.version, status: 'OPEN' } },
    { token: alice },
  );
  tokens.ana = await register(
    {
      name: 'Ana Ferreira',
      email: 'ana@beta.example',
      category: 'PARTNER_STAFF',
      contactable: true,
      showName: true,
    },
    'beta',
  );
  tokens.ben = await register(
    {
      name: 'Ben Weber',
      email: 'ben@alpha.example',
      category: 'PARTNER_STAFF',
      contactable: true,
      function: 'Éducateur',
    },
    'alpha',
  );
  tokens.cleo = await register(
    { name: 'Cléo Muller', email: 'cleo@gamma.example', category: 'VOLUNTEER' },
    'gamma',
  );
  tokens.dan = await register(
    { name: 'Dan Schmit', email: 'dan@beta.example', category: 'PARTNER_STAFF', contactable: true },
    'beta',
  );
});

const encode = (type: string, id: string) => Buffer.from(`${type}:${id}`).toString('base64');

afterAll(async () => {
  await t?.close();
});

describe('inviting and listing', () => {
  it('invites more organisations, keeping the codes of those already invited', () => {
    expect(Object.keys(code).sort()).toEqual(['alpha', 'beta', 'gamma']);
    expect(Object.values(code).every((c) => c.startsWith('evc_'))).toBe(true);
  });

  it('lists a series to its organisers and, once an edition is public, to everyone', async () => {
    const mine = await t.send(EventsDocument, {}, { token: alice });
    expect(mine.body.data!.events).toEqual([
      expect.objectContaining({
        slug: 'rencontres',
        youOrganise: true,
        editions: [{ slug: 'rencontres-2026', status: 'OPEN' }],
      }),
    ]);
    const anonymous = await t.send(EventsDocument, {});
    expect(anonymous.body.data!.events).toEqual([
      expect.objectContaining({ slug: 'rencontres', youOrganise: false }),
    ]);
  });
});

describe('meeting people', () => {
  it('finds contactable participants by organisation and theme, showing only consented fields', async () => {
    const all = await t.send(EventContactsDocument, { token: tokens.ben });
    const found = all.body.data!.eventContacts;
    if (found.__typename !== 'QueryEventContactsSuccess') throw new Error(JSON.stringify(found));
    expect(found.data.map((c) => [c.name, c.organisation])).toEqual([
      ['Ana Ferreira', 'Organisation beta'],
      [null, 'Organisation beta'],
    ]);
    const byTheme = await t.send(EventContactsDocument, { token: tokens.ben, theme: 'housing' });
    expect(byTheme.body.data!.eventContacts).toMatchObject({
      data: [{ name: 'Ana Ferreira' }, { name: null }],
    });
    const noTheme = await t.send(EventContactsDocument, { token: tokens.ben, theme: 'employment' });
    expect(noTheme.body.data!.eventContacts).toMatchObject({ data: [] });
    const byOrg = await t.send(EventContactsDocument, {
      token: tokens.ana,
      organisationId: s.org.alpha.globalId,
    });
    expect(byOrg.body.data!.eventContacts).toMatchObject({
      data: [{ name: null, organisation: 'Organisation alpha', function: null }],
    });
    // Cléo did not agree to be contacted: she cannot look others up, and nobody finds her.
    const cleo = await t.send(EventContactsDocument, { token: tokens.cleo });
    expect(cleo.body.data!.eventContacts.__typename).toBe('ForbiddenError');
  });

  it('shows addresses to both sides only once the other accepts', async () => {
    const ana = await t.send(EventContactsDocument, { token: tokens.ben });
    if (ana.body.data!.eventContacts.__typename !== 'QueryEventContactsSuccess') throw new Error();
    const anaId = ana.body.data!.eventContacts.data.find((c) => c.name === 'Ana Ferreira')!.id;
    const asked = await t.send(RequestContactExchangeDocument, {
      input: { token: tokens.ben, contactId: anaId, message: 'Parlons logement des jeunes ?' },
    });
    const ask = asked.body.data!.requestContactExchange;
    if (ask.__typename !== 'MutationRequestContactExchangeSuccess') throw new Error(JSON.stringify(ask));
    const mail = await t.db.prisma.mailMessage.findFirstOrThrow({
      where: { to: 'ana@beta.example', kind: 'event-contact-request' },
    });
    expect(mail.text).toContain('Parlons logement des jeunes ?');
    expect(mail.text).not.toContain('ben@alpha.example');
    const before = await t.send(MyContactExchangesDocument, { token: tokens.ben });
    expect(before.body.data!.registrationByToken!.contactExchanges).toEqual([
      expect.objectContaining({ direction: 'SENT', status: 'REQUESTED', email: null }),
    ]);
    // Only the asked side answers.
    const self = await t.send(AnswerContactExchangeDocument, {
      input: { token: tokens.ben, exchangeId: ask.data.id, accept: true },
    });
    expect(self.body.data!.answerContactExchange.__typename).toBe('ForbiddenError');
    const stranger = await t.send(AnswerContactExchangeDocument, {
      input: { token: tokens.dan, exchangeId: ask.data.id, accept: true },
    });
    expect(stranger.body.data!.answerContactExchange.__typename).toBe('NotFoundError');
    const yes = await t.send(AnswerContactExchangeDocument, {
      input: { token: tokens.ana, exchangeId: ask.data.id, accept: true },
    });
    expect(yes.body.data!.answerContactExchange).toMatchObject({ data: { status: 'ACCEPTED' } });
    const again = await t.send(AnswerContactExchangeDocument, {
      input: { token: tokens.ana, exchangeId: ask.data.id, accept: false },
    });
    expect(again.body.data!.answerContactExchange.__typename).toBe('InvalidTransitionError');
    const ben = await t.send(MyContactExchangesDocument, { token: tokens.ben });
    expect(ben.body.data!.registrationByToken!.contactExchanges).toEqual([
      expect.objectContaining({
        status: 'ACCEPTED',
        email: 'ana@beta.example',
        other: { name: 'Ana Ferreira', organisation: 'Organisation beta' },
      }),
    ]);
    const anaSide = await t.send(MyContactExchangesDocument, { token: tokens.ana });
    expect(anaSide.body.data!.registrationByToken!.contactExchanges).toEqual([
      expect.objectContaining({
        direction: 'RECEIVED',
        email: 'ben@alpha.example',
        other: { name: 'Ben Weber', organisation: 'Organisation alpha' },
      }),
    ]);
  });

  it('answers a request to someone not contactable, or to oneself, as unknown', async () => {
    const cleo = await t.db.prisma.registration.findFirstOrThrow({ where: { email: 'cleo@gamma.example' } });
    const ben = await t.db.prisma.registration.findFirstOrThrow({ where: { email: 'ben@alpha.example' } });
    for (const id of [cleo.id, ben.id]) {
      const r = await t.send(RequestContactExchangeDocument, {
        input: { token: tokens.ben, contactId: encode('EventContact', id) },
      });
      expect(r.body.data!.requestContactExchange.__typename).toBe('NotFoundError');
    }
  });

  it('stops finding someone who withdraws their consent', async () => {
    const dan = await t.send(RegistrationByTokenDocument, { token: tokens.dan });
    await t.send(UpdateRegistrationDocument, {
      input: {
        token: tokens.dan,
        expectedVersion: dan.body.data!.registrationByToken!.version,
        contactable: false,
      },
    });
    const r = await t.send(EventContactsDocument, { token: tokens.ben });
    expect(r.body.data!.eventContacts).toMatchObject({ data: [{ name: 'Ana Ferreira' }] });
  });
});

describe('wrong manage tokens', () => {
  it('are limited per address: after a few, even a right token waits', async () => {
    const wrong = 'evm_' + 'C'.repeat(43);
    for (let i = 0; i < WRONG_TRIES_ALLOWED; i++) {
      const r = await t.send(RegistrationByTokenDocument, { token: wrong });
      expect(r.body.data!.registrationByToken).toBeNull();
    }
    const blocked = await t.send(EventContactsDocument, { token: tokens.ana });
    expect(blocked.body.data!.eventContacts).toMatchObject({ __typename: 'TooManyTriesError' });
  });
});
