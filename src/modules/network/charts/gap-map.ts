/**
 * The gap map: unmet demand by commune on the schematic grid of the communes (commune-grid.ts),
 * one coloured tile per commune (see `gapMapSvg`).
 */
import { canonicalCommune } from '../../catalogue/communes.ts';
import { COMMUNE_TILES, GRID_COLS, GRID_ROWS } from '../commune-grid.ts';
import type { NetworkGaps } from '../network.types.ts';
import {
  BOX,
  countText,
  heading,
  INK,
  L,
  mark,
  monthText,
  MUTED,
  numberFormat,
  round,
  text,
  vegaChart,
  type ChartOptions,
  type TextItem,
} from './chart-kit.ts';

/** Gap index classes: [lower bound (inclusive, 0 exact), fill, text colour]. */
const GAP_CLASSES: readonly { min: number; label: string; fill: string; ink: string }[] = [
  { min: 0, label: '0', fill: '#ffffcc', ink: INK },
  { min: Number.MIN_VALUE, label: '0–1', fill: '#ffeda0', ink: INK },
  { min: 1, label: '1–2', fill: '#fed976', ink: INK },
  { min: 2, label: '2–5', fill: '#feb24c', ink: INK },
  { min: 5, label: '5–10', fill: '#fc4e2a', ink: 'white' },
  { min: 10, label: '≥ 10', fill: '#b10026', ink: 'white' },
];
const NO_DATA = { fill: '#ececec', ink: '#777777' };
const SUPPRESSED = { fill: '#f3eef8', stroke: '#8c6bb1', ink: '#54278f' };

const gapClass = (gap: number) => [...GAP_CLASSES].reverse().find((c) => gap >= c.min) ?? GAP_CLASSES[0]!;

const drawGapMap = vegaChart({
  description: 'Unmet demand by commune',
  data: [{ name: 'tiles' }, { name: 'hatch' }, { name: 'lines' }],
  marks: [
    mark('rect', 'tiles', { ...BOX, strokeWidth: 'strokeWidth' }),
    mark('path', 'hatch', {
      x: 'x',
      y: 'y',
      path: 'path',
      stroke: { value: SUPPRESSED.stroke },
      strokeWidth: { value: 1 },
      strokeOpacity: { value: 0.45 },
    }),
    mark('path', 'lines', {
      path: 'path',
      stroke: { value: '#333333' },
      strokeWidth: 'width',
      strokeCap: { value: 'square' },
    }),
  ],
});

/** Diagonal hatching of a w × h box, relative to its corner. */
function hatchPath(w: number, h: number, step = 6): string {
  const parts: string[] = [];
  for (let s = step; s < w + h; s += step) {
    const y0 = Math.max(0, s - w);
    const y1 = Math.min(h, s);
    if (y1 > y0) parts.push(`M${round(s - y0)},${round(y0)}L${round(s - y1)},${round(y1)}`);
  }
  return parts.join('');
}

/** A commune's name on at most two lines of about `max` characters, cut after "-" or " ". */
export function tileLabel(name: string, max = 13): string[] {
  if (name.length <= max) return [name];
  const words = name.split(/(?<=[-\s])/);
  let first = '';
  while (words.length > 0 && (first + (words[0] ?? '')).trimEnd().length <= max) first += words.shift();
  if (first === '') first = words.shift() ?? '';
  let second = words.join('');
  if (first.trim().length > max) first = `${first.trim().slice(0, max - 1)}.`;
  if (second.length > max) second = `${second.slice(0, max - 1)}.`;
  return second ? [first.trimEnd(), second] : [first.trimEnd()];
}

type GapState = { kind: 'gap'; gap: number } | { kind: 'suppressed'; display: string };

/**
 * The gap map: the schematic grid of the communes (commune-grid.ts), each tile coloured by the
 * gap index of `themeCode` there (the highest over the themes when null), hatched when the
 * demand is shown as "< 5" only, grey without demand. Thick lines part the cantons. Searches that
 * named no commune get a tile of their own in the empty north-west corner.
 */
