/**
 * The network's statistics as files, with `Authorization: Bearer <token>`:
 *
 * - `/network/flows.csv?from=…&to=…`: one line per pair of organisations (the edges); without
 *   `from` and `to`, the 365 days up to now, as in GraphQL;
 * - `/network/response-times.csv?from=…&to=…`: per pair, then per need theme;
 * - `/network/gaps.csv?month=YYYY-MM`: demand against supply per theme and commune;
 * - `/network/report.html?month=YYYY-MM`: the monthly report, one printable page (the pictures
 *   as inline SVG, the tables), no script (CSP). Without `month`: the month before this one.
 *
 * The same figures, rules and log as GraphQL (network-stats.service.ts): counts as published
 * ("< 5", rounded to 5), the viewer's scope, a `StatisticsQueryLog` row per file. Nobody outside
 * an organisation gets them (403); a token that is not valid 401. `lang` (fr|de|en, else
 * Accept-Language) names the report's words and the themes. `Cache-Control: no-store`.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { DeclineReason } from '../generated/prisma/enums.ts';
import {
  flowNetworkSvg,
  flowSankeySvg,
  gapMapSvg,
  responseTimesSvg,
} from '../modules/network/network-charts.ts';
import {
  asStatisticsQuery,
  monthOf,
  monthPeriod,
  networkFlows,
  networkGaps,
  networkResponseTimes,
  periodOf,
  previousMonth,
  type StatisticsFormat,
  type StatisticsQuery,
} from '../modules/network/network-stats.service.ts';
import type {
  DurationStats,
  NetworkFlows,
  NetworkGaps,
  NetworkResponseTimes,
} from '../modules/network/network.types.ts';
import type { Database } from '../shared/db/client.ts';
import { DomainError, ForbiddenError, InvalidInputError } from '../shared/errors.ts';
import type { Logger } from '../shared/logger.ts';
import {
  answerFailure,
  BadRequest,
  bearerViewer,
  languageParam,
  param,
  problem,
  writeCsv,
  type BearerOptions,
} from './bearer-files.ts';
import { html, trusted, type Html, PRINTABLE_PAGE_CSP } from './html.ts';
import { typesetFrench } from '../../clients/typography.ts';

export const NETWORK_FILE_PATH = /^\/network\/(flows\.csv|response-times\.csv|gaps\.csv|report\.html)$/;

export interface NetworkFilesOptions extends BearerOptions {
  db: Pick<Database, 'sql'>;
  logger: Logger;
}

type Lang = 'fr' | 'de' | 'en';
const LANGS: readonly Lang[] = ['fr', 'de', 'en'];
const REASONS = Object.values(DeclineReason);

function dateParam(url: URL, name: string): Date | null {
  const raw = param(url, name);
  if (raw === undefined || raw === '') return null;
  const at = new Date(raw);
  if (Number.isNaN(at.getTime()))
    throw new BadRequest(
      name,
      `Query parameter "${name}" must be a date-time (ISO 8601), e.g. 2026-11-01T00:00:00+01:00.`,
    );
  return at;
}

/** Answers a request for one of the network's files. */
export async function handleNetworkFiles(
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  opts: NetworkFilesOptions,
): Promise<void> {
  const match = NETWORK_FILE_PATH.exec(url.pathname);
  if (!match) return problem(res, 404, 'Nothing at this address.');
  const file = match[1] as 'flows.csv' | 'response-times.csv' | 'gaps.csv' | 'report.html';
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    return problem(res, 405, `Method ${req.method} not allowed: these files are read-only.`, {
      headers: { allow: 'GET, HEAD' },
    });
  }
  try {
    const lang = languageParam(url, req, LANGS);
    const viewer = await bearerViewer(req, res, opts);
    if (viewer === undefined) return;
    const ask = <T>(
      query: StatisticsQuery,
      format: StatisticsFormat,
      from: Date | null,
      to: Date | null,
      answer: Parameters<typeof asStatisticsQuery<T>>[4],
    ) => asStatisticsQuery(opts.db, opts.logger, viewer, { query, format, from, to }, answer);
    const headers = {
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
      'content-language': lang,
    };
    const csvHeaders = (name: string) => ({
      ...headers,
      'content-type': 'text/csv; charset=utf-8; header=present',
      'content-disposition': `attachment; filename="${name}"`,
    });
    if (file === 'flows.csv' || file === 'response-times.csv') {
      const { from, to } = periodOf({ from: dateParam(url, 'from'), to: dateParam(url, 'to') });
      const day = (d: Date) => d.toISOString().slice(0, 10);
      if (file === 'flows.csv') {
        const flows = await ask('FLOWS', 'CSV', from, to, (scope) => networkFlows(opts.db, scope, from, to));
        res.writeHead(200, csvHeaders(`maillage-flows-${day(from)}-${day(to)}.csv`));
        if (req.method === 'HEAD') return void res.end();
        return await writeCsv(res, FLOW_COLUMNS, once(flows.edges), (e) => [
          e.sender.name,
          e.receiver.name,
          e.sent.display,
          e.pending.display,
          e.accepted.display,
          e.completed.display,
          e.declined.display,
          e.cancelled.display,
          ...REASONS.map((r) => e.declines.find((d) => d.reason === r)?.count.display ?? '0'),
        ]);
      }
      const times = await ask('RESPONSE_TIMES', 'CSV', from, to, (scope) =>
        networkResponseTimes(opts.db, scope, from, to, [lang]),
      );
      res.writeHead(200, csvHeaders(`maillage-response-times-${day(from)}-${day(to)}.csv`));
      if (req.method === 'HEAD') return void res.end();
      const rows = [
        ...times.pairs.map((p) => ({
          kind: 'pair',
          sender: p.sender.name,
          receiver: p.receiver.name,
          theme: '',
          t: p,
        })),
        ...times.themes.map((x) => ({ kind: 'theme', sender: '', receiver: '', theme: x.theme.code, t: x })),
      ];
      const d = (x: DurationStats) => [x.count.display, num(x.median), num(x.p90)];
      return await writeCsv(res, TIME_COLUMNS, once(rows), (r) => [
        r.kind,
        r.sender,
        r.receiver,
        r.theme,
        r.t.referrals.display,
        ...d(r.t.firstAnswer),
        ...d(r.t.acceptance),
        ...d(r.t.completion),
      ]);
    }
    const month = param(url, 'month') ?? previousMonth(monthOf(new Date()));
    if (file === 'gaps.csv') {
      const gaps = await ask('GAPS', 'CSV', null, null, () => networkGaps(opts.db, month, [lang]));
      res.writeHead(200, csvHeaders(`maillage-gaps-${month}.csv`));
      if (req.method === 'HEAD') return void res.end();
      return await writeCsv(res, GAP_COLUMNS, once(gaps.cells), (c) => [
        c.theme.code,
        c.theme.label,
        c.commune ?? '',
        c.demand.total.display,
        c.demand.searches.display,
        c.demand.matches.display,
        c.demand.declines.display,
        c.previousDemand.total.display,
        num(c.offers),
        num(c.freePlaces),
        num(c.offersWithRoom),
        num(c.previousOffersWithRoom),
        num(c.gapIndex),
        num(c.previousGapIndex),
      ]);
    }
    const { from, to } = monthPeriod(month);
    const report = await ask('REPORT', 'HTML', from, to, async (scope) => {
      const [flows, times, gaps] = await Promise.all([
        networkFlows(opts.db, scope, from, to),
        networkResponseTimes(opts.db, scope, from, to, [lang]),
        networkGaps(opts.db, month, [lang]),
      ]);
      return reportPage({ lang, month, flows, times, gaps });
    });
    res.writeHead(200, {
      ...headers,
      'content-type': 'text/html; charset=utf-8',
      'content-security-policy': PRINTABLE_PAGE_CSP,
    });
    if (req.method === 'HEAD') return void res.end();
    res.end(report.toString());
  } catch (err) {
    if (err instanceof ForbiddenError) return problem(res, 403, err.message);
    if (err instanceof InvalidInputError) {
      const detail = err.fields.map((f) => f.message).join(' ');
      return problem(res, 400, `${err.message} ${detail}`.trim(), { parameter: err.fields[0]?.path.at(-1) });
    }
    if (err instanceof DomainError) return problem(res, 400, err.message);
    answerFailure(res, err);
  }
}

