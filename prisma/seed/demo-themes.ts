/**
 * The catalogue's theme taxonomy (HSDS taxonomy terms): dotted lowercase codes, parents before
 * their children, labels in the four expected languages (fr, de, en, lb) and, for the top level,
 * Portuguese, Ukrainian and Arabic for newcomers.
 */

export interface ThemeLabel {
  fr: string;
  de: string;
  en: string;
  lb: string;
  pt?: string;
  uk?: string;
  ar?: string;
}

export interface DemoTheme {
  /** Dotted path, e.g. `housing.emergency_shelter`. */
  code: string;
  /** Code of the parent theme; absent at the top level. */
  parent?: string;
  label: ThemeLabel;
}

export const demoThemes: DemoTheme[] = [
  // Housing
  {
    code: 'housing',
    label: {
      fr: 'Logement',
      de: 'Wohnen',
      en: 'Housing',
      lb: 'Wunnen',
      pt: 'Habitação',
      uk: 'Житло',
      ar: 'السكن',
    },
  },
  {
    code: 'housing.emergency_shelter',
    parent: 'housing',
    label: {
      fr: 'Hébergement d’urgence',
      de: 'Notunterkunft',
      en: 'Emergency shelter',
      lb: 'Noutënnerdaach',
    },
  },
  {
    code: 'housing.transitional',
    parent: 'housing',
    label: {
      fr: 'Hébergement temporaire et de transition',
      de: 'Übergangswohnen',
      en: 'Transitional housing',
      lb: 'Iwwergangswunnen',
    },
  },
  {
    code: 'housing.social_rental',
    parent: 'housing',
    label: {
      fr: 'Location sociale',
      de: 'Soziale Mietwohnungen',
      en: 'Social rental housing',
      lb: 'Sozial Lounen',
    },
  },
  {
    code: 'housing.supported',
    parent: 'housing',
    label: {
      fr: 'Logement accompagné',
      de: 'Betreutes Wohnen',
      en: 'Supported housing',
      lb: 'Begleet Wunnen',
    },
  },
  {
    code: 'housing.youth_housing',
    parent: 'housing',
    label: {
      fr: 'Logement pour jeunes adultes',
      de: 'Wohnen für junge Erwachsene',
      en: 'Housing for young adults',
      lb: 'Wunnen fir jonk Erwuessen',
    },
  },
  {
    code: 'housing.search_help',
    parent: 'housing',
    label: {
      fr: 'Aide à la recherche de logement',
      de: 'Hilfe bei der Wohnungssuche',
      en: 'Help finding a home',
      lb: 'Hëllef bei der Wunnengssich',
    },
  },

  // Health
  {
    code: 'health',
    label: {
      fr: 'Santé',
      de: 'Gesundheit',
      en: 'Health',
      lb: 'Gesondheet',
      pt: 'Saúde',
      uk: 'Здоров’я',
      ar: 'الصحة',
    },
  },
  {
    code: 'health.access_to_care',
    parent: 'health',
    label: {
      fr: 'Accès aux soins',
      de: 'Zugang zur Gesundheitsversorgung',
      en: 'Access to health care',
      lb: 'Zougang zur Gesondheetsversuergung',
    },
  },
  {
    code: 'health.mental',
    parent: 'health',
    label: { fr: 'Santé mentale', de: 'Psychische Gesundheit', en: 'Mental health', lb: 'Mental Gesondheet' },
  },
  {
    code: 'health.addiction',
    parent: 'health',
    label: { fr: 'Addictions', de: 'Sucht', en: 'Addiction', lb: 'Ofhängegkeet' },
  },
  {
    code: 'health.harm_reduction',
    parent: 'health',
    label: {
      fr: 'Réduction des risques',
      de: 'Schadensminderung',
      en: 'Harm reduction',
      lb: 'Risikoreduktioun',
    },
  },
  {
    code: 'health.prevention',
    parent: 'health',
    label: {
      fr: 'Prévention et dépistage',
      de: 'Prävention und Früherkennung',
      en: 'Prevention and screening',
      lb: 'Preventioun an Depistage',
    },
  },
  {
    code: 'health.maternal_child',
    parent: 'health',
    label: {
      fr: 'Santé de la mère et de l’enfant',
      de: 'Mutter-Kind-Gesundheit',
      en: 'Maternal and child health',
      lb: 'Gesondheet vu Mamm a Kand',
    },
  },

  // Income and social benefits
  {
    code: 'income',
    label: {
      fr: 'Revenus et prestations sociales',
      de: 'Einkommen und Sozialleistungen',
      en: 'Income and social benefits',
      lb: 'Akommes a Sozialleeschtungen',
      pt: 'Rendimentos e prestações sociais',
      uk: 'Доходи та соціальні виплати',
      ar: 'الدخل والمساعدات الاجتماعية',
    },
  },
  {
    code: 'income.social_assistance',
    parent: 'income',
    label: { fr: 'Aide sociale', de: 'Sozialhilfe', en: 'Social assistance', lb: 'Sozialhëllef' },
  },
  {
    code: 'income.benefits_access',
    parent: 'income',
    label: {
      fr: 'Accès aux droits et prestations',
      de: 'Zugang zu Rechten und Leistungen',
      en: 'Access to rights and benefits',
      lb: 'Zougang zu Rechter a Leeschtungen',
    },
  },
  {
    code: 'income.emergency_aid',
    parent: 'income',
    label: {
      fr: 'Aide financière d’urgence',
      de: 'Finanzielle Soforthilfe',
      en: 'Emergency financial aid',
      lb: 'Finanziell Nouthëllef',
    },
  },
  {
    code: 'income.microcredit',
    parent: 'income',
    label: { fr: 'Microcrédit', de: 'Mikrokredit', en: 'Microcredit', lb: 'Mikrokredit' },
  },

  // Over-indebtedness
  {
    code: 'debt',
    label: {
      fr: 'Surendettement',
      de: 'Überschuldung',
      en: 'Over-indebtedness',
      lb: 'Iwwerschëldung',
      pt: 'Sobre-endividamento',
      uk: 'Надмірна заборгованість',
      ar: 'المديونية المفرطة',
    },
  },
  {
    code: 'debt.advice',
    parent: 'debt',
    label: {
      fr: 'Conseil en surendettement',
      de: 'Schuldnerberatung',
      en: 'Debt advice',
      lb: 'Scholdeberodung',
    },
  },
  {
    code: 'debt.financial_followup',
    parent: 'debt',
    label: {
      fr: 'Accompagnement et gestion financière',
      de: 'Finanzbegleitung und Budgetverwaltung',
      en: 'Financial follow-up and budget management',
      lb: 'Finanziell Begleedung a Budgetsverwaltung',
    },
  },
  {
    code: 'debt.prevention',
    parent: 'debt',
    label: {
      fr: 'Prévention du surendettement',
      de: 'Schuldenprävention',
      en: 'Debt prevention',
      lb: 'Preventioun vun Iwwerschëldung',
    },
  },

  // Legal aid
  {
    code: 'legal',
    label: {
      fr: 'Aide juridique',
      de: 'Rechtshilfe',
      en: 'Legal aid',
      lb: 'Juristesch Hëllef',
      pt: 'Apoio jurídico',
      uk: 'Правова допомога',
      ar: 'المساعدة القانونية',
    },
  },
  {
    code: 'legal.information',
    parent: 'legal',
    label: {
      fr: 'Information juridique',
      de: 'Rechtsinformation',
      en: 'Legal information',
      lb: 'Juristesch Informatioun',
    },
  },
  {
    code: 'legal.legal_aid',
    parent: 'legal',
    label: {
      fr: 'Assistance judiciaire',
      de: 'Rechtsbeistand (assistance judiciaire)',
      en: 'Legal representation (assistance judiciaire)',
      lb: 'Geriichtlech Ënnerstëtzung',
    },
  },
  {
    code: 'legal.victims',
    parent: 'legal',
    label: { fr: 'Aide aux victimes', de: 'Opferhilfe', en: 'Victim support', lb: 'Hëllef fir Affer' },
  },

  // Residence rights
  {
    code: 'residence',
    label: {
      fr: 'Droit de séjour',
      de: 'Aufenthaltsrecht',
      en: 'Residence rights',
      lb: 'Openthaltsrecht',
      pt: 'Direito de residência',
      uk: 'Право на проживання',
      ar: 'حق الإقامة',
    },
  },
  {
    code: 'residence.international_protection',
    parent: 'residence',
    label: {
      fr: 'Protection internationale',
      de: 'Internationaler Schutz',
      en: 'International protection',
      lb: 'Internationale Schutz',
    },
  },
  {
    code: 'residence.permits',
    parent: 'residence',
    label: {
      fr: 'Titres de séjour',
      de: 'Aufenthaltstitel',
      en: 'Residence permits',
      lb: 'Openthaltstitelen',
    },
  },
  {
    code: 'residence.family_reunification',
    parent: 'residence',
    label: {
      fr: 'Regroupement et liens familiaux',
      de: 'Familienzusammenführung und Familienkontakte',
      en: 'Family reunification and tracing',
      lb: 'Familljenzesummeféierung a Familljekontakter',
    },
  },
  {
    code: 'residence.registration',
    parent: 'residence',
    label: {
      fr: 'Déclaration d’arrivée et inscription communale',
      de: 'Anmeldung bei der Gemeinde',
      en: 'Registering with the commune',
      lb: 'Umeldung an der Gemeng',
    },
  },

  // Employment
  {
    code: 'employment',
    label: {
      fr: 'Emploi',
      de: 'Beschäftigung',
      en: 'Employment',
      lb: 'Aarbecht',
      pt: 'Emprego',
      uk: 'Працевлаштування',
      ar: 'العمل',
    },
  },
  {
    code: 'employment.job_coaching',
    parent: 'employment',
    label: { fr: 'Coaching vers l’emploi', de: 'Job-Coaching', en: 'Job coaching', lb: 'Job-Coaching' },
  },
  {
    code: 'employment.insertion',
    parent: 'employment',
    label: {
      fr: 'Insertion par le travail',
      de: 'Eingliederung durch Arbeit',
      en: 'Work integration',
      lb: 'Insertioun duerch d’Aarbecht',
    },
  },
  {
    code: 'employment.job_search',
    parent: 'employment',
    label: { fr: 'Recherche d’emploi', de: 'Arbeitssuche', en: 'Job search', lb: 'Aarbechtssich' },
  },
  {
    code: 'employment.entrepreneurship',
    parent: 'employment',
    label: {
      fr: 'Création d’entreprise',
      de: 'Unternehmensgründung',
      en: 'Starting a business',
      lb: 'Betribsgrënnung',
    },
  },
  {
    code: 'employment.sheltered',
    parent: 'employment',
    label: {
      fr: 'Atelier thérapeutique et protégé',
      de: 'Therapeutische und geschützte Werkstatt',
      en: 'Therapeutic and sheltered workshop',
      lb: 'Therapeutescht a geschützt Atelier',
    },
  },

  // Training
  {
    code: 'training',
    label: {
      fr: 'Formation',
      de: 'Ausbildung',
      en: 'Training',
      lb: 'Formatioun',
      pt: 'Formação',
      uk: 'Навчання',
      ar: 'التدريب',
    },
  },
  {
    code: 'training.vocational',
    parent: 'training',
    label: {
      fr: 'Formation professionnelle',
      de: 'Berufsausbildung',
      en: 'Vocational training',
      lb: 'Beruffsausbildung',
    },
  },
  {
    code: 'training.pre_qualification',
    parent: 'training',
    label: {
      fr: 'Préqualification',
      de: 'Vorqualifizierung',
      en: 'Pre-qualification',
      lb: 'Virqualifikatioun',
    },
  },
  {
    code: 'training.literacy',
    parent: 'training',
    label: {
      fr: 'Alphabétisation et compétences de base',
      de: 'Alphabetisierung und Grundkompetenzen',
      en: 'Literacy and basic skills',
      lb: 'Alphabetiséierung a Grondkompetenzen',
    },
  },
  {
    code: 'training.first_aid',
    parent: 'training',
    label: { fr: 'Premiers secours', de: 'Erste Hilfe', en: 'First aid', lb: 'Éischt Hëllef' },
  },

  // Language courses
  {
    code: 'language',
    label: {
      fr: 'Cours de langues',
      de: 'Sprachkurse',
      en: 'Language courses',
      lb: 'Sproochecoursen',
      pt: 'Cursos de línguas',
      uk: 'Мовні курси',
      ar: 'دورات اللغة',
    },
  },
  {
    code: 'language.french',
    parent: 'language',
    label: { fr: 'Français', de: 'Französisch', en: 'French', lb: 'Franséisch' },
  },
  {
    code: 'language.luxembourgish',
    parent: 'language',
    label: { fr: 'Luxembourgeois', de: 'Luxemburgisch', en: 'Luxembourgish', lb: 'Lëtzebuergesch' },
  },
  {
    code: 'language.german',
    parent: 'language',
    label: { fr: 'Allemand', de: 'Deutsch', en: 'German', lb: 'Däitsch' },
  },
  {
    code: 'language.conversation',
    parent: 'language',
    label: {
      fr: 'Tables de conversation',
      de: 'Gesprächsrunden',
      en: 'Conversation groups',
      lb: 'Gespréichsronnen',
    },
  },

  // Digital skills
  {
    code: 'digital',
    label: {
      fr: 'Compétences numériques',
      de: 'Digitale Kompetenzen',
      en: 'Digital skills',
      lb: 'Digital Kompetenzen',
      pt: 'Competências digitais',
      uk: 'Цифрові навички',
      ar: 'المهارات الرقمية',
    },
  },
  {
    code: 'digital.basic_skills',
    parent: 'digital',
    label: {
      fr: 'Initiation au numérique',
      de: 'Digitale Grundkenntnisse',
      en: 'Basic digital skills',
      lb: 'Digital Grondkenntnisser',
    },
  },
  {
    code: 'digital.eadministration',
    parent: 'digital',
    label: {
      fr: 'Démarches en ligne (MyGuichet…)',
      de: 'Online-Behördengänge (MyGuichet…)',
      en: 'Online procedures (MyGuichet…)',
      lb: 'Démarchen online (MyGuichet…)',
    },
  },
  {
    code: 'digital.equipment',
    parent: 'digital',
    label: {
      fr: 'Accès à un ordinateur et à internet',
      de: 'Zugang zu Computer und Internet',
      en: 'Access to a computer and the internet',
      lb: 'Zougang zu Computer an Internet',
    },
  },

  // Children
  {
    code: 'children',
    label: {
      fr: 'Enfance',
      de: 'Kinder',
      en: 'Children',
      lb: 'Kanner',
      pt: 'Infância',
      uk: 'Діти',
      ar: 'الأطفال',
    },
  },
  {
    code: 'children.day_care',
    parent: 'children',
    label: {
      fr: 'Accueil de jour (maison relais, crèche)',
      de: 'Kinderbetreuung (Maison relais, Kinderkrippe)',
      en: 'Day care (maison relais, crèche)',
      lb: 'Kannerbetreiung (Maison relais, Crèche)',
    },
  },
  {
    code: 'children.homework_help',
    parent: 'children',
    label: {
      fr: 'Aide aux devoirs',
      de: 'Hausaufgabenhilfe',
      en: 'Homework help',
      lb: 'Hëllef bei den Hausaufgaben',
    },
  },
  {
    code: 'children.early_childhood',
    parent: 'children',
    label: { fr: 'Petite enfance', de: 'Frühe Kindheit', en: 'Early childhood', lb: 'Kleng Kanner' },
  },
  {
    code: 'children.parenting',
    parent: 'children',
    label: {
      fr: 'Soutien à la parentalité',
      de: 'Unterstützung für Eltern',
      en: 'Parenting support',
      lb: 'Ënnerstëtzung fir Elteren',
    },
  },

  // Youth
  {
    code: 'youth',
    label: {
      fr: 'Jeunesse',
      de: 'Jugend',
      en: 'Youth',
      lb: 'Jugend',
      pt: 'Juventude',
      uk: 'Молодь',
      ar: 'الشباب',
    },
  },
  {
    code: 'youth.youth_house',
    parent: 'youth',
    label: { fr: 'Maison des jeunes', de: 'Jugendhaus', en: 'Youth house', lb: 'Jugendhaus' },
  },
  {
    code: 'youth.violence_prevention',
    parent: 'youth',
    label: {
      fr: 'Prévention de la violence',
      de: 'Gewaltprävention',
      en: 'Violence prevention',
      lb: 'Gewaltpreventioun',
    },
  },
  {
    code: 'youth.counselling',
    parent: 'youth',
    label: {
      fr: 'Écoute et conseil aux jeunes',
      de: 'Jugendberatung',
      en: 'Youth counselling',
      lb: 'Jugendberodung',
    },
  },
  {
    code: 'youth.residential',
    parent: 'youth',
    label: {
      fr: 'Accueil résidentiel de jeunes',
      de: 'Stationäre Jugendhilfe',
      en: 'Residential care for young people',
      lb: 'Stationär Jugendhëllef',
    },
  },

  // Seniors
  {
    code: 'seniors',
    label: {
      fr: 'Seniors',
      de: 'Senioren',
      en: 'Older people',
      lb: 'Senioren',
      pt: 'Seniores',
      uk: 'Літні люди',
      ar: 'كبار السن',
    },
  },
  {
    code: 'seniors.home_care',
    parent: 'seniors',
    label: {
      fr: 'Aides et soins à domicile',
      de: 'Hilfe und Pflege zu Hause',
      en: 'Home help and care',
      lb: 'Hëllef a Fleeg doheem',
    },
  },
  {
    code: 'seniors.social_contact',
    parent: 'seniors',
    label: {
      fr: 'Rencontres et lutte contre l’isolement',
      de: 'Begegnung und Vorbeugung gegen Einsamkeit',
      en: 'Meeting others and preventing isolation',
      lb: 'Begéinungen a géint d’Isolatioun',
    },
  },

  // Street work
  {
    code: 'street_work',
    label: {
      fr: 'Travail de rue',
      de: 'Straßensozialarbeit',
      en: 'Street work',
      lb: 'Stroossenaarbecht',
      pt: 'Trabalho de rua',
      uk: 'Вулична соціальна робота',
      ar: 'العمل الاجتماعي في الشارع',
    },
  },
  {
    code: 'street_work.outreach',
    parent: 'street_work',
    label: {
      fr: 'Tournées de rue',
      de: 'Aufsuchende Arbeit',
      en: 'Outreach rounds',
      lb: 'Ronnen op der Strooss',
    },
  },
  {
    code: 'street_work.low_threshold',
    parent: 'street_work',
    label: {
      fr: 'Accueil de jour à bas seuil',
      de: 'Niedrigschwellige Tagesstätte',
      en: 'Low-threshold day centre',
      lb: 'Niddregschwelleg Dagesstruktur',
    },
  },
  {
    code: 'street_work.streetsport',
    parent: 'street_work',
    label: { fr: 'Sport de rue (Streetsport)', de: 'Streetsport', en: 'Street sport', lb: 'Streetsport' },
  },

  // Food
  {
    code: 'food',
    label: {
      fr: 'Alimentation',
      de: 'Lebensmittel',
      en: 'Food',
      lb: 'Iessen',
      pt: 'Alimentação',
      uk: 'Харчування',
      ar: 'الغذاء',
    },
  },
  {
    code: 'food.social_grocery',
    parent: 'food',
    label: { fr: 'Épicerie sociale', de: 'Sozialladen', en: 'Social grocery', lb: 'Sozialbuttek' },
  },
  {
    code: 'food.meals',
    parent: 'food',
    label: { fr: 'Repas', de: 'Mahlzeiten', en: 'Meals', lb: 'Moolzechten' },
  },
  {
    code: 'food.food_aid',
    parent: 'food',
    label: { fr: 'Aide alimentaire', de: 'Lebensmittelhilfe', en: 'Food aid', lb: 'Liewensmëttelhëllef' },
  },

  // Social contact and community
  {
    code: 'community',
    label: {
      fr: 'Lien social et vie de quartier',
      de: 'Soziale Kontakte und Gemeinwesen',
      en: 'Social contact and community',
      lb: 'Sozial Kontakter a Quartiersliewen',
      pt: 'Convívio e vida de bairro',
      uk: 'Соціальні зв’язки та громада',
      ar: 'الروابط الاجتماعية وحياة الحي',
    },
  },
  {
    code: 'community.neighbourhood',
    parent: 'community',
    label: {
      fr: 'Travail communautaire et vie de quartier',
      de: 'Gemeinwesenarbeit',
      en: 'Community work',
      lb: 'Gemeinwiesenaarbecht',
    },
  },
  {
    code: 'community.intercultural',
    parent: 'community',
    label: {
      fr: 'Rencontres interculturelles',
      de: 'Interkulturelle Begegnungen',
      en: 'Intercultural meetings',
      lb: 'Interkulturell Begéinungen',
    },
  },
  {
    code: 'community.volunteering',
    parent: 'community',
    label: { fr: 'Bénévolat', de: 'Ehrenamt', en: 'Volunteering', lb: 'Benevolat' },
  },

  // Sport and leisure
  {
    code: 'sport_leisure',
    label: {
      fr: 'Sport et loisirs',
      de: 'Sport und Freizeit',
      en: 'Sport and leisure',
      lb: 'Sport a Fräizäit',
      pt: 'Desporto e lazer',
      uk: 'Спорт і дозвілля',
      ar: 'الرياضة والترفيه',
    },
  },
  {
    code: 'sport_leisure.sport',
    parent: 'sport_leisure',
    label: { fr: 'Sport', de: 'Sport', en: 'Sport', lb: 'Sport' },
  },
  {
    code: 'sport_leisure.culture',
    parent: 'sport_leisure',
    label: {
      fr: 'Culture et musique',
      de: 'Kultur und Musik',
      en: 'Culture and music',
      lb: 'Kultur a Musek',
    },
  },
  {
    code: 'sport_leisure.nature_animals',
    parent: 'sport_leisure',
    label: {
      fr: 'Nature et animaux',
      de: 'Natur und Tiere',
      en: 'Nature and animals',
      lb: 'Natur an Déieren',
    },
  },
  {
    code: 'sport_leisure.holidays',
    parent: 'sport_leisure',
    label: {
      fr: 'Vacances et séjours',
      de: 'Ferien und Aufenthalte',
      en: 'Holidays and stays',
      lb: 'Vakanz an Openthalter',
    },
  },

  // Administrative help
  {
    code: 'administrative',
    label: {
      fr: 'Aide administrative',
      de: 'Hilfe bei Behördengängen',
      en: 'Administrative help',
      lb: 'Administrativ Hëllef',
      pt: 'Apoio administrativo',
      uk: 'Допомога з адміністративними питаннями',
      ar: 'المساعدة الإدارية',
    },
  },
  {
    code: 'administrative.accompaniment',
    parent: 'administrative',
    label: {
      fr: 'Accompagnement dans les démarches',
      de: 'Begleitung bei Behördengängen',
      en: 'Help with paperwork',
      lb: 'Begleedung bei Démarchen',
    },
  },
  {
    code: 'administrative.orientation',
    parent: 'administrative',
    label: {
      fr: 'Premier accueil et orientation',
      de: 'Erstanlaufstelle und Orientierung',
      en: 'First contact and orientation',
      lb: 'Éischt Uleefstell an Orientéierung',
    },
  },
  {
    code: 'administrative.reference_address',
    parent: 'administrative',
    label: {
      fr: 'Adresse de référence',
      de: 'Referenzadresse',
      en: 'Reference address',
      lb: 'Referenzadress',
    },
  },
  {
    code: 'administrative.interpreting',
    parent: 'administrative',
    label: { fr: 'Interprétariat', de: 'Dolmetschen', en: 'Interpreting', lb: 'Dolmetschen' },
  },
];
