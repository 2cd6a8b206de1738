/**
 * The network picture's SVG charts, from small hand-made inputs: each is one well-formed <svg>
 * with role="img", a <title>, sizes and no script; it names the organisations or communes, prints
 * a suppressed count as "< 5", and never prints a value that is only behind a "< 5" (the inputs
 * below hide such values in `value` on purpose: a chart must not read them).
 */
import { describe, expect, it } from '@jest/globals';
import { COMMUNES } from '../../src/modules/catalogue/communes.ts';
import {
  flowNetworkSvg,
  flowSankeySvg,
  gapMapSvg,
  responseTimesSvg,
  tileLabel,
} from '../../src/modules/network/network-charts.ts';
import type {
  DurationStats,
  FlowEdge,
  GapCell,
  NetworkFlows,
  NetworkGaps,
  NetworkOrganisation,
  PublishedCount,
} from '../../src/modules/network/network.types.ts';

// ---------------------------------------------------------------------------------------------
// Inputs

const shown = (value: number): PublishedCount => ({ value, display: String(value), suppressed: false });
/**
 * "< 5" with a value that must never come out (published counts carry null there). 4: no
 * other number the small charts below print (counts of organisations, flows, communes).
 */
const LEAK = 4;
const small = (hidden = LEAK): PublishedCount => ({ value: hidden, display: '< 5', suppressed: true });
const ZERO = shown(0);

const org = (id: string, name: string): NetworkOrganisation => ({ id, slug: id, name });
const alpha = org('a', 'Alpha Aide sociale');
const beta = org('b', 'Beta Logement');
const gamma = org('c', 'G&F <script>1</script>');

const edge = (
  sender: NetworkOrganisation,
  receiver: NetworkOrganisation,
  sent: PublishedCount,
): FlowEdge => ({
  sender,
  receiver,
  sent,
  pending: ZERO,
  accepted: ZERO,
  completed: sent,
  declined: ZERO,
  cancelled: ZERO,
  declines: [],
});

const flows: NetworkFlows = {
  from: new Date('2026-01-01T00:00:00+01:00'),
  to: new Date('2026-04-01T00:00:00+02:00'),
  refreshedAt: null,
  limitedTo: null,
  edges: [edge(alpha, beta, shown(25)), edge(beta, alpha, small()), edge(alpha, gamma, shown(10))],
  matrix: {
    organisations: [alpha, beta, gamma],
    cells: [
      [null, shown(25), shown(10)],
      [small(), null, ZERO],
      [ZERO, ZERO, null],
    ],
    sentTotals: [shown(35), small(), ZERO],
    receivedTotals: [small(), shown(25), shown(10)],
  },
};

const demand = (total: PublishedCount) => ({ searches: total, matches: ZERO, declines: ZERO, total });
const cell = (
  code: string,
  commune: string | null,
  total: PublishedCount,
  offersWithRoom: number,
  gapIndex: number | null,
): GapCell => ({
  theme: { code, label: code === 'HOUSING' ? 'Logement' : 'Emploi' },
  commune,
  demand: demand(total),
  previousDemand: demand(ZERO),
  offers: offersWithRoom,
  freePlaces: 0,
  offersWithRoom,
  previousOffersWithRoom: null,
  gapIndex,
  previousGapIndex: null,
});
const gaps: NetworkGaps = {
  month: '2026-11-01',
  previousMonth: '2026-10-01',
  supplyReadAt: new Date('2026-11-20T10:00:00Z'),
  previousSupplyReadAt: null,
  cells: [
    cell('HOUSING', 'Esch-sur-Alzette', shown(10), 4, 2.5),
    cell('JOBS', 'esch sur alzette', shown(45), 5, 9), // spelt loosely: still Esch-sur-Alzette
    cell('HOUSING', 'Clervaux', small(), 0, null),
    cell('HOUSING', 'Luxembourg', shown(5), 0, 5),
    cell('HOUSING', 'Atlantis', shown(50), 0, 50), // not a commune: left out
  ],
};

const times = (count: PublishedCount, median: number | null, p90: number | null): DurationStats => ({
  count,
  median,
  p90,
});
const rows = [
  { label: 'Alpha → Beta', times: times(shown(25), 3, 8) },
  { label: 'Beta → Alpha', times: times(small(), null, null) },
  { label: 'Alpha → Gamma', times: times(ZERO, null, null) },
];

// ---------------------------------------------------------------------------------------------
// Reading the SVG back

