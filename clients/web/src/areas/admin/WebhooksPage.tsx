/**
 * An organisation's webhook endpoints (its admins only): address, events, active; adding one
 * (its signing secret shown once), editing, disabling and enabling, deleting; each one's delivery
 * log is its own page (WebhookPage).
 */
import { useId, useState, type FormEvent } from 'react';
import { Link } from 'wouter';
import { useMutation, useQuery } from 'urql';
import {
  CreateWebhookDocument,
  DeleteWebhookDocument,
  OrganisationWebhooksDocument,
  UpdateWebhookDocument,
  type WebhookEndpointFieldsFragment,
  type WebhookEventType,
} from '../../../../generated/graphql.ts';
import { useViewer } from '../../app/viewer.tsx';
import { useFormat, useMessages } from '../../i18n/i18n.tsx';
import { common } from '../../ui/common.messages.ts';
import { Page } from '../../ui/Page.tsx';
import { Empty, Notice, QueryState } from '../../ui/states.tsx';
import { adminMessages } from './admin.messages.ts';
import {
  AdminOnly,
  ConfirmButton,
  OnceSecret,
  OrganisationChooser,
  organisationsHolding,
  useChosenOrganisation,
  type AdminOrganisation,
} from './parts.tsx';
import { invalidFields, ProblemNotice, settle, type Problem } from './problems.tsx';
import { EVENT_NAMES, EVENT_TYPES, webhooksMessages } from './webhooks.messages.ts';

export default function WebhooksPage() {
  return (
    <AdminOnly>
      <Webhooks />
    </AdminOnly>
  );
}

function Webhooks() {
  const t = useMessages(webhooksMessages);
  const a = useMessages(adminMessages);
  const viewer = useViewer();
  const choices = organisationsHolding(viewer, ['ORG_ADMIN']);
  const [chosen, choose] = useChosenOrganisation(choices);
  return (
    <Page
      title={t.title}
      actions={<OrganisationChooser choices={choices} chosen={chosen} onChoose={choose} />}
    >
      <p className="admin-intro">{t.intro}</p>
      {chosen ? (
        <WebhooksOf key={chosen.slug} organisation={chosen} />
      ) : (
        <Notice kind="problem">{a.noOwnOrganisation}</Notice>
      )}
    </Page>
  );
}

function WebhooksOf({ organisation }: { organisation: AdminOrganisation }) {
  const t = useMessages(webhooksMessages);
  const [result, reexecute] = useQuery({
    query: OrganisationWebhooksDocument,
    variables: { slug: organisation.slug },
  });
  const [secret, setSecret] = useState<string | null>(null);
  const [creating, create] = useMutation(CreateWebhookDocument);
  const reload = () => reexecute({ requestPolicy: 'network-only' });
  return (
    <>
      {secret && (
        <OnceSecret
          title={t.secretTitle}
          label={t.secretLabel}
          value={secret}
          warning={t.secretWarning}
          onDone={() => setSecret(null)}
        />
      )}
      <section aria-labelledby="webhooks-heading">
        <h2 id="webhooks-heading">{t.listHeading}</h2>
        <QueryState result={result} retry={reload}>
          {(data) => {
            const hooks = data.organisation?.webhooks.edges.map((e) => e.node) ?? [];
            if (hooks.length === 0) return <Empty>{t.noWebhooks}</Empty>;
            return (
              <ul className="admin-list">
                {hooks.map((hook) => (
                  <li key={hook.id}>
                    <WebhookCard webhook={hook} organisation={organisation} onDeleted={reload} />
                  </li>
                ))}
              </ul>
            );
          }}
        </QueryState>
      </section>
      <section aria-labelledby="create-webhook-heading">
        <h2 id="create-webhook-heading">{t.createHeading}</h2>
        <WebhookForm
          initial={{ url: '', description: '', eventTypes: [], active: true }}
          submitLabel={t.create}
          busy={creating.fetching}
          resetAfter
          onSubmit={async (values) => {
            const res = await create({
              input: {
                organisationId: organisation.id,
                url: values.url,
                description: values.description || null,
                eventTypes: values.eventTypes,
                active: values.active,
              },
            });
            const s = settle(res.error, res.data?.createWebhook, 'MutationCreateWebhookSuccess');
            if (s.ok) {
              setSecret(s.ok.data.secret);
              reload();
            }
            return s.problem;
          }}
        />
      </section>
    </>
  );
}

