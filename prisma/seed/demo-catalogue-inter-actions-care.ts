/**
 * Inter-Actions: day care (maisons relais, foyers de jour) and community work (travail
 * communautaire / Gemeinwesenarbeit) by place. Demo data; see demo-catalogue-inter-actions.ts.
 */
import { weekly, type DemoOffer, type DemoText } from './demo-catalogue-types.ts';

const IA = { organisation: 'inter-actions', website: 'https://www.inter-actions.lu' } as const;

/** Childcare cost in Luxembourg: the chèque-service accueil (CSA). */
const CSA: DemoText = {
  fr: 'Accueil gratuit pendant les semaines scolaires pour les enfants de l’école fondamentale (chèque-service accueil) ; repas et accueil pendant les vacances selon le barème du chèque-service accueil.',
  de: 'Betreuung während der Schulwochen für Grundschulkinder kostenlos (Chèque-Service Accueil); Mahlzeiten und Ferienbetreuung nach dem Tarif des Chèque-Service Accueil.',
  en: 'Free during school weeks for children in fundamental school (chèque-service accueil); meals and holiday care according to the chèque-service accueil scale.',
};

interface DayCare {
  key: string;
  site: string;
  /** Name and place, e.g. "Maison relais Diddelfamill – Dudelange". */
  fr: string;
  de: string;
  lb: string;
  /** What is particular about this house. */
  extraFr: string;
  extraDe: string;
  minAge: number;
  maxAge: number;
  places: number;
  free: number;
  contactName: string;
  email: string;
  phone: string;
  serviceArea?: string[];
}

/** A day-care house (maison relais / foyer de jour): school days 7:00–19:00, CSA pricing. */
function dayCare(d: DayCare): DemoOffer {
  return {
    ...IA,
    key: d.key,
    title: { fr: d.fr, de: d.de, lb: d.lb },
    description: {
      fr: `Accueil des enfants en dehors des heures de classe : repas de midi, aide aux devoirs, jeux, activités créatives et sportives, programme pendant les vacances scolaires. ${d.extraFr}`,
      de: `Betreuung der Kinder außerhalb der Schulzeit: Mittagessen, Hausaufgabenhilfe, Spiel, kreative und sportliche Aktivitäten, Programm in den Schulferien. ${d.extraDe}`,
    },
    themes: ['children.day_care', 'children.homework_help'],
    audiences: ['CHILDREN', 'FAMILIES'],
    minAge: d.minAge,
    maxAge: d.maxAge,
    eligibility: {
      fr: 'Inscription par les parents ; priorité aux enfants scolarisés dans la commune ou le quartier.',
      de: 'Anmeldung durch die Eltern; Vorrang für Kinder, die in der Gemeinde oder im Viertel zur Schule gehen.',
    },
    languages: ['lb', 'fr', 'de', 'pt'],
    costKind: 'INCOME_BASED',
    costDescription: CSA,
    sites: [d.site],
    ...(d.serviceArea ? { serviceArea: d.serviceArea } : {}),
    schedule: [weekly(['MO', 'TU', 'WE', 'TH', 'FR'], '07:00', '19:00')],
    capacityPlaces: d.places,
    capacityFree: d.free,
    waitlist: d.free === 0,
    status: 'PUBLISHED',
    contactName: d.contactName,
    contactEmail: d.email,
    contactPhone: d.phone,
  };
}

interface Community {
  key: string;
  site: string;
  title: DemoText;
  fr: string;
  de: string;
  serviceArea: string[];
  contactName: string;
  email: string;
  phone: string;
}

/** Community work in a quarter: open to all residents, free, office days plus one evening. */
function community(c: Community): DemoOffer {
  return {
    ...IA,
    key: c.key,
    title: c.title,
    description: {
      fr: `Le travail communautaire renforce la vie du quartier avec ses habitants : permanence sociale, fêtes et projets de quartier, groupes de parents, information sur les droits. ${c.fr}`,
      de: `Die Gemeinwesenarbeit stärkt das Leben im Viertel gemeinsam mit den Bewohnern: Sozialsprechstunde, Viertelfeste und -projekte, Elterngruppen, Information über Rechte. ${c.de}`,
    },
    themes: ['community.neighbourhood', 'community.intercultural', 'children.parenting'],
    audiences: ['EVERYONE', 'FAMILIES', 'NEWCOMERS'],
    languages: ['lb', 'fr', 'de', 'pt', 'en'],
    costKind: 'FREE',
    sites: [c.site],
    serviceArea: c.serviceArea,
    schedule: [
      weekly(['MO', 'TU', 'TH'], '09:00', '12:00', { fr: 'Permanence sociale', de: 'Sozialsprechstunde' }),
      weekly(['WE'], '17:00', '20:00', { fr: 'Activités de quartier', de: 'Aktivitäten im Viertel' }),
    ],
    status: 'PUBLISHED',
    contactName: c.contactName,
    contactEmail: c.email,
    contactPhone: c.phone,
  };
}

