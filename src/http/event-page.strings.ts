/**
 * The words around an edition's public page and its iCalendar programme, in the languages the
 * page speaks (French first, German, English): written by people, not translated at run time. A
 * `Record<EventPageLanguage, …>` so that a language added to `EVENT_PAGE_LANGUAGES` does not
 * compile until its words are here too. Dates, times and language names come from Intl, in
 * Luxembourg's time zone.
 */
import type { SessionKind } from '../generated/prisma/enums.ts';
import { typesetFrench } from '../../clients/typography.ts';

/** Languages of the public event pages (`?lang=`), French first. */
export const EVENT_PAGE_LANGUAGES = ['fr', 'de', 'en'] as const;
export type EventPageLanguage = (typeof EVENT_PAGE_LANGUAGES)[number];

export function isEventPageLanguage(code: string): code is EventPageLanguage {
  return (EVENT_PAGE_LANGUAGES as readonly string[]).includes(code);
}

export interface EventPageStrings {
  kind: Record<SessionKind, string>;
  programme: string;
  stands: string;
  participants: string;
  venue: string;
  organisedBy: (organisation: string) => string;
  /** "Registration open until 10 November 2026". */
  registrationOpenUntil: (date: string) => string;
  registrationClosed: string;
  room: string;
  speakers: string;
  /** A label before its value, with the language's colon: "Intervenants : " (typeset in French). */
  labelled: (label: string) => string;
  seatsLeft: (n: number) => string;
  /** No seat left: "full — waitlist", with how many wait. */
  full: (waiting: number) => string;
  noSeatLimit: string;
  standNumber: (number: string) => string;
  offers: string;
  results: string;
  team: string;
  /** After the people listed: "and 3 others". */
  andOthers: (n: number) => string;
  /** Nobody listed: "12 registered people". */
  registeredPeople: (n: number) => string;
  consentNote: string;
  name: string;
  organisation: string;
  function: string;
  noSessions: string;
  noStands: string;
  noParticipants: string;
  calendar: string;
  otherLanguages: string;
  /** After a text that falls back to another language: "(en français)". */
  inLanguage: (languageName: string) => string;
  printed: (date: string, url: string) => string;
  notFound: string;
}