export async function gapMapSvg(
  gaps: NetworkGaps,
  themeCode: string | null,
  opts: ChartOptions,
): Promise<string> {
  const { lang } = opts;
  const nf = numberFormat(lang, 1);
  const cells = themeCode === null ? gaps.cells : gaps.cells.filter((c) => c.theme.code === themeCode);
  const NATIONAL = '(national)'; // not a commune's name
  const states = new Map<string, GapState>();
  for (const cell of cells) {
    const key = cell.commune === null ? NATIONAL : canonicalCommune(cell.commune);
    if (key === null) continue;
    const before = states.get(key);
    if (cell.gapIndex !== null && !cell.demand.total.suppressed) {
      if (before?.kind !== 'gap' || cell.gapIndex > before.gap)
        states.set(key, { kind: 'gap', gap: cell.gapIndex });
    } else if (cell.demand.total.suppressed && before === undefined) {
      states.set(key, { kind: 'suppressed', display: countText(cell.demand.total, lang) });
    }
  }
  const themeLabel =
    themeCode === null
      ? L.allThemes[lang]
      : (cells[0]?.theme.label ??
        gaps.cells.find((c) => c.theme.code === themeCode)?.theme.label ??
        themeCode);

  const pitchX = 66;
  const pitchY = 50;
  const inset = 1.5;
  const left = 16;
  const top = 70;
  const tileW = pitchX - 2 * inset;
  const tileH = pitchY - 2 * inset;
  const gridRight = left + GRID_COLS * pitchX;
  const legendX = gridRight + 24;
  const width = legendX + 210;
  const height = top + GRID_ROWS * pitchY + 20;
  const hatch = hatchPath(tileW, tileH);

  const tiles: object[] = [];
  const hatches: object[] = [];
  const texts: TextItem[] = [];
  const drawTile = (
    col: number,
    row: number,
    lines: string[],
    state: GapState | undefined,
    special: boolean,
  ) => {
    const x = left + col * pitchX + inset;
    const y = top + row * pitchY + inset;
    let fill = NO_DATA.fill;
    let ink = NO_DATA.ink;
    let value = '';
    if (state?.kind === 'gap') {
      const cls = gapClass(state.gap);
      ({ fill, ink } = cls);
      value = nf.format(state.gap);
    } else if (state?.kind === 'suppressed') {
      fill = SUPPRESSED.fill;
      ink = SUPPRESSED.ink;
      value = state.display;
      hatches.push({ x, y, path: hatch });
    }
    tiles.push({
      x,
      y,
      w: tileW,
      h: tileH,
      fill,
      stroke: state?.kind === 'suppressed' ? SUPPRESSED.stroke : special ? '#333333' : 'white',
      strokeWidth: special ? 1.5 : 1,
      dash: state?.kind === 'suppressed' || special ? [3, 2] : undefined,
    });
    const cx = x + tileW / 2;
    texts.push(text(cx, y + 12, lines, { size: 8.5, align: 'center', fill: ink }));
    if (value)
      texts.push(text(cx, y + tileH - 6, value, { size: 10, weight: 'bold', align: 'center', fill: ink }));
  };

  const at = new Map<string, string>();
  for (const [commune, tile] of COMMUNE_TILES) {
    at.set(`${tile.col},${tile.row}`, tile.canton);
    drawTile(tile.col, tile.row, tileLabel(commune), states.get(commune), false);
  }
  if (states.has(NATIONAL)) drawTile(0, 0, L.noCommune[lang].split('|'), states.get(NATIONAL), true);

  // Canton borders: every tile side whose neighbour is another canton or the outside.
  const thick: string[] = [];
  for (const tile of COMMUNE_TILES.values()) {
    const x0 = left + tile.col * pitchX;
    const y0 = top + tile.row * pitchY;
    const other = (dc: number, dr: number) => at.get(`${tile.col + dc},${tile.row + dr}`) !== tile.canton;
    if (other(0, -1)) thick.push(`M${x0},${y0}h${pitchX}`);
    if (other(0, 1)) thick.push(`M${x0},${y0 + pitchY}h${pitchX}`);
    if (other(-1, 0)) thick.push(`M${x0},${y0}v${pitchY}`);
    if (other(1, 0)) thick.push(`M${x0 + pitchX},${y0}v${pitchY}`);
  }
  const lines = [{ path: thick.join(''), width: 1.6 }];

  // Legend
  let ly = top + 4;
  texts.push(text(legendX, ly + 10, L.gapIndex[lang], { weight: 'bold', size: 12 }));
  texts.push(text(legendX, ly + 26, L.gapFormula[lang], { size: 10, fill: MUTED }));
  ly += 40;
  const swatch = (fill: string, label: string, kind: 'plain' | 'suppressed' = 'plain') => {
    tiles.push({
      x: legendX,
      y: ly,
      w: 26,
      h: 18,
      fill,
      stroke: kind === 'suppressed' ? SUPPRESSED.stroke : '#bbbbbb',
      strokeWidth: 1,
      dash: kind === 'suppressed' ? [3, 2] : undefined,
    });
    if (kind === 'suppressed') hatches.push({ x: legendX, y: ly, path: hatchPath(26, 18) });
    texts.push(text(legendX + 34, ly + 9, label, { baseline: 'middle', size: 11 }));
    ly += 24;
  };
  for (const cls of [...GAP_CLASSES].reverse()) swatch(cls.fill, cls.label);
  swatch(NO_DATA.fill, L.noData[lang]);
  swatch(SUPPRESSED.fill, L.suppressedDemand[lang], 'suppressed');
  texts.push(text(legendX, ly + 14, wrap(L.schematic[lang], 34), { size: 9.5, fill: MUTED }));

  const withData = [...states.entries()].filter(([k]) => k !== NATIONAL);
  const desc = {
    fr: `${withData.filter(([, s]) => s.kind === 'gap').length} communes avec un indice, ${withData.filter(([, s]) => s.kind === 'suppressed').length} avec une demande < 5`,
    de: `${withData.filter(([, s]) => s.kind === 'gap').length} Gemeinden mit Index, ${withData.filter(([, s]) => s.kind === 'suppressed').length} mit Nachfrage < 5`,
    en: `${withData.filter(([, s]) => s.kind === 'gap').length} communes with an index, ${withData.filter(([, s]) => s.kind === 'suppressed').length} with demand < 5`,
  }[lang];
  const title = `${L.gapTitle[lang]} — ${themeLabel}`;
  texts.push(...heading(title, monthText(gaps.month, lang)));
  return drawGapMap({
    width,
    height,
    title,
    desc: `${desc} (${monthText(gaps.month, lang)})`,
    data: { tiles, hatch: hatches, lines, texts },
  });
}

/** Words on lines of at most `max` characters. */
function wrap(s: string, max: number): string[] {
  const out: string[] = [];
  for (const word of s.split(' ')) {
    const last = out[out.length - 1];
    if (last !== undefined && (last + ' ' + word).length <= max) out[out.length - 1] = `${last} ${word}`;
    else out.push(word);
  }
  return out;
}
