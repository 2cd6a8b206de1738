import { defineMessages } from '../../i18n/i18n.tsx';

/** The edition's own form: its title and description in every language, its dates. */
export const editEditionMessages = defineMessages({
  fr: {
    openEdit: 'Modifier l’édition',
    title: (edition: string) => `Modifier – ${edition}`,
    intro:
      'Le titre et la présentation s’affichent sur la page publique de l’édition, dans la langue de chaque visiteur : remplissez les langues que vous pouvez.',
    editionTitle: 'Titre',
    description: 'Présentation',
    addLanguage: 'Ajouter une langue',
    titleRequired: 'Donnez un titre dans au moins une langue.',
    datesHeading: 'Dates',
    startDay: 'Premier jour',
    startTime: 'Début',
    endDay: 'Dernier jour',
    endTime: 'Fin',
    movesProgramme: (n: string) =>
      `Décaler l’édition de quelques jours (le premier et le dernier jour d’autant) déplace aussi les ${n} sessions du programme et la clôture des inscriptions, chacune à la même heure.`,
    movesProgrammeOne:
      'Décaler l’édition de quelques jours (le premier et le dernier jour d’autant) déplace aussi la session du programme et la clôture des inscriptions, à la même heure.',
    tellsPeople: (n: string) => `Les ${n} personnes inscrites reçoivent un message avec les nouvelles dates.`,
    tellsPeopleOne: 'La personne inscrite reçoit un message avec les nouvelles dates.',
    sessionsBefore: (n: string) =>
      `${n} sessions du programme commenceraient avant l’édition : déplacez-les ou retirez-les d’abord.`,
    sessionsBeforeOne:
      'Une session du programme commencerait avant l’édition : déplacez-la ou retirez-la d’abord.',
    sessionsAfter: (n: string) =>
      `${n} sessions du programme finiraient après l’édition : déplacez-les ou retirez-les d’abord.`,
    sessionsAfterOne:
      'Une session du programme finirait après l’édition : déplacez-la ou retirez-la d’abord.',
    closesAfterEnd: (date: string) =>
      `Les inscriptions ferment le ${date}, après cette fin : avancez d’abord leur clôture sur la page de l’édition.`,
    closesPast:
      'Ainsi décalée, la clôture des inscriptions serait déjà passée : changez-la d’abord sur la page de l’édition.',
    save: 'Enregistrer',
    saving: 'Enregistrement…',
    nothingChanged: 'Rien n’a changé.',
    saved: 'Modifications enregistrées.',
    savedTold: (n: string) => `Modifications enregistrées ; ${n} personnes inscrites ont reçu un message.`,
    savedToldOne: 'Modifications enregistrées ; la personne inscrite a reçu un message.',
    stale:
      'L’édition a été modifiée entre-temps : le formulaire montre maintenant la version actuelle. Refaites vos changements si besoin.',
    back: 'Retour à l’édition',
  },
  de: {
    openEdit: 'Ausgabe bearbeiten',
    title: (edition: string) => `Bearbeiten – ${edition}`,
    intro:
      'Titel und Beschreibung erscheinen auf der öffentlichen Seite der Ausgabe, in der Sprache jedes Besuchers: Füllen Sie die Sprachen aus, die Sie können.',
    editionTitle: 'Titel',
    description: 'Beschreibung',
    addLanguage: 'Sprache hinzufügen',
    titleRequired: 'Geben Sie einen Titel in mindestens einer Sprache an.',
    datesHeading: 'Termin',
    startDay: 'Erster Tag',
    startTime: 'Beginn',
    endDay: 'Letzter Tag',
    endTime: 'Ende',
    movesProgramme: (n: string) =>
      `Wird die Ausgabe um einige Tage verschoben (erster und letzter Tag gleich weit), wandern die ${n} Sitzungen des Programms und der Anmeldeschluss mit, jeweils zur selben Uhrzeit.`,
    movesProgrammeOne:
      'Wird die Ausgabe um einige Tage verschoben (erster und letzter Tag gleich weit), wandern die Sitzung des Programms und der Anmeldeschluss mit, zur selben Uhrzeit.',
    tellsPeople: (n: string) => `Die ${n} Angemeldeten erhalten eine Nachricht mit dem neuen Termin.`,
    tellsPeopleOne: 'Die angemeldete Person erhält eine Nachricht mit dem neuen Termin.',
    sessionsBefore: (n: string) =>
      `${n} Sitzungen des Programms würden vor der Ausgabe beginnen: Verschieben oder streichen Sie sie zuerst.`,
    sessionsBeforeOne:
      'Eine Sitzung des Programms würde vor der Ausgabe beginnen: Verschieben oder streichen Sie sie zuerst.',
    sessionsAfter: (n: string) =>
      `${n} Sitzungen des Programms würden nach der Ausgabe enden: Verschieben oder streichen Sie sie zuerst.`,
    sessionsAfterOne:
      'Eine Sitzung des Programms würde nach der Ausgabe enden: Verschieben oder streichen Sie sie zuerst.',
    closesAfterEnd: (date: string) =>
      `Die Anmeldung schließt am ${date}, nach diesem Ende: Verlegen Sie zuerst den Anmeldeschluss auf der Seite der Ausgabe.`,
    closesPast:
      'So verschoben läge der Anmeldeschluss in der Vergangenheit: Ändern Sie ihn zuerst auf der Seite der Ausgabe.',
    save: 'Speichern',
    saving: 'Wird gespeichert…',
    nothingChanged: 'Nichts wurde geändert.',
    saved: 'Änderungen gespeichert.',
    savedTold: (n: string) => `Änderungen gespeichert; ${n} Angemeldete haben eine Nachricht erhalten.`,
    savedToldOne: 'Änderungen gespeichert; die angemeldete Person hat eine Nachricht erhalten.',
    stale:
      'Die Ausgabe wurde inzwischen geändert: Das Formular zeigt jetzt den aktuellen Stand. Wiederholen Sie Ihre Änderungen bei Bedarf.',
    back: 'Zurück zur Ausgabe',
  },
  en: {
    openEdit: 'Edit the edition',
    title: (edition: string) => `Edit – ${edition}`,
    intro:
      'The title and description show on the edition’s public page, in each visitor’s language: fill in the languages you can.',
    editionTitle: 'Title',
    description: 'Description',
    addLanguage: 'Add a language',
    titleRequired: 'Give a title in at least one language.',
    datesHeading: 'Dates',
    startDay: 'First day',
    startTime: 'Starts',
    endDay: 'Last day',
    endTime: 'Ends',
    movesProgramme: (n: string) =>
      `Moving the edition by a few days (its first and last day alike) moves the programme’s ${n} sessions and the registration deadline too, each at the same time of day.`,
    movesProgrammeOne:
      'Moving the edition by a few days (its first and last day alike) moves the programme’s session and the registration deadline too, at the same time of day.',
    tellsPeople: (n: string) => `The ${n} people registered are sent a message with the new dates.`,
    tellsPeopleOne: 'The person registered is sent a message with the new dates.',
    sessionsBefore: (n: string) =>
      `${n} sessions of the programme would start before the edition: move or take them off first.`,
    sessionsBeforeOne:
      'A session of the programme would start before the edition: move or take it off first.',
    sessionsAfter: (n: string) =>
      `${n} sessions of the programme would end after the edition: move or take them off first.`,
    sessionsAfterOne: 'A session of the programme would end after the edition: move or take it off first.',
    closesAfterEnd: (date: string) =>
      `Registration closes on ${date}, after this end: bring its closing time forward first on the edition’s page.`,
    closesPast:
      'Moved this way, the registration deadline would have passed: change it first on the edition’s page.',
    save: 'Save',
    saving: 'Saving…',
    nothingChanged: 'Nothing changed.',
    saved: 'Changes saved.',
    savedTold: (n: string) => `Changes saved; ${n} people registered were sent a message.`,
    savedToldOne: 'Changes saved; the person registered was sent a message.',
    stale:
      'The edition was changed meanwhile: the form now shows it as it stands. Make your changes again if needed.',
    back: 'Back to the edition',
  },
});
