/**
 * Demo organisations of the Luxembourg social sector (public information) and demo users.
 * The people are invented; their addresses use the reserved `.example` domain so that no demo
 * mail can ever reach a real inbox.
 */
import type { OrganisationKind, Role } from '../../src/generated/prisma/enums.ts';

export interface DemoOrganisation {
  slug: string;
  name: string;
  kind: OrganisationKind;
  legalForm?: string;
  website?: string;
  parent?: string;
}

export interface DemoUser {
  email: string;
  name: string;
  locale: string;
  memberships: { organisation: string; roles: Role[] }[];
}

export const demoOrganisations: DemoOrganisation[] = [
  { slug: 'maillage', name: 'Maillage – réseau des partenaires sociaux', kind: 'NETWORK' },
  {
    slug: 'inter-actions',
    name: 'Inter-Actions',
    kind: 'ASSOCIATION',
    legalForm: 'asbl',
    website: 'https://www.inter-actions.lu',
  },
  {
    slug: 'caritas-luxembourg',
    name: 'Caritas Luxembourg',
    kind: 'FOUNDATION',
    legalForm: 'fondation',
    website: 'https://www.caritas.lu',
  },
  {
    slug: 'croix-rouge',
    name: 'Croix-Rouge luxembourgeoise',
    kind: 'ASSOCIATION',
    website: 'https://www.croix-rouge.lu',
  },
  {
    slug: 'office-social-luxembourg',
    name: 'Office social de la Ville de Luxembourg',
    kind: 'COMMUNE_SOCIAL_OFFICE',
    legalForm: 'établissement public',
    website: 'https://www.vdl.lu',
  },
  {
    slug: 'solina',
    name: 'Solina',
    kind: 'ASSOCIATION',
    legalForm: 'asbl',
    website: 'https://www.solina.lu',
  },
  {
    slug: 'wunnengshellef',
    name: 'Wunnéngshëllef',
    kind: 'ASSOCIATION',
    legalForm: 'asbl',
    website: 'https://www.wunnengshellef.lu',
  },
  {
    slug: 'co-labor',
    name: 'Co-Labor',
    kind: 'COOPERATIVE',
    legalForm: 'société coopérative',
    website: 'https://www.colabor.lu',
  },
  { slug: 'mateneen', name: 'Mateneen', kind: 'NETWORK' },
  {
    slug: 'fondation-eme',
    name: 'Fondation EME – Écouter pour Mieux Entendre',
    kind: 'FOUNDATION',
    legalForm: 'fondation',
    website: 'https://www.fondation-eme.lu',
  },
  {
    slug: 'microlux',
    name: 'Microlux',
    kind: 'COMPANY',
    legalForm: 'SA',
    website: 'https://www.microlux.lu',
  },
  {
    slug: 'paerds-atelier-liewenshaff',
    name: "Paerd's Atelier – Liewenshaff",
    kind: 'ASSOCIATION',
    legalForm: 'asbl',
  },
  {
    slug: 'medecins-du-monde',
    name: 'Médecins du Monde Luxembourg',
    kind: 'ASSOCIATION',
    legalForm: 'asbl',
    website: 'https://www.medecinsdumonde.lu',
  },
  {
    slug: 'ligue-medico-sociale',
    name: 'Ligue médico-sociale',
    kind: 'ASSOCIATION',
    legalForm: 'asbl',
    website: 'https://www.ligue.lu',
  },
  {
    slug: 'jugend-a-drogenhellef',
    name: 'Jugend- an Drogenhëllef',
    kind: 'FOUNDATION',
    legalForm: 'fondation',
    website: 'https://www.jdh.lu',
  },
  { slug: 'kontact-28', name: 'Kontact 28', kind: 'OTHER', parent: 'jugend-a-drogenhellef' },
  {
    slug: 'passerelles-nouveaux-arrivants',
    name: 'Passerelles – accompagnement des nouveaux arrivants',
    kind: 'ASSOCIATION',
    legalForm: 'asbl',
  },
  {
    // Runs the reception of applicants for international protection, the SHUK among its shelters
    // (demo-welcome.ts).
    slug: 'ona',
    name: 'Office national de l’accueil (ONA)',
    kind: 'PUBLIC_AGENCY',
    legalForm: 'administration de l’État',
    website: 'https://ona.gouvernement.lu',
  },
];

export const demoUsers: DemoUser[] = [
  {
    email: 'admin@maillage.example',
    name: 'Claire Reuter',
    locale: 'fr',
    memberships: [{ organisation: 'maillage', roles: ['HUB_ADMIN'] }],
  },
  {
    email: 'sophie.weber@inter-actions.example',
    name: 'Sophie Weber',
    locale: 'fr',
    memberships: [{ organisation: 'inter-actions', roles: ['ORG_ADMIN', 'CATALOGUE_EDITOR'] }],
  },
  {
    email: 'marc.schmit@inter-actions.example',
    name: 'Marc Schmit',
    locale: 'lb',
    memberships: [{ organisation: 'inter-actions', roles: ['CASE_WORKER'] }],
  },
  {
    email: 'ana.ferreira@caritas.example',
    name: 'Ana Ferreira',
    locale: 'pt',
    memberships: [{ organisation: 'caritas-luxembourg', roles: ['CASE_WORKER', 'CATALOGUE_EDITOR'] }],
  },
  {
    email: 'olena.kovalenko@caritas.example',
    name: 'Olena Kovalenko',
    locale: 'uk',
    memberships: [{ organisation: 'caritas-luxembourg', roles: ['WELCOME_COORDINATOR'] }],
  },
  {
    email: 'lucie.thill@inter-actions.example',
    name: 'Lucie Thill',
    locale: 'fr',
    memberships: [{ organisation: 'inter-actions', roles: ['WELCOME_COORDINATOR'] }],
  },
  {
    email: 'carole.kremer@ona.example',
    name: 'Carole Kremer',
    locale: 'fr',
    memberships: [{ organisation: 'ona', roles: ['ORG_ADMIN', 'WELCOME_COORDINATOR'] }],
  },
  {
    email: 'jean.muller@croix-rouge.example',
    name: 'Jean Muller',
    locale: 'de',
    memberships: [{ organisation: 'croix-rouge', roles: ['ORG_ADMIN', 'CASE_WORKER'] }],
  },
  {
    email: 'lea.hoffmann@office-social.example',
    name: 'Léa Hoffmann',
    locale: 'fr',
    memberships: [{ organisation: 'office-social-luxembourg', roles: ['CASE_WORKER'] }],
  },
  {
    email: 'paul.kieffer@office-social.example',
    name: 'Paul Kieffer',
    locale: 'de',
    memberships: [{ organisation: 'office-social-luxembourg', roles: ['ORG_ADMIN', 'EVENT_ORGANISER'] }],
  },
  {
    email: 'yasmina.haddad@passerelles.example',
    name: 'Yasmina Haddad',
    locale: 'ar',
    memberships: [
      { organisation: 'passerelles-nouveaux-arrivants', roles: ['CASE_WORKER', 'CATALOGUE_EDITOR'] },
    ],
  },
  {
    email: 'tom.wagner@kontact28.example',
    name: 'Tom Wagner',
    locale: 'lb',
    memberships: [
      { organisation: 'kontact-28', roles: ['CASE_WORKER'] },
      { organisation: 'jugend-a-drogenhellef', roles: ['CATALOGUE_EDITOR'] },
    ],
  },
];
