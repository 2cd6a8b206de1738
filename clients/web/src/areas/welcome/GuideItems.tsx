/**
 * A guide's entries as cards: the offer, its provider and where the proposal stands (the answer,
 * places and day agreed, who verified it, why it was declined), the note residents read, the
 * attendance, and the steps the API allows the viewer now (withdraw, make regular, end), plus
 * the note in the guide's source language for the guide side.
 */
import { useId, useState, type FormEvent } from 'react';
import { useMutation } from 'urql';
import {
  ConsoleWelcomeEndDocument,
  ConsoleWelcomeMakeRegularDocument,
  ConsoleWelcomeUpdateItemDocument,
  ConsoleWelcomeWithdrawDocument,
  type ConsoleWelcomeItemFragment,
  type GuideItemAction,
  type Language,
} from '../../../../generated/graphql.ts';
import { useFormat, useLocale, useMessages } from '../../i18n/i18n.tsx';
import { common } from '../../ui/common.messages.ts';
import { Notice } from '../../ui/states.tsx';
import { apiLanguage, failureOf, FailureNotice, ItemBadge, useNames, type Failure } from './welcome.tsx';
import { welcomeMessages } from './welcome.messages.ts';

export type GuideEntry = ConsoleWelcomeItemFragment;

/** The steps the guide side takes from the console (the provider answers from its own inbox). */
const GUIDE_SIDE_ACTIONS: readonly GuideItemAction[] = ['WITHDRAW', 'MAKE_REGULAR', 'END'];
const FINAL = ['DECLINED', 'ENDED', 'WITHDRAWN'];

export interface EntryContext {
  canEdit: boolean;
  sourceLanguage: Language;
  /** Residents' attendance over the summary's weeks, by entry. */
  attendance: Map<string, { total: number; weeksRecorded: number }>;
  /** After a step: re-read the guide (and say what happened). */
  onChanged: (message: string | null) => void;
}

export function EntryList({ entries, context }: { entries: GuideEntry[]; context: EntryContext }) {
  return (
    <ul className="wl-items">
      {entries.map((entry) => (
        <EntryCard key={entry.id} entry={entry} context={context} />
      ))}
    </ul>
  );
}

function EntryCard({ entry, context }: { entry: GuideEntry; context: EntryContext }) {
  const t = useMessages(welcomeMessages);
  const f = useFormat();
  const names = useNames();
  const { locale } = useLocale();
  const title = entry.offer?.title.text ?? t.offerHiddenBy(entry.providerOrganisation.name);
  const headingId = useId();
  const attendance = context.attendance.get(entry.id);
  const note = entry.relevanceNote;
  const answered = entry.status !== 'PROPOSED' && entry.status !== 'WITHDRAWN';
  const actions = context.canEdit ? entry.allowedActions.filter((a) => GUIDE_SIDE_ACTIONS.includes(a)) : [];
  return (
    <li className="card wl-item" aria-labelledby={headingId}>
      <h3 id={headingId}>{title}</h3>
      <p className="row">
        <ItemBadge status={entry.status} />
        <span>{t.provider(entry.providerOrganisation.name)}</span>
      </p>
      <ul className="wl-facts">
        {entry.status === 'PROPOSED' && <li>{t.proposedOn(f.date(entry.createdAt))}</li>}
        {answered && entry.status === 'DECLINED' && <li>{t.answeredOn(f.date(entry.updatedAt))}</li>}
        {entry.placesPerWeek != null && <li>{t.placesPerWeek(f.number(entry.placesPerWeek))}</li>}
        {entry.weekday != null && <li>{t.onDay(names.weekday(entry.weekday))}</li>}
        {entry.schedule.map((s, i) => (
          <li key={i}>
            {s.byday.map(names.byday).join(', ')} {s.opensAt}–{s.closesAt}
          </li>
        ))}
        {entry.verifiedAt && entry.verifiedBy && (
          <li>{t.verifiedOn(f.date(entry.verifiedAt), entry.verifiedBy.name)}</li>
        )}
        {attendance && attendance.weeksRecorded > 0 && (
          <li>{t.attendanceShort(f.number(attendance.total), f.number(attendance.weeksRecorded))}</li>
        )}
      </ul>
      {entry.status === 'DECLINED' && entry.declineReason && (
        <p className="wl-declined">{t.declineReason(entry.declineReason)}</p>
      )}
      {entry.contact && (entry.contact.name || entry.contact.phone || entry.contact.email) && (
        <p>
          {t.contactLine(
            [entry.contact.name, entry.contact.phone, entry.contact.email].filter(Boolean).join(' · '),
          )}
        </p>
      )}
      <div className="wl-note">
        <strong>{t.note}</strong>
        {note ? (
          <p>
            <span lang={note.language.toLowerCase()}>{note.text}</span>
            {note.fallback && <span className="muted"> {t.noteFallback(names.language(note.language))}</span>}
            {note.outdated && <span className="badge wl-outdated">{t.noteOutdated}</span>}
          </p>
        ) : (
          <p className="muted">{t.noNote}</p>
        )}
      </div>
      {actions.length > 0 && <EntryActions entry={entry} title={title} actions={actions} context={context} />}
      {context.canEdit && !FINAL.includes(entry.status) && (
        <NoteEditor
          key={`${entry.id}-${entry.version}-${locale}`}
          entry={entry}
          title={title}
          context={context}
        />
      )}
    </li>
  );
}

