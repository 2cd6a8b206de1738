/**
 * The flows between organisations as a network diagram: the organisations on a circle, one
 * curved arrow per flow (see `flowNetworkSvg`).
 */
import { SMALL } from '../../referrals/referral-stats.disclosure.ts';
import type { NetworkFlows } from '../network.types.ts';
import {
  byName,
  countText,
  drawableEdges,
  drawnValue,
  fit,
  flowNodes,
  flowPaths,
  flowStroke,
  FONT,
  heading,
  INK,
  isShown,
  L,
  mark,
  MUTED,
  nodeStyle,
  NOMINAL_SMALL,
  periodText,
  round,
  text,
  vegaChart,
  type ChartOptions,
  type FlowNode,
  type TextItem,
} from './chart-kit.ts';

const drawNetwork = vegaChart({
  description: 'Referral flows between organisations',
  data: [{ name: 'edges' }, { name: 'arrows' }, { name: 'nodes' }, { name: 'halo' }],
  marks: [
    flowPaths('edges'),
    mark('path', 'arrows', { path: 'path', fill: 'colour', fillOpacity: 'opacity' }),
    mark('symbol', 'nodes', {
      x: 'x',
      y: 'y',
      shape: { value: 'circle' },
      size: 'size',
      fill: 'fill',
      fillOpacity: { value: 0.9 },
      stroke: 'stroke',
      strokeWidth: { value: 1.2 },
      strokeDash: 'dash',
    }),
    // A white outline under the flows' labels, so that they read over the lines.
    mark('text', 'halo', {
      x: 'x',
      y: 'y',
      text: 'text',
      font: { value: FONT },
      fontSize: 'size',
      align: { value: 'center' },
      baseline: { value: 'middle' },
      fill: { value: 'white' },
      stroke: { value: 'white' },
      strokeWidth: { value: 3 },
      strokeOpacity: { value: 0.9 },
    }),
  ],
});

/** How the flows' lines (and the legend's) are drawn. */
const EDGE_OPACITY = { shown: 0.5, small: 0.75 };

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
    const stroke = flowStroke(shown, s.colour, EDGE_OPACITY);
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
    edgeData.push({ path: `M${p(start)}Q${p(c)} ${p(base)}`, width: round(w), ...stroke });
    arrowData.push({
      path: `M${p(tip)}L${p({ x: base.x - into.y * half, y: base.y + into.x * half })}L${p({ x: base.x + into.y * half, y: base.y - into.x * half })}Z`,
      colour: stroke.colour,
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
    ...nodeStyle(nd.small, nd.colour, 'white'),
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
      width: round(edgeWidth(drawnValue(widest.sent))),
      ...flowStroke(true, INK, EDGE_OPACITY),
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
      width: round(edgeWidth(NOMINAL_SMALL)),
      ...flowStroke(false, INK, EDGE_OPACITY),
    });
    texts.push(text(lx + 44, legendTop, `${SMALL} ${L.referrals[lang]}`, { baseline: 'middle' }));
  }
  texts.push(text(16, legendTop + 26, [L.circleArea[lang], L.arrow[lang]], { size: 10, fill: MUTED }));

  const desc = {
    fr: `${n} organisations, ${edges.length} flux`,
    de: `${n} Organisationen, ${edges.length} Flüsse`,
    en: `${n} organisations, ${edges.length} flows`,
  }[lang];
  return drawNetwork({
    width,
    height,
    title: L.flowsTitle[lang],
    desc: `${desc}, ${periodText(flows.from, flows.to, lang)}`,
    data: { edges: [...edgeData, ...legendLines], arrows: arrowData, nodes: nodeData, halo, texts },
  });
}
