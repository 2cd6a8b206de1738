/**
 * The catalogue for case workers: free text and filters, results with what matters for a
 * referral (free places, who answers and how fast), and "refer a person" on each.
 */
import { useState, type FormEvent } from 'react';
import { useQuery } from 'urql';
import { Link } from 'wouter';
import {
  ConsoleOfferSearchDocument,
  ConsoleThemesDocument,
  type ConsoleOfferResultFragment,
  type OfferFilter,
} from '../../../../generated/graphql.ts';
import { hasRole, useViewer } from '../../app/viewer.tsx';
import { useApiLanguage, useMessages } from '../../i18n/i18n.tsx';
import { common } from '../../ui/common.messages.ts';
import { Page } from '../../ui/Page.tsx';
import { Empty, QueryState } from '../../ui/states.tsx';
import { rm } from './referrals.messages.ts';

export default function CataloguePage() {
  const t = useMessages(rm);
  const c = useMessages(common);
  const lang = useApiLanguage();
  const [draft, setDraft] = useState({
    text: '',
    theme: '',
    commune: '',
    language: '',
    referrals: true,
    free: false,
  });
  const [filter, setFilter] = useState<OfferFilter>({ acceptsReferrals: true });
  const [first, setFirst] = useState(20);
  const [themes] = useQuery({ query: ConsoleThemesDocument, variables: { lang } });
  const [result, reexecute] = useQuery({
    query: ConsoleOfferSearchDocument,
    variables: { filter, first, lang },
  });

  const search = (e: FormEvent) => {
    e.preventDefault();
    setFirst(20);
    setFilter({
      ...(draft.text.trim() ? { text: draft.text.trim() } : {}),
      ...(draft.theme ? { themes: [draft.theme] } : {}),
      ...(draft.commune.trim() ? { communes: [draft.commune.trim()] } : {}),
      ...(draft.language.trim() ? { languages: [draft.language.trim().toLowerCase()] } : {}),
      ...(draft.referrals ? { acceptsReferrals: true } : {}),
      ...(draft.free ? { hasFreePlaces: true } : {}),
    });
  };

  return (
    <Page title={t.catalogueTitle} actions={<Link href="/matches">{t.matchesLink}</Link>}>
      <form role="search" className="card form" onSubmit={search}>
        <label>
          {t.searchLabel}
          <input
            type="search"
            value={draft.text}
            maxLength={200}
            aria-describedby="search-hint"
            onChange={(e) => setDraft({ ...draft, text: e.target.value })}
          />
          <span id="search-hint" className="field-hint">
            {t.searchHint}
          </span>
        </label>
        <div className="row">
          <label>
            {t.theme}
            <select value={draft.theme} onChange={(e) => setDraft({ ...draft, theme: e.target.value })}>
              <option value="">{t.anyTheme}</option>
              {themes.data?.themes.map((th) => (
                <optgroup key={th.code} label={th.label.text}>
                  <option value={th.code}>{th.label.text}</option>
                  {th.children.map((c) => (
                    <option key={c.code} value={c.code}>
                      {c.label.text}
                    </option>
                  ))}
                </optgroup>
              ))}
            </select>
          </label>
          <label>
            {t.commune}
            <input value={draft.commune} onChange={(e) => setDraft({ ...draft, commune: e.target.value })} />
          </label>
          <label>
            {t.language}
            <input
              value={draft.language}
              size={6}
              onChange={(e) => setDraft({ ...draft, language: e.target.value })}
            />
          </label>
        </div>
        <div className="row">
          <label className="check">
            <input
              type="checkbox"
              checked={draft.referrals}
              onChange={(e) => setDraft({ ...draft, referrals: e.target.checked })}
            />
            {t.onlyReferrals}
          </label>
          <label className="check">
            <input
              type="checkbox"
              checked={draft.free}
              onChange={(e) => setDraft({ ...draft, free: e.target.checked })}
            />
            {t.onlyFree}
          </label>
          <button type="submit" className="primary">
            {c.search}
          </button>
        </div>
      </form>
      <QueryState result={result} retry={() => reexecute({ requestPolicy: 'network-only' })}>
        {(data) => (
          <>
            <p role="status">{t.results(data.offers.totalCount)}</p>
            {data.offers.edges.length === 0 ? (
              <Empty>{t.noResults}</Empty>
            ) : (
              <ul className="results">
                {data.offers.edges.map(({ node }) => (
                  <OfferResult key={node.id} offer={node} />
                ))}
              </ul>
            )}
            {data.offers.pageInfo.hasNextPage && (
              <button type="button" onClick={() => setFirst(first + 20)} disabled={result.fetching}>
                {t.more}
              </button>
            )}
          </>
        )}
      </QueryState>
    </Page>
  );
}

export function OfferResult({ offer }: { offer: ConsoleOfferResultFragment }) {
  const t = useMessages(rm);
  const viewer = useViewer();
  const { capacity } = offer;
  return (
    <li className="card result">
      <h2>{offer.title.text}</h2>
      <p className="muted">
        {offer.organisation.name}
        {offer.sites.length > 0 && ` · ${[...new Set(offer.sites.map((s) => s.commune))].join(', ')}`}
      </p>
      {offer.description?.text && <p className="clamp">{offer.description.text}</p>}
      <p className="row">
        {offer.themes.map((th) => (
          <span key={th.code} className="badge">
            {th.label.text}
          </span>
        ))}
      </p>
      <p>
        {capacity.places !== null &&
        capacity.places !== undefined &&
        capacity.free !== null &&
        capacity.free !== undefined
          ? capacity.free > 0
            ? t.freePlaces(capacity.free, capacity.places)
            : `${t.full}${capacity.waitlist ? ` · ${t.waitlist}` : ''}`
          : null}{' '}
        {offer.acceptsReferrals && <span className="muted">{t.responseDays(offer.responseDays)}</span>}
      </p>
      {offer.acceptsReferrals && hasRole(viewer, ['CASE_WORKER']) && (
        <Link className="button primary" href={`/referrals/new?offer=${encodeURIComponent(offer.id)}`}>
          {t.refer}
        </Link>
      )}
    </li>
  );
}
