/**
 * What the network page's sections share: a count as the hub publishes it, a working-days figure,
 * a chart drawn by the hub, and the hub's typed refusal in plain words.
 */
import { useMemo, type ReactNode } from 'react';
import type { ConsoleNetworkCountFragment } from '../../../../generated/graphql.ts';
import { useLocale, useMessages } from '../../i18n/i18n.tsx';
import { useErrorText } from '../../ui/errors.ts';
import { ErrorNotice } from '../../ui/states.tsx';
import { nm } from './network.messages.ts';
import './network.css';

/** The language tag the page's numbers and months are written in. */
export function useLanguageTag(): string {
  const { locale } = useLocale();
  return locale === 'fr' ? 'fr-LU' : locale === 'de' ? 'de-LU' : 'en-GB';
}

/** Working days (to 0.1) and gap indexes, in the user's language; null as "—". */
export function useDecimal(): (n: number | null | undefined) => string {
  const tag = useLanguageTag();
  const t = useMessages(nm);
  return useMemo(() => {
    const f = new Intl.NumberFormat(tag, { maximumFractionDigits: 1 });
    return (n) => (n === null || n === undefined ? t.none : f.format(n));
  }, [tag, t]);
}

/** A count as published: its `display` ("< 5", a rounded value), never a figure computed from it. */
export function Count({ count }: { count: ConsoleNetworkCountFragment | null | undefined }) {
  const t = useMessages(nm);
  if (!count) return <>{t.none}</>;
  const text = count.display === 'hidden' ? t.hidden : count.display;
  return count.suppressed ? <span className="nw-suppressed">{text}</span> : <>{text}</>;
}

/**
 * A chart the hub drew (SVG with no script, from its own server), scaled to its container. It is
 * one image, named by its own title and description (role="img"; the hub drops the marks' own
 * roles, src/modules/network/network-charts.ts).
 */
export function Chart({ svg, className }: { svg: string; className?: string }) {
  return (
    <div
      className={className ? `nw-chart ${className}` : 'nw-chart'}
      dangerouslySetInnerHTML={{ __html: svg }}
    />
  );
}

/** A table's frame, which scrolls sideways when the table is wider: reachable by keyboard, named. */
export function TableFrame({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="table-wrap" role="region" aria-label={label} tabIndex={0}>
      {children}
    </div>
  );
}

/** A refusal of the API (`... on Error`): forbidden, a period too short… */
export interface NetworkProblem {
  __typename: string;
  code: string;
  message: string;
  fields?: readonly { path: readonly string[]; message: string }[];
}

export function ProblemNotice({ problem }: { problem: NetworkProblem }) {
  const errorText = useErrorText();
  const text = [
    errorText({ code: problem.code, message: problem.message }),
    ...(problem.fields ?? []).map((f) => f.message),
  ].join(' ');
  return <ErrorNotice error={text} />;
}

/**
 * A result union's success member, given to `children`; its refusal in plain words; or, when
 * the hub gave no result at all, a sentence saying so.
 */
export function Answer<R extends { __typename: string }, S extends R['__typename']>({
  result,
  success,
  onRetry,
  children,
}: {
  result: R | null | undefined;
  success: S;
  onRetry: () => void;
  children: (ok: Extract<R, { __typename: S }>) => ReactNode;
}) {
  const t = useMessages(nm);
  if (!result) return <ErrorNotice error={t.noAnswer} onRetry={onRetry} />;
  if (result.__typename === success) return <>{children(result as Extract<R, { __typename: S }>)}</>;
  return <ProblemNotice problem={result as unknown as NetworkProblem} />;
}
