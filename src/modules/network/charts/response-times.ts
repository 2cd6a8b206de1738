/**
 * Response times as horizontal bars: the median and the 90th percentile in working days, one
 * row per organisation or pair (see `responseTimesSvg`).
 */
import { HIDDEN, SMALL } from '../../referrals/referral-stats.disclosure.ts';
import type { DurationStats } from '../network.types.ts';
import {
  countText,
  fit,
  FONT,
  heading,
  INK,
  isShown,
  L,
  mark,
  MUTED,
  numberFormat,
  text,
  vegaChart,
  type ChartOptions,
} from './chart-kit.ts';

/** The middle of a row's band. */
const ROW_MIDDLE = { scale: 'y', field: 'key', band: 0.5 };

/** A bar in the middle of its row, from 0 to the datum's `field`. */
const bar = (data: string, field: string, height: number, fill: string) =>
  mark('rect', data, {
    x: { scale: 'x', value: 0 },
    x2: { scale: 'x', field },
    yc: ROW_MIDDLE,
    height: { value: height },
    fill: { value: fill },
  });

const drawTimes = vegaChart({
  description: 'Response times in working days',
  signals: [
    { name: 'plotLeft', value: 0 },
    { name: 'plotTop', value: 0 },
    { name: 'plotWidth', value: 100 },
    { name: 'plotHeight', value: 100 },
    { name: 'xMax', value: 1 },
    { name: 'xTitle', value: '' },
  ],
  data: [
    { name: 'rows' },
    { name: 'medians', source: 'rows', transform: [{ type: 'filter', expr: 'datum.median != null' }] },
    { name: 'p90s', source: 'rows', transform: [{ type: 'filter', expr: 'datum.p90 != null' }] },
  ],
  marks: [
    {
      type: 'group',
      encode: {
        enter: {
          x: { signal: 'plotLeft' },
          y: { signal: 'plotTop' },
          width: { signal: 'plotWidth' },
          height: { signal: 'plotHeight' },
        },
      },
      scales: [
        {
          name: 'x',
          type: 'linear',
          domain: [0, { signal: 'xMax' }],
          range: [0, { signal: 'plotWidth' }],
          nice: true,
          zero: true,
        },
        {
          name: 'y',
          type: 'band',
          domain: { data: 'rows', field: 'key' },
          range: [0, { signal: 'plotHeight' }],
        },
      ],
      axes: [
        {
          orient: 'bottom',
          scale: 'x',
          title: { signal: 'xTitle' },
          grid: true,
          gridScale: 'y',
          gridColor: '#e6e6e6',
          tickMinStep: 1,
          format: 'd',
          aria: false,
          labelFontSize: 10,
          titleFontSize: 11,
          titleFontWeight: 'normal',
          domainColor: '#999999',
          tickColor: '#999999',
        },
      ],
      marks: [
        bar('p90s', 'p90', 3, '#9aa9b8'),
        mark('rect', 'p90s', {
          xc: { scale: 'x', field: 'p90' },
          width: { value: 2 },
          yc: ROW_MIDDLE,
          height: { value: 14 },
          fill: { value: '#52606d' },
        }),
        bar('medians', 'median', 10, '#4e79a7'),
        mark('text', 'rows', {
          x: { value: -8 },
          y: ROW_MIDDLE,
          text: 'label',
          font: { value: FONT },
          fontSize: { value: 11 },
          align: { value: 'right' },
          baseline: { value: 'middle' },
          fill: { value: INK },
        }),
        mark('text', 'rows', {
          x: { scale: 'x', field: 'end', offset: 6 },
          y: ROW_MIDDLE,
          text: 'value',
          font: { value: FONT },
          fontSize: { value: 10 },
          fontStyle: 'style',
          baseline: { value: 'middle' },
          fill: 'fill',
        }),
      ],
    },
  ],
});

/** Rows a response-times chart shows by default: the slowest. */
export const RESPONSE_TIME_ROWS = 30;

/**
 * Response times as horizontal bars: the median in working days, a thin line and a tick to the
 * 90th percentile, and the figures beside them. A row without a median (fewer than 5 referrals)
 * reads "< 5" when its count is shown as such, else "n/a".
 */
export async function responseTimesSvg(
  all: { label: string; times: DurationStats }[],
  opts: ChartOptions & { title: string; first?: number },
): Promise<string> {
  const { lang } = opts;
  // The slowest first, at most `first` of them (a whole network has hundreds of pairs).
  const rows = [...all]
    .sort((a, b) => (b.times.median ?? -1) - (a.times.median ?? -1))
    .slice(0, opts.first ?? RESPONSE_TIME_ROWS);
  const nf = numberFormat(lang, 1);
  const plotLeft = 240;
  const data = rows.map(({ label, times }, i) => {
    const { median, p90, count } = times;
    const n = countText(count, lang);
    if (median === null) {
      const small = !isShown(count) && count.display !== HIDDEN;
      return {
        key: String(i),
        label: fit(label, plotLeft - 16, 11),
        median: null,
        p90: null,
        end: 0,
        value: small ? SMALL : L.notAvailable[lang],
        style: 'italic',
        fill: MUTED,
      };
    }
    const parts = [`${L.median[lang]} ${nf.format(median)}`];
    if (p90 !== null) parts.push(`P90 ${nf.format(p90)}`);
    parts.push(`n = ${n}`);
    return {
      key: String(i),
      label: fit(label, plotLeft - 16, 11),
      median,
      p90,
      end: Math.max(median, p90 ?? 0),
      value: parts.join(' · '),
      style: 'normal',
      fill: INK,
    };
  });
  const width = 780;
  const plotTop = 70;
  const plotWidth = width - plotLeft - 170;
  const rowHeight = 24;
  const plotHeight = Math.max(1, rows.length) * rowHeight;
  const xMax = Math.max(1, ...data.map((d) => d.end));
  const texts = [...heading(opts.title, L.timesLegend[lang])];
  if (rows.length === 0)
    texts.push(
      text(plotLeft + 8, plotTop + rowHeight / 2, L.noRows[lang], { baseline: 'middle', fill: MUTED }),
    );
  const withMedian = data.filter((d) => d.median !== null).length;
  const desc = {
    fr: `${rows.length} lignes, ${withMedian} avec une médiane, en jours ouvrés`,
    de: `${rows.length} Zeilen, ${withMedian} mit Median, in Arbeitstagen`,
    en: `${rows.length} rows, ${withMedian} with a median, in working days`,
  }[lang];
  return drawTimes({
    width,
    height: plotTop + plotHeight + 50,
    title: opts.title,
    desc,
    signals: { plotLeft, plotTop, plotWidth, plotHeight, xMax, xTitle: L.workingDays[lang] },
    data: { rows: data, texts },
  });
}
