/**
 * `/organiser/:slug/check-in`: the door. A badge code typed (or typed by a handheld scanner, or
 * read by the camera) and Enter records the arrival; the answer is said big and plain, and read
 * out (aria-live): welcome, already arrived, or why nobody was checked in. The box keeps the
 * focus: after each scan, and when a scanner types while nothing else has it. Arrivals recorded
 * at every desk appear live (the `eventCheckIns` subscription, resumed after a lost connection),
 * with the count of arrived and registered.
 */
import type { CombinedError } from '@urql/core';
import { useEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import { useMutation } from 'urql';
import { Link, useParams } from 'wouter';
import {
  ConsoleCheckInDocument,
  ConsoleEventCheckInsDocument,
  ConsoleUndoCheckInDocument,
  type CheckInParticipantInput,
  type ConsoleArrivalFieldsFragment,
  type ParticipantCategory,
} from '../../../../generated/graphql.ts';
import { useResumable } from '../../graphql/live.tsx';
import { useFormat, useMessages } from '../../i18n/i18n.tsx';
import { common } from '../../ui/common.messages.ts';
import { useReasonText, type FieldFailure } from '../../ui/errors.ts';
import { Page } from '../../ui/Page.tsx';
import { Camera } from './Camera.tsx';
import { Breadcrumb, EditionGate, useTime, type Edition } from './edition.tsx';
import { eventsMessages } from './events.messages.ts';
import { badgeCodeOf, newScanId, scannerKey } from './scanner.ts';
import './events.css';

type Feedback =
  | { kind: 'ready' }
  | { kind: 'welcome'; person: ConsoleArrivalFieldsFragment; badgeCode: string }
  | { kind: 'already'; person: ConsoleArrivalFieldsFragment }
  | { kind: 'unknown' | 'other' | 'cancelled'; code: string }
  | { kind: 'undone'; name: string }
  | { kind: 'problem'; text: string; retry?: CheckInParticipantInput };

interface Arrival {
  registrationId: string;
  name: string;
  organisationName: string | null;
  category: ParticipantCategory;
  at: string;
}

/** Arrivals kept on screen, newest first. */
const MAX_ARRIVALS = 200;

export default function CheckInPage() {
  const { slug } = useParams<{ slug: string }>();
  return <EditionGate slug={slug}>{(edition) => <CheckIn edition={edition} />}</EditionGate>;
}

function CheckIn({ edition }: { edition: Edition }) {
  const t = useMessages(eventsMessages);
  const c = useMessages(common);
  const f = useFormat();
  const time = useTime();
  const [code, setCode] = useState('');
  const [feedback, setFeedback] = useState<Feedback>({ kind: 'ready' });
  const [pending, setPending] = useState(0);
  /** Each answer shown replaces the live region's content (read again even when the same). */
  const [shown, setShown] = useState(0);
  const input = useRef<HTMLInputElement>(null);
  const latest = useRef(0);
  const [, checkIn] = useMutation(ConsoleCheckInDocument);
  const [, undoCheckIn] = useMutation(ConsoleUndoCheckInDocument);
  const scanner = useMemo(scannerKey, []);
  const [arrivals, setArrivals] = useState<Arrival[]>([]);
  const [liveCounts, setLiveCounts] = useState<{ registered: number; checkedIn: number } | null>(null);

  const focusBox = () => input.current?.focus();
  useEffect(focusBox, []);
  // A handheld scanner types like a keyboard: keys typed while nothing has the focus go to the box.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const active = document.activeElement;
      const idle = !active || active === document.body || active.id === 'main' || active.id === 'page-title';
      if (idle && e.key.length === 1 && !e.ctrlKey && !e.metaKey && !e.altKey) input.current?.focus();
    };
    document.addEventListener('keydown', onKey, true);
    return () => document.removeEventListener('keydown', onKey, true);
  }, []);

  const addArrival = (a: Arrival) =>
    setArrivals((prev) =>
      prev.some((p) => p.registrationId === a.registrationId) ? prev : [a, ...prev].slice(0, MAX_ARRIVALS),
    );

  const live = useResumable(
    ConsoleEventCheckInsDocument,
    { editionId: edition.id },
    (d) => d.eventCheckIns.cursor,
    (d) => {
      const n = d.eventCheckIns;
      if (n.counts) setLiveCounts({ registered: n.counts.registered, checkedIn: n.counts.checkedIn });
      if (!n.arrived) {
        setArrivals((prev) => prev.filter((a) => a.registrationId !== n.registrationId));
      } else if (n.registration) {
        addArrival({
          registrationId: n.registrationId,
          name: n.registration.name,
          organisationName: n.registration.organisationName ?? null,
          category: n.registration.category,
          at: n.registration.checkedInAt ?? n.scannedAt,
        });
      }
    },
  );

  const show = (next: Feedback) => {
    setFeedback(next);
    setShown((n) => n + 1);
  };
  const failure = (error: CombinedError | undefined) =>
    error?.networkError && !error.graphQLErrors.length
      ? c.offline
      : (error?.graphQLErrors[0]?.message ?? error?.message ?? '?');

  const reasonText = useReasonText();
  /** An invalid scan in the user's words: a device clock ahead of the hub's, else each field's reason. */
  const invalidScan = (fields: readonly FieldFailure[], message: string) =>
    fields.some((f) => f.reason === 'FUTURE' && f.path[f.path.length - 1] === 'scannedAt')
      ? t.clockAhead
      : fields.map((f) => reasonText(f) ?? f.message).join('; ') || message;

  const send = async (scan: CheckInParticipantInput) => {
    const mine = ++latest.current;
    setPending((n) => n + 1);
    const res = await checkIn({ input: scan }).finally(() => setPending((n) => n - 1));
    // A later scan's answer is the one to show; this one is recorded all the same.
    if (mine !== latest.current) return;
    const r = res.data?.checkInParticipant;
    if (!r) return show({ kind: 'problem', text: t.scanFailed(failure(res.error)), retry: scan });
    switch (r.__typename) {
      case 'MutationCheckInParticipantSuccess': {
        const person = r.data.registration;
        const since = person.checkedInAt ? Date.parse(person.checkedInAt) : NaN;
        // In since an earlier scan: this one changed nothing.
        if (since < Date.parse(r.data.checkIn.scannedAt)) return show({ kind: 'already', person });
        if (person.checkedInAt) {
          addArrival({
            registrationId: person.id,
            name: person.name,
            organisationName: person.organisationName ?? null,
            category: person.category,
            at: person.checkedInAt,
          });
        }
        return show({ kind: 'welcome', person, badgeCode: scan.badgeCode });
      }
      case 'NotFoundError':
        return show({ kind: 'unknown', code: scan.badgeCode });
      case 'BadgeOtherEditionError':
        return show({ kind: 'other', code: scan.badgeCode });
      case 'InvalidTransitionError':
        return show({ kind: 'cancelled', code: scan.badgeCode });
      case 'ForbiddenError':
        return show({ kind: 'problem', text: t.notAllowed });
      case 'InvalidInputError':
        return show({
          kind: 'problem',
          text: t.scanFailed(invalidScan(r.fields, r.message)),
        });
      default:
        return show({ kind: 'problem', text: t.scanFailed(r.message) });
    }
  };

  const scan = (raw: string) => {
    const badgeCode = badgeCodeOf(raw);
    if (!badgeCode) return;
    void send({
      editionId: edition.id,
      badgeCode,
      scannerKey: scanner,
      scanId: newScanId(),
      scannedAt: new Date().toISOString(),
    });
  };

  const submit = (e: FormEvent) => {
    e.preventDefault();
    scan(code);
    setCode('');
    focusBox();
  };

  const undo = async (badgeCode: string, name: string) => {
    const mine = ++latest.current;
    focusBox();
    const res = await undoCheckIn({
      input: {
        editionId: edition.id,
        badgeCode,
        scannerKey: scanner,
        scanId: newScanId(),
        scannedAt: new Date().toISOString(),
      },
    });
    if (mine !== latest.current) return;
    const r = res.data?.undoCheckIn;
    if (!r) return show({ kind: 'problem', text: t.scanFailed(failure(res.error)) });
    if (r.__typename === 'InvalidInputError')
      return show({ kind: 'problem', text: t.scanFailed(invalidScan(r.fields, r.message)) });
    if (r.__typename !== 'MutationUndoCheckInSuccess')
      return show({ kind: 'problem', text: t.scanFailed(r.message) });
    setArrivals((prev) => prev.filter((a) => a.registrationId !== r.data.registration.id));
    show({ kind: 'undone', name });
  };

  const counts = liveCounts ?? edition.participantCounts;

  return (
    <Page title={t.checkInTitle(edition.title.text)}>
      <Breadcrumb>
        <Link href={`/organiser/${edition.slug}`}>{edition.title.text}</Link>
      </Breadcrumb>
      {counts && (
        <div className="ev-counter">
          <p id="ev-counter-text">
            <strong>{f.number(counts.checkedIn)}</strong> / {f.number(counts.registered)}
            <span className="ev-counter-words">
              {' '}
              {t.arrivedOfRegistered(f.number(counts.checkedIn), f.number(counts.registered))}
            </span>
          </p>
          <progress
            max={Math.max(counts.registered, 1)}
            value={counts.checkedIn}
            aria-labelledby="ev-counter-text"
          />
        </div>
      )}
      <div className="ev-door">
        <section className="ev-scan" aria-labelledby="ev-scan-title">
          <h2 id="ev-scan-title" className="visually-hidden">
            {t.scanTitle}
          </h2>
          <form className="ev-scan-form" onSubmit={submit}>
            <label htmlFor="ev-badge">{t.badgeCode}</label>
            <p id="ev-badge-hint" className="field-hint">
              {t.badgeHint}
            </p>
            <div className="ev-scan-row">
              <input
                id="ev-badge"
                ref={input}
                className="ev-badge-input"
                value={code}
                onChange={(e) => setCode(e.target.value)}
                aria-describedby="ev-badge-hint"
                autoComplete="off"
                autoCapitalize="characters"
                autoCorrect="off"
                spellCheck={false}
                enterKeyHint="send"
                maxLength={500}
              />
              <button type="submit" className="primary">
                {t.record}
              </button>
            </div>
          </form>
          <p className="ev-pending" aria-hidden="true">
            {pending > 0 && (
              <>
                <span className="spinner" /> {t.recording}
              </>
            )}
          </p>
          <div
            className={`ev-feedback ev-feedback-${feedback.kind}`}
            aria-live="assertive"
            aria-atomic="true"
            data-testid="check-in-feedback"
          >
            <FeedbackText key={shown} feedback={feedback} />
          </div>
          {feedback.kind === 'welcome' && (
            <p>
              <button
                type="button"
                className="secondary"
                onClick={() => void undo(feedback.badgeCode, feedback.person.name)}
              >
                {t.undo}
              </button>
            </p>
          )}
          {feedback.kind === 'problem' && feedback.retry && (
            <p>
              <button
                type="button"
                onClick={() => {
                  focusBox();
                  void send(feedback.retry!);
                }}
              >
                {t.tryAgain}
              </button>
            </p>
          )}
          <h2 className="ev-small-heading">{t.camera}</h2>
          <Camera onCode={scan} />
        </section>

        <section className="ev-arrivals" aria-labelledby="ev-arrivals-title">
          <h2 id="ev-arrivals-title">{t.liveArrivals}</h2>
          <p className={`live live-${live}`} data-live={live}>
            {t[`live_${live}`]}
          </p>
          <p className="muted ev-small">{t.liveArrivalsIntro}</p>
          {arrivals.length === 0 ? (
            <p className="state state-empty">{t.noArrivalsYet}</p>
          ) : (
            <ol className="ev-arrival-list" reversed>
              {arrivals.map((a) => (
                <li key={a.registrationId}>
                  <strong>{a.name}</strong>
                  {a.organisationName && <span className="muted"> · {a.organisationName}</span>}
                  <br />
                  <span className="muted ev-small">
                    {t[`category_${a.category}`]} · {t.arrivalAt(time(a.at))}
                  </span>
                </li>
              ))}
            </ol>
          )}
        </section>
      </div>
    </Page>
  );
}

