/**
 * `/offers/sites/:id`: a site of the organisation — its name and address, saved with its version
 * (a conflict is explained and resolved as for offers); its opening hours and accessibility shown.
 */
import { useState, type FormEvent } from 'react';
import { useClient, useMutation, useQuery } from 'urql';
import { Link } from 'wouter';
import {
  ConsoleCatalogueSiteDocument,
  ConsoleCatalogueUpdateSiteDocument,
  type ConsoleCatalogueSiteFieldsFragment,
  type Language,
  type UpdateSiteInput,
} from '../../../../generated/graphql.ts';
import { useViewer } from '../../app/viewer.tsx';
import { useLocale, useMessages } from '../../i18n/i18n.tsx';
import { Page } from '../../ui/Page.tsx';
import { ErrorNotice, Loading, Notice } from '../../ui/states.tsx';
import { catalogueMessages, useLabels } from './catalogue.messages.ts';
import { apiLanguage, canEditOrganisation, changedKeys } from './editor.ts';
import {
  ConflictPanel,
  failure,
  ProblemNotice,
  Shown,
  type ConflictRow,
  type Problem,
  useIdParam,
} from './parts.tsx';

type Site = ConsoleCatalogueSiteFieldsFragment;

interface SiteForm {
  name: string;
  street: string;
  postcode: string;
  commune: string;
  quarter: string;
  wheelchairAccessible: '' | 'yes' | 'no';
}
const SITE_KEYS: (keyof SiteForm)[] = [
  'name',
  'street',
  'postcode',
  'commune',
  'quarter',
  'wheelchairAccessible',
];

function formOf(site: Site): SiteForm {
  return {
    name: site.name,
    street: site.street ?? '',
    postcode: site.postcode ?? '',
    commune: site.commune,
    quarter: site.quarter ?? '',
    wheelchairAccessible: site.wheelchairAccessible == null ? '' : site.wheelchairAccessible ? 'yes' : 'no',
  };
}

function inputOf(form: SiteForm, keys: (keyof SiteForm)[]): Omit<UpdateSiteInput, 'id' | 'expectedVersion'> {
  const input: Omit<UpdateSiteInput, 'id' | 'expectedVersion'> = {};
  const orNull = (s: string) => (s.trim() === '' ? null : s.trim());
  for (const key of keys) {
    if (key === 'wheelchairAccessible') {
      input.wheelchairAccessible =
        form.wheelchairAccessible === '' ? null : form.wheelchairAccessible === 'yes';
    } else if (key === 'name' || key === 'commune') {
      input[key] = form[key].trim();
    } else {
      input[key] = orNull(form[key]);
    }
  }
  return input;
}

export default function SitePage() {
  const t = useMessages(catalogueMessages);
  const id = useIdParam();
  const lang = apiLanguage(useLocale().locale);
  const viewer = useViewer();
  const [result, retry] = useQuery({ query: ConsoleCatalogueSiteDocument, variables: { id, lang } });
  if (!result.data) {
    return (
      <Page title={t.sitesHeading}>
        {result.error ? (
          <ErrorNotice error={result.error} onRetry={() => retry({ requestPolicy: 'network-only' })} />
        ) : (
          <Loading />
        )}
      </Page>
    );
  }
  const site = result.data.node?.__typename === 'Site' ? result.data.node : null;
  if (!site) {
    return (
      <Page title={t.sitesHeading}>
        <Notice kind="problem">{t.siteNotFound}</Notice>
        <p>
          <Link href="/offers">{t.backToOffers}</Link>
        </p>
      </Page>
    );
  }
  const editor = canEditOrganisation(viewer, site.organisation.id);
  return (
    <Page title={t.siteTitle(site.name)}>
      <p>
        <Link href="/offers">← {t.backToOffers}</Link>
      </p>
      {editor ? (
        <SiteEditor key={site.id} site={site} lang={lang} />
      ) : (
        <Notice kind="problem">{t.siteReadOnly(site.organisation.name)}</Notice>
      )}
      <SiteDetails site={site} />
    </Page>
  );
}

function SiteDetails({ site }: { site: Site }) {
  const t = useMessages(catalogueMessages);
  return (
    <section aria-labelledby="hours-heading" className="card">
      <h2 id="hours-heading">{t.openingHours}</h2>
      {site.openingHours.length === 0 ? (
        <p className="muted">{t.noOpeningHours}</p>
      ) : (
        <ul>
          {site.openingHours.map((h) => (
            <li key={`${h.weekday}-${h.opens}`}>
              {t.weekday(h.weekday)} : {h.opens}–{h.closes}
            </li>
          ))}
        </ul>
      )}
      {site.accessibility && (
        <>
          <h2>{t.accessibility}</h2>
          <p lang={site.accessibility.language.toLowerCase()}>{site.accessibility.text}</p>
        </>
      )}
    </section>
  );
}