interface WebhookValues {
  url: string;
  description: string;
  eventTypes: WebhookEventType[];
  active: boolean;
}

/** The fields of a webhook, for adding one or editing it. */
function WebhookForm({
  initial,
  submitLabel,
  busy,
  resetAfter = false,
  onSubmit,
  onCancel,
}: {
  initial: WebhookValues;
  submitLabel: string;
  busy: boolean;
  resetAfter?: boolean;
  onSubmit: (values: WebhookValues) => Promise<Problem | null>;
  onCancel?: () => void;
}) {
  const t = useMessages(webhooksMessages);
  const c = useMessages(common);
  const id = useId();
  const [values, setValues] = useState(initial);
  const [problem, setProblem] = useState<Problem | null>(null);
  const invalid = invalidFields(problem);
  const set = (change: Partial<WebhookValues>) => setValues((v) => ({ ...v, ...change }));

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (values.eventTypes.length === 0) {
      setProblem({ kind: 'typed', failure: { __typename: 'Local', message: t.chooseEvent } });
      return;
    }
    const found = await onSubmit({
      ...values,
      url: values.url.trim(),
      description: values.description.trim(),
      eventTypes: EVENT_TYPES.filter((e) => values.eventTypes.includes(e)),
    });
    setProblem(found);
    if (!found && resetAfter) setValues(initial);
  };

  return (
    <form className="form admin-form" onSubmit={(e) => void submit(e)}>
      <div className="field">
        <label htmlFor={`${id}-url`}>{t.url}</label>
        <input
          id={`${id}-url`}
          type="text"
          inputMode="url"
          required
          autoComplete="off"
          spellCheck={false}
          value={values.url}
          aria-invalid={invalid.has('url') || undefined}
          aria-describedby={`${id}-url-hint`}
          onChange={(e) => set({ url: e.target.value })}
        />
        <span id={`${id}-url-hint`} className="field-hint">
          {t.urlHint}
        </span>
      </div>
      <label>
        {t.description}
        <input
          type="text"
          maxLength={500}
          value={values.description}
          aria-invalid={invalid.has('description') || undefined}
          onChange={(e) => set({ description: e.target.value })}
        />
      </label>
      <fieldset className="checks">
        <legend>{t.events}</legend>
        {EVENT_TYPES.map((type) => (
          <label key={type} className="check">
            <input
              type="checkbox"
              checked={values.eventTypes.includes(type)}
              onChange={(e) =>
                set({
                  eventTypes: e.target.checked
                    ? [...values.eventTypes, type]
                    : values.eventTypes.filter((x) => x !== type),
                })
              }
            />
            {t[`event_${type}`]}
            <code className="event-name">{EVENT_NAMES[type]}</code>
          </label>
        ))}
      </fieldset>
      <label className="check">
        <input type="checkbox" checked={values.active} onChange={(e) => set({ active: e.target.checked })} />
        {t.activeLabel}
      </label>
      <div className="row">
        <button type="submit" className="primary" disabled={busy}>
          {busy ? c.loading : submitLabel}
        </button>
        {onCancel && (
          <button type="button" className="secondary" onClick={onCancel}>
            {c.cancel}
          </button>
        )}
      </div>
      <ProblemNotice
        problem={problem}
        labels={{ url: t.url, description: t.description, eventTypes: t.events }}
        kinds={{ eventTypes: 'choice' }}
      />
    </form>
  );
}

