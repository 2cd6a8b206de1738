/**
 * The network picture's charts as standalone SVG, drawn on the server: the flows between
 * organisations (a network diagram and a two-column Sankey), the gap map on a schematic grid of
 * the communes, and response times. Vega renders them headless (`new View(parse(spec), {
 * renderer: 'none' }).toSVG()`): no browser, no canvas. Each spec is parsed once per process;
 * a chart is a fresh View fed its data.
 *
 * The layout (circle positions, Sankey stacking, tiles, labels) is computed here, so that the
 * output is the same for the same input (the tests compare it); Vega draws the marks, routes the
 * Sankey's bands (`linkpath`) and owns the response times' scales and axis.
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
import { parse, View, type Runtime, type Spec } from 'vega';
import { canonicalCommune } from '../catalogue/communes.ts';
import { HIDDEN, SMALL } from '../referrals/referral-stats.disclosure.ts';
import { COMMUNE_TILES, GRID_COLS, GRID_ROWS } from './commune-grid.ts';
import type {
  DurationStats,
  FlowEdge,
  NetworkFlows,
  NetworkGaps,
  NetworkOrganisation,
  PublishedCount,
} from './network.types.ts';

export type ChartLang = 'fr' | 'de' | 'en';

export interface ChartOptions {
  lang: ChartLang;
}

type Texts = Readonly<Record<ChartLang, string>>;

const FONT = 'sans-serif';
const INK = '#222222';
const MUTED = '#666666';
/** What a count shown as "< 5" weighs in a drawing (the middle of 1–4). */
const NOMINAL_SMALL = 2.5;
const SUPPRESSED_INK = '#8a8a8a';
const DASH = [5, 3];
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

const L = {
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

const isShown = (c: PublishedCount): c is PublishedCount & { value: number } =>
  !c.suppressed && c.value !== null;

/** A count shown as a number above 0. */
const someReferrals = (c: PublishedCount) => isShown(c) && c.value > 0;

/** The size a count is drawn at: its published value, or 2.5 when suppressed. */
const drawnValue = (c: PublishedCount): number => (isShown(c) ? c.value : NOMINAL_SMALL);

/** What a count prints as: its published display; "< 5" (or "hidden") when suppressed. */
function countText(c: PublishedCount, lang: ChartLang): string {
  if (isShown(c)) return c.display;
  return c.display === HIDDEN ? L.hidden[lang] : SMALL;
}

const numberFormat = (lang: ChartLang, digits: number) =>
  new Intl.NumberFormat(LOCALES[lang], { maximumFractionDigits: digits, minimumFractionDigits: 0 });

/** `to` is exclusive ("sent before"): the period ends the millisecond before. */
function periodText(from: Date, to: Date, lang: ChartLang): string {
  const format = new Intl.DateTimeFormat(LOCALES[lang], {
    dateStyle: 'medium',
    timeZone: 'Europe/Luxembourg',
  });
  const end = new Date(Math.max(from.getTime(), to.getTime() - 1));
  return format.formatRange(from, end);
}

/** "2026-11-01" as "novembre 2026". */
function monthText(month: string, lang: ChartLang): string {
  const date = new Date(`${month.slice(0, 10)}T12:00:00Z`);
  if (Number.isNaN(date.getTime())) return month;
  return new Intl.DateTimeFormat(LOCALES[lang], {
    month: 'long',
    year: 'numeric',
    timeZone: 'Europe/Luxembourg',
  }).format(date);
}

const byName = (a: NetworkOrganisation, b: NetworkOrganisation) =>
  a.name.localeCompare(b.name, 'fr') || a.id.localeCompare(b.id);

/**
 * `s` cut with "…" to about `px` pixels at `size`. Vega's own `limit` estimates 0.8 em a
 * character without a canvas and cuts most names short; 0.58 em is nearer sans-serif's average.
 */
function fit(raw: string, px: number, size: number): string {
  const s = clean(raw);
  const max = Math.max(4, Math.floor(px / (0.58 * size)));
  return s.length <= max ? s : `${s.slice(0, max - 1).trimEnd()}…`;
}

/** Without the control characters XML forbids (a name typed with one would break the SVG). */
const clean = (s: string) =>
  [...s].filter((ch) => ch >= ' ' || ch === '\t' || ch === '\n' || ch === '\r').join('');

const escapeXml = (s: string) => clean(s).replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);

