/**
 * `/offers/:id/translations`: the offer's title and description side by side, one column per
 * language. Missing translations (the hub lists them) and outdated ones (written before the source
 * text's latest change, read from the offer's change log) are marked; each column is edited in
 * place, with the offer's version (a conflict is explained and resolved as on the offer's form).
 */
import { useEffect, useState, type FormEvent } from 'react';
import { useClient, useMutation, useQuery, type OperationResult } from 'urql';
import { Link } from 'wouter';
import {
  ConsoleCatalogueOfferChangesDocument,
  ConsoleCatalogueOfferDocument,
  ConsoleCatalogueOfferTranslationsDocument,
  ConsoleCatalogueUpdateOfferDocument,
  type ConsoleCatalogueOfferChangesQuery,
  type ConsoleCatalogueOfferTranslationsQuery,
  type Language,
} from '../../../../generated/graphql.ts';
import { useViewer } from '../../app/viewer.tsx';
import { useLocale, useMessages } from '../../i18n/i18n.tsx';
import { common } from '../../ui/common.messages.ts';
import { Page } from '../../ui/Page.tsx';
import { ErrorNotice, Loading, Notice } from '../../ui/states.tsx';
import { catalogueMessages, useLabels } from './catalogue.messages.ts';
import {
  apiLanguage,
  canEditOrganisation,
  EXPECTED_LANGUAGES,
  isRtl,
  LANGUAGE_NAMES,
  LANGUAGES,
  langTag,
  outdatedLanguages,
  sourceLanguage,
  textsOf,
  withText,
  type Change,
} from './editor.ts';
import {
  ConflictPanel,
  failure,
  OfferNav,
  ProblemNotice,
  Shown,
  type Problem,
  useIdParam,
} from './parts.tsx';

type TranslatedOffer = Extract<
  NonNullable<ConsoleCatalogueOfferTranslationsQuery['node']>,
  { __typename: 'Offer' }
>;

export default function OfferTranslationsPage() {
  const t = useMessages(catalogueMessages);
  const id = useIdParam();
  const lang = apiLanguage(useLocale().locale);
  const viewer = useViewer();
  // The public part first: whether the viewer edits this offer's organisation decides the rest.
  const [result, retry] = useQuery({ query: ConsoleCatalogueOfferDocument, variables: { id, lang } });
  if (!result.data) {
    return (
      <Page title={t.tabTranslations}>
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
      <Page title={t.tabTranslations}>
        <Notice kind="problem">{t.offerNotFound}</Notice>
        <p>
          <Link href="/offers">{t.backToOffers}</Link>
        </p>
      </Page>
    );
  }
  const editor = canEditOrganisation(viewer, offer.organisation.id);
  return (
    <Page title={t.translationsTitle(offer.title.text)}>
      <OfferNav id={offer.id} editor={editor} />
      {editor ? (
        <Translations id={offer.id} />
      ) : (
        <Notice kind="problem">{t.readOnly(offer.organisation.name)}</Notice>
      )}
    </Page>
  );
}

