/**
 * A schematic tile grid of Luxembourg's communes, for the gap map of the network picture: one
 * square tile per commune at (col, row), north (Oesling) at the top, the Minett at the bottom, the
 * Moselle on the right and the Belgian border on the left.
 *
 * Schematic on purpose: no public shape file of the communes is vendored here (nothing is fetched
 * at run time either), so the tiles only approximate where the communes are. They were placed
 * from the rough longitude and latitude of each commune's seat, spread where communes are dense
 * (the south, the centre), then adjusted by hand so that every canton's tiles touch each other.
 * Neighbours on the grid are neighbours, or near neighbours, on the ground; areas are not shown.
 *
 * ```
 *        0     1     2     3     4     5     6     7     8     9
 *  0     ·     ·     ·     Trois Weisw ·     ·     ·     ·     ·
 *  1     ·     ·     Wincr Clerv ParcH Putsc ·     ·     ·     ·
 *  2     LacHS Winse Wiltz Kiisc Bours Tande Viand ·     ·     ·
 *  3     Boula EschS Goesd Feule Erpel Dieki Bette Reisd ·     ·
 *  4     ·     Rambr Grous Mertz Ettel Schie Ernz  Beauf Berdo Echte
 *  5     ·     Préiz Vicht Bisse Colma Nomme Laroc Waldb Consd Rospo
 *  6     Ell   Redan Useld Helpe Mersc Lintg Fisch Heffi Bech  Mante
 *  7     Becke Habsc Saeul Kehle Kopst Loren Jungl Biwer Betzd Merte
 *  8     ·     Stein Koeri Mamer Stsel Walfe Niede Schut Flaxw Greve
 *  9     Käerj Garni Dippa Bertr Stras Luxem Sandw Conte Lenni Worme
 * 10     Pétan Sanem Recka Leude Roese Hespe Weile ·     BousW Stadt
 * 11     Diffe EschA Schif Monde Bette Frisa Dalhe Mondo Remic ·
 * 12     ·     ·     Rumel Kayl  Dudel ·     ·     ·     Schen ·
 * ```
 *
 * The table holds the 100 communes since the mergers of 1 September 2023 (Groussbus-Wal,
 * Bous-Waldbredimus). `COMMUNE_TILES` keeps those the catalogue knows (`COMMUNES`), under its
 * spelling, so that the map follows the list if it changes.
 */
import { canonicalCommune } from '../catalogue/communes.ts';

/** Luxembourg's 12 cantons. */
export const CANTONS = [
  'Capellen',
  'Clervaux',
  'Diekirch',
  'Echternach',
  'Esch-sur-Alzette',
  'Grevenmacher',
  'Luxembourg',
  'Mersch',
  'Redange',
  'Remich',
  'Vianden',
  'Wiltz',
] as const;
export type Canton = (typeof CANTONS)[number];

export interface CommuneTile {
  col: number;
  row: number;
  canton: string;
}

/** The grid's size in tiles. */
export const GRID_COLS = 10;
export const GRID_ROWS = 13;

