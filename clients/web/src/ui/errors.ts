/**
 * A typed error of the API in the user's words: known codes have a sentence in each language;
 * any other keeps the hub's own message. Invalid fields come back with their path, so a form shows
 * each problem next to its field (`fieldProblems`).
 */
import type { FieldProblemReason } from '../../../generated/graphql.ts';
import { defineMessages, useMessages } from '../i18n/i18n.tsx';

const words = defineMessages({
  fr: {
    // No answer the console can read: the connection, or the hub failing (its English sentence
    // helps nobody at the desk).
    network: 'Le hub n’a pas pu répondre : vérifiez la connexion puis réessayez.',
    'common/not_found': 'Introuvable : cet élément n’existe pas ou vous n’y avez pas accès.',
    'common/forbidden': 'Votre rôle ne permet pas cette action.',
    'common/invalid_input': 'Certains champs sont à corriger.',
    'common/version_conflict':
      'Quelqu’un a modifié cet élément depuis que vous l’avez ouvert : rechargez-le puis refaites votre modification.',
    'common/invalid_transition': 'Cette étape n’est plus possible depuis le statut actuel.',
    'common/organisation_ambiguous': 'Vous agissez pour plusieurs organisations : choisissez laquelle.',
    'common/unknown_theme': 'Thème inconnu.',
    'referral/consent_missing':
      'Le consentement de la personne manque ou a expiré : enregistrez-le avant d’envoyer.',
    'referral/offer_not_accepting': 'Cette offre n’accepte pas d’orientation pour le moment.',
    'referral/offer_full': 'Cette offre est complète : vous pouvez l’envoyer en liste d’attente.',
  },
  de: {
    network: 'Der Hub konnte nicht antworten: Prüfen Sie die Verbindung und versuchen Sie es erneut.',
    'common/not_found': 'Nicht gefunden: Dies gibt es nicht, oder Sie haben keinen Zugriff.',
    'common/forbidden': 'Ihre Rolle erlaubt diese Aktion nicht.',
    'common/invalid_input': 'Einige Felder müssen korrigiert werden.',
    'common/version_conflict':
      'Jemand hat dies geändert, seit Sie es geöffnet haben: neu laden und die Änderung wiederholen.',
    'common/invalid_transition': 'Dieser Schritt ist vom aktuellen Status aus nicht mehr möglich.',
    'common/organisation_ambiguous': 'Sie handeln für mehrere Organisationen: Wählen Sie eine.',
    'common/unknown_theme': 'Unbekanntes Thema.',
    'referral/consent_missing':
      'Die Einwilligung der Person fehlt oder ist abgelaufen: vor dem Senden erfassen.',
    'referral/offer_not_accepting': 'Dieses Angebot nimmt derzeit keine Vermittlungen an.',
    'referral/offer_full': 'Dieses Angebot ist voll: Sie können auf die Warteliste senden.',
  },
  en: {
    network: 'The hub could not answer: check the connection and try again.',
    'common/not_found': 'Not found: it does not exist, or you have no access to it.',
    'common/forbidden': 'Your role does not allow this.',
    'common/invalid_input': 'Some fields need correcting.',
    'common/version_conflict':
      'Someone changed this since you opened it: reload it and make your change again.',
    'common/invalid_transition': 'This step is no longer possible from the current status.',
    'common/organisation_ambiguous': 'You act for several organisations: choose one.',
    'common/unknown_theme': 'Unknown theme.',
    'referral/consent_missing': "The person's consent is missing or has expired: record it before sending.",
    'referral/offer_not_accepting': 'This offer does not take referrals at the moment.',
    'referral/offer_full': 'This offer is full: you can send to its waitlist.',
  },
});

