/**
 * The first Assises sociales (2021): about 150 participants and 15 stands, a plenary opening, a
 * round table and two workshops of 25 places. CLOSED: public, registration over. The day and the
 * people are invented; the organisations and their offers are the demo catalogue's.
 */
import { ORGANISER_EMAIL, ORGANISER_SLUG } from './demo-events-organiser.ts';
import type { DemoEdition, DemoFigure, EventText } from './demo-events-types.ts';

export const EDITION_2021_SLUG = 'assises-sociales-2021';

const fig = (value: number, fr: string): DemoFigure => ({ value, label: { fr } });
const fr = (text: string): EventText => ({ fr: text });

export const edition2021: DemoEdition = {
  slug: EDITION_2021_SLUG,
  title: {
    fr: 'Assises sociales 2021 – première édition',
    de: 'Assises sociales 2021 – erste Ausgabe',
    en: 'Assises sociales 2021 – first edition',
  },
  description: {
    fr:
      'Première rencontre des organisations soutenues par la Ville, au sortir des confinements : quinze ' +
      'équipes présentent ce qu’elles ont appris pendant la pandémie.',
    de:
      'Erstes Treffen der von der Stadt unterstützten Organisationen nach den Lockdowns: fünfzehn Teams ' +
      'zeigen, was sie während der Pandemie gelernt haben.',
    en:
      'The first gathering of the organisations the City supports, after the lockdowns: fifteen teams ' +
      'show what they learnt during the pandemic.',
  },
  date: '2021-10-21',
  opens: '08:30',
  closes: '17:00',
  status: 'CLOSED',
  registrationClosedDaysBefore: 7,
  sessions: [
    {
      key: 'ouverture',
      kind: 'PLENARY',
      title: {
        fr: 'Ouverture : un réseau à l’épreuve de la pandémie',
        de: 'Eröffnung: ein Netzwerk in der Pandemie',
        en: 'Opening: a network tested by the pandemic',
      },
      starts: '09:00',
      ends: '09:45',
      room: 'Grande salle',
      speakers: [
        {
          name: 'Martine Hoscheit',
          organisation: ORGANISER_SLUG,
          function: 'échevine en charge des affaires sociales',
        },
        {
          name: 'Anne Weber',
          organisation: ORGANISER_SLUG,
          function: 'coordinatrice des Assises sociales',
          email: ORGANISER_EMAIL,
          category: 'ORGANISER',
        },
      ],
      demand: 120,
    },
    {
      key: 'table-pandemie',
      kind: 'ROUND_TABLE',
      title: {
        fr: 'Ce que les confinements ont appris au réseau',
        de: 'Was die Lockdowns dem Netzwerk beigebracht haben',
        en: 'What the lockdowns taught the network',
      },
      starts: '10:00',
      ends: '11:30',
      room: 'Grande salle',
      speakers: [
        {
          name: 'Claude Reding',
          organisation: 'caritas-luxembourg',
          function: 'directeur de l’action sociale',
        },
        { name: 'Sandra Wolff', organisation: 'croix-rouge', function: 'responsable de l’aide sociale' },
        { name: 'Nuno Pinto', organisation: 'inter-actions', function: 'streetworker' },
        {
          name: 'Hélène Rousseau',
          organisation: { name: 'Radio 100,7', domain: '100komma7.example' },
          function: 'journaliste, modératrice',
        },
      ],
      demand: 95,
    },
    {
      key: 'atelier-aide-alimentaire',
      kind: 'WORKSHOP',
      title: {
        fr: 'Aide alimentaire : coordonner les distributions',
        de: 'Lebensmittelhilfe: Ausgaben koordinieren',
        en: 'Food aid: coordinating distributions',
      },
      starts: '14:00',
      ends: '15:30',
      room: 'Salle 1',
      capacity: 25,
      speakers: [
        { name: 'Vera Almeida', organisation: 'caritas-luxembourg', function: 'responsable Caritas Buttek' },
        {
          name: 'Patrick Welter',
          organisation: 'croix-rouge',
          function: 'coordinateur de l’aide alimentaire',
        },
      ],
      demand: 27,
    },
    {
      key: 'atelier-jeunes',
      kind: 'WORKSHOP',
      title: {
        fr: 'Jeunes en rupture : passer le relais',
        de: 'Jugendliche in Krisen: die Übergabe gestalten',
        en: 'Young people in crisis: handing over well',
      },
      starts: '14:00',
      ends: '15:30',
      room: 'Salle 2',
      capacity: 25,
      speakers: [
        { name: 'Sven Hilger', organisation: 'solina', function: 'éducateur' },
        { name: 'Aurélie Gauthier', organisation: 'inter-actions', function: 'coordinatrice ACT' },
      ],
      demand: 19,
    },
  ],
  stands: [
    {
      number: '1',
      organisation: 'inter-actions',
      title: fr('Streetwork pendant les confinements'),
      description: fr('Rester dans la rue quand tout ferme : tournées renforcées et distribution de repas.'),
      offers: ['ia-streetwork-ville'],
      results: fr('Des tournées quotidiennes maintenues pendant toute la pandémie.'),
      figures: [fig(980, 'personnes rencontrées'), fig(7, 'soirs par semaine')],
    },
    {
      number: '2',
      organisation: 'inter-actions',
      title: fr('Surendettement : conseiller à distance'),
      description: fr(
        'Des rendez-vous par téléphone et par vidéo pour les ménages touchés par le chômage partiel.',
      ),
      offers: ['ia-conseil-surendettement'],
      figures: [fig(290, 'ménages conseillés'), fig(60, '% de rendez-vous à distance')],
    },
    {
      number: '3',
      organisation: 'inter-actions',
      title: fr('Premier Appel : orienter sans abri, même la nuit'),
      description: fr('Une première orientation des personnes sans abri vers un hébergement.'),
      offers: ['ia-premier-appel'],
      figures: [fig(410, 'personnes orientées')],
    },
    {
      number: '4',
      organisation: 'caritas-luxembourg',
      title: fr('Caritas Buttek : l’épicerie sociale face à la crise'),
      description: fr('Des commandes à emporter pendant les confinements, puis la réouverture du magasin.'),
      offers: ['caritas-epicerie-sociale'],
      figures: [fig(1400, 'ménages clients'), fig(30, '% de nouveaux clients')],
    },
    {
      number: '5',
      organisation: 'croix-rouge',
      title: fr('Aide d’urgence : répondre à la demande qui double'),
      description: fr(
        'Aides financières et colis alimentaires pour les ménages sans revenu du jour au lendemain.',
      ),
      offers: ['croix-rouge-aide-sociale'],
      figures: [fig(1800, 'aides d’urgence accordées')],
    },
    {
      number: '6',
      organisation: 'office-social-luxembourg',
      title: fr('REVIS et aide sociale : les demandes de la crise'),
      description: fr('Comment l’Office social a traité les demandes en hausse pendant la pandémie.'),
      offers: ['osvl-revis-orientation'],
      figures: [fig(1600, 'demandes reçues')],
    },
    {
      number: '7',
      organisation: 'wunnengshellef',
      title: fr('Garder son logement pendant la crise'),
      description: fr('Un accompagnement renforcé pour éviter les expulsions.'),
      offers: ['wunnengshellef-logement-accompagne'],
      figures: [fig(190, 'ménages logés'), fig(0, 'expulsions')],
    },
    {
      number: '8',
      organisation: 'co-labor',
      title: fr('Travailler dehors quand tout est fermé'),
      description: fr('Les équipes d’insertion ont continué l’entretien des espaces verts.'),
      offers: ['co-labor-insertion-jardinage'],
      figures: [fig(70, 'salariés en insertion')],
    },
    {
      number: '9',
      organisation: 'medecins-du-monde',
      title: fr('Soigner celles et ceux qui n’ont pas d’assurance'),
      description: fr('Consultations, tests et vaccination pour les personnes sans couverture maladie.'),
      offers: ['mdm-consultations-medicales'],
      figures: [fig(3300, 'consultations')],
    },
    {
      number: '10',
      organisation: 'ligue-medico-sociale',
      title: fr('Les centres médico-sociaux restés ouverts'),
      description: fr('Consultations sociales maintenues sur place, avec rendez-vous.'),
      offers: ['ligue-consultations-sociales'],
      figures: [fig(4700, 'consultations')],
    },
    {
      number: '11',
      organisation: 'kontact-28',
      title: fr('Un accueil de jour à bas seuil, malgré tout'),
      description: fr('Douches, repas à emporter et écoute, en petits groupes.'),
      offers: ['kontact28-accueil-bas-seuil'],
      figures: [fig(60, 'passages par jour')],
    },
    {
      number: '12',
      organisation: 'solina',
      title: fr('Adolescents en foyer : l’école à distance'),
      description: fr('Ordinateurs, horaires et soutien scolaire pour suivre les cours depuis le foyer.'),
      offers: ['solina-foyer-jeunes'],
      figures: [fig(40, 'adolescents accueillis')],
    },
    {
      number: '13',
      organisation: 'mateneen',
      title: fr('Tables de conversation en ligne'),
      description: fr('Les tables de conversation passées en vidéo, puis de retour en vrai.'),
      offers: ['mateneen-tables-conversation'],
      figures: [fig(9, 'tables par semaine')],
    },
    {
      number: '14',
      organisation: 'fondation-eme',
      title: fr('Concerts aux fenêtres'),
      description: fr('Des musiciens devant les maisons de soins quand les visites étaient interdites.'),
      offers: ['eme-musique-institutions'],
      figures: [fig(120, 'concerts')],
    },
    {
      number: '15',
      organisation: 'microlux',
      title: fr('Microcrédit : relancer une activité après la crise'),
      description: fr('Des reports d’échéances et de nouveaux prêts pour repartir.'),
      offers: ['microlux-microcredit'],
      figures: [fig(52, 'microcrédits accordés')],
    },
  ],
  named: [
    {
      name: 'Anne Weber',
      email: ORGANISER_EMAIL,
      organisation: ORGANISER_SLUG,
      function: 'coordinatrice des Assises sociales',
      category: 'ORGANISER',
    },
    {
      name: 'Paul Kieffer',
      email: 'paul.kieffer@office-social.example',
      organisation: 'office-social-luxembourg',
      function: 'chef de service adjoint',
      category: 'PUBLIC_SECTOR',
    },
    {
      name: 'Sophie Weber',
      email: 'sophie.weber@inter-actions.example',
      organisation: 'inter-actions',
      function: 'responsable du catalogue',
      category: 'PARTNER_STAFF',
    },
    {
      name: 'Jean Muller',
      email: 'jean.muller@croix-rouge.example',
      organisation: 'croix-rouge',
      function: 'directeur de l’action sociale',
      category: 'PARTNER_STAFF',
    },
    {
      name: 'Ana Ferreira',
      email: 'ana.ferreira@caritas.example',
      organisation: 'caritas-luxembourg',
      function: 'assistante sociale',
      category: 'PARTNER_STAFF',
    },
  ],
  quotas: [
    { organisation: ORGANISER_SLUG, count: 4, categories: { ORGANISER: 1 } },
    { organisation: 'inter-actions', count: 26, categories: { PARTNER_STAFF: 95, VOLUNTEER: 5 } },
    { organisation: 'caritas-luxembourg', count: 16, categories: { PARTNER_STAFF: 85, VOLUNTEER: 15 } },
    { organisation: 'croix-rouge', count: 16, categories: { PARTNER_STAFF: 80, VOLUNTEER: 20 } },
    { organisation: 'office-social-luxembourg', count: 8, categories: { PUBLIC_SECTOR: 1 } },
    { organisation: 'solina', count: 6, categories: { PARTNER_STAFF: 1 } },
    { organisation: 'wunnengshellef', count: 7, categories: { PARTNER_STAFF: 1 } },
    { organisation: 'co-labor', count: 5, categories: { PARTNER_STAFF: 1 } },
    { organisation: 'mateneen', count: 6, categories: { PARTNER_STAFF: 40, VOLUNTEER: 60 } },
    { organisation: 'fondation-eme', count: 4, categories: { PARTNER_STAFF: 70, VOLUNTEER: 30 } },
    { organisation: 'microlux', count: 3, categories: { PARTNER_STAFF: 1 } },
    { organisation: 'medecins-du-monde', count: 8, categories: { PARTNER_STAFF: 60, VOLUNTEER: 40 } },
    { organisation: 'ligue-medico-sociale', count: 10, categories: { PARTNER_STAFF: 1 } },
    { organisation: 'jugend-a-drogenhellef', count: 4, categories: { PARTNER_STAFF: 1 } },
    { organisation: 'kontact-28', count: 3, categories: { PARTNER_STAFF: 1 } },
    { organisation: 'passerelles-nouveaux-arrivants', count: 4, categories: { PARTNER_STAFF: 1 } },
    { organisation: 'ona', count: 2, categories: { PUBLIC_SECTOR: 1 } },
    {
      organisation: {
        name: 'Ministère de la Famille, de l’Intégration et à la Grande Région',
        domain: 'fm.example',
      },
      count: 2,
      categories: { PUBLIC_SECTOR: 1 },
    },
    {
      organisation: { name: 'Luxemburger Wort', domain: 'wort.example' },
      count: 1,
      categories: { PRESS: 1 },
    },
    { organisation: { name: 'Tageblatt', domain: 'tageblatt.example' }, count: 1, categories: { PRESS: 1 } },
    {
      organisation: { name: 'Université du Luxembourg', domain: 'uni.example' },
      count: 2,
      categories: { OTHER: 1 },
    },
  ],
  cancelled: 2,
  checkedIn: 0.86,
  // Erased once the edition was over.
  accessibilityNeeds: [],
  seed: 2021,
};
