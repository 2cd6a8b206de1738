/** Who read the data of referred persons, for an organisation's admins. */
import { useState } from 'react';
import { useQuery } from 'urql';
import { Link } from 'wouter';
import { ConsoleAccessLogDocument } from '../../../../generated/graphql.ts';
import { organisationsWith, useViewer } from '../../app/viewer.tsx';
import { useFormat, useMessages } from '../../i18n/i18n.tsx';
import { Page } from '../../ui/Page.tsx';
import { Empty, QueryState } from '../../ui/states.tsx';
import { rm } from './referrals.messages.ts';

export default function AccessLogPage() {
  const t = useMessages(rm);
  const fmt = useFormat();
  const orgs = organisationsWith(useViewer(), ['ORG_ADMIN']);
  const [organisationId, setOrganisationId] = useState(orgs[0]?.id ?? '');
  const [result, reexecute] = useQuery({
    query: ConsoleAccessLogDocument,
    variables: { organisationId },
    pause: !organisationId,
  });
  return (
    <Page title={t.accessLogTitle}>
      <p>{t.accessLogIntro}</p>
      {orgs.length > 1 && (
        <label>
          {t.organisation}
          <select value={organisationId} onChange={(e) => setOrganisationId(e.target.value)}>
            {orgs.map((o) => (
              <option key={o.id} value={o.id}>
                {o.name}
              </option>
            ))}
          </select>
        </label>
      )}
      {!organisationId ? (
        <Empty />
      ) : (
        <QueryState result={result} retry={() => reexecute({ requestPolicy: 'network-only' })}>
          {(data) =>
            data.personDataAccessLog.edges.length === 0 ? (
              <Empty />
            ) : (
              <div className="table-wrap">
                <table>
                  <thead>
                    <tr>
                      <th scope="col">{t.when}</th>
                      <th scope="col">{t.reader}</th>
                      <th scope="col">{t.organisation}</th>
                      <th scope="col">{t.reference}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {data.personDataAccessLog.edges.map(({ node }, i) => (
                      <tr key={`${node.at}-${i}`}>
                        <td>{fmt.dateTime(node.at)}</td>
                        <td>
                          {node.readerName}
                          {node.readerEmail && <span className="muted"> · {node.readerEmail}</span>}
                        </td>
                        <td>{node.organisation.name}</td>
                        <td>
                          {node.referral ? (
                            <Link href={`/referrals/${encodeURIComponent(node.referral.id)}`}>
                              {node.referral.reference}
                            </Link>
                          ) : (
                            '—'
                          )}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )
          }
        </QueryState>
      )}
    </Page>
  );
}
