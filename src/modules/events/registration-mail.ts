/**
 * Mail to a registered participant, in their language (fr, de or en): the confirmation (with the
 * private manage link, the only time it is sent), a change, a cancellation, and a seat that came
 * free from the waitlist. Plain text; the manage link carries the token in its query, which the
 * hub's request log never writes (it logs paths only).
 */
import type {
  EventEdition,
  EventSession,
  Registration,
  RegistrationSeat,
} from '../../generated/prisma/client.ts';
import { localize } from '../catalogue/translations.ts';
import type { MailInput } from '../mail/mailer.ts';
import { typesetFrench } from '../../../clients/typography.ts';

export type RegistrationMailKind =
  'CONFIRMED' | 'CHANGED' | 'CANCELLED' | 'PROMOTED' | 'MOVED' | 'SESSION_CANCELLED' | 'EDITION_MOVED';
type Lang = 'fr' | 'de' | 'en';

interface Words {
  subject: Record<RegistrationMailKind, (event: string) => string>;
  hello: (name: string) => string;
  /** `session`: the session a MOVED or SESSION_CANCELLED mail is about. */
  lead: Record<RegistrationMailKind, (event: string, session: string) => string>;
  when: (dates: string) => string;
  sessions: string;
  seat: string;
  waiting: string;
  manage: string;
  keep: string;
  noLink: string;
}

const WORDS: Record<Lang, Words> = {
  fr: typesetFrench({
    subject: {
      CONFIRMED: (e) => `Inscription confirmée : ${e}`,
      CHANGED: (e) => `Inscription modifiée : ${e}`,
      CANCELLED: (e) => `Inscription annulée : ${e}`,
      PROMOTED: (e) => `Une place s’est libérée pour vous : ${e}`,
      MOVED: (e) => `Programme modifié : ${e}`,
      SESSION_CANCELLED: (e) => `Session annulée : ${e}`,
      EDITION_MOVED: (e) => `Nouvelle date : ${e}`,
    },
    hello: (n) => `Bonjour ${n},`,
    lead: {
      CONFIRMED: (e) => `votre inscription à « ${e} » est enregistrée.`,
      CHANGED: (e) => `votre inscription à « ${e} » a été modifiée.`,
      CANCELLED: (e) => `votre inscription à « ${e} » est annulée.`,
      PROMOTED: (e) => `une place s’est libérée pour vous à « ${e} » : elle vous est réservée.`,
      MOVED: (e, s) =>
        `la session « ${s} » de « ${e} », à laquelle vous êtes inscrit·e, change d’horaire ou de salle. Voici votre programme à jour.`,
      SESSION_CANCELLED: (e, s) =>
        `la session « ${s} » de « ${e} », à laquelle vous étiez inscrit·e, est annulée. Votre inscription à « ${e} » reste valable.`,
      EDITION_MOVED: (e) =>
        `« ${e} » change de date ou d’horaire. Votre inscription reste valable ; voici les nouvelles dates.`,
    },
    when: (d) => `Date : ${d}`,
    sessions: 'Vos sessions :',
    seat: 'place confirmée',
    waiting: 'liste d’attente',
    manage: 'Pour consulter, modifier, exporter ou annuler votre inscription, sans compte :',
    keep: 'Gardez ce lien pour vous : il donne accès à votre inscription.',
    noLink: 'Votre lien personnel reste celui du premier message.',
  }),
  de: {
    subject: {
      CONFIRMED: (e) => `Anmeldung bestätigt: ${e}`,
      CHANGED: (e) => `Anmeldung geändert: ${e}`,
      CANCELLED: (e) => `Anmeldung storniert: ${e}`,
      PROMOTED: (e) => `Ein Platz ist für Sie frei geworden: ${e}`,
      MOVED: (e) => `Programm geändert: ${e}`,
      SESSION_CANCELLED: (e) => `Sitzung abgesagt: ${e}`,
      EDITION_MOVED: (e) => `Neuer Termin: ${e}`,
    },
    hello: (n) => `Guten Tag ${n},`,
    lead: {
      CONFIRMED: (e) => `Ihre Anmeldung zu „${e}“ ist eingegangen.`,
      CHANGED: (e) => `Ihre Anmeldung zu „${e}“ wurde geändert.`,
      CANCELLED: (e) => `Ihre Anmeldung zu „${e}“ ist storniert.`,
      PROMOTED: (e) => `für Sie ist bei „${e}“ ein Platz frei geworden: er ist für Sie reserviert.`,
      MOVED: (e, s) =>
        `die Sitzung „${s}“ von „${e}“, zu der Sie angemeldet sind, hat eine neue Uhrzeit oder einen neuen Raum. Hier Ihr aktuelles Programm.`,
      SESSION_CANCELLED: (e, s) =>
        `die Sitzung „${s}“ von „${e}“, zu der Sie angemeldet waren, ist abgesagt. Ihre Anmeldung zu „${e}“ bleibt bestehen.`,
      EDITION_MOVED: (e) =>
        `„${e}“ hat einen neuen Termin oder neue Uhrzeiten. Ihre Anmeldung bleibt bestehen; hier der neue Termin.`,
    },
    when: (d) => `Datum: ${d}`,
    sessions: 'Ihre Sitzungen:',
    seat: 'Platz bestätigt',
    waiting: 'Warteliste',
    manage: 'Anmeldung ansehen, ändern, exportieren oder stornieren, ohne Konto:',
    keep: 'Behalten Sie diesen Link für sich: er öffnet Ihre Anmeldung.',
    noLink: 'Ihr persönlicher Link ist der aus der ersten Nachricht.',
  },
  en: {
    subject: {
      CONFIRMED: (e) => `Registration confirmed: ${e}`,
      CHANGED: (e) => `Registration changed: ${e}`,
      CANCELLED: (e) => `Registration cancelled: ${e}`,
      PROMOTED: (e) => `A seat came free for you: ${e}`,
      MOVED: (e) => `Programme changed: ${e}`,
      SESSION_CANCELLED: (e) => `Session cancelled: ${e}`,
      EDITION_MOVED: (e) => `New date: ${e}`,
    },
    hello: (n) => `Hello ${n},`,
    lead: {
      CONFIRMED: (e) => `your registration for “${e}” is recorded.`,
      CHANGED: (e) => `your registration for “${e}” was changed.`,
      CANCELLED: (e) => `your registration for “${e}” is cancelled.`,
      PROMOTED: (e) => `a seat came free for you at “${e}”: it is yours.`,
      MOVED: (e, s) =>
        `the session “${s}” of “${e}”, which you registered for, has a new time or room. Here is your programme as it now stands.`,
      SESSION_CANCELLED: (e, s) =>
        `the session “${s}” of “${e}”, which you had registered for, is cancelled. Your registration for “${e}” still stands.`,
      EDITION_MOVED: (e) =>
        `“${e}” has a new date or new hours. Your registration still stands; here are the new dates.`,
    },
    when: (d) => `Date: ${d}`,
    sessions: 'Your sessions:',
    seat: 'seat confirmed',
    waiting: 'waitlist',
    manage: 'To read, change, export or cancel your registration, without an account:',
    keep: 'Keep this link to yourself: it opens your registration.',
    noLink: 'Your personal link is the one in the first message.',
  },
};