function EntryActions({
  entry,
  title,
  actions,
  context,
}: {
  entry: GuideEntry;
  title: string;
  actions: GuideItemAction[];
  context: EntryContext;
}) {
  const t = useMessages(welcomeMessages);
  const c = useMessages(common);
  const { locale } = useLocale();
  const lang = apiLanguage(locale);
  const [withdrawState, withdraw] = useMutation(ConsoleWelcomeWithdrawDocument);
  const [regularState, makeRegular] = useMutation(ConsoleWelcomeMakeRegularDocument);
  const [endState, end] = useMutation(ConsoleWelcomeEndDocument);
  const [confirmingEnd, setConfirmingEnd] = useState(false);
  const [failure, setFailure] = useState<Failure | null>(null);
  const busy = withdrawState.fetching || regularState.fetching || endState.fetching;
  const input = { id: entry.id, expectedVersion: entry.version };

  const run = async (action: GuideItemAction) => {
    setFailure(null);
    let problem: Failure | null;
    if (action === 'WITHDRAW') {
      const r = await withdraw({ input, lang });
      problem = failureOf(r.error, r.data?.withdrawGuideProposal, 'MutationWithdrawGuideProposalSuccess');
    } else if (action === 'MAKE_REGULAR') {
      const r = await makeRegular({ input, lang });
      problem = failureOf(r.error, r.data?.makeGuideItemRegular, 'MutationMakeGuideItemRegularSuccess');
    } else {
      const r = await end({ input, lang });
      problem = failureOf(r.error, r.data?.endGuideItem, 'MutationEndGuideItemSuccess');
    }
    setConfirmingEnd(false);
    if (problem) {
      setFailure(problem);
      if (problem.code === 'common/version_conflict') context.onChanged(null);
      return;
    }
    context.onChanged(t[`done_${action as 'WITHDRAW' | 'MAKE_REGULAR' | 'END'}`]);
  };

  return (
    <>
      <div className="row wl-actions">
        {actions.map((action) =>
          action === 'END' ? (
            confirmingEnd ? (
              <span key={action} className="row">
                <button type="button" className="danger" disabled={busy} onClick={() => void run('END')}>
                  {t.confirmEnd}
                  <span className="visually-hidden"> – {title}</span>
                </button>
                <button type="button" className="secondary" onClick={() => setConfirmingEnd(false)}>
                  {c.cancel}
                </button>
              </span>
            ) : (
              <button key={action} type="button" disabled={busy} onClick={() => setConfirmingEnd(true)}>
                {t.action_END}
                <span className="visually-hidden"> – {title}</span>
              </button>
            )
          ) : (
            <button key={action} type="button" disabled={busy} onClick={() => void run(action)}>
              {t[`action_${action as 'WITHDRAW' | 'MAKE_REGULAR'}`]}
              <span className="visually-hidden"> – {title}</span>
            </button>
          ),
        )}
      </div>
      {failure && <FailureNotice failure={failure} />}
    </>
  );
}

/** The note residents read, in the guide's source language (other languages become outdated). */
function NoteEditor({ entry, title, context }: { entry: GuideEntry; title: string; context: EntryContext }) {
  const t = useMessages(welcomeMessages);
  const names = useNames();
  const { locale } = useLocale();
  const source = context.sourceLanguage;
  const current = entry.relevanceNoteTranslations.find((n) => n.language === source)?.text ?? '';
  const [text, setText] = useState(current);
  const [saved, setSaved] = useState(false);
  const [failure, setFailure] = useState<Failure | null>(null);
  const [state, update] = useMutation(ConsoleWelcomeUpdateItemDocument);
  const fieldId = useId();
  const languageName = names.language(source);

  const save = async (e: FormEvent) => {
    e.preventDefault();
    setFailure(null);
    setSaved(false);
    const r = await update({
      input: {
        id: entry.id,
        expectedVersion: entry.version,
        relevanceNote: [{ language: source, text: text.trim() }],
      },
      lang: apiLanguage(locale),
    });
    const problem = failureOf(r.error, r.data?.updateGuideItem, 'MutationUpdateGuideItemSuccess');
    if (problem) {
      setFailure(problem);
      if (problem.code === 'common/version_conflict') context.onChanged(null);
      return;
    }
    setSaved(true);
    context.onChanged(t.noteSaved);
  };

  return (
    <details className="wl-note-editor">
      <summary>
        {t.editNote(languageName)}
        <span className="visually-hidden"> – {title}</span>
      </summary>
      <form className="form" onSubmit={(e) => void save(e)}>
        <label htmlFor={fieldId}>
          {t.noteLabel(languageName)}
          <textarea
            id={fieldId}
            lang={source.toLowerCase()}
            value={text}
            maxLength={2000}
            onChange={(e) => setText(e.target.value)}
          />
        </label>
        <p>
          <button
            type="submit"
            className="primary"
            disabled={state.fetching || text.trim() === current.trim()}
          >
            {t.saveNote}
          </button>
        </p>
        {saved && <Notice kind="ok">{t.noteSaved}</Notice>}
        {failure && <FailureNotice failure={failure} labels={{ relevanceNote: t.noteLabel(languageName) }} />}
      </form>
    </details>
  );
}
