/**
 * Drafting a referral as a partner integrator does, over HTTP: the sending organisation is
 * inferred when the caller acts for only one (a case worker of one organisation, an API client);
 * several is a typed error naming the choices; a referral needs the person's initials or name and
 * a way to reach them, answered as invalid fields (also through the service, for the CLI and jobs).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { encodeGlobalID } from '@pothos/plugin-relay';
import {
  ConsoleCreateReferralDocument,
  CreateReferralDocument,
  UpdateReferralDraftDocument,
  type CreateReferralMutationVariables,
} from '../../clients/generated/graphql.ts';
import { createApiClient } from '../../src/modules/accounts/api-client.service.ts';
import { signUserToken } from '../../src/modules/accounts/signing-keys.service.ts';
import { createReferral } from '../../src/modules/referrals/referral.service.ts';
import { InvalidInputError } from '../../src/shared/errors.ts';
import { seedAlphaCatalogue, seedThemes } from '../helpers/catalogue-fixtures.ts';
import { seedScenario, seedThirdOrganisation, type Scenario } from '../helpers/fixtures.ts';
import { startTestHub, type TestHub } from '../helpers/hub.ts';

let t: TestHub;
let s: Scenario;
let shelter: { id: string; globalId: string };
let gamma: { id: string; globalId: string };
/** Sam: case worker of beta and of gamma. */
let samToken: string;

type Input = CreateReferralMutationVariables['input'];
const input = (more: Partial<Input> = {}): Input => ({
  offerId: shelter.globalId,
  needs: 'Hébergement pour une famille',
  person: { initials: 'M. K.', contactChannel: 'PHONE', contact: '+352 621 000 000' },
  consentPurpose: 'Orientation vers un hébergement',
  ...more,
});

beforeAll(async () => {
  t = await startTestHub();
  s = await seedScenario(t.db.prisma, t.config);
  await seedThemes(t.db.prisma);
  const { offers } = await seedAlphaCatalogue(t.db.prisma, s);
  shelter = { id: offers.shelter.id, globalId: encodeGlobalID('Offer', offers.shelter.id) };
  const third = await seedThirdOrganisation(t.db.prisma, t.config, ['CASE_WORKER']);
  gamma = { id: third.organisation.id, globalId: encodeGlobalID('Organisation', third.organisation.id) };
  const sam = await t.db.prisma.user.create({
    data: {
      email: 'sam@beta.example',
      name: 'Sam',
      memberships: {
        create: [
          { organisationId: s.org.beta.id, roles: ['CASE_WORKER'] },
          { organisationId: gamma.id, roles: ['CASE_WORKER'] },
        ],
      },
    },
  });
  samToken = await signUserToken(t.db.prisma, sam, {
    issuer: t.config.AUTH_ISSUER,
    audience: t.config.AUTH_AUDIENCE,
    ttlSeconds: 600,
  });
});
afterAll(() => t.close());

describe('the sending organisation', () => {
  it('is inferred for a case worker of one organisation', async () => {
    const res = await t.client(await s.token('bob')).request(CreateReferralDocument, { input: input() });
    expect(res.createReferral).toMatchObject({
      __typename: 'MutationCreateReferralSuccess',
      data: { referral: { senderOrganisation: { slug: 'beta' }, status: 'DRAFT' } },
    });
  });

  it('is inferred for an API client (of its organisation)', async () => {
    const admin = s.viewer('bob');
    const { key } = await createApiClient(t.db.prisma, admin, {
      organisationId: s.org.beta.id,
      name: 'Beta CRM',
      scopes: ['REFERRALS_WRITE'],
    });
    const res = await t.send(CreateReferralDocument, { input: input() }, { token: key });
    expect(res.body.data?.createReferral).toMatchObject({
      data: { referral: { senderOrganisation: { slug: 'beta' } } },
    });
  });

  it('of someone acting for several is a typed error naming the choices; naming one works', async () => {
    const sam = t.client(samToken);
    const before = await t.db.prisma.referral.count();
    const ambiguous = await sam.request(CreateReferralDocument, { input: input() });
    expect(ambiguous.createReferral).toMatchObject({
      __typename: 'AmbiguousOrganisationError',
      code: 'common/organisation_ambiguous',
      field: ['input', 'senderOrganisationId'],
      choices: [
        { id: s.org.beta.globalId, name: 'Organisation beta' },
        { id: gamma.globalId, name: 'Organisation gamma' },
      ],
    });
    if (ambiguous.createReferral.__typename !== 'AmbiguousOrganisationError') throw new Error();
    expect(ambiguous.createReferral.message).toContain('Organisation beta');
    expect(ambiguous.createReferral.message).toContain('Organisation gamma');
    expect(await t.db.prisma.referral.count()).toBe(before);
    const chosen = await sam.request(CreateReferralDocument, {
      input: input({ senderOrganisationId: gamma.globalId }),
    });
    expect(chosen.createReferral).toMatchObject({
      data: { referral: { senderOrganisation: { slug: 'gamma' } } },
    });
  });

  it('of someone who may send for none is forbidden', async () => {
    const res = await t.client(await s.token('hugo')).request(CreateReferralDocument, { input: input() });
    expect(res.createReferral).toMatchObject({ __typename: 'ForbiddenError', code: 'common/forbidden' });
  });
});