const lang = (locale: string): Lang => (locale === 'de' || locale === 'en' ? locale : 'fr');
/** Luxembourg's ways of writing dates (English: day first, 24-hour clock). */
const TAG: Record<Lang, string> = { fr: 'fr-LU', de: 'de-LU', en: 'en-GB' };

function dateText(l: Lang, from: Date, to: Date): string {
  const f = new Intl.DateTimeFormat(TAG[l], {
    dateStyle: 'full',
    timeStyle: 'short',
    timeZone: 'Europe/Luxembourg',
  });
  return f.formatRange(from, to);
}

/** The manage link of a token (the public page that reads it: src/http, `/events/manage`). */
export function manageLink(publicUrl: string, token: string): string {
  return `${publicUrl}/events/manage?token=${encodeURIComponent(token)}`;
}

export function registrationMail(
  kind: RegistrationMailKind,
  r: Registration & { edition: EventEdition; seats: (RegistrationSeat & { session: EventSession })[] },
  manageToken: string | null,
  publicUrl: string,
  /** The session a MOVED or SESSION_CANCELLED mail is about. */
  about?: Pick<EventSession, 'title'>,
): MailInput {
  const l = lang(r.locale);
  const w = WORDS[l];
  const event = localize(r.edition.title, [l])?.text ?? r.edition.slug;
  const lines = [
    w.hello(r.name),
    '',
    w.lead[kind](event, about ? (localize(about.title, [l])?.text ?? '') : ''),
    w.when(dateText(l, r.edition.startsAt, r.edition.endsAt)),
  ];
  if (kind !== 'CANCELLED' && r.seats.length > 0) {
    lines.push('', w.sessions);
    for (const s of r.seats) {
      const title = localize(s.session.title, [l])?.text ?? '';
      // The day too: a session moved to another day of the edition, or past midnight, says so.
      const time = new Intl.DateTimeFormat(TAG[l], {
        weekday: 'short',
        day: 'numeric',
        month: 'short',
        hour: '2-digit',
        minute: '2-digit',
        timeZone: 'Europe/Luxembourg',
      }).formatRange(s.session.startsAt, s.session.endsAt);
      const room = s.session.room ? `, ${s.session.room}` : '';
      lines.push(`- ${time} ${title}${room} (${s.status === 'CONFIRMED' ? w.seat : w.waiting})`);
    }
  }
  if (manageToken) lines.push('', w.manage, manageLink(publicUrl, manageToken), w.keep);
  else if (kind !== 'CANCELLED') lines.push('', w.noLink);
  return {
    to: r.email,
    subject: w.subject[kind](event),
    text: lines.join('\n'),
    kind: `event-registration-${kind.toLowerCase().replaceAll('_', '-')}`,
    related: { registrationId: r.id, editionId: r.editionId },
    locale: l,
  };
}
