/**
 * The words of a participant's manage page (`/events/manage?token=…`), French first, German,
 * English: written by people, not translated at run time. A `Record<EventPageLanguage, …>` like
 * the public event page's (event-page.strings.ts), so that a language added there does not compile
 * until its words are here too. Dates and times come from Intl, in Luxembourg's time.
 */
import type { ContactExchangeStatus, ParticipantCategory } from '../generated/prisma/enums.ts';
import type { EventPageLanguage } from './event-page.strings.ts';
import { typesetFrench } from '../../clients/typography.ts';

/** What a successful change redirects with (`?done=`), to say it was done. */
export const MANAGE_NOTICES = ['registered', 'updated', 'cancelled', 'requested', 'answered'] as const;
export type ManageNotice = (typeof MANAGE_NOTICES)[number];

/** The fields of the change form, as named in messages about them. */
export type ManageField = 'function' | 'accessibilityNeeds' | 'sessions' | 'message' | 'other';

export interface ManageStrings {
  pageTitle: string;
  /** Under the title: the page is private. */
  privateNote: string;
  otherLanguages: string;
  /** "Label : " in French, "Label: " elsewhere. */
  labelled: (label: string) => string;
  yourDetails: string;
  name: string;
  email: string;
  organisation: string;
  function: string;
  category: string;
  categories: Record<ParticipantCategory, string>;
  status: string;
  registered: string;
  cancelled: (date: string) => string;
  badgeCode: string;
  none: string;
  venue: string;

  yourSessions: string;
  noSessions: string;
  seatConfirmed: string;
  waitlistPosition: (position: number) => string;
  room: string;

  consentTitle: string;
  consentIntro: string;
  showName: string;
  showOrganisation: string;
  showFunction: string;
  contactable: string;
  yes: string;
  no: string;

  changeTitle: string;
  accessibilityNeeds: string;
  accessibilityNote: string;
  sessionsLegend: string;
  seatsLeft: (n: number) => string;
  full: (waiting: number) => string;
  noSeatLimit: string;
  waitlist: string;
  save: string;

  notice: Record<ManageNotice, string>;
  sessionFull: (titles: string[], waiting: number[]) => string;
  versionConflict: string;
  registrationClosed: string;
  invalid: (fields: string[]) => string;
  fieldName: Record<ManageField, string>;
  cancelledCannotChange: string;
  nothingWritten: string;

  contactsTitle: string;
  contactsIntro: string;
  contactsNotContactable: string;
  anyOrganisation: string;
  theme: string;
  anyTheme: string;
  search: string;
  results: string;
  noResults: string;
  unnamed: string;
  messageLabel: string;
  request: string;
  alreadyAsked: string;
  contactNotFound: string;
  exchangesTitle: string;
  noExchanges: string;
  sent: (who: string) => string;
  received: (who: string) => string;
  exchangeStatus: Record<ContactExchangeStatus, string>;
  accept: string;
  decline: string;
  alreadyAnswered: string;
  exchangeNotFound: string;
  publicPage: string;
  emailOf: string;

  dataTitle: string;
  exportIntro: string;
  exportButton: string;
  cancelIntro: string;
  cancelButton: string;
  deleteIntro: string;
  deleteButton: string;

  confirmDeleteTitle: string;
  confirmDeleteIntro: string;
  willErase: string;
  erasedPersonal: string;
  seatsFreed: (n: number) => string;
  exchangesDeleted: (n: number) => string;
  standTeamsLeft: (n: number) => string;
  whatStays: string;
  confirmDeleteButton: string;
  back: string;

  deletedTitle: string;
  deletedIntro: string;
  erased: string;

  notFound: string;
  tooManyTries: (seconds: number) => string;
  badRequest: string;
  payloadTooLarge: string;
  unsupportedType: string;
  methodNotAllowed: string;
  unavailable: string;
}

