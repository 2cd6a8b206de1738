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
      `Changer le premier jour déplace aussi les ${n} sessions du programme, chacune à la même heure.`,
    movesProgrammeOne: 'Changer le premier jour déplace aussi la session du programme, à la même heure.',
    tellsPeople: (n: string) => `Les ${n} personnes inscrites reçoivent un message avec les nouvelles dates.`,
    tellsPeopleOne: 'La personne inscrite reçoit un message avec les nouvelles dates.',
    sessionsBefore: (n: string) =>
      `${n} session(s) du programme commenceraient avant l’édition : déplacez-les ou retirez-les d’abord.`,
    sessionsAfter: (n: string) =>
      `${n} session(s) du programme finiraient après l’édition : déplacez-les ou retirez-les d’abord.`,
    closesAfterEnd: (date: string) =>
      `Les inscriptions ferment le ${date}, après cette fin : avancez d’abord leur clôture sur la page de l’édition.`,
    save: 'Enregistrer',
    saving: 'Enregistrement…',
    nothingChanged: 'Rien n’a changé.',
    saved: 'Modifications enregistrées.',
    savedTold: (n: string) => `Modifications enregistrées ; ${n} personnes inscrites ont reçu un message.`,
    savedToldOne: 'Modifications enregistrées ; la personne inscrite a reçu un message.',
    stale: 'L’édition a été modifiée entre-temps : le formulaire montre maintenant la version actuelle.',
    back: 'Retour à l’édition',
  },
  de: {
    openEdit: 'Ausgabe bearbeiten',
    title: (edition: string) => `Bearbeiten – ${edition}`,
    intro:
      'Titel und Beschreibung erscheinen auf der öffentlichen Seite der Ausgabe, in der Sprache jedes Besuchers: füllen Sie die Sprachen aus, die Sie können.',
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
      `Ein anderer erster Tag verschiebt auch die ${n} Sitzungen des Programms, jede zur selben Uhrzeit.`,
    movesProgrammeOne:
      'Ein anderer erster Tag verschiebt auch die Sitzung des Programms, zur selben Uhrzeit.',
    tellsPeople: (n: string) => `Die ${n} Angemeldeten erhalten eine Nachricht mit dem neuen Termin.`,
    tellsPeopleOne: 'Die angemeldete Person erhält eine Nachricht mit dem neuen Termin.',
    sessionsBefore: (n: string) =>
      `${n} Sitzung(en) des Programms würden vor der Ausgabe beginnen: verschieben oder streichen Sie sie zuerst.`,
    sessionsAfter: (n: string) =>
      `${n} Sitzung(en) des Programms würden nach der Ausgabe enden: verschieben oder streichen Sie sie zuerst.`,
    closesAfterEnd: (date: string) =>
      `Die Anmeldung schließt am ${date}, nach diesem Ende: verlegen Sie zuerst den Anmeldeschluss auf der Seite der Ausgabe.`,
    save: 'Speichern',
    saving: 'Wird gespeichert…',
    nothingChanged: 'Nichts wurde geändert.',
    saved: 'Änderungen gespeichert.',
    savedTold: (n: string) => `Änderungen gespeichert; ${n} Angemeldete haben eine Nachricht erhalten.`,
    savedToldOne: 'Änderungen gespeichert; die angemeldete Person hat eine Nachricht erhalten.',
    stale: 'Die Ausgabe wurde inzwischen geändert: das Formular zeigt jetzt den aktuellen Stand.',
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
      `Changing the first day moves the programme’s ${n} sessions too, each at the same time of day.`,
    movesProgrammeOne: 'Changing the first day moves the programme’s session too, at the same time of day.',
    tellsPeople: (n: string) => `The ${n} people registered are sent a message with the new dates.`,
    tellsPeopleOne: 'The person registered is sent a message with the new dates.',
    sessionsBefore: (n: string) =>
      `${n} session(s) of the programme would start before the edition: move or take them off first.`,
    sessionsAfter: (n: string) =>
      `${n} session(s) of the programme would end after the edition: move or take them off first.`,
    closesAfterEnd: (date: string) =>
      `Registration closes on ${date}, after this end: bring its closing time forward first on the edition’s page.`,
    save: 'Save',
    saving: 'Saving…',
    nothingChanged: 'Nothing changed.',
    saved: 'Changes saved.',
    savedTold: (n: string) => `Changes saved; ${n} people registered were sent a message.`,
    savedToldOne: 'Changes saved; the person registered was sent a message.',
    stale: 'The edition was changed meanwhile: the form now shows it as it stands.',
    back: 'Back to the edition',
  },
});
