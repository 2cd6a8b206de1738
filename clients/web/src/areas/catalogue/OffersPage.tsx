/**
 * `/offers`: the offers (every status) and sites of an organisation whose catalogue the viewer
 * edits, a chooser when there are several, a filter by status with counts, and free places in
 * one click each.
 */
import { useState } from 'react';
import { useQuery } from 'urql';
import { Link, useSearchParams } from 'wouter';
import {
  ConsoleCatalogueOffersDocument,
  ConsoleCatalogueSitesDocument,
  type Language,
  type OfferStatus,
} from '../../../../generated/graphql.ts';
import { useViewer } from '../../app/viewer.tsx';
import { useFormat, useLocale, useMessages } from '../../i18n/i18n.tsx';
import { Page } from '../../ui/Page.tsx';
import { Empty, ErrorNotice, Loading } from '../../ui/states.tsx';
import { catalogueMessages, useLabels } from './catalogue.messages.ts';
import { apiLanguage, editorOrganisations, OFFER_STATUSES } from './editor.ts';
import { CapacityControl, OfferStatusBadge } from './parts.tsx';

const PAGE = 50;

export default function OffersPage() {
  const t = useMessages(catalogueMessages);
  const viewer = useViewer();
  const orgs = editorOrganisations(viewer);
  const [params, setParams] = useSearchParams();
  if (orgs.length === 0) {
    return (
      <Page title={t.offersTitle}>
        <Empty>{t.noEditorRole}</Empty>
      </Page>
    );
  }
  const org = orgs.find((o) => o.slug === params.get('org')) ?? orgs[0]!;
  const status = OFFER_STATUSES.find((s) => s === params.get('status')) ?? null;
  const go = (next: { org?: string; status?: OfferStatus | null }) => {
    const p = new URLSearchParams();
    const slug = next.org ?? org.slug;
    if (orgs.length > 1) p.set('org', slug);
    const s = next.status === undefined ? status : next.status;
    if (s) p.set('status', s);
    setParams(p);
  };
  return (
    <Page
      title={t.offersTitle}
      actions={
        <Link href={`/offers/new?org=${encodeURIComponent(org.slug)}`} className="button primary">
          {t.newOffer}
        </Link>
      }
    >
      {orgs.length > 1 && (
        <label className="org-chooser">
          {t.organisation}
          <select value={org.slug} onChange={(e) => go({ org: e.target.value, status: null })}>
            {orgs.map((o) => (
              <option key={o.id} value={o.slug}>
                {o.name}
              </option>
            ))}
          </select>
        </label>
      )}
      <section aria-labelledby="offers-heading">
        <h2 id="offers-heading">
          {t.offersHeading} · {org.name}
        </h2>
        <OfferList
          key={`${org.id}:${status ?? ''}`}
          organisationId={org.id}
          status={status}
          onStatus={(s) => go({ status: s })}
        />
      </section>
      <section aria-labelledby="sites-heading">
        <h2 id="sites-heading">{t.sitesHeading}</h2>
        <SiteList key={org.slug} slug={org.slug} />
      </section>
    </Page>
  );
}

function OfferList({
  organisationId,
  status,
  onStatus,
}: {
  organisationId: string;
  status: OfferStatus | null;
  onStatus: (s: OfferStatus | null) => void;
}) {
  const t = useMessages(catalogueMessages);
  const l = useLabels();
  const { number } = useFormat();
  const lang = apiLanguage(useLocale().locale);
  const [pages, setPages] = useState<(string | null)[]>([null]);
  const variables = {
    organisation: organisationId,
    statuses: status ? [status] : [...OFFER_STATUSES],
    first: PAGE,
    lang,
  };
  const [result, retry] = useQuery({
    query: ConsoleCatalogueOffersDocument,
    variables: { ...variables, after: null },
  });
  const data = result.data;
  if (!data) {
    return result.error ? (
      <ErrorNotice error={result.error} onRetry={() => retry({ requestPolicy: 'network-only' })} />
    ) : (
      <Loading />
    );
  }
  const counts: [OfferStatus | null, string, number][] = [
    [null, t.allStatuses, data.all.totalCount],
    ['DRAFT', l.statusPlural.DRAFT, data.draft.totalCount],
    ['PUBLISHED', l.statusPlural.PUBLISHED, data.published.totalCount],
    ['PAUSED', l.statusPlural.PAUSED, data.paused.totalCount],
    ['WITHDRAWN', l.statusPlural.WITHDRAWN, data.withdrawn.totalCount],
  ];
  return (
    <>
      <ul className="status-filter" aria-label={t.filterByStatus}>
        {counts.map(([s, label, n]) => (
          <li key={s ?? 'all'}>
            <button type="button" aria-pressed={status === s} onClick={() => onStatus(s)}>
              {label} ({number(n)})
            </button>
          </li>
        ))}
      </ul>
      {data.list.totalCount === 0 ? (
        <Empty>{t.noOffers}</Empty>
      ) : (
        <div className="table-wrap contained">
          <table className="offers-table">
            <caption className="visually-hidden">
              {t.offersHeading} (
              {t.offersCount(Math.min(pages.length * PAGE, data.list.totalCount), data.list.totalCount)})
            </caption>
            <thead>
              <tr>
                <th scope="col">{t.colTitle}</th>
                <th scope="col">{t.colStatus}</th>
                <th scope="col">{t.colFree}</th>
                <th scope="col" className="col-translations">
                  {t.colTranslations}
                </th>
                <th scope="col" className="col-updated">
                  {t.colUpdated}
                </th>
              </tr>
            </thead>
            {pages.map((after, i) => (
              <OfferRows
                key={after ?? 'first'}
                variables={{ ...variables, after }}
                onMore={i === pages.length - 1 ? (cursor) => setPages([...pages, cursor]) : null}
              />
            ))}
          </table>
        </div>
      )}
    </>
  );
}

