/**
 * What the network picture's charts share (flow-network.ts, flow-sankey.ts, gap-map.ts,
 * response-times.ts): the Vega spec's frame and its text mark, the headless rendering and the
 * accessible SVG around it, the charts' words in the three languages, how counts, dates and
 * numbers print, and the flows' nodes and strokes.
 *
 * Vega renders headless (`new View(parse(spec), { renderer: 'none' }).toSVG()`): no browser, no
 * canvas. Each spec is parsed once per process; a chart is a fresh View fed its data. The layout
 * (circle positions, Sankey stacking, tiles, labels) is computed by the charts, so that the output
 * is the same for the same input (the tests compare it); Vega draws the marks, routes the Sankey's
 * bands (`linkpath`) and owns the response times' scales and axis.
 *
 * Disclosure: the charts take the published figures of network.types.ts only. A suppressed count
 * (`suppressed`, or no `value`) is printed as "< 5" (or "hidden", translated) and drawn at the
 * nominal size 2.5 (the middle of 1–4, as totals count it), dashed or hatched and lighter; its
 * `value` is never read, whatever it holds. No sum of published counts is printed as a number:
 * a total printed is a published total (the flow matrix's).
 *
 * Text widths: without a canvas Vega only estimates them, so long labels are cut here by a
 * character count (`fit`) and the margins are generous. Fonts are the generic sans-serif. Every
 * SVG has its width, height and viewBox, a white background, role="img", a <title> and a <desc>.
 */
import type * as Vega from 'vega';
import type { EncodeEntry, Mark, Runtime, Spec } from 'vega';
import { HIDDEN, SMALL } from '../../referrals/referral-stats.disclosure.ts';
import type { FlowEdge, NetworkFlows, NetworkOrganisation, PublishedCount } from '../network.types.ts';

export type ChartLang = 'fr' | 'de' | 'en';

export interface ChartOptions {
  lang: ChartLang;
}

type Texts = Readonly<Record<ChartLang, string>>;

export const FONT = 'sans-serif';
export const INK = '#222222';
export const MUTED = '#666666';
/** What a count shown as "< 5" weighs in a drawing (the middle of 1–4). */
export const NOMINAL_SMALL = 2.5;
export const SUPPRESSED_INK = '#8a8a8a';
export const DASH = [5, 3];
/** Tableau 10: one colour per organisation, cycling. */
const PALETTE = [
  '#4e79a7',
  '#f28e2b',
  '#e15759',
  '#76b7b2',
  '#59a14f',
  '#edc948',
  '#b07aa1',
  '#ff9da7',
  '#9c755f',
  '#bab0ac',
];

const LOCALES: Readonly<Record<ChartLang, string>> = { fr: 'fr-LU', de: 'de-LU', en: 'en-GB' };

