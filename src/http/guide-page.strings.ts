/**
 * The words around a printed guide (headings, "verified on", "min on foot"…) in every language of
 * the catalogue: written by people, not translated at run time. A `Record<Language, …>` so that a
 * language added to translations.ts does not compile until its words are here too. Dates, weekday
 * and language names come from Intl (Node's full ICU), always on the Gregorian calendar with
 * Latin digits (residents compare them with Luxembourg's paper and phones).
 */
import type { Language } from '../modules/catalogue/translations.ts';
import { typesetFrench } from '../../clients/typography.ts';

export interface PageStrings {
  weekOf: (date: string) => string;
  timetable: string;
  activities: string;
  noFixedTime: string;
  startingPoint: string;
  onFoot: (km: string, minutes: number) => string;
  verified: (date: string, organisation: string) => string;
  holiday: string;
  closed: string;
  /** A MONTHLY slot: the first such weekday of the month. */
  monthly: (weekday: string) => string;
  since: (date: string) => string;
  until: (date: string) => string;
  /** After a text that falls back to another language: "(en français)". */
  inLanguage: (languageName: string) => string;
  /** After a translation made from an older version of its source text. */
  outdatedTranslation: string;
  languages: string;
  phone: string;
  /** A label before its value, with the language's colon: "Téléphone : " (typeset in French). */
  labelled: (label: string) => string;
  scan: string;
  notOn: string;
  otherLanguages: string;
  nothing: string;
  empty: string;
  printed: (date: string, url: string) => string;
  calendar: string;
  map: string;
  by: (organisation: string) => string;
  wheelchair: string;
  notFound: string;
}