function SiteEditor({ site, lang }: { site: Site; lang: Language }) {
  const t = useMessages(catalogueMessages);
  const l = useLabels();
  const client = useClient();
  const [base, setBase] = useState(() => ({ site, form: formOf(site) }));
  const [form, setForm] = useState<SiteForm>(() => formOf(site));
  const [conflict, setConflict] = useState<{ site: Site; form: SiteForm } | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [{ fetching }, update] = useMutation(ConsoleCatalogueUpdateSiteDocument);
  const mine = changedKeys(base.form, form);
  const set = (key: keyof SiteForm, value: string) => setForm((f) => ({ ...f, [key]: value }));

  async function save(onto: typeof base, values: SiteForm) {
    setProblem(null);
    const keys = changedKeys(onto.form, values);
    if (keys.length === 0) {
      setNotice(t.nothingToSave);
      return;
    }
    setNotice(null);
    const result = await update({
      input: { id: onto.site.id, expectedVersion: onto.site.version, ...inputOf(values, keys) },
      lang,
    });
    const value = result.data?.updateSite;
    const p = failure(result.error, value);
    if (p?.__typename === 'VersionConflictError') {
      const fresh = await client
        .query(ConsoleCatalogueSiteDocument, { id: onto.site.id, lang }, { requestPolicy: 'network-only' })
        .toPromise();
      const current = fresh.data?.node?.__typename === 'Site' ? fresh.data.node : null;
      if (!current) {
        setProblem({ __typename: 'ReloadFailed', message: t.conflictReloadFailed });
        return;
      }
      setConflict({ site: current, form: formOf(current) });
      return;
    }
    if (p) {
      setProblem(p);
      return;
    }
    if (value?.__typename === 'MutationUpdateSiteSuccess') {
      const saved = value.data.site;
      setBase({ site: saved, form: formOf(saved) });
      setForm(formOf(saved));
      setNotice(t.siteSaved(saved.version));
    }
  }

  const show = (f: SiteForm, key: keyof SiteForm) =>
    key === 'wheelchairAccessible'
      ? f.wheelchairAccessible === ''
        ? t.unknown
        : f.wheelchairAccessible === 'yes'
          ? t.yes
          : t.no
      : f[key];
  const rows: ConflictRow[] = conflict
    ? SITE_KEYS.filter((k) => mine.includes(k) || changedKeys(base.form, conflict.form).includes(k)).map(
        (key) => {
          const theirs = changedKeys(base.form, conflict.form).includes(key);
          const who = mine.includes(key) && theirs ? 'both' : mine.includes(key) ? 'mine' : 'theirs';
          return {
            key,
            label: l.field[key] ?? key,
            who,
            mine: who === 'theirs' ? <em>{t.unchanged}</em> : <Shown value={show(form, key)} />,
            theirs: who === 'mine' ? <em>{t.unchanged}</em> : <Shown value={show(conflict.form, key)} />,
          };
        },
      )
    : [];

  const submit = (e: FormEvent) => {
    e.preventDefault();
    void save(base, form);
  };
  return (
    <section aria-labelledby="site-edit-heading">
      <h2 id="site-edit-heading" className="visually-hidden">
        {t.tabEdit}
      </h2>
      {conflict && (
        <ConflictPanel
          title={t.siteConflictTitle}
          opened={base.site.version}
          current={conflict.site.version}
          rows={rows}
          busy={fetching}
          onKeepMine={() => {
            const merged: SiteForm = {
              ...conflict.form,
              ...Object.fromEntries(mine.map((k) => [k, form[k]])),
            };
            setBase(conflict);
            setForm(merged);
            setConflict(null);
            void save(conflict, merged);
          }}
          onTakeTheirs={() => {
            setBase(conflict);
            setForm(conflict.form);
            setConflict(null);
            setNotice(t.tookTheirs);
          }}
        />
      )}
      {problem && <ProblemNotice problem={problem} />}
      {notice && <Notice kind="ok">{notice}</Notice>}
      <form className="form card" onSubmit={submit} aria-labelledby="site-edit-heading">
        <label>
          {t.siteName}
          <input required maxLength={200} value={form.name} onChange={(e) => set('name', e.target.value)} />
        </label>
        <label>
          {t.street}
          <input
            autoComplete="street-address"
            value={form.street}
            onChange={(e) => set('street', e.target.value)}
          />
        </label>
        <div className="grid-2">
          <label>
            {t.postcode}
            <input
              inputMode="numeric"
              autoComplete="postal-code"
              value={form.postcode}
              onChange={(e) => set('postcode', e.target.value)}
            />
          </label>
          <label>
            {t.commune}
            <input required value={form.commune} onChange={(e) => set('commune', e.target.value)} />
          </label>
          <label>
            {t.quarter}
            <input value={form.quarter} onChange={(e) => set('quarter', e.target.value)} />
          </label>
          <label>
            {t.wheelchair}
            <select
              value={form.wheelchairAccessible}
              onChange={(e) => set('wheelchairAccessible', e.target.value)}
            >
              <option value="">{t.unknown}</option>
              <option value="yes">{t.yes}</option>
              <option value="no">{t.no}</option>
            </select>
          </label>
        </div>
        <p className="muted" role="status">
          {mine.length > 0 ? t.unsaved(mine.map((k) => l.field[k] ?? k).join(', ')) : ''}
        </p>
        <div className="form-actions">
          <button type="submit" className="primary" disabled={fetching || conflict !== null}>
            {fetching ? t.saving : t.save}
          </button>
        </div>
      </form>
    </section>
  );
}
