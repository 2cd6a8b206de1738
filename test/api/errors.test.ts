/**
 * Error codes a partner integrator switches on: every error type of the schema, read over HTTP by
 * introspection, documents its code; one code means one thing and one thing has one code, across
 * domains (a referral's version conflict is the catalogue's). Invalid input answers every invalid
 * field at once, in plain words, naming each field.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { encodeGlobalID } from '@pothos/plugin-relay';
import { parse } from 'graphql';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { z } from 'zod';
import {
  ConsoleAdminCreateApiClientDocument,
  CreateOfferDocument,
  CreateReferralDocument,
  CreateWebhookDocument,
  PauseOfferDocument,
  SendReferralDocument,
  UpdateOfferDocument,
  UpdateMemberRolesDocument,
  UpdateReferralDraftDocument,
} from '../../clients/generated/graphql.ts';
import { fieldProblems } from '../../src/modules/common/plain-issues.ts';
import { seedAlphaCatalogue, seedThemes } from '../helpers/catalogue-fixtures.ts';
import { seedScenario, type Scenario } from '../helpers/fixtures.ts';
import { startTestHub, type TestHub } from '../helpers/hub.ts';

/**
 * What each error type means, in a sentence. A new error type fails this test until it is
 * written here: if its meaning is already in the table, use that type (and code) instead.
 */
const MEANINGS: Record<string, string> = {
  NotFoundError: 'the object does not exist or the caller may not see it',
  ForbiddenError: 'the caller sees the object but lacks the right for this action',
  InvalidInputError: 'some input fields are invalid',
  VersionConflictError: 'the object changed since the version the caller read',
  InvalidTransitionError: "the object's status does not allow this step",
  IdempotencyConflictError: 'the idempotency key was used with a different input',
  UnknownThemeError: 'a theme code does not exist',
  AmbiguousOrganisationError: 'the caller acts for several organisations and must say which',
  UnknownCommuneError: 'a commune does not exist in Luxembourg',
  OfferNotPublishableError: 'the offer lacks what publishing needs',
  ConsentMissingError: "the person's consent does not cover this referral",
  OfferNotAcceptingReferralsError: 'the offer does not take referrals',
  OfferFullError: 'the offer has no free place',
  GuideNotPublishableError: 'the guide lacks what publishing needs',
  IdentityRequiredError: "accepting an invitation needs the person's identity-provider token",
  InvitationForAnotherAccountError: "the invitation's address belongs to another account than the caller's",
  AlreadyMemberError: 'the person is already an active member of the organisation',
  InvitationPendingError: 'an invitation to this address is still open',
  LastAdminError: 'the change would leave no active admin',
  SignInByProviderError: "the hub signs people in through their organisation's identity provider",
  SessionEndedError: 'the session is over and the person must sign in again',
  SessionRefreshedError: 'a concurrent request of the same client just used the refresh token',
  SessionFullError: 'a session asked for has no seat left and the waitlist was not asked for',
  InvitationCodeError: "the registration code is not the edition's or has expired",
  AlreadyRegisteredError: 'the address is already registered for the edition',
  RegistrationClosedError: 'the edition does not take registrations',
  BadgeOtherEditionError: 'the badge belongs to another edition',
  TooManyTriesError: 'the address guessed wrong too often and must wait',
};

/** Namespaces: `common/` for meanings shared by domains, else the one domain the meaning belongs to. */
const NAMESPACES = ['common', 'catalogue', 'referral', 'accounts', 'organisations', 'events', 'welcome'];

interface ErrorTypes {
  __type: { possibleTypes: { name: string; description: string | null }[] } | null;
}
const ErrorTypesDocument = parse(
  '{ __type(name: "Error") { possibleTypes { name description } } }',
) as TypedDocumentNode<ErrorTypes, Record<string, never>>;

let t: TestHub;
let s: Scenario;
let shelter: string;

beforeAll(async () => {
  t = await startTestHub();
  s = await seedScenario(t.db.prisma, t.config);
  await seedThemes(t.db.prisma);
  shelter = encodeGlobalID('Offer', (await seedAlphaCatalogue(t.db.prisma, s)).offers.shelter.id);
});
afterAll(() => t.close());