/** The charts' words, in each language. */
export const L = {
  hidden: { fr: 'masqué', de: 'verborgen', en: 'hidden' },
  referrals: { fr: 'orientations', de: 'Vermittlungen', en: 'referrals' },
  flowsTitle: {
    fr: 'Flux d’orientations entre organisations',
    de: 'Vermittlungsflüsse zwischen Organisationen',
    en: 'Referral flows between organisations',
  },
  circleArea: {
    fr: 'Surface des cercles : orientations envoyées et reçues',
    de: 'Kreisfläche: gesendete und empfangene Vermittlungen',
    en: 'Circle area: referrals sent and received',
  },
  arrow: {
    fr: 'Flèche : de l’organisation qui oriente vers celle qui reçoit',
    de: 'Pfeil: von der vermittelnden zur aufnehmenden Organisation',
    en: 'Arrow: from the referring to the receiving organisation',
  },
  smallBands: {
    fr: 'Bandes grises en pointillé : flux de moins de 5 orientations',
    de: 'Graue gestrichelte Bänder: Flüsse unter 5 Vermittlungen',
    en: 'Grey dashed bands: flows of fewer than 5 referrals',
  },
  noFlows: { fr: 'Aucun flux sur la période', de: 'Keine Flüsse im Zeitraum', en: 'No flows in the period' },
  sankeyTitle: {
    fr: 'Orientations : qui oriente vers qui',
    de: 'Vermittlungen: wer an wen',
    en: 'Referrals: who refers to whom',
  },
  senders: {
    fr: 'Organisations qui orientent',
    de: 'Vermittelnde Organisationen',
    en: 'Referring organisations',
  },
  receivers: {
    fr: 'Organisations qui reçoivent',
    de: 'Aufnehmende Organisationen',
    en: 'Receiving organisations',
  },
  gapTitle: {
    fr: 'Demande non couverte par commune',
    de: 'Ungedeckte Nachfrage nach Gemeinde',
    en: 'Unmet demand by commune',
  },
  allThemes: {
    fr: 'tous les thèmes (le plus élevé)',
    de: 'alle Themen (höchster Wert)',
    en: 'all themes (highest)',
  },
  gapIndex: { fr: 'Indice d’écart', de: 'Lückenindex', en: 'Gap index' },
  gapFormula: {
    fr: 'demande ÷ offres avec place',
    de: 'Nachfrage ÷ Angebote mit Platz',
    en: 'demand ÷ offers with room',
  },
  noData: { fr: 'Pas de demande', de: 'Keine Nachfrage', en: 'No demand' },
  suppressedDemand: { fr: 'Demande < 5', de: 'Nachfrage < 5', en: 'Demand < 5' },
  schematic: {
    fr: 'Carte schématique : une case par commune, bords épais entre cantons',
    de: 'Schematische Karte: ein Feld je Gemeinde, dicke Linien zwischen Kantonen',
    en: 'Schematic map: one tile per commune, thick lines between cantons',
  },
  noCommune: { fr: 'Sans|commune', de: 'Ohne|Gemeinde', en: 'No|commune' },
  workingDays: { fr: 'Jours ouvrés', de: 'Arbeitstage', en: 'Working days' },
  timesLegend: {
    fr: 'Barre : médiane · trait fin : 90e centile',
    de: 'Balken: Median · dünner Strich: 90. Perzentil',
    en: 'Bar: median · thin line: 90th percentile',
  },
  median: { fr: 'méd.', de: 'Median', en: 'median' },
  notAvailable: { fr: 'n.d.', de: 'k. A.', en: 'n/a' },
  noRows: { fr: 'Aucune donnée', de: 'Keine Daten', en: 'No data' },
} satisfies Record<string, Texts>;

// ---------------------------------------------------------------------------------------------
// Counts, numbers, text

export const isShown = (c: PublishedCount): c is PublishedCount & { value: number } =>
  !c.suppressed && c.value !== null;

/** A count shown as a number above 0. */
export const someReferrals = (c: PublishedCount) => isShown(c) && c.value > 0;

/** The size a count is drawn at: its published value, or 2.5 when suppressed. */
export const drawnValue = (c: PublishedCount): number => (isShown(c) ? c.value : NOMINAL_SMALL);

/** What a count prints as: its published display; "< 5" (or "hidden") when suppressed. */
export function countText(c: PublishedCount, lang: ChartLang): string {
  if (isShown(c)) return c.display;
  return c.display === HIDDEN ? L.hidden[lang] : SMALL;
}

export const numberFormat = (lang: ChartLang, digits: number) =>
  new Intl.NumberFormat(LOCALES[lang], { maximumFractionDigits: digits, minimumFractionDigits: 0 });

/** `to` is exclusive ("sent before"): the period ends the millisecond before. */
export function periodText(from: Date, to: Date, lang: ChartLang): string {
  const format = new Intl.DateTimeFormat(LOCALES[lang], {
    dateStyle: 'medium',
    timeZone: 'Europe/Luxembourg',
  });
  const end = new Date(Math.max(from.getTime(), to.getTime() - 1));
  return format.formatRange(from, end);
}

/** "2026-11-01" as "novembre 2026". */
export function monthText(month: string, lang: ChartLang): string {
  const date = new Date(`${month.slice(0, 10)}T12:00:00Z`);
  if (Number.isNaN(date.getTime())) return month;
  return new Intl.DateTimeFormat(LOCALES[lang], {
    month: 'long',
    year: 'numeric',
    timeZone: 'Europe/Luxembourg',
  }).format(date);
}

export const byName = (a: NetworkOrganisation, b: NetworkOrganisation) =>
  a.name.localeCompare(b.name, 'fr') || a.id.localeCompare(b.id);

/**
 * `s` cut with "…" to about `px` pixels at `size`. Vega's own `limit` estimates 0.8 em a
 * character without a canvas and cuts most names short; 0.58 em is nearer sans-serif's average.
 */
export function fit(raw: string, px: number, size: number): string {
  const s = clean(raw);
  const max = Math.max(4, Math.floor(px / (0.58 * size)));
  return s.length <= max ? s : `${s.slice(0, max - 1).trimEnd()}…`;
}