/** Rows already in memory (a few hundred at most), as writeCsv's one batch. */
const once = <Row>(rows: Row[]): Row[][] => [rows];

const num = (x: number | null) => (x === null ? '' : String(x));

const FLOW_COLUMNS = [
  'sender',
  'receiver',
  'sent',
  'pending',
  'accepted',
  'completed',
  'declined',
  'cancelled',
  ...REASONS.map((r) => `declined_${r.toLowerCase()}`),
];
const TIME_COLUMNS = [
  'kind',
  'sender',
  'receiver',
  'theme',
  'referrals',
  ...['first_answer', 'acceptance', 'completion'].flatMap((m) => [
    `${m}_count`,
    `${m}_median_days`,
    `${m}_p90_days`,
  ]),
];
const GAP_COLUMNS = [
  'theme',
  'theme_label',
  'commune',
  'demand',
  'searches',
  'matches',
  'declines',
  'previous_demand',
  'offers',
  'free_places',
  'offers_with_room',
  'previous_offers_with_room',
  'gap_index',
  'previous_gap_index',
];

const WORDS = {
  fr: typesetFrench({
    title: 'Le réseau en un mois',
    flows: 'Qui oriente vers qui',
    times: 'Délais de réponse (jours ouvrés)',
    gaps: 'Besoins non couverts',
    sender: 'Envoyeur',
    receiver: 'Destinataire',
    sent: 'Envoyées',
    accepted: 'Acceptées',
    completed: 'Terminées',
    declined: 'Refusées',
    pending: 'En attente',
    firstAnswer: 'Première réponse',
    acceptance: 'Acceptation',
    completion: 'Clôture',
    median: 'médiane',
    theme: 'Thème',
    commune: 'Commune',
    wholeCountry: 'tout le pays',
    demand: 'Demande',
    before: 'mois précédent',
    offers: 'Offres avec place',
    index: 'Indice',
    scope: 'Paires impliquant',
    whole: 'Tout le réseau',
    privacy:
      'Comptages seulement, jamais de personne : de 1 à 4 affiché « < 5 », les autres arrondis à 5 ; médianes sur 5 orientations au moins, 90e centile sur 10.',
    refreshed: 'Données à jour au',
    none: 'Rien sur la période.',
  }),
  de: {
    title: 'Das Netzwerk in einem Monat',
    flows: 'Wer vermittelt an wen',
    times: 'Antwortzeiten (Arbeitstage)',
    gaps: 'Ungedeckter Bedarf',
    sender: 'Absender',
    receiver: 'Empfänger',
    sent: 'Gesendet',
    accepted: 'Angenommen',
    completed: 'Abgeschlossen',
    declined: 'Abgelehnt',
    pending: 'Offen',
    firstAnswer: 'Erste Antwort',
    acceptance: 'Annahme',
    completion: 'Abschluss',
    median: 'Median',
    theme: 'Thema',
    commune: 'Gemeinde',
    wholeCountry: 'ganzes Land',
    demand: 'Bedarf',
    before: 'Vormonat',
    offers: 'Angebote mit Platz',
    index: 'Index',
    scope: 'Paare mit',
    whole: 'Ganzes Netzwerk',
    privacy:
      'Nur Zählungen, nie Personen: 1 bis 4 als „< 5“, andere auf 5 gerundet; Mediane ab 5 Vermittlungen, 90. Perzentil ab 10.',
    refreshed: 'Daten vom',
    none: 'Nichts in diesem Zeitraum.',
  },
  en: {
    title: 'The network in a month',
    flows: 'Who refers to whom',
    times: 'Response times (working days)',
    gaps: 'Unmet needs',
    sender: 'Sender',
    receiver: 'Receiver',
    sent: 'Sent',
    accepted: 'Accepted',
    completed: 'Completed',
    declined: 'Declined',
    pending: 'Pending',
    firstAnswer: 'First answer',
    acceptance: 'Acceptance',
    completion: 'Completion',
    median: 'median',
    theme: 'Theme',
    commune: 'Commune',
    wholeCountry: 'whole country',
    demand: 'Demand',
    before: 'month before',
    offers: 'Offers with room',
    index: 'Index',
    scope: 'Pairs involving',
    whole: 'Whole network',
    privacy:
      'Counts only, never a person: 1 to 4 shown as "< 5", others rounded to 5; medians over 5 referrals or more, 90th percentile over 10.',
    refreshed: 'Figures as of',
    none: 'Nothing in this period.',
  },
} as const;

