/**
 * What the Welcome pages share: status badges, names of languages and weekdays in the user's
 * language, a mutation's problem in plain words, and the live stream of guide alerts.
 */
import type { CombinedError } from '@urql/core';
import { useEffect, useMemo, useRef } from 'react';
import {
  ConsoleWelcomeGuideAlertsDocument,
  type ConsoleWelcomeGuideAlertsSubscription,
  type GuideItemStatus,
  type GuideStatus,
  type Language,
} from '../../../../generated/graphql.ts';
import { useResumable, type LiveState } from '../../graphql/live.tsx';
import { useLocale, useMessages, type Locale } from '../../i18n/i18n.tsx';
import { fieldKey, useReasonText, type FieldFailure, type FieldKind } from '../../ui/errors.ts';
import { Notice } from '../../ui/states.tsx';
import { welcomeMessages, type WelcomeWords } from './welcome.messages.ts';
import './welcome.css';

/** The API's language for the console's. */
export function apiLanguage(locale: Locale): Language {
  return locale === 'de' ? 'DE' : locale === 'en' ? 'EN' : 'FR';
}

const API_LANGUAGES: readonly Language[] = ['AR', 'DE', 'EN', 'FA', 'FR', 'LB', 'PT', 'UK'];

/** A guide language code (`fa`) as the API's `Language`, when the catalogue knows it. */
export function asApiLanguage(code: string): Language | null {
  const upper = code.toUpperCase() as Language;
  return API_LANGUAGES.includes(upper) ? upper : null;
}

/** Languages written right to left. */
export const isRtl = (code: string) => ['ar', 'fa', 'he', 'ps', 'ur', 'ku'].includes(code.toLowerCase());

/** Names of languages, weekdays and numbers in the user's language. */
export function useNames() {
  const { locale } = useLocale();
  return useMemo(() => {
    const tag = locale === 'fr' ? 'fr-LU' : locale === 'de' ? 'de-LU' : 'en-GB';
    let languages: Intl.DisplayNames | null = null;
    try {
      languages = new Intl.DisplayNames([tag], { type: 'language' });
    } catch {
      languages = null;
    }
    const weekday = new Intl.DateTimeFormat(tag, { weekday: 'long', timeZone: 'UTC' });
    // 2024-01-01 was a Monday.
    const weekdayName = (iso: number) => weekday.format(new Date(Date.UTC(2024, 0, iso)));
    const BYDAY = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'];
    const day = new Intl.DateTimeFormat(tag, { dateStyle: 'medium', timeZone: 'UTC' });
    return {
      language: (code: string) => {
        const name = languages?.of(code.toLowerCase());
        return name && name.toLowerCase() !== code.toLowerCase() ? name : code;
      },
      weekday: weekdayName,
      byday: (code: string) => {
        const i = BYDAY.indexOf(code);
        return i >= 0 ? weekdayName(i + 1) : code;
      },
      /** A YYYY-MM-DD day, as a date in the user's language. */
      day: (ymd: string | null | undefined) => (ymd ? day.format(new Date(`${ymd}T00:00:00Z`)) : '—'),
      score: (n: number) => new Intl.NumberFormat(tag, { maximumFractionDigits: 2 }).format(n),
    };
  }, [locale]);
}

/** `AGE_12_17` → `12–17`, `AGE_65_PLUS` → `65+`. */
export function ageBand(band: string): string {
  const m = /^AGE_(\d+)_(\d+|PLUS)$/.exec(band);
  if (!m) return band;
  return m[2] === 'PLUS' ? `${m[1]}+` : `${m[1]}–${m[2]}`;
}

export function GuideBadge({ status }: { status: GuideStatus }) {
  const t = useMessages(welcomeMessages);
  return <span className={`badge wl-guide-${status.toLowerCase()}`}>{t[`guideStatus_${status}`]}</span>;
}

export function ItemBadge({ status }: { status: GuideItemStatus }) {
  const t = useMessages(welcomeMessages);
  return <span className={`badge wl-item-${status.toLowerCase()}`}>{t[`itemStatus_${status}`]}</span>;
}

/** What a failed mutation says: a typed error of the API, or a request that did not go through. */
export interface Failure {
  code?: string;
  message?: string;
  fields?: readonly FieldFailure[] | null;
}

