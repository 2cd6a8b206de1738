/**
 * The catalogue the load benchmarks run on (bench/catalogue.ts, bench/match.ts): vocabulary and the
 * set-based generator, moved here from bench/catalogue.ts so that both fill the same data.
 */
import type pg from 'pg';
import { COMMUNES } from '../src/modules/catalogue/communes.ts';

// ---------------------------------------------------------------------------------------------
// Vocabulary. Titles and descriptions are put together from these in SQL, so that words recur
// with the frequencies of a real catalogue (many housing and language offers, few on mobility).
// ---------------------------------------------------------------------------------------------

export interface Text3 {
  fr: string;
  de: string;
  en: string;
}
export interface TopTheme extends Text3 {
  code: string;
  /** A sentence on the theme's everyday words, put in descriptions (separate German words too). */
  words: Text3;
  subs: (Text3 & { code: string })[];
}

/** 18 top themes × 3 sub-themes, most frequent first (the generator skews towards the top). */
export const THEMES: TopTheme[] = [
  {
    code: 'housing',
    fr: 'Logement',
    de: 'Wohnen',
    en: 'Housing',
    words: {
      fr: 'Trouver et garder un logement, aide au loyer.',
      de: 'Eine Wohnung finden und behalten, Hilfe bei der Miete.',
      en: 'Finding and keeping a home, help with the rent.',
    },
    subs: [
      {
        code: 'housing.emergency_shelter',
        fr: "Hébergement d'urgence",
        de: 'Notunterkunft',
        en: 'Emergency shelter',
      },
      { code: 'housing.search', fr: 'Recherche de logement', de: 'Wohnungssuche', en: 'Housing search' },
      { code: 'housing.social_housing', fr: 'Logement social', de: 'Sozialwohnung', en: 'Social housing' },
    ],
  },
  {
    code: 'language',
    fr: 'Langues',
    de: 'Sprachen',
    en: 'Languages',
    words: {
      fr: 'Apprendre une langue, du niveau A1 au niveau B2.',
      de: 'Eine Sprache lernen, von Niveau A1 bis B2.',
      en: 'Learning a language, from level A1 to B2.',
    },
    subs: [
      { code: 'language.french', fr: 'Cours de français', de: 'Französischkurs', en: 'French classes' },
      { code: 'language.german', fr: "Cours d'allemand", de: 'Deutschkurs', en: 'German classes' },
      {
        code: 'language.luxembourgish',
        fr: 'Cours de luxembourgeois',
        de: 'Luxemburgischkurs',
        en: 'Luxembourgish classes',
      },
    ],
  },
  {
    code: 'employment',
    fr: 'Emploi',
    de: 'Arbeit',
    en: 'Employment',
    words: {
      fr: "Trouver un emploi, rédiger un CV, préparer un entretien d'embauche.",
      de: 'Arbeit finden, Lebenslauf schreiben, Vorstellungsgespräch vorbereiten.',
      en: 'Finding a job, writing a CV, preparing a job interview.',
    },
    subs: [
      { code: 'employment.job_search', fr: "Recherche d'emploi", de: 'Arbeitssuche', en: 'Job search' },
      {
        code: 'employment.vocational_training',
        fr: 'Formation professionnelle',
        de: 'Berufsausbildung',
        en: 'Vocational training',
      },
      {
        code: 'employment.integration',
        fr: 'Insertion professionnelle',
        de: 'Berufliche Eingliederung',
        en: 'Work integration',
      },
    ],
  },
  {
    code: 'debt',
    fr: 'Dettes',
    de: 'Schulden',
    en: 'Debt',
    words: {
      fr: 'Dettes, factures impayées, plan de remboursement.',
      de: 'Schulden, unbezahlte Rechnungen, Rückzahlungsplan.',
      en: 'Debts, unpaid bills, repayment plan.',
    },
    subs: [
      { code: 'debt.counselling', fr: 'Conseil en dettes', de: 'Schuldnerberatung', en: 'Debt counselling' },
      { code: 'debt.budget', fr: 'Gestion du budget', de: 'Budgetberatung', en: 'Budget management' },
      { code: 'debt.over_indebtedness', fr: 'Surendettement', de: 'Überschuldung', en: 'Over-indebtedness' },
    ],
  },
  {
    code: 'health',
    fr: 'Santé',
    de: 'Gesundheit',
    en: 'Health',
    words: {
      fr: 'Santé physique et mentale, accès aux soins.',
      de: 'Körperliche und psychische Gesundheit, Zugang zur Versorgung.',
      en: 'Physical and mental health, access to care.',
    },
    subs: [
      { code: 'health.mental', fr: 'Santé mentale', de: 'Psychische Gesundheit', en: 'Mental health' },
      { code: 'health.care', fr: 'Soins médicaux', de: 'Medizinische Versorgung', en: 'Medical care' },
      {
        code: 'health.prevention',
        fr: 'Prévention santé',
        de: 'Gesundheitsvorsorge',
        en: 'Health prevention',
      },
    ],
  },
  {
    code: 'family',
    fr: 'Famille',
    de: 'Familie',
    en: 'Family',
    words: {
      fr: 'Parents et enfants, vie de famille, séparation.',
      de: 'Eltern und Kinder, Familienleben, Trennung.',
      en: 'Parents and children, family life, separation.',
    },
    subs: [
      {
        code: 'family.parenting',
        fr: 'Soutien à la parentalité',
        de: 'Elternberatung',
        en: 'Parenting support',
      },
      { code: 'family.childcare', fr: "Garde d'enfants", de: 'Kinderbetreuung', en: 'Childcare' },
      {
        code: 'family.mediation',
        fr: 'Médiation familiale',
        de: 'Familienmediation',
        en: 'Family mediation',
      },
    ],
  },
  {
    code: 'youth',
    fr: 'Jeunesse',
    de: 'Jugend',
    en: 'Youth',
    words: {
      fr: 'Jeunes de 12 à 26 ans, loisirs, école, premiers pas.',
      de: 'Jugendliche von 12 bis 26 Jahren, Freizeit, Schule, erste Schritte.',
      en: 'Young people from 12 to 26, leisure, school, first steps.',
    },
    subs: [
      { code: 'youth.centre', fr: 'Maison des jeunes', de: 'Jugendhaus', en: 'Youth centre' },
      { code: 'youth.school_support', fr: 'Soutien scolaire', de: 'Nachhilfe', en: 'Homework help' },
      { code: 'youth.counselling', fr: 'Écoute jeunes', de: 'Jugendberatung', en: 'Youth counselling' },
    ],
  },
  {
    code: 'migration',
    fr: 'Migration',
    de: 'Migration',
    en: 'Migration',
    words: {
      fr: "Titre de séjour, démarches administratives, droit d'asile.",
      de: 'Aufenthaltstitel, Behördengänge, Asylrecht.',
      en: 'Residence permit, paperwork, right of asylum.',
    },
    subs: [
      { code: 'migration.asylum', fr: "Demande d'asile", de: 'Asylantrag', en: 'Asylum application' },
      { code: 'migration.integration', fr: 'Intégration', de: 'Integration', en: 'Integration' },
      {
        code: 'migration.paperwork',
        fr: 'Aide administrative',
        de: 'Behördenhilfe',
        en: 'Help with paperwork',
      },
    ],
  },
  {
    code: 'food',
    fr: 'Alimentation',
    de: 'Ernährung',
    en: 'Food',
    words: {
      fr: 'Aide alimentaire, repas chauds, produits de base à petit prix.',
      de: 'Lebensmittel, warme Mahlzeiten, Grundnahrungsmittel zu kleinen Preisen.',
      en: 'Food aid, hot meals, basic products at low prices.',
    },
    subs: [
      { code: 'food.social_grocery', fr: 'Épicerie sociale', de: 'Sozialladen', en: 'Social grocery' },
      { code: 'food.meals', fr: 'Repas solidaires', de: 'Mittagstisch', en: 'Community meals' },
      { code: 'food.aid', fr: 'Aide alimentaire', de: 'Lebensmittelhilfe', en: 'Food aid' },
    ],
  },
  {
    code: 'homelessness',
    fr: 'Sans-abrisme',
    de: 'Obdachlosigkeit',
    en: 'Homelessness',
    words: {
      fr: 'Personnes sans abri, douche, vestiaire, nuit au chaud.',
      de: 'Obdachlose Menschen, Dusche, Kleiderkammer, warme Nacht.',
      en: 'Homeless people, showers, clothes, a warm night.',
    },
    subs: [
      { code: 'homelessness.street_work', fr: 'Travail de rue', de: 'Streetwork', en: 'Street work' },
      { code: 'homelessness.day_centre', fr: 'Accueil de jour', de: 'Tagesstätte', en: 'Day centre' },
      { code: 'homelessness.night_shelter', fr: 'Foyer de nuit', de: 'Nachtasyl', en: 'Night shelter' },
    ],
  },
  {
    code: 'seniors',
    fr: 'Seniors',
    de: 'Senioren',
    en: 'Seniors',
    words: {
      fr: 'Personnes âgées, maintien à domicile, visites.',
      de: 'Ältere Menschen, Leben zu Hause, Besuche.',
      en: 'Older people, living at home, visits.',
    },
    subs: [
      { code: 'seniors.home_care', fr: 'Aide à domicile', de: 'Häusliche Pflege', en: 'Home care' },
      { code: 'seniors.club', fr: 'Club seniors', de: 'Seniorenclub', en: 'Seniors club' },
      {
        code: 'seniors.loneliness',
        fr: 'Rompre la solitude',
        de: 'Gegen Einsamkeit',
        en: 'Against loneliness',
      },
    ],
  },
  {
    code: 'violence',
    fr: 'Violence',
    de: 'Gewalt',
    en: 'Violence',
    words: {
      fr: 'Violence domestique, protection, écoute anonyme.',
      de: 'Häusliche Gewalt, Schutz, anonyme Beratung.',
      en: 'Domestic violence, protection, anonymous listening.',
    },
    subs: [
      {
        code: 'violence.domestic',
        fr: 'Violence domestique',
        de: 'Häusliche Gewalt',
        en: 'Domestic violence',
      },
      { code: 'violence.victims', fr: 'Aide aux victimes', de: 'Opferhilfe', en: 'Victim support' },
      { code: 'violence.women_shelter', fr: 'Foyer pour femmes', de: 'Frauenhaus', en: "Women's shelter" },
    ],
  },
  {
    code: 'disability',
    fr: 'Handicap',
    de: 'Behinderung',
    en: 'Disability',
    words: {
      fr: 'Personnes en situation de handicap, autonomie, accessibilité.',
      de: 'Menschen mit Behinderung, Selbstständigkeit, Barrierefreiheit.',
      en: 'People with disabilities, independence, accessibility.',
    },
    subs: [
      { code: 'disability.accessibility', fr: 'Accessibilité', de: 'Barrierefreiheit', en: 'Accessibility' },
      {
        code: 'disability.sheltered_work',
        fr: 'Atelier protégé',
        de: 'Behindertenwerkstatt',
        en: 'Sheltered work',
      },
      {
        code: 'disability.assistance',
        fr: 'Assistance personnelle',
        de: 'Persönliche Assistenz',
        en: 'Personal assistance',
      },
    ],
  },
  {
    code: 'addiction',
    fr: 'Addictions',
    de: 'Sucht',
    en: 'Addiction',
    words: {
      fr: 'Alcool, drogues, jeux : réduction des risques et sevrage.',
      de: 'Alkohol, Drogen, Glücksspiel: Schadensminderung und Entzug.',
      en: 'Alcohol, drugs, gambling: harm reduction and withdrawal.',
    },
    subs: [
      { code: 'addiction.alcohol', fr: 'Alcool', de: 'Alkohol', en: 'Alcohol' },
      { code: 'addiction.drugs', fr: 'Drogues', de: 'Drogen', en: 'Drugs' },
      { code: 'addiction.gambling', fr: 'Jeu pathologique', de: 'Spielsucht', en: 'Gambling' },
    ],
  },
  {
    code: 'legal',
    fr: 'Droit',
    de: 'Recht',
    en: 'Legal',
    words: {
      fr: 'Connaître ses droits, assistance judiciaire, recours.',
      de: 'Seine Rechte kennen, Rechtshilfe, Widerspruch.',
      en: 'Knowing your rights, legal aid, appeals.',
    },
    subs: [
      { code: 'legal.advice', fr: 'Conseil juridique', de: 'Rechtsberatung', en: 'Legal advice' },
      { code: 'legal.tenancy', fr: 'Droit du bail', de: 'Mietrecht', en: 'Tenant rights' },
      { code: 'legal.social_rights', fr: 'Droits sociaux', de: 'Sozialrechte', en: 'Social rights' },
    ],
  },
  {
    code: 'education',
    fr: 'Éducation',
    de: 'Bildung',
    en: 'Education',
    words: {
      fr: 'Lire, écrire, compter, utiliser un ordinateur.',
      de: 'Lesen, schreiben, rechnen, einen Computer benutzen.',
      en: 'Reading, writing, numeracy, using a computer.',
    },
    subs: [
      { code: 'education.literacy', fr: 'Alphabétisation', de: 'Alphabetisierung', en: 'Literacy' },
      {
        code: 'education.digital',
        fr: 'Compétences numériques',
        de: 'Digitale Kompetenzen',
        en: 'Digital skills',
      },
      {
        code: 'education.adults',
        fr: 'Formation des adultes',
        de: 'Erwachsenenbildung',
        en: 'Adult education',
      },
    ],
  },
  {
    code: 'mobility',
    fr: 'Mobilité',
    de: 'Mobilität',
    en: 'Mobility',
    words: {
      fr: 'Se déplacer, transports publics, vélo.',
      de: 'Unterwegs sein, öffentlicher Verkehr, Fahrrad.',
      en: 'Getting around, public transport, bikes.',
    },
    subs: [
      { code: 'mobility.transport', fr: 'Transport adapté', de: 'Fahrdienst', en: 'Adapted transport' },
      { code: 'mobility.driving', fr: 'Permis de conduire', de: 'Führerschein', en: 'Driving licence' },
      { code: 'mobility.bikes', fr: 'Vélo solidaire', de: 'Fahrradwerkstatt', en: 'Community bikes' },
    ],
  },
  {
    code: 'leisure',
    fr: 'Loisirs',
    de: 'Freizeit',
    en: 'Leisure',
    words: {
      fr: 'Sport, culture et vacances pour tous.',
      de: 'Sport, Kultur und Ferien für alle.',
      en: 'Sport, culture and holidays for everyone.',
    },
    subs: [
      { code: 'leisure.sport', fr: 'Sport pour tous', de: 'Sport für alle', en: 'Sport for all' },
      { code: 'leisure.culture', fr: 'Sorties culturelles', de: 'Kulturausflüge', en: 'Cultural outings' },
      { code: 'leisure.holidays', fr: 'Vacances solidaires', de: 'Ferienaktionen', en: 'Holiday programmes' },
    ],
  },
];

