import { defineMessages } from '../../i18n/i18n.tsx';

/** Words the organisation admins' pages share: access, the organisation chooser, secrets, errors. */
export const adminMessages = defineMessages({
  fr: {
    organisation: 'Organisation',
    refusalTitle: 'Accès réservé',
    refusal:
      'Cette page est réservée aux personnes qui administrent une organisation du réseau. Si vous en avez besoin, demandez-le à l’administration de votre organisation.',
    noOwnOrganisation:
      'Vous n’administrez aucune organisation. Les clés d’API et les webhooks appartiennent à une organisation : seules les personnes qui y ont le rôle « Administration de l’organisation » les gèrent.',
    backHome: 'Retour à l’accueil',
    working: 'En cours…',
    confirm: 'Confirmer',
    refresh: 'Actualiser',
    showMore: 'Afficher plus',
    never: 'Jamais',
    copy: 'Copier',
    copied: 'Copié dans le presse-papiers.',
    copyFailed:
      'La copie automatique n’a pas fonctionné : le texte est sélectionné, copiez-le avec Ctrl+C (ou ⌘+C).',
    secretDone: 'C’est noté, masquer',
    // Errors, by the hub's typed results.
    problemTitle: 'Cela n’a pas fonctionné.',
    notFound: 'Introuvable : cet élément a peut-être été supprimé entre-temps. Actualisez la page.',
    forbidden: 'Votre rôle ne permet pas cette action dans cette organisation.',
    forbiddenHubAdmin: 'Seule l’administration du réseau peut donner ou retirer ce rôle.',
    invalidInput: 'Certains champs sont à corriger :',
    lastAdminOrganisation:
      'Impossible : l’organisation n’aurait plus aucune personne pour l’administrer. Donnez d’abord le rôle « Administration de l’organisation » à quelqu’un d’autre.',
    lastAdminHub:
      'Impossible : le réseau n’aurait plus aucune personne pour l’administrer. Donnez d’abord ce rôle à quelqu’un d’autre.',
    alreadyMember: 'Cette personne est déjà membre de l’organisation : changez plutôt ses rôles.',
    invitationPending:
      'Une invitation est déjà en cours pour cette adresse : renvoyez-la ou retirez-la dans la liste des invitations.',
    membershipDisabled:
      'Ce compte est désactivé : ses rôles ne peuvent plus changer. Invitez de nouveau la personne pour lui rendre l’accès.',
    invitationAccepted: 'Cette invitation a déjà été acceptée.',
    invitationRevoked: 'Cette invitation a été retirée : envoyez-en une nouvelle.',
    notPossibleNow: (status: string) => `Ce n’est plus possible dans l’état actuel (${status}).`,
    requestFailed: 'Le hub ne répond pas. Vérifiez la connexion puis réessayez.',
    fieldProblem: (field: string, problem: string) => `${field} : ${problem}`,
    urlNotAbsolute: 'saisissez une adresse complète, par exemple https://partenaire.lu/webhooks/maillage',
    urlHttps: 'l’adresse doit commencer par https://',
    urlCredentials: 'l’adresse ne doit contenir ni identifiant ni mot de passe (les envois sont signés)',
    urlFragment: 'l’adresse ne doit pas contenir de # (fragment)',
    urlPort: 'ce port est réservé à un autre protocole : laissez https:// choisir le sien (443)',
    urlInternal: 'l’adresse mène à un réseau interne : les webhooks ne partent que vers des serveurs publics',
  },
  de: {
    organisation: 'Organisation',
    refusalTitle: 'Zugang eingeschränkt',
    refusal:
      'Diese Seite ist Personen vorbehalten, die eine Organisation des Netzwerks verwalten. Wenn Sie sie brauchen, wenden Sie sich an die Verwaltung Ihrer Organisation.',
    noOwnOrganisation:
      'Sie verwalten keine Organisation. API-Schlüssel und Webhooks gehören einer Organisation: Nur Personen mit der Rolle „Verwaltung der Organisation“ dort verwalten sie.',
    backHome: 'Zur Startseite',
    working: 'Wird ausgeführt…',
    confirm: 'Bestätigen',
    refresh: 'Aktualisieren',
    showMore: 'Mehr anzeigen',
    never: 'Nie',
    copy: 'Kopieren',
    copied: 'In die Zwischenablage kopiert.',
    copyFailed:
      'Das automatische Kopieren hat nicht funktioniert: Der Text ist markiert, kopieren Sie ihn mit Strg+C (oder ⌘+C).',
    secretDone: 'Erledigt, ausblenden',
    problemTitle: 'Das hat nicht funktioniert.',
    notFound: 'Nicht gefunden: Dies wurde vielleicht inzwischen gelöscht. Aktualisieren Sie die Seite.',
    forbidden: 'Ihre Rolle erlaubt diese Aktion in dieser Organisation nicht.',
    forbiddenHubAdmin: 'Nur die Verwaltung des Netzwerks kann diese Rolle vergeben oder entziehen.',
    invalidInput: 'Einige Felder müssen korrigiert werden:',
    lastAdminOrganisation:
      'Nicht möglich: Die Organisation hätte niemanden mehr, der sie verwaltet. Geben Sie die Rolle „Verwaltung der Organisation“ zuerst einer anderen Person.',
    lastAdminHub:
      'Nicht möglich: Das Netzwerk hätte niemanden mehr, der es verwaltet. Geben Sie diese Rolle zuerst einer anderen Person.',
    alreadyMember: 'Diese Person ist bereits Mitglied der Organisation: Ändern Sie stattdessen ihre Rollen.',
    invitationPending:
      'Für diese Adresse läuft bereits eine Einladung: Senden Sie sie erneut oder ziehen Sie sie in der Liste der Einladungen zurück.',
    membershipDisabled:
      'Dieses Konto ist deaktiviert: Seine Rollen können sich nicht mehr ändern. Laden Sie die Person erneut ein, um ihr wieder Zugang zu geben.',
    invitationAccepted: 'Diese Einladung wurde bereits angenommen.',
    invitationRevoked: 'Diese Einladung wurde zurückgezogen: Senden Sie eine neue.',
    notPossibleNow: (status: string) => `Im aktuellen Zustand nicht mehr möglich (${status}).`,
    requestFailed: 'Der Hub antwortet nicht. Prüfen Sie die Verbindung und versuchen Sie es erneut.',
    fieldProblem: (field: string, problem: string) => `${field}: ${problem}`,
    urlNotAbsolute:
      'geben Sie eine vollständige Adresse ein, zum Beispiel https://partner.lu/webhooks/maillage',
    urlHttps: 'die Adresse muss mit https:// beginnen',
    urlCredentials:
      'die Adresse darf weder Benutzername noch Passwort enthalten (die Sendungen sind signiert)',
    urlFragment: 'die Adresse darf kein # (Fragment) enthalten',
    urlPort: 'dieser Port ist einem anderen Protokoll vorbehalten: https:// wählt seinen eigenen (443)',
    urlInternal: 'die Adresse führt in ein internes Netz: Webhooks gehen nur an öffentliche Server',
  },
  en: {
    organisation: 'Organisation',
    refusalTitle: 'Restricted access',
    refusal:
      'This page is for the people who administer an organisation of the network. If you need it, ask your organisation’s admins.',
    noOwnOrganisation:
      'You administer no organisation. API keys and webhooks belong to an organisation: only people holding its “Organisation admin” role manage them.',
    backHome: 'Back to the start page',
    working: 'Working…',
    confirm: 'Confirm',
    refresh: 'Refresh',
    showMore: 'Show more',
    never: 'Never',
    copy: 'Copy',
    copied: 'Copied to the clipboard.',
    copyFailed: 'Copying did not work: the text is selected, copy it with Ctrl+C (or ⌘+C).',
    secretDone: 'Done, hide it',
    problemTitle: 'That did not work.',
    notFound: 'Not found: it may have been deleted meanwhile. Refresh the page.',
    forbidden: 'Your role does not allow this in this organisation.',
    forbiddenHubAdmin: 'Only the network’s admins can give or take away this role.',
    invalidInput: 'Some fields need correcting:',
    lastAdminOrganisation:
      'Not possible: the organisation would have nobody left to administer it. First give the “Organisation admin” role to someone else.',
    lastAdminHub:
      'Not possible: the network would have nobody left to administer it. First give this role to someone else.',
    alreadyMember: 'This person is already a member of the organisation: change their roles instead.',
    invitationPending:
      'An invitation to this address is still open: send it again or withdraw it in the list of invitations.',
    membershipDisabled:
      'This account is disabled: its roles can no longer change. Invite the person again to give them access.',
    invitationAccepted: 'This invitation was already accepted.',
    invitationRevoked: 'This invitation was withdrawn: send a new one.',
    notPossibleNow: (status: string) => `Not possible any more in the current state (${status}).`,
    requestFailed: 'The hub does not answer. Check the connection and try again.',
    fieldProblem: (field: string, problem: string) => `${field}: ${problem}`,
    urlNotAbsolute: 'enter a full address, for example https://partner.lu/webhooks/maillage',
    urlHttps: 'the address must start with https://',
    urlCredentials: 'the address must not contain a user name or password (deliveries are signed)',
    urlFragment: 'the address must not contain a # (fragment)',
    urlPort: 'this port is reserved for another protocol: let https:// use its own (443)',
    urlInternal: 'the address leads into an internal network: webhooks only go to public servers',
  },
});