const ENTITY = /&(?:amp|lt|gt|quot|apos|#\d+|#x[0-9a-f]+);/gi;
const decode = (s: string) =>
  s.replace(ENTITY, (e) => {
    const named: Record<string, string> = {
      '&amp;': '&',
      '&lt;': '<',
      '&gt;': '>',
      '&quot;': '"',
      '&apos;': "'",
    };
    if (named[e]) return named[e];
    const hex = e.startsWith('&#x') || e.startsWith('&#X');
    return String.fromCodePoint(parseInt(e.slice(hex ? 3 : 2, -1), hex ? 16 : 10));
  });

/** Checks that `svg` is one well-formed XML element (tags nested, attributes quoted and unique, entities known). */
function expectWellFormed(svg: string): void {
  const tag = /<(\/?)([A-Za-z][\w:.-]*)((?:\s+[\w:.-]+="[^"<]*")*)\s*(\/?)>/y;
  const bareAmpersand = (s: string) => s.replace(ENTITY, '').includes('&');
  const problems: string[] = [];
  const stack: string[] = [];
  let roots = 0;
  let i = 0;
  while (i < svg.length) {
    const lt = svg.indexOf('<', i);
    const between = svg.slice(i, lt < 0 ? svg.length : lt);
    if (bareAmpersand(between)) problems.push(`bare & in ${between}`);
    if (stack.length === 0 && between.trim() !== '') problems.push(`text outside the root: ${between}`);
    if (lt < 0) break;
    tag.lastIndex = lt;
    const m = tag.exec(svg);
    if (!m) {
      problems.push(`not a tag at ${lt}: ${svg.slice(lt, lt + 80)}`);
      break;
    }
    const [, closing, name = '', attrs = '', selfClosing] = m;
    const names = [...attrs.matchAll(/([\w:.-]+)="([^"]*)"/g)].map((a) => {
      if (bareAmpersand(a[2] ?? '')) problems.push(`bare & in ${a[0]}`);
      return a[1];
    });
    if (new Set(names).size !== names.length) problems.push(`repeated attribute in <${name}${attrs}>`);
    if (closing) {
      const open = stack.pop();
      if (open !== name) problems.push(`</${name}> closes <${open}>`);
    } else {
      if (stack.length === 0) roots++;
      if (!selfClosing) stack.push(name);
    }
    i = tag.lastIndex;
  }
  expect({ problems, unclosed: stack, roots }).toEqual({ problems: [], unclosed: [], roots: 1 });
}

/** Every text the chart prints: <text> (lines joined by "\n"), <title>, <desc>, aria-label. */
function printed(svg: string): string[] {
  const texts = [...svg.matchAll(/<text\b[^>]*>([\s\S]*?)<\/text>/g)].map((m) =>
    (m[1] ?? '')
      .replace(/<tspan\b[^>]*>/g, '\n')
      .replace(/<\/tspan>/g, '')
      .trim(),
  );
  const other = [...svg.matchAll(/<(title|desc)>([\s\S]*?)<\/\1>|aria-label="([^"]*)"/g)].map(
    (m) => m[2] ?? m[3] ?? '',
  );
  // Intl puts narrow no-break spaces in dates and numbers: plain spaces here.
  return [...texts, ...other].map((s) => decode(s).replace(/[^\S\n]/g, ' '));
}

function expectStandalone(svg: string, title: string): void {
  expect(svg.startsWith('<svg')).toBe(true);
  expect(svg).not.toMatch(/<script/i);
  expectWellFormed(svg);
  const root = svg.slice(0, svg.indexOf('>'));
  expect(root).toContain('xmlns="http://www.w3.org/2000/svg"');
  expect(root).toContain('role="img"');
  expect(root).toMatch(/ width="\d+" height="\d+" viewBox="0 0 \d+ \d+"/);
  expect(svg).toContain(`<title>${title}</title>`);
  expect(svg).toContain('sans-serif');
}

/** No printed text holds `n` as a number of its own. */
const expectNotPrinted = (svg: string, n: number) =>
  expect(printed(svg).filter((s) => new RegExp(`(^|[^\\d.,])${n}($|[^\\d.,])`).test(s))).toEqual([]);

// ---------------------------------------------------------------------------------------------