/** What kind of help an offer is: the first words of its title. */
export const FORMS: Text3[] = [
  { fr: 'Consultation', de: 'Beratung', en: 'Counselling' },
  { fr: 'Accompagnement', de: 'Begleitung', en: 'Support' },
  { fr: 'Permanence', de: 'Sprechstunde', en: 'Drop-in' },
  { fr: 'Atelier', de: 'Workshop', en: 'Workshop' },
  { fr: 'Cours', de: 'Kurs', en: 'Course' },
  { fr: 'Aide', de: 'Hilfe', en: 'Help' },
  { fr: 'Information', de: 'Information', en: 'Information' },
  { fr: 'Groupe de parole', de: 'Gesprächsgruppe', en: 'Peer group' },
  { fr: 'Orientation', de: 'Orientierung', en: 'Guidance' },
  { fr: 'Service', de: 'Dienst', en: 'Service' },
];

/** Who it is for: the end of the title, and the offer's `audiences`. Empty = everyone. */
export const AUDIENCES: (Text3 & { audience: string })[] = [
  { fr: 'pour familles', de: 'für Familien', en: 'for families', audience: 'FAMILIES' },
  { fr: 'pour jeunes', de: 'für Jugendliche', en: 'for young people', audience: 'YOUTH' },
  { fr: 'pour seniors', de: 'für Senioren', en: 'for seniors', audience: 'SENIORS' },
  { fr: 'pour femmes', de: 'für Frauen', en: 'for women', audience: 'WOMEN' },
  { fr: 'pour réfugiés', de: 'für Geflüchtete', en: 'for refugees', audience: 'REFUGEES' },
  { fr: 'pour nouveaux arrivants', de: 'für Neuankömmlinge', en: 'for newcomers', audience: 'NEWCOMERS' },
  { fr: "pour demandeurs d'emploi", de: 'für Arbeitsuchende', en: 'for jobseekers', audience: 'JOBSEEKERS' },
  { fr: 'pour enfants', de: 'für Kinder', en: 'for children', audience: 'CHILDREN' },
  { fr: 'pour personnes sans abri', de: 'für Obdachlose', en: 'for homeless people', audience: 'HOMELESS' },
  { fr: '', de: '', en: '', audience: 'EVERYONE' },
  { fr: '', de: '', en: '', audience: 'EVERYONE' },
  { fr: '', de: '', en: '', audience: 'ADULTS' },
];

