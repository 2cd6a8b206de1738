/**
 * Inter-Actions asbl (founded 1979): its structures by place — youth houses, day care and
 * community work in quarters of Luxembourg City, in Dudelange (Petite Italie), Esch-sur-Alzette,
 * Mersch, Sandweiler and Leudelange — and its thematic projects (debt advice, job coaching,
 * insertion, shelter). From public information; contact people are invented, e-mail addresses use
 * the reserved `.example` domain and phone numbers are fictitious. Coordinates are approximate
 * (the quarter), except where a street is given.
 */
import { interActionsCareOffers } from './demo-catalogue-inter-actions-care.ts';
import { interActionsProjectOffers } from './demo-catalogue-inter-actions-projects.ts';
import { interActionsYouthOffers } from './demo-catalogue-inter-actions-youth.ts';
import { hours, type DemoOffer, type DemoSite } from './demo-catalogue-types.ts';

const IA = { organisation: 'inter-actions' } as const;
const LUX = { ...IA, commune: 'Luxembourg' } as const;

/** Youth houses: Tuesday to Friday afternoons and evenings, Saturday afternoon. */
const youthHouseHours = [...hours([2, 3, 4, 5], '14:00', '20:00'), ...hours([6], '14:00', '18:00')];
/** Day care: school days, from early morning to early evening. */
const dayCareHours = hours([1, 2, 3, 4, 5], '07:00', '19:00');
const officeHours = hours([1, 2, 3, 4, 5], '08:30', '17:00');