export const PAGE_STRINGS: Record<Language, PageStrings> = {
  fr: typesetFrench({
    weekOf: (d) => `Semaine du ${d}`,
    timetable: 'Programme de la semaine',
    activities: 'Activités et adresses',
    noFixedTime: 'Horaires sur demande',
    startingPoint: 'Point de départ',
    onFoot: (km, min) => `${km} km · ${min} min à pied`,
    verified: (date, org) => `Vérifié le ${date} par ${org}`,
    holiday: 'Jour férié',
    closed: 'Fermé',
    monthly: (wd) => `1er ${wd} du mois`,
    since: (d) => `à partir du ${d}`,
    until: (d) => `jusqu’au ${d}`,
    inLanguage: (name) => `(en ${name})`,
    outdatedTranslation: '(traduction d’une version antérieure)',
    languages: 'Langues',
    phone: 'Téléphone',
    labelled: (l) => `${l} : `,
    scan: 'Infos à jour',
    notOn: 'Pas d’activité le',
    otherLanguages: 'Ce guide en',
    nothing: 'Rien ce jour-là',
    empty: 'Ce guide n’a pas encore d’activités.',
    printed: (date, url) => `Imprimé le ${date}. Version à jour : ${url}`,
    calendar: 'Calendrier (iCal)',
    map: 'Carte (GeoJSON)',
    by: (org) => `Guide réalisé par ${org}`,
    wheelchair: 'Accessible en fauteuil roulant',
    notFound: 'Aucun guide publié à cette adresse.',
  }),
  de: {
    weekOf: (d) => `Woche vom ${d}`,
    timetable: 'Wochenplan',
    activities: 'Angebote und Adressen',
    noFixedTime: 'Zeiten auf Anfrage',
    startingPoint: 'Ausgangspunkt',
    onFoot: (km, min) => `${km} km · ${min} Min. zu Fuß`,
    verified: (date, org) => `Geprüft am ${date} von ${org}`,
    holiday: 'Feiertag',
    closed: 'Geschlossen',
    monthly: (wd) => `jeden ersten ${wd} im Monat`,
    since: (d) => `ab ${d}`,
    until: (d) => `bis ${d}`,
    inLanguage: (name) => `(auf ${name})`,
    outdatedTranslation: '(Übersetzung einer früheren Fassung)',
    languages: 'Sprachen',
    phone: 'Telefon',
    labelled: (l) => `${l}: `,
    scan: 'Aktuelle Infos',
    notOn: 'Nicht am',
    otherLanguages: 'Dieser Leitfaden auf',
    nothing: 'Nichts an diesem Tag',
    empty: 'Dieser Leitfaden enthält noch keine Angebote.',
    printed: (date, url) => `Gedruckt am ${date}. Aktuelle Fassung: ${url}`,
    calendar: 'Kalender (iCal)',
    map: 'Karte (GeoJSON)',
    by: (org) => `Leitfaden von ${org}`,
    wheelchair: 'Rollstuhlgerecht',
    notFound: 'Unter dieser Adresse ist kein Leitfaden veröffentlicht.',
  },
  lb: {
    weekOf: (d) => `Woch vum ${d}`,
    timetable: 'Wocheplang',
    activities: 'Aktivitéiten an Adressen',
    noFixedTime: 'Zäiten op Ufro',
    startingPoint: 'Ausgangspunkt',
    onFoot: (km, min) => `${km} km · ${min} Min. zu Fouss`,
    verified: (date, org) => `Iwwerpréift den ${date} vun ${org}`,
    holiday: 'Feierdag',
    closed: 'Zou',
    monthly: (wd) => `all éischten ${wd} am Mount`,
    since: (d) => `vum ${d} un`,
    until: (d) => `bis den ${d}`,
    inLanguage: (name) => `(op ${name})`,
    outdatedTranslation: '(Iwwersetzung vun enger fréierer Versioun)',
    languages: 'Sproochen',
    phone: 'Telefon',
    labelled: (l) => `${l}: `,
    scan: 'Aktuell Infoen',
    notOn: 'Net den',
    otherLanguages: 'Dëse Guide op',
    nothing: 'Näischt un dësem Dag',
    empty: 'Dëse Guide huet nach keng Aktivitéiten.',
    printed: (date, url) => `Gedréckt den ${date}. Aktuell Versioun: ${url}`,
    calendar: 'Kalenner (iCal)',
    map: 'Kaart (GeoJSON)',
    by: (org) => `Guide vun ${org}`,
    wheelchair: 'Accessibel mam Rollstull',
    notFound: 'Op dëser Adress ass kee Guide publizéiert.',
  },
  en: {
    weekOf: (d) => `Week of ${d}`,
    timetable: 'This week',
    activities: 'Activities and addresses',
    noFixedTime: 'Times on request',
    startingPoint: 'Starting point',
    onFoot: (km, min) => `${km} km · ${min} min on foot`,
    verified: (date, org) => `Verified on ${date} by ${org}`,
    holiday: 'Public holiday',
    closed: 'Closed',
    monthly: (wd) => `first ${wd} of the month`,
    since: (d) => `from ${d}`,
    until: (d) => `until ${d}`,
    inLanguage: (name) => `(in ${name})`,
    outdatedTranslation: '(translated from an earlier version)',
    languages: 'Languages',
    phone: 'Phone',
    labelled: (l) => `${l}: `,
    scan: 'Latest information',
    notOn: 'Not on',
    otherLanguages: 'This guide in',
    nothing: 'Nothing this day',
    empty: 'This guide has no activities yet.',
    printed: (date, url) => `Printed on ${date}. Latest version: ${url}`,
    calendar: 'Calendar (iCal)',
    map: 'Map (GeoJSON)',
    by: (org) => `Guide by ${org}`,
    wheelchair: 'Wheelchair accessible',
    notFound: 'No published guide at this address.',
  },
  pt: {
    weekOf: (d) => `Semana de ${d}`,
    timetable: 'Programa da semana',
    activities: 'Atividades e moradas',
    noFixedTime: 'Horário a pedido',
    startingPoint: 'Ponto de partida',
    onFoot: (km, min) => `${km} km · ${min} min a pé`,
    verified: (date, org) => `Verificado em ${date} por ${org}`,
    holiday: 'Feriado',
    closed: 'Fechado',
    monthly: (wd) => `uma vez por mês, na primeira semana (${wd})`,
    since: (d) => `a partir de ${d}`,
    until: (d) => `até ${d}`,
    inLanguage: (name) => `(em ${name})`,
    outdatedTranslation: '(tradução de uma versão anterior)',
    languages: 'Línguas',
    phone: 'Telefone',
    labelled: (l) => `${l}: `,
    scan: 'Informação atualizada',
    notOn: 'Não há atividade em',
    otherLanguages: 'Este guia em',
    nothing: 'Nada neste dia',
    empty: 'Este guia ainda não tem atividades.',
    printed: (date, url) => `Impresso em ${date}. Versão atual: ${url}`,
    calendar: 'Calendário (iCal)',
    map: 'Mapa (GeoJSON)',
    by: (org) => `Guia elaborado por ${org}`,
    wheelchair: 'Acessível em cadeira de rodas',
    notFound: 'Não há nenhum guia publicado neste endereço.',
  },
  uk: {
    weekOf: (d) => `Тиждень з ${d}`,
    timetable: 'Розклад на тиждень',
    activities: 'Заходи та адреси',
    noFixedTime: 'Час — за запитом',
    startingPoint: 'Звідки йти',
    onFoot: (km, min) => `${km} км · ${min} хв пішки`,
    verified: (date, org) => `Перевірено ${date}, ${org}`,
    holiday: 'Святковий день',
    closed: 'Зачинено',
    monthly: (wd) => `раз на місяць, у перший тиждень (${wd})`,
    since: (d) => `з ${d}`,
    until: (d) => `до ${d}`,
    inLanguage: (name) => `(мовою: ${name})`,
    outdatedTranslation: '(переклад попередньої версії)',
    languages: 'Мови',
    phone: 'Телефон',
    labelled: (l) => `${l}: `,
    scan: 'Актуальна інформація',
    notOn: 'Не відбувається',
    otherLanguages: 'Цей путівник іншими мовами',
    nothing: 'Цього дня нічого',
    empty: 'У цьому путівнику ще немає заходів.',
    printed: (date, url) => `Надруковано ${date}. Актуальна версія: ${url}`,
    calendar: 'Календар (iCal)',
    map: 'Мапа (GeoJSON)',
    by: (org) => `Путівник підготувала організація ${org}`,
    wheelchair: 'Доступно для візків',
    notFound: 'За цією адресою немає опублікованого путівника.',
  },
  ar: {
    weekOf: (d) => `أسبوع ${d}`,
    timetable: 'برنامج الأسبوع',
    activities: 'الأنشطة والعناوين',
    noFixedTime: 'المواعيد عند الطلب',
    startingPoint: 'نقطة الانطلاق',
    onFoot: (km, min) => `${km} كم · ${min} دقيقة سيرًا على الأقدام`,
    verified: (date, org) => `تم التحقق في ${date} من قبل ${org}`,
    holiday: 'عطلة رسمية',
    closed: 'مغلق',
    monthly: (wd) => `أول ${wd} من كل شهر`,
    since: (d) => `ابتداءً من ${d}`,
    until: (d) => `حتى ${d}`,
    inLanguage: (name) => `(باللغة ${name})`,
    outdatedTranslation: '(ترجمة لنسخة سابقة)',
    languages: 'اللغات',
    phone: 'الهاتف',
    labelled: (l) => `${l}: `,
    scan: 'معلومات محدّثة',
    notOn: 'لا يُقام في',
    otherLanguages: 'هذا الدليل باللغات',
    nothing: 'لا شيء في هذا اليوم',
    empty: 'لا توجد أنشطة في هذا الدليل بعد.',
    printed: (date, url) => `طُبع في ${date}. النسخة المحدّثة: ${url}`,
    calendar: 'التقويم (iCal)',
    map: 'الخريطة (GeoJSON)',
    by: (org) => `دليل من إعداد ${org}`,
    wheelchair: 'مناسب للكراسي المتحركة',
    notFound: 'لا يوجد دليل منشور على هذا العنوان.',
  },
  fa: {
    weekOf: (d) => `هفتهٔ ${d}`,
    timetable: 'برنامهٔ هفته',
    activities: 'فعالیت‌ها و نشانی‌ها',
    noFixedTime: 'زمان‌ها با هماهنگی قبلی',
    startingPoint: 'نقطهٔ شروع',
    onFoot: (km, min) => `${km} کیلومتر · ${min} دقیقه پیاده`,
    verified: (date, org) => `بررسی‌شده در ${date} توسط ${org}`,
    holiday: 'تعطیل رسمی',
    closed: 'بسته',
    monthly: (wd) => `اولین ${wd} هر ماه`,
    since: (d) => `از ${d}`,
    until: (d) => `تا ${d}`,
    inLanguage: (name) => `(به زبان ${name})`,
    outdatedTranslation: '(ترجمهٔ نسخهٔ پیشین)',
    languages: 'زبان‌ها',
    phone: 'تلفن',
    labelled: (l) => `${l}: `,
    scan: 'اطلاعات به‌روز',
    notOn: 'برگزار نمی‌شود در',
    otherLanguages: 'این راهنما به زبان‌های دیگر',
    nothing: 'در این روز برنامه‌ای نیست',
    empty: 'این راهنما هنوز فعالیتی ندارد.',
    printed: (date, url) => `چاپ‌شده در ${date}. نسخهٔ به‌روز: ${url}`,
    calendar: 'تقویم (iCal)',
    map: 'نقشه (GeoJSON)',
    by: (org) => `راهنما از ${org}`,
    wheelchair: 'مناسب برای ویلچر',
    notFound: 'هیچ راهنمای منتشرشده‌ای در این نشانی نیست.',
  },
};

/** Languages written right to left. */
export const RTL_LANGUAGES: ReadonlySet<string> = new Set(['ar', 'fa']);

/** Languages whose holiday names `date-holidays` has for Luxembourg; others say "public holiday". */
export const HOLIDAY_NAME_LANGUAGES: ReadonlySet<string> = new Set(['fr', 'de', 'lb', 'en']);

/** `lang` for Intl: Gregorian calendar, Latin digits (Persian defaults to the Solar Hijri calendar). */
export const intlLocale = (lang: string) => `${lang}-u-ca-gregory-nu-latn`;
