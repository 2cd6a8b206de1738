/**
 * The invitation e-mail: French first, then German or English when the invitee's language is
 * known to be one of them (Luxembourgish readers get German).
 */
import type { Role } from '../../generated/prisma/enums.ts';
import type { MailInput } from '../mail/mailer.ts';
import { typesetFrench } from '../../../clients/typography.ts';

export type Lang = 'fr' | 'de' | 'en';

export interface InvitationMailInput {
  invitationId: string;
  organisationId: string;
  to: string;
  inviteeName: string | null;
  inviterName: string | null;
  organisationName: string;
  roles: readonly Role[];
  code: string;
  /** The console's page that accepts it, the code in the fragment (`…/join#code=inv_…`). */
  joinUrl: string;
  expiresAt: Date;
  locale: string | null;
  /** A partner identity provider signs people in (AUTH_JWKS_URL): they accept signed in with it. */
  identityProvider: boolean;
}

const ROLE_NAMES: Record<Lang, Record<Role, string>> = {
  fr: {
    HUB_ADMIN: 'administration du réseau',
    ORG_ADMIN: "administration de l'organisation",
    CATALOGUE_EDITOR: 'rédaction du catalogue',
    CASE_WORKER: 'travail social (orientations)',
    WELCOME_COORDINATOR: 'coordination Welcome',
    EVENT_ORGANISER: "organisation d'événements",
    NETWORK_COORDINATOR: 'coordination du réseau (statistiques)',
  },
  de: {
    HUB_ADMIN: 'Netzwerkverwaltung',
    ORG_ADMIN: 'Verwaltung der Organisation',
    CATALOGUE_EDITOR: 'Katalogredaktion',
    CASE_WORKER: 'Sozialarbeit (Vermittlungen)',
    WELCOME_COORDINATOR: 'Welcome-Koordination',
    EVENT_ORGANISER: 'Veranstaltungsorganisation',
    NETWORK_COORDINATOR: 'Netzwerkkoordination (Statistiken)',
  },
  en: {
    HUB_ADMIN: 'network administration',
    ORG_ADMIN: 'organisation administration',
    CATALOGUE_EDITOR: 'catalogue editing',
    CASE_WORKER: 'case work (referrals)',
    WELCOME_COORDINATOR: 'Welcome coordination',
    EVENT_ORGANISER: 'event organising',
    NETWORK_COORDINATOR: 'network coordination (statistics)',
  },
};

const TEXTS: Record<
  Lang,
  {
    subject: (org: string) => string;
    hello: (name: string | null) => string;
    invited: (inviter: string | null, org: string) => string;
    roles: string;
    open: (until: string) => string;
    code: string;
    how: (idp: boolean) => string;
    ignore: string;
  }