/** First sentence of a description, followed by the sub-theme and the commune. */
export const INTROS: Text3[] = [
  {
    fr: 'Nous vous accueillons et vous conseillons en matière de',
    de: 'Wir beraten und begleiten Sie zum Thema',
    en: 'We welcome and advise you on',
  },
  {
    fr: 'Une équipe de professionnels vous aide pour toute question de',
    de: 'Ein Team von Fachleuten hilft Ihnen bei Fragen zu',
    en: 'A team of professionals helps you with questions about',
  },
  {
    fr: 'Information, orientation et suivi dans le domaine',
    de: 'Information, Orientierung und Begleitung im Bereich',
    en: 'Information, guidance and follow-up on',
  },
  {
    fr: 'Des bénévoles formés proposent une aide concrète :',
    de: 'Geschulte Ehrenamtliche bieten konkrete Hilfe:',
    en: 'Trained volunteers offer practical help:',
  },
];

/** Practical details ending a description. */
export const PRACTICAL: Text3[] = [
  {
    fr: 'Sur rendez-vous, gratuit et confidentiel.',
    de: 'Nach Terminvereinbarung, kostenlos und vertraulich.',
    en: 'By appointment, free and confidential.',
  },
  {
    fr: 'Sans rendez-vous, du lundi au vendredi.',
    de: 'Ohne Termin, montags bis freitags.',
    en: 'No appointment needed, Monday to Friday.',
  },
  {
    fr: 'En français, allemand, luxembourgeois et portugais.',
    de: 'Auf Französisch, Deutsch, Luxemburgisch und Portugiesisch.',
    en: 'In French, German, Luxembourgish and Portuguese.',
  },
  {
    fr: "Orientation possible par l'office social de votre commune.",
    de: 'Überweisung durch das Sozialamt Ihrer Gemeinde möglich.',
    en: "Referral possible through your commune's social office.",
  },
  {
    fr: 'Participation financière selon les revenus.',
    de: 'Kostenbeteiligung je nach Einkommen.',
    en: 'Fees depend on income.',
  },
];