function FeedbackText({ feedback }: { feedback: Feedback }) {
  const t = useMessages(eventsMessages);
  const time = useTime();
  switch (feedback.kind) {
    case 'ready':
      return <p>{t.ready}</p>;
    case 'welcome': {
      const p = feedback.person;
      return (
        <>
          <p className="ev-feedback-main">{t.welcome(p.name)}</p>
          <p>{[p.organisationName, t[`category_${p.category}`]].filter(Boolean).join(' · ')}</p>
          {p.accessibilityNeeds && <p className="ev-needs">{t.needsNote(p.accessibilityNeeds)}</p>}
        </>
      );
    }
    case 'already':
      return (
        <>
          <p className="ev-feedback-main">
            {t.already(feedback.person.name, time(feedback.person.checkedInAt))}
          </p>
          {feedback.person.organisationName && <p>{feedback.person.organisationName}</p>}
        </>
      );
    case 'unknown':
      return <p className="ev-feedback-main">{t.unknownCode(feedback.code)}</p>;
    case 'other':
      return <p className="ev-feedback-main">{t.otherEdition(feedback.code)}</p>;
    case 'cancelled':
      return <p className="ev-feedback-main">{t.cancelledBadge(feedback.code)}</p>;
    case 'undone':
      return <p className="ev-feedback-main">{t.undone(feedback.name)}</p>;
    case 'problem':
      return <p className="ev-feedback-main">{feedback.text}</p>;
  }
}
