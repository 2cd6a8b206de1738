/**
 * Who runs the Assises sociales in the demo: the City of Luxembourg's social affairs department
 * (an organisation added to the demo ones), its event organiser, the venue (a site of the
 * department), the series, and the mail domains of the invented participants' organisations.
 */
import type { DemoOrganisation, DemoUser } from './demo-accounts.ts';
import type { EventText } from './demo-events-types.ts';

export const ORGANISER_SLUG = 'ville-luxembourg-affaires-sociales';
export const ORGANISER_EMAIL = 'anne.weber@vdl.example';

/** The organiser, added to the demo organisations by the Events seed. */
export const organiserOrganisation: Omit<DemoOrganisation, 'parent'> = {
  slug: ORGANISER_SLUG,
  name: 'Ville de Luxembourg – Service des affaires sociales',
  kind: 'PUBLIC_AGENCY',
  legalForm: 'administration communale',
  website: 'https://www.vdl.lu',
};

/** The organiser's event organiser (`npm run token -- anne.weber@vdl.example`). */
export const organiserUsers: DemoUser[] = [
  {
    email: ORGANISER_EMAIL,
    name: 'Anne Weber',
    locale: 'fr',
    memberships: [{ organisation: ORGANISER_SLUG, roles: ['EVENT_ORGANISER'] }],
  },
];

/** The venue: a site of the organiser. Its HSDS id is `demo:<key>`, as catalogue sites'. */
export const venue = {
  key: 'ev-centre-culturel-bonnevoie',
  name: 'Centre culturel de Bonnevoie',
  street: '2, rue des Ardennes',
  postcode: '1133',
  commune: 'Luxembourg',
  quarter: 'Bonnevoie',
  latitude: 49.5969,
  longitude: 6.1367,
  wheelchairAccessible: true,
  accessibility: {
    fr: 'Entrée de plain-pied rue des Ardennes ; ascenseur vers les salles de l’étage.',
    de: 'Ebenerdiger Eingang in der Rue des Ardennes; Aufzug zu den Sälen im Obergeschoss.',
    en: 'Step-free entrance on rue des Ardennes; lift to the rooms upstairs.',
  },
} as const;

export const SERIES_SLUG = 'assises-sociales';

export const series: { slug: string; name: EventText; description: EventText } = {
  slug: SERIES_SLUG,
  name: {
    fr: 'Assises sociales',
    de: 'Assises sociales – Sozialforum der Stadt Luxemburg',
    en: 'Assises sociales – the City of Luxembourg’s social forum',
  },
  description: {
    fr:
      'Une fois par an, le Service des affaires sociales de la Ville réunit les organisations qu’elle ' +
      'soutient : des équipes présentent leurs projets sur des stands, d’autres débattent à la tribune ' +
      'et en ateliers. Chacun voit qui a fait quoi et comment cela a marché, et met des visages sur les ' +
      'voix qu’il entend au téléphone toute l’année.',
    de:
      'Einmal im Jahr bringt der Sozialdienst der Stadt die Organisationen zusammen, die sie ' +
      'unterstützt: Teams stellen ihre Projekte an Ständen vor, andere diskutieren auf dem Podium und ' +
      'in Workshops. Alle sehen, wer was gemacht hat und was funktioniert hat.',
    en:
      'Once a year the City’s social affairs department gathers the organisations it funds: teams ' +
      'present their projects at stands, others debate on stage and in workshops. Everyone sees who ' +
      'did what and how it worked, and puts faces to the voices they hear on the phone all year.',
  },
};

/** Mail domains of invented participants, by organisation slug (demo users' own where they exist). */
export const MAIL_DOMAINS: Record<string, string> = {
  [ORGANISER_SLUG]: 'vdl.example',
  'inter-actions': 'inter-actions.example',
  'caritas-luxembourg': 'caritas.example',
  'croix-rouge': 'croix-rouge.example',
  'office-social-luxembourg': 'office-social.example',
  solina: 'solina.example',
  wunnengshellef: 'wunnengshellef.example',
  'co-labor': 'colabor.example',
  mateneen: 'mateneen.example',
  'fondation-eme': 'fondation-eme.example',
  microlux: 'microlux.example',
  'paerds-atelier-liewenshaff': 'liewenshaff.example',
  'medecins-du-monde': 'medecinsdumonde.example',
  'ligue-medico-sociale': 'ligue.example',
  'jugend-a-drogenhellef': 'jdh.example',
  'kontact-28': 'kontact28.example',
  'passerelles-nouveaux-arrivants': 'passerelles.example',
  ona: 'ona.example',
};
