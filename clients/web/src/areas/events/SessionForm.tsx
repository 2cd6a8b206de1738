/**
 * Adding a session to the programme (its title in the console's language, its kind) or changing
 * one: its day and hours on Luxembourg's clock, its room and its
 * seats (empty: no limit). Seats added go to the people waiting, in order, by the hub; seats are
 * never fewer than those taken. The times are sent only when changed, and the end keeps its day
 * after the start (a session past midnight stays so). The change carries the version read: a
 * stale one is refused and changes nothing. The hub's field problems show next to their fields, in
 * the user's words.
 */
import { useEffect, useRef, useState, type FormEvent, type InputHTMLAttributes } from 'react';
import { useMutation } from 'urql';
import {
  ConsoleCancelSessionDocument,
  ConsoleCreateSessionDocument,
  ConsoleUpdateSessionDocument,
  type ConsoleSessionFieldsFragment,
  type SessionKind,
} from '../../../../generated/graphql.ts';
import { useLocale, useMessages } from '../../i18n/i18n.tsx';
import { fromLuxembourgDayAndTime, luxembourgDayAndTime } from '../../i18n/luxembourg-time.ts';
import { fieldKey, useErrorText, useReasonText, type ApiError } from '../../ui/errors.ts';
import { FormField } from '../../ui/FormField.tsx';
import { Question, useQuestion } from '../../ui/Question.tsx';
import { Notice } from '../../ui/states.tsx';
import { apiLanguage } from './edition.tsx';
import { eventsMessages } from './events.messages.ts';

const KINDS: readonly SessionKind[] = ['WORKSHOP', 'ROUND_TABLE', 'PLENARY', 'OTHER'];

interface FormState {
  title: string;
  kind: SessionKind;
  day: string;
  starts: string;
  ends: string;
  room: string;
  capacity: string;
}

/** A new session's form: on the edition's first day, a workshop, no time yet. */
const blank = (day: string): FormState => ({
  title: '',
  kind: 'WORKSHOP',
  day,
  starts: '',
  ends: '',
  room: '',
  capacity: '',
});

function initialState(session: ConsoleSessionFieldsFragment): FormState {
  const start = luxembourgDayAndTime(session.startsAt);
  return {
    title: session.title.text,
    kind: session.kind,
    day: start.day,
    starts: start.time,
    ends: luxembourgDayAndTime(session.endsAt).time,
    room: session.room ?? '',
    capacity: session.capacity == null ? '' : String(session.capacity),
  };
}

const DAY_MS = 24 * 3600 * 1000;

/** Days from the start's day to the end's, on Luxembourg's clock (1 for a session past midnight). */
function endDayAfterStart(session: ConsoleSessionFieldsFragment): number {
  const day = (iso: string) => Date.parse(`${luxembourgDayAndTime(iso).day}T00:00:00Z`);
  return Math.round((day(session.endsAt) - day(session.startsAt)) / DAY_MS);
}

/** The new start and end, or null when the form's day and hours are those it opened with. */
function changedTimes(
  session: ConsoleSessionFieldsFragment,
  form: FormState,
): { startsAt: string; endsAt: string } | null {
  const opened = initialState(session);
  if (form.day === opened.day && form.starts === opened.starts && form.ends === opened.ends) return null;
  const startsAt = fromLuxembourgDayAndTime(form.day, form.starts);
  const endDay = new Date(Date.parse(`${form.day}T00:00:00Z`) + endDayAfterStart(session) * DAY_MS);
  const endsAt = fromLuxembourgDayAndTime(endDay.toISOString().slice(0, 10), form.ends);
  // The browser's date and time inputs give well-formed values; the hub names any other problem.
  return startsAt && endsAt ? { startsAt: startsAt.toISOString(), endsAt: endsAt.toISOString() } : null;
}

