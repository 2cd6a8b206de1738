/**
 * An organisation's API clients (its admins only): name, permissions, last use, expiry; creating
 * one shows its key once (kept only in this page's memory: gone when the page is left); revoking.
 */
import { useId, useState, type FormEvent } from 'react';
import { useMutation, useQuery } from 'urql';
import {
  ConsoleAdminApiClientsDocument,
  ConsoleAdminCreateApiClientDocument,
  ConsoleAdminRevokeApiClientDocument,
  type ApiScope,
  type ConsoleAdminApiClientFieldsFragment,
} from '../../../../generated/graphql.ts';
import { useViewer } from '../../app/viewer.tsx';
import { useFormat, useMessages } from '../../i18n/i18n.tsx';
import { common } from '../../ui/common.messages.ts';
import { Page } from '../../ui/Page.tsx';
import { Empty, Notice, QueryState } from '../../ui/states.tsx';
import { adminMessages } from './admin.messages.ts';
import { apiKeysMessages } from './api-keys.messages.ts';
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

const SCOPES: readonly ApiScope[] = [
  'CATALOGUE_READ',
  'CATALOGUE_WRITE',
  'GUIDES_READ',
  'REFERRALS_READ',
  'REFERRALS_WRITE',
  'WEBHOOKS_MANAGE',
];

export default function ApiKeysPage() {
  return (
    <AdminOnly>
      <ApiKeys />
    </AdminOnly>
  );
}

function ApiKeys() {
  const t = useMessages(apiKeysMessages);
  const a = useMessages(adminMessages);
  const viewer = useViewer();
  // API clients belong to the organisations the viewer administers itself (hub admins included).
  const choices = organisationsHolding(viewer, ['ORG_ADMIN']);
  const [chosen, choose] = useChosenOrganisation(choices);
  return (
    <Page
      title={t.title}
      actions={<OrganisationChooser choices={choices} chosen={chosen} onChoose={choose} />}
    >
      <p className="admin-intro">{t.intro}</p>
      {chosen ? (
        <KeysOf key={chosen.slug} organisation={chosen} />
      ) : (
        <Notice kind="problem">{a.noOwnOrganisation}</Notice>
      )}
    </Page>
  );
}