describe('error codes', () => {
  it('every error type documents its code; one code per meaning, one meaning per code', async () => {
    const res = await t.send(ErrorTypesDocument, {});
    const types = res.body.data?.__type?.possibleTypes ?? [];
    const codes = Object.fromEntries(
      types.map((type) => [type.name, /Code: `([^`]+)`/.exec(type.description ?? '')?.[1] ?? null]),
    );
    // Every type says its code (nothing registered around `errorType`).
    expect(Object.entries(codes).filter(([, code]) => !code)).toEqual([]);
    expect(Object.keys(codes).sort()).toEqual(Object.keys(MEANINGS).sort());
    for (const [name, code] of Object.entries(codes)) {
      expect([name, code]).toEqual([name, expect.stringMatching(/^[a-z]+\/[a-z_]+$/)]);
      expect([name, NAMESPACES.includes(code!.split('/')[0]!)]).toEqual([name, true]);
    }
    const meaningOf = new Map<string, string>();
    const codeOf = new Map<string, string>();
    for (const [name, code] of Object.entries(codes)) {
      const meaning = MEANINGS[name]!;
      expect([code, meaningOf.get(code!) ?? meaning]).toEqual([code, meaning]);
      expect([meaning, codeOf.get(meaning) ?? code]).toEqual([meaning, code]);
      meaningOf.set(code!, meaning);
      codeOf.set(meaning, code!);
    }
    expect(codes).toMatchObject({
      VersionConflictError: 'common/version_conflict',
      InvalidTransitionError: 'common/invalid_transition',
      UnknownThemeError: 'common/unknown_theme',
    });
  });

  it('a version conflict and an impossible step answer the same in the catalogue and in referrals', async () => {
    const alice = t.client(await s.token('alice'));
    const bob = t.client(await s.token('bob'));
    const created = await alice.request(CreateOfferDocument, {
      input: { organisationId: s.org.alpha.globalId, title: [{ language: 'FR', text: 'Atelier' }] },
    });
    if (created.createOffer.__typename !== 'MutationCreateOfferSuccess')
      throw new Error(created.createOffer.__typename);
    const offer = created.createOffer.data.offer.id;
    const staleOffer = await alice.request(UpdateOfferDocument, {
      input: { id: offer, expectedVersion: 9, minAge: 16 },
    });
    const draftPaused = await alice.request(PauseOfferDocument, { input: { id: offer } });

    const referral = await bob.request(CreateReferralDocument, {
      input: {
        senderOrganisationId: s.org.beta.globalId,
        offerId: shelter,
        needs: 'Hébergement',
        person: { initials: 'A. B.', contactChannel: 'THROUGH_SENDER' },
        consentPurpose: 'Orientation',
      },
    });
    if (referral.createReferral.__typename !== 'MutationCreateReferralSuccess')
      throw new Error(referral.createReferral.__typename);
    const { id } = referral.createReferral.data.referral;
    const staleReferral = await bob.request(UpdateReferralDraftDocument, {
      input: { id, expectedVersion: 9, needs: 'Autre' },
    });
    await bob.request(SendReferralDocument, { input: { id, expectedVersion: 1 } });
    const sentEdited = await bob.request(UpdateReferralDraftDocument, {
      input: { id, expectedVersion: 2, needs: 'Autre' },
    });

    const conflict = { __typename: 'VersionConflictError', code: 'common/version_conflict' };
    expect(staleOffer.updateOffer).toMatchObject({ ...conflict, currentVersion: 1 });
    expect(staleReferral.updateReferralDraft).toMatchObject({ ...conflict, currentVersion: 1 });
    const impossible = { __typename: 'InvalidTransitionError', code: 'common/invalid_transition' };
    expect(draftPaused.pauseOffer).toMatchObject({ ...impossible, status: 'DRAFT' });
    expect(sentEdited.updateReferralDraft).toMatchObject({ ...impossible, status: 'SENT' });
  });
});

describe('invalid input', () => {
  const plain = (message: string) => {
    // zod's defaults ("Too small: expected string to have >=1 characters") are not plain words.
    expect(message).not.toMatch(/Too (small|big)|expected|Invalid|>=|<=|\/\^/);
    return message;
  };

  it('a referral: every invalid field at once, each named, in plain words', async () => {
    const res = await t.client(await s.token('bob')).request(CreateReferralDocument, {
      input: {
        offerId: shelter,
        needs: '   ',
        person: { birthYear: 1800, languages: ['french'], contactChannel: 'PHONE' },
        consentPurpose: '',
        idempotencyKey: '',
      },
    });
    if (res.createReferral.__typename !== 'InvalidInputError') throw new Error(res.createReferral.__typename);
    const fields = Object.fromEntries(
      res.createReferral.fields.map((f) => [f.path.join('.'), plain(f.message)]),
    );
    expect(Object.keys(fields).sort()).toEqual(
      [
        'input.needs',
        'input.person.birthYear',
        'input.person.languages.0',
        'input.person.name',
        'input.person.initials',
        'input.person.contact',
        'input.consentPurpose',
        'input.idempotencyKey',
      ].sort(),
    );
    expect(fields['input.needs']).toBe('must not be empty');
    expect(fields['input.person.contact']).toMatch(/phone/);
    expect(res.createReferral.message).toContain('needs');
    expect(await t.db.prisma.referral.count({ where: { needs: '   ' } })).toBe(0);
  });

  it('an offer: every invalid field at once, in plain words', async () => {
    const res = await t.client(await s.token('alice')).request(CreateOfferDocument, {
      input: {
        organisationId: s.org.alpha.globalId,
        title: [],
        minAge: -1,
        languages: ['french'],
        contactEmail: 'nobody',
        website: 'ftp://example.lu',
        responseDays: 0,
      },
    });
    if (res.createOffer.__typename !== 'InvalidInputError') throw new Error(res.createOffer.__typename);
    const fields = Object.fromEntries(
      res.createOffer.fields.map((f) => [f.path.join('.'), plain(f.message)]),
    );
    expect(Object.keys(fields).sort()).toEqual(
      [
        'input.title',
        'input.minAge',
        'input.languages.0',
        'input.contactEmail',
        'input.website',
        'input.responseDays',
      ].sort(),
    );
    expect(fields['input.minAge']).toBe('must be at least 0');
    expect(fields['input.contactEmail']).toBe('must be an e-mail address');
  });

  it('a webhook: every invalid field at once', async () => {
    const res = await t.client(await s.token('alice')).request(CreateWebhookDocument, {
      input: {
        organisationId: s.org.alpha.globalId,
        url: `https://example.lu/${'x'.repeat(2000)}`,
        eventTypes: [],
        description: 'x'.repeat(1000),
      },
    });
    if (res.createWebhook.__typename !== 'InvalidInputError') throw new Error(res.createWebhook.__typename);
    const paths = res.createWebhook.fields.map((f) => (plain(f.message), f.path.join('.')));
    expect(paths.sort()).toEqual(['input.description', 'input.eventTypes', 'input.url']);
  });

  it('each problem names its reason, and a length its limit, for clients that word it themselves', async () => {
    const alice = t.client(await s.token('alice'));
    const apiClients = () => t.db.prisma.apiClient.count();
    const before = await apiClients();
    const input = {
      organisationId: s.org.alpha.globalId,
      name: 'Tableau de bord',
      scopes: ['CATALOGUE_READ' as const],
    };
    const problems = async (over: Partial<typeof input> & { expiresAt?: string }) => {
      const res = await alice.request(ConsoleAdminCreateApiClientDocument, { input: { ...input, ...over } });
      if (res.createApiClient.__typename !== 'InvalidInputError')
        throw new Error(res.createApiClient.__typename);
      return res.createApiClient.fields.map(({ path, reason, limit }) => [path.join('.'), reason, limit]);
    };
    expect(await problems({ name: 'x'.repeat(101), scopes: [] })).toEqual([
      ['input.name', 'TOO_LONG', 100],
      ['input.scopes', 'REQUIRED', null],
    ]);
    expect(await problems({ expiresAt: '2020-01-01T00:00:00Z' })).toEqual([
      ['input.expiresAt', 'PAST', null],
    ]);
    expect(await apiClients()).toBe(before);

    const carol = await t.db.prisma.membership.findFirstOrThrow({ where: { userId: s.user.carol.id } });
    const roles = await alice.request(UpdateMemberRolesDocument, {
      input: { membershipId: encodeGlobalID('Membership', carol.id), roles: [] },
    });
    expect(roles.updateMemberRoles).toMatchObject({
      __typename: 'InvalidInputError',
      fields: [{ path: ['input', 'roles'], reason: 'REQUIRED', limit: null }],
    });
    expect((await t.db.prisma.membership.findUniqueOrThrow({ where: { id: carol.id } })).roles).toEqual(
      carol.roles,
    );

    // The rule behind them, for every input checked by its schema: a least length above one.
    const short = z.object({ code: z.string().min(3) }).safeParse({ code: 'ab' });
    expect(fieldProblems(short.error?.issues ?? [])).toEqual([
      { path: ['code'], message: 'must be at least 3 characters', reason: 'TOO_SHORT', limit: 3 },
    ]);
  });
});
