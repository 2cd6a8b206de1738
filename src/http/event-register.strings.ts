/**
 * The words of the public registration form (`/events/<slug>/register`), French first, German,
 * English: written by people, not translated at run time. Only what is the form's own: the words
 * it shares with the manage page (field names, consents, sessions, categories, problems of the
 * request) are MANAGE_STRINGS', so that both pages say the same thing the same way.
 */
import type { EventPageLanguage } from './event-page.strings.ts';
import { typesetFrench } from '../../clients/typography.ts';

/** The fields of the form, as its problems are shown next to them. */
export type RegisterField = 'code' | 'name' | 'email' | 'function' | 'accessibilityNeeds' | 'sessions';

export interface RegisterStrings {
  pageTitle: string;
  /** The link on the public event page, beside "registration open". */
  linkFromEventPage: string;
  intro: string;
  afterwards: string;
  required: string;
  code: string;
  codeHint: string;
  emailHint: string;
  yourDetails: string;
  sessionsIntro: string;
  submit: string;
  closed: string;
  backToEvent: string;
  /** Above the form when fields are refused. */
  checkFields: string;
  problem: Record<RegisterField, string>;
  codeExpired: string;
  /** The organisers withdrew the code (its organisation has a new one, if invited again). */
  codeWithdrawn: string;
  alreadyRegistered: string;
  /** A problem the form cannot point at a field for. */
  otherProblem: string;
}

export const REGISTER_STRINGS: Record<EventPageLanguage, RegisterStrings> = {
  fr: typesetFrench({
    pageTitle: 'Inscription',
    linkFromEventPage: 'S’inscrire avec le code de votre organisation',
    intro:
      'Inscrivez-vous avec le code d’inscription de votre organisation, reçu par e-mail (il commence par evc_). Pas besoin de compte.',
    afterwards:
      'Vous recevrez ensuite par e-mail un lien personnel pour consulter, modifier ou annuler votre inscription.',
    required: '(obligatoire)',
    code: 'Code d’inscription',
    codeHint: 'Il commence par evc_ ; vous êtes inscrit·e pour l’organisation à qui il a été donné.',
    emailHint: 'Votre e-mail n’est jamais publié.',
    yourDetails: 'Vos informations',
    sessionsIntro: 'Choisissez vos sessions ; vous pourrez les changer plus tard.',
    submit: 'M’inscrire',
    closed: 'Les inscriptions à cet événement sont closes.',
    backToEvent: 'Page de l’événement',
    checkFields: 'Vérifiez les champs signalés. Rien n’a été enregistré.',
    problem: {
      code: 'Ce code n’est pas valable pour cet événement : vérifiez-le auprès de votre organisation.',
      name: 'Indiquez votre nom (200 caractères au plus).',
      email: 'Indiquez une adresse e-mail valide, par exemple prenom.nom@organisation.lu.',
      function: 'La fonction compte 200 caractères au plus.',
      accessibilityNeeds: 'Les besoins d’accessibilité comptent 2000 caractères au plus.',
      sessions: 'Une session choisie n’est pas au programme.',
    },
    codeExpired: 'Ce code a expiré : demandez-en un nouveau à votre organisation ou aux organisateurs.',
    codeWithdrawn: 'Les organisateurs ont retiré ce code : demandez le nouveau code à votre organisation.',
    alreadyRegistered:
      'Cette adresse e-mail est déjà inscrite à cet événement. Pour changer votre inscription, ouvrez le lien personnel reçu par e-mail.',
    otherProblem: 'Vérifiez vos informations.',
  }),
  de: {
    pageTitle: 'Anmeldung',
    linkFromEventPage: 'Mit dem Code Ihrer Organisation anmelden',
    intro:
      'Melden Sie sich mit dem Anmeldecode Ihrer Organisation an, den Sie per E-Mail erhalten haben (er beginnt mit evc_). Ein Konto ist nicht nötig.',
    afterwards:
      'Danach erhalten Sie per E-Mail einen persönlichen Link, um Ihre Anmeldung anzusehen, zu ändern oder zu stornieren.',
    required: '(Pflichtfeld)',
    code: 'Anmeldecode',
    codeHint: 'Er beginnt mit evc_; Sie werden für die Organisation angemeldet, der er gegeben wurde.',
    emailHint: 'Ihre E-Mail-Adresse wird nie veröffentlicht.',
    yourDetails: 'Ihre Angaben',
    sessionsIntro: 'Wählen Sie Ihre Programmpunkte; Sie können sie später ändern.',
    submit: 'Anmelden',
    closed: 'Die Anmeldung zu dieser Veranstaltung ist geschlossen.',
    backToEvent: 'Seite der Veranstaltung',
    checkFields: 'Bitte prüfen Sie die markierten Felder. Nichts wurde gespeichert.',
    problem: {
      code: 'Dieser Code gilt nicht für diese Veranstaltung: prüfen Sie ihn mit Ihrer Organisation.',
      name: 'Geben Sie Ihren Namen an (höchstens 200 Zeichen).',
      email: 'Geben Sie eine gültige E-Mail-Adresse an, zum Beispiel vorname.name@organisation.lu.',
      function: 'Die Funktion hat höchstens 200 Zeichen.',
      accessibilityNeeds: 'Der Bedarf an Barrierefreiheit hat höchstens 2000 Zeichen.',
      sessions: 'Ein gewählter Programmpunkt gehört nicht zum Programm.',
    },
    codeExpired:
      'Dieser Code ist abgelaufen: bitten Sie Ihre Organisation oder die Veranstalter um einen neuen.',
    codeWithdrawn:
      'Die Veranstalter haben diesen Code zurückgezogen: fragen Sie Ihre Organisation nach dem neuen Code.',
    alreadyRegistered:
      'Diese E-Mail-Adresse ist für diese Veranstaltung schon angemeldet. Um Ihre Anmeldung zu ändern, öffnen Sie den persönlichen Link aus Ihrer E-Mail.',
    otherProblem: 'Bitte prüfen Sie Ihre Angaben.',
  },
  en: {
    pageTitle: 'Registration',
    linkFromEventPage: 'Register with your organisation’s code',
    intro:
      'Register with your organisation’s registration code, which you received by e-mail (it starts with evc_). No account needed.',
    afterwards: 'You will then receive a personal link by e-mail to see, change or cancel your registration.',
    required: '(required)',
    code: 'Registration code',
    codeHint: 'It starts with evc_; you are registered for the organisation it was given to.',
    emailHint: 'Your e-mail address is never published.',
    yourDetails: 'Your details',
    sessionsIntro: 'Choose your sessions; you can change them later.',
    submit: 'Register',
    closed: 'Registration for this event is closed.',
    backToEvent: 'The event’s page',
    checkFields: 'Please check the fields marked. Nothing was saved.',
    problem: {
      code: 'This code is not valid for this event: check it with your organisation.',
      name: 'Give your name (at most 200 characters).',
      email: 'Give a valid e-mail address, for example first.last@organisation.lu.',
      function: 'The function has at most 200 characters.',
      accessibilityNeeds: 'The accessibility needs have at most 2000 characters.',
      sessions: 'A session chosen is not in the programme.',
    },
    codeExpired: 'This code has expired: ask your organisation or the organisers for a new one.',
    codeWithdrawn: 'The organisers withdrew this code: ask your organisation for its new one.',
    alreadyRegistered:
      'This e-mail address is already registered for this event. To change your registration, open the personal link from your e-mail.',
    otherProblem: 'Please check your details.',
  },
};