function Translations({ id }: { id: string }) {
  const t = useMessages(catalogueMessages);
  const l = useLabels();
  const lang = apiLanguage(useLocale().locale);
  const [result, retry] = useQuery({
    query: ConsoleCatalogueOfferTranslationsDocument,
    variables: { id, lang },
  });
  const [added, setAdded] = useState<Language[]>([]);
  const [editing, setEditing] = useState<Language | null>(null);
  const [saved, setSaved] = useState<Language | null>(null);
  const [adding, setAdding] = useState<Language | ''>('');
  const offer = result.data?.node?.__typename === 'Offer' ? result.data.node : null;
  const outdated = useOutdated(offer);
  if (!offer) {
    return result.error ? (
      <ErrorNotice error={result.error} onRetry={() => retry({ requestPolicy: 'network-only' })} />
    ) : result.data ? (
      <Notice kind="problem">{t.offerNotFound}</Notice>
    ) : (
      <Loading />
    );
  }
  const titles = textsOf(offer.titleTranslations);
  const descriptions = textsOf(offer.descriptionTranslations);
  const source = sourceLanguage(titles);
  const columns = LANGUAGES.filter(
    (lg) => EXPECTED_LANGUAGES.includes(lg) || titles[lg] || descriptions[lg] || added.includes(lg),
  );
  const addable = LANGUAGES.filter((lg) => !columns.includes(lg));
  const missing = (field: string, language: Language) =>
    (offer.missingTranslations ?? []).some(
      (m) => m.field === field && m.languages.includes(langTag(language)),
    );
  const others = (offer.missingTranslations ?? []).filter(
    (m) => m.field !== 'title' && m.field !== 'description',
  );

  return (
    <>
      <p>{t.translationsIntro(LANGUAGE_NAMES[source])}</p>
      {outdated === 'loading' && <Loading label={t.checkingOutdated} />}
      {outdated !== 'loading' && !outdated.settled && <p className="muted">{t.outdatedUnknown}</p>}
      {saved && <Notice kind="ok">{t.translationSaved(LANGUAGE_NAMES[saved])}</Notice>}
      <div className="translations">
        {columns.map((language) => {
          const name = LANGUAGE_NAMES[language];
          const isSource = language === source;
          const marks = (field: 'title' | 'description') => ({
            missing: missing(field, language),
            outdated: outdated !== 'loading' && outdated[field].has(language),
          });
          return (
            <section
              key={language}
              className={isSource ? 'translation is-source' : 'translation'}
              aria-labelledby={`tr-${language}`}
              data-language={language}
            >
              <h2 id={`tr-${language}`}>
                <span lang={langTag(language)}>{name}</span>
                {isSource && <span className="tag tag-source">{t.sourceBadge}</span>}
              </h2>
              {editing === language ? (
                <TranslationEditor
                  offer={offer}
                  language={language}
                  isSource={isSource}
                  onDone={(ok) => {
                    setEditing(null);
                    setSaved(ok ? language : null);
                  }}
                />
              ) : (
                <>
                  <TextCell
                    label={t.title}
                    text={titles[language]}
                    language={language}
                    source={source}
                    {...marks('title')}
                  />
                  <TextCell
                    label={t.description}
                    text={descriptions[language]}
                    language={language}
                    source={source}
                    {...marks('description')}
                  />
                  <button
                    type="button"
                    className="secondary"
                    aria-label={t.editTranslation(name)}
                    onClick={() => {
                      setSaved(null);
                      setEditing(language);
                    }}
                  >
                    {t.tabEdit}
                  </button>
                </>
              )}
            </section>
          );
        })}
      </div>
      {addable.length > 0 && (
        <form
          className="inline-form"
          onSubmit={(e) => {
            e.preventDefault();
            if (!adding) return;
            setAdded([...added, adding]);
            setEditing(adding);
            setAdding('');
          }}
        >
          <label>
            {t.addLanguage}
            <select value={adding} onChange={(e) => setAdding(e.target.value as Language | '')}>
              <option value="">—</option>
              {addable.map((lg) => (
                <option key={lg} value={lg} lang={langTag(lg)}>
                  {LANGUAGE_NAMES[lg]}
                </option>
              ))}
            </select>
          </label>
          <button type="submit" disabled={!adding}>
            {t.add}
          </button>
        </form>
      )}
      {others.length > 0 && (
        <section aria-labelledby="other-missing">
          <h2 id="other-missing">{t.otherMissingHeading}</h2>
          <ul>
            {others.map((m) => (
              <li key={m.field}>
                {t.alsoMissing(
                  l.field[m.field] ?? m.field,
                  m.languages.map((c) => LANGUAGE_NAMES[c.toUpperCase() as Language] ?? c).join(', '),
                )}
              </li>
            ))}
          </ul>
        </section>
      )}
    </>
  );
}

