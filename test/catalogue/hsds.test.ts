/**
 * The HSDS 3.0 interop: every document the read-only API serves validates against the official
 * Open Referral schemas (compiled service/organization and their list shapes, taxonomy and
 * taxonomy_term, the openapi's Page wrapper); only published offers are ever served; search,
 * filters and pages are right; bad parameters answer 400 naming them. Then the import: the
 * official examples import cleanly, twice is a no-op, changes are logged, invalid services are
 * rejected without writing anything, and what the API serves imports back.
 */
import { readdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Prisma, type PrismaClient } from '../../src/generated/prisma/client.ts';
import { importHsds } from '../../src/modules/catalogue/hsds/hsds.import.ts';
import { HSDS_DIR, officialSchemas, readJson, type Doc } from '../helpers/hsds-schemas.ts';
import { startTestHub, type TestHub } from '../helpers/hub.ts';

let t: TestHub;
let prisma: PrismaClient;
let base: string;
let errorsOf: ReturnType<typeof officialSchemas>;

interface Response {
  status: number;
  headers: Headers;
  body: Doc;
}

async function get(path: string, init?: RequestInit): Promise<Response> {
  const res = await fetch(`${base}${path}`, init);
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? (JSON.parse(text) as Doc) : {} };
}

/** GET that must answer 200 with a document valid against `schema`. */
async function valid(path: string, schema: string): Promise<Doc> {
  const res = await get(path);
  expect({ path, status: res.status }).toEqual({ path, status: 200 });
  expect({ path, errors: errorsOf(schema, res.body) }).toEqual({ path, errors: [] });
  return res.body;
}

const idsOf = (page: Doc) => (page.contents as Doc[]).map((d) => d.id as string).sort();

/** The little catalogue every API test reads. */
const c = {} as Record<
  | 'alpha'
  | 'beta'
  | 'health'
  | 'mental'
  | 'housing'
  | 'gare'
  | 'esch'
  | 'secret'
  | 'counselling'
  | 'housingHelp'
  | 'german'
  | 'draft'
  | 'withdrawn'
  | 'paused'
  | 'betaDraft',
  string
>;