function OfferRows({
  variables,
  onMore,
}: {
  variables: {
    organisation: string;
    statuses: OfferStatus[];
    first: number;
    lang: Language;
    after: string | null;
  };
  onMore: ((cursor: string) => void) | null;
}) {
  const t = useMessages(catalogueMessages);
  const { date } = useFormat();
  const [result, retry] = useQuery({ query: ConsoleCatalogueOffersDocument, variables });
  const list = result.data?.list;
  if (!list) {
    return (
      <tbody>
        <tr>
          <td colSpan={5}>
            {result.error ? (
              <ErrorNotice error={result.error} onRetry={() => retry({ requestPolicy: 'network-only' })} />
            ) : (
              <Loading />
            )}
          </td>
        </tr>
      </tbody>
    );
  }
  return (
    <tbody>
      {list.edges.map(({ node: offer }) => {
        const missing = (offer.missingTranslations ?? []).reduce((n, m) => n + m.languages.length, 0);
        return (
          <tr key={offer.id} data-offer={offer.id}>
            <td>
              <Link href={`/offers/${encodeURIComponent(offer.id)}`}>{offer.title.text}</Link>
            </td>
            <td data-label={t.colStatus}>
              <OfferStatusBadge status={offer.status} />
            </td>
            <td data-label={t.colFree}>
              <CapacityControl offer={offer} title={offer.title.text} />
            </td>
            <td className="col-translations" data-label={t.colTranslations}>
              <Link href={`/offers/${encodeURIComponent(offer.id)}/translations`}>
                {missing > 0 ? t.translationsMissing(missing) : t.translationsComplete}
              </Link>
            </td>
            <td className="col-updated" data-label={t.colUpdated}>
              {date(offer.updatedAt)}
            </td>
          </tr>
        );
      })}
      {onMore && list.pageInfo.hasNextPage && list.pageInfo.endCursor && (
        <tr>
          <td colSpan={5}>
            <button type="button" onClick={() => onMore(list.pageInfo.endCursor!)}>
              {t.showMore}
            </button>
          </td>
        </tr>
      )}
    </tbody>
  );
}

function SiteList({ slug }: { slug: string }) {
  const t = useMessages(catalogueMessages);
  const [pages, setPages] = useState<(string | null)[]>([null]);
  const lang = apiLanguage(useLocale().locale);
  const [result, retry] = useQuery({
    query: ConsoleCatalogueSitesDocument,
    variables: { slug, first: PAGE, after: null, lang },
  });
  const sites = result.data?.organisation?.sites;
  if (!result.data) {
    return result.error ? (
      <ErrorNotice error={result.error} onRetry={() => retry({ requestPolicy: 'network-only' })} />
    ) : (
      <Loading />
    );
  }
  if (!sites || sites.totalCount === 0) return <Empty>{t.noSites}</Empty>;
  return (
    <div className="table-wrap contained">
      <table>
        <caption className="visually-hidden">{t.sitesHeading}</caption>
        <thead>
          <tr>
            <th scope="col">{t.colSite}</th>
            <th scope="col">{t.colAddress}</th>
            <th scope="col">{t.colAccess}</th>
          </tr>
        </thead>
        {pages.map((after, i) => (
          <SiteRows
            key={after ?? 'first'}
            variables={{ slug, first: PAGE, after, lang }}
            onMore={i === pages.length - 1 ? (cursor) => setPages([...pages, cursor]) : null}
          />
        ))}
      </table>
    </div>
  );
}

function SiteRows({
  variables,
  onMore,
}: {
  variables: { slug: string; first: number; after: string | null; lang: Language };
  onMore: ((cursor: string) => void) | null;
}) {
  const t = useMessages(catalogueMessages);
  const [result, retry] = useQuery({ query: ConsoleCatalogueSitesDocument, variables });
  const sites = result.data?.organisation?.sites;
  if (!sites) {
    return (
      <tbody>
        <tr>
          <td colSpan={3}>
            {result.error ? (
              <ErrorNotice error={result.error} onRetry={() => retry({ requestPolicy: 'network-only' })} />
            ) : (
              <Loading />
            )}
          </td>
        </tr>
      </tbody>
    );
  }
  return (
    <tbody>
      {sites.edges.map(({ node: site }) => (
        <tr key={site.id}>
          <td>
            <Link href={`/offers/sites/${encodeURIComponent(site.id)}`} aria-label={t.editSite(site.name)}>
              {site.name}
            </Link>
          </td>
          <td>
            {[
              site.street,
              [site.postcode && `L-${site.postcode}`, site.commune].filter(Boolean).join(' '),
              site.quarter,
            ]
              .filter(Boolean)
              .join(', ')}
          </td>
          <td>{site.wheelchairAccessible == null ? t.unknown : site.wheelchairAccessible ? t.yes : t.no}</td>
        </tr>
      ))}
      {onMore && sites.pageInfo.hasNextPage && sites.pageInfo.endCursor && (
        <tr>
          <td colSpan={3}>
            <button type="button" onClick={() => onMore(sites.pageInfo.endCursor!)}>
              {t.showMore}
            </button>
          </td>
        </tr>
      )}
    </tbody>
  );
}