function WebhookCard({
  webhook,
  organisation,
  onDeleted,
}: {
  webhook: WebhookEndpointFieldsFragment;
  organisation: AdminOrganisation;
  onDeleted: () => void;
}) {
  const t = useMessages(webhooksMessages);
  const f = useFormat();
  const id = useId();
  const [editing, setEditing] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [updating, update] = useMutation(UpdateWebhookDocument);
  const [deleting, remove] = useMutation(DeleteWebhookDocument);

  const setActive = async (active: boolean) => {
    setDone(null);
    const res = await update({ input: { id: webhook.id, active } });
    const s = settle(res.error, res.data?.updateWebhook, 'MutationUpdateWebhookSuccess');
    setProblem(s.problem);
    if (s.ok) setDone(active ? t.enabledDone : t.disabledDone);
  };
  const deleteIt = async () => {
    setDone(null);
    const res = await remove({ input: { id: webhook.id } });
    const s = settle(res.error, res.data?.deleteWebhook, 'MutationDeleteWebhookSuccess');
    setProblem(s.problem);
    if (s.ok) onDeleted();
  };

  return (
    <article className="card" aria-labelledby={`${id}-url`}>
      <div className="item-head">
        <h3 id={`${id}-url`} className="url">
          {webhook.url}
        </h3>
        <span className={`badge badge-${webhook.active ? 'active' : 'inactive'}`}>
          {webhook.active ? t.state_active : t.state_inactive}
        </span>
      </div>
      {webhook.description && <p>{webhook.description}</p>}
      {!webhook.active && <p className="muted">{t.inactiveNote}</p>}
      {editing ? (
        <section aria-label={t.editHeading}>
          <WebhookForm
            initial={{
              url: webhook.url,
              description: webhook.description ?? '',
              eventTypes: webhook.eventTypes,
              active: webhook.active,
            }}
            submitLabel={t.saveChanges}
            busy={updating.fetching}
            onCancel={() => setEditing(false)}
            onSubmit={async (values) => {
              const res = await update({
                input: {
                  id: webhook.id,
                  url: values.url,
                  description: values.description || null,
                  eventTypes: values.eventTypes,
                  active: values.active,
                },
              });
              const s = settle(res.error, res.data?.updateWebhook, 'MutationUpdateWebhookSuccess');
              if (s.ok) {
                setEditing(false);
                setProblem(null);
                setDone(t.saved);
              }
              return s.problem;
            }}
          />
        </section>
      ) : (
        <>
          <dl className="item-facts">
            <div>
              <dt>{t.events}</dt>
              <dd>
                <ul className="plain-list">
                  {webhook.eventTypes.map((type) => (
                    <li key={type}>{t[`event_${type}`]}</li>
                  ))}
                </ul>
              </dd>
            </div>
            <div>
              <dt>{t.createdAt}</dt>
              <dd>{f.date(webhook.createdAt)}</dd>
            </div>
          </dl>
          <div className="row">
            <Link
              className="button primary"
              href={`/admin/webhooks/${encodeURIComponent(webhook.id)}?org=${encodeURIComponent(organisation.slug)}`}
            >
              {t.deliveriesLink}
              <span className="visually-hidden">{t.ofWebhook(webhook.url)}</span>
            </Link>
            <button
              type="button"
              className="secondary"
              onClick={() => {
                setDone(null);
                setEditing(true);
              }}
            >
              {t.edit}
              <span className="visually-hidden">{t.ofWebhook(webhook.url)}</span>
            </button>
            <button
              type="button"
              className="secondary"
              disabled={updating.fetching}
              onClick={() => void setActive(!webhook.active)}
            >
              {webhook.active ? t.disable : t.enable}
              <span className="visually-hidden">{t.ofWebhook(webhook.url)}</span>
            </button>
            <ConfirmButton
              question={t.deleteQuestion}
              busy={deleting.fetching}
              onConfirm={() => void deleteIt()}
            >
              {t.delete}
              <span className="visually-hidden">{t.ofWebhook(webhook.url)}</span>
            </ConfirmButton>
          </div>
        </>
      )}
      <ProblemNotice
        problem={problem}
        labels={{ url: t.url, eventTypes: t.events }}
        kinds={{ eventTypes: 'choice' }}
      />
      {done && <Notice kind="ok">{done}</Notice>}
    </article>
  );
}