/**
 * The failure of a mutation's answer, or null when it is its success member. A missing answer is
 * a request that did not go through.
 */
export function failureOf(
  error: CombinedError | undefined,
  payload: { __typename?: string } | null | undefined,
  success: string,
): Failure | null {
  if (!payload) return { code: 'request', message: error?.message ?? '' };
  if (payload.__typename === success) return null;
  return payload as Failure;
}

/** Fields of the Welcome forms whose problems are worded by their kind. */
const WELCOME_FIELD_KINDS: Record<string, FieldKind> = {
  contactEmail: 'email',
  email: 'email',
  website: 'url',
};

/** A field's label: its own, else its top field's (`relevanceNote.0.text` → `relevanceNote`), else its path. */
const labelOf = (key: string, labels: Readonly<Record<string, string>>) =>
  labels[key] ?? labels[key.split('.')[0] ?? ''] ?? key;

/**
 * A failure in the user's words, and the hub's own detail (fields) when it adds something. A form
 * gives its fields' `labels` by input field (`weekStart`, or `relevanceNote` for all its items), so
 * that a problem names the field as the form shows it; a field without one keeps its path.
 */
export function FailureNotice({
  failure,
  labels = {},
}: {
  failure: Failure;
  labels?: Readonly<Record<string, string>>;
}) {
  const t = useMessages(welcomeMessages);
  const known = failure.code && failure.code in t ? (t[failure.code as keyof WelcomeWords] as string) : null;
  const sentence = failure.code === 'request' ? t.failed : (known ?? failure.message ?? t.failed);
  const reasonText = useReasonText();
  const details = (failure.fields ?? []).map((f) =>
    t.fieldProblem(
      labelOf(fieldKey(f.path), labels),
      reasonText(f, WELCOME_FIELD_KINDS[f.path[f.path.length - 1] ?? '']) ?? f.message,
    ),
  );
  return (
    <Notice kind="problem">
      <strong>{t.problemTitle}</strong> {sentence}
      {known && (details.length > 0 || failure.message) && (
        <span className="wl-detail">
          {' '}
          {t.hubSays} {details.length > 0 ? details.join(t.listSeparator) : failure.message}
        </span>
      )}
    </Notice>
  );
}

export type GuideAlertNotice = ConsoleWelcomeGuideAlertsSubscription['guideAlerts'];

/**
 * The alerts on the guides the viewer follows, as they happen (resumed after a lost connection):
 * `onNotice` gets each one, and null once the stream is back after an interruption (re-read then).
 */
export function useGuideAlerts(onNotice: (notice: GuideAlertNotice | null) => void): LiveState {
  const latest = useRef(onNotice);
  latest.current = onNotice;
  const state = useResumable(
    ConsoleWelcomeGuideAlertsDocument,
    {},
    (d) => d.guideAlerts.cursor,
    (d) => latest.current(d.guideAlerts),
  );
  const previous = useRef(state);
  useEffect(() => {
    if (previous.current === 'interrupted' && state === 'live') latest.current(null);
    previous.current = state;
  }, [state]);
  return state;
}

export function LiveAlertsState({ state }: { state: LiveState }) {
  const t = useMessages(welcomeMessages);
  const text =
    state === 'live'
      ? t.liveAlertsOn
      : state === 'interrupted'
        ? t.liveAlertsInterrupted
        : state === 'stopped'
          ? t.liveAlertsStopped
          : t.liveAlertsConnecting;
  return <p className={`wl-live wl-live-${state}`}>{text}</p>;
}

/** The Monday of this week in Luxembourg, and the `count` Mondays before it, newest first. */
export function recentMondays(count: number, now = new Date()): string[] {
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Luxembourg' }).format(now);
  const d = new Date(`${today}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - ((d.getUTCDay() + 6) % 7));
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    out.push(d.toISOString().slice(0, 10));
    d.setUTCDate(d.getUTCDate() - 7);
  }
  return out;
}

/** A guide's address in the console (global IDs may hold `/`, `+` and `=`). */
export const guidePath = (id: string) => `/welcome/${encodeURIComponent(id)}`;

/** The route's `:id`, decoded. */
export function decodeId(param: string | undefined): string {
  if (!param) return '';
  try {
    return decodeURIComponent(param);
  } catch {
    return param;
  }
}
