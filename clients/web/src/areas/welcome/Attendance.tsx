/**
 * Attendance: how many residents took part in each agreed activity, per week (counts, never who),
 * totalled over the summary's weeks; and a form to record a week's count (recording a week again
 * replaces it).
 */
import { useId, useState, type FormEvent } from 'react';
import { useMutation } from 'urql';
import { ConsoleWelcomeRecordAttendanceDocument } from '../../../../generated/graphql.ts';
import { useFormat, useMessages } from '../../i18n/i18n.tsx';
import { Empty, Notice } from '../../ui/states.tsx';
import type { GuideEntry } from './GuideItems.tsx';
import { failureOf, FailureNotice, recentMondays, useNames, type Failure } from './welcome.tsx';
import { welcomeMessages } from './welcome.messages.ts';

/** Entries residents take part in: agreed, regular, or ended (their past weeks). */
const ATTENDED = ['CONFIRMED', 'REGULAR', 'ENDED'];
const MAX_COUNT = 10_000;

export interface AttendanceSummary {
  from: string;
  to: string;
  items: { item: { id: string }; total: number; weeksRecorded: number; lastWeekStart: string | null }[];
}

export function Attendance({
  summary,
  entries,
  onRecorded,
}: {
  summary: AttendanceSummary;
  entries: GuideEntry[];
  onRecorded: () => void;
}) {
  const t = useMessages(welcomeMessages);
  const f = useFormat();
  const names = useNames();
  const titleOf = (e: GuideEntry) => e.offer?.title.text ?? t.offerHiddenBy(e.providerOrganisation.name);
  const attended = entries.filter((e) => ATTENDED.includes(e.status));
  const byId = new Map(summary.items.map((s) => [s.item.id, s]));
  const rows = attended.map((e) => ({ entry: e, totals: byId.get(e.id) }));
  const recordable = entries.filter((e) => e.status === 'CONFIRMED' || e.status === 'REGULAR');

  return (
    <>
      <p className="muted">{t.attendanceIntro(names.day(summary.from), names.day(summary.to))}</p>
      {rows.length === 0 ? (
        <Empty>{t.noAttendance}</Empty>
      ) : (
        // A region that scrolls sideways on a phone: focusable, so the keyboard scrolls it too.
        <div className="table-wrap" role="region" aria-label={t.attendanceTitle} tabIndex={0}>
          <table className="wl-attendance">
            <caption className="visually-hidden">{t.attendanceTitle}</caption>
            <thead>
              <tr>
                <th scope="col">{t.entry}</th>
                <th scope="col">{t.total}</th>
                <th scope="col">{t.weeksRecorded}</th>
                <th scope="col">{t.lastWeek}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map(({ entry, totals }) => (
                <tr key={entry.id}>
                  <th scope="row">{titleOf(entry)}</th>
                  <td>{f.number(totals?.total ?? 0)}</td>
                  <td>{f.number(totals?.weeksRecorded ?? 0)}</td>
                  <td>{totals?.lastWeekStart ? names.day(totals.lastWeekStart) : '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {recordable.length > 0 && <RecordForm entries={recordable} titleOf={titleOf} onRecorded={onRecorded} />}
    </>
  );
}

function RecordForm({
  entries,
  titleOf,
  onRecorded,
}: {
  entries: GuideEntry[];
  titleOf: (e: GuideEntry) => string;
  onRecorded: () => void;
}) {
  const t = useMessages(welcomeMessages);
  const f = useFormat();
  const names = useNames();
  const [mondays] = useState(() => recentMondays(8));
  const [entryId, setEntryId] = useState(entries[0]!.id);
  const [week, setWeek] = useState(mondays[0]!);
  const [count, setCount] = useState('');
  const [countProblem, setCountProblem] = useState(false);
  const [failure, setFailure] = useState<Failure | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [state, record] = useMutation(ConsoleWelcomeRecordAttendanceDocument);
  const ids = { entry: useId(), week: useId(), count: useId(), countError: useId() };
  const chosen = entries.find((e) => e.id === entryId) ?? entries[0]!;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setFailure(null);
    setDone(null);
    const n = Number(count);
    if (count.trim() === '' || !Number.isInteger(n) || n < 0 || n > MAX_COUNT) {
      setCountProblem(true);
      document.getElementById(ids.count)?.focus();
      return;
    }
    setCountProblem(false);
    const r = await record({ input: { guideItemId: chosen.id, weekStart: week, count: n } });
    const problem = failureOf(r.error, r.data?.recordAttendance, 'MutationRecordAttendanceSuccess');
    if (problem) {
      setFailure(problem);
      return;
    }
    const message = t.recorded(f.number(n), titleOf(chosen), names.day(week));
    setDone(message);
    setCount('');
    onRecorded();
  };

  return (
    <form className="card wl-record" onSubmit={(e) => void submit(e)} noValidate>
      <h3>{t.recordTitle}</h3>
      <p className="muted">{t.recordAgain}</p>
      <div className="inline-form">
        <label htmlFor={ids.entry}>
          {t.recordEntry}
          <select id={ids.entry} value={chosen.id} onChange={(e) => setEntryId(e.target.value)}>
            {entries.map((e) => (
              <option key={e.id} value={e.id}>
                {titleOf(e)}
              </option>
            ))}
          </select>
        </label>
        <label htmlFor={ids.week}>
          {t.recordWeek}
          <select id={ids.week} value={week} onChange={(e) => setWeek(e.target.value)}>
            {mondays.map((m) => (
              <option key={m} value={m}>
                {t.weekOf(names.day(m))}
              </option>
            ))}
          </select>
        </label>
        <label htmlFor={ids.count}>
          {t.recordCount}
          <input
            id={ids.count}
            type="number"
            inputMode="numeric"
            min={0}
            max={MAX_COUNT}
            step={1}
            value={count}
            aria-invalid={countProblem || undefined}
            aria-describedby={countProblem ? ids.countError : undefined}
            onChange={(e) => setCount(e.target.value)}
          />
          {countProblem && (
            <span id={ids.countError} className="field-error">
              {t.countInvalid}
            </span>
          )}
        </label>
        <button type="submit" className="primary" disabled={state.fetching}>
          {t.record}
        </button>
      </div>
      {done && <Notice kind="ok">{done}</Notice>}
      {failure && (
        <FailureNotice
          failure={failure}
          labels={{ guideItemId: t.recordEntry, weekStart: t.recordWeek, count: t.recordCount }}
        />
      )}
    </form>
  );
}
