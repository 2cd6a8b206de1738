/**
 * The flows between organisations as a two-column Sankey: senders on the left, receivers on
 * the right, one band per flow (see `flowSankeySvg`).
 */
import type { FlowEdge, NetworkFlows, NetworkOrganisation, PublishedCount } from '../network.types.ts';
import {
  BOX,
  byName,
  countText,
  drawableEdges,
  drawnValue,
  fit,
  flowNodes,
  flowPaths,
  flowStroke,
  heading,
  INK,
  isShown,
  L,
  mark,
  MUTED,
  nodeStyle,
  periodText,
  round,
  someReferrals,
  text,
  vegaChart,
  type ChartOptions,
  type TextItem,
} from './chart-kit.ts';

const drawSankey = vegaChart({
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
  ],
  marks: [flowPaths('bands'), mark('rect', 'nodes', BOX)],
});

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
        ...nodeStyle(nd.small, colours.get(nd.org.id) ?? INK),
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
    bands.push({
      sx: leftX + nodeWidth,
      sy: round(sourceY.get(e) ?? top),
      tx: rightX,
      ty: round((r.ys.get(e.receiver.id) ?? top) + used + t / 2),
      width: round(t),
      ...flowStroke(isShown(e.sent), colours.get(e.sender.id) ?? INK, { shown: 0.45, small: 0.6 }),
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
  return drawSankey({
    width,
    height: bottom + 30,
    title: L.sankeyTitle[lang],
    desc: `${desc}, ${periodText(flows.from, flows.to, lang)}`,
    data: { bands, nodes, texts },
  });
}
