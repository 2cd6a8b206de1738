/**
 * Ranked offers for a person's needs (matchOffers): themes, languages, age, commune, places. Each
 * offer comes with one reason per factor; near misses say which filter dropped them.
 */
import { useState, type FormEvent } from 'react';
import { useQuery } from 'urql';
import { Link } from 'wouter';
import {
  ConsoleMatchesDocument,
  ConsoleThemesDocument,
  type MatchCriteriaInput,
} from '../../../../generated/graphql.ts';
import { hasRole, useViewer } from '../../app/viewer.tsx';
import { useApiLanguage, useMessages } from '../../i18n/i18n.tsx';
import { useErrorText } from '../../ui/errors.ts';
import { Page } from '../../ui/Page.tsx';
import { Empty, ErrorNotice, Loading } from '../../ui/states.tsx';
import { rm } from './referrals.messages.ts';

const list = (text: string) =>
  text
    .split(',')
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean);

export default function MatchesPage() {
  const t = useMessages(rm);
  const lang = useApiLanguage();
  const viewer = useViewer();
  const errorText = useErrorText();
  const [themes] = useQuery({ query: ConsoleThemesDocument, variables: { lang } });
  const [chosen, setChosen] = useState<string[]>([]);
  const [form, setForm] = useState({ languages: '', age: '', commune: '', places: '' });
  const [criteria, setCriteria] = useState<MatchCriteriaInput | null>(null);
  const [result] = useQuery({
    query: ConsoleMatchesDocument,
    variables: { criteria: criteria ?? { themes: [] }, lang },
    pause: criteria === null,
  });

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setCriteria({
      themes: chosen,
      ...(list(form.languages).length ? { languages: list(form.languages) } : {}),
      ...(form.age ? { age: Number(form.age) } : {}),
      ...(form.commune.trim() ? { commune: form.commune.trim() } : {}),
      ...(form.places ? { placesWanted: Number(form.places) } : {}),
    });
  };
  const outcome = result.data?.matchOffers;
  const caseWorker = hasRole(viewer, ['CASE_WORKER']);

  return (
    <Page title={t.matchesTitle}>
      <p>{t.matchesIntro}</p>
      <form className="card form" onSubmit={submit}>
        <fieldset>
          <legend>{t.needThemes}</legend>
          {!themes.data && <Loading />}
          <div className="theme-choices">
            {themes.data?.themes.map((th) => (
              <label key={th.code} className="check">
                <input
                  type="checkbox"
                  checked={chosen.includes(th.code)}
                  onChange={(e) =>
                    setChosen(e.target.checked ? [...chosen, th.code] : chosen.filter((c) => c !== th.code))
                  }
                />
                {th.label.text}
              </label>
            ))}
          </div>
        </fieldset>
        <div className="row">
          <label>
            {t.languages}
            <input value={form.languages} onChange={(e) => setForm({ ...form, languages: e.target.value })} />
          </label>
          <label>
            {t.age}
            <input
              type="number"
              min={0}
              max={120}
              value={form.age}
              onChange={(e) => setForm({ ...form, age: e.target.value })}
            />
          </label>
          <label>
            {t.commune}
            <input value={form.commune} onChange={(e) => setForm({ ...form, commune: e.target.value })} />
          </label>
          <label>
            {t.places}
            <input
              type="number"
              min={1}
              max={50}
              value={form.places}
              onChange={(e) => setForm({ ...form, places: e.target.value })}
            />
          </label>
        </div>
        <p>
          <button type="submit" className="primary" disabled={chosen.length === 0}>
            {t.findMatches}
          </button>
        </p>
      </form>
      {criteria && result.fetching && !outcome && <Loading />}
      {result.error && <ErrorNotice error={result.error} />}
      {outcome && outcome.__typename !== 'QueryMatchOffersSuccess' && (
        <ErrorNotice error={errorText(outcome)} />
      )}
      {outcome?.__typename === 'QueryMatchOffersSuccess' && (
        <>
          <p role="status">{t.results(outcome.data.totalCount)}</p>
          {outcome.data.matches.length === 0 && <Empty>{t.noResults}</Empty>}
          <ol className="results">
            {outcome.data.matches.map((m) => (
              <li key={m.offer.id} className="card">
                <h2>{m.offer.title.text}</h2>
                <p className="muted">
                  {m.offer.organisation.name} · {t.score(Math.round(m.score * 100) / 100)}
                </p>
                <ul>
                  {m.reasons.map((r) => (
                    <li key={r.factor}>{r.text}</li>
                  ))}
                </ul>
                {caseWorker && m.offer.acceptsReferrals && (
                  <Link
                    className="button primary"
                    href={`/referrals/new?offer=${encodeURIComponent(m.offer.id)}`}
                  >
                    {t.refer}
                  </Link>
                )}
              </li>
            ))}
          </ol>
          {outcome.data.excluded.length > 0 && (
            <>
              <h2>{t.nearMisses}</h2>
              <ul>
                {outcome.data.excluded.map((x) => (
                  <li key={x.offer.id}>
                    <strong>{x.offer.title.text}</strong> ({x.offer.organisation.name}): {x.text}
                  </li>
                ))}
              </ul>
            </>
          )}
        </>
      )}
    </Page>
  );
}
