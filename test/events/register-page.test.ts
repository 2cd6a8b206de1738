/**
 * The public registration form over real HTTP (`/events/<slug>/register`, no account, no script):
 * GET shows the form of an OPEN edition in French, German and English (the code prefilled from
 * `?code=`), a CLOSED edition says so and has no form; a POST with an invited organisation's code
 * registers through `registerWithCode`, mails the manage link and answers 303 to the manage page,
 * which shows the registration. A wrong code, an invalid e-mail, an address already registered, a
 * full session: a localized message, the form refilled, 4xx, nothing written; wrong codes count
 * against the address (429 past the limit). The public event page links to the form.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  CreateEventEditionDocument,
  InviteOrganisationsDocument,
  WithdrawInvitationDocument,
  EditionInvitationsDocument,
  UpdateEventEditionDocument,
} from '../../clients/generated/graphql.ts';
import type { TestHub } from '../helpers/hub.ts';
import { createSession, expectPrivatePage, postForm, raw, startHubWithEvent } from './form-helpers.ts';

/** Wrong codes an address may send before it waits (the hub's AUTH_FAILURES_PER_ADDRESS here). */
const WRONG_TRIES_ALLOWED = 4;
const EDITION = 'assises-register-2026';
const CLOSED = 'assises-register-2025';
const FORM = `/events/${EDITION}/register`;

let t: TestHub;
let base: string;
let codeBeta: string;
let codeClosed: string;
let hub: Awaited<ReturnType<typeof startHubWithEvent>>;
let editionId: string;
const session = {} as Record<'plenary' | 'small', string>;

const get = (path: string, headers: Record<string, string> = {}) => fetch(`${base}${path}`, { headers });

const post = (fields: [string, string][], headers: Record<string, string> = {}, path = FORM) =>
  postForm(`${base}${path}`, fields, headers);

/** What a person fills in: the code, their details, the category the form preselects. */
const filled = (
  code: string,
  name: string,
  email: string,
  extra: [string, string][] = [],
): [string, string][] => [
  ['code', code],
  ['name', name],
  ['email', email],
  ['category', 'PARTNER_STAFF'],
  ...extra,
];

const editionRow = (slug: string) => t.db.prisma.eventEdition.findUniqueOrThrow({ where: { slug } });

const written = async () => ({
  registrations: await t.db.prisma.registration.count(),
  seats: await t.db.prisma.registrationSeat.count(),
  mails: await t.db.prisma.mailMessage.count(),
});

beforeAll(async () => {
  hub = await startHubWithEvent(WRONG_TRIES_ALLOWED, 'assises-register');
  ({ t, base } = hub);
  const { s, alice } = hub;
  const start = new Date(Date.now() + 30 * 24 * 3600 * 1000);
  const edition = async (slug: string, title: string) => {
    const r = await t.send(
      CreateEventEditionDocument,
      {
        input: {
          eventId: hub.eventId,
          slug,
          title: [
            { language: 'FR', text: title },
            { language: 'DE', text: `${title} (de)` },
          ],
          startsAt: start.toISOString(),
          endsAt: new Date(start.getTime() + 8 * 3600 * 1000).toISOString(),
          invitedOrganisationIds: [s.org.beta.globalId],
        },
      },
      { token: alice },
    );
    const e = r.body.data!.createEventEdition;
    if (e.__typename !== 'MutationCreateEventEditionSuccess') throw new Error(JSON.stringify(e));
    const open = await t.send(
      UpdateEventEditionDocument,
      { input: { id: e.data.edition.id, expectedVersion: e.data.edition.version, status: 'OPEN' } },
      { token: alice },
    );
    expect(open.body.data!.updateEventEdition.__typename).toBe('MutationUpdateEventEditionSuccess');
    const inv = await t.send(EditionInvitationsDocument, { slug }, { token: alice });
    return { id: e.data.edition.id, code: inv.body.data!.eventEdition!.invitations[0]!.code! };
  };
  const opened = await edition(EDITION, 'Assises de test 2026');
  codeBeta = opened.code;
  editionId = opened.id;
  const mk = async (title: string, capacity: number | null, hour: number) =>
    raw(await createSession(t, alice, { editionId: opened.id, title, capacity, start, hour }));
  session.plenary = await mk('Ouverture', null, 0);
  session.small = await mk('Atelier emploi', 1, 2);
  // An edition whose registration has closed: public, no form.
  codeClosed = (await edition(CLOSED, 'Assises de test 2025')).code;
  await t.db.prisma.eventEdition.update({ where: { slug: CLOSED }, data: { status: 'CLOSED' } });
});

