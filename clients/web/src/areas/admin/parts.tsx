/**
 * Pieces the organisation admins' pages share: the refusal for everyone else, the organisation
 * chooser (kept in the address, `?org=slug`), a button that asks before it acts, and a secret shown
 * once with a copy button.
 */
import { useEffect, useId, useRef, useState, type ReactNode } from 'react';
import { Link, useSearchParams } from 'wouter';
import type { Role } from '../../../../generated/graphql.ts';
import { hasRole, useViewer, type Viewer } from '../../app/viewer.tsx';
import { useMessages } from '../../i18n/i18n.tsx';
import { common } from '../../ui/common.messages.ts';
import { Page } from '../../ui/Page.tsx';
import { adminMessages } from './admin.messages.ts';
import './admin.css';

export interface AdminOrganisation {
  id: string;
  slug: string;
  name: string;
}

export const isHubAdmin = (viewer: Viewer) => viewer.memberships.some((m) => m.roles.includes('HUB_ADMIN'));

/** Organisations in which the viewer holds one of the roles itself (HUB_ADMIN not counted). */
export function organisationsHolding(viewer: Viewer, roles: readonly Role[]): AdminOrganisation[] {
  return viewer.memberships.filter((m) => m.roles.some((r) => roles.includes(r))).map((m) => m.organisation);
}

/** The page for organisation admins (and hub admins); a plain refusal for anyone else. */
export function AdminOnly({ children }: { children: ReactNode }) {
  const viewer = useViewer();
  const t = useMessages(adminMessages);
  if (hasRole(viewer, ['ORG_ADMIN'])) return <>{children}</>;
  return (
    <Page title={t.refusalTitle}>
      <p className="refusal">{t.refusal}</p>
      <p>
        <Link href="/">{t.backHome}</Link>
      </p>
    </Page>
  );
}

/** The organisation chosen in the address (`?org=slug`), else the first one. */
export function useChosenOrganisation(
  choices: readonly AdminOrganisation[],
): [AdminOrganisation | null, (slug: string) => void] {
  const [params, setParams] = useSearchParams();
  const slug = params.get('org');
  const chosen = choices.find((c) => c.slug === slug) ?? choices[0] ?? null;
  return [chosen, (next: string) => setParams({ org: next })];
}

/** A choice of organisation when there are several; its name when there is one. */
export function OrganisationChooser({
  choices,
  chosen,
  onChoose,
}: {
  choices: readonly AdminOrganisation[];
  chosen: AdminOrganisation | null;
  onChoose: (slug: string) => void;
}) {
  const t = useMessages(adminMessages);
  const id = useId();
  if (!chosen) return null;
  if (choices.length < 2) return <p className="org-name">{chosen.name}</p>;
  return (
    <div className="field org-chooser">
      <label htmlFor={id}>{t.organisation}</label>
      <select id={id} value={chosen.slug} onChange={(e) => onChoose(e.target.value)}>
        {choices.map((c) => (
          <option key={c.slug} value={c.slug}>
            {c.name}
          </option>
        ))}
      </select>
    </div>
  );
}

/**
 * A button that asks before acting: the first press shows the question with "confirm" (focused)
 * and "cancel" (back to the button).
 */
export function ConfirmButton({
  children,
  question,
  onConfirm,
  busy = false,
}: {
  children: ReactNode;
  question: string;
  onConfirm: () => void;
  busy?: boolean;
}) {
  const t = useMessages(adminMessages);
  const c = useMessages(common);
  const [asking, setAsking] = useState(false);
  const confirmRef = useRef<HTMLButtonElement>(null);
  const askRef = useRef<HTMLButtonElement>(null);
  const returnFocus = useRef(false);
  useEffect(() => {
    if (asking) confirmRef.current?.focus();
    else if (returnFocus.current) askRef.current?.focus();
  }, [asking]);
  if (!asking) {
    return (
      <button type="button" className="danger" ref={askRef} disabled={busy} onClick={() => setAsking(true)}>
        {busy ? t.working : children}
      </button>
    );
  }
  return (
    <span className="confirm" role="group" aria-label={question}>
      <span className="confirm-question">{question}</span>
      <button
        type="button"
        className="danger"
        ref={confirmRef}
        onClick={() => {
          returnFocus.current = false;
          setAsking(false);
          onConfirm();
        }}
      >
        {t.confirm}
      </button>
      <button
        type="button"
        className="secondary"
        onClick={() => {
          returnFocus.current = true;
          setAsking(false);
        }}
      >
        {c.cancel}
      </button>
    </span>
  );
}

/**
 * A secret the hub shows only once (an API key, a webhook's signing secret): a warning, the value
 * in a read-only field, a copy button, and "done" which hides it for good. Focus moves to it.
 */
export function OnceSecret({
  title,
  label,
  value,
  warning,
  onDone,
}: {
  title: string;
  label: string;
  value: string;
  warning: string;
  onDone: () => void;
}) {
  const t = useMessages(adminMessages);
  const id = useId();
  const headingRef = useRef<HTMLHeadingElement>(null);
  const inputRef = useRef<HTMLInputElement>(null);
  const [copy, setCopy] = useState<'idle' | 'copied' | 'failed'>('idle');
  useEffect(() => headingRef.current?.focus(), []);
  const copyValue = async () => {
    try {
      await navigator.clipboard.writeText(value);
      setCopy('copied');
    } catch {
      inputRef.current?.focus();
      inputRef.current?.select();
      setCopy('failed');
    }
  };
  return (
    <section className="once-secret" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`} tabIndex={-1} ref={headingRef}>
        {title}
      </h2>
      <p className="once-warning">
        <span aria-hidden="true">⚠ </span>
        {warning}
      </p>
      <label>
        {label}
        <input
          ref={inputRef}
          className="secret-value"
          readOnly
          value={value}
          spellCheck={false}
          autoComplete="off"
          onFocus={(e) => e.target.select()}
        />
      </label>
      <div className="row">
        <button type="button" className="primary" onClick={() => void copyValue()}>
          {t.copy}
        </button>
        <button type="button" className="secondary" onClick={onDone}>
          {t.secretDone}
        </button>
      </div>
      <p role="status" className={copy === 'failed' ? 'field-error' : 'muted'}>
        {copy === 'copied' ? t.copied : copy === 'failed' ? t.copyFailed : ''}
      </p>
    </section>
  );
}