/** The last moment of a day in the browser's time zone, as the hub reads dates. */
const endOfDay = (date: string) => new Date(`${date}T23:59:59`).toISOString();
const localDate = (d: Date) =>
  `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;

function KeysOf({ organisation }: { organisation: AdminOrganisation }) {
  const t = useMessages(apiKeysMessages);
  const [result, reexecute] = useQuery({
    query: ConsoleAdminApiClientsDocument,
    variables: { slug: organisation.slug },
  });
  const [created, setCreated] = useState<{ name: string; key: string } | null>(null);
  return (
    <>
      {created && (
        <OnceSecret
          title={t.newKeyTitle(created.name)}
          label={t.keyLabel}
          value={created.key}
          warning={t.keyWarning}
          onDone={() => setCreated(null)}
        />
      )}
      <section aria-labelledby="create-key-heading">
        <h2 id="create-key-heading">{t.createHeading}</h2>
        <CreateKeyForm
          organisation={organisation}
          onCreated={(name, key) => {
            setCreated({ name, key });
            reexecute({ requestPolicy: 'network-only' });
          }}
        />
      </section>
      <section aria-labelledby="keys-heading">
        <h2 id="keys-heading">{t.listHeading}</h2>
        <QueryState result={result} retry={() => reexecute({ requestPolicy: 'network-only' })}>
          {(data) => {
            const clients = data.organisation?.apiClients.edges.map((e) => e.node) ?? [];
            if (clients.length === 0) return <Empty>{t.noKeys}</Empty>;
            return (
              <ul className="admin-list">
                {clients.map((client) => (
                  <li key={client.id}>
                    <KeyCard client={client} />
                  </li>
                ))}
              </ul>
            );
          }}
        </QueryState>
      </section>
    </>
  );
}

function CreateKeyForm({
  organisation,
  onCreated,
}: {
  organisation: AdminOrganisation;
  onCreated: (name: string, key: string) => void;
}) {
  const t = useMessages(apiKeysMessages);
  const c = useMessages(common);
  const id = useId();
  const [name, setName] = useState('');
  const [scopes, setScopes] = useState<ApiScope[]>([]);
  const [expiry, setExpiry] = useState('');
  const [problem, setProblem] = useState<Problem | null>(null);
  const [creating, create] = useMutation(ConsoleAdminCreateApiClientDocument);
  const invalid = invalidFields(problem);
  const tomorrow = new Date();
  tomorrow.setDate(tomorrow.getDate() + 1);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (scopes.length === 0) {
      setProblem({ kind: 'typed', failure: { __typename: 'Local', message: t.chooseScope } });
      return;
    }
    const res = await create({
      input: {
        organisationId: organisation.id,
        name: name.trim(),
        scopes: SCOPES.filter((s) => scopes.includes(s)),
        expiresAt: expiry ? endOfDay(expiry) : null,
      },
    });
    const s = settle(res.error, res.data?.createApiClient, 'MutationCreateApiClientSuccess');
    setProblem(s.problem);
    if (s.ok) {
      setName('');
      setScopes([]);
      setExpiry('');
      onCreated(s.ok.data.apiClient.name, s.ok.data.key);
    }
  };

  return (
    <form className="form admin-form" onSubmit={(e) => void submit(e)}>
      <div className="field">
        <label htmlFor={`${id}-name`}>{t.name}</label>
        <input
          id={`${id}-name`}
          type="text"
          required
          maxLength={100}
          value={name}
          aria-invalid={invalid.has('name') || undefined}
          aria-describedby={`${id}-name-hint`}
          onChange={(e) => setName(e.target.value)}
        />
        <span id={`${id}-name-hint`} className="field-hint">
          {t.nameHint}
        </span>
      </div>
      <fieldset className="checks">
        <legend>{t.scopes}</legend>
        {SCOPES.map((scope) => (
          <div key={scope} className="check-item">
            <label className="check">
              <input
                type="checkbox"
                checked={scopes.includes(scope)}
                aria-describedby={`${id}-${scope}`}
                onChange={(e) =>
                  setScopes(e.target.checked ? [...scopes, scope] : scopes.filter((s) => s !== scope))
                }
              />
              {t[`scope_${scope}`]}
            </label>
            <span id={`${id}-${scope}`} className="check-hint">
              {t[`scopeHint_${scope}`]}
            </span>
          </div>
        ))}
      </fieldset>
      <div className="field">
        <label htmlFor={`${id}-expiry`}>{t.expiry}</label>
        <input
          id={`${id}-expiry`}
          type="date"
          value={expiry}
          min={localDate(tomorrow)}
          aria-invalid={invalid.has('expiresAt') || undefined}
          aria-describedby={`${id}-expiry-hint`}
          onChange={(e) => setExpiry(e.target.value)}
        />
        <span id={`${id}-expiry-hint`} className="field-hint">
          {t.expiryHint}
        </span>
      </div>
      <div className="row">
        <button type="submit" className="primary" disabled={creating.fetching}>
          {creating.fetching ? c.loading : t.create}
        </button>
      </div>
      <ProblemNotice
        problem={problem}
        labels={{ name: t.name, scopes: t.scopes, expiresAt: t.expiry }}
        kinds={{ scopes: 'choice' }}
      />
    </form>
  );
}

function KeyCard({ client }: { client: ConsoleAdminApiClientFieldsFragment }) {
  const t = useMessages(apiKeysMessages);
  const a = useMessages(adminMessages);
  const f = useFormat();
  const id = useId();
  const [problem, setProblem] = useState<Problem | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [revoking, revoke] = useMutation(ConsoleAdminRevokeApiClientDocument);
  const state = client.revokedAt
    ? 'revoked'
    : client.expiresAt && new Date(client.expiresAt) <= new Date()
      ? 'expired'
      : 'active';

  const revokeIt = async () => {
    const res = await revoke({ input: { id: client.id } });
    const s = settle(res.error, res.data?.revokeApiClient, 'MutationRevokeApiClientSuccess');
    setProblem(s.problem);
    if (s.ok) setDone(t.revoked(client.name));
  };

  return (
    <article className="card" aria-labelledby={`${id}-name`}>
      <div className="item-head">
        <h3 id={`${id}-name`}>{client.name}</h3>
        <span className={`badge badge-${state}`}>{t[`state_${state}`]}</span>
      </div>
      <dl className="item-facts">
        <div>
          <dt>{t.prefix}</dt>
          <dd>
            <code>{client.prefix}…</code>
          </dd>
        </div>
        <div>
          <dt>{t.createdAt}</dt>
          <dd>{f.date(client.createdAt)}</dd>
        </div>
        <div>
          <dt>{t.lastUsed}</dt>
          <dd>{client.lastUsedAt ? f.dateTime(client.lastUsedAt) : a.never}</dd>
        </div>
        <div>
          <dt>{t.expires}</dt>
          <dd>{client.expiresAt ? f.date(client.expiresAt) : t.noExpiry}</dd>
        </div>
        {client.revokedAt && (
          <div>
            <dt>{t.revokedAt}</dt>
            <dd>{f.dateTime(client.revokedAt)}</dd>
          </div>
        )}
        <div>
          <dt>{t.scopes}</dt>
          <dd>
            {SCOPES.filter((s) => client.scopes.includes(s))
              .map((s) => t[`scope_${s}`])
              .join(', ')}
          </dd>
        </div>
      </dl>
      {state !== 'revoked' && (
        <ConfirmButton
          question={t.revokeQuestion(client.name)}
          busy={revoking.fetching}
          onConfirm={() => void revokeIt()}
        >
          {t.revoke}
          <span className="visually-hidden">{t.keyNamed(client.name)}</span>
        </ConfirmButton>
      )}
      <ProblemNotice problem={problem} />
      {done && <Notice kind="ok">{done}</Notice>}
    </article>
  );
}
