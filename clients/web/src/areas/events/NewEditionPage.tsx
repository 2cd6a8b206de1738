/**
 * `/organiser/events/:event/new-edition`: the next edition of an event the viewer organises. Its
 * title (in the console's language), its address (`/events/<slug>`, proposed from the title), its
 * day and hours on Luxembourg's clock, and, from the latest edition, the same venue and the same
 * invited organisations (each gets a new code). It is created as a draft: the edition's page then
 * publishes it and opens registration.
 */
import { useEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import { useMutation, useQuery } from 'urql';
import { Link, useLocation, useParams } from 'wouter';
import {
  ConsoleCreateEditionDocument,
  ConsoleNewEditionEventDocument,
  type ConsoleNewEditionEventQuery,
} from '../../../../generated/graphql.ts';
import { useLocale, useMessages } from '../../i18n/i18n.tsx';
import { fromLuxembourgDayAndTime, luxembourgDayAndTime } from '../../i18n/luxembourg-time.ts';
import { fieldKey, useErrorText, useReasonText, type ApiError } from '../../ui/errors.ts';
import { FormField, type FieldText } from '../../ui/FormField.tsx';
import { Page } from '../../ui/Page.tsx';
import { QueryState } from '../../ui/states.tsx';
import { apiLanguage, Breadcrumb } from './edition.tsx';
import { eventsMessages } from './events.messages.ts';
import './events.css';

type SeriesEvent = NonNullable<ConsoleNewEditionEventQuery['event']>;

/** An address from a title: lower case, no accents, words joined by single hyphens. */
export function slugFrom(title: string): string {
  return title
    .normalize('NFD')
    .replace(/\p{Diacritic}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80)
    .replace(/-+$/, '');
}

export default function NewEditionPage() {
  const { event: slug } = useParams<{ event: string }>();
  const t = useMessages(eventsMessages);
  const { locale } = useLocale();
  const [result, reexecute] = useQuery({
    query: ConsoleNewEditionEventDocument,
    variables: { slug, lang: apiLanguage(locale) },
  });
  return (
    <QueryState result={result} retry={() => reexecute({ requestPolicy: 'network-only' })}>
      {(data) =>
        data.event?.youOrganise ? (
          <NewEditionForm event={data.event} />
        ) : (
          <Page title={data.event ? t.refusedTitle : t.notFoundTitle}>
            <p>{data.event ? t.refusedText : t.notFoundText}</p>
            <p>
              <Link href="/organiser">{t.backToEvents}</Link>
            </p>
          </Page>
        )
      }
    </QueryState>
  );
}

interface FormState {
  title: string;
  slug: string;
  day: string;
  starts: string;
  ends: string;
  sameVenue: boolean;
  sameInvited: boolean;
}

function NewEditionForm({ event }: { event: SeriesEvent }) {
  const t = useMessages(eventsMessages);
  const { locale } = useLocale();
  const errorText = useErrorText();
  const reasonText = useReasonText();
  const [, navigate] = useLocation();
  // Editions come newest first: the latest is where the next one starts from.
  const latest = event.editions[0];
  const [form, setForm] = useState<FormState>(() => ({
    title: '',
    slug: '',
    day: '',
    starts: latest ? luxembourgDayAndTime(latest.startsAt).time : '09:00',
    ends: latest ? luxembourgDayAndTime(latest.endsAt).time : '17:00',
    sameVenue: Boolean(latest?.venue),
    sameInvited: (latest?.invitedOrganisations.length ?? 0) > 0,
  }));
  /** The address follows the title until the organiser writes one. */
  const [slugTouched, setSlugTouched] = useState(false);
  const [problem, setProblem] = useState<ApiError | null>(null);
  const [state, create] = useMutation(ConsoleCreateEditionDocument);
  const formRef = useRef<HTMLFormElement>(null);
  useEffect(() => {
    if (problem) {
      const invalid = formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]');
      (invalid ?? formRef.current?.querySelector<HTMLElement>('[role="alert"]'))?.focus();
    }
  }, [problem]);
  const set = <K extends keyof FormState>(key: K, value: FormState[K]) =>
    setForm((prev) => ({ ...prev, [key]: value }));
  const slug = slugTouched ? form.slug : slugFrom(form.title);
  const invitedCount = latest?.invitedOrganisations.length ?? 0;

  const problems = useMemo(() => {
    const out = new Map<string, FieldText>();
    for (const f of problem?.fields ?? []) {
      const key = fieldKey(f.path).split('.')[0]!;
      if (out.has(key)) continue;
      if (key === 'slug' && f.reason === 'TAKEN') out.set(key, { text: t.slugTaken });
      else if (key === 'slug' && f.reason === 'FORMAT') out.set(key, { text: t.slugFormat });
      else if (key === 'endsAt' && !f.reason) out.set(key, { text: t.endsBeforeStart });
      else {
        const words = reasonText(f);
        out.set(key, words ? { text: words } : { text: f.message, lang: 'en' });
      }
    }
    return out;
  }, [problem, t, reasonText]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setProblem(null);
    const startsAt = fromLuxembourgDayAndTime(form.day, form.starts);
    const endsAt = fromLuxembourgDayAndTime(form.day, form.ends);
    // The browser's date and time inputs give well-formed values (and are required).
    if (!startsAt || !endsAt) return;
    const res = await create({
      input: {
        eventId: event.id,
        title: [{ language: apiLanguage(locale), text: form.title.trim() }],
        slug,
        startsAt: startsAt.toISOString(),
        endsAt: endsAt.toISOString(),
        ...(form.sameVenue && latest?.venue ? { venueSiteId: latest.venue.id } : {}),
        invitedOrganisationIds:
          form.sameInvited && latest ? latest.invitedOrganisations.map((o) => o.id) : [],
      },
    });
    const r = res.data?.createEventEdition;
    if (!r) return setProblem({ code: 'network', message: res.error?.message ?? '' });
    if (r.__typename !== 'MutationCreateEventEditionSuccess') return setProblem(r);
    navigate(`/organiser/${r.data.edition.slug}`);
  };

  const busy = state.fetching;
  /** A problem no field shows (a missing right, the network): said once, below the fields. */
  const unplaced = ![...problems.keys()].some((k) => ['title', 'slug', 'startsAt', 'endsAt'].includes(k));

  return (
    <Page title={t.newEditionTitle(event.name.text)}>
      <Breadcrumb>{event.name.text}</Breadcrumb>
      <p className="muted">{t.newEditionIntro}</p>
      <form ref={formRef} className="form" onSubmit={(e) => void submit(e)} aria-busy={busy}>
        <FormField
          id="ne-title"
          label={t.editionTitle}
          problem={problems.get('title')}
          hint={t.editionTitleHint}
        >
          {(control) => (
            <input
              {...control}
              required
              maxLength={200}
              autoComplete="off"
              value={form.title}
              onChange={(e) => set('title', e.target.value)}
            />
          )}
        </FormField>
        <FormField
          id="ne-slug"
          label={t.editionSlug}
          problem={problems.get('slug')}
          hint={t.editionSlugHint(`/events/${slug || '…'}`)}
        >
          {(control) => (
            <input
              {...control}
              required
              maxLength={80}
              autoComplete="off"
              spellCheck={false}
              value={slug}
              onChange={(e) => {
                setSlugTouched(true);
                set('slug', e.target.value);
              }}
            />
          )}
        </FormField>
        <div className="row">
          <FormField id="ne-day" label={t.sessionDay} problem={problems.get('startsAt')}>
            {(control) => (
              <input
                {...control}
                type="date"
                required
                value={form.day}
                onChange={(e) => set('day', e.target.value)}
              />
            )}
          </FormField>
          <FormField id="ne-starts" label={t.sessionStarts}>
            {(control) => (
              <input
                {...control}
                type="time"
                required
                value={form.starts}
                onChange={(e) => set('starts', e.target.value)}
              />
            )}
          </FormField>
          <FormField id="ne-ends" label={t.sessionEnds} problem={problems.get('endsAt')}>
            {(control) => (
              <input
                {...control}
                type="time"
                required
                value={form.ends}
                onChange={(e) => set('ends', e.target.value)}
              />
            )}
          </FormField>
        </div>
        {latest?.venue && (
          <label className="check">
            <input
              type="checkbox"
              checked={form.sameVenue}
              onChange={(e) => set('sameVenue', e.target.checked)}
            />
            <span>{t.sameVenue(latest.venue.name)}</span>
          </label>
        )}
        {invitedCount > 0 && (
          <label className="check">
            <input
              type="checkbox"
              checked={form.sameInvited}
              onChange={(e) => set('sameInvited', e.target.checked)}
            />
            <span>{t.sameInvited(invitedCount)}</span>
          </label>
        )}
        {problem && unplaced && (
          <div role="alert" tabIndex={-1} className="notice notice-problem">
            {errorText(problem)}
          </div>
        )}
        <p className="row">
          <button type="submit" className="primary" disabled={busy}>
            {busy ? t.saving : t.createEdition}
          </button>
          <Link href="/organiser" className="button secondary">
            {t.cancelEdit}
          </Link>
        </p>
      </form>
    </Page>
  );
}
