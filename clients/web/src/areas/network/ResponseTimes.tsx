/**
 * Response times of the period, per pair of organisations or per need theme: the hub's chart for
 * the chosen measure, and the same figures as a table (median and 90th percentile in working
 * days; "—" where too few referrals have the measure, next to how many have it).
 */
import { useId, useState } from 'react';
import { useQuery } from 'urql';
import {
  ConsoleNetworkResponseTimesChartDocument,
  ConsoleNetworkResponseTimesDocument,
  type ConsoleNetworkCountFragment,
  type ConsoleNetworkDurationFragment,
  type NetworkDurationMeasure,
} from '../../../../generated/graphql.ts';
import { useApiLanguage, useLocale, useMessages } from '../../i18n/i18n.tsx';
import { Empty, QueryState } from '../../ui/states.tsx';
import { nm } from './network.messages.ts';
import { Answer, Chart, Count, TableFrame, useDecimal } from './parts.tsx';
import type { Period } from './period.ts';

const MEASURES: readonly NetworkDurationMeasure[] = ['FIRST_ANSWER', 'ACCEPTANCE', 'COMPLETION'];
const FIELD = {
  FIRST_ANSWER: 'firstAnswer',
  ACCEPTANCE: 'acceptance',
  COMPLETION: 'completion',
} as const satisfies Record<NetworkDurationMeasure, string>;

interface Line {
  key: string;
  label: string;
  referrals: ConsoleNetworkCountFragment;
  firstAnswer: ConsoleNetworkDurationFragment;
  acceptance: ConsoleNetworkDurationFragment;
  completion: ConsoleNetworkDurationFragment;
}

export function ResponseTimes({ period }: { period: Period }) {
  const t = useMessages(nm);
  const lang = useApiLanguage();
  const id = useId();
  const [measure, setMeasure] = useState<NetworkDurationMeasure>('FIRST_ANSWER');
  const [byTheme, setByTheme] = useState(false);
  const [result, reexecute] = useQuery({
    query: ConsoleNetworkResponseTimesDocument,
    variables: { from: period.from, to: period.to, lang },
  });
  const retry = () => reexecute({ requestPolicy: 'network-only' });
  return (
    <section className="nw-section" aria-labelledby={id}>
      <h2 id={id}>{t.timesTitle}</h2>
      <p className="nw-intro">{t.timesIntro}</p>
      <div className="inline-form">
        <div className="nw-field">
          <label htmlFor={`${id}-measure`}>{t.measure}</label>
          <select
            id={`${id}-measure`}
            value={measure}
            onChange={(e) => setMeasure(e.target.value as NetworkDurationMeasure)}
          >
            {MEASURES.map((m) => (
              <option key={m} value={m}>
                {t[`measure_${m}`]}
              </option>
            ))}
          </select>
        </div>
        <div className="nw-field">
          <label htmlFor={`${id}-by`}>{t.groupBy}</label>
          <select
            id={`${id}-by`}
            value={byTheme ? 'themes' : 'pairs'}
            onChange={(e) => setByTheme(e.target.value === 'themes')}
          >
            <option value="pairs">{t.byPairs}</option>
            <option value="themes">{t.byThemes}</option>
          </select>
        </div>
      </div>
      <QueryState result={result} retry={retry}>
        {(data) => (
          <Answer
            result={data.networkResponseTimes}
            success="QueryNetworkResponseTimesSuccess"
            onRetry={retry}
          >
            {({ data: times }) => {
              const lines: Line[] = byTheme
                ? times.themes.map((x) => ({ ...x, key: x.theme.code, label: x.theme.label }))
                : times.pairs.map((p) => ({
                    ...p,
                    key: `${p.sender.id}-${p.receiver.id}`,
                    label: `${p.sender.name} → ${p.receiver.name}`,
                  }));
              if (lines.length === 0) return <Empty>{t.noTimes}</Empty>;
              return (
                <>
                  <TimesChart period={period} measure={measure} byTheme={byTheme} />
                  <TimesTable lines={lines} measure={measure} byTheme={byTheme} />
                </>
              );
            }}
          </Answer>
        )}
      </QueryState>
    </section>
  );
}

function TimesChart({
  period,
  measure,
  byTheme,
}: {
  period: Period;
  measure: NetworkDurationMeasure;
  byTheme: boolean;
}) {
  const lang = useApiLanguage();
  const { locale } = useLocale();
  const [chart, reexecute] = useQuery({
    query: ConsoleNetworkResponseTimesChartDocument,
    variables: { from: period.from, to: period.to, lang, chartLang: locale, measure, byTheme },
  });
  const retry = () => reexecute({ requestPolicy: 'network-only' });
  return (
    <QueryState result={chart} retry={retry}>
      {(data) => (
        <Answer result={data.networkResponseTimes} success="QueryNetworkResponseTimesSuccess" onRetry={retry}>
          {(ok) => <Chart className="nw-times-chart" svg={ok.data.chartSvg} />}
        </Answer>
      )}
    </QueryState>
  );
}

function TimesTable({
  lines,
  measure,
  byTheme,
}: {
  lines: Line[];
  measure: NetworkDurationMeasure;
  byTheme: boolean;
}) {
  const t = useMessages(nm);
  const decimal = useDecimal();
  const label = t[`measure_${measure}`];
  return (
    <TableFrame label={t.timesTitle}>
      <table className="nw-times">
        <caption>{t.timesCaption(label)}</caption>
        <thead>
          <tr>
            <th scope="col">{byTheme ? t.theme : t.pair}</th>
            <th scope="col">{t.referrals}</th>
            <th scope="col">{t.withMeasure}</th>
            <th scope="col">{t.median}</th>
            <th scope="col">{t.p90}</th>
          </tr>
        </thead>
        <tbody>
          {lines.map((line) => {
            const d = line[FIELD[measure]];
            return (
              <tr key={line.key}>
                <th scope="row">{line.label}</th>
                <td className="nw-n">
                  <Count count={line.referrals} />
                </td>
                <td className="nw-n">
                  <Count count={d.count} />
                </td>
                <td className="nw-n">{decimal(d.median)}</td>
                <td className="nw-n">{decimal(d.p90)}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </TableFrame>
  );
}
