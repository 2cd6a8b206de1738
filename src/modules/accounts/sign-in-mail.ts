/**
 * The sign-in e-mail (no partner identity provider): a one-time code, French first, then the
 * person's language when it is German or English (Luxembourgish readers get German), as
 * invitations are written.
 */
import type { MailInput } from '../mail/mailer.ts';
import { secondLanguage, type Lang } from './invitation-mail.ts';
import { typesetFrench } from '../../../clients/typography.ts';

export interface SignInMailInput {
  signInCodeId: string;
  to: string;
  name: string;
  code: string;
  expiresAt: Date;
  locale: string | null;
}

const TEXTS: Record<
  Lang,
  { subject: string; hello: (name: string) => string; code: (until: string) => string; ignore: string }
> = {
  fr: typesetFrench({
    subject: 'Votre code de connexion à Maillage',
    hello: (name) => `Bonjour ${name},`,
    code: (until) =>
      `Voici votre code de connexion, à usage unique, valable jusqu'à ${until} (mutation signIn) :`,
    ignore:
      "Si vous n'avez pas demandé à vous connecter, ignorez ce message : sans ce code, personne ne peut se connecter à votre place.",
  }),
  de: {
    subject: 'Ihr Anmeldecode für Maillage',
    hello: (name) => `Guten Tag ${name},`,
    code: (until) => `Hier ist Ihr Anmeldecode, einmal verwendbar, gültig bis ${until} (Mutation signIn):`,
    ignore:
      'Falls Sie keine Anmeldung angefordert haben, ignorieren Sie diese Nachricht: Ohne diesen Code kann sich niemand an Ihrer Stelle anmelden.',
  },
  en: {
    subject: 'Your Maillage sign-in code',
    hello: (name) => `Hello ${name},`,
    code: (until) => `Here is your sign-in code, single-use, valid until ${until} (signIn mutation):`,
    ignore:
      'If you did not ask to sign in, ignore this message: without this code nobody can sign in in your place.',
  },
};

function section(lang: Lang, m: SignInMailInput): string {
  const t = TEXTS[lang];
  const until = new Intl.DateTimeFormat(`${lang}-LU`, {
    timeStyle: 'short',
    timeZone: 'Europe/Luxembourg',
  }).format(m.expiresAt);
  return [t.hello(m.name), '', t.code(until), '', `    ${m.code}`, '', t.ignore].join('\n');
}

/** The mail for one sign-in code (the code appears in it and nowhere else). */
export function signInMail(m: SignInMailInput): MailInput {
  const second = secondLanguage(m.locale);
  const langs: Lang[] = second ? ['fr', second] : ['fr'];
  return {
    to: m.to,
    subject: langs.map((l) => TEXTS[l].subject).join(' / '),
    text: `${langs.map((l) => section(l, m)).join('\n\n---\n\n')}\n\n-- \nMaillage\n`,
    kind: 'sign-in',
    related: { signInCodeId: m.signInCodeId },
    locale: second ?? 'fr',
  };
}
