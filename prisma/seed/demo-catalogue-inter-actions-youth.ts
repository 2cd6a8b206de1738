/**
 * Inter-Actions: youth houses (maisons des jeunes / Jugendhaiser) in quarters of Luxembourg City,
 * and the city-wide street projects: Streetwork, Streetsport, Premier Appel and the violence
 * prevention project Eng Chance géint Gewalt. Demo data; see demo-catalogue-inter-actions.ts.
 */
import { weekly, type DemoOffer } from './demo-catalogue-types.ts';

const IA = { organisation: 'inter-actions', website: 'https://www.inter-actions.lu' } as const;

interface YouthHouse {
  key: string;
  site: string;
  /** The house's own name, without "Maison des jeunes". */
  name: string;
  quarter: string;
  /** What this house is known for, appended to the common description. */
  fr: string;
  de: string;
  contactName: string;
  email: string;
  phone: string;
  languages?: string[];
}

/** A youth house: open access for 12–26 year olds, free, Tuesday to Saturday. */
function youthHouse(h: YouthHouse): DemoOffer {
  const place = h.name === h.quarter ? '' : ` – ${h.quarter}`;
  return {
    ...IA,
    key: h.key,
    title: {
      fr: `Maison des jeunes ${h.name}${place}`,
      de: `Jugendhaus ${h.name}${place}`,
      lb: `Jugendhaus ${h.name}${place}`,
      en: `Youth house ${h.name}${place}`,
    },
    description: {
      fr: `Lieu d’accueil ouvert et gratuit pour les jeunes de 12 à 26 ans du quartier : rencontres, écoute, soutien dans les projets personnels, scolaires et professionnels, activités de loisirs et sorties. ${h.fr}`,
      de: `Offener und kostenloser Treffpunkt für Jugendliche von 12 bis 26 Jahren aus dem Viertel: Begegnung, ein offenes Ohr, Unterstützung bei persönlichen, schulischen und beruflichen Projekten, Freizeitaktivitäten und Ausflüge. ${h.de}`,
    },
    themes: ['youth.youth_house', 'youth.counselling', 'sport_leisure'],
    audiences: ['YOUTH'],
    minAge: 12,
    maxAge: 26,
    languages: h.languages ?? ['lb', 'fr', 'de', 'pt', 'en'],
    costKind: 'FREE',
    sites: [h.site],
    schedule: [
      weekly(['TU', 'WE', 'TH', 'FR'], '14:00', '20:00'),
      weekly(['SA'], '14:00', '18:00', {
        fr: 'Sorties et projets le samedi',
        de: 'Samstags Ausflüge und Projekte',
      }),
    ],
    status: 'PUBLISHED',
    contactName: h.contactName,
    contactEmail: h.email,
    contactPhone: h.phone,
  };
}

