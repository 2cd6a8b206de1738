/**
 * Registration, on the edition page: whether people can register now (the hub's own rule,
 * `registrationOpen`), and the organiser's three moves: publish a draft and open registration,
 * close it, reopen it; and its closing day and time on Luxembourg's clock (empty: when the edition
 * starts). The closing time is sent only when changed, so closing or reopening never trips on a
 * date left as it was. Each change carries the version read: a stale one changes nothing and the
 * page reads the edition again.
 */
import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { useMutation } from 'urql';
import {
  ConsoleUpdateEditionRegistrationDocument,
  type EditionStatus,
} from '../../../../generated/graphql.ts';
import { useFormat, useMessages } from '../../i18n/i18n.tsx';
import { fromLuxembourgDayAndTime, luxembourgDayAndTime } from '../../i18n/luxembourg-time.ts';
import { fieldKey, useErrorText, type ApiError } from '../../ui/errors.ts';
import { Notice } from '../../ui/states.tsx';
import { useTime, type Edition } from './edition.tsx';
import { eventsMessages } from './events.messages.ts';

/** What the organiser did, for the confirmation. */
type Move = 'publish' | 'close' | 'reopen' | 'closing';

/** The closing day and time as the form shows them (empty: when the edition starts). */
function closingOf(edition: Edition): { day: string; time: string } {
  return edition.registrationClosesAt
    ? luxembourgDayAndTime(edition.registrationClosesAt)
    : { day: '', time: '' };
}

