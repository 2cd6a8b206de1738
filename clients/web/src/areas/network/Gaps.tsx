/**
 * Unmet needs in a month: the hub's map of the communes coloured by gap index (for one theme, or
 * the highest of any), and the widest gaps as a table, against the month before.
 */
import { useId, useState } from 'react';
import { useQuery } from 'urql';
import {
  ConsoleNetworkGapMapDocument,
  ConsoleNetworkGapsDocument,
  type ConsoleNetworkGapsQuery,
} from '../../../../generated/graphql.ts';
import { useApiLanguage, useLocale, useMessages } from '../../i18n/i18n.tsx';
import { Empty, QueryState } from '../../ui/states.tsx';
import { nm } from './network.messages.ts';
import { Answer, Chart, Count, TableFrame, useDecimal, useLanguageTag } from './parts.tsx';
import { monthName } from './period.ts';

type Cell = Extract<
  NonNullable<ConsoleNetworkGapsQuery['networkGaps']>,
  { __typename: 'QueryNetworkGapsSuccess' }
>['data']['cells'][number];

/** How many of the widest gaps the table lists. */
const TOP = 15;

export function Gaps({ month }: { month: string }) {
  const t = useMessages(nm);
  const tag = useLanguageTag();
  const lang = useApiLanguage();
  const id = useId();
  const [result, reexecute] = useQuery({ query: ConsoleNetworkGapsDocument, variables: { month, lang } });
  const retry = () => reexecute({ requestPolicy: 'network-only' });
  return (
    <section className="nw-section" aria-labelledby={id}>
      <h2 id={id}>{t.gapsTitle(monthName(month, tag))}</h2>
      <p className="nw-intro">{t.gapsIntro}</p>
      <QueryState result={result} retry={retry}>
        {(data) => (
          <Answer result={data.networkGaps} success="QueryNetworkGapsSuccess" onRetry={retry}>
            {(ok) =>
              ok.data.cells.length === 0 ? (
                <Empty>{t.noGaps}</Empty>
              ) : (
                <GapsBody month={month} cells={ok.data.cells} />
              )
            }
          </Answer>
        )}
      </QueryState>
    </section>
  );
}

function GapsBody({ month, cells }: { month: string; cells: readonly Cell[] }) {
  const t = useMessages(nm);
  const decimal = useDecimal();
  const id = useId();
  const [wanted, setTheme] = useState('');
  const themes = [...new Map(cells.map((c) => [c.theme.code, c.theme.label])).entries()].sort((a, b) =>
    a[1].localeCompare(b[1]),
  );
  // A theme chosen for another month may not be in this one.
  const theme = themes.some(([code]) => code === wanted) ? wanted : '';
  const top = cells.filter((c) => !theme || c.theme.code === theme).slice(0, TOP);
  return (
    <>
      <div className="nw-field">
        <label htmlFor={`${id}-theme`}>{t.mapTheme}</label>
        <select id={`${id}-theme`} value={theme} onChange={(e) => setTheme(e.target.value)}>
          <option value="">{t.allThemes}</option>
          {themes.map(([code, label]) => (
            <option key={code} value={code}>
              {label}
            </option>
          ))}
        </select>
      </div>
      <GapMap month={month} theme={theme} />
      <TableFrame label={t.gapsTable}>
        <table className="nw-gaps">
          <caption>{t.gapsCaption(top.length)}</caption>
          <thead>
            <tr>
              <th scope="col">{t.theme}</th>
              <th scope="col">{t.commune}</th>
              <th scope="col">{t.demand}</th>
              <th scope="col">{t.previousDemand}</th>
              <th scope="col">{t.offersWithRoom}</th>
              <th scope="col">{t.gapIndex}</th>
              <th scope="col">{t.previousGapIndex}</th>
            </tr>
          </thead>
          <tbody>
            {top.map((c) => (
              <tr key={`${c.theme.code}-${c.commune ?? ''}`}>
                <td>{c.theme.label}</td>
                <td>{c.commune ?? <span className="muted">{t.wholeCountry}</span>}</td>
                <td className="nw-n">
                  <Count count={c.demand.total} />
                </td>
                <td className="nw-n">
                  <Count count={c.previousDemand.total} />
                </td>
                <td className="nw-n">{decimal(c.offersWithRoom)}</td>
                <td className="nw-n">{decimal(c.gapIndex)}</td>
                <td className="nw-n">{decimal(c.previousGapIndex)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableFrame>
    </>
  );
}

function GapMap({ month, theme }: { month: string; theme: string }) {
  const lang = useApiLanguage();
  const { locale } = useLocale();
  const [map, reexecute] = useQuery({
    query: ConsoleNetworkGapMapDocument,
    variables: { month, lang, chartLang: locale, theme: theme || null },
  });
  const retry = () => reexecute({ requestPolicy: 'network-only' });
  return (
    <QueryState result={map} retry={retry}>
      {(data) => (
        <Answer result={data.networkGaps} success="QueryNetworkGapsSuccess" onRetry={retry}>
          {(ok) => <Chart className="nw-map" svg={ok.data.mapSvg} />}
        </Answer>
      )}
    </QueryState>
  );
}
