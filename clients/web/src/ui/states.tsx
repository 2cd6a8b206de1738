/**
 * Loading, error and empty states, the same on every page: a status that screen readers announce,
 * an error with a way to try again, and a plain sentence when there is nothing yet.
 */
import type { CombinedError } from '@urql/core';
import type { ReactNode } from 'react';
import { useMessages } from '../i18n/i18n.tsx';
import { common } from './common.messages.ts';

export function Loading({ label }: { label?: string }) {
  const t = useMessages(common);
  return (
    <p className="state state-loading" role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" /> {label ?? t.loading}
    </p>
  );
}

export function ErrorNotice({
  error,
  onRetry,
}: {
  error: CombinedError | Error | string;
  onRetry?: () => void;
}) {
  const t = useMessages(common);
  const message =
    typeof error === 'string'
      ? error
      : 'networkError' in error && error.networkError && !error.graphQLErrors?.length
        ? t.offline
        : 'graphQLErrors' in error && error.graphQLErrors?.[0]
          ? error.graphQLErrors[0].message
          : error.message;
  return (
    <div className="state state-error" role="alert">
      <p>
        <strong>{t.errorTitle}</strong> {message}
      </p>
      {onRetry && (
        <button type="button" onClick={onRetry}>
          {t.retry}
        </button>
      )}
    </div>
  );
}

export function Empty({ children }: { children?: ReactNode }) {
  const t = useMessages(common);
  return <p className="state state-empty">{children ?? t.empty}</p>;
}

/** What a query's result shows: loading the first time, its error, or the page. */
export function QueryState<T>({
  result,
  retry,
  children,
}: {
  result: { data?: T | undefined; fetching: boolean; error?: CombinedError | undefined };
  retry?: () => void;
  children: (data: T) => ReactNode;
}) {
  if (result.data) return <>{children(result.data)}</>;
  if (result.error) return <ErrorNotice error={result.error} {...(retry ? { onRetry: retry } : {})} />;
  return <Loading />;
}

/** A short confirmation or problem after an action, announced to screen readers. */
export function Notice({ kind, children }: { kind: 'ok' | 'problem'; children: ReactNode }) {
  return (
    <div className={`notice notice-${kind}`} role={kind === 'problem' ? 'alert' : 'status'}>
      {children}
    </div>
  );
}
