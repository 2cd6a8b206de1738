/**
 * `/organiser/:slug/edit`: an edition's title and description in every language it has (French,
 * German and English always offered, others added on demand), and its first and last day and hours
 * on Luxembourg's clock. The hub replaces the whole list of a text's translations, so the form
 * holds all of them. Only what changed is sent, with the version read: a stale version changes
 * nothing and the form shows the edition as it now stands. Moving the first day moves the
 * programme with it and, once published, mails everyone registered (the hub's rule,
 * `updateEventEdition`); the form says so before saving.
 */
import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { useClient, useMutation, useQuery } from 'urql';
import { Link, useParams } from 'wouter';
import {
  ConsoleEditEditionDocument,
  ConsoleUpdateEditionDocument,
  type ConsoleEditEditionQuery,
  type Language,
} from '../../../../generated/graphql.ts';
import { useFormat, useLocale, useMessages } from '../../i18n/i18n.tsx';
import { fromLuxembourgDayAndTime, luxembourgDayAndTime } from '../../i18n/luxembourg-time.ts';
import { fieldKey, useErrorText, type ApiError } from '../../ui/errors.ts';
import { FormField, type FieldText } from '../../ui/FormField.tsx';
import { Page } from '../../ui/Page.tsx';
import { Notice, QueryState } from '../../ui/states.tsx';
import {
  isRtl,
  LANGUAGE_NAMES,
  LANGUAGES,
  langTag,
  listOf,
  textsOf,
  type Texts,
} from '../catalogue/editor.ts';
import { apiLanguage, Breadcrumb } from './edition.tsx';
import { editEditionMessages } from './edit-edition.messages.ts';
import { eventsMessages } from './events.messages.ts';
import './events.css';

type Edition = NonNullable<ConsoleEditEditionQuery['eventEdition']>;

/** The languages always offered: the console's. */
const OFFERED: readonly Language[] = ['FR', 'DE', 'EN'];

export default function EditEditionPage() {
  const { slug } = useParams<{ slug: string }>();
  const t = useMessages(eventsMessages);
  const { locale } = useLocale();
  const client = useClient();
  const variables = { slug, lang: apiLanguage(locale) };
  const [result, reexecute] = useQuery({ query: ConsoleEditEditionDocument, variables });
  /**
   * What the last save did, or that the edition had changed meanwhile: said above the form, which
   * is drawn anew from the edition as it stands.
   */
  const [news, setNews] = useState<News | null>(null);
  return (
    <QueryState result={result} retry={() => reexecute({ requestPolicy: 'network-only' })}>
      {(data) =>
        data.eventEdition?.youOrganise ? (
          <EditForm
            // A new version (saved here, or read again after a conflict) starts the form afresh.
            key={data.eventEdition.version}
            edition={data.eventEdition}
            news={news}
            onNews={setNews}
            reread={() =>
              client
                .query(ConsoleEditEditionDocument, variables, { requestPolicy: 'network-only' })
                .toPromise()
            }
          />
        ) : (
          <Page title={data.eventEdition ? t.refusedTitle : t.notFoundTitle}>
            <p>{data.eventEdition ? t.refusedText : t.notFoundText}</p>
            <p>
              <Link href="/organiser">{t.backToEvents}</Link>
            </p>
          </Page>
        )
      }
    </QueryState>
  );
}

type News = { kind: 'saved'; told: number } | { kind: 'stale' };

interface FormState {
  titles: Texts;
  descriptions: Texts;
  startDay: string;
  startTime: string;
  endDay: string;
  endTime: string;
}

function formOf(edition: Edition): FormState {
  const start = luxembourgDayAndTime(edition.startsAt);
  const end = luxembourgDayAndTime(edition.endsAt);
  return {
    titles: textsOf(edition.titleTranslations),
    descriptions: textsOf(edition.descriptionTranslations),
    startDay: start.day,
    startTime: start.time,
    endDay: end.day,
    endTime: end.time,
  };
}

/** Two lists of translations say the same (the order and blank texts aside). */
const sameTexts = (a: Texts, b: Texts) => JSON.stringify(listOf(a)) === JSON.stringify(listOf(b));