export const MANAGE_STRINGS: Record<EventPageLanguage, ManageStrings> = {
  fr: typesetFrench({
    pageTitle: 'Votre inscription',
    privateNote:
      'Cette page est personnelle : quiconque a son adresse peut lire et changer votre inscription. Ne la partagez pas.',
    otherLanguages: 'Langues',
    labelled: (l) => `${l} : `,
    yourDetails: 'Vos informations',
    name: 'Nom',
    email: 'E-mail',
    organisation: 'Organisation',
    function: 'Fonction',
    category: 'Catégorie',
    categories: {
      PARTNER_STAFF: 'Personnel d’un partenaire',
      VOLUNTEER: 'Bénévole',
      PUBLIC_SECTOR: 'Commune ou ministère',
      PRESS: 'Presse',
      SPEAKER: 'Intervenant·e',
      ORGANISER: 'Organisation',
      OTHER: 'Autre',
    },
    status: 'Statut',
    registered: 'Inscrit·e',
    cancelled: (d) => `Annulée le ${d}`,
    badgeCode: 'Code du badge',
    none: '—',
    venue: 'Lieu',
    yourSessions: 'Vos sessions',
    noSessions: 'Aucune session choisie.',
    seatConfirmed: 'place confirmée',
    waitlistPosition: (p) => `liste d’attente, position ${p}`,
    room: 'Salle',
    consentTitle: 'Ce que vous acceptez de publier',
    consentIntro:
      'La liste publique des participant·es ne montre que ce que vous acceptez ci-dessous ; votre e-mail n’y figure jamais.',
    showName: 'Mon nom sur la liste publique',
    showOrganisation: 'Mon organisation sur la liste publique',
    showFunction: 'Ma fonction sur la liste publique',
    contactable: 'Les autres participant·es peuvent me trouver et me proposer d’échanger nos contacts',
    yes: 'oui',
    no: 'non',
    changeTitle: 'Modifier votre inscription',
    accessibilityNeeds: 'Besoins d’accessibilité',
    accessibilityNote: 'Lus uniquement par les organisateurs ; effacés après l’événement.',
    sessionsLegend: 'Sessions',
    seatsLeft: (n) => (n === 1 ? '1 place restante' : `${n} places restantes`),
    full: (w) => (w > 0 ? `complet, ${w} en attente` : 'complet'),
    noSeatLimit: 'places non limitées',
    waitlist: 'Si une session est complète, m’inscrire sur sa liste d’attente',
    save: 'Enregistrer',
    notice: {
      registered:
        'Vous êtes inscrit·e. Un e-mail avec le lien de cette page vous est envoyé : gardez-le pour revenir ici.',
      updated: 'Vos changements sont enregistrés.',
      cancelled: 'Votre inscription est annulée. Vos places sont rendues aux personnes en attente.',
      requested: 'Votre demande est envoyée : la personne décide si elle accepte.',
      answered: 'Votre réponse est enregistrée.',
    },
    sessionFull: (titles, waiting) =>
      `Complet : ${titles
        .map((t, i) => `« ${t} »${waiting[i] ? ` (${waiting[i]} en attente)` : ''}`)
        .join(
          ', ',
        )}. Cochez « liste d’attente » pour prendre la prochaine place libre, dans l’ordre d’arrivée.`,
    versionConflict:
      'Votre inscription a été modifiée entre-temps (dans un autre onglet ?). Voici son état actuel : refaites vos changements.',
    registrationClosed:
      'Les inscriptions sont closes : vos sessions ne peuvent plus être changées. Vos autres choix peuvent l’être.',
    invalid: (fields) => `Vérifiez : ${fields.join(', ')}.`,
    fieldName: {
      function: 'la fonction (200 caractères au plus)',
      accessibilityNeeds: 'les besoins d’accessibilité (2000 caractères au plus)',
      sessions: 'les sessions (une session n’est pas au programme)',
      message: 'le message (1000 caractères au plus)',
      other: 'vos informations',
    },
    cancelledCannotChange: 'Une inscription annulée ne peut plus être modifiée : inscrivez-vous à nouveau.',
    nothingWritten: 'Rien n’a été enregistré.',
    contactsTitle: 'Rencontrer des participant·es',
    contactsIntro:
      'Cherchez les participant·es qui acceptent d’être contacté·es, par organisation ou par thème de leurs offres, et proposez-leur d’échanger vos contacts. Les e-mails ne sont montrés qu’une fois la demande acceptée.',
    contactsNotContactable:
      'Pour chercher d’autres participant·es, acceptez d’abord d’être trouvé·e vous-même (dernière case ci-dessus).',
    anyOrganisation: 'Toutes les organisations',
    theme: 'Thème',
    anyTheme: 'Tous les thèmes',
    search: 'Chercher',
    results: 'Résultats',
    noResults: 'Personne ne correspond à cette recherche.',
    unnamed: 'Participant·e (nom non publié)',
    messageLabel: 'Message (facultatif)',
    request: 'Proposer d’échanger nos contacts',
    alreadyAsked: 'Échange déjà proposé',
    contactNotFound: 'Cette personne ne peut pas être contactée (elle a peut-être retiré son accord).',
    exchangesTitle: 'Vos échanges de contacts',
    noExchanges: 'Aucun échange pour l’instant.',
    sent: (who) => `Vous avez proposé à ${who}`,
    received: (who) => `${who} vous propose`,
    exchangeStatus: { REQUESTED: 'en attente de réponse', ACCEPTED: 'accepté', DECLINED: 'refusé' },
    accept: 'Accepter',
    decline: 'Refuser',
    alreadyAnswered: 'Cette demande a déjà reçu une réponse.',
    exchangeNotFound: 'Cette demande d’échange n’existe plus.',
    publicPage: 'Page publique de l’événement',
    emailOf: 'E-mail',
    dataTitle: 'Vos données',
    exportIntro: 'Téléchargez tout ce que le hub garde de votre inscription (fichier JSON).',
    exportButton: 'Télécharger mes données',
    cancelIntro:
      'Annuler libère vos places pour les personnes en attente ; vos données restent jusqu’à leur effacement après l’événement.',
    cancelButton: 'Annuler mon inscription',
    deleteIntro:
      'Supprimer efface dès maintenant votre nom, votre e-mail, votre fonction et vos besoins, et annule votre inscription. Ce lien cessera de fonctionner.',
    deleteButton: 'Supprimer mes données…',
    confirmDeleteTitle: 'Supprimer vos données ?',
    confirmDeleteIntro:
      'Cette suppression est définitive : ni vous ni les organisateurs ne pourrez la défaire.',
    willErase: 'Sera effacé :',
    erasedPersonal: 'votre nom, votre e-mail, votre fonction et vos besoins d’accessibilité',
    seatsFreed: (n) =>
      n === 0 ? 'aucune session' : n === 1 ? 'votre place dans 1 session' : `vos places dans ${n} sessions`,
    exchangesDeleted: (n) =>
      n === 0 ? 'aucun échange de contacts' : n === 1 ? '1 échange de contacts' : `${n} échanges de contacts`,
    standTeamsLeft: (n) =>
      n === 0
        ? 'aucune équipe de stand'
        : n === 1
          ? 'votre nom dans 1 équipe de stand'
          : `votre nom dans ${n} équipes de stand`,
    whatStays:
      'Ce qui reste : votre organisation et votre catégorie, sans votre nom, comptées dans les statistiques de l’événement.',
    confirmDeleteButton: 'Oui, supprimer mes données',
    back: 'Non, revenir à mon inscription',
    deletedTitle: 'Vos données sont supprimées',
    deletedIntro: 'Votre inscription est annulée et ce lien ne fonctionne plus.',
    erased: 'Effacé :',
    notFound:
      'Ce lien ne correspond à aucune inscription. Vérifiez qu’il est complet, tel que reçu dans votre e-mail de confirmation.',
    tooManyTries: (s) => `Trop d’essais depuis cette adresse : réessayez dans ${s} secondes.`,
    badRequest: 'Cette demande n’est pas valide.',
    payloadTooLarge: 'Ce formulaire est trop volumineux.',
    unsupportedType: 'Ce formulaire n’est pas envoyé au bon format.',
    methodNotAllowed: 'Cette page ne répond pas à cette méthode.',
    unavailable: 'Le service est momentanément indisponible ; réessayez dans un instant.',
  }),
  de: {
    pageTitle: 'Ihre Anmeldung',
    privateNote:
      'Diese Seite ist persönlich: Wer ihre Adresse hat, kann Ihre Anmeldung lesen und ändern. Geben Sie sie nicht weiter.',
    otherLanguages: 'Sprachen',
    labelled: (l) => `${l}: `,
    yourDetails: 'Ihre Angaben',
    name: 'Name',
    email: 'E-Mail',
    organisation: 'Organisation',
    function: 'Funktion',
    category: 'Kategorie',
    categories: {
      PARTNER_STAFF: 'Mitarbeitende eines Partners',
      VOLUNTEER: 'Ehrenamtlich',
      PUBLIC_SECTOR: 'Gemeinde oder Ministerium',
      PRESS: 'Presse',
      SPEAKER: 'Referent·in',
      ORGANISER: 'Veranstalter',
      OTHER: 'Andere',
    },
    status: 'Status',
    registered: 'Angemeldet',
    cancelled: (d) => `Storniert am ${d}`,
    badgeCode: 'Badge-Code',
    none: '—',
    venue: 'Ort',
    yourSessions: 'Ihre Programmpunkte',
    noSessions: 'Kein Programmpunkt gewählt.',
    seatConfirmed: 'Platz bestätigt',
    waitlistPosition: (p) => `Warteliste, Platz ${p}`,
    room: 'Raum',
    consentTitle: 'Was Sie veröffentlichen lassen',
    consentIntro:
      'Die öffentliche Teilnehmerliste zeigt nur, was Sie unten erlauben; Ihre E-Mail-Adresse erscheint dort nie.',
    showName: 'Mein Name auf der öffentlichen Liste',
    showOrganisation: 'Meine Organisation auf der öffentlichen Liste',
    showFunction: 'Meine Funktion auf der öffentlichen Liste',
    contactable: 'Andere Teilnehmende dürfen mich finden und mir einen Kontaktaustausch vorschlagen',
    yes: 'ja',
    no: 'nein',
    changeTitle: 'Anmeldung ändern',
    accessibilityNeeds: 'Bedarf an Barrierefreiheit',
    accessibilityNote: 'Nur für die Veranstalter; nach der Veranstaltung gelöscht.',
    sessionsLegend: 'Programmpunkte',
    seatsLeft: (n) => (n === 1 ? '1 Platz frei' : `${n} Plätze frei`),
    full: (w) => (w > 0 ? `ausgebucht, ${w} auf der Warteliste` : 'ausgebucht'),
    noSeatLimit: 'Plätze unbegrenzt',
    waitlist: 'Ist ein Programmpunkt ausgebucht, mich auf seine Warteliste setzen',
    save: 'Speichern',
    notice: {
      registered:
        'Sie sind angemeldet. Eine E-Mail mit dem Link zu dieser Seite wird Ihnen gesendet: Bewahren Sie sie auf, um hierher zurückzukehren.',
      updated: 'Ihre Änderungen sind gespeichert.',
      cancelled: 'Ihre Anmeldung ist storniert. Ihre Plätze gehen an die Wartenden.',
      requested: 'Ihre Anfrage ist gesendet: die Person entscheidet, ob sie annimmt.',
      answered: 'Ihre Antwort ist gespeichert.',
    },
    sessionFull: (titles, waiting) =>
      `Ausgebucht: ${titles
        .map((t, i) => `„${t}“${waiting[i] ? ` (${waiting[i]} auf der Warteliste)` : ''}`)
        .join(
          ', ',
        )}. Kreuzen Sie „Warteliste“ an, um den nächsten freien Platz zu bekommen, in der Reihenfolge der Anfragen.`,
    versionConflict:
      'Ihre Anmeldung wurde inzwischen geändert (in einem anderen Tab?). Hier ist der aktuelle Stand: ändern Sie sie bitte erneut.',
    registrationClosed:
      'Die Anmeldung ist geschlossen: Ihre Programmpunkte können nicht mehr geändert werden, Ihre übrigen Angaben schon.',
    invalid: (fields) => `Bitte prüfen: ${fields.join(', ')}.`,
    fieldName: {
      function: 'die Funktion (höchstens 200 Zeichen)',
      accessibilityNeeds: 'den Bedarf an Barrierefreiheit (höchstens 2000 Zeichen)',
      sessions: 'die Programmpunkte (einer gehört nicht zum Programm)',
      message: 'die Nachricht (höchstens 1000 Zeichen)',
      other: 'Ihre Angaben',
    },
    cancelledCannotChange:
      'Eine stornierte Anmeldung kann nicht mehr geändert werden: melden Sie sich neu an.',
    nothingWritten: 'Nichts wurde gespeichert.',
    contactsTitle: 'Teilnehmende kennenlernen',
    contactsIntro:
      'Suchen Sie Teilnehmende, die kontaktiert werden möchten, nach Organisation oder nach Thema ihrer Angebote, und schlagen Sie ihnen einen Kontaktaustausch vor. E-Mail-Adressen erscheinen erst, wenn die Anfrage angenommen ist.',
    contactsNotContactable:
      'Um andere Teilnehmende zu suchen, erlauben Sie zuerst, selbst gefunden zu werden (letztes Kästchen oben).',
    anyOrganisation: 'Alle Organisationen',
    theme: 'Thema',
    anyTheme: 'Alle Themen',
    search: 'Suchen',
    results: 'Ergebnisse',
    noResults: 'Niemand entspricht dieser Suche.',
    unnamed: 'Teilnehmende Person (Name nicht veröffentlicht)',
    messageLabel: 'Nachricht (freiwillig)',
    request: 'Kontaktaustausch vorschlagen',
    alreadyAsked: 'Austausch bereits vorgeschlagen',
    contactNotFound:
      'Diese Person kann nicht kontaktiert werden (vielleicht hat sie ihre Zustimmung zurückgezogen).',
    exchangesTitle: 'Ihre Kontaktanfragen',
    noExchanges: 'Noch keine Anfrage.',
    sent: (who) => `Ihre Anfrage an ${who}`,
    received: (who) => `Anfrage von ${who}`,
    exchangeStatus: { REQUESTED: 'wartet auf Antwort', ACCEPTED: 'angenommen', DECLINED: 'abgelehnt' },
    accept: 'Annehmen',
    decline: 'Ablehnen',
    alreadyAnswered: 'Diese Anfrage wurde schon beantwortet.',
    exchangeNotFound: 'Diese Kontaktanfrage gibt es nicht mehr.',
    publicPage: 'Öffentliche Seite der Veranstaltung',
    emailOf: 'E-Mail',
    dataTitle: 'Ihre Daten',
    exportIntro: 'Laden Sie alles herunter, was der Hub zu Ihrer Anmeldung speichert (JSON-Datei).',
    exportButton: 'Meine Daten herunterladen',
    cancelIntro:
      'Stornieren gibt Ihre Plätze an die Wartenden frei; Ihre Daten bleiben bis zu ihrer Löschung nach der Veranstaltung.',
    cancelButton: 'Anmeldung stornieren',
    deleteIntro:
      'Löschen entfernt sofort Ihren Namen, Ihre E-Mail-Adresse, Ihre Funktion und Ihren Bedarf und storniert die Anmeldung. Dieser Link funktioniert danach nicht mehr.',
    deleteButton: 'Meine Daten löschen…',
    confirmDeleteTitle: 'Ihre Daten löschen?',
    confirmDeleteIntro:
      'Das Löschen ist endgültig: weder Sie noch die Veranstalter können es rückgängig machen.',
    willErase: 'Gelöscht wird:',
    erasedPersonal: 'Ihr Name, Ihre E-Mail-Adresse, Ihre Funktion und Ihr Bedarf an Barrierefreiheit',
    seatsFreed: (n) =>
      n === 0
        ? 'kein Programmpunkt'
        : n === 1
          ? 'Ihr Platz in 1 Programmpunkt'
          : `Ihre Plätze in ${n} Programmpunkten`,
    exchangesDeleted: (n) =>
      n === 0 ? 'kein Kontaktaustausch' : n === 1 ? '1 Kontaktaustausch' : `${n} Kontaktaustausche`,
    standTeamsLeft: (n) =>
      n === 0 ? 'kein Standteam' : n === 1 ? 'Ihr Name in 1 Standteam' : `Ihr Name in ${n} Standteams`,
    whatStays:
      'Was bleibt: Ihre Organisation und Ihre Kategorie, ohne Ihren Namen, gezählt in der Statistik der Veranstaltung.',
    confirmDeleteButton: 'Ja, meine Daten löschen',
    back: 'Nein, zurück zu meiner Anmeldung',
    deletedTitle: 'Ihre Daten sind gelöscht',
    deletedIntro: 'Ihre Anmeldung ist storniert und dieser Link funktioniert nicht mehr.',
    erased: 'Gelöscht:',
    notFound:
      'Zu diesem Link gibt es keine Anmeldung. Prüfen Sie, ob er vollständig ist, wie in Ihrer Bestätigungs-E-Mail.',
    tooManyTries: (s) => `Zu viele Versuche von dieser Adresse: versuchen Sie es in ${s} Sekunden erneut.`,
    badRequest: 'Diese Anfrage ist ungültig.',
    payloadTooLarge: 'Dieses Formular ist zu groß.',
    unsupportedType: 'Dieses Formular wurde nicht im richtigen Format gesendet.',
    methodNotAllowed: 'Diese Seite beantwortet diese Methode nicht.',
    unavailable: 'Der Dienst ist vorübergehend nicht erreichbar; versuchen Sie es gleich noch einmal.',
  },
  en: {
    pageTitle: 'Your registration',
    privateNote:
      'This page is personal: anyone with its address can read and change your registration. Do not share it.',
    otherLanguages: 'Languages',
    labelled: (l) => `${l}: `,
    yourDetails: 'Your details',
    name: 'Name',
    email: 'E-mail',
    organisation: 'Organisation',
    function: 'Function',
    category: 'Category',
    categories: {
      PARTNER_STAFF: 'Partner staff',
      VOLUNTEER: 'Volunteer',
      PUBLIC_SECTOR: 'Commune or ministry',
      PRESS: 'Press',
      SPEAKER: 'Speaker',
      ORGANISER: 'Organiser',
      OTHER: 'Other',
    },
    status: 'Status',
    registered: 'Registered',
    cancelled: (d) => `Cancelled on ${d}`,
    badgeCode: 'Badge code',
    none: '—',
    venue: 'Venue',
    yourSessions: 'Your sessions',
    noSessions: 'No session chosen.',
    seatConfirmed: 'seat confirmed',
    waitlistPosition: (p) => `waitlist, position ${p}`,
    room: 'Room',
    consentTitle: 'What you agree to publish',
    consentIntro:
      'The public participant list shows only what you agree to below; your e-mail address is never on it.',
    showName: 'My name on the public list',
    showOrganisation: 'My organisation on the public list',
    showFunction: 'My function on the public list',
    contactable: 'Other participants may find me and offer to exchange contact details',
    yes: 'yes',
    no: 'no',
    changeTitle: 'Change your registration',
    accessibilityNeeds: 'Accessibility needs',
    accessibilityNote: 'Read by the organisers only; erased after the event.',
    sessionsLegend: 'Sessions',
    seatsLeft: (n) => (n === 1 ? '1 seat left' : `${n} seats left`),
    full: (w) => (w > 0 ? `full, ${w} waiting` : 'full'),
    noSeatLimit: 'no seat limit',
    waitlist: 'If a session is full, put me on its waitlist',
    save: 'Save',
    notice: {
      registered:
        'You are registered. An e-mail with this page’s link is sent to you: keep it to come back here.',
      updated: 'Your changes are saved.',
      cancelled: 'Your registration is cancelled. Your seats go to the people waiting.',
      requested: 'Your request is sent: the other person decides whether to accept.',
      answered: 'Your answer is saved.',
    },
    sessionFull: (titles, waiting) =>
      `Full: ${titles
        .map((t, i) => `“${t}”${waiting[i] ? ` (${waiting[i]} waiting)` : ''}`)
        .join(', ')}. Tick “waitlist” to take the next free seat, in the order of requests.`,
    versionConflict:
      'Your registration was changed meanwhile (in another tab?). Here it is as it stands now: make your changes again.',
    registrationClosed:
      'Registration is closed: your sessions can no longer be changed. Your other choices still can.',
    invalid: (fields) => `Please check: ${fields.join(', ')}.`,
    fieldName: {
      function: 'the function (at most 200 characters)',
      accessibilityNeeds: 'the accessibility needs (at most 2000 characters)',
      sessions: 'the sessions (one is not in the programme)',
      message: 'the message (at most 1000 characters)',
      other: 'your details',
    },
    cancelledCannotChange: 'A cancelled registration can no longer be changed: register again.',
    nothingWritten: 'Nothing was saved.',
    contactsTitle: 'Meeting people',
    contactsIntro:
      'Find participants who agree to be contacted, by organisation or by a theme of their offers, and offer to exchange contact details. E-mail addresses show only once a request is accepted.',
    contactsNotContactable:
      'To look for other participants, first agree to be found yourself (last box above).',
    anyOrganisation: 'All organisations',
    theme: 'Theme',
    anyTheme: 'All themes',
    search: 'Search',
    results: 'Results',
    noResults: 'Nobody matches this search.',
    unnamed: 'Participant (name not published)',
    messageLabel: 'Message (optional)',
    request: 'Offer to exchange contact details',
    alreadyAsked: 'Exchange already offered',
    contactNotFound: 'This person cannot be contacted (they may have withdrawn their consent).',
    exchangesTitle: 'Your contact exchanges',
    noExchanges: 'No exchange yet.',
    sent: (who) => `You asked ${who}`,
    received: (who) => `${who} asks you`,
    exchangeStatus: { REQUESTED: 'awaiting an answer', ACCEPTED: 'accepted', DECLINED: 'declined' },
    accept: 'Accept',
    decline: 'Decline',
    alreadyAnswered: 'This request was already answered.',
    exchangeNotFound: 'This contact request no longer exists.',
    publicPage: 'The event’s public page',
    emailOf: 'E-mail',
    dataTitle: 'Your data',
    exportIntro: 'Download everything the hub holds of your registration (a JSON file).',
    exportButton: 'Download my data',
    cancelIntro:
      'Cancelling frees your seats for the people waiting; your data stays until it is erased after the event.',
    cancelButton: 'Cancel my registration',
    deleteIntro:
      'Deleting erases your name, e-mail address, function and needs now, and cancels your registration. This link will stop working.',
    deleteButton: 'Delete my data…',
    confirmDeleteTitle: 'Delete your data?',
    confirmDeleteIntro: 'This cannot be undone, neither by you nor by the organisers.',
    willErase: 'To be erased:',
    erasedPersonal: 'your name, e-mail address, function and accessibility needs',
    seatsFreed: (n) =>
      n === 0 ? 'no session' : n === 1 ? 'your place in 1 session' : `your places in ${n} sessions`,
    exchangesDeleted: (n) =>
      n === 0 ? 'no contact exchange' : n === 1 ? '1 contact exchange' : `${n} contact exchanges`,
    standTeamsLeft: (n) =>
      n === 0 ? 'no stand team' : n === 1 ? 'your name in 1 stand team' : `your name in ${n} stand teams`,
    whatStays:
      'What stays: your organisation and your category, without your name, counted in the event’s statistics.',
    confirmDeleteButton: 'Yes, delete my data',
    back: 'No, back to my registration',
    deletedTitle: 'Your data is deleted',
    deletedIntro: 'Your registration is cancelled and this link no longer works.',
    erased: 'Erased:',
    notFound:
      'This link opens no registration. Check that it is complete, as received in your confirmation e-mail.',
    tooManyTries: (s) => `Too many tries from this address: try again in ${s} seconds.`,
    badRequest: 'This request is not valid.',
    payloadTooLarge: 'This form is too large.',
    unsupportedType: 'This form was not sent in the expected format.',
    methodNotAllowed: 'This page does not answer this method.',
    unavailable: 'The service is unavailable for a moment; try again shortly.',
  },
};
