/**
 * Pieces the catalogue editors' pages share: an offer's status badge, a refused change in plain
 * words, the quick "free places" control, the offer's own menu, and the panel that explains a
 * version conflict and lets the user resolve it.
 */
import type { CombinedError } from '@urql/core';
import { useEffect, useRef, useState, type ReactNode } from 'react';
import { useMutation } from 'urql';
import { Link, useLocation, useParams } from 'wouter';
import { ConsoleCatalogueUpdateCapacityDocument, type OfferStatus } from '../../../../generated/graphql.ts';
import { useFormat, useMessages } from '../../i18n/i18n.tsx';
import { useReasonText, type FieldFailure, type FieldKind } from '../../ui/errors.ts';
import { catalogueMessages, useLabels } from './catalogue.messages.ts';
import './catalogue.css';

/**
 * The `:id` of the address, decoded: ids are base64 and their `=` travels as `%3D`, which the
 * router leaves encoded.
 */
export function useIdParam(): string {
  const { id = '' } = useParams<{ id: string }>();
  try {
    return decodeURIComponent(id);
  } catch {
    return id;
  }
}

export function OfferStatusBadge({ status }: { status: OfferStatus }) {
  const l = useLabels();
  return <span className={`badge offer-status offer-${status.toLowerCase()}`}>{l.status[status]}</span>;
}

/** A change the hub did not make: its typed error, or why it could not be asked. */
export interface Problem {
  __typename: string;
  message: string;
  fields?: readonly FieldFailure[];
  codes?: readonly string[];
  communes?: readonly string[];
  status?: string;
  currentVersion?: number;
  expectedVersion?: number;
}

/** The problem in a mutation's result, or null when it succeeded. */
export function failure(
  error: CombinedError | undefined,
  value: { __typename: string } | null | undefined,
): Problem | null {
  if (value && value.__typename.endsWith('Success')) return null;
  if (value) return value as Problem;
  if (error?.graphQLErrors[0]) return { __typename: 'GraphQLError', message: error.graphQLErrors[0].message };
  return { __typename: 'NetworkError', message: error?.message ?? '' };
}

/** Fields of the catalogue's forms whose problems are worded by their kind. */
const FIELD_KINDS: Record<string, FieldKind> = {
  themes: 'choice',
  audiences: 'choice',
  languages: 'choice',
  contactEmail: 'email',
  email: 'email',
  website: 'url',
};

/** The problem in the user's words, each invalid field named, and the hub's own words. */
export function ProblemNotice({ problem }: { problem: Problem }) {
  const t = useMessages(catalogueMessages);
  const l = useLabels();
  const reasonText = useReasonText();
  const fieldOf = (path: readonly string[]) =>
    [...path].reverse().find((p) => p !== 'input' && !/^\d+$/.test(p)) ?? '';
  const fieldName = (path: readonly string[]) => l.field[fieldOf(path)] ?? fieldOf(path);
  const statusWord = (s: string | undefined) => (s && s in l.status ? l.status[s as OfferStatus] : (s ?? ''));
  let sentence: string;
  switch (problem.__typename) {
    case 'ForbiddenError':
      sentence = t.problemForbidden;
      break;
    case 'NotFoundError':
      sentence = t.problemNotFound;
      break;
    case 'InvalidInputError':
      sentence = t.problemInvalid;
      break;
    case 'OfferNotPublishableError':
      sentence = t.notPublishable;
      break;
    case 'InvalidTransitionError':
      sentence = t.problemTransition(statusWord(problem.status));
      break;
    case 'UnknownThemeError':
      sentence = t.problemUnknownTheme((problem.codes ?? []).join(', '));
      break;
    case 'UnknownCommuneError':
      sentence = t.problemUnknownCommune((problem.communes ?? []).join(', '));
      break;
    case 'VersionConflictError':
      sentence = t.problemConflict;
      break;
    case 'NetworkError':
      sentence = t.problemNetwork;
      break;
    default:
      sentence = problem.message;
  }
  return (
    <div className="notice notice-problem" role="alert">
      <p>
        <strong>{t.problemTitle}</strong> {sentence}
      </p>
      {problem.fields && problem.fields.length > 0 && (
        <ul>
          {problem.fields.map((f) => {
            const words = reasonText(f, FIELD_KINDS[fieldOf(f.path)]);
            return (
              <li key={f.path.join('.')}>
                <strong>{fieldName(f.path)}</strong> : {words ?? <span lang="en">{f.message}</span>}
              </li>
            );
          })}
        </ul>
      )}
      {problem.__typename !== 'NetworkError' && problem.message && sentence !== problem.message && (
        <p className="muted small">
          {t.hubSays} <span lang="en">{problem.message}</span>
        </p>
      )}
    </div>
  );
}

/**
 * Free places in one click each: − and + save at once (the hub's quick path, which leaves the
 * offer's version alone). Clicks made while a save runs are gathered: the last value wins.
 */