/** Without the control characters XML forbids (a name typed with one would break the SVG). */
const clean = (s: string) =>
  [...s].filter((ch) => ch >= ' ' || ch === '\t' || ch === '\n' || ch === '\r').join('');

const escapeXml = (s: string) => clean(s).replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);

export const round = (n: number) => Math.round(n * 100) / 100;

/** A text item of the `texts` data every chart draws. */
export interface TextItem {
  x: number;
  y: number;
  text: string | string[];
  size: number;
  weight: 'normal' | 'bold';
  style: 'normal' | 'italic';
  align: 'left' | 'center' | 'right';
  baseline: 'top' | 'middle' | 'bottom' | 'alphabetic';
  fill: string;
  angle: number;
}

export function text(
  x: number,
  y: number,
  content: string | string[],
  opts: Partial<TextItem> = {},
): TextItem {
  return {
    x,
    y,
    text: Array.isArray(content) ? content.map(clean) : clean(content),
    size: 11,
    weight: 'normal',
    style: 'normal',
    align: 'left',
    baseline: 'alphabetic',
    fill: INK,
    angle: 0,
    ...opts,
  };
}

/** Title and subtitle at the top left. */
export const heading = (title: string, subtitle: string): TextItem[] => [
  text(16, 26, title, { size: 16, weight: 'bold' }),
  text(16, 45, subtitle, { size: 11, fill: MUTED }),
];

// ---------------------------------------------------------------------------------------------
// Specs and rendering

/** A channel: the name of the datum's field it reads, or a value reference as Vega takes it. */
type Channel = string | NonNullable<EncodeEntry[string]>;

/** A mark drawing one item per datum of `data`, with these channels on entering. */
export function mark(type: Mark['type'], data: string, channels: Record<string, Channel>): Mark {
  const enter = Object.fromEntries(
    Object.entries(channels).map(([name, c]) => [name, typeof c === 'string' ? { field: c } : c]),
  );
  return { type, from: { data }, encode: { enter } };
}

/** The fields of a rectangle datum: corner, size, fill, outline and its dash. */
export const BOX: Record<string, Channel> = {
  x: 'x',
  y: 'y',
  width: 'w',
  height: 'h',
  fill: 'fill',
  stroke: 'stroke',
  strokeDash: 'dash',
};

const BASE = {
  $schema: 'https://vega.github.io/schema/vega/v6.json',
  padding: 0,
  autosize: 'none',
  background: 'white',
  config: {
    text: { font: FONT },
    axis: { labelFont: FONT, titleFont: FONT },
    title: { font: FONT },
    legend: { labelFont: FONT, titleFont: FONT },
  },
} as const;

/** The `texts` data (TextItem), drawn over everything else. */
const TEXTS = mark('text', 'texts', {
  x: 'x',
  y: 'y',
  text: 'text',
  font: { value: FONT },
  fontSize: 'size',
  fontWeight: 'weight',
  fontStyle: 'style',
  align: 'align',
  baseline: 'baseline',
  fill: 'fill',
  angle: 'angle',
  lineHeight: { signal: 'datum.size * 1.15' },
});

/** What a chart's spec says of its own: the rest is the common frame. */
type ChartSpec = Required<Pick<Spec, 'description' | 'data' | 'marks'>> & Pick<Spec, 'signals'>;

/** One picture of a chart: its size, accessible name and description, data and signals. */
interface Drawing {
  width: number;
  height: number;
  title: string;
  desc: string;
  data: Record<string, object[]> & { texts: TextItem[] };
  signals?: Record<string, unknown>;
}

/**
 * A chart drawn from `spec`: white, unpadded, sized by each drawing, in sans-serif, with the
 * `texts` data last. The spec is parsed on the first drawing; each drawing is a fresh View.
 */
export function vegaChart(spec: ChartSpec): (d: Drawing) => Promise<string> {
  const full: Spec = {
    ...BASE,
    ...spec,
    data: [...spec.data, { name: 'texts' }],
    marks: [...spec.marks, TEXTS],
  };
  let runtime: Runtime | undefined;
  return async (d) => {
    const { parse, View } = await loadVega();
    return render(View, (runtime ??= parse(full)), d);
  };
}

/**
 * Vega is loaded with the first chart drawn, not when the hub starts: imported, it holds ~8 MB of
 * heap and ~25 MB of resident memory (docs/NOTES.md), and most hubs draw no chart for hours.
 */
let vega: Promise<typeof Vega> | undefined;
const loadVega = () => (vega ??= import('vega'));

