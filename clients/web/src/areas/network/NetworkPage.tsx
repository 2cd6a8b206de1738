/**
 * The network's picture (issue 16), for every member of an organisation: who refers to whom
 * (a Sankey, a network diagram, the matrix and the pairs), response times, unmet needs per theme
 * and commune, and the same figures as files. The hub decides the scope (hub admins and network
 * coordinators: the whole network; other members: the pairs involving their organisation) and
 * publishes every count already protected ("< 5", rounded to 5): the page prints `display` and
 * never computes with a count. The charts are SVG drawn by the hub, without script.
 */
import { useId, useState } from 'react';
import { useQuery } from 'urql';
import { useSearchParams } from 'wouter';
import { ConsoleNetworkFlowsDocument, type ConsoleNetworkFlowsQuery } from '../../../../generated/graphql.ts';
import { useFormat, useLocale, useMessages } from '../../i18n/i18n.tsx';
import { Page } from '../../ui/Page.tsx';
import { Empty, QueryState } from '../../ui/states.tsx';
import { NetworkFiles } from './Files.tsx';
import { Gaps } from './Gaps.tsx';
import { nm } from './network.messages.ts';
import { Answer, Chart, Count, TableFrame, useLanguageTag } from './parts.tsx';
import { LAST_12, monthName, offeredMonths, periodOf } from './period.ts';
import { ResponseTimes } from './ResponseTimes.tsx';

type Flows = Extract<
  NonNullable<ConsoleNetworkFlowsQuery['networkFlows']>,
  { __typename: 'QueryNetworkFlowsSuccess' }
>['data'];

export default function NetworkPage() {
  const t = useMessages(nm);
  const { locale } = useLocale();
  const [params, setParams] = useSearchParams();
  // The months offered, and the default (the last full one), as of the page's opening.
  const [now] = useState(() => new Date());
  const period = periodOf(params.get('period'), now);
  const flowsId = useId();
  const [flows, reexecute] = useQuery({
    query: ConsoleNetworkFlowsDocument,
    variables: { from: period.from, to: period.to, chartLang: locale },
  });
  const retry = () => reexecute({ requestPolicy: 'network-only' });
  const answer = flows.data?.networkFlows;
  const shown = answer?.__typename === 'QueryNetworkFlowsSuccess' ? answer.data : null;
  return (
    <Page title={t.title}>
      <p className="nw-intro">{t.intro}</p>
      <PeriodPicker now={now} value={period.key} onChange={(key) => setParams({ period: key })} />
      {shown && <Scope flows={shown} />}

      <section className="nw-section" aria-labelledby={flowsId}>
        <h2 id={flowsId}>{t.flowsTitle}</h2>
        <QueryState result={flows} retry={retry}>
          {(data) => (
            <Answer result={data.networkFlows} success="QueryNetworkFlowsSuccess" onRetry={retry}>
              {(ok) => <FlowsBody flows={ok.data} />}
            </Answer>
          )}
        </QueryState>
      </section>

      <ResponseTimes period={period} />
      <Gaps month={period.month} />
      <NetworkFiles period={period} />
    </Page>
  );
}

function PeriodPicker({
  now,
  value,
  onChange,
}: {
  now: Date;
  value: string;
  onChange: (key: string) => void;
}) {
  const t = useMessages(nm);
  const tag = useLanguageTag();
  const id = useId();
  return (
    <div className="nw-field nw-period">
      <label htmlFor={id}>{t.period}</label>
      <select id={id} value={value} onChange={(e) => onChange(e.target.value)}>
        <option value={LAST_12}>{t.last12}</option>
        {offeredMonths(now).map((month, i) => (
          <option key={month} value={month}>
            {i === 0 ? t.inProgress(monthName(month, tag)) : monthName(month, tag)}
          </option>
        ))}
      </select>
    </div>
  );
}

/** Whose pairs the figures cover, and how fresh they are. */
function Scope({ flows }: { flows: Flows }) {
  const t = useMessages(nm);
  const fmt = useFormat();
  return (
    <div className="nw-scope">
      <p className="nw-scope-who">
        {flows.wholeNetwork || !flows.limitedTo
          ? t.wholeNetwork
          : t.pairsInvolving(flows.limitedTo.map((o) => o.name).join(', '))}
      </p>
      <p className="muted">
        {flows.refreshedAt ? t.refreshedAt(fmt.dateTime(flows.refreshedAt)) : t.notRefreshed}
      </p>
    </div>
  );
}

function FlowsBody({ flows }: { flows: Flows }) {
  const t = useMessages(nm);
  const matrixId = useId();
  const edgesId = useId();
  if (flows.edges.length === 0) return <Empty>{t.noFlows}</Empty>;
  const { organisations, rows, receivedTotals } = flows.matrix;
  const nameOf = (id: string) => organisations.find((o) => o.id === id)?.name ?? id;
  return (
    <>
      <div className="nw-charts">
        <Chart className="nw-sankey" svg={flows.sankeySvg} />
        <Chart className="nw-diagram" svg={flows.diagramSvg} />
      </div>

      <h3 id={matrixId}>{t.matrixTitle}</h3>
      <TableFrame label={t.matrixTitle}>
        <table className="nw-matrix" aria-labelledby={matrixId}>
          <caption>{t.matrixCaption}</caption>
          <thead>
            <tr>
              <th scope="col">{t.matrixCorner}</th>
              {organisations.map((o) => (
                <th key={o.id} scope="col">
                  {o.name}
                </th>
              ))}
              <th scope="col">{t.sentTotal}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={row.sender.id}>
                <th scope="row">{nameOf(row.sender.id)}</th>
                {row.cells.map((cell, i) => (
                  <td key={organisations[i]?.id ?? i} className="nw-n">
                    <Count count={cell} />
                  </td>
                ))}
                <td className="nw-n nw-total">
                  <Count count={row.sent} />
                </td>
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr>
              <th scope="row">{t.receivedTotal}</th>
              {receivedTotals.map((total, i) => (
                <td key={organisations[i]?.id ?? i} className="nw-n nw-total">
                  <Count count={total} />
                </td>
              ))}
              <td />
            </tr>
          </tfoot>
        </table>
      </TableFrame>

      <h3 id={edgesId}>{t.edgesTitle}</h3>
      <TableFrame label={t.edgesTitle}>
        <table className="nw-edges" aria-labelledby={edgesId}>
          <caption>{t.edgesCaption}</caption>
          <thead>
            <tr>
              <th scope="col">{t.sender}</th>
              <th scope="col">{t.receiver}</th>
              <th scope="col">{t.sent}</th>
              <th scope="col">{t.pending}</th>
              <th scope="col">{t.accepted}</th>
              <th scope="col">{t.completed}</th>
              <th scope="col">{t.declined}</th>
              <th scope="col">{t.cancelled}</th>
            </tr>
          </thead>
          <tbody>
            {flows.edges.map((e) => (
              <tr key={`${e.sender.id}-${e.receiver.id}`}>
                <td>{e.sender.name}</td>
                <td>{e.receiver.name}</td>
                {[e.sent, e.pending, e.accepted, e.completed, e.declined, e.cancelled].map((count, i) => (
                  <td key={i} className="nw-n">
                    <Count count={count} />
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </TableFrame>
    </>
  );
}
