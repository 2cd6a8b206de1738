import { defineMessages } from '../i18n/i18n.tsx';

export const joinMessages = defineMessages({
  fr: {
    title: 'Rejoindre une organisation sur Maillage',
    intro:
      'Votre organisation vous a invité·e par e-mail. Le code de l’invitation est déjà rempli si vous avez ouvert le lien du message ; sinon, copiez-le ici.',
    code: 'Code d’invitation (inv_…)',
    name: 'Votre nom, tel que vos collègues le verront',
    nameHint: 'Pour un nouveau compte ; laissé vide : le nom donné dans l’invitation.',
    language: 'Votre langue',
    accept: 'Accepter l’invitation',
    acceptAs: (who: string) => `Accepter l’invitation avec votre compte ${who}`,
    withProvider: 'Se connecter avec le compte de votre organisation pour accepter',
    providerHint:
      'Vous vous connectez avec le compte habituel de votre organisation ; Maillage le reliera à cette invitation.',
    accepting: 'Acceptation…',
    accepted: (org: string, roles: string) => `Vous avez rejoint ${org}. Vos rôles : ${roles}.`,
    goHome: 'Ouvrir la console',
    invitedTo: (org: string) => `${org} vous invite à la rejoindre sur Maillage.`,
    invitedAddress: (email: string) => `Adresse invitée : ${email}`,
    invitedRoles: (roles: string) => `Rôles : ${roles}`,
    validUntil: (when: string) => `Valable jusqu’au ${when}`,
    notFound:
      'Ce code d’invitation n’est pas valable. Vérifiez-le, ou demandez à votre organisation de renvoyer l’invitation (un renvoi remplace l’ancien code).',
    expired: 'Cette invitation a expiré : demandez à votre organisation de la renvoyer.',
    alreadyAccepted: 'Cette invitation a déjà été acceptée : un code ne sert qu’une fois. Connectez-vous.',
    revoked: 'Cette invitation a été retirée par l’organisation.',
    otherAccount:
      'Cette invitation a été envoyée à l’adresse d’un autre compte : acceptez-la connecté·e avec ce compte-là.',
    failed: (why: string) => `L’invitation n’a pas pu être acceptée : ${why}`,
    signIn: 'Déjà membre ? Se connecter',
  },
  de: {
    title: 'Einer Organisation auf Maillage beitreten',
    intro:
      'Ihre Organisation hat Sie per E-Mail eingeladen. Der Einladungscode ist bereits ausgefüllt, wenn Sie den Link der Nachricht geöffnet haben; sonst fügen Sie ihn hier ein.',
    code: 'Einladungscode (inv_…)',
    name: 'Ihr Name, wie Ihre Kolleg·innen ihn sehen',
    nameHint: 'Für ein neues Konto; leer gelassen: der Name aus der Einladung.',
    language: 'Ihre Sprache',
    accept: 'Einladung annehmen',
    acceptAs: (who: string) => `Einladung mit Ihrem Konto ${who} annehmen`,
    withProvider: 'Mit dem Konto Ihrer Organisation anmelden, um anzunehmen',
    providerHint:
      'Sie melden sich mit dem gewohnten Konto Ihrer Organisation an; Maillage verknüpft es mit dieser Einladung.',
    accepting: 'Wird angenommen…',
    accepted: (org: string, roles: string) => `Sie sind ${org} beigetreten. Ihre Rollen: ${roles}.`,
    goHome: 'Konsole öffnen',
    invitedTo: (org: string) => `${org} lädt Sie ein, auf Maillage beizutreten.`,
    invitedAddress: (email: string) => `Eingeladene Adresse: ${email}`,
    invitedRoles: (roles: string) => `Rollen: ${roles}`,
    validUntil: (when: string) => `Gültig bis ${when}`,
    notFound:
      'Dieser Einladungscode ist ungültig. Prüfen Sie ihn oder bitten Sie Ihre Organisation, die Einladung erneut zu senden (ein neuer Versand ersetzt den alten Code).',
    expired: 'Diese Einladung ist abgelaufen: Bitten Sie Ihre Organisation, sie erneut zu senden.',
    alreadyAccepted:
      'Diese Einladung wurde bereits angenommen: Ein Code gilt nur einmal. Melden Sie sich an.',
    revoked: 'Diese Einladung wurde von der Organisation zurückgezogen.',
    otherAccount:
      'Diese Einladung ging an die Adresse eines anderen Kontos: Nehmen Sie sie mit jenem Konto angemeldet an.',
    failed: (why: string) => `Die Einladung konnte nicht angenommen werden: ${why}`,
    signIn: 'Schon Mitglied? Anmelden',
  },
  en: {
    title: 'Join an organisation on Maillage',
    intro:
      'Your organisation invited you by e-mail. The invitation code is already filled in if you opened the message’s link; otherwise paste it here.',
    code: 'Invitation code (inv_…)',
    name: 'Your name, as your colleagues will see it',
    nameHint: 'For a new account; left empty: the name given in the invitation.',
    language: 'Your language',
    accept: 'Accept the invitation',
    acceptAs: (who: string) => `Accept the invitation with your account ${who}`,
    withProvider: 'Sign in with your organisation’s account to accept',
    providerHint: 'You sign in with your organisation’s usual account; Maillage links it to this invitation.',
    accepting: 'Accepting…',
    accepted: (org: string, roles: string) => `You joined ${org}. Your roles: ${roles}.`,
    goHome: 'Open the console',
    invitedTo: (org: string) => `${org} invites you to join it on Maillage.`,
    invitedAddress: (email: string) => `Invited address: ${email}`,
    invitedRoles: (roles: string) => `Roles: ${roles}`,
    validUntil: (when: string) => `Valid until ${when}`,
    notFound:
      'This invitation code is not valid. Check it, or ask your organisation to send the invitation again (a new one replaces the old code).',
    expired: 'This invitation has expired: ask your organisation to send it again.',
    alreadyAccepted: 'This invitation was already accepted: a code can be used once. Sign in.',
    revoked: 'This invitation was withdrawn by the organisation.',
    otherAccount:
      'This invitation was sent to another account’s address: accept it signed in as that account.',
    failed: (why: string) => `The invitation could not be accepted: ${why}`,
    signIn: 'Already a member? Sign in',
  },
});
