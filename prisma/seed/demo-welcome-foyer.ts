/**
 * A Caritas foyer for young refugees (most of them unaccompanied minors) and the guide its Welcome
 * coordinator is preparing: still a draft, so it shows what partners and providers see before the
 * public does. Texts written by hand in French, English, Arabic and Persian (title and
 * introduction in German too); Tigrinya is not among the catalogue's languages yet. The address is plausible, not the real one; the counts are invented.
 */
import type { DemoGuide, DemoShelter } from './demo-welcome-types.ts';

const OLENA = 'olena.kovalenko@caritas.example';
const SOPHIE = 'sophie.weber@inter-actions.example';
const YASMINA = 'yasmina.haddad@passerelles.example';
const JEAN = 'jean.muller@croix-rouge.example';

export const FOYER_GUIDE_SLUG = 'foyer-saint-antoine-jeunes';

export const foyerSaintAntoine: DemoShelter = {
  operator: 'caritas-luxembourg',
  site: {
    key: 'caritas-foyer-saint-antoine',
    name: 'Foyer Saint-Antoine – jeunes réfugiés',
    street: 'rue de Bonnevoie',
    postcode: '1260',
    commune: 'Luxembourg',
    quarter: 'Bonnevoie-Nord-Verlorenkost',
    latitude: 49.6003,
    longitude: 6.1389,
  },
  kind: 'YOUTH_FOYER',
  capacity: 24,
  partners: [
    {
      organisation: 'inter-actions',
      role: {
        fr: 'Maisons des jeunes et sport de rue',
        de: 'Jugendhäuser und Streetsport',
        en: 'Youth houses and street sport',
      },
    },
    {
      organisation: 'passerelles-nouveaux-arrivants',
      role: {
        fr: 'Cours de français et interprétariat',
        de: 'Französischkurse und Dolmetschen',
        en: 'French courses and interpreting',
      },
    },
  ],
  profiles: [
    {
      daysAgo: 10,
      total: 21,
      languages: { ti: 6, ar: 5, fa: 4, ps: 3, so: 2, ku: 1 },
      ageBands: { AGE_12_17: 15, AGE_18_25: 6 },
      householdTypes: { UNACCOMPANIED_MINOR: 15, SINGLE_ADULT: 6 },
      recordedBy: OLENA,
    },
  ],
};