/** A text item of the `texts` data every spec draws. */
interface TextItem {
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

function text(x: number, y: number, content: string | string[], opts: Partial<TextItem> = {}): TextItem {
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
const heading = (title: string, subtitle: string): TextItem[] => [
  text(16, 26, title, { size: 16, weight: 'bold' }),
  text(16, 45, subtitle, { size: 11, fill: MUTED }),
];

const TEXT_MARK = (data: string) =>
  ({
    type: 'text',
    from: { data },
    encode: {
      enter: {
        x: { field: 'x' },
        y: { field: 'y' },
        text: { field: 'text' },
        font: { value: FONT },
        fontSize: { field: 'size' },
        fontWeight: { field: 'weight' },
        fontStyle: { field: 'style' },
        align: { field: 'align' },
        baseline: { field: 'baseline' },
        fill: { field: 'fill' },
        angle: { field: 'angle' },
        lineHeight: { signal: 'datum.size * 1.15' },
      },
    },
  }) as const;

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

/** A spec's runtime, parsed on first use. */
function parsedOnce(spec: Spec): () => Runtime {
  let runtime: Runtime | undefined;
  return () => (runtime ??= parse(spec));
}

interface Drawing {
  width: number;
  height: number;
  title: string;
  desc: string;
  data: Record<string, object[]>;
  signals?: Record<string, unknown>;
}

async function render(runtime: Runtime, d: Drawing): Promise<string> {
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

const round = (n: number) => Math.round(n * 100) / 100;

// ---------------------------------------------------------------------------------------------
// Flows: who the nodes are and how much they weigh

interface FlowNode {
  org: NetworkOrganisation;
  /** Drawn size: sent + received, from published values (2.5 for each "< 5"). */
  volume: number;
  /** Every count behind the node is suppressed. */
  small: boolean;
  colour: string;
}

/** Edges between two different organisations (a pair with itself would draw nothing). */
const drawableEdges = (flows: NetworkFlows): FlowEdge[] =>
  flows.edges.filter((e) => e.sender.id !== e.receiver.id);

function flowNodes(flows: NetworkFlows, edges: FlowEdge[]): FlowNode[] {
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

/** The published total an organisation sent or received, when there is one. */
function publishedTotal(
  flows: NetworkFlows,
  edges: FlowEdge[],
  org: NetworkOrganisation,
  side: 'sent' | 'received',
): PublishedCount | null {
  const i = flows.matrix.organisations.findIndex((o) => o.id === org.id);
  const total =
    i < 0 ? undefined : (side === 'sent' ? flows.matrix.sentTotals : flows.matrix.receivedTotals)[i];
  if (total) return total;
  const own = edges.filter((e) => (side === 'sent' ? e.sender : e.receiver).id === org.id);
  // One flow: its total is the organisation's. Several: no published sum to print.
  return own.length === 1 && own[0] ? own[0].sent : null;
}

// ---------------------------------------------------------------------------------------------
// Network diagram

const NETWORK_SPEC: Spec = {
  ...BASE,
  description: 'Referral flows between organisations',
  data: [{ name: 'edges' }, { name: 'arrows' }, { name: 'nodes' }, { name: 'halo' }, { name: 'texts' }],
  marks: [
    {
      type: 'path',
      from: { data: 'edges' },
      encode: {
        enter: {
          path: { field: 'path' },
          stroke: { field: 'colour' },
          strokeWidth: { field: 'width' },
          strokeOpacity: { field: 'opacity' },
          strokeDash: { field: 'dash' },
          strokeCap: { value: 'butt' },
        },
      },
    },
    {
      type: 'path',
      from: { data: 'arrows' },
      encode: {
        enter: { path: { field: 'path' }, fill: { field: 'colour' }, fillOpacity: { field: 'opacity' } },
      },
    },
    {
      type: 'symbol',
      from: { data: 'nodes' },
      encode: {
        enter: {
          x: { field: 'x' },
          y: { field: 'y' },
          shape: { value: 'circle' },
          size: { field: 'size' },
          fill: { field: 'fill' },
          fillOpacity: { value: 0.9 },
          stroke: { field: 'stroke' },
          strokeWidth: { value: 1.2 },
          strokeDash: { field: 'dash' },
        },
      },
    },
    {
      // A white outline under the flows' labels, so that they read over the lines.
      type: 'text',
      from: { data: 'halo' },
      encode: {
        enter: {
          x: { field: 'x' },
          y: { field: 'y' },
          text: { field: 'text' },
          font: { value: FONT },
          fontSize: { field: 'size' },
          align: { value: 'center' },
          baseline: { value: 'middle' },
          fill: { value: 'white' },
          stroke: { value: 'white' },
          strokeWidth: { value: 3 },
          strokeOpacity: { value: 0.9 },
        },
      },
    },
    TEXT_MARK('texts'),
  ],
};
const networkRuntime = parsedOnce(NETWORK_SPEC);

interface Point {
  x: number;
  y: number;
}
const unit = (dx: number, dy: number): Point => {
  const len = Math.hypot(dx, dy) || 1;
  return { x: dx / len, y: dy / len };
};
const p = (pt: Point) => `${round(pt.x)},${round(pt.y)}`;

/** Edge labels are drawn when there are at most this many edges (past it they only clutter). */
const MAX_LABELLED_EDGES = 40;

/**
 * The flows as a network: organisations on a circle, clockwise from the top by volume (sent +
 * received), circle area by that volume; one curved arrow per flow, width by the flow's total,
 * bent to its left so that the two directions of a pair stay apart. Flows shown as "< 5" are
 * thin, grey and dashed. Deterministic: same input, same SVG.
 */
export async function flowNetworkSvg(flows: NetworkFlows, opts: ChartOptions): Promise<string> {
  const { lang } = opts;
  const edges = drawableEdges(flows);
  const nodes = flowNodes(flows, edges);
  const R = 210; // the circle the nodes sit on
  const labelRoom = 170;
  const width = 2 * (R + labelRoom + 40);
  const top = 70;
  const cx = width / 2;
  const cy = top + R + labelRoom + 10;
  const legendTop = cy + R + labelRoom + 10;
  const height = legendTop + 60;

  const n = nodes.length;
  const chord = n > 1 ? 2 * R * Math.sin(Math.PI / n) : 2 * R;
  const maxRadius = Math.max(6, Math.min(32, 0.42 * chord));
  const maxVolume = Math.max(...nodes.map((nd) => nd.volume), NOMINAL_SMALL);
  const placed = new Map<string, FlowNode & Point & { r: number; angle: number }>();
  nodes.forEach((nd, i) => {
    const angle = -Math.PI / 2 + (2 * Math.PI * i) / Math.max(n, 1);
    const r = Math.max(3, maxRadius * Math.sqrt(nd.volume / maxVolume));
    const at = n === 1 ? { x: cx, y: cy } : { x: cx + R * Math.cos(angle), y: cy + R * Math.sin(angle) };
    placed.set(nd.org.id, { ...nd, ...at, r, angle });
  });

  const maxSent = Math.max(...edges.map((e) => drawnValue(e.sent)), NOMINAL_SMALL);
  const edgeWidth = (v: number) => 0.8 + 9 * (v / maxSent);
  const edgeData: object[] = [];
  const arrowData: object[] = [];
  const halo: object[] = [];
  const texts: TextItem[] = [];
  const labelEdges = edges.length <= MAX_LABELLED_EDGES;
  // Thick flows first, so that thin ones stay visible on top.
  const ordered = [...edges].sort(
    (a, b) =>
      drawnValue(b.sent) - drawnValue(a.sent) || byName(a.sender, b.sender) || byName(a.receiver, b.receiver),
  );
  for (const e of ordered) {
    const s = placed.get(e.sender.id);
    const t = placed.get(e.receiver.id);
    if (!s || !t) continue;
    const shown = isShown(e.sent);
    const w = edgeWidth(drawnValue(e.sent));
    const colour = shown ? s.colour : SUPPRESSED_INK;
    const opacity = shown ? 0.5 : 0.75;
    const d = unit(t.x - s.x, t.y - s.y);
    const len = Math.hypot(t.x - s.x, t.y - s.y);
    const bend = 0.16 * len;
    const c = { x: (s.x + t.x) / 2 + d.y * bend, y: (s.y + t.y) / 2 - d.x * bend };
    const out = unit(c.x - s.x, c.y - s.y);
    const start = { x: s.x + out.x * (s.r + 1), y: s.y + out.y * (s.r + 1) };
    const into = unit(t.x - c.x, t.y - c.y);
    const tip = { x: t.x - into.x * (t.r + 1.5), y: t.y - into.y * (t.r + 1.5) };
    const arrowLength = 6 + 0.8 * w;
    const half = 3 + 0.55 * w;
    const base = { x: tip.x - into.x * arrowLength, y: tip.y - into.y * arrowLength };
    edgeData.push({
      path: `M${p(start)}Q${p(c)} ${p(base)}`,
      colour,
      width: round(w),
      opacity,
      dash: shown ? undefined : DASH,
    });
    arrowData.push({
      path: `M${p(tip)}L${p({ x: base.x - into.y * half, y: base.y + into.x * half })}L${p({ x: base.x + into.y * half, y: base.y - into.x * half })}Z`,
      colour,
      opacity: shown ? 0.85 : 0.9,
    });
    if (labelEdges) {
      const mid = {
        x: 0.25 * start.x + 0.5 * c.x + 0.25 * base.x,
        y: 0.25 * start.y + 0.5 * c.y + 0.25 * base.y,
      };
      const label = countText(e.sent, lang);
      halo.push({ x: round(mid.x), y: round(mid.y), text: label, size: 9 });
      texts.push(
        text(round(mid.x), round(mid.y), label, {
          size: 9,
          align: 'center',
          baseline: 'middle',
          fill: shown ? INK : MUTED,
          style: shown ? 'normal' : 'italic',
        }),
      );
    }
  }

  const nodeData = [...placed.values()].map((nd) => ({
    x: round(nd.x),
    y: round(nd.y),
    size: round(Math.PI * nd.r * nd.r),
    fill: nd.small ? '#e3e3e3' : nd.colour,
    stroke: nd.small ? SUPPRESSED_INK : 'white',
    dash: nd.small ? DASH : undefined,
  }));
  for (const nd of placed.values()) {
    // Radial labels, read left to right on both halves of the circle.
    const right = Math.cos(nd.angle) >= -1e-9;
    const reach = nd.r + 6;
    const deg = (nd.angle * 180) / Math.PI;
    texts.push(
      n === 1
        ? text(nd.x, nd.y + nd.r + 14, fit(nd.org.name, 2 * labelRoom, 11), { align: 'center' })
        : text(
            round(nd.x + reach * Math.cos(nd.angle)),
            round(nd.y + reach * Math.sin(nd.angle)),
            fit(nd.org.name, labelRoom - nd.r, 11),
            {
              align: right ? 'left' : 'right',
              baseline: 'middle',
              angle: round(right ? deg : deg + 180),
              fill: nd.small ? MUTED : INK,
            },
          ),
    );
  }

  texts.push(...heading(L.flowsTitle[lang], periodText(flows.from, flows.to, lang)));
  if (n === 0) texts.push(text(cx, cy, L.noFlows[lang], { align: 'center', size: 13, fill: MUTED }));
  // Legend: the widest flow, a flow shown as "< 5", what circles and arrows mean.
  const widest = ordered.find((e) => isShown(e.sent));
  const legendLines: object[] = [];
  let lx = 16;
  if (widest) {
    legendLines.push({
      path: `M${lx},${legendTop}h36`,
      colour: INK,
      width: round(edgeWidth(drawnValue(widest.sent))),
      opacity: 0.5,
    });
    texts.push(
      text(lx + 44, legendTop, `${countText(widest.sent, lang)} ${L.referrals[lang]}`, {
        baseline: 'middle',
      }),
    );
    lx += 190;
  }
  if (edges.some((e) => !isShown(e.sent))) {
    legendLines.push({
      path: `M${lx},${legendTop}h36`,
      colour: SUPPRESSED_INK,
      width: round(edgeWidth(NOMINAL_SMALL)),
      opacity: 0.75,
      dash: DASH,
    });
    texts.push(text(lx + 44, legendTop, `${SMALL} ${L.referrals[lang]}`, { baseline: 'middle' }));
  }
  texts.push(text(16, legendTop + 26, [L.circleArea[lang], L.arrow[lang]], { size: 10, fill: MUTED }));

  const desc = {
    fr: `${n} organisations, ${edges.length} flux`,
    de: `${n} Organisationen, ${edges.length} Flüsse`,
    en: `${n} organisations, ${edges.length} flows`,
  }[lang];
  return render(networkRuntime(), {
    width,
    height,
    title: L.flowsTitle[lang],
    desc: `${desc}, ${periodText(flows.from, flows.to, lang)}`,
    data: { edges: [...edgeData, ...legendLines], arrows: arrowData, nodes: nodeData, halo, texts },
  });
}

// ---------------------------------------------------------------------------------------------
// Sankey

const SANKEY_SPEC: Spec = {
  ...BASE,
  description: 'Referrals: who refers to whom',
  data: [
    {
      name: 'bands',
      transform: [
        {
          type: 'linkpath',
          orient: 'horizontal',
          shape: 'diagonal',
          sourceX: 'sx',
          sourceY: 'sy',
          targetX: 'tx',
          targetY: 'ty',
        },
      ],
    },
    { name: 'nodes' },
    { name: 'texts' },
  ],
  marks: [
    {
      type: 'path',
      from: { data: 'bands' },
      encode: {
        enter: {
          path: { field: 'path' },
          stroke: { field: 'colour' },
          strokeWidth: { field: 'width' },
          strokeOpacity: { field: 'opacity' },
          strokeDash: { field: 'dash' },
          strokeCap: { value: 'butt' },
        },
      },
    },
    {
      type: 'rect',
      from: { data: 'nodes' },
      encode: {
        enter: {
          x: { field: 'x' },
          y: { field: 'y' },
          width: { field: 'w' },
          height: { field: 'h' },
          fill: { field: 'fill' },
          stroke: { field: 'stroke' },
          strokeDash: { field: 'dash' },
        },
      },
    },
    TEXT_MARK('texts'),
  ],
};
const sankeyRuntime = parsedOnce(SANKEY_SPEC);

/**
 * The flows as a two-column Sankey: senders on the left, receivers on the right, each band as
 * wide as the flow's published total (2.5 when "< 5", then grey and dashed). Nodes are stacked
 * here, largest first; bands leave a sender in the order of their receivers and reach a receiver
 * in the order of their senders, which keeps crossings down. Each node is labelled with its
 * name and its published total (the flow matrix's).
 */
export async function flowSankeySvg(flows: NetworkFlows, opts: ChartOptions): Promise<string> {
  const { lang } = opts;
  const edges = drawableEdges(flows);
  const colours = new Map(flowNodes(flows, edges).map((nd) => [nd.org.id, nd.colour]));
  const side = (key: 'sender' | 'receiver') => {
    const sums = new Map<string, { org: NetworkOrganisation; volume: number; small: boolean }>();
    for (const e of edges) {
      const org = e[key];
      const node = sums.get(org.id) ?? { org, volume: 0, small: true };
      node.volume += drawnValue(e.sent);
      node.small &&= !someReferrals(e.sent);
      sums.set(org.id, node);
    }
    return [...sums.values()].sort((a, b) => b.volume - a.volume || byName(a.org, b.org));
  };
  const left = side('sender');
  const right = side('receiver');
  const leftIndex = new Map(left.map((nd, i) => [nd.org.id, i]));
  const rightIndex = new Map(right.map((nd, i) => [nd.org.id, i]));
  const total = edges.reduce((s, e) => s + drawnValue(e.sent), 0);

  const width = 900;
  const nodeWidth = 14;
  const labelRoom = 250;
  const leftX = labelRoom + 10;
  const rightX = width - labelRoom - 10 - nodeWidth;
  const top = 90;
  const gap = 8;
  const minSlot = 16; // room for a label
  const rows = Math.max(left.length, right.length, 1);
  const k = total > 0 ? (Math.min(900, Math.max(240, rows * 30)) - gap * (rows - 1)) / total : 0;
  const thickness = (e: FlowEdge) => Math.max(1, k * drawnValue(e.sent));

  const nodes: object[] = [];
  const texts: TextItem[] = [];
  const positions = (list: typeof left, x: number, labelSide: 'sent' | 'received') => {
    const ys = new Map<string, number>();
    let y = top;
    for (const nd of list) {
      const own = edges.filter((e) => (labelSide === 'sent' ? e.sender : e.receiver).id === nd.org.id);
      const h = Math.max(
        2,
        own.reduce((s, e) => s + thickness(e), 0),
      );
      const slot = Math.max(h, minSlot);
      const y0 = y + (slot - h) / 2;
      ys.set(nd.org.id, y0);
      nodes.push({
        x: x,
        y: round(y0),
        w: nodeWidth,
        h: round(h),
        fill: nd.small ? '#e3e3e3' : (colours.get(nd.org.id) ?? INK),
        stroke: nd.small ? SUPPRESSED_INK : undefined,
        dash: nd.small ? DASH : undefined,
      });
      const totalCount = publishedTotal(flows, edges, nd.org, labelSide);
      const suffix = totalCount ? ` (${countText(totalCount, lang)})` : '';
      // The name is cut, never the total.
      const label = fit(nd.org.name, labelRoom - 10 - 0.58 * 11 * suffix.length, 11) + suffix;
      texts.push(
        labelSide === 'sent'
          ? text(x - 6, round(y0 + h / 2), label, { align: 'right', baseline: 'middle' })
          : text(x + nodeWidth + 6, round(y0 + h / 2), label, { baseline: 'middle' }),
      );
      y += slot + gap;
    }
    return { ys, bottom: y };
  };
  const l = positions(left, leftX, 'sent');
  const r = positions(right, rightX, 'received');

  // Stack the bands inside their nodes.
  const outOffset = new Map<string, number>();
  const inOffset = new Map<string, number>();
  const bands: object[] = [];
  const bySource = [...edges].sort(
    (a, b) =>
      (leftIndex.get(a.sender.id) ?? 0) - (leftIndex.get(b.sender.id) ?? 0) ||
      (rightIndex.get(a.receiver.id) ?? 0) - (rightIndex.get(b.receiver.id) ?? 0),
  );
  const sourceY = new Map<FlowEdge, number>();
  for (const e of bySource) {
    const t = thickness(e);
    const used = outOffset.get(e.sender.id) ?? 0;
    sourceY.set(e, (l.ys.get(e.sender.id) ?? top) + used + t / 2);
    outOffset.set(e.sender.id, used + t);
  }
  const byTarget = [...edges].sort(
    (a, b) =>
      (rightIndex.get(a.receiver.id) ?? 0) - (rightIndex.get(b.receiver.id) ?? 0) ||
      (leftIndex.get(a.sender.id) ?? 0) - (leftIndex.get(b.sender.id) ?? 0),
  );
  for (const e of byTarget) {
    const t = thickness(e);
    const used = inOffset.get(e.receiver.id) ?? 0;
    const shown = isShown(e.sent);
    bands.push({
      sx: leftX + nodeWidth,
      sy: round(sourceY.get(e) ?? top),
      tx: rightX,
      ty: round((r.ys.get(e.receiver.id) ?? top) + used + t / 2),
      width: round(t),
      colour: shown ? (colours.get(e.sender.id) ?? INK) : SUPPRESSED_INK,
      opacity: shown ? 0.45 : 0.6,
      dash: shown ? undefined : DASH,
    });
    inOffset.set(e.receiver.id, used + t);
  }
  // Wide bands under narrow ones.
  bands.sort((a, b) => (b as { width: number }).width - (a as { width: number }).width);

  texts.push(...heading(L.sankeyTitle[lang], periodText(flows.from, flows.to, lang)));
  texts.push(
    text(leftX + nodeWidth, top - 14, L.senders[lang], { align: 'right', weight: 'bold', size: 12 }),
  );
  texts.push(text(rightX, top - 14, L.receivers[lang], { weight: 'bold', size: 12 }));
  const bottom = Math.max(l.bottom, r.bottom, top + 40);
  if (edges.length === 0)
    texts.push(text(width / 2, top + 20, L.noFlows[lang], { align: 'center', fill: MUTED }));
  if (edges.some((e) => !isShown(e.sent)))
    texts.push(text(16, bottom + 12, L.smallBands[lang], { size: 10, fill: MUTED }));

  const desc = {
    fr: `${left.length} organisations qui orientent, ${right.length} qui reçoivent, ${edges.length} flux`,
    de: `${left.length} vermittelnde, ${right.length} aufnehmende Organisationen, ${edges.length} Flüsse`,
    en: `${left.length} referring and ${right.length} receiving organisations, ${edges.length} flows`,
  }[lang];
  return render(sankeyRuntime(), {
    width,
    height: bottom + 30,
    title: L.sankeyTitle[lang],
    desc: `${desc}, ${periodText(flows.from, flows.to, lang)}`,
    data: { bands, nodes, texts },
  });
}

// ---------------------------------------------------------------------------------------------
// Gap map

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

const GAP_SPEC: Spec = {
  ...BASE,
  description: 'Unmet demand by commune',
  data: [{ name: 'tiles' }, { name: 'hatch' }, { name: 'lines' }, { name: 'texts' }],
  marks: [
    {
      type: 'rect',
      from: { data: 'tiles' },
      encode: {
        enter: {
          x: { field: 'x' },
          y: { field: 'y' },
          width: { field: 'w' },
          height: { field: 'h' },
          fill: { field: 'fill' },
          stroke: { field: 'stroke' },
          strokeWidth: { field: 'strokeWidth' },
          strokeDash: { field: 'dash' },
        },
      },
    },
    {
      type: 'path',
      from: { data: 'hatch' },
      encode: {
        enter: {
          x: { field: 'x' },
          y: { field: 'y' },
          path: { field: 'path' },
          stroke: { value: SUPPRESSED.stroke },
          strokeWidth: { value: 1 },
          strokeOpacity: { value: 0.45 },
        },
      },
    },
    {
      type: 'path',
      from: { data: 'lines' },
      encode: {
        enter: {
          path: { field: 'path' },
          stroke: { value: '#333333' },
          strokeWidth: { field: 'width' },
          strokeCap: { value: 'square' },
        },
      },
    },
    TEXT_MARK('texts'),
  ],
};
const gapRuntime = parsedOnce(GAP_SPEC);

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
  return render(gapRuntime(), {
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

// ---------------------------------------------------------------------------------------------
// Response times

const TIMES_SPEC: Spec = {
  ...BASE,
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
    { name: 'texts' },
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
        {
          type: 'rect',
          from: { data: 'p90s' },
          encode: {
            enter: {
              x: { scale: 'x', value: 0 },
              x2: { scale: 'x', field: 'p90' },
              yc: { scale: 'y', field: 'key', band: 0.5 },
              height: { value: 3 },
              fill: { value: '#9aa9b8' },
            },
          },
        },
        {
          type: 'rect',
          from: { data: 'p90s' },
          encode: {
            enter: {
              xc: { scale: 'x', field: 'p90' },
              width: { value: 2 },
              yc: { scale: 'y', field: 'key', band: 0.5 },
              height: { value: 14 },
              fill: { value: '#52606d' },
            },
          },
        },
        {
          type: 'rect',
          from: { data: 'medians' },
          encode: {
            enter: {
              x: { scale: 'x', value: 0 },
              x2: { scale: 'x', field: 'median' },
              yc: { scale: 'y', field: 'key', band: 0.5 },
              height: { value: 10 },
              fill: { value: '#4e79a7' },
            },
          },
        },
        {
          type: 'text',
          from: { data: 'rows' },
          encode: {
            enter: {
              x: { value: -8 },
              y: { scale: 'y', field: 'key', band: 0.5 },
              text: { field: 'label' },
              font: { value: FONT },
              fontSize: { value: 11 },
              align: { value: 'right' },
              baseline: { value: 'middle' },
              fill: { value: INK },
            },
          },
        },
        {
          type: 'text',
          from: { data: 'rows' },
          encode: {
            enter: {
              x: { scale: 'x', field: 'end', offset: 6 },
              y: { scale: 'y', field: 'key', band: 0.5 },
              text: { field: 'value' },
              font: { value: FONT },
              fontSize: { value: 10 },
              fontStyle: { field: 'style' },
              baseline: { value: 'middle' },
              fill: { field: 'fill' },
            },
          },
        },
      ],
    },
    TEXT_MARK('texts'),
  ],
};
const timesRuntime = parsedOnce(TIMES_SPEC);

/**
 * Response times as horizontal bars: the median in working days, a thin line and a tick to the
 * 90th percentile, and the figures beside them. A row without a median (fewer than 5 referrals)
 * reads "< 5" when its count is shown as such, else "n/a".
 */
/** Rows a response-times chart shows by default: the slowest. */
export const RESPONSE_TIME_ROWS = 30;

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
  return render(timesRuntime(), {
    width,
    height: plotTop + plotHeight + 50,
    title: opts.title,
    desc,
    signals: { plotLeft, plotTop, plotWidth, plotHeight, xMax, xTitle: L.workingDays[lang] },
    data: { rows: data, texts },
  });
}