export function CapacityControl({
  offer,
  title,
}: {
  offer: { id: string; capacity: { places?: number | null; free?: number | null } };
  title: string;
}) {
  const t = useMessages(catalogueMessages);
  const { number } = useFormat();
  const [, update] = useMutation(ConsoleCatalogueUpdateCapacityDocument);
  const [pending, setPending] = useState<number | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [savedOnce, setSavedOnce] = useState(false);
  const queue = useRef<{ busy: boolean; next: number | null }>({ busy: false, next: null });
  const { places, free } = offer.capacity;
  const shown = pending ?? free ?? 0;

  async function drain() {
    const q = queue.current;
    q.busy = true;
    while (q.next !== null) {
      const value = q.next;
      q.next = null;
      const result = await update({ input: { id: offer.id, free: value } });
      const p = failure(result.error, result.data?.updateOfferCapacity);
      if (p) {
        q.next = null;
        setProblem(p);
        break;
      }
      setSavedOnce(true);
    }
    q.busy = false;
    setPending(null);
  }
  function change(value: number) {
    setProblem(null);
    setSavedOnce(false);
    setPending(value);
    queue.current.next = value;
    if (!queue.current.busy) void drain();
  }

  return (
    <div className="capacity">
      <div className="capacity-row">
        <button
          type="button"
          className="step"
          aria-label={t.oneLess(title)}
          disabled={shown <= 0}
          onClick={() => change(shown - 1)}
        >
          −
        </button>
        <output className="capacity-value" aria-live="polite">
          {pending === null && free == null ? (
            <>
              <span aria-hidden="true">—</span>
              <span className="visually-hidden">{t.noPlacesCounted}</span>
            </>
          ) : places != null ? (
            t.freeOf(number(shown), number(places))
          ) : (
            number(shown)
          )}
        </output>
        <button
          type="button"
          className="step"
          aria-label={t.oneMore(title)}
          disabled={places != null && shown >= places}
          onClick={() => change(shown + 1)}
        >
          +
        </button>
      </div>
      <span className="capacity-state muted small" role="status">
        {pending !== null ? t.capacitySaving : savedOnce ? t.capacitySaved : ''}
      </span>
      {problem && <ProblemNotice problem={problem} />}
    </div>
  );
}

/** The offer's own menu: its form, its translations, its change log. */
export function OfferNav({ id, editor }: { id: string; editor: boolean }) {
  const t = useMessages(catalogueMessages);
  const [location] = useLocation();
  const base = `/offers/${encodeURIComponent(id)}`;
  const tabs = [
    { href: base, label: t.tabEdit },
    ...(editor
      ? [
          { href: `${base}/translations`, label: t.tabTranslations },
          { href: `${base}/changes`, label: t.tabChanges },
        ]
      : []),
  ];
  return (
    <nav className="offer-nav" aria-label={t.offerNav}>
      <Link href="/offers" className="offer-nav-back">
        ← {t.backToOffers}
      </Link>
      <ul>
        {tabs.map((tab) => (
          <li key={tab.href}>
            <Link
              href={tab.href}
              aria-current={
                decodeURIComponent(location) === decodeURIComponent(tab.href) ? 'page' : undefined
              }
            >
              {tab.label}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}

export interface ConflictRow {
  key: string;
  label: string;
  mine: ReactNode;
  theirs: ReactNode;
  who: 'mine' | 'theirs' | 'both';
}

/**
 * A save refused because the object changed since it was opened: what happened in plain words,
 * what differs (the user's version beside the current one), and the two ways out.
 */
export function ConflictPanel({
  title,
  opened,
  current,
  rows,
  also,
  busy,
  onKeepMine,
  onTakeTheirs,
}: {
  title: string;
  opened: number;
  current: number;
  rows: ConflictRow[];
  also?: string | null;
  busy: boolean;
  onKeepMine: () => void;
  onTakeTheirs: () => void;
}) {
  const t = useMessages(catalogueMessages);
  const heading = useRef<HTMLHeadingElement>(null);
  // The refused save's explanation takes the focus: read first, then the choices.
  useEffect(() => heading.current?.focus(), []);
  return (
    <section className="conflict" aria-labelledby="conflict-title">
      <h2 id="conflict-title" ref={heading} tabIndex={-1}>
        {title}
      </h2>
      <p>{t.conflictExplain(opened, current)}</p>
      {rows.length > 0 && (
        <div className="table-wrap contained">
          <table className="conflict-table">
            <caption className="visually-hidden">{title}</caption>
            <thead>
              <tr>
                <th scope="col">{t.conflictField}</th>
                <th scope="col">{t.conflictMine}</th>
                <th scope="col">{t.conflictTheirs}</th>
                <th scope="col">{t.conflictWho}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.key} data-field={r.key}>
                  <th scope="row">{r.label}</th>
                  <td className={r.who === 'theirs' ? 'muted' : 'mine'}>{r.mine}</td>
                  <td className={r.who === 'mine' ? 'muted' : 'theirs'}>{r.theirs}</td>
                  <td>{r.who === 'mine' ? t.whoMine : r.who === 'theirs' ? t.whoTheirs : t.whoBoth}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {also && <p>{also}</p>}
      <div className="conflict-choices">
        <div>
          <button type="button" className="primary" disabled={busy} onClick={onKeepMine}>
            {t.keepMine}
          </button>
          <p className="muted small">{t.keepMineHint}</p>
        </div>
        <div>
          <button type="button" className="secondary" disabled={busy} onClick={onTakeTheirs}>
            {t.takeTheirs}
          </button>
          <p className="muted small">{t.takeTheirsHint}</p>
        </div>
      </div>
    </section>
  );
}

/** A value as the conflict table shows it: empty marked, long text kept whole. */
export function Shown({ value }: { value: string }) {
  const t = useMessages(catalogueMessages);
  return value.trim() === '' ? <em className="muted">{t.empty}</em> : <span className="pre">{value}</span>;
}