async function render(View: typeof Vega.View, runtime: Runtime, d: Drawing): Promise<string> {
  const view = new View(runtime, { renderer: 'none' });
  try {
    view.width(Math.ceil(d.width)).height(Math.ceil(d.height));
    for (const [name, value] of Object.entries(d.signals ?? {})) view.signal(name, value);
    for (const [name, values] of Object.entries(d.data)) view.data(name, values);
    return accessible(await view.toSVG(), d.title, d.desc);
  } finally {
    view.finalize();
  }
}

/**
 * The root element gets role="img", an accessible name, a <title> and a <desc>: the chart is one
 * image. The roles Vega gives the marks inside are dropped, so that they are not announced one by
 * one (axe: nested interactive/graphics roles inside an img).
 */
function accessible(svg: string, title: string, desc: string): string {
  const end = svg.indexOf('>');
  if (!svg.startsWith('<svg') || end < 0) throw new Error('network-charts: Vega returned no SVG');
  const root = svg.slice(0, end).replace(' class="marks"', '');
  const body = svg
    .slice(end + 1)
    .replace(/ (?:role="graphics-(?:symbol|object|document)"|aria-roledescription="[^"]*")/g, '');
  return (
    `${root} role="img" aria-label="${escapeXml(title)}" font-family="${FONT}">` +
    `<title>${escapeXml(title)}</title><desc>${escapeXml(desc)}</desc>${body}`
  );
}

// ---------------------------------------------------------------------------------------------
// Flows: who the nodes are, how much they weigh, how they are drawn

export interface FlowNode {
  org: NetworkOrganisation;
  /** Drawn size: sent + received, from published values (2.5 for each "< 5"). */
  volume: number;
  /** Every count behind the node is suppressed. */
  small: boolean;
  colour: string;
}

/** Edges between two different organisations (a pair with itself would draw nothing). */
export const drawableEdges = (flows: NetworkFlows): FlowEdge[] =>
  flows.edges.filter((e) => e.sender.id !== e.receiver.id);

/** The organisations of `edges`, the heaviest first, each with its colour. */
export function flowNodes(flows: NetworkFlows, edges: FlowEdge[]): FlowNode[] {
  const matrixIndex = new Map(flows.matrix.organisations.map((o, i) => [o.id, i]));
  const orgs = new Map<string, NetworkOrganisation>();
  for (const e of edges) {
    orgs.set(e.sender.id, e.sender);
    orgs.set(e.receiver.id, e.receiver);
  }
  const nodes = [...orgs.values()].map((org): Omit<FlowNode, 'colour'> => {
    const i = matrixIndex.get(org.id);
    const sent = i === undefined ? undefined : flows.matrix.sentTotals[i];
    const received = i === undefined ? undefined : flows.matrix.receivedTotals[i];
    if (sent && received)
      return {
        org,
        volume: drawnValue(sent) + drawnValue(received),
        small: !someReferrals(sent) && !someReferrals(received),
      };
    const own = edges.filter((e) => e.sender.id === org.id || e.receiver.id === org.id);
    return {
      org,
      volume: own.reduce((s, e) => s + drawnValue(e.sent), 0),
      small: !own.some((e) => someReferrals(e.sent)),
    };
  });
  nodes.sort((a, b) => b.volume - a.volume || byName(a.org, b.org));
  return nodes.map((n, i) => ({ ...n, colour: PALETTE[i % PALETTE.length] ?? INK }));
}

/** A node's fill, outline and dash: light grey, grey and dashed when all its counts are "< 5". */
export const nodeStyle = (small: boolean, colour: string, outline?: string) =>
  small
    ? { fill: '#e3e3e3', stroke: SUPPRESSED_INK, dash: DASH }
    : { fill: colour, stroke: outline, dash: undefined };

/** A flow's colour, opacity and dash: its own, or grey and dashed when it is shown as "< 5". */
export const flowStroke = (shown: boolean, colour: string, opacity: { shown: number; small: number }) =>
  shown
    ? { colour, opacity: opacity.shown, dash: undefined }
    : { colour: SUPPRESSED_INK, opacity: opacity.small, dash: DASH };

/** The flows' lines or bands: data with `path`, `width` and a `flowStroke`. */
export const flowPaths = (data: string) =>
  mark('path', data, {
    path: 'path',
    stroke: 'colour',
    strokeWidth: 'width',
    strokeOpacity: 'opacity',
    strokeDash: 'dash',
    strokeCap: { value: 'butt' },
  });