> = {
  fr: typesetFrench({
    subject: (org) => `Invitation à rejoindre ${org} sur Maillage`,
    hello: (name) => (name ? `Bonjour ${name},` : 'Bonjour,'),
    invited: (inviter, org) =>
      `${inviter ?? 'Un·e administrateur·rice'} vous invite à rejoindre ${org} sur Maillage, le réseau des partenaires sociaux.`,
    roles: 'Vos rôles :',
    open: (until) => `Pour accepter l'invitation, valable jusqu'au ${until}, ouvrez ce lien :`,
    code: 'Ou saisissez ce code, à usage unique, sur la page « Rejoindre » de Maillage :',
    how: (idp) =>
      idp
        ? 'Vous vous connecterez avec le compte habituel de votre organisation. (Pour les développeurs : mutation acceptInvitation, avec le jeton de ce compte.)'
        : "Vous serez connecté·e à Maillage aussitôt. (Pour les développeurs : mutation acceptInvitation, qui remet votre jeton d'accès.)",
    ignore: "Si vous n'attendiez pas cette invitation, ignorez ce message.",
  }),
  de: {
    subject: (org) => `Einladung zu ${org} auf Maillage`,
    hello: (name) => (name ? `Guten Tag ${name},` : 'Guten Tag,'),
    invited: (inviter, org) =>
      `${inviter ?? 'Eine Administratorin oder ein Administrator'} lädt Sie ein, ${org} auf Maillage, dem Netzwerk der sozialen Partner, beizutreten.`,
    roles: 'Ihre Rollen:',
    open: (until) => `Um die Einladung anzunehmen (gültig bis ${until}), öffnen Sie diesen Link:`,
    code: 'Oder geben Sie diesen einmal verwendbaren Code auf der Seite „Beitreten“ von Maillage ein:',
    how: (idp) =>
      idp
        ? 'Sie melden sich mit dem gewohnten Konto Ihrer Organisation an. (Für Entwickler·innen: Mutation acceptInvitation, mit dem Token dieses Kontos.)'
        : 'Sie sind danach sofort bei Maillage angemeldet. (Für Entwickler·innen: Mutation acceptInvitation, die Ihr Zugangstoken liefert.)',
    ignore: 'Falls Sie diese Einladung nicht erwartet haben, ignorieren Sie diese Nachricht.',
  },
  en: {
    subject: (org) => `Invitation to join ${org} on Maillage`,
    hello: (name) => (name ? `Hello ${name},` : 'Hello,'),
    invited: (inviter, org) =>
      `${inviter ?? 'An administrator'} invites you to join ${org} on Maillage, the social partners' network.`,
    roles: 'Your roles:',
    open: (until) => `To accept the invitation, valid until ${until}, open this link:`,
    code: 'Or enter this single-use code on Maillage’s “Join” page:',
    how: (idp) =>
      idp
        ? 'You will sign in with your organisation’s usual account. (For developers: the acceptInvitation mutation, with that account’s token.)'
        : 'You will be signed in to Maillage at once. (For developers: the acceptInvitation mutation, which returns your access token.)',
    ignore: 'If you did not expect this invitation, ignore this message.',
  },
};

/** The second language of the mail, from the invitee's locale (null: French only). */
export function secondLanguage(locale: string | null | undefined): Lang | null {
  const lang = locale?.toLowerCase().split(/[-_]/)[0];
  if (lang === 'de' || lang === 'lb') return 'de';
  if (lang === 'en') return 'en';
  return null;
}

function section(lang: Lang, m: InvitationMailInput): string {
  const t = TEXTS[lang];
  const until = new Intl.DateTimeFormat(`${lang}-LU`, {
    dateStyle: 'long',
    timeStyle: 'short',
    timeZone: 'Europe/Luxembourg',
  }).format(m.expiresAt);
  return [
    t.hello(m.inviteeName),
    '',
    t.invited(m.inviterName, m.organisationName),
    `${t.roles} ${m.roles.map((r) => ROLE_NAMES[lang][r]).join(', ')}.`,
    '',
    t.open(until),
    '',
    `    ${m.joinUrl}`,
    '',
    t.code,
    '',
    `    ${m.code}`,
    '',
    t.how(m.identityProvider),
    '',
    t.ignore,
  ].join('\n');
}

/** The console's page that accepts an invitation; the code in the fragment, which no server sees. */
export function joinLink(publicUrl: string, code: string): string {
  return `${publicUrl}/join#code=${encodeURIComponent(code)}`;
}

/** The mail for one invitation (the code appears in it and nowhere else). */
export function invitationMail(m: InvitationMailInput): MailInput {
  const second = secondLanguage(m.locale);
  const langs: Lang[] = second ? ['fr', second] : ['fr'];
  return {
    to: m.to,
    subject: langs.map((l) => TEXTS[l].subject(m.organisationName)).join(' / '),
    text: `${langs.map((l) => section(l, m)).join('\n\n---\n\n')}\n\n-- \nMaillage\n`,
    kind: 'invitation',
    related: { invitationId: m.invitationId, organisationId: m.organisationId },
    locale: second ?? 'fr',
  };
}
