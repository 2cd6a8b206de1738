/**
 * The schematic commune grid: every commune of the catalogue's list has a tile, no two places
 * share one, each canton's tiles touch, and the country keeps its shape (north at the top, the
 * Minett at the bottom, the Moselle on the right).
 */
import { describe, expect, it } from '@jest/globals';
import { COMMUNES } from '../../src/modules/catalogue/communes.ts';
import {
  ALL_PLACES,
  CANTONS,
  COMMUNE_TILES,
  GRID_COLS,
  GRID_ROWS,
  type CommuneTile,
} from '../../src/modules/network/commune-grid.ts';

const tile = (commune: string): CommuneTile => {
  const found = COMMUNE_TILES.get(commune);
  if (!found) throw new Error(`no tile for ${commune}`);
  return found;
};

describe('COMMUNE_TILES', () => {
  it('has a tile for each of the 100 communes, and nothing else', () => {
    expect(COMMUNES).toHaveLength(100);
    expect(COMMUNES.filter((c) => !COMMUNE_TILES.has(c))).toEqual([]);
    expect([...COMMUNE_TILES.keys()].sort()).toEqual([...COMMUNES].sort());
  });

  it('puts no two places on one tile, all inside the grid', () => {
    const seen = new Map<string, string>();
    for (const { name, col, row } of ALL_PLACES) {
      const key = `${col},${row}`;
      expect([name, seen.get(key)]).toEqual([name, undefined]);
      seen.set(key, name);
      expect(col).toBeGreaterThanOrEqual(0);
      expect(col).toBeLessThan(GRID_COLS);
      expect(row).toBeGreaterThanOrEqual(0);
      expect(row).toBeLessThan(GRID_ROWS);
    }
    expect(new Set(ALL_PLACES.map((p) => p.name)).size).toBe(ALL_PLACES.length);
  });

  it('groups the communes by the 12 cantons, each canton in one piece', () => {
    expect(new Set([...COMMUNE_TILES.values()].map((t) => t.canton))).toEqual(new Set(CANTONS));
    const at = new Map(ALL_PLACES.map((p) => [`${p.col},${p.row}`, p]));
    for (const canton of CANTONS) {
      const places = ALL_PLACES.filter((p) => p.canton === canton);
      const first = places[0];
      if (!first) throw new Error(`no place in ${canton}`);
      const reached = new Set([first.name]);
      const queue = [first];
      for (let p = queue.pop(); p; p = queue.pop()) {
        for (const [dc, dr] of [
          [1, 0],
          [-1, 0],
          [0, 1],
          [0, -1],
        ] as const) {
          const next = at.get(`${p.col + dc},${p.row + dr}`);
          if (next?.canton === canton && !reached.has(next.name)) {
            reached.add(next.name);
            queue.push(next);
          }
        }
      }
      expect([canton, places.filter((q) => !reached.has(q.name)).map((q) => q.name)]).toEqual([canton, []]);
    }
    expect(tile('Clervaux').canton).toBe('Clervaux');
    expect(tile('Esch-sur-Alzette').canton).toBe('Esch-sur-Alzette');
    expect(tile('Strassen').canton).toBe('Luxembourg');
  });

  it('keeps the country’s shape', () => {
    expect(tile('Clervaux').row).toBeLessThan(tile('Esch-sur-Alzette').row);
    expect(tile('Remich').col).toBeGreaterThan(tile('Steinfort').col);
    // The Oesling at the top, the Minett at the bottom.
    expect(
      Math.max(...['Troisvierges', 'Weiswampach', 'Wincrange', 'Clervaux'].map((c) => tile(c).row)),
    ).toBeLessThanOrEqual(1);
    const minett = [
      'Esch-sur-Alzette',
      'Differdange',
      'Dudelange',
      'Pétange',
      'Schifflange',
      'Bettembourg',
      'Kayl',
      'Rumelange',
    ];
    expect(Math.min(...minett.map((c) => tile(c).row))).toBeGreaterThanOrEqual(10);
    // The Moselle on the right, the Belgian border on the left.
    const moselle = ['Remich', 'Grevenmacher', 'Schengen', 'Wormeldange', 'Mertert', 'Stadtbredimus'];
    expect(Math.min(...moselle.map((c) => tile(c).col))).toBeGreaterThanOrEqual(8);
    for (const west of ['Steinfort', 'Redange-sur-Attert', 'Rambrouch', 'Beckerich'])
      expect([west, tile(west).col <= 1]).toEqual([west, true]);
    // The capital and its ring in the middle band.
    const centre = tile('Luxembourg');
    for (const ring of ['Strassen', 'Bertrange', 'Hesperange', 'Walferdange', 'Sandweiler'])
      expect([
        ring,
        Math.abs(tile(ring).col - centre.col) + Math.abs(tile(ring).row - centre.row) <= 2,
      ]).toEqual([ring, true]);
  });
});