describe('flowNetworkSvg', () => {
  it('draws the organisations and their flows, "< 5" for a small one', async () => {
    const svg = await flowNetworkSvg(flows, { lang: 'fr' });
    expectStandalone(svg, 'Flux d’orientations entre organisations');
    const texts = printed(svg);
    for (const o of [alpha, beta, gamma]) expect(texts).toContain(o.name);
    expect(texts).toContain('25');
    expect(texts).toContain('< 5');
    expect(texts).toContain('1 janv. – 31 mars 2026');
    expectNotPrinted(svg, LEAK);
    // The small flow is dashed.
    expect(svg).toContain('stroke-dasharray="5,3"');
  });

  it('is the same SVG for the same flows, in each language', async () => {
    expect(await flowNetworkSvg(flows, { lang: 'de' })).toBe(await flowNetworkSvg(flows, { lang: 'de' }));
    expect(await flowNetworkSvg(flows, { lang: 'de' })).toContain(
      '<title>Vermittlungsflüsse zwischen Organisationen</title>',
    );
    expect(await flowNetworkSvg(flows, { lang: 'en' })).toContain(
      '<title>Referral flows between organisations</title>',
    );
  });

  it('says so when there are no flows', async () => {
    const none = {
      ...flows,
      edges: [],
      matrix: { organisations: [], cells: [], sentTotals: [], receivedTotals: [] },
    };
    const svg = await flowNetworkSvg(none, { lang: 'en' });
    expectStandalone(svg, 'Referral flows between organisations');
    expect(printed(svg)).toContain('No flows in the period');
  });
});

