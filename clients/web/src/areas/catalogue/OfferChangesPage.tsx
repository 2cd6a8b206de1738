/**
 * `/offers/:id/changes`: the offer's change log, newest first — who changed what, when, and the
 * values before and after — for its organisation's members, a page at a time.
 */
import { useState } from 'react';
import { useQuery } from 'urql';
import { Link } from 'wouter';
import {
  ConsoleCatalogueOfferChangesDocument,
  ConsoleCatalogueOfferDocument,
  type Language,
} from '../../../../generated/graphql.ts';
import { useViewer } from '../../app/viewer.tsx';
import { useFormat, useLocale, useMessages } from '../../i18n/i18n.tsx';
import { Page } from '../../ui/Page.tsx';
import { Empty, ErrorNotice, Loading, Notice } from '../../ui/states.tsx';
import { catalogueMessages, useLabels } from './catalogue.messages.ts';
import {
  apiLanguage,
  canEditOrganisation,
  LANGUAGE_NAMES,
  LANGUAGES,
  sides,
  storedTexts,
  type Change,
} from './editor.ts';
import { OfferNav, useIdParam } from './parts.tsx';

const PAGE = 20;
/** Bookkeeping, not changes a person makes. */
const HIDDEN_FIELDS = new Set([
  'version',
  'capacityUpdatedAt',
  'updatedAt',
  'id',
  'organisationId',
  'hsdsId',
]);
const TEXT_FIELDS = new Set([
  'title',
  'description',
  'eligibility',
  'costDescription',
  'referralRequirements',
]);

export default function OfferChangesPage() {
  const t = useMessages(catalogueMessages);
  const id = useIdParam();
  const lang = apiLanguage(useLocale().locale);
  const viewer = useViewer();
  const [result, retry] = useQuery({ query: ConsoleCatalogueOfferDocument, variables: { id, lang } });
  const [pages, setPages] = useState<(string | null)[]>([null]);
  if (!result.data) {
    return (
      <Page title={t.tabChanges}>
        {result.error ? (
          <ErrorNotice error={result.error} onRetry={() => retry({ requestPolicy: 'network-only' })} />
        ) : (
          <Loading />
        )}
      </Page>
    );
  }
  const offer = result.data.node?.__typename === 'Offer' ? result.data.node : null;
  if (!offer) {
    return (
      <Page title={t.tabChanges}>
        <Notice kind="problem">{t.offerNotFound}</Notice>
        <p>
          <Link href="/offers">{t.backToOffers}</Link>
        </p>
      </Page>
    );
  }
  const editor = canEditOrganisation(viewer, offer.organisation.id);
  return (
    <Page title={t.changesTitle(offer.title.text)}>
      <OfferNav id={offer.id} editor={editor} />
      {editor ? (
        pages.map((after, i) => (
          <ChangesPage
            // Read again when the offer changes (a save on another page, another person's change).
            key={`${after ?? 'first'}@${offer.version}`}
            id={offer.id}
            after={after}
            first={i === 0}
            onMore={i === pages.length - 1 ? (cursor) => setPages([...pages, cursor]) : null}
          />
        ))
      ) : (
        <Notice kind="problem">{t.readOnly(offer.organisation.name)}</Notice>
      )}
    </Page>
  );
}

function ChangesPage({
  id,
  after,
  first,
  onMore,
}: {
  id: string;
  after: string | null;
  first: boolean;
  onMore: ((cursor: string) => void) | null;
}) {
  const t = useMessages(catalogueMessages);
  const [result, retry] = useQuery({
    query: ConsoleCatalogueOfferChangesDocument,
    variables: { id, first: PAGE, after },
    requestPolicy: 'cache-and-network',
  });
  const node = result.data?.node;
  if (!node || node.__typename !== 'Offer') {
    return result.error ? (
      <ErrorNotice error={result.error} onRetry={() => retry({ requestPolicy: 'network-only' })} />
    ) : result.data ? (
      <Notice kind="problem">{t.offerNotFound}</Notice>
    ) : (
      <Loading />
    );
  }
  const edges = node.changes.edges;
  if (first && edges.length === 0) return <Empty>{t.noChanges}</Empty>;
  return (
    <>
      <ol className="changes" aria-label={first ? t.tabChanges : t.olderChanges}>
        {edges.map((e) => (
          <ChangeItem key={e.cursor} change={e.node} />
        ))}
      </ol>
      {onMore && node.changes.pageInfo.hasNextPage && node.changes.pageInfo.endCursor && (
        <p>
          <button type="button" onClick={() => onMore(node.changes.pageInfo.endCursor!)}>
            {t.olderChanges}
          </button>
        </p>
      )}
    </>
  );
}