describe('the person', () => {
  const fieldsOf = (result: { __typename: string; fields?: { path: string[] }[] }) =>
    (result.fields ?? []).map((f) => f.path.join('.')).sort();

  it('needs initials or a name, and a way to reach them: each missing field is named', async () => {
    const bob = t.client(await s.token('bob'));
    const nothing = await bob.request(CreateReferralDocument, {
      input: input({ person: { birthYear: 1990 } }),
    });
    expect(nothing.createReferral).toMatchObject({
      __typename: 'InvalidInputError',
      code: 'common/invalid_input',
    });
    expect(fieldsOf(nothing.createReferral)).toEqual([
      'input.person.contactChannel',
      'input.person.initials',
      'input.person.name',
    ]);

    const cases: [Input['person'], string[]][] = [
      [{ name: 'Mariam', contactChannel: 'PHONE' }, ['input.person.contact']],
      [{ name: 'Mariam', contactChannel: 'SMS', contact: 'no number' }, ['input.person.contact']],
      [{ name: 'Mariam', contactChannel: 'EMAIL', contact: 'mariam-at-example' }, ['input.person.contact']],
      [{ name: 'Mariam', contactChannel: 'POST' }, ['input.person.contact']],
      [
        { name: '  ', contact: 'mariam@example.lu' },
        ['input.person.contactChannel', 'input.person.initials', 'input.person.name'],
      ],
      [{ initials: 'M.', contactChannel: 'EMAIL', contact: 'mariam@example.lu' }, []],
      [{ initials: 'M.', contactChannel: 'SMS', contact: '+352 621 000 000' }, []],
      [{ name: 'Mariam', contactChannel: 'THROUGH_SENDER' }, []],
      [{ name: 'Mariam', contactChannel: 'IN_PERSON' }, []],
    ];
    for (const [person, fields] of cases) {
      const res = await bob.request(CreateReferralDocument, { input: input({ person }) });
      expect([person, fieldsOf(res.createReferral)]).toEqual([person, fields]);
    }
  });

  it('says why each field is wrong (`reason`), for clients that word it themselves', async () => {
    const bob = t.client(await s.token('bob'));
    const reasons = async (person: Input['person']) => {
      const res = (await bob.request(ConsoleCreateReferralDocument, { input: input({ person }) }))
        .createReferral;
      if (res.__typename !== 'InvalidInputError') throw new Error(JSON.stringify(res));
      return res.fields.map((f) => `${f.path.join('.')} ${f.reason}`).sort();
    };
    await expect(reasons({ birthYear: 1990 })).resolves.toEqual([
      'input.person.contactChannel REQUIRED',
      'input.person.initials REQUIRED',
      'input.person.name REQUIRED',
    ]);
    await expect(reasons({ name: 'Mariam', contactChannel: 'PHONE' })).resolves.toEqual([
      'input.person.contact REQUIRED',
    ]);
    await expect(reasons({ name: 'Mariam', contactChannel: 'SMS', contact: 'no number' })).resolves.toEqual([
      'input.person.contact FORMAT',
    ]);
  });

  it('is checked the same when a draft replaces it', async () => {
    const bob = t.client(await s.token('bob'));
    const created = await bob.request(CreateReferralDocument, { input: input() });
    if (created.createReferral.__typename !== 'MutationCreateReferralSuccess') throw new Error();
    const { id, version } = created.createReferral.data.referral;
    const res = await bob.request(UpdateReferralDraftDocument, {
      input: { id, expectedVersion: version, person: { name: 'Mariam' } },
    });
    expect(res.updateReferralDraft).toMatchObject({ __typename: 'InvalidInputError' });
    expect(fieldsOf(res.updateReferralDraft)).toEqual(['input.person.contactChannel']);
  });

  it('is checked by the service too (the CLI and jobs call it without GraphQL)', async () => {
    const attempt = createReferral(t.db.prisma, s.viewer('bob'), {
      offerId: shelter.id,
      needs: 'Hébergement',
      person: { birthYear: 1990 },
      consent: { purpose: 'Orientation' },
    });
    await expect(attempt).rejects.toBeInstanceOf(InvalidInputError);
    await expect(attempt).rejects.toMatchObject({
      fields: expect.arrayContaining([
        { path: ['input', 'person', 'contactChannel'], message: expect.any(String), reason: 'REQUIRED' },
      ]),
    });
  });
});