/** A field's problem in the user's words, by the reason the hub names (`FieldError.reason`). */
const reasonWords = defineMessages({
  fr: {
    required: 'à remplir',
    choose: 'cochez au moins une case',
    email: 'saisissez une adresse e-mail, par exemple nom@organisation.lu',
    url: 'saisissez une adresse web complète, par exemple https://organisation.lu',
    tooLong: (n: number) => `${n} caractères au plus`,
    tooShort: (n: number) => `${n} caractères au moins`,
    tooMany: (n: number) => `cochez-en ${n} au plus`,
    tooFew: (n: number) => `cochez-en au moins ${n}`,
    tooSmall: (n: number) => `au moins ${n}`,
    past: 'la date doit être dans le futur',
    outsideEdition: 'en dehors de l’édition : une session a lieu pendant l’édition',
    future: 'la date ne peut pas être dans le futur',
    taken: 'déjà utilisé, choisissez-en un autre',
  },
  de: {
    required: 'bitte ausfüllen',
    choose: 'kreuzen Sie mindestens ein Feld an',
    email: 'geben Sie eine E-Mail-Adresse ein, zum Beispiel name@organisation.lu',
    url: 'geben Sie eine vollständige Webadresse ein, zum Beispiel https://organisation.lu',
    tooLong: (n: number) => `höchstens ${n} Zeichen`,
    tooShort: (n: number) => `mindestens ${n} Zeichen`,
    tooMany: (n: number) => `kreuzen Sie höchstens ${n} an`,
    tooFew: (n: number) => `kreuzen Sie mindestens ${n} an`,
    tooSmall: (n: number) => `mindestens ${n}`,
    past: 'das Datum muss in der Zukunft liegen',
    outsideEdition: 'außerhalb der Ausgabe: Eine Sitzung findet während der Ausgabe statt',
    future: 'das Datum darf nicht in der Zukunft liegen',
    taken: 'bereits vergeben, wählen Sie einen anderen Wert',
  },
  en: {
    required: 'required',
    choose: 'tick at least one box',
    email: 'enter an e-mail address, for example name@organisation.lu',
    url: 'enter a full web address, for example https://organisation.lu',
    tooLong: (n: number) => `${n} characters at most`,
    tooShort: (n: number) => `${n} characters at least`,
    tooMany: (n: number) => `tick ${n} at most`,
    tooFew: (n: number) => `tick at least ${n}`,
    tooSmall: (n: number) => `at least ${n}`,
    past: 'the date must be in the future',
    outsideEdition: 'outside the edition: a session takes place during its edition',
    future: 'the date cannot be in the future',
    taken: 'already used, choose another',
  },
});

/** One invalid field as the hub answers it: its reason (and limit) where it names one. */
export interface FieldFailure {
  path: readonly string[];
  message: string;
  reason?: FieldProblemReason | null;
  limit?: number | null;
}

/** How a form shows a field: a list of boxes to tick, an e-mail or a web address (else plain). */
export type FieldKind = 'choice' | 'email' | 'url';

/**
 * The words for a field problem whose reason the console knows, or null (the caller shows the
 * hub's own sentence, in English). `kind` picks the words for a list's size or a malformed value;
 * a malformed value of no known kind keeps the hub's sentence, which says the form expected.
 */
export function useReasonText(): (f: FieldFailure, kind?: FieldKind) => string | null {
  const t = useMessages(reasonWords);
  return (f, fieldKind) => {
    // A problem of one item of a list (`themes.3`) is the item's, not the list's.
    const kind =
      fieldKind === 'choice' && /^\d+$/.test(f.path[f.path.length - 1] ?? '') ? undefined : fieldKind;
    switch (f.reason) {
      case 'REQUIRED':
        return kind === 'choice' ? t.choose : t.required;
      case 'FORMAT':
        return kind === 'email' ? t.email : kind === 'url' ? t.url : null;
      case 'TOO_LONG':
        if (f.limit == null) return null;
        return kind === 'choice' ? t.tooMany(f.limit) : t.tooLong(f.limit);
      case 'TOO_SHORT':
        if (f.limit == null) return null;
        return kind === 'choice' ? t.tooFew(f.limit) : t.tooShort(f.limit);
      case 'TOO_SMALL':
        return f.limit == null ? null : t.tooSmall(f.limit);
      case 'PAST':
        return t.past;
      case 'FUTURE':
        return t.future;
      case 'OUTSIDE_EDITION':
        return t.outsideEdition;
      case 'TAKEN':
        return t.taken;
      default:
        return null;
    }
  };
}

export interface ApiError {
  code: string;
  message: string;
  /** `reason`: why, where the hub names it (FieldProblemReason), for the console's own words. */
  fields?: FieldFailure[] | null;
}

/** The sentence for a typed error (its code's, else the hub's message). */
export function useErrorText(): (error: ApiError) => string {
  const t = useMessages(words);
  return (error) => (error.code in t ? t[error.code as keyof typeof t] : error.message);
}

/** The problems of an invalid input, by field path within the input (`['input', 'person', 'contact']` → `person.contact`). */
export function fieldProblems(error: ApiError | null | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of error?.fields ?? []) out[fieldKey(f.path)] = f.message;
  return out;
}

/** Why each invalid field is wrong, where the hub says (same keys as `fieldProblems`). */
export function fieldReasons(error: ApiError | null | undefined): Record<string, FieldProblemReason> {
  const out: Record<string, FieldProblemReason> = {};
  for (const f of error?.fields ?? []) if (f.reason) out[fieldKey(f.path)] = f.reason;
  return out;
}

/** The input field a problem is about, within the input: `['input', 'person', 'contact']` → `person.contact`. */
export const fieldKey = (path: readonly string[]) => (path[0] === 'input' ? path.slice(1) : path).join('.');