function TextCell({
  label,
  text,
  language,
  source,
  missing,
  outdated,
}: {
  label: string;
  text: string | undefined;
  language: Language;
  source: Language;
  missing: boolean;
  outdated: boolean;
}) {
  const t = useMessages(catalogueMessages);
  return (
    <div className="text-cell" data-missing={missing || undefined} data-outdated={outdated || undefined}>
      <h3>
        {label}
        {missing && <span className="tag tag-missing">{t.missingBadge}</span>}
        {outdated && <span className="tag tag-outdated">{t.outdatedBadge}</span>}
      </h3>
      {text ? (
        <p className="text" lang={langTag(language)} dir={isRtl(language) ? 'rtl' : 'auto'}>
          {text}
        </p>
      ) : (
        <p className="muted">{t.notWritten}</p>
      )}
      {outdated && <p className="small">{t.outdatedExplain(LANGUAGE_NAMES[source])}</p>}
    </div>
  );
}

const CHANGES_PAGE = 100;
const MAX_PAGES = 10;

/**
 * Which title and description translations are outdated, read from the change log (newest
 * first, page by page until the source text's latest change is found), again after each change.
 */
function useOutdated(
  offer: TranslatedOffer | null,
): 'loading' | { title: Set<Language>; description: Set<Language>; settled: boolean } {
  const client = useClient();
  const [state, setState] = useState<{
    key: string;
    title: Set<Language>;
    description: Set<Language>;
    settled: boolean;
  } | null>(null);
  const key = offer ? `${offer.id}@${offer.version}` : '';
  const titles = offer ? textsOf(offer.titleTranslations) : {};
  const descriptions = offer ? textsOf(offer.descriptionTranslations) : {};
  const source = sourceLanguage(titles);
  const present = {
    title: LANGUAGES.filter((l) => titles[l]),
    description: LANGUAGES.filter((l) => descriptions[l]),
  };
  const presentKey = JSON.stringify(present);
  const offerId = offer?.id ?? null;
  useEffect(() => {
    if (!offerId) return;
    let stopped = false;
    const fields = JSON.parse(presentKey) as { title: Language[]; description: Language[] };
    void (async () => {
      const changes: Change[] = [];
      let after: string | null = null;
      let more = true;
      const settle = () => ({
        title: outdatedLanguages(changes, 'title', source, fields.title, more),
        description: outdatedLanguages(changes, 'description', source, fields.description, more),
      });
      for (let page = 0; page < MAX_PAGES && more; page++) {
        const result: OperationResult<ConsoleCatalogueOfferChangesQuery> = await client
          .query(
            ConsoleCatalogueOfferChangesDocument,
            { id: offerId, first: CHANGES_PAGE, after },
            { requestPolicy: 'network-only' },
          )
          .toPromise();
        const node = result.data?.node;
        if (stopped || !node || node.__typename !== 'Offer') break;
        changes.push(...node.changes.edges.map((e) => e.node));
        more = node.changes.pageInfo.hasNextPage;
        after = node.changes.pageInfo.endCursor;
        const s = settle();
        if (s.title.settled && s.description.settled) break;
      }
      if (stopped) return;
      const s = settle();
      setState({
        key,
        title: s.title.outdated,
        description: s.description.outdated,
        settled: s.title.settled && s.description.settled,
      });
    })();
    return () => {
      stopped = true;
    };
    // The offer's version (in `key`), its languages and its source decide the answer.
  }, [client, offerId, key, presentKey, source]);
  if (!state || state.key !== key) return 'loading';
  return state;
}

