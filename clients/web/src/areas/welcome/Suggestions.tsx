/**
 * Suggestions for a guide: the catalogue's offers ranked for its shelter's residents (their
 * latest profile and the distance from the shelter), each with the reasons the API gives, and a
 * button that proposes the offer to its organisation in one click.
 */
import { useId, useState } from 'react';
import { useMutation, useQuery } from 'urql';
import {
  ConsoleWelcomeProposeDocument,
  ConsoleWelcomeSuggestionsDocument,
  ConsoleWelcomeThemesDocument,
} from '../../../../generated/graphql.ts';
import { useFormat, useLocale, useMessages } from '../../i18n/i18n.tsx';
import { Empty, ErrorNotice, Loading } from '../../ui/states.tsx';
import { apiLanguage, failureOf, FailureNotice, useNames, type Failure } from './welcome.tsx';
import { welcomeMessages } from './welcome.messages.ts';

const HOW_MANY = 10;

export function Suggestions({
  guideId,
  shelterId,
  offersInGuide,
  onProposed,
}: {
  guideId: string;
  shelterId: string;
  /** Offers with an open entry in the guide (proposed, confirmed, regular). */
  offersInGuide: Set<string>;
  onProposed: (message: string) => void;
}) {
  const t = useMessages(welcomeMessages);
  const f = useFormat();
  const names = useNames();
  const { locale } = useLocale();
  const lang = apiLanguage(locale);
  const [theme, setTheme] = useState('');
  const themeId = useId();
  const [themes] = useQuery({ query: ConsoleWelcomeThemesDocument, variables: { lang } });
  const [result, reexecute] = useQuery({
    query: ConsoleWelcomeSuggestionsDocument,
    variables: { shelterId, themes: theme ? [theme] : null, first: HOW_MANY, lang },
  });
  const [proposeState, propose] = useMutation(ConsoleWelcomeProposeDocument);
  const [proposing, setProposing] = useState<string | null>(null);
  const [failure, setFailure] = useState<Failure | null>(null);

  const add = async (offerId: string, title: string) => {
    setFailure(null);
    setProposing(offerId);
    const r = await propose({ input: { guideId, offerId }, lang });
    setProposing(null);
    const problem = failureOf(r.error, r.data?.proposeGuideItem, 'MutationProposeGuideItemSuccess');
    if (problem) setFailure(problem);
    else onProposed(t.proposed(title));
  };

  const node = result.data?.node;
  const suggested = node?.__typename === 'Shelter' ? node.suggestedOffers : undefined;

  return (
    <>
      <div className="inline-form">
        <label htmlFor={themeId}>
          {t.theme}
          <select id={themeId} value={theme} onChange={(e) => setTheme(e.target.value)}>
            <option value="">{t.allThemes}</option>
            {(themes.data?.themes ?? []).map((th) => (
              <option key={th.code} value={th.code}>
                {th.label.text}
              </option>
            ))}
          </select>
        </label>
      </div>
      {failure && <FailureNotice failure={failure} />}
      {!result.data ? (
        result.error ? (
          <ErrorNotice error={result.error} onRetry={() => reexecute({ requestPolicy: 'network-only' })} />
        ) : (
          <Loading />
        )
      ) : suggested === undefined || suggested === null ? (
        <Empty>{t.suggestionsNoProfile}</Empty>
      ) : suggested.__typename !== 'ShelterSuggestedOffersSuccess' ? (
        <FailureNotice failure={suggested} />
      ) : suggested.data.matches.length === 0 ? (
        <Empty>{t.noSuggestions}</Empty>
      ) : (
        <ol className="wl-suggestions" aria-busy={result.fetching}>
          {suggested.data.matches.map((m) => {
            const title = m.offer.title.text;
            const inGuide = offersInGuide.has(m.offer.id);
            const site = m.offer.sites[0];
            return (
              <li key={m.offer.id} className="card wl-suggestion">
                <h3>{title}</h3>
                <p className="row">
                  <span>{m.offer.organisation.name}</span>
                  {site && (
                    <span className="muted">
                      {site.name}, {site.commune}
                    </span>
                  )}
                </p>
                <p className="row">
                  <span className="badge">{t.score(names.score(m.score))}</span>
                  {m.walkingMinutes != null && m.distanceMeters != null && (
                    <span>{t.walking(f.number(m.walkingMinutes), f.number(m.distanceMeters))}</span>
                  )}
                </p>
                <details className="wl-reasons" open>
                  <summary>{t.whyRanked}</summary>
                  <ul>
                    {m.reasons.map((r, i) => (
                      <li key={i} className={r.weight < 0 ? 'wl-against' : undefined}>
                        {r.text}
                      </li>
                    ))}
                  </ul>
                </details>
                <p>
                  {inGuide ? (
                    <span className="badge wl-in-guide">{t.alreadyInGuide}</span>
                  ) : (
                    <button
                      type="button"
                      className="primary"
                      disabled={proposeState.fetching}
                      onClick={() => void add(m.offer.id, title)}
                    >
                      {proposing === m.offer.id ? t.proposing : t.propose(m.offer.organisation.name)}
                      <span className="visually-hidden"> – {title}</span>
                    </button>
                  )}
                </p>
              </li>
            );
          })}
        </ol>
      )}
    </>
  );
}