function ChangeItem({ change }: { change: Change & { actor?: { name: string } | null } }) {
  const t = useMessages(catalogueMessages);
  const l = useLabels();
  const { dateTime } = useFormat();
  const fields = change.fields.filter((f) => !HIDDEN_FIELDS.has(f));
  const { before, after } = sides(change);
  return (
    <li data-action={change.action}>
      <div className="change-head">
        <strong>{l.action[change.action] ?? change.action}</strong>
        <time dateTime={change.at}>{dateTime(change.at)}</time>
        <span>{t.changeBy(change.actor?.name ?? t.unknownActor)}</span>
      </div>
      {fields.length > 0 && (
        <p className="change-fields">{t.changedFields(fields.map((f) => l.field[f] ?? f).join(', '))}</p>
      )}
      {fields.length > 0 && change.action !== 'CREATE' && (
        <details>
          <summary>{t.details}</summary>
          <div className="table-wrap contained">
            <table>
              <thead>
                <tr>
                  <th scope="col">{t.conflictField}</th>
                  <th scope="col">{t.before}</th>
                  <th scope="col">{t.after}</th>
                </tr>
              </thead>
              <tbody>{fields.flatMap((f) => rowsOf(f, before[f], after[f], l.field[f] ?? f))}</tbody>
            </table>
          </div>
        </details>
      )}
    </li>
  );
}

/** A field's values before and after; translated text shows only the languages that changed. */
function rowsOf(field: string, before: unknown, after: unknown, label: string) {
  if (TEXT_FIELDS.has(field)) {
    const b = storedTexts(before);
    const a = storedTexts(after);
    return LANGUAGES.filter((lg: Language) => (b[lg] ?? '') !== (a[lg] ?? '')).map((lg) => (
      <tr key={`${field}-${lg}`}>
        <th scope="row">
          {label} · <span lang={lg.toLowerCase()}>{LANGUAGE_NAMES[lg]}</span>
        </th>
        <td className="pre" lang={lg.toLowerCase()}>
          {b[lg] ?? '—'}
        </td>
        <td className="pre" lang={lg.toLowerCase()}>
          {a[lg] ?? '—'}
        </td>
      </tr>
    ));
  }
  return [
    <tr key={field}>
      <th scope="row">{label}</th>
      <td className="pre">
        <Value value={before} />
      </td>
      <td className="pre">
        <Value value={after} />
      </td>
    </tr>,
  ];
}

function Value({ value }: { value: unknown }) {
  const t = useMessages(catalogueMessages);
  const l = useLabels();
  const { dateTime } = useFormat();
  if (value === null || value === undefined || value === '') return <>—</>;
  if (typeof value === 'boolean') return <>{value ? t.yes : t.no}</>;
  if (Array.isArray(value)) {
    return (
      <>
        {value
          .map((v) => (typeof v === 'string' ? (l.audience[v as never] ?? v) : JSON.stringify(v)))
          .join(', ') || '—'}
      </>
    );
  }
  if (typeof value === 'string') {
    if (value in l.status) return <>{l.status[value as never]}</>;
    if (value in l.cost) return <>{l.cost[value as never]}</>;
    if (/^\d{4}-\d\d-\d\dT/.test(value)) return <>{dateTime(value)}</>;
    return <>{value}</>;
  }
  if (typeof value === 'number') return <>{value}</>;
  return <>{JSON.stringify(value)}</>;
}