export const interActionsSites: DemoSite[] = [
  {
    ...LUX,
    key: 'ia-siege-eich',
    name: 'Inter-Actions – siège et services sociaux',
    street: '73, côte d’Eich',
    postcode: '1450',
    quarter: 'Eich',
    latitude: 49.6265,
    longitude: 6.1335,
    wheelchairAccessible: false,
    accessibility: {
      fr: 'Bureaux au premier étage sans ascenseur ; rendez-vous possible au rez-de-chaussée sur demande.',
      de: 'Büros im ersten Stock ohne Aufzug; Termine im Erdgeschoss auf Anfrage.',
    },
    openingHours: officeHours,
  },
  {
    ...LUX,
    key: 'ia-grund-haus-vun-de-kanner',
    name: 'Haus vun de Kanner – Stadtgrund',
    quarter: 'Grund',
    latitude: 49.6093,
    longitude: 6.1336,
    openingHours: dayCareHours,
  },
  {
    ...LUX,
    key: 'ia-grund-annexe',
    name: 'Maison des jeunes Annexe Grund',
    quarter: 'Grund',
    latitude: 49.6101,
    longitude: 6.1347,
    wheelchairAccessible: false,
    openingHours: youthHouseHours,
  },
  {
    ...LUX,
    key: 'ia-gare-jugendhaus',
    name: 'Maison des jeunes Gare',
    quarter: 'Gare',
    latitude: 49.6004,
    longitude: 6.1318,
    openingHours: youthHouseHours,
  },
  {
    ...LUX,
    key: 'ia-gare-pinocchio',
    name: 'Foyer de jour Pinocchio',
    quarter: 'Gare',
    latitude: 49.5998,
    longitude: 6.1352,
    wheelchairAccessible: true,
    openingHours: dayCareHours,
  },
  {
    ...LUX,
    key: 'ia-gare-ensemble',
    name: 'Ensemble Gare-Bonnevoie – travail communautaire',
    quarter: 'Gare',
    latitude: 49.5991,
    longitude: 6.1366,
    openingHours: hours([1, 2, 3, 4], '09:00', '17:00'),
  },
  {
    ...LUX,
    key: 'ia-bonnevoie-studio',
    name: 'Jugendhaus Studio Bonnevoie',
    quarter: 'Bonnevoie-Nord-Verlorenkost',
    latitude: 49.5984,
    longitude: 6.1392,
    openingHours: youthHouseHours,
  },
  {
    ...LUX,
    key: 'ia-clausen-river',
    name: 'Maison des jeunes River Clausen',
    quarter: 'Clausen',
    latitude: 49.6126,
    longitude: 6.1409,
    openingHours: youthHouseHours,
  },
  {
    ...LUX,
    key: 'ia-pfaffenthal-jugendhaus',
    name: 'Maison des jeunes Pfaffenthal',
    quarter: 'Pfaffenthal',
    latitude: 49.6173,
    longitude: 6.1323,
    openingHours: youthHouseHours,
  },
  {
    ...LUX,
    key: 'ia-neudorf-laladudo',
    name: 'Foyer de jour Laladudo',
    quarter: 'Neudorf-Weimershof',
    latitude: 49.6184,
    longitude: 6.1561,
    wheelchairAccessible: true,
    openingHours: dayCareHours,
  },
  {
    ...LUX,
    key: 'ia-neudorf-in-move',
    name: 'Jugendhaus In Move Neudorf',
    quarter: 'Neudorf-Weimershof',
    latitude: 49.6191,
    longitude: 6.1577,
    openingHours: youthHouseHours,
  },
  {
    ...LUX,
    key: 'ia-gasperich-jugendhaus',
    name: 'Maison des jeunes Gasperich',
    quarter: 'Gasperich',
    latitude: 49.5856,
    longitude: 6.1238,
    wheelchairAccessible: true,
    openingHours: youthHouseHours,
  },
  {
    ...LUX,
    key: 'ia-limpertsberg-babbeltiermchen',
    name: 'Maison relais Babbeltiermchen',
    quarter: 'Limpertsberg',
    latitude: 49.6224,
    longitude: 6.1186,
    wheelchairAccessible: true,
    openingHours: dayCareHours,
  },
  {
    ...LUX,
    key: 'ia-pulvermuhl-schlaifmillen',
    name: 'Atelier Schläifmillen',
    quarter: 'Pulvermühl',
    latitude: 49.6082,
    longitude: 6.1528,
    wheelchairAccessible: false,
    accessibility: {
      fr: 'Site historique en fond de vallée : accès par une pente, ateliers de plain-pied.',
      de: 'Historisches Gelände im Tal: Zugang über eine Steigung, Werkstätten ebenerdig.',
    },
    openingHours: hours([1, 2, 3, 4, 5], '07:30', '16:00'),
  },
  {
    ...IA,
    key: 'ia-dudelange-diddelfamill',
    name: 'Maison relais Diddelfamill',
    commune: 'Dudelange',
    quarter: 'Petite Italie',
    latitude: 49.4736,
    longitude: 6.0931,
    wheelchairAccessible: true,
    openingHours: dayCareHours,
  },
  {
    ...IA,
    key: 'ia-dudelange-ensemble',
    name: 'Ensemble Petite Italie-Schmelz – travail communautaire',
    commune: 'Dudelange',
    quarter: 'Petite Italie',
    latitude: 49.4745,
    longitude: 6.0906,
    openingHours: hours([1, 2, 3, 4, 5], '09:00', '17:00'),
  },
  {
    ...IA,
    key: 'ia-esch-quartier',
    name: 'Inter-Actions Esch – travail communautaire',
    commune: 'Esch-sur-Alzette',
    latitude: 49.4953,
    longitude: 5.9812,
    openingHours: hours([1, 2, 3, 4, 5], '09:00', '17:00'),
  },
  {
    ...IA,
    key: 'ia-mersch-maison-relais',
    name: 'Maison relais Mersch',
    commune: 'Mersch',
    latitude: 49.7486,
    longitude: 6.1049,
    wheelchairAccessible: true,
    openingHours: dayCareHours,
  },
  {
    ...IA,
    key: 'ia-sandweiler-maison-relais',
    name: 'Maison relais Sandweiler',
    commune: 'Sandweiler',
    latitude: 49.6166,
    longitude: 6.2192,
    wheelchairAccessible: true,
    openingHours: dayCareHours,
  },
  {
    ...IA,
    key: 'ia-leudelange-maison-relais',
    name: 'Maison relais Leudelange',
    commune: 'Leudelange',
    latitude: 49.5904,
    longitude: 6.0664,
    wheelchairAccessible: true,
    openingHours: dayCareHours,
  },
];

export const interActionsOffers: DemoOffer[] = [
  ...interActionsYouthOffers,
  ...interActionsCareOffers,
  ...interActionsProjectOffers,
];