export const foyerGuide: DemoGuide = {
  slug: FOYER_GUIDE_SLUG,
  organisation: 'caritas-luxembourg',
  createdBy: OLENA,
  shelter: 'caritas-foyer-saint-antoine',
  audiences: ['YOUTH', 'REFUGEES'],
  commune: 'Luxembourg',
  title: {
    fr: 'Activités pour les jeunes du foyer Saint-Antoine',
    de: 'Aktivitäten für die Jugendlichen des Foyer Saint-Antoine',
    en: 'Activities for the young people of the Saint-Antoine foyer',
    ar: 'أنشطة لشباب دار Saint-Antoine',
    fa: 'فعالیت‌ها برای جوانان مرکز Saint-Antoine',
  },
  intro: {
    fr: 'Des activités choisies avec les jeunes du foyer : sport, maisons des jeunes, français et premiers pas vers une formation. Les éducateurs du foyer vous aident à vous inscrire.',
    de: 'Aktivitäten, die mit den Jugendlichen des Foyers ausgewählt wurden: Sport, Jugendhäuser, Französisch und erste Schritte zu einer Ausbildung. Die Erzieher des Foyers helfen bei der Anmeldung.',
    en: 'Activities chosen with the young people of the foyer: sport, youth houses, French and first steps towards training. The foyer’s educators help you sign up.',
    ar: 'أنشطة اخترناها مع شباب الدار: رياضة ودور للشباب ودروس فرنسية وخطوات أولى نحو التكوين المهني. يساعدك مربّو الدار على التسجيل.',
    fa: 'فعالیت‌هایی که همراه با جوانان مرکز انتخاب شده‌اند: ورزش، خانه‌های جوانان، زبان فرانسوی و نخستین گام‌ها به سوی آموزش حرفه‌ای. مربیان مرکز در ثبت‌نام به شما کمک می‌کنند.',
  },
  languages: ['fr', 'en', 'ar', 'fa'],
  status: 'DRAFT',
  items: [
    {
      offer: 'ia-jugendhaus-gare',
      status: 'REGULAR',
      note: {
        fr: 'Le samedi après-midi, un éducateur du foyer accompagne le groupe à la maison des jeunes de la Gare : jeux, musique, et un animateur qui parle arabe.',
        en: 'On Saturday afternoons a foyer educator takes the group to the Gare youth house: games, music, and a youth worker who speaks Arabic.',
        ar: 'بعد ظهر كل سبت، يرافق أحد مربّي الدار المجموعة إلى دار الشباب في حي المحطة: ألعاب وموسيقى ومنشط يتحدث العربية.',
        fa: 'بعدازظهرهای شنبه، یکی از مربیان مرکز گروه را به خانهٔ جوانان محلهٔ ایستگاه قطار (Gare) می‌برد: بازی، موسیقی و مربی‌ای که عربی صحبت می‌کند.',
      },
      audiences: ['YOUTH'],
      languages: ['fr', 'en', 'ar'],
      placesPerWeek: 8,
      weekday: 6,
      contact: {
        name: 'Équipe Jugendhaus Gare',
        phone: '+352 000 000 216',
        email: 'jugendhaus-gare@inter-actions.example',
      },
      schedule: [{ freq: 'WEEKLY', byday: ['SA'], opensAt: '14:00', closesAt: '18:00' }],
      decidedBy: SOPHIE,
      decidedDaysAgo: 70,
      verifiedDaysAgo: 14,
      attendance: [6, 7, 5, 8, 7, 6],
    },
    {
      offer: 'ia-streetsport',
      status: 'CONFIRMED',
      note: {
        fr: 'Football et basket avec les éducateurs de rue, le mercredi et le vendredi soir. Pas d’inscription.',
        en: 'Football and basketball with street workers on Wednesday and Friday evenings. No sign-up.',
        ar: 'كرة القدم وكرة السلة مع مربّي الشارع مساء الأربعاء والجمعة. دون تسجيل.',
        fa: 'فوتبال و بسکتبال با مربیان خیابانی، عصرهای چهارشنبه و جمعه. نیازی به ثبت‌نام نیست.',
      },
      audiences: ['YOUTH'],
      languages: ['fr', 'en'],
      decidedBy: SOPHIE,
      decidedDaysAgo: 50,
      verifiedDaysAgo: 50,
    },
    {
      offer: 'passerelles-cours-francais',
      status: 'CONFIRMED',
      note: {
        fr: 'Cours du soir pour les plus de 16 ans, en plus de l’école : pour progresser plus vite en français.',
        en: 'Evening classes for those over 16, alongside school: to improve your French faster.',
        ar: 'دروس مسائية لمن تجاوزوا 16 سنة، إلى جانب المدرسة: لتتقدّم في الفرنسية بسرعة أكبر.',
        fa: 'کلاس‌های شبانه برای جوانان بالای ۱۶ سال، در کنار مدرسه: برای اینکه زبان فرانسوی را سریع‌تر یاد بگیرید.',
      },
      audiences: ['YOUTH', 'REFUGEES'],
      languages: ['fr'],
      placesPerWeek: 4,
      weekday: 4,
      decidedBy: YASMINA,
      decidedDaysAgo: 45,
      verifiedDaysAgo: 45,
    },
    {
      offer: 'mateneen-tables-conversation',
      status: 'CONFIRMED',
      note: {
        fr: 'Parler français ou luxembourgeois avec des habitants, le mercredi soir, dans une ambiance détendue.',
        en: 'Speak French or Luxembourgish with local people on Wednesday evenings, in a relaxed atmosphere.',
        ar: 'تحدّث الفرنسية أو اللوكسمبورغية مع سكان البلد مساء كل أربعاء، في جو مريح.',
        fa: 'عصرهای چهارشنبه، در فضایی آرام، با مردم محلی فرانسوی یا لوکزامبورگی صحبت کنید.',
      },
      audiences: ['YOUTH', 'REFUGEES'],
      languages: ['fr', 'lb', 'ar'],
      decidedDaysAgo: 40,
      verifiedDaysAgo: 40,
    },
    {
      offer: 'croix-rouge-liens-familiaux',
      status: 'CONFIRMED',
      note: {
        fr: 'Pour les jeunes sans nouvelles de leur famille : la Croix-Rouge aide à rechercher un proche, gratuitement et en toute confidentialité.',
        en: 'For young people with no news of their family: the Red Cross helps search for a relative, free and in confidence.',
        ar: 'للشباب الذين انقطعت عنهم أخبار عائلاتهم: يساعد الصليب الأحمر في البحث عن قريب، مجاناً وبسرية تامة.',
        fa: 'برای جوانانی که از خانوادهٔ خود خبری ندارند: صلیب سرخ به‌طور رایگان و کاملاً محرمانه در جست‌وجوی بستگانشان کمک می‌کند.',
      },
      audiences: ['YOUTH', 'REFUGEES'],
      languages: ['fr', 'en', 'ar'],
      decidedBy: JEAN,
      decidedDaysAgo: 35,
      verifiedDaysAgo: 35,
    },
    {
      offer: 'ia-schlaifmillen',
      status: 'CONFIRMED',
      note: {
        fr: 'À partir de 16 ans : découvrir la cuisine, la menuiserie ou l’entretien en atelier, avant de choisir une formation.',
        en: 'From 16: try cooking, carpentry or maintenance in a workshop before choosing a training course.',
        ar: 'ابتداءً من 16 سنة: تجربة الطبخ أو النجارة أو الصيانة في ورشة قبل اختيار تكوين مهني.',
        fa: 'از ۱۶ سالگی: پیش از انتخاب یک دورهٔ آموزشی، آشپزی، نجاری یا کارهای نگهداری ساختمان را در کارگاه تجربه کنید.',
      },
      audiences: ['YOUTH'],
      languages: ['fr', 'de'],
      placesPerWeek: 2,
      decidedBy: SOPHIE,
      decidedDaysAgo: 20,
      verifiedDaysAgo: 20,
    },
    {
      offer: 'ia-act-coaching',
      status: 'PROPOSED',
      proposedDaysAgo: 20,
      note: {
        fr: 'Accompagnement vers l’apprentissage ou un premier emploi, pour les jeunes majeurs qui ont le droit de travailler.',
        en: 'Support towards an apprenticeship or a first job, for young adults who are allowed to work.',
        ar: 'مرافقة نحو التمهين أو أول وظيفة، للشباب البالغين المسموح لهم بالعمل.',
        fa: 'همراهی برای یافتن کارآموزی یا نخستین شغل، برای جوانان بالای ۱۸ سال که اجازهٔ کار دارند.',
      },
      audiences: ['YOUTH', 'JOBSEEKERS'],
      languages: ['fr', 'en'],
    },
    {
      offer: 'liewenshaff-insertion-jeunes',
      status: 'PROPOSED',
      proposedDaysAgo: 16,
      note: {
        fr: 'Vivre et apprendre à la ferme pendant quelques mois : une piste pour un jeune qui a besoin de calme et d’un projet.',
        en: 'Living and learning on a farm for a few months: an option for a young person who needs calm and a plan.',
        ar: 'العيش والتعلّم في مزرعة لبضعة أشهر: خيار لشاب يحتاج إلى الهدوء وإلى مشروع.',
        fa: 'زندگی و یادگیری در یک مزرعه برای چند ماه: راهی برای جوانی که به آرامش و یک برنامه نیاز دارد.',
      },
      audiences: ['YOUTH'],
      languages: ['fr', 'de'],
    },
  ],
};