/** One language's title and description, saved with the offer's version. */
function TranslationEditor({
  offer,
  language,
  isSource,
  onDone,
}: {
  offer: TranslatedOffer;
  language: Language;
  isSource: boolean;
  onDone: (saved: boolean) => void;
}) {
  const t = useMessages(catalogueMessages);
  const c = useMessages(common);
  const client = useClient();
  const lang = apiLanguage(useLocale().locale);
  const name = LANGUAGE_NAMES[language];
  const textOf = (o: TranslatedOffer) => ({
    title: textsOf(o.titleTranslations)[language] ?? '',
    description: textsOf(o.descriptionTranslations)[language] ?? '',
  });
  const [base, setBase] = useState(() => ({ offer, texts: textOf(offer) }));
  const [title, setTitle] = useState(base.texts.title);
  const [description, setDescription] = useState(base.texts.description);
  const [conflict, setConflict] = useState<{
    offer: TranslatedOffer;
    texts: { title: string; description: string };
  } | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [{ fetching }, update] = useMutation(ConsoleCatalogueUpdateOfferDocument);
  const values = { title, description };
  const mine = (['title', 'description'] as const).filter((k) => values[k].trim() !== base.texts[k].trim());

  async function save(onto: typeof base) {
    setProblem(null);
    if (isSource && title.trim() === '') {
      setProblem({ __typename: 'Local', message: t.titleRequired });
      return;
    }
    const changed = (['title', 'description'] as const).filter(
      (k) => values[k].trim() !== onto.texts[k].trim(),
    );
    if (changed.length === 0) {
      onDone(false);
      return;
    }
    const result = await update({
      input: {
        id: onto.offer.id,
        expectedVersion: onto.offer.version,
        ...(changed.includes('title')
          ? { title: withText(onto.offer.titleTranslations, language, title) }
          : {}),
        ...(changed.includes('description')
          ? { description: withText(onto.offer.descriptionTranslations, language, description) }
          : {}),
      },
      lang,
    });
    const p = failure(result.error, result.data?.updateOffer);
    if (p?.__typename === 'VersionConflictError') {
      const fresh = await client
        .query(
          ConsoleCatalogueOfferTranslationsDocument,
          { id: onto.offer.id, lang },
          { requestPolicy: 'network-only' },
        )
        .toPromise();
      const current = fresh.data?.node?.__typename === 'Offer' ? fresh.data.node : null;
      if (!current) {
        setProblem({ __typename: 'ReloadFailed', message: t.conflictReloadFailed });
        return;
      }
      setConflict({ offer: current, texts: textOf(current) });
      return;
    }
    if (p) {
      setProblem(p);
      return;
    }
    onDone(true);
  }

  const submit = (e: FormEvent) => {
    e.preventDefault();
    void save(base);
  };
  const rows = conflict
    ? (['title', 'description'] as const)
        .filter((k) => mine.includes(k) || conflict.texts[k] !== base.texts[k])
        .map((k) => {
          const theirs = conflict.texts[k] !== base.texts[k];
          const who = mine.includes(k) && theirs ? 'both' : mine.includes(k) ? 'mine' : 'theirs';
          return {
            key: k,
            label: k === 'title' ? t.title : t.description,
            who,
            mine: who === 'theirs' ? <em>{t.unchanged}</em> : <Shown value={values[k]} />,
            theirs: who === 'mine' ? <em>{t.unchanged}</em> : <Shown value={conflict.texts[k]} />,
          } as const;
        })
    : [];

  return (
    <form className="form" onSubmit={submit} aria-label={t.editTranslation(name)}>
      {conflict && (
        <ConflictPanel
          title={t.conflictTitle}
          opened={base.offer.version}
          current={conflict.offer.version}
          rows={rows}
          busy={fetching}
          onKeepMine={() => {
            const onto = conflict;
            setBase(onto);
            setConflict(null);
            void save(onto);
          }}
          onTakeTheirs={() => {
            setBase(conflict);
            setTitle(conflict.texts.title);
            setDescription(conflict.texts.description);
            setConflict(null);
          }}
        />
      )}
      {problem && <ProblemNotice problem={problem} />}
      <label>
        {t.title} ({name})
        <input
          lang={langTag(language)}
          dir={isRtl(language) ? 'rtl' : 'auto'}
          maxLength={300}
          required={isSource}
          value={title}
          onChange={(e) => setTitle(e.target.value)}
        />
      </label>
      <label>
        {t.description} ({name})
        <textarea
          lang={langTag(language)}
          dir={isRtl(language) ? 'rtl' : 'auto'}
          rows={6}
          maxLength={10000}
          value={description}
          onChange={(e) => setDescription(e.target.value)}
        />
      </label>
      <div className="form-actions">
        <button type="submit" className="primary" disabled={fetching || conflict !== null}>
          {fetching ? t.saving : t.save}
        </button>
        <button type="button" className="secondary" onClick={() => onDone(false)}>
          {c.cancel}
        </button>
      </div>
    </form>
  );
}
