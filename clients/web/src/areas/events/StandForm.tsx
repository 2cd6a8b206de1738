/**
 * Setting up or changing a stand: the organisation (when setting up), its number, the project and
 * what worked in one language at a time (the texts in other languages are sent back unchanged: the
 * hub replaces a text's translations as a whole), a few figures, its team from the edition's
 * registrations of that organisation, and the catalogue offers it presents. A change carries the
 * version read (a stale one is refused and changes nothing); the hub's field problems show next to
 * their fields, in the user's words where the console knows them.
 */
import {
  cloneElement,
  useEffect,
  useRef,
  useState,
  type FormEvent,
  type ReactElement,
  type ReactNode,
} from 'react';
import { useMutation, useQuery } from 'urql';
import {
  ConsoleCreateStandDocument,
  ConsoleStandChoicesDocument,
  ConsoleUpdateStandDocument,
  type Language,
  type TranslationInput,
} from '../../../../generated/graphql.ts';
import { useLocale, useMessages } from '../../i18n/i18n.tsx';
import { fieldProblems, fieldReasons, useErrorText, type ApiError } from '../../ui/errors.ts';
import { FormField } from '../../ui/FormField.tsx';
import { Notice } from '../../ui/states.tsx';
import { apiLanguage } from './edition.tsx';
import { eventsMessages } from './events.messages.ts';
import type { ConsoleStand } from './StandsPage.tsx';

/** The languages the form writes in (a stand's texts in others are kept as they are). */
const TEXT_LANGUAGES = ['FR', 'DE', 'EN'] as const;
type TextLanguage = (typeof TEXT_LANGUAGES)[number];
type Texts = Partial<Record<Language, string>>;

export interface StandEdition {
  id: string;
  slug: string;
}

interface Figure {
  key: number;
  label: Texts;
  value: string;
}

interface FormState {
  organisationId: string;
  number: string;
  title: Texts;
  description: Texts;
  results: Texts;
  figures: Figure[];
  offerIds: string[];
  teamIds: string[];
}

const textsOf = (list: readonly { language: Language; text: string }[]): Texts =>
  Object.fromEntries(list.map((x) => [x.language, x.text]));

/** The translations to send: every language with a text, the edited one as typed. */
const translations = (texts: Texts): TranslationInput[] =>
  Object.entries(texts)
    .map(([language, text]) => ({ language: language as Language, text: (text ?? '').trim() }))
    .filter((x) => x.text !== '');

function initialState(stand: ConsoleStand | undefined, organisationId: string): FormState {
  let key = 0;
  return {
    organisationId: stand?.organisation.id ?? organisationId,
    number: stand?.number ?? '',
    title: stand ? textsOf(stand.titleTranslations) : {},
    description: stand ? textsOf(stand.descriptionTranslations) : {},
    results: stand ? textsOf(stand.resultsTranslations) : {},
    figures: (stand?.figures ?? []).map((f) => ({
      key: key++,
      label: textsOf(f.labelTranslations),
      value: String(f.value),
    })),
    offerIds: stand?.offers.map((o) => o.id) ?? [],
    teamIds: stand?.teamRegistrations.filter((r) => r.status === 'REGISTERED').map((r) => r.id) ?? [],
  };
}