export function SessionForm({
  session,
  editionId,
  firstDay,
  lastDay,
  onDone,
  onCancel,
  onStale,
  onDropped,
}: {
  /** The session to change; none: a new one. */
  session?: ConsoleSessionFieldsFragment;
  editionId: string;
  /** The edition's first day (`YYYY-MM-DD`, Luxembourg), a new session's day. */
  firstDay: string;
  /** The edition's last day: the day picker offers the edition's days. */
  lastDay: string;
  /** Saved: the session as the hub now has it, and how many waiting people got a seat. */
  /** …and how many registered people the hub told of a new time or room. */
  onDone: (session: ConsoleSessionFieldsFragment, promotedCount: number, toldCount: number) => void;
  onCancel: () => void;
  /** The hub has a newer version: the page reads the edition again. */
  onStale: () => void;
  /** The session was taken off the programme; `toldCount` people were mailed. */
  onDropped?: (title: string, toldCount: number) => void;
}) {
  const t = useMessages(eventsMessages);
  const { locale } = useLocale();
  const errorText = useErrorText();
  const reasonText = useReasonText();
  const [form, setForm] = useState(() => (session ? initialState(session) : blank(firstDay)));
  /** The version read when the form opened: sent back so that a change made meanwhile is not lost. */
  const [version, setVersion] = useState(session?.version ?? 0);
  const [problem, setProblem] = useState<ApiError | null>(null);
  const [updateState, update] = useMutation(ConsoleUpdateSessionDocument);
  const [createState, create] = useMutation(ConsoleCreateSessionDocument);
  const [dropState, drop] = useMutation(ConsoleCancelSessionDocument);
  const busy = updateState.fetching || createState.fetching || dropState.fetching;
  /** "Take off the programme", asked first. */
  const question = useQuestion();
  // A session that has started stays in the programme (the hub refuses it too).
  const droppable = Boolean(session && onDropped && Date.parse(session.startsAt) > Date.now());

  const dropSession = async () => {
    if (!session || !onDropped) return;
    setProblem(null);
    const res = await drop({ input: { id: session.id, expectedVersion: version } });
    const r = res.data?.cancelSession;
    if (!r) {
      question.keep();
      return setProblem({ code: 'network', message: res.error?.message ?? '' });
    }
    if (r.__typename !== 'MutationCancelSessionSuccess') {
      question.keep();
      // Changed, started or taken off by someone else meanwhile: the programme is read again.
      onStale();
      const started = r.__typename === 'InvalidInputError' && r.fields?.some((f) => f.reason === 'PAST');
      return setProblem(started ? { code: 'session-started', message: t.sessionStarted } : r);
    }
    question.done();
    onDropped(session.title.text, r.data.toldCount);
  };
  const formRef = useRef<HTMLFormElement>(null);
  useEffect(() => {
    if (problem) formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [problem]);
  const idBase = `session-${session?.id ?? 'new'}`;
  const set = (key: keyof FormState, value: string) => setForm((prev) => ({ ...prev, [key]: value }));

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setProblem(null);
    const room = form.room.trim() || null;
    const capacity = form.capacity.trim() === '' ? null : Number(form.capacity);
    const lang = apiLanguage(locale);
    if (!session) {
      const startsAt = fromLuxembourgDayAndTime(form.day, form.starts);
      const endsAt = fromLuxembourgDayAndTime(form.day, form.ends);
      // The browser's date and time inputs give well-formed values (and are required).
      if (!startsAt || !endsAt) return;
      const res = await create({
        input: {
          editionId,
          kind: form.kind,
          title: [{ language: lang, text: form.title.trim() }],
          startsAt: startsAt.toISOString(),
          endsAt: endsAt.toISOString(),
          room,
          capacity,
        },
        lang,
      });
      const r = res.data?.createSession;
      if (!r) return setProblem({ code: 'network', message: res.error?.message ?? '' });
      if (r.__typename !== 'MutationCreateSessionSuccess') return setProblem(r);
      return onDone(r.data.session, 0, 0);
    }
    const res = await update({
      input: {
        id: session.id,
        expectedVersion: version,
        ...changedTimes(session, form),
        room,
        capacity,
      },
      lang,
    });
    const r = res.data?.updateSession;
    if (!r) return setProblem({ code: 'network', message: res.error?.message ?? '' });
    if (r.__typename !== 'MutationUpdateSessionSuccess') {
      if (r.__typename === 'VersionConflictError') onStale();
      return setProblem(r);
    }
    onDone(r.data.session, r.data.promotedCount, r.data.toldCount);
  };

  /** A field's problem in the user's words where the console knows them, else the hub's. */
  const problemText = (key: string): { text: string; lang?: string } | undefined => {
    // A problem inside a field (`title.0.text`, a translation's text) is the field's.
    const failure = problem?.fields?.find((f) => {
      const at = fieldKey(f.path);
      return at === key || at.startsWith(`${key}.`);
    });
    if (!failure) return undefined;
    if (key === 'capacity' && failure.reason === 'TOO_SMALL' && failure.limit != null && failure.limit > 1) {
      return { text: t.capacityBelowSeats(String(failure.limit)) };
    }
    if (key === 'endsAt' && !failure.reason) return { text: t.endsBeforeStart };
    const words = reasonText(failure);
    // No words of ours: the hub's sentence, in English.
    return words ? { text: words } : { text: failure.message, lang: 'en' };
  };

  /** A control of the form's state under its label, with the hub's problem for `apiKey`. */
  const field = (
    key: Exclude<keyof FormState, 'kind'>,
    apiKey: string | null,
    label: string,
    props: InputHTMLAttributes<HTMLInputElement>,
    hint?: string,
  ) => (
    <FormField
      id={`${idBase}-${key}`}
      label={label}
      problem={apiKey ? problemText(apiKey) : null}
      hint={hint}
    >
      {(control) => (
        <input {...props} {...control} value={form[key]} onChange={(e) => set(key, e.target.value)} />
      )}
    </FormField>
  );

  return (
    <form
      ref={formRef}
      className="form ev-session-form"
      onSubmit={(e) => void submit(e)}
      aria-busy={busy}
      aria-label={session ? `${t.editSession} – ${session.title.text}` : t.newSession}
    >
      {!session && (
        <div className="row">
          {field(
            'title',
            'title',
            t.sessionTitle,
            { required: true, maxLength: 300, autoComplete: 'off' },
            t.sessionTitleHint,
          )}
          <div className="form-field">
            <label htmlFor={`${idBase}-kind`}>{t.sessionKind}</label>
            <select
              id={`${idBase}-kind`}
              value={form.kind}
              onChange={(e) => setForm((prev) => ({ ...prev, kind: e.target.value as SessionKind }))}
            >
              {KINDS.map((k) => (
                <option key={k} value={k}>
                  {t[`kind_${k}`]}
                </option>
              ))}
            </select>
          </div>
        </div>
      )}
      <div className="row">
        {field('day', null, t.sessionDay, {
          type: 'date',
          required: true,
          // A new session on one of the edition's days; one set elsewhere through the API stays editable.
          ...(session ? {} : { min: firstDay, max: lastDay }),
        })}
        {field('starts', 'startsAt', t.sessionStarts, { type: 'time', required: true })}
        {field('ends', 'endsAt', t.sessionEnds, { type: 'time', required: true })}
      </div>
      <div className="row">
        {field('room', 'room', t.room, { maxLength: 100, autoComplete: 'off' })}
        {field(
          'capacity',
          'capacity',
          t.capacity,
          { type: 'number', min: 1, step: 1 },
          session ? t.capacityHint : t.capacityHintNew,
        )}
      </div>
      {problem && (
        <Notice kind="problem">
          {errorText(problem)}
          {problem.code === 'common/version_conflict' && session && (
            <>
              {' '}
              <button
                type="button"
                // Until the page has read the newer version, there is nothing newer to take.
                disabled={session.version === version}
                onClick={() => {
                  setForm(initialState(session));
                  setVersion(session.version);
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
          {busy ? t.saving : session ? t.save : t.addSession}
        </button>
        <button type="button" className="secondary" disabled={busy} onClick={onCancel}>
          {t.cancelEdit}
        </button>
      </p>
      {droppable && session && (
        <div className="ev-session-drop">
          {question.asking ? (
            <Question
              state={question}
              act={
                dropState.fetching
                  ? t.dropping
                  : t.dropSessionConfirm(session.seatsTaken + session.waitlistLength)
              }
              keepLabel={t.dropSessionKeep}
              busy={busy}
              onAct={() => void dropSession()}
            >
              {t.dropSessionAsk(session.title.text, session.seatsTaken + session.waitlistLength)}
            </Question>
          ) : (
            <button
              type="button"
              className="ev-link-button"
              ref={question.askRef}
              disabled={busy}
              onClick={question.ask}
            >
              {t.dropSession}
              <span className="visually-hidden"> – {session.title.text}</span>
            </button>
          )}
        </div>
      )}
    </form>
  );
}
