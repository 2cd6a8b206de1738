import { defineMessages } from '../i18n/i18n.tsx';

export const signInMessages = defineMessages({
  fr: {
    title: 'Se connecter à Maillage',
    intro:
      'Maillage relie les associations du réseau social luxembourgeois : catalogue des offres, orientations, guides Welcome et événements.',
    withProvider: 'Se connecter avec le compte de votre organisation',
    demoTitle: 'Utilisateurs de démonstration',
    demoIntro:
      'Les données de démonstration sont chargées : choisissez une personne pour essayer son travail.',
    demoAs: (name: string) => `Se connecter comme ${name}`,
    codeTitle: 'Recevoir un code par e-mail',
    email: 'Adresse e-mail',
    sendCode: 'Envoyer le code',
    codeSent: 'Si cette adresse appartient à un compte actif, un code valable 15 minutes vient de partir.',
    code: 'Code reçu par e-mail',
    signIn: 'Se connecter',
    developers: 'Pour les développeurs',
    failed: (why: string) => `La connexion a échoué : ${why}`,
    signingIn: 'Connexion…',
  },
  de: {
    title: 'Bei Maillage anmelden',
    intro:
      'Maillage verbindet die Organisationen des luxemburgischen Sozialnetzes: Angebotskatalog, Vermittlungen, Welcome-Leitfäden und Veranstaltungen.',
    withProvider: 'Mit dem Konto Ihrer Organisation anmelden',
    demoTitle: 'Demo-Benutzer',
    demoIntro: 'Die Demo-Daten sind geladen: Wählen Sie eine Person, um ihre Arbeit auszuprobieren.',
    demoAs: (name: string) => `Als ${name} anmelden`,
    codeTitle: 'Einen Code per E-Mail erhalten',
    email: 'E-Mail-Adresse',
    sendCode: 'Code senden',
    codeSent: 'Wenn diese Adresse zu einem aktiven Konto gehört, ist ein 15 Minuten gültiger Code unterwegs.',
    code: 'Code aus der E-Mail',
    signIn: 'Anmelden',
    developers: 'Für Entwickler·innen',
    failed: (why: string) => `Die Anmeldung ist fehlgeschlagen: ${why}`,
    signingIn: 'Anmeldung…',
  },
  en: {
    title: 'Sign in to Maillage',
    intro:
      "Maillage links the associations of Luxembourg's social network: the catalogue of offers, referrals, Welcome guides and events.",
    withProvider: "Sign in with your organisation's account",
    demoTitle: 'Demo users',
    demoIntro: 'The demo data is loaded: pick a person to try their work.',
    demoAs: (name: string) => `Sign in as ${name}`,
    codeTitle: 'Get a code by e-mail',
    email: 'E-mail address',
    sendCode: 'Send the code',
    codeSent: 'If this address belongs to an active account, a code valid for 15 minutes is on its way.',
    code: 'Code from the e-mail',
    signIn: 'Sign in',
    developers: 'For developers',
    failed: (why: string) => `Signing in failed: ${why}`,
    signingIn: 'Signing in…',
  },
});