/** [commune, col, row], by canton. */
const PLACES: Record<Canton, readonly (readonly [string, number, number])[]> = {
  Capellen: [
    ['Habscht', 1, 7],
    ['Kehlen', 3, 7],
    ['Kopstal', 4, 7],
    ['Steinfort', 1, 8],
    ['Koerich', 2, 8],
    ['Mamer', 3, 8],
    ['Käerjeng', 0, 9],
    ['Garnich', 1, 9],
    ['Dippach', 2, 9],
  ],
  Clervaux: [
    ['Troisvierges', 3, 0],
    ['Weiswampach', 4, 0],
    ['Wincrange', 2, 1],
    ['Clervaux', 3, 1],
    ['Parc Hosingen', 4, 1],
  ],
  Diekirch: [
    ['Bourscheid', 4, 2],
    ['Feulen', 3, 3],
    ['Erpeldange-sur-Sûre', 4, 3],
    ['Diekirch', 5, 3],
    ['Bettendorf', 6, 3],
    ['Reisdorf', 7, 3],
    ['Mertzig', 3, 4],
    ['Ettelbruck', 4, 4],
    ['Schieren', 5, 4],
    ['Vallée de l’Ernz', 6, 4],
  ],
  Echternach: [
    ['Beaufort', 7, 4],
    ['Berdorf', 8, 4],
    ['Echternach', 9, 4],
    ['Waldbillig', 7, 5],
    ['Consdorf', 8, 5],
    ['Rosport-Mompach', 9, 5],
    ['Bech', 8, 6],
  ],
  'Esch-sur-Alzette': [
    ['Pétange', 0, 10],
    ['Sanem', 1, 10],
    ['Reckange-sur-Mess', 2, 10],
    ['Leudelange', 3, 10],
    ['Roeser', 4, 10],
    ['Differdange', 0, 11],
    ['Esch-sur-Alzette', 1, 11],
    ['Schifflange', 2, 11],
    ['Mondercange', 3, 11],
    ['Bettembourg', 4, 11],
    ['Frisange', 5, 11],
    ['Rumelange', 2, 12],
    ['Kayl', 3, 12],
    ['Dudelange', 4, 12],
  ],
  Grevenmacher: [
    ['Manternach', 9, 6],
    ['Junglinster', 6, 7],
    ['Biwer', 7, 7],
    ['Betzdorf', 8, 7],
    ['Mertert', 9, 7],
    ['Flaxweiler', 8, 8],
    ['Grevenmacher', 9, 8],
    ['Wormeldange', 9, 9],
  ],
  Luxembourg: [
    ['Steinsel', 4, 8],
    ['Walferdange', 5, 8],
    ['Niederanven', 6, 8],
    ['Schuttrange', 7, 8],
    ['Bertrange', 3, 9],
    ['Strassen', 4, 9],
    ['Luxembourg', 5, 9],
    ['Sandweiler', 6, 9],
    ['Contern', 7, 9],
    ['Hesperange', 5, 10],
    ['Weiler-la-Tour', 6, 10],
  ],
  Mersch: [
    ['Bissen', 3, 5],
    ['Colmar-Berg', 4, 5],
    ['Nommern', 5, 5],
    ['Larochette', 6, 5],
    ['Helperknapp', 3, 6],
    ['Mersch', 4, 6],
    ['Lintgen', 5, 6],
    ['Fischbach', 6, 6],
    ['Heffingen', 7, 6],
    ['Lorentzweiler', 5, 7],
  ],
  Redange: [
    ['Rambrouch', 1, 4],
    ['Groussbus-Wal', 2, 4],
    ['Préizerdaul', 1, 5],
    ['Vichten', 2, 5],
    ['Ell', 0, 6],
    ['Redange-sur-Attert', 1, 6],
    ['Useldange', 2, 6],
    ['Beckerich', 0, 7],
    ['Saeul', 2, 7],
  ],
  Remich: [
    ['Lenningen', 8, 9],
    ['Bous-Waldbredimus', 8, 10],
    ['Stadtbredimus', 9, 10],
    ['Dalheim', 6, 11],
    ['Mondorf-les-Bains', 7, 11],
    ['Remich', 8, 11],
    ['Schengen', 8, 12],
  ],
  Vianden: [
    ['Putscheid', 5, 1],
    ['Tandel', 5, 2],
    ['Vianden', 6, 2],
  ],
  Wiltz: [
    ['Lac de la Haute-Sûre', 0, 2],
    ['Winseler', 1, 2],
    ['Wiltz', 2, 2],
    ['Kiischpelt', 3, 2],
    ['Boulaide', 0, 3],
    ['Esch-sur-Sûre', 1, 3],
    ['Goesdorf', 2, 3],
  ],
};

/** Every place of the table (including those the catalogue's list lacks), for the tests. */
export const ALL_PLACES: readonly { name: string; col: number; row: number; canton: Canton }[] =
  CANTONS.flatMap((canton) => PLACES[canton].map(([name, col, row]) => ({ name, col, row, canton })));

/** The tile of each commune of `COMMUNES`, under its spelling there. */
export const COMMUNE_TILES: ReadonlyMap<string, CommuneTile> = new Map(
  ALL_PLACES.flatMap(({ name, col, row, canton }) => {
    const commune = canonicalCommune(name);
    return commune === null ? [] : [[commune, { col, row, canton }] as const];
  }),
);