const MONTH_NAME = { fr: 'fr-LU', de: 'de-LU', en: 'en-GB' } as const;

async function reportPage(r: {
  lang: Lang;
  month: string;
  flows: NetworkFlows;
  times: NetworkResponseTimes;
  gaps: NetworkGaps;
}): Promise<Html> {
  const w = WORDS[r.lang];
  const { from } = monthPeriod(r.month);
  const monthName = new Intl.DateTimeFormat(MONTH_NAME[r.lang], {
    month: 'long',
    year: 'numeric',
    timeZone: 'Europe/Luxembourg',
  }).format(from);
  const opts = { lang: r.lang };
  const [diagram, sankey, timesChart, map] = await Promise.all([
    flowNetworkSvg(r.flows, opts),
    flowSankeySvg(r.flows, opts),
    responseTimesSvg(
      r.times.pairs.map((p) => ({ label: `${p.sender.name} → ${p.receiver.name}`, times: p.firstAnswer })),
      { ...opts, title: w.firstAnswer },
    ),
    gapMapSvg(r.gaps, null, opts),
  ]);
  const scope = r.flows.limitedTo ? `${w.scope} ${r.flows.limitedTo.map((o) => o.name).join(', ')}` : w.whole;
  const refreshed = r.flows.refreshedAt
    ? new Intl.DateTimeFormat(MONTH_NAME[r.lang], {
        dateStyle: 'long',
        timeStyle: 'short',
        timeZone: 'Europe/Luxembourg',
      }).format(r.flows.refreshedAt)
    : '—';
  const d = (x: DurationStats) =>
    x.median === null ? x.count.display : `${x.median}${x.p90 === null ? '' : ` / ${x.p90}`}`;
  return html`<!doctype html>
    <html lang="${r.lang}">
      <head>
        <meta charset="utf-8" />
        <title>Maillage — ${w.title} — ${monthName}</title>
        <style>
          body {
            font-family: system-ui, sans-serif;
            margin: 2rem;
            color: #1b1b1b;
          }
          h1 {
            font-size: 1.6rem;
            margin: 0 0 0.2rem;
          }
          h2 {
            font-size: 1.2rem;
            margin-top: 2rem;
            break-after: avoid;
          }
          .meta {
            color: #555;
            margin: 0 0 1rem;
          }
          table {
            border-collapse: collapse;
            margin: 0.5rem 0 1rem;
            font-size: 0.85rem;
          }
          th,
          td {
            border: 1px solid #ccc;
            padding: 0.2rem 0.5rem;
            text-align: left;
          }
          td.n {
            text-align: right;
          }
          figure {
            margin: 1rem 0;
            break-inside: avoid;
          }
          svg {
            max-width: 100%;
            height: auto;
          }
          .charts {
            display: flex;
            flex-wrap: wrap;
            gap: 1rem;
          }
          @page {
            size: A4;
            margin: 1.5cm;
          }
          @media print {
            body {
              margin: 0;
            }
            section {
              break-inside: auto;
            }
          }
        </style>
      </head>
      <body>
        <h1>${w.title} — ${monthName}</h1>
        <p class="meta">${scope}. ${w.refreshed} ${refreshed}.</p>
        <p class="meta">${w.privacy}</p>
        <section>
          <h2>${w.flows}</h2>
          ${
            r.flows.edges.length === 0
              ? html`<p>${w.none}</p>`
              : html`<div class="charts">
                    <figure>${trusted(sankey)}</figure>
                    <figure>${trusted(diagram)}</figure>
                  </div>
                  <table>
                    <thead>
                      <tr>
                        <th>${w.sender}</th>
                        <th>${w.receiver}</th>
                        <th>${w.sent}</th>
                        <th>${w.pending}</th>
                        <th>${w.accepted}</th>
                        <th>${w.completed}</th>
                        <th>${w.declined}</th>
                      </tr>
                    </thead>
                    <tbody>
                      ${r.flows.edges.map(
                        (e) =>
                          html`<tr>
                            <td>${e.sender.name}</td>
                            <td>${e.receiver.name}</td>
                            <td class="n">${e.sent.display}</td>
                            <td class="n">${e.pending.display}</td>
                            <td class="n">${e.accepted.display}</td>
                            <td class="n">${e.completed.display}</td>
                            <td class="n">${e.declined.display}</td>
                          </tr>`,
                      )}
                    </tbody>
                  </table>`
          }
        </section>
        <section>
          <h2>${w.times}</h2>
          ${
            r.times.pairs.length === 0
              ? html`<p>${w.none}</p>`
              : html`<figure>${trusted(timesChart)}</figure>
                  <table>
                    <thead>
                      <tr>
                        <th>${w.sender}</th>
                        <th>${w.receiver}</th>
                        <th>${w.sent}</th>
                        <th>${w.firstAnswer} (${w.median} / p90)</th>
                        <th>${w.acceptance}</th>
                        <th>${w.completion}</th>
                      </tr>
                    </thead>
                    <tbody>
                      ${r.times.pairs.map(
                        (p) =>
                          html`<tr>
                            <td>${p.sender.name}</td>
                            <td>${p.receiver.name}</td>
                            <td class="n">${p.referrals.display}</td>
                            <td class="n">${d(p.firstAnswer)}</td>
                            <td class="n">${d(p.acceptance)}</td>
                            <td class="n">${d(p.completion)}</td>
                          </tr>`,
                      )}
                    </tbody>
                  </table>`
          }
        </section>
        <section>
          <h2>${w.gaps}</h2>
          ${
            r.gaps.cells.length === 0
              ? html`<p>${w.none}</p>`
              : html`<figure>${trusted(map)}</figure>
                  <table>
                    <thead>
                      <tr>
                        <th>${w.theme}</th>
                        <th>${w.commune}</th>
                        <th>${w.demand}</th>
                        <th>${w.before}</th>
                        <th>${w.offers}</th>
                        <th>${w.index}</th>
                      </tr>
                    </thead>
                    <tbody>
                      ${r.gaps.cells.slice(0, 30).map(
                        (c) =>
                          html`<tr>
                            <td>${c.theme.label}</td>
                            <td>${c.commune ?? w.wholeCountry}</td>
                            <td class="n">${c.demand.total.display}</td>
                            <td class="n">${c.previousDemand.total.display}</td>
                            <td class="n">${num(c.offersWithRoom)}</td>
                            <td class="n">${num(c.gapIndex)}</td>
                          </tr>`,
                      )}
                    </tbody>
                  </table>`
          }
        </section>
      </body>
    </html>`;
}