export function RegistrationSection({ edition, onChanged }: { edition: Edition; onChanged: () => void }) {
  const t = useMessages(eventsMessages);
  const f = useFormat();
  const time = useTime();
  const errorText = useErrorText();
  const id = useId();
  const [closing, setClosing] = useState(() => closingOf(edition));
  const [done, setDone] = useState<Move | null>(null);
  const [problem, setProblem] = useState<ApiError | null>(null);
  const [state, update] = useMutation(ConsoleUpdateEditionRegistrationDocument);
  const statusRef = useRef<HTMLParagraphElement>(null);
  const formRef = useRef<HTMLFormElement>(null);
  useEffect(() => {
    if (problem) formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [problem]);
  const closesAt = edition.registrationClosesAt ?? edition.startsAt;

  // The edition read again (after a change here or a stale version): the form shows what it holds.
  const readAt = `${edition.version}:${edition.registrationClosesAt ?? ''}`;
  useEffect(() => setClosing(closingOf(edition)), [readAt]); // eslint-disable-line react-hooks/exhaustive-deps

  const closingChanged = (() => {
    const opened = closingOf(edition);
    return closing.day !== opened.day || closing.time !== opened.time;
  })();

  const act = async (move: Move, status?: EditionStatus) => {
    setProblem(null);
    setDone(null);
    // Closing sends nothing else: a closing time typed but not saved does not stand in its way.
    let registrationClosesAt: string | null | undefined;
    if (closingChanged && move !== 'close') {
      // No day: when the edition starts (the hint says so); a day without a time: until its end.
      if (!closing.day) registrationClosesAt = null;
      else {
        const at = fromLuxembourgDayAndTime(closing.day, closing.time || '23:59');
        // The browser's date and time inputs give well-formed values.
        if (!at) return;
        registrationClosesAt = at.toISOString();
      }
    }
    const res = await update({
      input: {
        id: edition.id,
        expectedVersion: edition.version,
        ...(status ? { status } : {}),
        ...(registrationClosesAt === undefined ? {} : { registrationClosesAt }),
      },
    });
    const r = res.data?.updateEventEdition;
    if (!r) return setProblem({ code: 'network', message: res.error?.message ?? '' });
    if (r.__typename !== 'MutationUpdateEventEditionSuccess') {
      if (r.__typename === 'VersionConflictError') onChanged();
      return setProblem(r);
    }
    setDone(move);
    onChanged();
    statusRef.current?.focus();
  };

  const submit = (e: FormEvent) => {
    e.preventDefault();
    void act('closing');
  };

  // Both may hold at once (a time past and after the end): each is said, in the hub's English
  // where the console has no words.
  const closingProblems = (problem?.fields ?? []).filter((p) => fieldKey(p.path) === 'registrationClosesAt');
  const closingText =
    closingProblems.length === 0
      ? null
      : {
          text: closingProblems
            .map((p) => (p.reason === 'PAST' ? t.closesPast : p.reason ? p.message : t.closesAfterEnd))
            .join(' '),
          lang: closingProblems.some((p) => p.reason && p.reason !== 'PAST') ? 'en' : undefined,
        };
  const invalid = closingText ? { 'aria-invalid': true } : {};
  const describedBy = `${id}-hint${closingText ? ` ${id}-problem` : ''}`;

  const sentence =
    edition.status === 'DRAFT'
      ? t.regDraft
      : edition.status === 'CLOSED'
        ? t.regClosed
        : edition.registrationOpen
          ? t.regOpenUntil(f.date(closesAt), time(closesAt))
          : t.regOpenPast(f.date(closesAt), time(closesAt));
  const busy = state.fetching;

  return (
    <section aria-labelledby={`${id}-h`} className="card ev-registration">
      <h2 id={`${id}-h`}>{t.registration}</h2>
      <p ref={statusRef} tabIndex={-1} className="ev-registration-state">
        {sentence}
        {edition.status !== 'DRAFT' && (
          <>
            {' '}
            <a href={`/events/${edition.slug}`}>{t.publicPage}</a>
          </>
        )}
      </p>
      {done && <Notice kind="ok">{t[`regDone_${done}`]}</Notice>}
      <form
        ref={formRef}
        className="form"
        onSubmit={submit}
        aria-busy={busy}
        aria-labelledby={`${id}-legend`}
      >
        <fieldset>
          <legend id={`${id}-legend`}>{t.closesLegend}</legend>
          <div className="row">
            <div className="ev-field">
              <label htmlFor={`${id}-day`}>{t.closesDay}</label>
              <input
                id={`${id}-day`}
                type="date"
                value={closing.day}
                // No day means when the edition starts (the time is then not sent, but kept here: a
                // date input reads empty while one of its parts is being retyped).
                onChange={(e) => setClosing((c) => ({ ...c, day: e.target.value }))}
                aria-describedby={describedBy}
                {...invalid}
              />
            </div>
            <div className="ev-field">
              <label htmlFor={`${id}-time`}>{t.closesTime}</label>
              <input
                id={`${id}-time`}
                type="time"
                value={closing.time}
                onChange={(e) => setClosing((c) => ({ ...c, time: e.target.value }))}
                aria-describedby={describedBy}
                {...invalid}
              />
            </div>
          </div>
          {closingText && (
            <p className="field-error" id={`${id}-problem`} lang={closingText.lang}>
              {closingText.text}
            </p>
          )}
          <p className="field-hint" id={`${id}-hint`}>
            {t.closesHint(f.date(edition.startsAt), time(edition.startsAt))}
          </p>
        </fieldset>
        {problem && !closingText && <Notice kind="problem">{errorText(problem)}</Notice>}
        <p className="row">
          {edition.status === 'DRAFT' && (
            <button
              type="button"
              className="primary"
              disabled={busy}
              onClick={() => void act('publish', 'OPEN')}
            >
              {t.publish}
            </button>
          )}
          {edition.status === 'CLOSED' && (
            <button
              type="button"
              className="primary"
              disabled={busy}
              onClick={() => void act('reopen', 'OPEN')}
            >
              {t.reopen}
            </button>
          )}
          <button
            type="submit"
            className={edition.status === 'OPEN' ? 'primary' : 'secondary'}
            disabled={busy || !closingChanged}
          >
            {t.saveClosing}
          </button>
          {edition.status === 'OPEN' && (
            <button
              type="button"
              className="secondary"
              disabled={busy}
              onClick={() => void act('close', 'CLOSED')}
            >
              {t.closeRegistration}
            </button>
          )}
        </p>
      </form>
    </section>
  );
}