export const ORG_PREFIXES = [
  'Association',
  'Fondation',
  'Office social',
  'Centre',
  'Service',
  'Réseau',
  'Maison',
  'Initiative',
  'Ligue',
  'Entraide',
];
export const ORG_WORDS = [
  'Solidarité',
  'Espoir',
  'Accueil',
  'Horizon',
  'Passerelle',
  'Ensemble',
  'Lien social',
  'Avenir',
  'Famille',
  'Jeunesse',
  'Santé',
  'Logement',
  'Insertion',
  'Dialogue',
  'Zesummen',
];
export const SITE_KINDS = [
  'Antenne',
  'Centre',
  'Foyer',
  'Bureau',
  'Maison',
  'Point contact',
  'Local',
  'Accueil',
];
export const STREETS = [
  'rue de la Gare',
  'avenue de la Liberté',
  'rue Principale',
  'Grand-Rue',
  "route d'Arlon",
  'rue de Hollerich',
  'boulevard Kennedy',
  "rue de l'Alzette",
  'rue du Fossé',
  'rue de Luxembourg',
  'rue des Jardins',
  "place de l'Église",
];

/**
 * Communes, the populous ones first: the generator picks index ~ 100·random()³, so about one site
 * in five is in Luxembourg City and the small communes of the north have a few each.
 */