function EditForm({
  edition,
  news,
  onNews,
  reread,
}: {
  edition: Edition;
  news: News | null;
  onNews: (news: News | null) => void;
  reread: () => Promise<unknown>;
}) {
  const t = useMessages(editEditionMessages);
  const te = useMessages(eventsMessages);
  const f = useFormat();
  const { locale } = useLocale();
  const errorText = useErrorText();
  const id = useId();
  const initial = useRef(formOf(edition)).current;
  const [form, setForm] = useState<FormState>(initial);
  const [problem, setProblem] = useState<ApiError | null>(null);
  const [unchanged, setUnchanged] = useState(false);
  const [state, update] = useMutation(ConsoleUpdateEditionDocument);
  const formRef = useRef<HTMLFormElement>(null);
  const newsRef = useRef<HTMLDivElement>(null);
  // After a save or a conflict (the form drawn anew from the edition), the news has the focus.
  useEffect(() => {
    if (news) newsRef.current?.focus();
  }, [news]);
  // The languages shown: the console's three, those the edition has, and those added here.
  const [shown, setShown] = useState<Language[]>(() =>
    LANGUAGES.filter((l) => OFFERED.includes(l) || initial.titles[l] || initial.descriptions[l]),
  );
  const [adding, setAdding] = useState<Language | ''>('');
  const others = LANGUAGES.filter((l) => !shown.includes(l));
  useEffect(() => {
    if (!problem) return;
    const invalid = formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]');
    (invalid ?? formRef.current?.querySelector<HTMLElement>('[role="alert"]'))?.focus();
  }, [problem]);

  const set = <K extends keyof FormState>(key: K, value: FormState[K]) => {
    setForm((prev) => ({ ...prev, [key]: value }));
    setUnchanged(false);
  };
  const setText = (key: 'titles' | 'descriptions', language: Language, text: string) =>
    set(key, { ...form[key], [language]: text });

  const problems = new Map<string, FieldText>();
  for (const p of problem?.fields ?? []) {
    const key = fieldKey(p.path).split('.')[0]!;
    if (problems.has(key)) continue;
    if (p.reason === 'SESSIONS_OUTSIDE') {
      const n = p.limit ?? 1;
      const before = key === 'startsAt';
      const text =
        n === 1
          ? before
            ? t.sessionsBeforeOne
            : t.sessionsAfterOne
          : before
            ? t.sessionsBefore(f.number(n))
            : t.sessionsAfter(f.number(n));
      problems.set(key, { text });
    } else if (key === 'registrationClosesAt') {
      // The form has no closing time: said at the first day (carried into the past by a move) or
      // at the end (it would fall after it).
      if (p.reason === 'PAST') problems.set('startsAt', { text: t.closesPast });
      else if (!problems.has('endsAt')) {
        const closes = edition.registrationClosesAt ? f.date(edition.registrationClosesAt) : '';
        problems.set('endsAt', { text: t.closesAfterEnd(closes) });
      }
    } else if (key === 'title') problems.set(key, { text: t.titleRequired });
    else if (key === 'endsAt' && !p.reason) problems.set(key, { text: te.endsBeforeStart });
    else problems.set(key, { text: p.message, lang: 'en' });
  }
  const unplaced = ![...problems.keys()].some((k) => ['title', 'startsAt', 'endsAt'].includes(k));

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setProblem(null);
    onNews(null);
    const startsAt = fromLuxembourgDayAndTime(form.startDay, form.startTime);
    const endsAt = fromLuxembourgDayAndTime(form.endDay, form.endTime);
    // The browser's date and time inputs give well-formed values (and are required).
    if (!startsAt || !endsAt) return;
    const changes = {
      ...(sameTexts(form.titles, initial.titles) ? {} : { title: listOf(form.titles) }),
      ...(sameTexts(form.descriptions, initial.descriptions)
        ? {}
        : { description: listOf(form.descriptions) }),
      ...(startsAt.getTime() === Date.parse(edition.startsAt) ? {} : { startsAt: startsAt.toISOString() }),
      ...(endsAt.getTime() === Date.parse(edition.endsAt) ? {} : { endsAt: endsAt.toISOString() }),
    };
    if (Object.keys(changes).length === 0) return setUnchanged(true);
    const res = await update({
      input: { id: edition.id, expectedVersion: edition.version, ...changes },
      lang: apiLanguage(locale),
    });
    const r = res.data?.updateEventEdition;
    if (!r) return setProblem({ code: 'network', message: res.error?.message ?? '' });
    if (r.__typename === 'VersionConflictError') {
      // Changed elsewhere: the edition is read again, then the form is drawn from it and says so.
      await reread();
      return onNews({ kind: 'stale' });
    }
    if (r.__typename !== 'MutationUpdateEventEditionSuccess') return setProblem(r);
    // The cache holds the new version: the page draws a fresh form, and says what was done.
    onNews({ kind: 'saved', told: r.data.toldCount });
  };

  const busy = state.fetching;
  const sessions = edition.sessions.length;
  const registered = edition.participantCounts?.registered ?? 0;
  const published = edition.status !== 'DRAFT' && Date.parse(edition.endsAt) > Date.now();

  return (
    <Page title={t.title(edition.title.text)}>
      <Breadcrumb>
        <Link href={`/organiser/${edition.slug}`}>{edition.title.text}</Link>
      </Breadcrumb>
      {news && (
        <div ref={newsRef} tabIndex={-1}>
          {news.kind === 'saved' ? (
            <Notice kind="ok">
              {news.told === 0
                ? t.saved
                : news.told === 1
                  ? t.savedToldOne
                  : t.savedTold(f.number(news.told))}{' '}
              <Link href={`/organiser/${edition.slug}`}>{t.back}</Link>
            </Notice>
          ) : (
            <Notice kind="problem">{t.stale}</Notice>
          )}
        </div>
      )}
      <p className="muted">{t.intro}</p>
      <form ref={formRef} className="form" onSubmit={(e) => void submit(e)} aria-busy={busy}>
        {problems.get('title') && (
          <div role="alert" tabIndex={-1} className="notice notice-problem">
            {problems.get('title')!.text}
          </div>
        )}
        {shown.map((language) => (
          <fieldset
            key={language}

            lang={langTag(language)}
            dir={isRtl(language) ? 'rtl' : 'ltr'}
          >
            <legend>{LANGUAGE_NAMES[language]}</legend>
            <FormField id={`${id}-title-${language}`} label={t.editionTitle}>
              {(control) => (
                <input
                  {...control}
                  lang={langTag(language)}
                  maxLength={200}
                  autoComplete="off"
                  value={form.titles[language] ?? ''}
                  onChange={(e) => setText('titles', language, e.target.value)}
                />
              )}
            </FormField>
            <FormField id={`${id}-description-${language}`} label={t.description}>
              {(control) => (
                <textarea
                  {...control}
                  lang={langTag(language)}
                  maxLength={5000}
                  rows={4}
                  value={form.descriptions[language] ?? ''}
                  onChange={(e) => setText('descriptions', language, e.target.value)}
                />
              )}
            </FormField>
          </fieldset>
        ))}
        {others.length > 0 && (
          <div className="row">
            <FormField id={`${id}-add`} label={t.addLanguage}>
              {(control) => (
                <select
                  {...control}
                  value={adding}
                  onChange={(e) => setAdding(e.target.value as Language | '')}
                >
                  <option value="">—</option>
                  {others.map((l) => (
                    <option key={l} value={l} lang={langTag(l)}>
                      {LANGUAGE_NAMES[l]}
                    </option>
                  ))}
                </select>
              )}
            </FormField>
            <button
              type="button"
              disabled={!adding}
              onClick={() => {
                if (!adding) return;
                setShown(LANGUAGES.filter((l) => shown.includes(l) || l === adding));
                setAdding('');
                // The new language's title, once drawn.
                requestAnimationFrame(() => document.getElementById(`${id}-title-${adding}`)?.focus());
              }}
            >
              {t.addLanguage}
            </button>
          </div>
        )}

        <fieldset>
          <legend>{t.datesHeading}</legend>
          <div className="row">
            <FormField id={`${id}-start-day`} label={t.startDay} problem={problems.get('startsAt')}>
              {(control) => (
                <input
                  {...control}
                  type="date"
                  required
                  value={form.startDay}
                  onChange={(e) => set('startDay', e.target.value)}
                />
              )}
            </FormField>
            <FormField id={`${id}-start-time`} label={t.startTime}>
              {(control) => (
                <input
                  {...control}
                  type="time"
                  required
                  value={form.startTime}
                  onChange={(e) => set('startTime', e.target.value)}
                />
              )}
            </FormField>
          </div>
          <div className="row">
            <FormField id={`${id}-end-day`} label={t.endDay} problem={problems.get('endsAt')}>
              {(control) => (
                <input
                  {...control}
                  type="date"
                  required
                  value={form.endDay}
                  onChange={(e) => set('endDay', e.target.value)}
                />
              )}
            </FormField>
            <FormField id={`${id}-end-time`} label={t.endTime}>
              {(control) => (
                <input
                  {...control}
                  type="time"
                  required
                  value={form.endTime}
                  onChange={(e) => set('endTime', e.target.value)}
                />
              )}
            </FormField>
          </div>
          {sessions > 0 && (
            <p className="field-hint">
              {sessions === 1 ? t.movesProgrammeOne : t.movesProgramme(f.number(sessions))}
            </p>
          )}
          {published && registered > 0 && (
            <p className="field-hint">
              {registered === 1 ? t.tellsPeopleOne : t.tellsPeople(f.number(registered))}
            </p>
          )}
        </fieldset>

        {problem && unplaced && (
          <div role="alert" tabIndex={-1} className="notice notice-problem">
            {errorText(problem)}
          </div>
        )}
        {unchanged && <Notice kind="ok">{t.nothingChanged}</Notice>}
        <p className="row">
          <button type="submit" className="primary" disabled={busy}>
            {busy ? t.saving : t.save}
          </button>
          <Link href={`/organiser/${edition.slug}`} className="button secondary">
            {t.back}
          </Link>
        </p>
      </form>
    </Page>
  );
}