export const interActionsYouthOffers: DemoOffer[] = [
  youthHouse({
    key: 'ia-jugendhaus-annexe-grund',
    site: 'ia-grund-annexe',
    name: 'Annexe',
    quarter: 'Grund',
    fr: 'La plus ancienne maison des jeunes d’Inter-Actions (1984), avec un studio de musique.',
    de: 'Das älteste Jugendhaus von Inter-Actions (1984), mit Musikstudio.',
    contactName: 'Tom Weber',
    email: 'annexe.grund@inter-actions.example',
    phone: '+352 000 000 101',
  }),
  youthHouse({
    key: 'ia-jugendhaus-gare',
    site: 'ia-gare-jugendhaus',
    name: 'Gare',
    quarter: 'Gare',
    fr: 'Aide aux devoirs et accompagnement dans la recherche d’un stage ou d’un premier emploi.',
    de: 'Hausaufgabenhilfe und Begleitung bei der Suche nach einem Praktikum oder einer ersten Stelle.',
    contactName: 'Sara Lopes',
    email: 'jugendhaus.gare@inter-actions.example',
    phone: '+352 000 000 102',
    languages: ['lb', 'fr', 'de', 'pt', 'en', 'ar'],
  }),
  youthHouse({
    key: 'ia-jugendhaus-studio-bonnevoie',
    site: 'ia-bonnevoie-studio',
    name: 'Studio',
    quarter: 'Bonnevoie',
    fr: 'Projets de médias, de vidéo et de musique avec les jeunes du quartier.',
    de: 'Medien-, Video- und Musikprojekte mit den Jugendlichen aus dem Viertel.',
    contactName: 'Kevin Schmit',
    email: 'studio.bonnevoie@inter-actions.example',
    phone: '+352 000 000 103',
  }),
  youthHouse({
    key: 'ia-jugendhaus-river-clausen',
    site: 'ia-clausen-river',
    name: 'River',
    quarter: 'Clausen',
    fr: 'Activités sportives et de plein air au bord de l’Alzette.',
    de: 'Sport- und Outdooraktivitäten an der Alzette.',
    contactName: 'Laura Hoffmann',
    email: 'river.clausen@inter-actions.example',
    phone: '+352 000 000 104',
  }),
  youthHouse({
    key: 'ia-jugendhaus-pfaffenthal',
    site: 'ia-pfaffenthal-jugendhaus',
    name: 'Pfaffenthal',
    quarter: 'Pfaffenthal',
    fr: 'Petite structure familiale, projets de participation à la vie du quartier.',
    de: 'Kleine, familiäre Einrichtung mit Projekten zur Beteiligung am Leben im Viertel.',
    contactName: 'Marc Thill',
    email: 'pfaffenthal@inter-actions.example',
    phone: '+352 000 000 105',
  }),
  youthHouse({
    key: 'ia-jugendhaus-in-move-neudorf',
    site: 'ia-neudorf-in-move',
    name: 'In Move',
    quarter: 'Neudorf',
    fr: 'Danse, hip-hop et préparation de spectacles.',
    de: 'Tanz, Hip-Hop und Vorbereitung von Auftritten.',
    contactName: 'Inês Carvalho',
    email: 'inmove.neudorf@inter-actions.example',
    phone: '+352 000 000 106',
  }),
  youthHouse({
    key: 'ia-jugendhaus-gasperich',
    site: 'ia-gasperich-jugendhaus',
    name: 'Gasperich',
    quarter: 'Gasperich',
    fr: 'Espace numérique et ateliers de cuisine du monde.',
    de: 'Digitaler Raum und Kochworkshops mit Gerichten aus aller Welt.',
    contactName: 'Yann Muller',
    email: 'gasperich@inter-actions.example',
    phone: '+352 000 000 107',
  }),
  {
    ...IA,
    key: 'ia-streetwork-ville',
    title: {
      fr: 'Streetwork Luxembourg-Ville',
      de: 'Streetwork Luxemburg-Stadt',
      lb: 'Streetwork Stad Lëtzebuerg',
      en: 'Street work in Luxembourg City',
    },
    description: {
      fr: 'Des travailleurs de rue vont à la rencontre des jeunes et des adultes en situation de précarité dans les quartiers, les parcs et les gares : écoute, accompagnement vers les services adaptés, aide dans les démarches.',
      de: 'Streetworker gehen auf Jugendliche und Erwachsene in prekären Situationen in den Vierteln, Parks und Bahnhöfen zu: Zuhören, Begleitung zu passenden Diensten, Hilfe bei Behördengängen.',
      lb: 'Streetworker ginn an de Quartieren, an de Parken an op de Gare op jonk an erwuesse Leit an enger prekärer Situatioun duer.',
    },
    themes: ['street_work.outreach', 'administrative.accompaniment'],
    audiences: ['YOUTH', 'ADULTS', 'HOMELESS'],
    minAge: 14,
    languages: ['lb', 'fr', 'de', 'pt', 'en'],
    costKind: 'FREE',
    serviceArea: ['Luxembourg'],
    schedule: [weekly(['MO', 'TU', 'WE', 'TH', 'FR'], '10:00', '18:00'), weekly(['TH'], '18:00', '22:00')],
    status: 'PUBLISHED',
    contactName: 'Patrick Reding',
    contactEmail: 'streetwork@inter-actions.example',
    contactPhone: '+352 000 000 110',
  },
  {
    ...IA,
    key: 'ia-streetsport',
    title: { fr: 'Streetsport', de: 'Streetsport', lb: 'Streetsport', en: 'Street sport' },
    description: {
      fr: 'Du sport gratuit et sans inscription sur les terrains de quartier et, en hiver, dans des halls sportifs : football, basket, fitness. Le sport sert de porte d’entrée pour créer un lien avec les jeunes.',
      de: 'Kostenloser Sport ohne Anmeldung auf den Sportplätzen der Viertel und im Winter in Sporthallen: Fußball, Basketball, Fitness. Der Sport ist ein Türöffner für den Kontakt mit den Jugendlichen.',
    },
    themes: ['street_work.streetsport', 'sport_leisure.sport'],
    audiences: ['YOUTH'],
    minAge: 12,
    maxAge: 26,
    languages: ['lb', 'fr', 'de', 'pt', 'en'],
    costKind: 'FREE',
    serviceArea: ['Luxembourg'],
    schedule: [
      weekly(['WE', 'FR'], '17:00', '21:00', {
        fr: 'Terrains de quartier',
        de: 'Sportplätze in den Vierteln',
      }),
      {
        ...weekly(['SU'], '14:00', '18:00', { fr: 'Hall sportif, en hiver', de: 'Sporthalle, im Winter' }),
        validFrom: '2026-11-01',
        validTo: '2027-03-31',
      },
    ],
    status: 'PUBLISHED',
    contactName: 'Dany Kremer',
    contactEmail: 'streetsport@inter-actions.example',
    contactPhone: '+352 000 000 111',
  },
  {
    ...IA,
    key: 'ia-premier-appel',
    title: {
      fr: 'Premier Appel – orientation des personnes sans abri',
      de: 'Premier Appel – Orientierung für obdachlose Menschen',
      lb: 'Premier Appel – Orientéierung fir Leit ouni Daach',
      en: 'Premier Appel – first contact for homeless people',
    },
    description: {
      fr: 'Premier contact pour les personnes sans abri ou menacées de perdre leur logement : évaluation de la situation, orientation vers un hébergement d’urgence, l’accueil hivernal (Wanteraktioun) ou un service social.',
      de: 'Erste Anlaufstelle für obdachlose oder von Wohnungsverlust bedrohte Menschen: Einschätzung der Lage, Vermittlung in eine Notunterkunft, die Winteraktion (Wanteraktioun) oder einen Sozialdienst.',
    },
    themes: ['administrative.orientation', 'housing.emergency_shelter', 'street_work'],
    audiences: ['HOMELESS', 'ADULTS'],
    minAge: 18,
    languages: ['lb', 'fr', 'de', 'en', 'pt'],
    costKind: 'FREE',
    sites: ['ia-siege-eich'],
    serviceArea: ['Luxembourg'],
    schedule: [weekly(['MO', 'TU', 'WE', 'TH', 'FR'], '08:00', '16:00')],
    acceptsReferrals: true,
    referralRequirements: {
      fr: 'Nom ou surnom de la personne, lieu où elle peut être rencontrée, besoins urgents (santé, nuit à venir) et coordonnées du service qui oriente.',
      de: 'Name oder Rufname der Person, Ort, an dem sie anzutreffen ist, dringende Bedürfnisse (Gesundheit, kommende Nacht) und Kontakt des überweisenden Dienstes.',
    },
    responseDays: 1,
    status: 'PUBLISHED',
    contactName: 'Nadia Bensalem',
    contactEmail: 'premier.appel@inter-actions.example',
    contactPhone: '+352 000 000 112',
  },
  {
    ...IA,
    key: 'ia-eng-chance-geint-gewalt',
    title: {
      fr: 'Eng Chance géint Gewalt – prévention de la violence chez les jeunes',
      de: 'Eng Chance géint Gewalt – Gewaltprävention für Jugendliche',
      lb: 'Eng Chance géint Gewalt',
    },
    description: {
      fr: 'Ateliers en groupe et suivi individuel de jeunes impliqués dans des actes de violence : gestion des conflits, réparation, projets de groupe. Sur orientation des écoles, des maisons des jeunes ou de la police.',
      de: 'Gruppenworkshops und Einzelbegleitung für Jugendliche, die an Gewalttaten beteiligt waren: Konfliktbewältigung, Wiedergutmachung, Gruppenprojekte. Auf Vermittlung von Schulen, Jugendhäusern oder Polizei.',
    },
    themes: ['youth.violence_prevention', 'youth.counselling'],
    audiences: ['YOUTH'],
    minAge: 12,
    maxAge: 21,
    languages: ['lb', 'fr', 'de'],
    costKind: 'FREE',
    sites: ['ia-siege-eich'],
    serviceArea: ['Luxembourg'],
    schedule: [weekly(['WE'], '14:00', '17:00', { fr: 'Atelier de groupe', de: 'Gruppenworkshop' })],
    acceptsReferrals: true,
    referralRequirements: {
      fr: 'Âge du jeune, faits à l’origine de l’orientation, accord du jeune et, pour un mineur, de ses parents.',
      de: 'Alter, Anlass der Überweisung, Einverständnis des Jugendlichen und bei Minderjährigen der Eltern.',
    },
    responseDays: 5,
    status: 'DRAFT',
    contactName: 'Luc Wagner',
    contactEmail: 'chance.geint.gewalt@inter-actions.example',
    contactPhone: '+352 000 000 113',
  },
];