describe('flowSankeySvg', () => {
  it('labels senders and receivers with their published totals, "< 5" included', async () => {
    const svg = await flowSankeySvg(flows, { lang: 'fr' });
    expectStandalone(svg, 'Orientations : qui oriente vers qui');
    const texts = printed(svg);
    expect(texts).toContain('Alpha Aide sociale (35)');
    expect(texts).toContain('Beta Logement (< 5)');
    expect(texts).toContain('Beta Logement (25)');
    expect(texts).toContain('Alpha Aide sociale (< 5)');
    expect(texts).toContain(`${gamma.name} (10)`);
    expect(texts).toContain('Organisations qui orientent');
    expectNotPrinted(svg, LEAK);
    // Three bands, routed by Vega's linkpath (cubic curves), the small one dashed.
    expect(svg.match(/<path [^>]*d="M[\d.,-]+C[^"]*"[^>]*stroke-width=/g)).toHaveLength(3);
    expect(svg).toContain('stroke-dasharray="5,3"');
  });

  it('cuts a long name, never the total', async () => {
    const long = org(
      'l',
      'Fondation pour l’accueil et l’accompagnement des personnes en grande détresse sociale',
    );
    const svg = await flowSankeySvg(
      { ...flows, edges: [edge(long, beta, shown(15))], matrix: { ...flows.matrix, organisations: [] } },
      { lang: 'en' },
    );
    const label = printed(svg).find((s) => s.startsWith('Fondation'));
    expect(label).toMatch(/^Fondation .*… \(15\)$/);
  });
});

describe('gapMapSvg', () => {
  it('colours the communes by the theme’s gap index, "< 5" where the demand is suppressed', async () => {
    const svg = await gapMapSvg(gaps, 'HOUSING', { lang: 'fr' });
    expectStandalone(svg, 'Demande non couverte par commune — Logement');
    const texts = printed(svg);
    expect(texts).toContain('Esch-sur-\nAlzette');
    expect(texts).toContain('Clervaux');
    expect(texts).toContain('2,5');
    expect(texts).toContain('< 5');
    expect(texts).toContain('novembre 2026');
    expect(texts).not.toContain('9');
    expect(texts.some((s) => s.includes('Atlantis'))).toBe(false);
    expectNotPrinted(svg, LEAK);
    // Every commune has its tile.
    expect(COMMUNES.filter((c) => !texts.includes(tileLabel(c).join('\n')))).toEqual([]);
  });

  it('takes the highest index over the themes when no theme is asked', async () => {
    const svg = await gapMapSvg(gaps, null, { lang: 'en' });
    expectStandalone(svg, 'Unmet demand by commune — all themes (highest)');
    const texts = printed(svg);
    expect(texts).toContain('9');
    expect(texts).not.toContain('2.5');
    expect(texts).toContain('< 5');
    expect(texts).toContain('Gap index');
    expectNotPrinted(svg, LEAK);
  });

  it('gives the searches without a commune their own tile', async () => {
    const national = { ...gaps, cells: [...gaps.cells, cell('HOUSING', null, shown(20), 2, 10)] };
    expect(printed(await gapMapSvg(gaps, 'HOUSING', { lang: 'de' }))).not.toContain('Ohne\nGemeinde');
    expect(printed(await gapMapSvg(national, 'HOUSING', { lang: 'de' }))).toContain('Ohne\nGemeinde');
  });

  it('abbreviates long commune names on two lines', () => {
    expect(tileLabel('Wiltz')).toEqual(['Wiltz']);
    expect(tileLabel('Lac de la Haute-Sûre')).toEqual(['Lac de la', 'Haute-Sûre']);
    expect(tileLabel('Erpeldange-sur-Sûre')).toEqual(['Erpeldange-', 'sur-Sûre']);
    for (const commune of COMMUNES)
      for (const line of tileLabel(commune)) expect([commune, line.length <= 13]).toEqual([commune, true]);
  });
});

describe('responseTimesSvg', () => {
  it('draws medians and 90th percentiles in working days, "< 5" or "n/a" without a median', async () => {
    const svg = await responseTimesSvg(rows, { lang: 'fr', title: 'Délai de première réponse' });
    expectStandalone(svg, 'Délai de première réponse');
    const texts = printed(svg);
    for (const { label } of rows) expect(texts).toContain(label);
    expect(texts).toContain('méd. 3 · P90 8 · n = 25');
    expect(texts).toContain('< 5');
    expect(texts).toContain('n.d.');
    expect(texts).toContain('Jours ouvrés');
    expect(printed(await responseTimesSvg(rows, { lang: 'de', title: 'Antwortzeit' }))).toContain(
      'Arbeitstage',
    );
    const en = printed(await responseTimesSvg(rows, { lang: 'en', title: 'First answer' }));
    expect(en).toContain('Working days');
    expect(en).toContain('n/a');
  });

  it('renders an empty list', async () => {
    const svg = await responseTimesSvg([], { lang: 'en', title: 'First answer' });
    expectStandalone(svg, 'First answer');
    expect(printed(svg)).toContain('No data');
  });
});

describe('any names', () => {
  it('keep the SVG well-formed: markup escaped, control characters dropped', async () => {
    const odd = org('x', 'Bell\u0007 & "Quotes" <b>');
    const svgs = [
      await flowNetworkSvg({ ...flows, edges: [edge(odd, alpha, shown(5))] }, { lang: 'fr' }),
      await flowSankeySvg({ ...flows, edges: [edge(odd, alpha, shown(5))] }, { lang: 'fr' }),
      await responseTimesSvg([{ label: odd.name, times: times(shown(5), 1, 2) }], {
        lang: 'fr',
        title: odd.name,
      }),
    ];
    for (const svg of svgs) {
      expectWellFormed(svg);
      expect(svg).not.toContain('\u0007');
      expect(printed(svg).some((s) => s.startsWith('Bell & "Quotes" <b>'))).toBe(true);
    }
  });
});

describe('a network of realistic size', () => {
  // 20 organisations, 150 flows, 100 communes × 20 themes: everything renders (the time is for
  // bench/, not asserted here).
  const orgs = Array.from({ length: 20 }, (_, i) => org(`o${i}`, `Organisation ${i}`));
  const edges: FlowEdge[] = [];
  for (let i = 0; i < 20 && edges.length < 150; i++)
    for (let j = 0; j < 20 && edges.length < 150; j++)
      if (i !== j && (i * 7 + j * 3) % 5 !== 0)
        edges.push(edge(orgs[i]!, orgs[j]!, (i + j) % 4 === 0 ? small(2) : shown(5 * ((i * j) % 30) + 5)));
  const big: NetworkFlows = {
    ...flows,
    edges,
    matrix: {
      organisations: orgs,
      cells: [],
      sentTotals: orgs.map((_, i) => shown(100 + 5 * i)),
      receivedTotals: orgs.map((_, i) => (i === 19 ? small(4) : shown(300 - 5 * i))),
    },
  };
  const manyGaps: NetworkGaps = {
    ...gaps,
    cells: COMMUNES.flatMap((commune, c) =>
      Array.from({ length: 20 }, (_, t) =>
        (c + t) % 9 === 0
          ? cell(`T${t}`, commune, small(1), 1, null)
          : cell(`T${t}`, commune, shown(5 * ((c * t) % 7)), (c + t) % 4, ((c * t) % 7) / 2),
      ),
    ),
  };

  it('renders each chart', async () => {
    expect(edges).toHaveLength(150);
    for (const svg of [
      await flowNetworkSvg(big, { lang: 'fr' }),
      await flowSankeySvg(big, { lang: 'fr' }),
      await gapMapSvg(manyGaps, null, { lang: 'fr' }),
      await gapMapSvg(manyGaps, 'T3', { lang: 'fr' }),
      await responseTimesSvg(
        orgs.map((o, i) => ({ label: o.name, times: times(shown(20), i / 2, i) })),
        { lang: 'fr', title: 'Délais' },
      ),
    ]) {
      expect(svg.startsWith('<svg')).toBe(true);
      expectWellFormed(svg);
    }
  });
});