export const BIG_COMMUNES = [
  'Luxembourg',
  'Esch-sur-Alzette',
  'Differdange',
  'Dudelange',
  'Pétange',
  'Sanem',
  'Hesperange',
  'Bettembourg',
  'Schifflange',
  'Ettelbruck',
  'Diekirch',
  'Mersch',
  'Strassen',
  'Bertrange',
  'Mamer',
  'Kayl',
  'Wiltz',
  'Echternach',
  'Grevenmacher',
  'Junglinster',
];
export const COMMUNES_BY_SIZE = [
  ...BIG_COMMUNES.filter((c) => (COMMUNES as readonly string[]).includes(c)),
  ...COMMUNES.filter((c) => !BIG_COMMUNES.includes(c)),
];

/**
 * Fills the catalogue in a handful of set-based statements. Ids are derived from row numbers
 * (md5 → uuid) so that later statements can refer to rows without lookups; `setseed` makes the
 * data the same on every run. The search trigger fills "Offer".search as rows are inserted.
 */
export async function generate(
  client: pg.Client,
  size: { organisations: number; sites: number; offers: number },
): Promise<void> {
  const themeRows = THEMES.flatMap((t, i) => [
    { code: t.code, parent: null, label: { fr: t.fr, de: t.de, en: t.en }, position: i },
    ...t.subs.map((s, j) => ({
      code: s.code,
      parent: t.code,
      label: { fr: s.fr, de: s.de, en: s.en },
      position: j,
    })),
  ]);
  /** One entry per sub-theme, most frequent first, with its top theme's words. */
  const topics = THEMES.flatMap((t) => t.subs.map((s) => ({ ...s, top: t.code, words: t.words })));
  const themeCodes = themeRows.map((t) => t.code);
  const { organisations, sites, offers } = size;

  await client.query('BEGIN');
  await client.query('SELECT setseed(0.42)');
  await client.query(
    `INSERT INTO "Theme" (id, code, "parentId", label, position, "updatedAt")
     SELECT md5('theme-' || t.code)::uuid, t.code, md5('theme-' || t.parent)::uuid, t.label, t.position, now()
     FROM jsonb_to_recordset($1::jsonb) AS t(code text, parent text, label jsonb, position int)`,
    [JSON.stringify(themeRows)],
  );

  await client.query(
    `INSERT INTO "Organisation" (id, slug, name, kind, description, email, phone, website, "createdAt", "updatedAt")
     SELECT md5('org-' || n)::uuid,
       trim(both '-' from lower(regexp_replace(unaccent(name), '[^a-zA-Z0-9]+', '-', 'g'))) || '-' || n,
       name, kind::"OrganisationKind",
       jsonb_build_object('fr', 'Organisation du secteur social à ' || commune || '.',
                          'de', 'Organisation des Sozialsektors in ' || commune || '.'),
       'contact' || n || '@example.lu', '+352 ' || (400000 + n), 'https://org' || n || '.example.lu',
       now() - interval '3 years', now() - random() * interval '365 days'
     FROM (
       SELECT n, commune,
         CASE WHEN prefix = 'Office social' THEN 'Office social de ' || commune
              ELSE prefix || ' ' || word || ' ' || commune END AS name,
         CASE WHEN prefix = 'Office social' THEN 'COMMUNE_SOCIAL_OFFICE'
              WHEN prefix = 'Fondation' THEN 'FOUNDATION'
              WHEN r < 0.9 THEN 'ASSOCIATION' ELSE 'NETWORK' END AS kind
       FROM (
         SELECT n, random() AS r,
           ($2::text[])[1 + floor(random() * cardinality($2::text[]))::int] AS prefix,
           ($3::text[])[1 + floor(random() * cardinality($3::text[]))::int] AS word,
           ($4::text[])[1 + floor(cardinality($4::text[]) * power(random(), 3))::int] AS commune
         FROM generate_series(1, $1::int) n
       ) picked
     ) named`,
    [organisations, ORG_PREFIXES, ORG_WORDS, COMMUNES_BY_SIZE],
  );

  // Every organisation has a site; the others go mostly to the big organisations (random()²).
  await client.query(
    `CREATE TEMP TABLE bench_site ON COMMIT DROP AS
     SELECT n, org_n, row_number() OVER (PARTITION BY org_n ORDER BY n) AS k
     FROM (
       SELECT n, CASE WHEN n <= $2 THEN n ELSE 1 + floor($2 * power(random(), 2))::int END AS org_n
       FROM generate_series(1, $1::int) n
     ) s`,
    [sites, organisations],
  );
  await client.query(
    `INSERT INTO "Site" (id, "organisationId", name, street, postcode, commune, latitude, longitude,
       "wheelchairAccessible", "openingHours", "createdAt", "updatedAt")
     SELECT md5('site-' || n)::uuid, md5('org-' || org_n)::uuid,
       kind || ' ' || commune || ' (' || street || ')', street, (1000 + floor(random() * 8999))::text,
       commune, 49.45 + random() * 0.7, 5.75 + random() * 0.75, random() < 0.6,
       '[{"weekday": 1, "opens": "09:00", "closes": "12:00"}, {"weekday": 3, "opens": "14:00", "closes": "17:00"}]'::jsonb,
       now() - interval '2 years', now() - random() * interval '365 days'
     FROM (
       SELECT n, org_n,
         ($1::text[])[1 + floor(random() * cardinality($1::text[]))::int] AS kind,
         (1 + floor(random() * 120))::int || ' ' || ($2::text[])[1 + floor(random() * cardinality($2::text[]))::int] AS street,
         ($3::text[])[1 + floor(cardinality($3::text[]) * power(random(), 3))::int] AS commune
       FROM bench_site
     ) s`,
    [SITE_KINDS, STREETS, COMMUNES_BY_SIZE],
  );

  // The picks of each offer first (a temporary table), so that the offer row, its themes and its
  // sites agree. Topics are skewed towards the frequent ones (random()^1.6 over the list).
  await client.query(
    `CREATE TEMP TABLE bench_offer ON COMMIT DROP AS
     SELECT n, md5('offer-' || n)::uuid AS id,
       CASE WHEN n <= $2 THEN n ELSE 1 + floor($2 * power(random(), 2))::int END AS org_n,
       floor($3 * power(random(), 1.6))::int AS topic,
       floor($3 * random())::int AS other_topic,
       random() < 0.3 AS mentions_other,
       floor($4 * random())::int AS form,
       floor($5 * random())::int AS aud,
       floor($6 * random())::int AS intro,
       floor($7 * random())::int AS practical,
       ($8::text[])[1 + floor(cardinality($8::text[]) * power(random(), 3))::int] AS commune,
       floor(random() * 3)::int AS site_count,
       floor(random() * 3)::int AS extra_themes,
       random() AS r_status,
       random() < 0.65 AS has_english
     FROM generate_series(1, $1::int) n`,
    [
      offers,
      organisations,
      topics.length,
      FORMS.length,
      AUDIENCES.length,
      INTROS.length,
      PRACTICAL.length,
      COMMUNES_BY_SIZE,
    ],
  );
  await client.query(
    `INSERT INTO "Offer" (id, "organisationId", title, description, status, version, audiences, languages,
       "costKind", "serviceArea", schedule, "contactEmail", "capacityPlaces", "capacityFree", "acceptsReferrals",
       "responseDays", "publishedAt", "createdAt", "updatedAt")
     SELECT b.id, md5('org-' || b.org_n)::uuid,
       jsonb_strip_nulls(jsonb_build_object(
         'fr', rtrim(f->>'fr' || ' – ' || lower(t->>'fr') || ' ' || (a->>'fr')),
         'de', rtrim(f->>'de' || ' – ' || (t->>'de') || ' ' || (a->>'de')),
         'en', CASE WHEN b.has_english THEN rtrim(f->>'en' || ' – ' || lower(t->>'en') || ' ' || (a->>'en')) END)),
       jsonb_strip_nulls(jsonb_build_object(
         'fr', (i->>'fr') || ' ' || lower(t->>'fr') || ' à ' || b.commune || '. ' || (t->'words'->>'fr') || ' '
               || (p->>'fr') || CASE WHEN b.mentions_other THEN ' Aussi : ' || lower(o->>'fr') || '.' ELSE '' END,
         'de', (i->>'de') || ' ' || (t->>'de') || ' in ' || b.commune || '. ' || (t->'words'->>'de') || ' '
               || (p->>'de') || CASE WHEN b.mentions_other THEN ' Auch: ' || (o->>'de') || '.' ELSE '' END,
         'en', CASE WHEN b.has_english THEN (i->>'en') || ' ' || lower(t->>'en') || ' in ' || b.commune || '. '
               || (t->'words'->>'en') || ' ' || (p->>'en') END)),
       CASE WHEN b.r_status < 0.85 THEN 'PUBLISHED' WHEN b.r_status < 0.92 THEN 'DRAFT'
            WHEN b.r_status < 0.97 THEN 'PAUSED' ELSE 'WITHDRAWN' END::"OfferStatus",
       1 + floor(random() * 5)::int,
       ARRAY[(a->>'audience')]::"Audience"[],
       ARRAY['fr', 'de'] || CASE WHEN random() < 0.5 THEN ARRAY['lb'] ELSE '{}' END
         || CASE WHEN b.has_english THEN ARRAY['en'] ELSE '{}' END
         || CASE WHEN random() < 0.15 THEN ARRAY['pt'] ELSE '{}' END,
       (ARRAY['FREE', 'FREE', 'FREE', 'INCOME_BASED', 'PAID', 'ON_REQUEST'])[1 + floor(random() * 6)::int]::"CostKind",
       CASE WHEN random() < 0.2 THEN ARRAY[b.commune] ELSE '{}' END,
       '[{"freq": "WEEKLY", "byday": ["MO", "WE"], "opensAt": "09:00", "closesAt": "12:00"}]'::jsonb,
       'offre' || b.n || '@example.lu',
       c.places, CASE WHEN c.places IS NULL THEN NULL ELSE floor(random() * (c.places + 1))::int END,
       random() < 0.4, 2,
       CASE WHEN b.r_status < 0.85 THEN c.updated END, c.updated - interval '30 days', c.updated
     FROM bench_offer b
     CROSS JOIN LATERAL (SELECT $1::jsonb -> b.topic AS t, $1::jsonb -> b.other_topic AS o,
       $2::jsonb -> b.form AS f, $3::jsonb -> b.aud AS a, $4::jsonb -> b.intro AS i, $5::jsonb -> b.practical AS p) v
     CROSS JOIN LATERAL (SELECT CASE WHEN random() < 0.3 THEN 5 + floor(random() * 40)::int END AS places,
       now() - random() * interval '730 days' AS updated) c`,
    [
      JSON.stringify(topics),
      JSON.stringify(FORMS),
      JSON.stringify(AUDIENCES),
      JSON.stringify(INTROS),
      JSON.stringify(PRACTICAL),
    ],
  );

  // 1–3 themes: the offer's own sub-theme, then 0–2 others (duplicates collapse).
  await client.query(
    `INSERT INTO "_OfferToTheme" ("A", "B")
     SELECT b.id, md5('theme-' || ($1::jsonb -> b.topic ->> 'code'))::uuid FROM bench_offer b
     UNION
     SELECT b.id, md5('theme-' || ($2::text[])[1 + floor(random() * cardinality($2::text[]))::int])::uuid
     FROM bench_offer b, generate_series(1, b.extra_themes)
     ON CONFLICT DO NOTHING`,
    [JSON.stringify(topics), themeCodes],
  );
  // 0–2 sites, always of the offer's own organisation.
  await client.query(
    `INSERT INTO "_OfferToSite" ("A", "B")
     SELECT DISTINCT p.id, md5('site-' || s.n)::uuid
     FROM (
       SELECT b.id, b.org_n, 1 + floor(random() * c.cnt)::int AS k
       FROM bench_offer b
       JOIN (SELECT org_n, count(*) AS cnt FROM bench_site GROUP BY org_n) c USING (org_n)
       CROSS JOIN generate_series(1, b.site_count)
     ) p
     JOIN bench_site s ON s.org_n = p.org_n AND s.k = p.k
     ON CONFLICT DO NOTHING`,
  );

  const missing = await client.query<{ n: number }>(
    'SELECT count(*)::int AS n FROM "Offer" WHERE search IS NULL',
  );
  if ((missing.rows[0]?.n ?? 0) > 0) throw new Error('the search trigger did not fill "Offer".search');
  await client.query('COMMIT');
  // VACUUM as well as ANALYZE: it flushes the GIN index's pending list and sets the visibility
  // map, which is the state of a catalogue that has been live for a while.
  for (const table of ['Organisation', 'Site', 'Theme', 'Offer', '_OfferToTheme', '_OfferToSite']) {
    await client.query(`VACUUM (ANALYZE) "${table}"`);
  }
}

export interface DataStats {
  organisations: number;
  sites: number;
  offers: number;
  published: number;
  themes: number;
  offerThemes: number;
  offerSites: number;
}

export async function dataStats(client: pg.Client): Promise<DataStats> {
  const { rows } = await client.query<DataStats>(`SELECT
    (SELECT count(*)::int FROM "Organisation") AS organisations,
    (SELECT count(*)::int FROM "Site") AS sites,
    (SELECT count(*)::int FROM "Offer") AS offers,
    (SELECT count(*)::int FROM "Offer" WHERE status = 'PUBLISHED') AS published,
    (SELECT count(*)::int FROM "Theme") AS themes,
    (SELECT count(*)::int FROM "_OfferToTheme") AS "offerThemes",
    (SELECT count(*)::int FROM "_OfferToSite") AS "offerSites"`);
  return rows[0]!;
}
