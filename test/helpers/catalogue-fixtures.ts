/**
 * A small named catalogue on top of the accounts scenario: a theme tree, two sites of alpha, and
 * offers created through the services (so that the change log is real).
 */
import { encodeGlobalID } from '@pothos/plugin-relay';
import { CreateReferralDocument, SendReferralDocument } from '../../clients/generated/graphql.ts';
import { createHubClient } from '../../clients/sdk.ts';
import type { PrismaClient } from '../../src/generated/prisma/client.ts';
import type { Viewer } from '../../src/modules/accounts/viewer.ts';
import { createOffer, setOfferStatus } from '../../src/modules/catalogue/offer.service.ts';
import { createSite } from '../../src/modules/catalogue/site.service.ts';
import type { Scenario } from './fixtures.ts';

export const THEMES = [
  { code: 'housing', label: { fr: 'Logement', de: 'Wohnen', en: 'Housing' } },
  {
    code: 'housing.emergency_shelter',
    parent: 'housing',
    label: { fr: "Hébergement d'urgence", de: 'Notunterkunft' },
  },
  { code: 'health', label: { fr: 'Santé', de: 'Gesundheit', en: 'Health' } },
  { code: 'language', label: { fr: 'Langues', de: 'Sprachen', en: 'Languages' } },
  { code: 'language.french', parent: 'language', label: { fr: 'Cours de français', de: 'Französischkurse' } },
];

export async function seedThemes(prisma: PrismaClient): Promise<void> {
  for (const theme of THEMES) {
    const parent = theme.parent
      ? await prisma.theme.findUniqueOrThrow({ where: { code: theme.parent } })
      : null;
    await prisma.theme.create({
      data: { code: theme.code, label: theme.label, parentId: parent?.id ?? null },
    });
  }
}

/** Alice acting through the services, as the GraphQL layer would. */
export function aliceViewer(s: Scenario): Viewer {
  return {
    kind: 'user',
    userId: s.user.alice.id,
    email: s.user.alice.email,
    roles: new Map([[s.org.alpha.id, new Set(['ORG_ADMIN', 'CATALOGUE_EDITOR'] as const)]]),
    hubAdmin: false,
  };
}

/** Alpha's catalogue: a shelter in Bonnevoie, French courses in Esch, a health draft. */
export async function seedAlphaCatalogue(prisma: PrismaClient, s: Scenario) {
  const alice = aliceViewer(s);
  const bonnevoie = await createSite(prisma, alice, s.org.alpha.id, {
    name: 'Foyer Bonnevoie',
    commune: 'Luxembourg',
    quarter: 'Bonnevoie',
    street: '12 rue de Bonnevoie',
    postcode: '1260',
  });
  const esch = await createSite(prisma, alice, s.org.alpha.id, {
    name: 'Centre Esch',
    commune: 'Esch-sur-Alzette',
  });
  const shelter = await createOffer(prisma, alice, s.org.alpha.id, {
    title: { fr: "Logement d'urgence pour familles", de: 'Notunterkunft für Familien' },
    description: {
      fr: 'Hébergement temporaire et accompagnement social.',
      de: 'Vorübergehende Wohnungen mit Begleitung.',
    },
    themeCodes: ['housing.emergency_shelter'],
    audiences: ['FAMILIES', 'REFUGEES'],
    languages: ['fr', 'de', 'ar'],
    siteIds: [bonnevoie.id],
    capacityPlaces: 10,
    acceptsReferrals: true,
    schedule: [
      { freq: 'WEEKLY', byday: ['MO', 'TU', 'WE', 'TH', 'FR'], opensAt: '08:00', closesAt: '18:00' },
    ],
  });
  const french = await createOffer(prisma, alice, s.org.alpha.id, {
    title: { fr: 'Cours de français pour nouveaux arrivants', en: 'French classes for newcomers' },
    description: { fr: 'Apprendre le français, niveau A1 à B1, gratuit.' },
    themeCodes: ['language.french'],
    audiences: ['NEWCOMERS'],
    languages: ['fr', 'en', 'uk'],
    siteIds: [esch.id],
    serviceArea: ['Dudelange'],
  });
  const health = await createOffer(prisma, alice, s.org.alpha.id, {
    title: { fr: 'Permanence santé (brouillon)' },
    themeCodes: ['health'],
    serviceArea: ['Luxembourg'],
  });
  await setOfferStatus(prisma, alice, shelter.id, 'publish');
  await setOfferStatus(prisma, alice, french.id, 'publish');
  return { sites: { bonnevoie, esch }, offers: { shelter, french, draft: health } };
}

/**
 * Bob (beta) creates and sends a referral to alpha's shelter through the hub at `graphqlUrl`,
 * as a case worker would: the referral tests across processes start from it. Returns its id.
 */
export async function sendShelterReferral(
  graphqlUrl: string,
  s: Scenario,
  shelterId: string,
): Promise<string> {
  const bob = createHubClient(graphqlUrl, { token: await s.token('bob') });
  const created = await bob.request(CreateReferralDocument, {
    input: {
      senderOrganisationId: s.org.beta.globalId,
      offerId: encodeGlobalID('Offer', shelterId),
      needs: 'Hébergement',
      person: { initials: 'M. N.', contactChannel: 'THROUGH_SENDER' },
      consentPurpose: 'Orientation',
    },
  });
  if (created.createReferral.__typename !== 'MutationCreateReferralSuccess') throw new Error('create');
  const r = created.createReferral.data.referral;
  await bob.request(SendReferralDocument, { input: { id: r.id, expectedVersion: r.version } });
  return r.id;
}