export function StandForm({
  edition,
  stand,
  organisations = [],
  onStands = new Map(),
  onDone,
  onCancel,
  onStale,
}: {
  edition: StandEdition;
  /** The stand to change; none: a new one. */
  stand?: ConsoleStand;
  /** Who a new stand may be of. */
  organisations?: { id: string; slug: string; name: string }[];
  /** Registrations already on a stand of the edition: the stand's label, by registration ID. */
  onStands?: ReadonlyMap<string, string>;
  onDone: (stand: ConsoleStand) => void;
  onCancel: () => void;
  /** The stand changed since it was read: read it again (the form keeps what was typed). */
  onStale?: () => void;
}) {
  const t = useMessages(eventsMessages);
  const { locale } = useLocale();
  const errorText = useErrorText();
  const lang = apiLanguage(locale);
  const [form, setForm] = useState(() =>
    initialState(stand, organisations.length === 1 ? organisations[0]!.id : ''),
  );
  /** The version read when the form opened: sent back so that a change made meanwhile is not lost. */
  const [version, setVersion] = useState(stand?.version ?? 0);
  const [textLanguage, setTextLanguage] = useState<TextLanguage>(() => {
    const titled = stand?.titleTranslations.map((x) => x.language) ?? [];
    if (!stand || titled.includes(lang)) return lang as TextLanguage;
    return TEXT_LANGUAGES.find((l) => titled.includes(l)) ?? 'FR';
  });
  const [problem, setProblem] = useState<ApiError | null>(null);
  const [createState, create] = useMutation(ConsoleCreateStandDocument);
  const [updateState, update] = useMutation(ConsoleUpdateStandDocument);
  const busy = createState.fetching || updateState.fetching;
  const problems = fieldProblems(problem);
  const reasons = fieldReasons(problem);
  const formRef = useRef<HTMLFormElement>(null);
  // The hub found problems: the first field it named has the focus (the form may be long).
  useEffect(() => {
    if (problem) formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [problem]);
  const idBase = stand ? `stand-${stand.id}` : 'stand-new';

  const organisation = stand?.organisation ?? organisations.find((o) => o.id === form.organisationId);
  const [choices] = useQuery({
    query: ConsoleStandChoicesDocument,
    variables: {
      slug: edition.slug,
      organisationSlug: organisation?.slug ?? '',
      organisationId: organisation?.id ?? '',
      lang,
    },
    pause: !organisation,
  });

  const set = <K extends keyof FormState>(key: K, value: FormState[K]) =>
    setForm((prev) => ({ ...prev, [key]: value }));
  const setText = (key: 'title' | 'description' | 'results', text: string) =>
    setForm((prev) => ({ ...prev, [key]: { ...prev[key], [textLanguage]: text } }));
  const toggle = (key: 'offerIds' | 'teamIds', id: string, on: boolean) =>
    setForm((prev) => ({
      ...prev,
      [key]: on ? [...prev[key].filter((x) => x !== id), id] : prev[key].filter((x) => x !== id),
    }));
  const setFigure = (i: number, change: Partial<Omit<Figure, 'key'>>) =>
    setForm((prev) => ({
      ...prev,
      figures: prev.figures.map((f, j) => (j === i ? { ...f, ...change } : f)),
    }));

  const fields = () => {
    const number = form.number.trim();
    return {
      title: translations(form.title),
      description: translations(form.description),
      results: translations(form.results),
      figures: form.figures.map((f) => ({ label: translations(f.label), value: Number(f.value) })),
      offerIds: form.offerIds,
      teamRegistrationIds: form.teamIds,
      number: number || null,
    };
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setProblem(null);
    if (!stand) {
      const res = await create({
        input: { editionId: edition.id, organisationId: form.organisationId, ...fields() },
        lang,
      });
      const r = res.data?.createStand;
      if (!r) return setProblem({ code: 'network', message: res.error?.message ?? '' });
      if (r.__typename !== 'MutationCreateStandSuccess') return setProblem(r);
      return onDone(r.data.stand);
    }
    const { description, results, ...rest } = fields();
    const res = await update({
      input: {
        id: stand.id,
        expectedVersion: version,
        ...rest,
        // An empty text clears it.
        description: description.length ? description : null,
        results: results.length ? results : null,
      },
      lang,
    });
    const r = res.data?.updateStand;
    if (!r) return setProblem({ code: 'network', message: res.error?.message ?? '' });
    if (r.__typename !== 'MutationUpdateStandSuccess') {
      if (r.__typename === 'VersionConflictError') onStale?.();
      return setProblem(r);
    }
    onDone(r.data.stand);
  };

  /** A field's problem in the user's words, by the reason the hub gives (else the hub's sentence). */
  const problemText = (key: string): string | undefined => {
    const message = problems[key];
    if (!message) return undefined;
    const field = key.replace(/\.\d+(?=\.|$)/g, '.*');
    switch (`${field} ${reasons[key] ?? ''}`) {
      case 'number TAKEN':
        return t.numberTaken;
      case 'number FORMAT':
        return t.numberFormat;
      case 'title REQUIRED':
        return t.titleMissing;
      case 'figures.*.label REQUIRED':
        return t.figureLabelMissing;
      case 'figures.*.value FORMAT':
        return t.figureValueFormat;
      case 'offerIds.* NOT_FOUND':
        return t.offerNotFound;
      case 'offerIds.* OTHER_ORGANISATION':
        return t.offerOtherOrganisation;
      case 'teamRegistrationIds.* NOT_FOUND':
        return t.memberNotFound;
      case 'teamRegistrationIds.* CANCELLED':
        return t.memberCancelled;
      case 'teamRegistrationIds.* OTHER_ORGANISATION':
        return t.memberOtherOrganisation;
      default:
        return message;
    }
  };
  /** Problems of a list (offerIds.3, teamRegistrationIds.0…) or anything under a key, in one text. */
  const problemsUnder = (prefix: string): string | undefined => {
    const found = Object.keys(problems)
      .filter((k) => k === prefix || k.startsWith(`${prefix}.`))
      .map((k) => problemText(k));
    return found.length ? [...new Set(found)].join(' ') : undefined;
  };
  const problemId = (key: string) => `${idBase}-problem-${key.replace(/\./g, '-')}`;
  /**
   * A control under its label (not inside it: a select's name would include its value), then its
   * problem when the hub found one (the control is invalid and described by it), then its hint.
   */
  const field = (
    key: string,
    label: string,
    input: ReactElement<Record<string, unknown>>,
    opts: { hint?: string; className?: string } = {},
  ) => {
    const text = problemsUnder(key);
    return (
      <FormField
        id={`${idBase}-${key.replace(/\./g, '-')}`}
        label={label}
        problem={text ? { text } : null}
        hint={opts.hint}
        className={opts.className}
      >
        {(control) => cloneElement(input, { ...control })}
      </FormField>
    );
  };
  const listProblem = (key: string): ReactNode => {
    const text = problemsUnder(key);
    return (
      text && (
        <p className="field-error" id={problemId(key)}>
          {text}
        </p>
      )
    );
  };

  const registrations = choices.data?.eventEdition?.participants;
  const members = [
    ...(stand?.teamRegistrations ?? []),
    ...(registrations?.edges.map((e) => ({ ...e.node, status: 'REGISTERED' as const })) ?? []),
  ].filter((r, i, all) => all.findIndex((x) => x.id === r.id) === i);
  const offers = [
    ...(stand?.offers.map((o) => ({ ...o, status: 'PUBLISHED' as const })) ?? []),
    ...(choices.data?.organisation?.offers.edges.map((e) => e.node) ?? []),
  ].filter((o, i, all) => all.findIndex((x) => x.id === o.id) === i);

  return (
    <form ref={formRef} className="form ev-stand-form" onSubmit={(e) => void submit(e)} aria-busy={busy}>
      {!stand &&
        field(
          'organisationId',
          t.standOrganisation,
          <select
            value={form.organisationId}
            required
            onChange={(e) => setForm({ ...initialState(undefined, e.target.value), number: form.number })}
          >
            <option value="">{t.chooseOrganisation}</option>
            {organisations.map((o) => (
              <option key={o.id} value={o.id}>
                {o.name}
              </option>
            ))}
          </select>,
          { hint: t.standOrganisationHint },
        )}
      {field(
        'number',
        t.standNumber,
        <input
          value={form.number}
          maxLength={20}
          autoComplete="off"
          onChange={(e) => set('number', e.target.value)}
        />,
        { hint: t.standNumberHint },
      )}
      {field(
        'textLanguage',
        t.textLanguage,
        <select value={textLanguage} onChange={(e) => setTextLanguage(e.target.value as TextLanguage)}>
          {TEXT_LANGUAGES.map((l) => (
            <option key={l} value={l}>
              {t[`language_${l}`]}
            </option>
          ))}
        </select>,
        { hint: t.textLanguageHint },
      )}
      {field(
        'title',
        t.standTitle,
        <input
          value={form.title[textLanguage] ?? ''}
          maxLength={300}
          lang={textLanguage.toLowerCase()}
          onChange={(e) => setText('title', e.target.value)}
        />,
      )}
      {field(
        'description',
        t.standDescription,
        <textarea
          value={form.description[textLanguage] ?? ''}
          maxLength={5000}
          lang={textLanguage.toLowerCase()}
          onChange={(e) => setText('description', e.target.value)}
        />,
      )}
      {field(
        'results',
        t.standResults,
        <textarea
          value={form.results[textLanguage] ?? ''}
          maxLength={5000}
          lang={textLanguage.toLowerCase()}
          onChange={(e) => setText('results', e.target.value)}
        />,
      )}

      <fieldset aria-describedby={`${idBase}-figures-hint`}>
        <legend>{t.figuresLegend}</legend>
        <p className="field-hint" id={`${idBase}-figures-hint`}>
          {t.figuresHint}
        </p>
        {form.figures.map((fig, i) => (
          <div key={fig.key} className="ev-figure-row" role="group" aria-label={t.figureN(String(i + 1))}>
            {field(
              `figures.${i}.value`,
              t.figureValue,
              <input
                type="number"
                step="any"
                required
                value={fig.value}
                onChange={(e) => setFigure(i, { value: e.target.value })}
              />,
              { className: 'ev-figure-value' },
            )}
            {field(
              `figures.${i}.label`,
              t.figureLabel,
              <input
                value={fig.label[textLanguage] ?? ''}
                maxLength={200}
                lang={textLanguage.toLowerCase()}
                onChange={(e) => setFigure(i, { label: { ...fig.label, [textLanguage]: e.target.value } })}
              />,
              { className: 'ev-figure-label' },
            )}
            <button
              type="button"
              className="secondary"
              onClick={() =>
                set(
                  'figures',
                  form.figures.filter((_, j) => j !== i),
                )
              }
            >
              {t.removeFigure}
              <span className="visually-hidden"> – {t.figureN(String(i + 1))}</span>
            </button>
          </div>
        ))}
        {listProblem('figures')}
        <button
          type="button"
          onClick={() =>
            set('figures', [
              ...form.figures,
              { key: Math.max(0, ...form.figures.map((f) => f.key + 1)), label: {}, value: '' },
            ])
          }
        >
          {t.addFigure}
        </button>
      </fieldset>

      {organisation && (
        <>
          <fieldset
            aria-describedby={[
              `${idBase}-team-hint`,
              problemsUnder('teamRegistrationIds') && problemId('teamRegistrationIds'),
            ]
              .filter(Boolean)
              .join(' ')}
          >
            <legend>{t.teamLegend}</legend>
            <p className="field-hint" id={`${idBase}-team-hint`}>
              {t.teamHint}
            </p>
            {listProblem('teamRegistrationIds')}
            {!choices.data && choices.fetching ? (
              <p className="state" role="status">
                <span className="spinner" aria-hidden="true" /> {t.loadingChoices}
              </p>
            ) : members.length === 0 ? (
              <p className="muted">{t.noRegistrations}</p>
            ) : (
              <ul className="ev-checks">
                {members.map((r) => (
                  <li key={r.id}>
                    <label className="check">
                      <input
                        type="checkbox"
                        checked={form.teamIds.includes(r.id)}
                        disabled={r.status !== 'REGISTERED' && !form.teamIds.includes(r.id)}
                        onChange={(e) => toggle('teamIds', r.id, e.target.checked)}
                      />
                      <span>
                        {r.name}
                        {r.function && <span className="muted"> · {r.function}</span>}
                        {r.status !== 'REGISTERED' && <span className="muted"> ({t.cancelledMember})</span>}
                        {onStands.has(r.id) && !stand?.teamRegistrations.some((m) => m.id === r.id) && (
                          <span className="muted"> ({t.onStand(onStands.get(r.id)!)})</span>
                        )}
                      </span>
                    </label>
                  </li>
                ))}
              </ul>
            )}
            {registrations && registrations.totalCount > registrations.edges.length && (
              <p className="muted">
                {t.firstRegistrations(String(registrations.edges.length), String(registrations.totalCount))}
              </p>
            )}
          </fieldset>

          <fieldset
            aria-describedby={[`${idBase}-offers-hint`, problemsUnder('offerIds') && problemId('offerIds')]
              .filter(Boolean)
              .join(' ')}
          >
            <legend>{t.offersLegend}</legend>
            <p className="field-hint" id={`${idBase}-offers-hint`}>
              {t.offersHint}
            </p>
            {listProblem('offerIds')}
            {!choices.data && choices.fetching ? (
              <p className="state" role="status">
                <span className="spinner" aria-hidden="true" /> {t.loadingChoices}
              </p>
            ) : offers.length === 0 ? (
              <p className="muted">{t.noCatalogueOffers}</p>
            ) : (
              <ul className="ev-checks">
                {offers.map((o) => (
                  <li key={o.id}>
                    <label className="check">
                      <input
                        type="checkbox"
                        checked={form.offerIds.includes(o.id)}
                        onChange={(e) => toggle('offerIds', o.id, e.target.checked)}
                      />
                      <span>
                        {o.title.text}
                        {o.status !== 'PUBLISHED' && <span className="muted"> ({t.offerNotPublished})</span>}
                      </span>
                    </label>
                  </li>
                ))}
              </ul>
            )}
          </fieldset>
        </>
      )}

      {problem && (
        <Notice kind="problem">
          {errorText(problem)}
          {problem.code === 'common/version_conflict' && stand && (
            <>
              {' '}
              <button
                type="button"
                onClick={() => {
                  setForm(initialState(stand, stand.organisation.id));
                  setVersion(stand.version);
                  setProblem(null);
                }}
              >
                {t.reloadCurrent}
              </button>
            </>
          )}
        </Notice>
      )}
      <p className="row">
        <button type="submit" className="primary" disabled={busy}>
          {busy ? t.saving : stand ? t.save : t.createStand}
        </button>
        <button type="button" className="secondary" disabled={busy} onClick={onCancel}>
          {t.cancelEdit}
        </button>
      </p>
    </form>
  );
}