async function seedCatalogue() {
  const theme = (code: string, fr: string, de: string, parentId?: string) =>
    prisma.theme.create({ data: { code, label: { fr, de }, parentId } }).then((r) => r.id);
  c.health = await theme('health', 'Santé', 'Gesundheit');
  c.mental = await theme('health.mental_health', 'Santé mentale', 'Psychische Gesundheit', c.health);
  c.housing = await theme('housing', 'Logement', 'Wohnen');

  const org = (slug: string, name: string) =>
    prisma.organisation
      .create({
        data: {
          slug,
          name,
          legalForm: 'asbl',
          description: { fr: `${name} accompagne les personnes.`, de: `${name} begleitet Menschen.` },
          website: 'https://alpha.example.lu',
          email: 'contact@alpha.example.lu',
          phone: '+352 40 12 34',
        },
      })
      .then((r) => r.id);
  c.alpha = await org('alpha', 'Alpha asbl');
  c.beta = await org('beta', 'Beta asbl');

  const site = (name: string, data: Partial<Prisma.SiteUncheckedCreateInput>) =>
    prisma.site
      .create({ data: { organisationId: c.alpha, name, commune: 'Luxembourg', ...data } })
      .then((r) => r.id);
  c.gare = await site('Antenne Gare', {
    street: '12, rue de Strasbourg',
    postcode: 'L-2560',
    quarter: 'Gare',
    latitude: 49.6004,
    longitude: 6.1291,
    wheelchairAccessible: true,
    accessibility: { fr: 'Entrée de plain-pied, boucle magnétique.', de: 'Ebenerdiger Eingang.' },
    openingHours: [
      { weekday: 1, opens: '09:00', closes: '12:00' },
      { weekday: 3, opens: '09:00', closes: '12:00' },
      { weekday: 3, opens: '14:00', closes: '17:00' },
    ],
  });
  c.esch = await site('Antenne Esch', {
    commune: 'Esch-sur-Alzette',
    street: '3, rue de l’Alzette',
    postcode: 'L-4011',
  });
  c.secret = await site('Foyer (adresse confidentielle)', { street: 'Rue secrète 1' });

  const offer = (
    title: Prisma.InputJsonObject,
    status: 'DRAFT' | 'PUBLISHED' | 'PAUSED' | 'WITHDRAWN',
    data: Partial<Prisma.OfferUncheckedCreateInput> = {},
    organisationId = c.alpha,
  ) =>
    prisma.offer
      .create({
        data: {
          organisationId,
          title,
          status,
          publishedAt: status === 'PUBLISHED' ? new Date() : null,
          ...data,
        },
      })
      .then((r) => r.id);
  c.counselling = await offer(
    { fr: 'Consultation santé mentale', de: 'Psychologische Beratung' },
    'PUBLISHED',
    {
      description: { fr: 'Écoute et orientation, sans jugement.', de: 'Zuhören und Orientierung.' },
      eligibility: { fr: 'Adultes résidant au Luxembourg.' },
      minAge: 18,
      languages: ['de', 'fr', 'pt'],
      serviceArea: ['Luxembourg', 'Strassen'],
      schedule: [
        {
          freq: 'WEEKLY',
          byday: ['MO', 'WE'],
          opensAt: '09:00',
          closesAt: '12:00',
          validFrom: '2026-01-01',
          description: [
            { language: 'fr', text: 'Sans rendez-vous' },
            { language: 'de', text: 'Ohne Termin' },
          ],
        },
      ],
      contactName: 'Accueil',
      contactEmail: 'ecoute@alpha.example.lu',
      contactPhone: '+352 40 12 35',
      website: 'https://alpha.example.lu/ecoute',
      capacityPlaces: 10,
      capacityFree: 3,
      waitlist: true,
      capacityUpdatedAt: new Date('2026-03-01T08:00:00Z'),
      acceptsReferrals: true,
      referralRequirements: { fr: 'Motif de la demande.' },
      audiences: ['ADULTS'],
      themes: { connect: [{ id: c.mental }] },
      sites: { connect: [{ id: c.gare }] },
    },
  );
  c.housingHelp = await offer({ fr: 'Aide au logement' }, 'PUBLISHED', {
    costKind: 'INCOME_BASED',
    costDescription: { fr: 'Participation selon les revenus.' },
    themes: { connect: [{ id: c.housing }] },
    sites: { connect: [{ id: c.esch }] },
  });
  c.german = await offer({ de: 'Gesundheitsberatung für Familien' }, 'PUBLISHED', {
    serviceArea: ['Esch-sur-Alzette'],
    themes: { connect: [{ id: c.health }] },
  });
  const hidden = { themes: { connect: [{ id: c.health }] }, sites: { connect: [{ id: c.secret }] } };
  c.draft = await offer({ fr: 'Santé : brouillon' }, 'DRAFT', hidden);
  c.withdrawn = await offer({ fr: 'Santé : retirée' }, 'WITHDRAWN', hidden);
  c.paused = await offer({ fr: 'Santé : en pause' }, 'PAUSED', hidden);
  c.betaDraft = await offer(
    { fr: 'Santé chez Beta' },
    'DRAFT',
    { themes: { connect: [{ id: c.health }] } },
    c.beta,
  );
}

beforeAll(async () => {
  t = await startTestHub();
  prisma = t.db.prisma;
  base = t.graphqlUrl.replace(/\/graphql$/, '');
  errorsOf = officialSchemas();
  await seedCatalogue();
}, 60_000);
afterAll(() => t.close());

const PUBLISHED = () => [c.counselling, c.housingHelp, c.german].sort();