export const interActionsCareOffers: DemoOffer[] = [
  dayCare({
    key: 'ia-haus-vun-de-kanner',
    site: 'ia-grund-haus-vun-de-kanner',
    fr: 'Maison relais Haus vun de Kanner – Stadtgrund',
    de: 'Kindertagesstätte Haus vun de Kanner – Stadtgrund',
    lb: 'Maison relais Haus vun de Kanner – Stadgronn',
    extraFr: 'La première structure d’Inter-Actions, ouverte en 1979 pour les enfants du Grund.',
    extraDe: 'Die erste Einrichtung von Inter-Actions, 1979 für die Kinder aus dem Grund eröffnet.',
    minAge: 4,
    maxAge: 12,
    places: 60,
    free: 3,
    contactName: 'Martine Feller',
    email: 'hausvundekanner@inter-actions.example',
    phone: '+352 000 000 120',
  }),
  dayCare({
    key: 'ia-foyer-pinocchio',
    site: 'ia-gare-pinocchio',
    fr: 'Foyer de jour Pinocchio – Gare',
    de: 'Kindertagesstätte Pinocchio – Bahnhofsviertel',
    lb: 'Foyer de jour Pinocchio – Garer Quartier',
    extraFr: 'Accueil d’enfants de nombreuses nationalités ; travail étroit avec les familles.',
    extraDe: 'Kinder vieler Nationalitäten; enge Zusammenarbeit mit den Familien.',
    minAge: 3,
    maxAge: 12,
    places: 80,
    free: 0,
    contactName: 'Ana Ferreira',
    email: 'pinocchio@inter-actions.example',
    phone: '+352 000 000 121',
  }),
  dayCare({
    key: 'ia-foyer-laladudo',
    site: 'ia-neudorf-laladudo',
    fr: 'Foyer de jour Laladudo – Neudorf',
    de: 'Kindertagesstätte Laladudo – Neudorf',
    lb: 'Foyer de jour Laladudo – Neiduerf',
    extraFr: 'Grand jardin, projets nature et sorties en forêt.',
    extraDe: 'Großer Garten, Naturprojekte und Ausflüge in den Wald.',
    minAge: 3,
    maxAge: 12,
    places: 70,
    free: 5,
    contactName: 'Sven Kieffer',
    email: 'laladudo@inter-actions.example',
    phone: '+352 000 000 122',
  }),
  dayCare({
    key: 'ia-babbeltiermchen',
    site: 'ia-limpertsberg-babbeltiermchen',
    fr: 'Maison relais Babbeltiermchen – Limpertsberg',
    de: 'Kindertagesstätte Babbeltiermchen – Limpertsberg',
    lb: 'Maison relais Babbeltiermchen – Lampertsbierg',
    extraFr:
      'Ouverte en 2009 en collaboration avec l’Université du Luxembourg ; accueil aussi des tout-petits.',
    extraDe: 'Seit 2009 in Zusammenarbeit mit der Universität Luxemburg; auch für Kleinkinder.',
    minAge: 1,
    maxAge: 12,
    places: 45,
    free: 2,
    contactName: 'Claudine Back',
    email: 'babbeltiermchen@inter-actions.example',
    phone: '+352 000 000 123',
  }),
  dayCare({
    key: 'ia-diddelfamill',
    site: 'ia-dudelange-diddelfamill',
    fr: 'Maison relais Diddelfamill – Dudelange',
    de: 'Kindertagesstätte Diddelfamill – Düdelingen',
    lb: 'Maison relais Diddelfamill – Diddeleng',
    extraFr: 'Au cœur de la Petite Italie, en lien avec le travail communautaire du quartier.',
    extraDe: 'Mitten in Klein-Italien, in Verbindung mit der Gemeinwesenarbeit im Viertel.',
    minAge: 3,
    maxAge: 12,
    places: 90,
    free: 6,
    contactName: 'Giulia Rossi',
    email: 'diddelfamill@inter-actions.example',
    phone: '+352 000 000 124',
  }),
  dayCare({
    key: 'ia-maison-relais-mersch',
    site: 'ia-mersch-maison-relais',
    fr: 'Maison relais Mersch',
    de: 'Kindertagesstätte Mersch',
    lb: 'Maison relais Miersch',
    extraFr: 'Accueil des enfants des écoles de la commune de Mersch.',
    extraDe: 'Für die Kinder der Schulen der Gemeinde Mersch.',
    minAge: 3,
    maxAge: 12,
    places: 150,
    free: 12,
    contactName: 'Paul Hansen',
    email: 'mr.mersch@inter-actions.example',
    phone: '+352 000 000 125',
  }),
  dayCare({
    key: 'ia-maison-relais-sandweiler',
    site: 'ia-sandweiler-maison-relais',
    fr: 'Maison relais Sandweiler',
    de: 'Kindertagesstätte Sandweiler',
    lb: 'Maison relais Sandweiler',
    extraFr: 'Accueil des enfants des écoles de Sandweiler.',
    extraDe: 'Für die Kinder der Schulen in Sandweiler.',
    minAge: 3,
    maxAge: 12,
    places: 110,
    free: 0,
    contactName: 'Joëlle Schroeder',
    email: 'mr.sandweiler@inter-actions.example',
    phone: '+352 000 000 126',
  }),
  dayCare({
    key: 'ia-maison-relais-leudelange',
    site: 'ia-leudelange-maison-relais',
    fr: 'Maison relais Leudelange',
    de: 'Kindertagesstätte Leudelingen',
    lb: 'Maison relais Leideleng',
    extraFr:
      'Accueil des enfants de l’école de Leudelange, programme de vacances ouvert aux enfants de la commune.',
    extraDe: 'Für die Kinder der Schule Leudelingen; Ferienprogramm für alle Kinder der Gemeinde.',
    minAge: 3,
    maxAge: 12,
    places: 85,
    free: 4,
    contactName: 'Nico Bertemes',
    email: 'mr.leudelange@inter-actions.example',
    phone: '+352 000 000 127',
  }),
  community({
    key: 'ia-travail-communautaire-grund',
    site: 'ia-grund-haus-vun-de-kanner',
    title: {
      fr: 'Travail communautaire Stadtgrund',
      de: 'Gemeinwesenarbeit Stadtgrund',
      lb: 'Gemeinwiesenaarbecht Stadgronn',
      en: 'Community work in the Grund',
    },
    fr: 'Là où tout a commencé en 1977 : projets avec les habitants de longue date et les nouveaux venus du Grund.',
    de: 'Hier hat 1977 alles angefangen: Projekte mit alteingesessenen und neu zugezogenen Bewohnern des Grund.',
    serviceArea: ['Luxembourg'],
    contactName: 'Carole Majerus',
    email: 'tc.grund@inter-actions.example',
    phone: '+352 000 000 130',
  }),
  community({
    key: 'ia-ensemble-gare-bonnevoie',
    site: 'ia-gare-ensemble',
    title: {
      fr: 'Ensemble Gare-Bonnevoie – travail communautaire',
      de: 'Ensemble Gare-Bonnevoie – Gemeinwesenarbeit',
      lb: 'Ensemble Gare-Bonnevoie – Gemeinwiesenaarbecht',
      en: 'Ensemble Gare-Bonnevoie – community work',
    },
    fr: 'Café de quartier, fête de rue annuelle et accompagnement des nouveaux arrivants dans le quartier de la Gare.',
    de: 'Viertelcafé, jährliches Straßenfest und Begleitung von Neuankömmlingen im Bahnhofsviertel.',
    serviceArea: ['Luxembourg'],
    contactName: 'Rui Almeida',
    email: 'ensemble.garebonnevoie@inter-actions.example',
    phone: '+352 000 000 131',
  }),
  community({
    key: 'ia-ensemble-petite-italie',
    site: 'ia-dudelange-ensemble',
    title: {
      fr: 'Ensemble Petite Italie-Schmelz – travail communautaire à Dudelange',
      de: 'Ensemble Petite Italie-Schmelz – Gemeinwesenarbeit in Düdelingen',
      lb: 'Ensemble Petite Italie-Schmelz – Gemeinwiesenaarbecht zu Diddeleng',
    },
    fr: 'Participation des habitants aux transformations du quartier (NeiSchmelz), jardin partagé et repas de quartier.',
    de: 'Beteiligung der Bewohner am Wandel des Viertels (NeiSchmelz), Gemeinschaftsgarten und Nachbarschaftsessen.',
    serviceArea: ['Dudelange'],
    contactName: 'Sonia Marques',
    email: 'petite.italie@inter-actions.example',
    phone: '+352 000 000 132',
  }),
  community({
    key: 'ia-travail-communautaire-esch',
    site: 'ia-esch-quartier',
    title: {
      fr: 'Travail communautaire à Esch-sur-Alzette',
      de: 'Gemeinwesenarbeit in Esch an der Alzette',
      lb: 'Gemeinwiesenaarbecht zu Esch-Uelzecht',
    },
    fr: 'Tables rondes d’échange avec les acteurs locaux, projets d’aménagement participatif de l’espace public.',
    de: 'Runde Tische mit lokalen Akteuren, Projekte zur Beteiligung an der Gestaltung öffentlicher Räume.',
    serviceArea: ['Esch-sur-Alzette'],
    contactName: 'Eric Hoffmann',
    email: 'tc.esch@inter-actions.example',
    phone: '+352 000 000 133',
  }),
];
