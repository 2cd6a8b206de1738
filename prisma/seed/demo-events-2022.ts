/**
 * The second Assises sociales (2022): about 250 participants, 36 stands, a plenary opening, two
 * round tables and four workshops of 30 places (two of them full, with a waitlist). The day and the
 * people are invented; the organisations and their offers are the demo catalogue's. OPEN, so that
 * registration, the public page and check-in can be tried (demo-events.ts#registrationClosesAt).
 */
import { ORGANISER_EMAIL, ORGANISER_SLUG } from './demo-events-organiser.ts';
import type { DemoEdition, DemoFigure, EventText } from './demo-events-types.ts';

export const EDITION_2022_SLUG = 'assises-sociales-2022';

const fig = (value: number, fr: string, de?: string, en?: string): DemoFigure => ({
  value,
  label: { fr, ...(de ? { de } : {}), ...(en ? { en } : {}) },
});
const fr = (text: string): EventText => ({ fr: text });

const RADIO = { name: 'Radio 100,7', domain: '100komma7.example' };
const UNI = { name: 'Université du Luxembourg', domain: 'uni.example' };

export const edition2022: DemoEdition = {
  slug: EDITION_2022_SLUG,
  title: {
    fr: 'Assises sociales 2022 – deuxième édition',
    de: 'Assises sociales 2022 – zweite Ausgabe',
    en: 'Assises sociales 2022 – second edition',
  },
  description: {
    fr:
      'Trente-six équipes présentent leurs projets sur les stands du Centre culturel de Bonnevoie ; ' +
      'deux tables rondes et quatre ateliers. Inscription avec le code d’invitation de votre organisation.',
    de:
      'Sechsunddreißig Teams stellen ihre Projekte an Ständen im Centre culturel de Bonnevoie vor; ' +
      'zwei Podiumsdiskussionen und vier Workshops. Anmeldung mit dem Einladungscode Ihrer Organisation.',
    en:
      'Thirty-six teams present their projects at stands in the Bonnevoie cultural centre; two round ' +
      'tables and four workshops. Register with your organisation’s invitation code.',
  },
  date: '2022-11-24',
  opens: '08:30',
  closes: '17:30',
  status: 'OPEN',
  sessions: [
    {
      key: 'ouverture',
      kind: 'PLENARY',
      title: {
        fr: 'Ouverture : le réseau, un an après',
        de: 'Eröffnung: das Netzwerk, ein Jahr danach',
        en: 'Opening: the network, one year on',
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
      demand: 190,
    },
    {
      key: 'table-logement',
      kind: 'ROUND_TABLE',
      title: {
        fr: 'Du sans-abrisme au logement : ce qui a marché cette année',
        de: 'Von der Obdachlosigkeit zur Wohnung: was dieses Jahr funktioniert hat',
        en: 'From homelessness to housing: what worked this year',
      },
      description: fr(
        'Streetwork, premier accueil, logement accompagné, gestion locative sociale : quatre maillons ' +
          'd’une même chaîne racontent les passages de relais réussis et ceux qui restent à construire.',
      ),
      starts: '10:00',
      ends: '11:15',
      room: 'Grande salle',
      speakers: [
        { name: 'Nadine Goergen', organisation: 'wunnengshellef', function: 'directrice' },
        { name: 'Luc Feltgen', organisation: 'inter-actions', function: 'streetworker' },
        { name: 'Carla Teixeira', organisation: 'caritas-luxembourg', function: 'assistante sociale' },
        { name: 'Serge Lanners', organisation: 'office-social-luxembourg', function: 'chef de service' },
        { name: 'Hélène Rousseau', organisation: RADIO, function: 'journaliste, modératrice' },
      ],
      demand: 120,
    },
    {
      key: 'table-sante',
      kind: 'ROUND_TABLE',
      title: {
        fr: 'Santé et précarité : aller vers les personnes',
        de: 'Gesundheit und Armut: auf die Menschen zugehen',
        en: 'Health and poverty: reaching out to people',
      },
      description: fr(
        'Maraudes, consultations sans rendez-vous, dépistage, soins à domicile : comment faire venir les ' +
          'soins là où sont les personnes, et les personnes là où sont les soins.',
      ),
      starts: '11:30',
      ends: '12:45',
      room: 'Grande salle',
      speakers: [
        { name: 'Julien Mercier', organisation: 'medecins-du-monde', function: 'médecin coordinateur' },
        {
          name: 'Sylvie Majerus',
          organisation: 'ligue-medico-sociale',
          function: 'infirmière en santé communautaire',
        },
        { name: 'Pit Scholtes', organisation: 'kontact-28', function: 'éducateur' },
        { name: 'Katrin Becker', organisation: 'croix-rouge', function: 'responsable des aides et soins' },
        {
          name: 'Georges Bintner',
          organisation: UNI,
          function: 'chercheur en politiques sociales, modérateur',
        },
      ],
      demand: 105,
    },
    {
      key: 'atelier-premier-accueil',
      kind: 'WORKSHOP',
      title: {
        fr: 'Premier accueil des nouveaux arrivants : qui fait quoi ?',
        de: 'Erstaufnahme von Neuankömmlingen: wer macht was?',
        en: 'First reception of newcomers: who does what?',
      },
      description: fr(
        'À partir de trois situations réelles (anonymisées), les participants dessinent le parcours ' +
          'd’une famille qui arrive, de la première nuit au premier rendez-vous administratif.',
      ),
      starts: '14:00',
      ends: '15:15',
      room: 'Salle 1',
      capacity: 30,
      speakers: [
        {
          name: 'Yasmina Haddad',
          organisation: 'passerelles-nouveaux-arrivants',
          function: 'assistante sociale',
          email: 'yasmina.haddad@passerelles.example',
        },
        {
          name: 'Olena Kovalenko',
          organisation: 'caritas-luxembourg',
          function: 'coordinatrice Welcome',
          email: 'olena.kovalenko@caritas.example',
        },
      ],
      demand: 37,
    },
    {
      key: 'atelier-surendettement',
      kind: 'WORKSHOP',
      title: {
        fr: 'Surendettement : repérer tôt, orienter bien',
        de: 'Überschuldung: früh erkennen, gut weiterleiten',
        en: 'Over-indebtedness: spot it early, refer it well',
      },
      starts: '14:00',
      ends: '15:15',
      room: 'Salle 2',
      capacity: 30,
      speakers: [
        { name: 'Rui Gonçalves', organisation: 'inter-actions', function: 'conseiller en surendettement' },
        {
          name: 'Mathilde Perrin',
          organisation: 'ligue-medico-sociale',
          function: 'conseillère en surendettement',
        },
      ],
      demand: 24,
    },
    {
      key: 'atelier-orienter',
      kind: 'WORKSHOP',
      title: {
        fr: 'Orienter vers une offre du réseau : Maillage en pratique',
        de: 'An ein Angebot im Netzwerk weiterleiten: Maillage in der Praxis',
        en: 'Referring to an offer of the network: Maillage in practice',
      },
      description: fr(
        'Une assistante sociale de l’Office social envoie une orientation, un assistant social ' +
          'd’Inter-Actions la reçoit : le consentement, les pièces, le suivi jusqu’au résultat.',
      ),
      starts: '15:30',
      ends: '16:45',
      room: 'Salle 1',
      capacity: 30,
      speakers: [
        {
          name: 'Léa Hoffmann',
          organisation: 'office-social-luxembourg',
          function: 'assistante sociale',
          email: 'lea.hoffmann@office-social.example',
        },
        {
          name: 'Marc Schmit',
          organisation: 'inter-actions',
          function: 'assistant social',
          email: 'marc.schmit@inter-actions.example',
        },
      ],
      demand: 33,
    },
    {
      key: 'atelier-benevoles',
      kind: 'WORKSHOP',
      title: {
        fr: 'Bénévoles et professionnels : travailler ensemble',
        de: 'Ehrenamtliche und Fachkräfte: zusammenarbeiten',
        en: 'Volunteers and professionals: working together',
      },
      starts: '15:30',
      ends: '16:45',
      room: 'Salle 3',
      capacity: 30,
      speakers: [
        { name: 'Joana Ribeiro', organisation: 'mateneen', function: 'coordinatrice des bénévoles' },
        { name: 'Tobias Keller', organisation: 'croix-rouge', function: 'responsable du bénévolat' },
      ],
      demand: 17,
    },
  ],
  stands: [
    {
      number: 'A1',
      organisation: 'inter-actions',
      title: {
        fr: 'Streetwork : aller vers les personnes dans la rue',
        de: 'Streetwork: auf die Menschen auf der Straße zugehen',
        en: 'Streetwork: reaching people on the street',
      },
      description: {
        fr:
          'Nos streetworkers sillonnent la Gare, le centre et Bonnevoie cinq soirs par semaine ; Streetsport ' +
          'ouvre les terrains aux jeunes qui ne fréquentent aucune structure.',
        de:
          'Unsere Streetworker sind fünf Abende pro Woche im Bahnhofsviertel, im Zentrum und in Bonneweg ' +
          'unterwegs; Streetsport öffnet die Sportplätze für Jugendliche, die keine Einrichtung besuchen.',
        en:
          'Our streetworkers walk the station district, the centre and Bonnevoie five evenings a week; ' +
          'Streetsport opens the pitches to young people who attend no service.',
      },
      offers: ['ia-streetwork-ville', 'ia-streetsport'],
      results: {
        fr: 'Les tournées communes avec la maraude santé de Médecins du Monde orientent plus vite vers les soins.',
        de: 'Gemeinsame Runden mit der Gesundheitsstreife von Médecins du Monde führen schneller zur Versorgung.',
        en: 'Joint rounds with Médecins du Monde’s night health patrol get people to care sooner.',
      },
      figures: [
        fig(1240, 'personnes rencontrées', 'angetroffene Personen', 'people met'),
        fig(310, 'orientations vers un partenaire', 'Weiterleitungen an Partner', 'referrals to a partner'),
      ],
    },
    {
      number: 'A2',
      organisation: 'inter-actions',
      title: fr('Maisons des jeunes : des lieux ouverts dans six quartiers'),
      description: fr(
        'Accueil libre, devoirs, projets et sorties : les maisons des jeunes de la Gare, de Bonnevoie et ' +
          'de quatre autres quartiers accueillent les 12–26 ans sans inscription.',
      ),
      offers: ['ia-jugendhaus-gare', 'ia-jugendhaus-studio-bonnevoie'],
      results: fr(
        'L’ouverture du samedi, testée à la Gare, attire des 16–21 ans qui ne venaient pas en semaine.',
      ),
      figures: [fig(420, 'jeunes accueillis par semaine'), fig(18, 'projets menés par les jeunes')],
    },
    {
      number: 'A3',
      organisation: 'inter-actions',
      title: fr('Surendettement : un premier rendez-vous dans les dix jours'),
      description: fr(
        'Information, conseil et suivi budgétaire : nous aidons les ménages à reprendre pied avant que ' +
          'les dettes ne deviennent une procédure.',
      ),
      offers: ['ia-conseil-surendettement', 'ia-suivi-financier'],
      results: fr(
        'Les orientations de l’Office social arrivent avec les pièces demandées : le premier rendez-vous ' +
          'est passé de six semaines à dix jours.',
      ),
      figures: [fig(385, 'ménages accompagnés'), fig(10, 'jours d’attente pour un premier rendez-vous')],
    },
    {
      number: 'A4',
      organisation: 'inter-actions',
      title: fr('Travail communautaire à Gare-Bonnevoie et au Grund'),
      description: fr(
        'Avec les habitants, les commerçants et les associations du quartier : fêtes de rue, jardins, ' +
          'permanences et projets portés par les voisins.',
      ),
      offers: ['ia-ensemble-gare-bonnevoie', 'ia-travail-communautaire-grund'],
      results: fr('La fête de la rue de Strasbourg, préparée avec quatorze associations du quartier.'),
      figures: [fig(260, 'habitants impliqués'), fig(14, 'associations partenaires')],
    },
    {
      number: 'A5',
      organisation: 'inter-actions',
      title: fr('Premier Appel : une première orientation pour les personnes sans abri'),
      description: fr(
        'Un numéro et une équipe pour trouver, le jour même, une solution de nuit et un premier ' +
          'rendez-vous ; Obenthalt prend le relais avec un hébergement de transition.',
      ),
      offers: ['ia-premier-appel', 'ia-obenthalt'],
      results: fr('Une place d’hébergement de transition trouvée pour une personne orientée sur trois.'),
      figures: [fig(540, 'personnes orientées'), fig(180, 'hébergements de transition trouvés')],
    },
    {
      number: 'A6',
      organisation: 'inter-actions',
      title: {
        fr: 'Vers l’emploi : coaching ACT et emplois d’insertion',
        de: 'In Arbeit: ACT-Coaching und Beschäftigungsmaßnahmen',
        en: 'Into work: ACT coaching and supported jobs',
      },
      description: {
        fr: 'Un coaching individuel pour les jeunes et des emplois d’insertion dans l’environnement avec Ecotec.',
        de: 'Individuelles Coaching für Jugendliche und Beschäftigungsmaßnahmen im Umweltbereich mit Ecotec.',
        en: 'One-to-one coaching for young people and supported jobs in the environment with Ecotec.',
      },
      offers: ['ia-act-coaching', 'ia-ecotec'],
      results: {
        fr: 'À la sortie, 46 % des jeunes coachés ont un contrat ou une formation.',
        de: '46 % der begleiteten Jugendlichen haben danach einen Vertrag oder eine Ausbildung.',
        en: '46% of the young people coached leave with a contract or a training place.',
      },
      figures: [
        fig(92, 'jeunes coachés', 'begleitete Jugendliche', 'young people coached'),
        fig(
          46,
          '% de sorties vers l’emploi ou une formation',
          '% in Arbeit oder Ausbildung',
          '% into work or training',
        ),
      ],
    },
    {
      number: 'A7',
      organisation: 'inter-actions',
      title: fr('Maisons relais et foyers de jour : l’accueil des enfants au quotidien'),
      description: fr(
        'Repas, devoirs, jeux et vacances : des équipes qui parlent les langues des familles, du Grund ' +
          'à la Gare.',
      ),
      offers: ['ia-haus-vun-de-kanner', 'ia-foyer-pinocchio'],
      results: fr('Un cahier de liaison en quatre langues pour les parents.'),
      figures: [fig(640, 'enfants accueillis'), fig(9, 'langues parlées par les équipes')],
    },
    {
      number: 'A8',
      organisation: 'caritas-luxembourg',
      title: {
        fr: 'Caritas Buttek : faire ses courses dignement',
        de: 'Caritas Buttek: würdevoll einkaufen',
        en: 'Caritas Buttek: shopping with dignity',
      },
      description: {
        fr: 'Une épicerie sociale où l’on choisit ses produits, à prix réduit, sur présentation d’une carte d’accès.',
        de: 'Ein Sozialladen, in dem man seine Produkte selbst auswählt, zu reduzierten Preisen, mit Zugangskarte.',
        en: 'A social grocery where people choose their own products at reduced prices, with an access card.',
      },
      offers: ['caritas-epicerie-sociale'],
      results: {
        fr: 'La carte délivrée par l’office social de la commune évite aux familles de raconter leur histoire deux fois.',
        de: 'Die Karte des kommunalen Sozialamts erspart Familien, ihre Geschichte zweimal zu erzählen.',
        en: 'The card issued by the commune’s social office spares families telling their story twice.',
      },
      figures: [
        fig(1150, 'ménages clients', 'Kundenhaushalte', 'households served'),
        fig(38, '% de produits frais', '% frische Produkte', '% fresh produce'),
      ],
    },
    {
      number: 'A9',
      organisation: 'caritas-luxembourg',
      title: fr('Accueil et orientation : une porte d’entrée sans rendez-vous'),
      description: fr(
        'Une permanence ouverte à tous, pour comprendre la situation et trouver le bon service, chez ' +
          'nous ou chez un partenaire.',
      ),
      offers: ['caritas-accueil-orientation'],
      figures: [fig(2100, 'personnes reçues'), fig(870, 'orientations vers un partenaire')],
    },
    {
      number: 'A10',
      organisation: 'caritas-luxembourg',
      title: {
        fr: 'Accompagner les demandeurs de protection internationale',
        de: 'Antragsteller auf internationalen Schutz begleiten',
        en: 'Supporting applicants for international protection',
      },
      description: {
        fr: 'Information juridique, démarches, logement et intégration, pendant la procédure et après.',
        de: 'Rechtsinformation, Behördengänge, Wohnen und Integration, während des Verfahrens und danach.',
        en: 'Legal information, paperwork, housing and integration, during the procedure and after.',
      },
      offers: ['caritas-aide-refugies'],
      results: {
        fr: 'Des permanences communes avec Passerelles pour les démarches administratives.',
        de: 'Gemeinsame Sprechstunden mit Passerelles für Behördengänge.',
        en: 'Joint drop-in sessions with Passerelles for paperwork.',
      },
      figures: [
        fig(730, 'personnes accompagnées', 'begleitete Personen', 'people supported'),
        fig(44, 'permanences communes', 'gemeinsame Sprechstunden', 'joint drop-in sessions'),
      ],
    },
    {
      number: 'A11',
      organisation: 'croix-rouge',
      title: fr('Aide sociale et aide d’urgence : répondre dans la journée'),
      description: fr(
        'Une aide financière ou matérielle d’urgence, des vêtements au vestiaire et un suivi social ' +
          'quand la situation le demande.',
      ),
      offers: ['croix-rouge-aide-sociale', 'croix-rouge-vestiaire'],
      figures: [fig(960, 'aides d’urgence accordées'), fig(15400, 'vêtements distribués')],
    },
    {
      number: 'A12',
      organisation: 'croix-rouge',
      title: fr('Les foyers pour demandeurs de protection internationale'),
      description: fr('Héberger, accompagner et ouvrir les foyers sur le quartier.'),
      offers: ['croix-rouge-foyer-dpi'],
      results: fr('Douze activités par semaine proposées avec des associations du quartier.'),
      figures: [fig(310, 'résidents'), fig(12, 'activités par semaine')],
    },
    {
      number: 'B1',
      organisation: 'croix-rouge',
      title: fr('Rétablir les liens familiaux'),
      description: fr('Retrouver un proche disparu sur la route de l’exil, et reprendre contact.'),
      offers: ['croix-rouge-liens-familiaux'],
      figures: [fig(145, 'demandes de recherche'), fig(38, 'familles à nouveau en contact')],
    },
    {
      number: 'B2',
      organisation: 'office-social-luxembourg',
      title: {
        fr: 'REVIS : de la demande à l’accompagnement',
        de: 'REVIS: vom Antrag zur Begleitung',
        en: 'REVIS: from application to support',
      },
      description: {
        fr: 'Informer, aider à constituer le dossier du revenu d’inclusion sociale, puis accompagner.',
        de: 'Informieren, beim Antrag auf das Sozialeinkommen REVIS helfen, dann begleiten.',
        en: 'Informing, helping with the social inclusion income (REVIS) application, then supporting.',
      },
      offers: ['osvl-revis-orientation', 'osvl-aide-sociale'],
      results: {
        fr: 'Une liste de pièces commune avec les partenaires : moins d’allers-retours pour les personnes.',
        de: 'Eine gemeinsame Unterlagenliste mit den Partnern: weniger Wege für die Menschen.',
        en: 'A document list shared with partners: fewer trips back and forth for people.',
      },
      figures: [
        fig(1320, 'demandes accompagnées', 'begleitete Anträge', 'applications supported'),
        fig(12, 'jours pour une réponse', 'Tage bis zur Antwort', 'days to an answer'),
      ],
    },
    {
      number: 'B3',
      organisation: 'office-social-luxembourg',
      title: fr('Adresse de référence : exister administrativement sans domicile'),
      description: fr(
        'Une adresse pour recevoir son courrier et ouvrir ses droits quand on n’a pas de logement.',
      ),
      offers: ['osvl-adresse-reference'],
      figures: [fig(410, 'adresses de référence actives'), fig(230, 'ouvertures de droits obtenues')],
    },
    {
      number: 'B4',
      organisation: 'solina',
      title: fr('Foyer pour adolescents : un cadre et un avenir'),
      description: fr('Un foyer où des adolescents placés retrouvent un rythme, une scolarité et un projet.'),
      offers: ['solina-foyer-jeunes'],
      figures: [fig(42, 'adolescents accueillis'), fig(27, 'retours en formation')],
    },
    {
      number: 'B5',
      organisation: 'solina',
      title: fr('Logement encadré pour jeunes adultes'),
      description: fr(
        'Un studio, un éducateur référent et un bail qui passe au nom du jeune quand il est prêt.',
      ),
      offers: ['solina-logement-jeunes-adultes'],
      results: fr('Quatorze baux signés en autonomie cette année.'),
      figures: [fig(35, 'jeunes logés'), fig(14, 'baux signés en autonomie')],
    },
    {
      number: 'B6',
      organisation: 'wunnengshellef',
      title: fr('Logement accompagné : du foyer au bail'),
      description: fr('Un logement et un accompagnement social pour s’y maintenir, jusqu’à l’autonomie.'),
      offers: ['wunnengshellef-logement-accompagne'],
      figures: [fig(210, 'ménages logés'), fig(87, '% encore dans leur logement après deux ans')],
    },
    {
      number: 'B7',
      organisation: 'wunnengshellef',
      title: {
        fr: 'Gestion locative sociale : convaincre les propriétaires',
        de: 'Soziale Mietverwaltung: Eigentümer überzeugen',
        en: 'Social rental management: winning landlords over',
      },
      description: {
        fr: 'Nous louons aux propriétaires privés, garantissons le loyer et sous-louons à des ménages accompagnés.',
        de: 'Wir mieten von privaten Eigentümern, garantieren die Miete und vermieten an begleitete Haushalte weiter.',
        en: 'We rent from private landlords, guarantee the rent and sublet to households we support.',
      },
      offers: ['wunnengshellef-gestion-locative-sociale'],
      results: {
        fr: 'Dix-neuf nouveaux propriétaires cette année, venus par le bouche-à-oreille.',
        de: 'Neunzehn neue Eigentümer in diesem Jahr, durch Mundpropaganda.',
        en: 'Nineteen new landlords this year, by word of mouth.',
      },
      figures: [
        fig(64, 'logements confiés', 'anvertraute Wohnungen', 'homes entrusted'),
        fig(19, 'nouveaux propriétaires', 'neue Eigentümer', 'new landlords'),
      ],
    },
    {
      number: 'B8',
      organisation: 'co-labor',
      title: fr('Espaces verts : des emplois d’insertion à Bertrange et en ville'),
      description: fr(
        'Entretien paysager et horticulture : un contrat, une équipe et un métier pour reprendre pied.',
      ),
      offers: ['co-labor-insertion-jardinage'],
      figures: [fig(85, 'salariés en insertion'), fig(31, 'sorties vers un emploi')],
    },
    {
      number: 'B9',
      organisation: 'mateneen',
      title: {
        fr: 'Tables de conversation : apprendre les langues en se rencontrant',
        de: 'Gesprächstische: Sprachen lernen durch Begegnung',
        en: 'Conversation tables: learning languages by meeting people',
      },
      description: {
        fr: 'Des bénévoles animent des tables en luxembourgeois, français, allemand et anglais, ouvertes à tous.',
        de: 'Ehrenamtliche leiten offene Tische auf Luxemburgisch, Französisch, Deutsch und Englisch.',
        en: 'Volunteers host open tables in Luxembourgish, French, German and English.',
      },
      offers: ['mateneen-tables-conversation'],
      figures: [
        fig(16, 'tables par semaine', 'Tische pro Woche', 'tables a week'),
        fig(48, 'bénévoles animateurs', 'ehrenamtliche Leiter', 'volunteer hosts'),
      ],
    },
    {
      number: 'B10',
      organisation: 'fondation-eme',
      title: fr('La musique là où on ne l’attend pas'),
      description: fr(
        'Des concerts et des ateliers de musique dans les foyers, les hôpitaux et les prisons.',
      ),
      offers: ['eme-musique-institutions'],
      figures: [fig(180, 'concerts en institution'), fig(60, 'institutions partenaires')],
    },
    {
      number: 'B11',
      organisation: 'microlux',
      title: {
        fr: 'Microcrédit : créer son activité quand la banque dit non',
        de: 'Mikrokredit: sich selbstständig machen, wenn die Bank nein sagt',
        en: 'Microcredit: starting a business when the bank says no',
      },
      description: {
        fr: 'Un prêt professionnel jusqu’à 25 000 euros et un accompagnement pendant deux ans.',
        de: 'Ein Geschäftskredit bis 25 000 Euro und zwei Jahre Begleitung.',
        en: 'A business loan of up to 25,000 euros and two years of mentoring.',
      },
      offers: ['microlux-microcredit'],
      figures: [
        fig(74, 'microcrédits accordés', 'vergebene Mikrokredite', 'microloans granted'),
        fig(
          81,
          '% d’entreprises actives après deux ans',
          '% aktive Betriebe nach zwei Jahren',
          '% still trading after two years',
        ),
      ],
    },
    {
      number: 'B12',
      organisation: 'paerds-atelier-liewenshaff',
      title: {
        fr: 'Liewenshaff : vivre, apprendre et travailler à la ferme',
        de: 'Liewenshaff: leben, lernen und arbeiten auf dem Hof',
        en: 'Liewenshaff: living, learning and working on the farm',
      },
      description: {
        fr: 'Une ferme dans l’Ösling où des jeunes en rupture reprennent confiance, avec les chevaux.',
        de: 'Ein Hof im Ösling, auf dem Jugendliche in Krisen mit Pferden wieder Vertrauen fassen.',
        en: 'A farm in the Ösling where young people in crisis regain confidence, with horses.',
      },
      offers: ['liewenshaff-insertion-jeunes', 'liewenshaff-mediation-equine'],
      figures: [
        fig(24, 'jeunes accueillis', 'aufgenommene Jugendliche', 'young people welcomed'),
        fig(310, 'séances de médiation équine', 'pferdegestützte Sitzungen', 'equine mediation sessions'),
      ],
    },
    {
      number: 'C1',
      organisation: 'medecins-du-monde',
      title: fr('Consultations médicales gratuites'),
      description: fr(
        'Des médecins et des infirmiers bénévoles soignent sans conditions celles et ceux qui n’ont pas ' +
          'accès à l’assurance maladie.',
      ),
      offers: ['mdm-consultations-medicales'],
      figures: [fig(4100, 'consultations'), fig(72, '% de patients sans couverture maladie')],
    },
    {
      number: 'C2',
      organisation: 'medecins-du-monde',
      title: fr('Maraude santé de nuit'),
      description: fr('Une équipe soignante dans la rue, la nuit, avec les streetworkers.'),
      offers: ['mdm-maraude-sante'],
      figures: [fig(96, 'maraudes'), fig(620, 'personnes soignées dans la rue')],
    },
    {
      number: 'C3',
      organisation: 'ligue-medico-sociale',
      title: fr('Consultations médico-sociales de proximité'),
      description: fr('Des consultations sociales et pour les tout-petits dans les centres médico-sociaux.'),
      offers: ['ligue-consultations-sociales', 'ligue-consultations-nourrissons'],
      figures: [fig(5200, 'consultations'), fig(3, 'centres médico-sociaux présents')],
    },
    {
      number: 'C4',
      organisation: 'ligue-medico-sociale',
      title: fr('Prévenir le surendettement dès l’école'),
      description: fr('Des ateliers budget dans les lycées et un conseil pour les familles.'),
      offers: ['ligue-surendettement'],
      results: fr('Un module budget repris par trois lycées dans leur programme.'),
      figures: [fig(58, 'classes rencontrées'), fig(1030, 'élèves')],
    },
    {
      number: 'C5',
      organisation: 'jugend-a-drogenhellef',
      title: fr('Consultation pour personnes dépendantes et leurs proches'),
      description: fr(
        'Écouter, informer et soigner, sans jugement, les personnes dépendantes et leur entourage.',
      ),
      offers: ['jdh-consultation-addictions'],
      figures: [fig(680, 'personnes suivies'), fig(150, 'proches reçus')],
    },
    {
      number: 'C6',
      organisation: 'jugend-a-drogenhellef',
      title: fr('Substitution : un traitement et une vie stable'),
      description: fr('Un programme de substitution avec un suivi médical, psychologique et social.'),
      offers: ['jdh-substitution'],
      figures: [fig(420, 'patients'), fig(64, '% avec un logement stable')],
    },
    {
      number: 'C7',
      organisation: 'kontact-28',
      title: {
        fr: 'Kontact 28 : un accueil de jour sans conditions',
        de: 'Kontact 28: Tagesaufenthalt ohne Bedingungen',
        en: 'Kontact 28: a day centre with no conditions',
      },
      description: {
        fr: 'Un café, une douche, une écoute et un dépistage rapide, à deux pas de la Gare.',
        de: 'Ein Kaffee, eine Dusche, ein offenes Ohr und ein Schnelltest, nahe dem Bahnhof.',
        en: 'A coffee, a shower, someone to listen and a rapid test, a stone’s throw from the station.',
      },
      offers: ['kontact28-accueil-bas-seuil', 'kontact28-depistage'],
      figures: [
        fig(85, 'passages par jour', 'Besuche pro Tag', 'visits a day'),
        fig(460, 'dépistages rapides', 'Schnelltests', 'rapid tests'),
      ],
    },
    {
      number: 'C8',
      organisation: 'passerelles-nouveaux-arrivants',
      title: fr('Accompagnement administratif et interprétariat social'),
      description: fr(
        'Comprendre un courrier, remplir un formulaire, se faire comprendre à un rendez-vous important.',
      ),
      offers: ['passerelles-accompagnement-administratif', 'passerelles-interpretariat'],
      figures: [fig(1900, 'rendez-vous accompagnés'), fig(22, 'langues d’interprétariat')],
    },
    {
      number: 'C9',
      organisation: 'passerelles-nouveaux-arrivants',
      title: fr('Cours de français : les premiers pas'),
      description: fr('Des cours du soir pour débutants, avec une garderie pendant le cours.'),
      offers: ['passerelles-cours-francais'],
      figures: [fig(240, 'apprenants'), fig(16, 'groupes')],
    },
    {
      number: 'C10',
      organisation: 'ona',
      title: fr('L’accueil des demandeurs de protection internationale'),
      description: fr(
        'Hébergement, aide matérielle et orientation : comment l’ONA travaille avec les associations ' +
          'présentes dans ses structures.',
      ),
      offers: [],
      figures: [fig(120, 'résidents accompagnés vers un logement')],
    },
    {
      number: 'C11',
      organisation: ORGANISER_SLUG,
      title: {
        fr: 'Le Service des affaires sociales : financer et relier',
        de: 'Der Sozialdienst der Stadt: finanzieren und verbinden',
        en: 'The social affairs department: funding and connecting',
      },
      description: {
        fr: 'Les conventions avec les associations, le guide social de la Ville et le réseau Maillage.',
        de: 'Die Konventionen mit den Vereinigungen, der Sozialführer der Stadt und das Netzwerk Maillage.',
        en: 'The agreements with associations, the City’s social guide and the Maillage network.',
      },
      offers: [],
      figures: [
        fig(36, 'équipes présentes aujourd’hui', 'heute anwesende Teams', 'teams here today'),
        fig(15, 'équipes en 2021', 'Teams im Jahr 2021', 'teams in 2021'),
      ],
    },
    {
      number: 'C12',
      organisation: ORGANISER_SLUG,
      title: fr('Vos idées pour les Assises 2023'),
      description: fr(
        'Un mur d’idées et un questionnaire court : ce qui vous a servi aujourd’hui, ce qui manquait.',
      ),
      offers: [],
      results: fr('Les réponses de 2021 ont donné les ateliers de cette année.'),
      figures: [fig(4, 'ateliers nés des idées de 2021')],
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
      name: 'Lucie Thill',
      email: 'lucie.thill@inter-actions.example',
      organisation: 'inter-actions',
      function: 'coordinatrice Welcome',
      category: 'PARTNER_STAFF',
    },
    {
      name: 'Ana Ferreira',
      email: 'ana.ferreira@caritas.example',
      organisation: 'caritas-luxembourg',
      function: 'assistante sociale',
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
      name: 'Tom Wagner',
      email: 'tom.wagner@kontact28.example',
      organisation: 'kontact-28',
      function: 'éducateur de rue',
      category: 'PARTNER_STAFF',
    },
    {
      name: 'Carole Kremer',
      email: 'carole.kremer@ona.example',
      organisation: 'ona',
      function: 'responsable de l’hébergement',
      category: 'PUBLIC_SECTOR',
    },
  ],
  quotas: [
    { organisation: ORGANISER_SLUG, count: 7, categories: { ORGANISER: 1 } },
    { organisation: 'inter-actions', count: 35, categories: { PARTNER_STAFF: 95, VOLUNTEER: 5 } },
    { organisation: 'caritas-luxembourg', count: 25, categories: { PARTNER_STAFF: 85, VOLUNTEER: 15 } },
    { organisation: 'croix-rouge', count: 23, categories: { PARTNER_STAFF: 80, VOLUNTEER: 20 } },
    { organisation: 'office-social-luxembourg', count: 12, categories: { PUBLIC_SECTOR: 1 } },
    { organisation: 'solina', count: 11, categories: { PARTNER_STAFF: 1 } },
    { organisation: 'wunnengshellef', count: 11, categories: { PARTNER_STAFF: 1 } },
    { organisation: 'co-labor', count: 8, categories: { PARTNER_STAFF: 1 } },
    { organisation: 'mateneen', count: 10, categories: { PARTNER_STAFF: 40, VOLUNTEER: 60 } },
    { organisation: 'fondation-eme', count: 6, categories: { PARTNER_STAFF: 70, VOLUNTEER: 30 } },
    { organisation: 'microlux', count: 5, categories: { PARTNER_STAFF: 1 } },
    { organisation: 'paerds-atelier-liewenshaff', count: 6, categories: { PARTNER_STAFF: 1 } },
    { organisation: 'medecins-du-monde', count: 12, categories: { PARTNER_STAFF: 60, VOLUNTEER: 40 } },
    { organisation: 'ligue-medico-sociale', count: 15, categories: { PARTNER_STAFF: 1 } },
    { organisation: 'jugend-a-drogenhellef', count: 7, categories: { PARTNER_STAFF: 1 } },
    { organisation: 'kontact-28', count: 4, categories: { PARTNER_STAFF: 1 } },
    {
      organisation: 'passerelles-nouveaux-arrivants',
      count: 9,
      categories: { PARTNER_STAFF: 70, VOLUNTEER: 30 },
    },
    { organisation: 'ona', count: 6, categories: { PUBLIC_SECTOR: 1 } },
    {
      organisation: {
        name: 'Ministère de la Famille, de l’Intégration et à la Grande Région',
        domain: 'fm.example',
      },
      count: 4,
      categories: { PUBLIC_SECTOR: 1 },
    },
    {
      organisation: { name: 'Office social de Hesperange', domain: 'os-hesperange.example' },
      count: 2,
      categories: { PUBLIC_SECTOR: 1 },
    },
    {
      organisation: { name: 'Ville d’Esch-sur-Alzette – service social', domain: 'esch.example' },
      count: 2,
      categories: { PUBLIC_SECTOR: 1 },
    },
    {
      organisation: { name: 'Fonds du Logement', domain: 'fondsdulogement.example' },
      count: 2,
      categories: { PUBLIC_SECTOR: 1 },
    },
    { organisation: UNI, count: 3, categories: { OTHER: 1 } },
    {
      organisation: { name: 'Luxemburger Wort', domain: 'wort.example' },
      count: 1,
      categories: { PRESS: 1 },
    },
    { organisation: { name: 'Tageblatt', domain: 'tageblatt.example' }, count: 1, categories: { PRESS: 1 } },
    { organisation: RADIO, count: 1, categories: { PRESS: 1 } },
    {
      organisation: { name: 'L’essentiel', domain: 'lessentiel.example' },
      count: 1,
      categories: { PRESS: 1 },
    },
  ],
  cancelled: 6,
  checkedIn: 0.72,
  accessibilityNeeds: [
    'Fauteuil roulant : une place en bout de rang dans la grande salle.',
    'Malentendante : boucle magnétique, ou une place près de l’écran de sous-titrage.',
    'Interprétation en langue des signes allemande pour la plénière.',
    'Chien d’assistance.',
    'Béquilles : l’ascenseur et une chaise pendant les ateliers.',
  ],
  seed: 2022,
};