export const EVENT_PAGE_STRINGS: Record<EventPageLanguage, EventPageStrings> = {
  fr: typesetFrench({
    kind: { PLENARY: 'Séance plénière', ROUND_TABLE: 'Table ronde', WORKSHOP: 'Atelier', OTHER: 'Autre' },
    programme: 'Programme',
    stands: 'Stands',
    participants: 'Participant·es',
    venue: 'Lieu',
    organisedBy: (org) => `Organisé par ${org}`,
    registrationOpenUntil: (date) => `Inscriptions ouvertes jusqu’au ${date}`,
    registrationClosed: 'Inscriptions closes',
    room: 'Salle',
    speakers: 'Intervenant·es',
    labelled: (l) => `${l} : `,
    seatsLeft: (n) => (n === 1 ? '1 place restante' : `${n} places restantes`),
    full: (w) => (w > 0 ? `Complet — liste d’attente (${w} en attente)` : 'Complet — liste d’attente'),
    noSeatLimit: 'Places non limitées',
    standNumber: (n) => `Stand ${n}`,
    offers: 'Offres présentées',
    results: 'Ce qui a marché',
    team: 'Équipe',
    andOthers: (n) => (n === 1 ? 'et 1 autre personne' : `et ${n} autres personnes`),
    registeredPeople: (n) => (n === 1 ? '1 personne inscrite' : `${n} personnes inscrites`),
    consentNote: 'Seules les informations que chaque participant·e a accepté de publier sont affichées.',
    name: 'Nom',
    organisation: 'Organisation',
    function: 'Fonction',
    noSessions: 'Le programme sera publié prochainement.',
    noStands: 'Aucun stand pour l’instant.',
    noParticipants: 'Aucune inscription pour l’instant.',
    calendar: 'Programme (iCal)',
    otherLanguages: 'Cette page en',
    inLanguage: (name) => `(en ${name})`,
    printed: (date, url) => `Imprimé le ${date}. Version à jour : ${url}`,
    notFound: 'Aucun événement public à cette adresse.',
  }),
  de: {
    kind: {
      PLENARY: 'Plenarsitzung',
      ROUND_TABLE: 'Podiumsdiskussion',
      WORKSHOP: 'Workshop',
      OTHER: 'Sonstiges',
    },
    programme: 'Programm',
    stands: 'Stände',
    participants: 'Teilnehmende',
    venue: 'Ort',
    organisedBy: (org) => `Veranstaltet von ${org}`,
    registrationOpenUntil: (date) => `Anmeldung offen bis zum ${date}`,
    registrationClosed: 'Anmeldung geschlossen',
    room: 'Raum',
    speakers: 'Referierende',
    labelled: (l) => `${l}: `,
    seatsLeft: (n) => (n === 1 ? '1 Platz frei' : `${n} Plätze frei`),
    full: (w) => (w > 0 ? `Ausgebucht — Warteliste (${w} wartend)` : 'Ausgebucht — Warteliste'),
    noSeatLimit: 'Unbegrenzte Plätze',
    standNumber: (n) => `Stand ${n}`,
    offers: 'Vorgestellte Angebote',
    results: 'Was funktioniert hat',
    team: 'Team',
    andOthers: (n) => (n === 1 ? 'und 1 weitere Person' : `und ${n} weitere Personen`),
    registeredPeople: (n) => (n === 1 ? '1 angemeldete Person' : `${n} angemeldete Personen`),
    consentNote: 'Angezeigt wird nur, was jede teilnehmende Person zur Veröffentlichung freigegeben hat.',
    name: 'Name',
    organisation: 'Organisation',
    function: 'Funktion',
    noSessions: 'Das Programm wird in Kürze veröffentlicht.',
    noStands: 'Noch keine Stände.',
    noParticipants: 'Noch keine Anmeldungen.',
    calendar: 'Programm (iCal)',
    otherLanguages: 'Diese Seite auf',
    inLanguage: (name) => `(auf ${name})`,
    printed: (date, url) => `Gedruckt am ${date}. Aktuelle Fassung: ${url}`,
    notFound: 'Keine öffentliche Veranstaltung unter dieser Adresse.',
  },
  en: {
    kind: { PLENARY: 'Plenary session', ROUND_TABLE: 'Round table', WORKSHOP: 'Workshop', OTHER: 'Other' },
    programme: 'Programme',
    stands: 'Stands',
    participants: 'Participants',
    venue: 'Venue',
    organisedBy: (org) => `Organised by ${org}`,
    registrationOpenUntil: (date) => `Registration open until ${date}`,
    registrationClosed: 'Registration closed',
    room: 'Room',
    speakers: 'Speakers',
    labelled: (l) => `${l}: `,
    seatsLeft: (n) => (n === 1 ? '1 seat left' : `${n} seats left`),
    full: (w) => (w > 0 ? `Full — waitlist (${w} waiting)` : 'Full — waitlist'),
    noSeatLimit: 'No seat limit',
    standNumber: (n) => `Stand ${n}`,
    offers: 'Offers presented',
    results: 'What worked',
    team: 'Team',
    andOthers: (n) => (n === 1 ? 'and 1 other' : `and ${n} others`),
    registeredPeople: (n) => (n === 1 ? '1 registered person' : `${n} registered people`),
    consentNote: 'Only what each participant agreed to publish is shown.',
    name: 'Name',
    organisation: 'Organisation',
    function: 'Role',
    noSessions: 'The programme will be published soon.',
    noStands: 'No stands yet.',
    noParticipants: 'No registrations yet.',
    calendar: 'Programme (iCal)',
    otherLanguages: 'This page in',
    inLanguage: (name) => `(in ${name})`,
    printed: (date, url) => `Printed on ${date}. Current version: ${url}`,
    notFound: 'No public event at this address.',
  },
};