describe('HSDS API: documents validate against the official schemas', () => {
  it('serves the API root', async () => {
    const root = await valid('/hsds/', 'root');
    expect(root).toMatchObject({ version: '3.0' });
    expect(await valid('/hsds', 'root')).toEqual(root);
  });

  it('every list, item and page validates', async () => {
    const checks: [string, string][] = [
      ['/hsds/services', 'page:compiled/service_list'],
      ['/hsds/services?full=true', 'page:compiled/service'],
      ['/hsds/services?per_page=1&page=2', 'page:compiled/service_list'],
      ['/hsds/services?search=sante', 'page:compiled/service_list'],
      [`/hsds/services?taxonomy_term_id=${c.health}&full=true`, 'page:compiled/service'],
      [`/hsds/services?organization_id=${c.beta}`, 'page:compiled/service_list'],
      ['/hsds/services?modified_after=2000-01-01T00:00:00Z', 'page:compiled/service_list'],
      ['/hsds/services?page=9', 'page:compiled/service_list'],
      ['/hsds/organizations', 'page:compiled/organization_list'],
      ['/hsds/organizations?full=true&full_service=true', 'page:compiled/organization'],
      ['/hsds/organizations?search=alpha', 'page:compiled/organization_list'],
      [`/hsds/organizations/${c.alpha}`, 'compiled/organization'],
      [`/hsds/organizations/${c.alpha}?full_service=true`, 'compiled/organization'],
      ['/hsds/taxonomies', 'page:taxonomy'],
      ['/hsds/taxonomy_terms', 'page:taxonomy_term'],
      [`/hsds/taxonomy_terms?parent_id=${c.health}`, 'page:taxonomy_term'],
      [`/hsds/taxonomy_terms/${c.mental}`, 'taxonomy_term'],
    ];
    for (const id of PUBLISHED()) checks.push([`/hsds/services/${id}`, 'compiled/service']);
    for (const [path, schema] of checks) await valid(path, schema);
    const taxonomies = await valid('/hsds/taxonomies', 'page:taxonomy');
    const taxonomyId = (taxonomies.contents as Doc[])[0]!.id as string;
    await valid(`/hsds/taxonomies/${taxonomyId}`, 'taxonomy');
  }, 60_000);

  it('maps an offer to a full service: French first, translations, schedules, locations, themes, extras', async () => {
    const s = await valid(`/hsds/services/${c.counselling}`, 'compiled/service');
    expect(s).toMatchObject({
      id: c.counselling,
      organization_id: c.alpha,
      name: 'Consultation santé mentale',
      description: 'Écoute et orientation, sans jugement.',
      status: 'active',
      url: 'https://alpha.example.lu/ecoute',
      email: 'ecoute@alpha.example.lu',
      eligibility_description: 'Adultes résidant au Luxembourg.',
      minimum_age: 18,
      x_translations: {
        name: { fr: 'Consultation santé mentale', de: 'Psychologische Beratung' },
        description: { fr: 'Écoute et orientation, sans jugement.', de: 'Zuhören und Orientierung.' },
      },
      x_capacity: { places: 10, free_places: 3, waitlist: true, updated_at: '2026-03-01T08:00:00.000Z' },
      x_accepts_referrals: true,
      schedules: [
        {
          freq: 'WEEKLY',
          byday: 'MO,WE',
          opens_at: '09:00',
          closes_at: '12:00',
          valid_from: '2026-01-01',
          description: 'Sans rendez-vous',
          x_translations: { description: { fr: 'Sans rendez-vous', de: 'Ohne Termin' } },
        },
      ],
      service_areas: [{ name: 'Luxembourg' }, { name: 'Strassen' }],
      languages: [{ code: 'de' }, { code: 'fr' }, { code: 'pt' }],
      contacts: [
        { name: 'Accueil', email: 'ecoute@alpha.example.lu', phones: [{ number: '+352 40 12 35' }] },
      ],
      organization: { id: c.alpha, name: 'Alpha asbl' },
      attributes: [
        {
          taxonomy_term_id: c.mental,
          taxonomy_term: {
            id: c.mental,
            code: 'health.mental_health',
            name: 'Santé mentale',
            parent_id: c.health,
            taxonomy: 'maillage-themes',
          },
        },
      ],
    });
    const [sal] = s.service_at_locations as Doc[];
    expect(sal).toMatchObject({
      location_id: c.gare,
      location: {
        id: c.gare,
        name: 'Antenne Gare',
        latitude: 49.6004,
        longitude: 6.1291,
        addresses: [
          {
            address_1: '12, rue de Strasbourg',
            city: 'Luxembourg',
            region: 'Gare',
            postal_code: 'L-2560',
            country: 'LU',
          },
        ],
        accessibility: [{ description: 'Entrée de plain-pied, boucle magnétique.' }],
        schedules: [
          { byday: 'MO,WE', opens_at: '09:00', closes_at: '12:00' },
          { byday: 'WE', opens_at: '14:00', closes_at: '17:00' },
        ],
      },
    });
    // stable ids for nested objects: the same on every request
    const again = await get(`/hsds/services/${c.counselling}`);
    expect(again.body).toEqual(s);
  });

  it('falls back to another language when there is no French', async () => {
    const s = await valid(`/hsds/services/${c.german}`, 'compiled/service');
    expect(s.name).toBe('Gesundheitsberatung für Familien');
  });

  it('answers JSON, open to any origin, GET and HEAD only', async () => {
    const res = await get('/hsds/services');
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    const head = await fetch(`${base}/hsds/services`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
    for (const method of ['POST', 'PUT', 'DELETE', 'PATCH']) {
      const r = await get('/hsds/services', { method, body: method === 'DELETE' ? undefined : '{}' });
      expect({ method, status: r.status }).toEqual({ method, status: 405 });
      expect(r.headers.get('allow')).toContain('GET');
      expect(r.body.error).toEqual(expect.any(String));
    }
    expect((await get('/hsds/nothing-here')).status).toBe(404);
    const preflight = await fetch(`${base}/hsds/services`, {
      method: 'OPTIONS',
      headers: { origin: 'https://guide.example', 'access-control-request-method': 'GET' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('*');
  });
});

describe('HSDS API: only the published catalogue', () => {
  it('lists published offers only', async () => {
    expect(idsOf(await valid('/hsds/services', 'page:compiled/service_list'))).toEqual(PUBLISHED());
  });

  it('drafts, paused and withdrawn offers read as unknown', async () => {
    for (const id of [c.draft, c.withdrawn, c.paused, c.betaDraft, '0190a000-0000-7000-8000-000000000000']) {
      const res = await get(`/hsds/services/${id}`);
      expect({ id, status: res.status }).toEqual({ id, status: 404 });
      expect(res.body.error).toEqual(expect.any(String));
    }
  });

  it('lists organisations with a published offer; their documents hold published things only', async () => {
    expect(idsOf(await valid('/hsds/organizations', 'page:compiled/organization_list'))).toEqual([c.alpha]);
    expect((await get(`/hsds/organizations/${c.beta}`)).status).toBe(404);
    const org = await valid(`/hsds/organizations/${c.alpha}?full_service=true`, 'compiled/organization');
    expect(org).toMatchObject({ name: 'Alpha asbl', description: 'Alpha asbl accompagne les personnes.' });
    expect((org.services as Doc[]).map((s) => s.id).sort()).toEqual(PUBLISHED());
    // the site used only by drafts stays unknown
    expect((org.locations as Doc[]).map((l) => l.id).sort()).toEqual([c.gare, c.esch].sort());
  });

  it('serves the themes as one taxonomy with a hierarchy', async () => {
    const terms = await valid('/hsds/taxonomy_terms', 'page:taxonomy_term');
    expect(terms.total_items).toBe(3);
    const mental = (terms.contents as Doc[]).find((term) => term.id === c.mental);
    expect(mental).toMatchObject({
      code: 'health.mental_health',
      name: 'Santé mentale',
      parent_id: c.health,
      taxonomy: 'maillage-themes',
      x_translations: { name: { fr: 'Santé mentale', de: 'Psychische Gesundheit' } },
    });
    expect(idsOf(await valid(`/hsds/taxonomy_terms?parent_id=${c.health}`, 'page:taxonomy_term'))).toEqual([
      c.mental,
    ]);
    expect(idsOf(await valid('/hsds/taxonomy_terms?top_only=true', 'page:taxonomy_term'))).toEqual(
      [c.health, c.housing].sort(),
    );
  });
});

describe('HSDS API: search, filters, pages', () => {
  const ids = async (query: string) =>
    idsOf(await valid(`/hsds/services?${query}`, 'page:compiled/service_list'));

  it('searches the text accent-insensitively, in French and German', async () => {
    expect(await ids('search=sante')).toEqual([c.counselling]);
    expect(await ids('search=Sant%C3%A9')).toEqual([c.counselling]);
    expect(await ids('search=beratung')).toEqual([c.counselling]);
    expect(await ids('search=logement')).toEqual([c.housingHelp]);
    expect(await ids('search=zzzyx')).toEqual([]);
  });

  it('filters by theme, sub-themes included', async () => {
    expect(await ids(`taxonomy_term_id=${c.health}`)).toEqual([c.counselling, c.german].sort());
    expect(await ids(`taxonomy_term_id=${c.mental}`)).toEqual([c.counselling]);
    expect(await ids(`taxonomy_term_id=${c.housing}&search=sante`)).toEqual([]);
  });

  it('filters by organisation and by modification time', async () => {
    expect(await ids(`organization_id=${c.alpha}`)).toEqual(PUBLISHED());
    expect(await ids(`organization_id=${c.beta}`)).toEqual([]);
    expect(await ids('modified_after=2000-01-01')).toEqual(PUBLISHED());
    expect(await ids('modified_after=2999-01-01T00:00:00Z')).toEqual([]);
    // an unencoded "+" offset arrives as a space, and still reads as one
    expect(await ids('modified_after=2000-01-01T00:00:00+01:00')).toEqual(PUBLISHED());
  });

  it('a change to a site counts as a change to the services there', async () => {
    const since = new Date(Date.now() + 1);
    await new Promise((r) => setTimeout(r, 20));
    await prisma.site.update({ where: { id: c.esch }, data: { postcode: 'L-4012' } });
    expect(await ids(`modified_after=${encodeURIComponent(since.toISOString())}`)).toEqual([c.housingHelp]);
  });

  it('pages: totals, flags, no overlap, past the end is empty', async () => {
    const page = (n: number) => valid(`/hsds/services?per_page=2&page=${n}`, 'page:compiled/service_list');
    const [one, two, three] = [await page(1), await page(2), await page(3)];
    expect(one).toMatchObject({
      total_items: 3,
      total_pages: 2,
      page_number: 1,
      size: 2,
      first_page: true,
      last_page: false,
      empty: false,
    });
    expect(two).toMatchObject({
      total_items: 3,
      total_pages: 2,
      page_number: 2,
      size: 1,
      first_page: false,
      last_page: true,
      empty: false,
    });
    expect(three).toMatchObject({ total_items: 3, page_number: 3, size: 0, empty: true, contents: [] });
    expect([...idsOf(one), ...idsOf(two)].sort()).toEqual(PUBLISHED());
    const all = await valid('/hsds/services', 'page:compiled/service_list');
    expect(all).toMatchObject({ total_items: 3, total_pages: 1, size: 3, first_page: true, last_page: true });
    const none = await valid(`/hsds/services?organization_id=${c.beta}`, 'page:compiled/service_list');
    expect(none).toMatchObject({ total_items: 0, size: 0, empty: true, contents: [] });
  });

  it.each([
    ['page=0', 'page'],
    ['page=abc', 'page'],
    ['page=-1', 'page'],
    ['per_page=1000', 'per_page'],
    ['per_page=0', 'per_page'],
    ['per_page=2.5', 'per_page'],
    ['modified_after=yesterday', 'modified_after'],
    ['modified_after=2026-02-30', 'modified_after'],
    ['taxonomy_term_id=housing', 'taxonomy_term_id'],
    ['organization_id=42', 'organization_id'],
    ['full=yes', 'full'],
    ['page=1&page=2', 'page'],
  ])('?%s answers 400 naming %s', async (query, parameter) => {
    const res = await get(`/hsds/services?${query}`);
    expect(res.status).toBe(400);
    expect(res.body.error).toContain(`"${parameter}"`);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
  });

  it('a malformed id answers 400, an unknown one 404', async () => {
    for (const collection of ['services', 'organizations', 'taxonomies', 'taxonomy_terms']) {
      const res = await get(`/hsds/${collection}/not-a-uuid`);
      expect({ collection, status: res.status }).toEqual({ collection, status: 400 });
      expect(res.body.error).toContain('id');
      const unknown = await get(`/hsds/${collection}/0190a000-0000-7000-8000-000000000000`);
      expect({ collection, status: unknown.status }).toEqual({ collection, status: 404 });
    }
  });
});

describe('HSDS import', () => {
  let n = 0;
  const newOrg = async () => {
    n++;
    return (await prisma.organisation.create({ data: { slug: `import-${n}`, name: `Import ${n}` } })).id;
  };
  const emptyReport = { created: [], updated: [], unchanged: [], rejected: [] };

  // base.json is the API root and tabular.json the CSV-like tabular form: not documents to import.
  const WITH_SERVICE = [
    'service_full.json',
    'service_list.json',
    'organization_full.json',
    'service_at_location_full.json',
    'service_at_location_list.json',
  ];
  const examples = readdirSync(`${HSDS_DIR}examples`).filter(
    (f) => !['base.json', 'tabular.json'].includes(f),
  );

  it.each(examples)(
    'the official example %s imports cleanly',
    async (file) => {
      const orgId = await newOrg();
      const report = await importHsds(prisma, orgId, readJson(`examples/${file}`));
      expect(report.rejected).toEqual([]);
      if (WITH_SERVICE.includes(file)) {
        expect(report.created).toContainEqual({
          type: 'Offer',
          hsdsId: 'ac148810-d857-441c-9679-408f346de14b',
          id: expect.any(String),
        });
        const offer = await prisma.offer.findFirstOrThrow({ where: { organisationId: orgId } });
        expect(offer.title).toEqual({ fr: 'Community Counselling' });
      }
      // again: nothing to do
      const again = await importHsds(prisma, orgId, readJson(`examples/${file}`));
      expect({ ...again, unchanged: [], warnings: [] }).toEqual({ ...emptyReport, warnings: [] });
      expect(again.unchanged.length).toBe(report.created.length);
    },
    60_000,
  );

  it('the full example maps its fields; in English with --lang en; unknown terms and places are reported', async () => {
    const orgId = await newOrg();
    const report = await importHsds(prisma, orgId, readJson('examples/service_full.json'), {
      language: 'en',
    });
    const offer = await prisma.offer.findFirstOrThrow({
      where: { organisationId: orgId },
      include: { themes: true, sites: true },
    });
    expect(offer).toMatchObject({
      title: { en: 'Community Counselling' },
      status: 'DRAFT', // active, but no theme nor site in Luxembourg: not publishable
      minAge: 12,
      maxAge: 100,
      languages: ['ur'],
      costKind: 'PAID',
      website: 'http://example.com/counselling',
      contactEmail: 'email@example.com',
    });
    // the service's schedule and its service_at_location's
    expect(offer.schedule).toHaveLength(2);
    expect((offer.schedule as Doc[])[0]).toMatchObject({
      freq: 'WEEKLY',
      byday: ['TH', 'FR'],
      opensAt: '10:00',
      closesAt: '18:00',
      validFrom: '2005-01-01',
      validTo: '2005-01-01',
    });
    expect(offer.themes).toEqual([]);
    expect(offer.sites).toEqual([]);
    const messages = report.warnings.map((w) => w.message).join('\n');
    expect(messages).toContain('unknown taxonomy term code "code"');
    expect(messages).toContain('"MyCity, MyRegion, MyState" is not a commune of Luxembourg: site skipped');
    expect(messages).toContain('imported as a draft');
  });

  /** A small Luxembourg service, as a partner system would send it. */
  const luxService = (over: Doc = {}): Doc => ({
    id: '0f3c8a52-6a1e-4c1b-9d7e-2b8f4e6a1c01',
    name: 'Permanence juridique',
    description: 'Conseils juridiques gratuits.',
    status: 'active',
    minimum_age: 16,
    eligibility_description: 'Toute personne résidant au Luxembourg.',
    languages: [
      { id: 'a1f3c8a5-6a1e-4c1b-9d7e-2b8f4e6a1c02', code: 'fr' },
      { id: 'a1f3c8a5-6a1e-4c1b-9d7e-2b8f4e6a1c03', code: 'LB' },
    ],
    schedules: [
      {
        id: 'a1f3c8a5-6a1e-4c1b-9d7e-2b8f4e6a1c04',
        freq: 'WEEKLY',
        byday: 'TU,TH',
        opens_at: '14:00',
        closes_at: '16:30',
      },
    ],
    service_areas: [{ id: 'a1f3c8a5-6a1e-4c1b-9d7e-2b8f4e6a1c05', name: 'Hesperange' }],
    cost_options: [{ id: 'a1f3c8a5-6a1e-4c1b-9d7e-2b8f4e6a1c06', amount: 0, currency: 'EUR' }],
    attributes: [
      {
        id: 'a1f3c8a5-6a1e-4c1b-9d7e-2b8f4e6a1c07',
        taxonomy_term: {
          id: 'a1f3c8a5-6a1e-4c1b-9d7e-2b8f4e6a1c08',
          code: 'housing',
          name: 'Housing',
          description: 'x',
        },
      },
      {
        id: 'a1f3c8a5-6a1e-4c1b-9d7e-2b8f4e6a1c09',
        taxonomy_term: {
          id: 'a1f3c8a5-6a1e-4c1b-9d7e-2b8f4e6a1c0a',
          code: 'legal.aid',
          name: 'Legal aid',
          description: 'x',
        },
      },
    ],
    service_at_locations: [
      {
        id: 'a1f3c8a5-6a1e-4c1b-9d7e-2b8f4e6a1c0b',
        location: {
          id: '5b7d2e10-3c4f-4a6b-8c9d-0e1f2a3b4c5d',
          location_type: 'physical',
          name: 'Maison sociale',
          latitude: 49.61,
          longitude: 6.13,
          addresses: [
            {
              id: 'a1f3c8a5-6a1e-4c1b-9d7e-2b8f4e6a1c0c',
              address_1: '5, rue du Fort Wallis',
              city: 'Bonnevoie',
              region: 'Luxembourg',
              state_province: 'Luxembourg',
              postal_code: 'L-2714',
              country: 'LU',
              address_type: 'physical',
            },
          ],
        },
      },
    ],
    ...over,
  });

  it('creates sites, links known themes, publishes an active, complete service', async () => {
    const orgId = await newOrg();
    const report = await importHsds(prisma, orgId, luxService());
    expect(report.rejected).toEqual([]);
    expect(report.created.map((e) => e.type).sort()).toEqual(['Offer', 'Site']);
    const offer = await prisma.offer.findFirstOrThrow({
      where: { organisationId: orgId },
      include: { themes: true, sites: true },
    });
    expect(offer).toMatchObject({
      hsdsId: '0f3c8a52-6a1e-4c1b-9d7e-2b8f4e6a1c01',
      title: { fr: 'Permanence juridique' },
      status: 'PUBLISHED',
      publishedAt: expect.any(Date),
      languages: ['fr', 'lb'],
      serviceArea: ['Hesperange'],
      costKind: 'FREE',
      minAge: 16,
      version: 1,
      schedule: [{ freq: 'WEEKLY', byday: ['TU', 'TH'], opensAt: '14:00', closesAt: '16:30' }],
    });
    expect(offer.themes.map((th) => th.code)).toEqual(['housing']);
    expect(offer.sites).toMatchObject([
      {
        hsdsId: '5b7d2e10-3c4f-4a6b-8c9d-0e1f2a3b4c5d',
        commune: 'Luxembourg',
        quarter: 'Bonnevoie',
        postcode: 'L-2714',
        street: '5, rue du Fort Wallis',
        latitude: 49.61,
      },
    ]);
    expect(report.warnings).toEqual([
      expect.objectContaining({ message: expect.stringContaining('"legal.aid"') }),
    ]);
    const changes = await prisma.catalogueChange.findMany({
      where: { organisationId: orgId },
      orderBy: { entityType: 'asc' },
    });
    expect(changes.map((ch) => [ch.entityType, ch.action, ch.before])).toEqual([
      ['Offer', 'IMPORT', null],
      ['Site', 'IMPORT', null],
    ]);
    expect(changes[0]!.fields).toEqual(
      expect.arrayContaining(['title', 'status', 'themes', 'siteIds', 'schedule']),
    );
    // and it is served
    const served = await valid(`/hsds/services/${offer.id}`, 'compiled/service');
    expect(served).toMatchObject({ name: 'Permanence juridique', service_areas: [{ name: 'Hesperange' }] });
  });

  it('a changed name updates in place, bumps the version and logs before and after', async () => {
    const orgId = await newOrg();
    await importHsds(prisma, orgId, luxService());
    const before = await prisma.offer.findFirstOrThrow({ where: { organisationId: orgId } });
    const report = await importHsds(prisma, orgId, luxService({ name: 'Permanence juridique gratuite' }), {
      actorUserId: undefined,
    });
    expect(report).toMatchObject({
      created: [],
      updated: [{ type: 'Offer', hsdsId: '0f3c8a52-6a1e-4c1b-9d7e-2b8f4e6a1c01', id: before.id }],
      unchanged: [{ type: 'Site' }],
      rejected: [],
    });
    const after = await prisma.offer.findUniqueOrThrow({ where: { id: before.id } });
    expect(after).toMatchObject({
      version: before.version + 1,
      title: { fr: 'Permanence juridique gratuite' },
    });
    const change = await prisma.catalogueChange.findFirstOrThrow({
      where: { entityId: before.id, action: 'IMPORT', before: { not: Prisma.DbNull } },
    });
    expect(change).toMatchObject({
      entityType: 'Offer',
      offerId: before.id,
      fields: ['title'],
      before: { title: { fr: 'Permanence juridique' } },
      after: { title: { fr: 'Permanence juridique gratuite' } },
    });
    // other languages the organisation added are kept
    await prisma.offer.update({
      where: { id: before.id },
      data: { title: { fr: 'Permanence juridique gratuite', de: 'Rechtsberatung' } },
    });
    expect(
      (await importHsds(prisma, orgId, luxService({ name: 'Permanence juridique gratuite' }))).updated,
    ).toEqual([]);
  });

  it('an invalid service is rejected with its reason and writes nothing; the rest imports', async () => {
    const orgId = await newOrg();
    const nameless = luxService({ id: '11111111-2222-4333-8444-555555555555' });
    delete nameless.name;
    const badTime = luxService({
      id: '11111111-2222-4333-8444-666666666666',
      schedules: [
        {
          id: 'a1f3c8a5-6a1e-4c1b-9d7e-2b8f4e6a1c10',
          freq: 'WEEKLY',
          byday: 'MO',
          opens_at: '25:00',
          closes_at: '26:00',
        },
      ],
      service_at_locations: [
        {
          id: 'a1f3c8a5-6a1e-4c1b-9d7e-2b8f4e6a1c11',
          location: {
            ...((luxService().service_at_locations as Doc[])[0]!.location as Doc),
            id: '99999999-2222-4333-8444-666666666666',
          },
        },
      ],
    });
    const badAges = luxService({
      id: '11111111-2222-4333-8444-777777777777',
      minimum_age: 40,
      maximum_age: 20,
    });
    const notUuid = luxService({ id: 'not-a-uuid' });
    const report = await importHsds(prisma, orgId, [nameless, luxService(), badTime, badAges, notUuid]);
    expect(report.created.filter((e) => e.type === 'Offer').map((e) => e.hsdsId)).toEqual([
      '0f3c8a52-6a1e-4c1b-9d7e-2b8f4e6a1c01',
    ]);
    expect(report.rejected).toEqual([
      {
        hsdsId: '11111111-2222-4333-8444-555555555555',
        path: '$[0]',
        reason: expect.stringContaining('name is required'),
      },
      { hsdsId: 'not-a-uuid', path: '$[4]', reason: expect.stringContaining('id must match format "uuid"') },
      {
        hsdsId: '11111111-2222-4333-8444-666666666666',
        path: '$[2].schedules[0].opens_at',
        reason: expect.stringContaining('"25:00" is not a time'),
      },
      {
        hsdsId: '11111111-2222-4333-8444-777777777777',
        path: '$[3].maximum_age',
        reason: 'maximum_age is below minimum_age',
      },
    ]);
    const offers = await prisma.offer.findMany({ where: { organisationId: orgId } });
    expect(offers.map((o) => o.hsdsId)).toEqual(['0f3c8a52-6a1e-4c1b-9d7e-2b8f4e6a1c01']);
    // nor the rejected service's own site
    expect(
      await prisma.site.count({
        where: { organisationId: orgId, hsdsId: '99999999-2222-4333-8444-666666666666' },
      }),
    ).toBe(0);
    const logged = await prisma.catalogueChange.findMany({ where: { organisationId: orgId } });
    expect(logged.map((l) => l.entityType).sort()).toEqual(['Offer', 'Site']);
  });

  it('a draft unless active; a dry run writes nothing', async () => {
    const orgId = await newOrg();
    const dry = await importHsds(prisma, orgId, luxService(), { dryRun: true });
    expect(dry.created).toHaveLength(2);
    expect(await prisma.offer.count({ where: { organisationId: orgId } })).toBe(0);
    expect(await prisma.site.count({ where: { organisationId: orgId } })).toBe(0);
    expect(await prisma.catalogueChange.count({ where: { organisationId: orgId } })).toBe(0);
    await importHsds(prisma, orgId, luxService({ status: 'inactive' }));
    expect(await prisma.offer.findFirstOrThrow({ where: { organisationId: orgId } })).toMatchObject({
      status: 'DRAFT',
      publishedAt: null,
    });
  });

  it('what the API serves imports back into another organisation, translations and all', async () => {
    const served = await valid(`/hsds/organizations/${c.alpha}?full_service=true`, 'compiled/organization');
    const orgId = await newOrg();
    const report = await importHsds(prisma, orgId, served);
    expect(report.rejected).toEqual([]);
    expect(report.created.filter((e) => e.type === 'Offer')).toHaveLength(3);
    const copy = await prisma.offer.findFirstOrThrow({
      where: { organisationId: orgId, hsdsId: c.counselling },
      include: { themes: true, sites: true },
    });
    const original = await prisma.offer.findUniqueOrThrow({ where: { id: c.counselling } });
    expect(copy).toMatchObject({
      status: 'PUBLISHED',
      title: original.title,
      description: original.description,
      eligibility: original.eligibility,
      languages: original.languages,
      serviceArea: original.serviceArea,
      schedule: original.schedule,
      minAge: 18,
      contactPhone: '+352 40 12 35',
    });
    expect(copy.themes.map((th) => th.id)).toEqual([c.mental]);
    expect(copy.sites).toMatchObject([
      {
        name: 'Antenne Gare',
        commune: 'Luxembourg',
        quarter: 'Gare',
        wheelchairAccessible: true,
        accessibility: { fr: 'Entrée de plain-pied, boucle magnétique.', de: 'Ebenerdiger Eingang.' },
      },
    ]);
    expect((await importHsds(prisma, orgId, served)).updated).toEqual([]);
  });

  it('refuses an unknown organisation', async () => {
    await expect(importHsds(prisma, '0190a000-0000-7000-8000-000000000000', luxService())).rejects.toThrow(
      'No organisation',
    );
  });
});