afterAll(async () => {
  await t?.close();
});

describe('GET /events/<slug>/register', () => {
  it('shows the form of an open edition in French, German and English', async () => {
    const fr = await get(FORM);
    expect(fr.status).toBe(200);
    expect(fr.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(fr.headers.get('content-language')).toBe('fr');
    const html = await fr.text();
    for (const text of [
      `<form method="post" action="${FORM}">`,
      'Assises de test 2026',
      'Code d’inscription',
      'M’inscrire',
      '<label for="f-email"',
      'type="email"',
      'autocomplete="email"',
      'autocomplete="name"',
      'autocomplete="organization-title"',
      'name="accessibilityNeeds"',
      'Mon nom sur la liste publique',
      `name="session" value="${session.plenary}"`,
      'Atelier emploi',
      '1 place restante',
      '<input type="hidden" name="lang" value="fr" />',
    ]) {
      expect(html).toContain(text);
    }
    // Code, name, e-mail and category are required; the function is not.
    expect(html).toMatch(/<input\s+id="f-code"[^>]*\srequired\s/);
    expect(html).toMatch(/<input\s+id="f-email"[^>]*\srequired\s/);
    expect(html).toMatch(/<select id="f-category" name="category" required/);
    expect(html).not.toMatch(/<input\s+id="f-function"[^>]*\srequired\s/);

    const de = await get(FORM, { 'accept-language': 'de-LU, de;q=0.9' });
    expect(de.headers.get('content-language')).toBe('de');
    const deHtml = await de.text();
    expect(deHtml).toContain('Anmeldecode');
    expect(deHtml).toContain('Assises de test 2026 (de)');
    const en = await (await get(`${FORM}?lang=en`)).text();
    expect(en).toContain('Registration code');
    expect(en).toContain('<button type="submit">Register</button>');
    expect((await get(`${FORM}?lang=xx`)).status).toBe(400);
  });

  it('prefills the code from the address, and answers private, script-free pages', async () => {
    const res = await get(`${FORM}?code=${encodeURIComponent(codeBeta)}`);
    expect(await res.text()).toContain(`value="${codeBeta}"`);
    expectPrivatePage(res);
  });

  it('says that a closed edition’s registration is closed, with no form; an unknown one is 404', async () => {
    const res = await get(`/events/${CLOSED}/register`);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('Les inscriptions à cet événement sont closes.');
    expect(html).not.toContain('<form');
    expect((await get('/events/no-such-edition/register')).status).toBe(404);
  });
});

describe('POST /events/<slug>/register', () => {
  it('registers with the code, mails the manage link and shows the registration', async () => {
    const before = await written();
    const r = await post(
      filled(codeBeta, 'Léa Inscrite', 'lea.inscrite@beta.example', [
        ['function', 'Assistante sociale'],
        ['showName', 'yes'],
        ['session', session.plenary],
        ['lang', 'fr'],
      ]),
    );
    expect(r.status).toBe(303);
    expect(r.headers.get('cache-control')).toBe('no-store');
    expect(r.headers.get('referrer-policy')).toBe('no-referrer');
    const location = r.headers.get('location')!;
    expect(location).toMatch(/^\/events\/manage\?token=evm_[A-Za-z0-9_-]+&done=registered$/);
    const token = new URLSearchParams(location.split('?')[1]).get('token')!;

    const manage = await get(location);
    expect(manage.status).toBe(200);
    const page = await manage.text();
    for (const text of [
      'Votre inscription',
      'Vous êtes inscrit·e. Un e-mail avec le lien de cette page vous est envoyé',
      'Léa Inscrite',
      'lea.inscrite@beta.example',
      'Organisation beta',
      'Assistante sociale',
      'Ouverture',
      'place confirmée',
      'Mon nom sur la liste publique\u00a0: <strong>oui</strong>',
    ]) {
      expect(page).toContain(text);
    }
    const row = await t.db.prisma.registration.findUniqueOrThrow({
      where: {
        editionId_email: { editionId: (await editionRow(EDITION)).id, email: 'lea.inscrite@beta.example' },
      },
    });
    expect(row).toMatchObject({ source: 'SELF', status: 'REGISTERED', locale: 'fr', showName: true });
    const mail = await t.db.prisma.mailMessage.findFirstOrThrow({
      where: { to: 'lea.inscrite@beta.example' },
    });
    expect(mail.kind).toBe('event-registration-confirmed');
    expect(mail.text).toContain(`/events/manage?token=${encodeURIComponent(token)}`);
    expect(await written()).toEqual({
      registrations: before.registrations + 1,
      seats: before.seats + 1,
      mails: before.mails + 1,
    });
  });

  it('registers in the page’s language', async () => {
    const r = await post(filled(codeBeta, 'Tom English', 'tom@beta.example', [['lang', 'en']]));
    expect(r.status).toBe(303);
    const manage = await (await get(r.headers.get('location')!)).text();
    expect(manage).toContain('Your registration');
    expect(manage).toContain('You are registered.');
    const mail = await t.db.prisma.mailMessage.findFirstOrThrow({ where: { to: 'tom@beta.example' } });
    expect(mail.subject).toContain('Registration confirmed');
  });

  it('refuses a wrong code, writing nothing, the form refilled; past the limit, 429', async () => {
    const from = { 'x-forwarded-for': '203.0.113.21' };
    const before = await written();
    const wrong = await post(filled('evc_' + 'A'.repeat(43), 'Max Faux', 'max@beta.example'), from);
    expect(wrong.status).toBe(403);
    expect(wrong.headers.get('cache-control')).toBe('no-store');
    const html = await wrong.text();
    expect(html).toContain('Ce code n’est pas valable pour cet événement');
    expect(html).toMatch(
      /id="f-code"[^>]*aria-invalid="true"[^>]*aria-describedby="f-code-problem f-code-hint"/,
    );
    expect(html).toContain('value="Max Faux"');
    expect(html).toContain('value="max@beta.example"');
    for (let i = 1; i < WRONG_TRIES_ALLOWED; i++) {
      expect((await post(filled(`evc_${i}`, 'Max Faux', 'max@beta.example'), from)).status).toBe(403);
    }
    // The right code now, from the same address: too many tries.
    const blocked = await post(filled(codeBeta, 'Max Faux', 'max@beta.example'), from);
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
    const blockedHtml = await blocked.text();
    expect(blockedHtml).toContain('Trop d’essais');
    expect(blockedHtml).toContain('value="Max Faux"');
    expect(await written()).toEqual(before);
    // Another address is not concerned.
    const other = await post(filled(codeBeta, 'Max Faux', 'max@beta.example'), {
      'x-forwarded-for': '203.0.113.22',
    });
    expect(other.status).toBe(303);
  });

  it('says that a withdrawn code was withdrawn, writing nothing and counting no guess', async () => {
    const { alice, s } = hub;
    const input = { editionId, organisationIds: [s.org.alpha.globalId] };
    const invited = await t.send(InviteOrganisationsDocument, { input }, { token: alice });
    expect(invited.body.data!.inviteOrganisations.__typename).toBe('MutationInviteOrganisationsSuccess');
    const inv = await t.send(EditionInvitationsDocument, { slug: EDITION }, { token: alice });
    const codeAlpha = inv.body.data!.eventEdition!.invitations.find(
      (i) => i.organisation.slug === 'alpha',
    )!.code!;
    const withdrawn = await t.send(
      WithdrawInvitationDocument,
      { input: { editionId, organisationId: s.org.alpha.globalId } },
      { token: alice },
    );
    expect(withdrawn.body.data!.withdrawInvitation.__typename).toBe('MutationWithdrawInvitationSuccess');
    const before = await written();
    const from = { 'x-forwarded-for': '203.0.113.41' };
    // More tries than wrong codes are allowed: an old link followed again and again.
    for (let i = 0; i <= WRONG_TRIES_ALLOWED; i++) {
      const r = await post(filled(codeAlpha, 'Ida Lien', 'ida@alpha.example'), from);
      expect(r.status).toBe(403);
      expect(await r.text()).toContain(
        'Les organisateurs ont retiré ce code\u00a0: demandez le nouveau code à votre organisation.',
      );
    }
    expect(await written()).toEqual(before);
    // The address was not counted: a good code from it goes through.
    expect((await post(filled(codeBeta, 'Ida Bonne', 'ida@beta.example'), from)).status).toBe(303);
  });

  it('shows an invalid e-mail next to its field, writing nothing', async () => {
    const before = await written();
    const r = await post(filled(codeBeta, '', 'pas-une-adresse', [['lang', 'de']]));
    expect(r.status).toBe(422);
    expect(r.headers.get('content-language')).toBe('de');
    const html = await r.text();
    expect(html).toContain('Bitte prüfen Sie die markierten Felder. Nichts wurde gespeichert.');
    expect(html).toMatch(
      /id="f-email"[^>]*aria-invalid="true"[^>]*aria-describedby="f-email-problem f-email-hint"/,
    );
    expect(html).toContain(
      '<p class="problem" id="f-email-problem">Geben Sie eine gültige E-Mail-Adresse an',
    );
    expect(html).toMatch(/id="f-name"[^>]*aria-invalid="true"/);
    expect(html).toContain('value="pas-une-adresse"');
    expect(html).not.toMatch(/id="f-function"[^>]*aria-invalid/);
    expect(await written()).toEqual(before);
  });

  it('refuses an address already registered, and a full session unless on its waitlist', async () => {
    const first = await post(filled(codeBeta, 'Ana Seule', 'ana@beta.example', [['session', session.small]]));
    expect(first.status).toBe(303);
    const before = await written();
    const again = await post(filled(codeBeta, 'Ana Encore', ' ANA@beta.example ', [['lang', 'en']]));
    expect(again.status).toBe(409);
    const againHtml = await again.text();
    expect(againHtml).toContain('This e-mail address is already registered for this event.');
    expect(againHtml).toMatch(/id="f-email"[^>]*aria-invalid="true"/);
    const full = await post(filled(codeBeta, 'Bea Tard', 'bea@beta.example', [['session', session.small]]));
    expect(full.status).toBe(409);
    const fullHtml = await full.text();
    expect(fullHtml).toContain('Complet\u00a0: «\u00a0Atelier emploi\u00a0»');
    expect(fullHtml).toContain('Rien n’a été enregistré.');
    expect(fullHtml).toMatch(
      new RegExp(`value="${session.small}" checked aria-invalid="true" aria-describedby="form-error"`),
    );
    expect(await written()).toEqual(before);
    const waiting = await post(
      filled(codeBeta, 'Bea Tard', 'bea@beta.example', [
        ['session', session.small],
        ['waitlist', 'yes'],
      ]),
    );
    expect(waiting.status).toBe(303);
    expect(await (await get(waiting.headers.get('location')!)).text()).toContain(
      'liste d’attente, position 1',
    );
  });

  it('refuses to register for a closed edition, writing nothing and counting no guess', async () => {
    const before = await written();
    const from = { 'x-forwarded-for': '203.0.113.31' };
    for (let i = 0; i <= WRONG_TRIES_ALLOWED; i++) {
      const r = await post(
        filled(i === 0 ? codeClosed : `evc_${i}`, 'Zoé Tard', 'zoe@beta.example'),
        from,
        `/events/${CLOSED}/register`,
      );
      expect(r.status).toBe(409);
      const html = await r.text();
      expect(html).toContain('Les inscriptions à cet événement sont closes.');
      expect(html).not.toContain('<form');
    }
    expect(await written()).toEqual(before);
    expect((await post(filled(codeBeta, 'Zoé Ouverte', 'zoe@beta.example'), from)).status).toBe(303);
  });

  it('refuses what is not its form', async () => {
    const json = await fetch(`${base}${FORM}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ code: codeBeta }),
    });
    expect(json.status).toBe(415);
    const big = await post(filled(codeBeta, 'x'.repeat(40_000), 'big@beta.example'));
    expect(big.status).toBe(413);
    const category = await post([
      ...filled(codeBeta, 'Cat', 'cat@beta.example').slice(0, 3),
      ['category', 'KING'],
    ]);
    expect(category.status).toBe(400);
    const put = await fetch(`${base}${FORM}`, { method: 'PUT' });
    expect(put.status).toBe(405);
    expect(put.headers.get('allow')).toBe('GET, HEAD, POST');
    expect(
      await t.db.prisma.registration.count({
        where: { email: { in: ['big@beta.example', 'cat@beta.example'] } },
      }),
    ).toBe(0);
  });
});

describe('the public event page', () => {
  it('links to the form where it says registration is open, in the page’s language', async () => {
    const fr = await (await get(`/events/${EDITION}`)).text();
    expect(fr).toContain('Inscriptions ouvertes');
    expect(fr).toContain(`href="${FORM}?lang=fr"`);
    expect(fr).toContain('S’inscrire avec le code de votre organisation');
    const de = await (await get(`/events/${EDITION}?lang=de`)).text();
    expect(de).toContain(`href="${FORM}?lang=de"`);
    expect(de).toContain('Mit dem Code Ihrer Organisation anmelden');
    const closed = await (await get(`/events/${CLOSED}`)).text();
    expect(closed).toContain('Inscriptions closes');
    expect(closed).not.toContain('/register');
  });

  it('says until when, and stops offering the form once the closing time has passed', async () => {
    const closesAt = new Date(Date.now() + 10 * 24 * 3600 * 1000);
    await t.db.prisma.eventEdition.update({
      where: { slug: EDITION },
      data: { registrationClosesAt: closesAt },
    });
    const day = new Intl.DateTimeFormat('fr-u-ca-gregory-nu-latn', {
      dateStyle: 'long',
      timeZone: 'Europe/Luxembourg',
    }).format(closesAt);
    expect(await (await get(`/events/${EDITION}`)).text()).toContain(`Inscriptions ouvertes jusqu’au ${day}`);
    // Still OPEN, but the closing time is past: the page and the form say closed alike.
    await t.db.prisma.eventEdition.update({
      where: { slug: EDITION },
      data: { registrationClosesAt: new Date(Date.now() - 60_000) },
    });
    try {
      const page = await (await get(`/events/${EDITION}`)).text();
      expect(page).toContain('Inscriptions closes');
      expect(page).not.toContain('/register');
      const form = await (await get(FORM)).text();
      expect(form).toContain('Les inscriptions à cet événement sont closes.');
      expect(form).not.toContain('<form');
    } finally {
      await t.db.prisma.eventEdition.update({
        where: { slug: EDITION },
        data: { registrationClosesAt: null },
      });
    }
  });
});
