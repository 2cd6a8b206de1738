/**
 * `/offers/:id`: an offer for its organisation's editors — its status steps (only those its
 * status allows), its places, and its form with the version it was opened at. A save against a
 * stale version is explained (someone changed it meanwhile), the two versions are compared
 * field by field, and the user keeps theirs (applied to the current version) or takes the current
 * one. Anyone else who may see the offer reads it, and is told plainly that they cannot change it.
 */
import { useState, type FormEvent } from 'react';
import { useClient, useMutation, useQuery } from 'urql';
import { Link } from 'wouter';
import {
  ConsoleCatalogueOfferDocument,
  ConsoleCataloguePauseOfferDocument,
  ConsoleCataloguePublishOfferDocument,
  ConsoleCatalogueUpdateCapacityDocument,
  ConsoleCatalogueUpdateOfferDocument,
  ConsoleCatalogueWithdrawOfferDocument,
  type Language,
  type OfferStatus,
} from '../../../../generated/graphql.ts';
import { useViewer } from '../../app/viewer.tsx';
import { useFormat, useLocale, useMessages } from '../../i18n/i18n.tsx';
import { common } from '../../ui/common.messages.ts';
import { Page } from '../../ui/Page.tsx';
import { ErrorNotice, Loading, Notice } from '../../ui/states.tsx';
import { catalogueMessages, useLabels } from './catalogue.messages.ts';
import {
  allowedSteps,
  apiLanguage,
  canEditOrganisation,
  changedKeys,
  FORM_KEYS,
  formOf,
  otherChanges,
  sourceLanguage,
  textsOf,
  updateFields,
  type FormKey,
  type Offer,
  type OfferForm,
} from './editor.ts';
import { OfferFormFields, useChoices, useShowValue } from './OfferFormFields.tsx';
import {
  CapacityControl,
  ConflictPanel,
  failure,
  OfferNav,
  OfferStatusBadge,
  ProblemNotice,
  Shown,
  type ConflictRow,
  type Problem,
  useIdParam,
} from './parts.tsx';

export default function OfferPage() {
  const t = useMessages(catalogueMessages);
  const id = useIdParam();
  const lang = apiLanguage(useLocale().locale);
  const viewer = useViewer();
  const [result, retry] = useQuery({ query: ConsoleCatalogueOfferDocument, variables: { id, lang } });
  if (!result.data) {
    return (
      <Page title={t.offersTitle}>
        {result.error ? (
          <ErrorNotice error={result.error} onRetry={() => retry({ requestPolicy: 'network-only' })} />
        ) : (
          <Loading />
        )}
      </Page>
    );
  }
  const offer = result.data.node?.__typename === 'Offer' ? result.data.node : null;
  if (!offer) {
    return (
      <Page title={t.offersTitle}>
        <Notice kind="problem">{t.offerNotFound}</Notice>
        <p>
          <Link href="/offers">{t.backToOffers}</Link>
        </p>
      </Page>
    );
  }
  const editor = canEditOrganisation(viewer, offer.organisation.id);
  return (
    <Page title={offer.title.text}>
      <OfferNav id={offer.id} editor={editor} />
      <OfferMeta offer={offer} />
      {editor ? <OfferEditor key={offer.id} offer={offer} lang={lang} /> : <ReadOnlyOffer offer={offer} />}
    </Page>
  );
}

function OfferMeta({ offer }: { offer: Offer }) {
  const t = useMessages(catalogueMessages);
  const { dateTime } = useFormat();
  return (
    <p className="offer-meta">
      <OfferStatusBadge status={offer.status} />
      <span>{offer.organisation.name}</span>
      <span>{t.versionInfo(offer.version, dateTime(offer.updatedAt))}</span>
      {offer.publishedAt && offer.status === 'PUBLISHED' && (
        <span>{t.publishedOn(dateTime(offer.publishedAt))}</span>
      )}
    </p>
  );
}

/** The offer as anyone who may see it reads it; no field to change, and why. */
function ReadOnlyOffer({ offer }: { offer: Offer }) {
  const t = useMessages(catalogueMessages);
  const l = useLabels();
  const { locale } = useLocale();
  const descriptions = textsOf(offer.descriptionTranslations);
  const asked = apiLanguage(locale);
  const description = descriptions[asked] ?? descriptions[sourceLanguage(descriptions)] ?? '';
  return (
    <>
      <Notice kind="problem">{t.readOnly(offer.organisation.name)}</Notice>
      <dl className="readonly card">
        {description && (
          <>
            <dt>{t.description}</dt>
            <dd className="pre">{description}</dd>
          </>
        )}
        <dt>{t.themes}</dt>
        <dd>{offer.themes.map((th) => th.label.text).join(', ') || '—'}</dd>
        <dt>{t.audiences}</dt>
        <dd>{offer.audiences.map((a) => l.audience[a]).join(', ') || '—'}</dd>
        <dt>{t.sites}</dt>
        <dd>
          {[...offer.sites.map((s) => `${s.name} (${s.commune})`), ...offer.serviceArea].join(', ') || '—'}
        </dd>
        <dt>{t.colFree}</dt>
        <dd>
          {offer.capacity.free == null
            ? t.noPlacesCounted
            : offer.capacity.places == null
              ? offer.capacity.free
              : t.freeOf(String(offer.capacity.free), String(offer.capacity.places))}
        </dd>
      </dl>
    </>
  );
}

interface Base {
  offer: Offer;
  form: OfferForm;
}

function OfferEditor({ offer, lang }: { offer: Offer; lang: Language }) {
  const t = useMessages(catalogueMessages);
  const l = useLabels();
  const client = useClient();
  // The texts the form edits: the source language's, fixed while the page is open.
  const [language] = useState(() => sourceLanguage(textsOf(offer.titleTranslations)));
  const [base, setBase] = useState<Base>(() => ({ offer, form: formOf(offer, language) }));
  const [form, setForm] = useState<OfferForm>(() => formOf(offer, language));
  const [conflict, setConflict] = useState<Base | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [{ fetching }, update] = useMutation(ConsoleCatalogueUpdateOfferDocument);
  const [choices] = useChoices(offer.organisation.slug);
  const show = useShowValue(choices.data);
  const mine = changedKeys(base.form, form);

  async function save(onto: Base, values: OfferForm) {
    const keys = changedKeys(onto.form, values);
    setProblem(null);
    if (keys.length === 0) {
      setNotice(t.nothingToSave);
      return;
    }
    setNotice(null);
    const result = await update({
      input: {
        id: onto.offer.id,
        expectedVersion: onto.offer.version,
        ...updateFields(onto.offer, language, values, keys),
      },
      lang,
    });
    const value = result.data?.updateOffer;
    const p = failure(result.error, value);
    if (p?.__typename === 'VersionConflictError') {
      // What is there now, read afresh (and into the cache: the page shows the current version).
      const fresh = await client
        .query(ConsoleCatalogueOfferDocument, { id: onto.offer.id, lang }, { requestPolicy: 'network-only' })
        .toPromise();
      const current = fresh.data?.node?.__typename === 'Offer' ? fresh.data.node : null;
      if (!current) {
        setProblem({ __typename: 'ReloadFailed', message: t.conflictReloadFailed });
        return;
      }
      setConflict({ offer: current, form: formOf(current, language) });
      return;
    }
    if (p) {
      setProblem(p);
      return;
    }
    if (value?.__typename === 'MutationUpdateOfferSuccess') {
      const saved = value.data.offer;
      const savedForm = formOf(saved, language);
      setBase({ offer: saved, form: savedForm });
      setForm(savedForm);
      setConflict(null);
      setNotice(t.saved(saved.version));
    }
  }

  function keepMine() {
    if (!conflict) return;
    const merged: OfferForm = {
      ...conflict.form,
      ...Object.fromEntries(mine.map((k) => [k, form[k]])),
    };
    setBase(conflict);
    setForm(merged);
    setConflict(null);
    void save(conflict, merged);
  }

  function takeTheirs() {
    if (!conflict) return;
    setBase(conflict);
    setForm(conflict.form);
    setConflict(null);
    setProblem(null);
    setNotice(t.tookTheirs);
  }

  /** A status step of ours moved the version on: the form's base follows when nothing else came between. */
  function stepped(before: number, after: { version: number; status: OfferStatus }) {
    setBase((b) =>
      b.offer.version === before
        ? { ...b, offer: { ...b.offer, version: after.version, status: after.status } }
        : b,
    );
  }

  const submit = (e: FormEvent) => {
    e.preventDefault();
    void save(base, form);
  };

  const conflictRows = (): ConflictRow[] => {
    if (!conflict) return [];
    const theirs = changedKeys(base.form, conflict.form);
    return FORM_KEYS.filter((k) => mine.includes(k) || theirs.includes(k)).map((key: FormKey) => {
      const who =
        mine.includes(key) && theirs.includes(key) ? 'both' : mine.includes(key) ? 'mine' : 'theirs';
      return {
        key,
        label: l.field[key] ?? key,
        who,
        mine: who === 'theirs' ? <em>{t.unchanged}</em> : <Shown value={show(key, form)} />,
        theirs: who === 'mine' ? <em>{t.unchanged}</em> : <Shown value={show(key, conflict.form)} />,
      };
    });
  };
  const also = conflict
    ? otherChanges(base.offer, conflict.offer, language).map((w) =>
        w === 'status' ? t.otherStatus : t.otherTranslations,
      )
    : [];

  return (
    <>
      <StatusActions offer={offer} onStepped={stepped} />
      <CapacityPanel offer={offer} />
      <section aria-labelledby="edit-heading">
        <h2 id="edit-heading">{t.editHeading}</h2>
        {conflict && (
          <ConflictPanel
            title={t.conflictTitle}
            opened={base.offer.version}
            current={conflict.offer.version}
            rows={conflictRows()}
            also={also.length > 0 ? t.alsoChanged(also.join(', ')) : null}
            busy={fetching}
            onKeepMine={keepMine}
            onTakeTheirs={takeTheirs}
          />
        )}
        {problem && <ProblemNotice problem={problem} />}
        {notice && <Notice kind="ok">{notice}</Notice>}
        <form className="form card" onSubmit={submit} aria-labelledby="edit-heading">
          <OfferFormFields form={form} setForm={setForm} language={language} slug={offer.organisation.slug} />
          <p className="muted" role="status">
            {mine.length > 0 ? t.unsaved(mine.map((k) => l.field[k] ?? k).join(', ')) : ''}
          </p>
          <div className="form-actions">
            <button type="submit" className="primary" disabled={fetching || conflict !== null}>
              {fetching ? t.saving : t.save}
            </button>
            {mine.length > 0 && !conflict && (
              <button type="button" className="secondary" onClick={() => setForm(base.form)}>
                {t.discard}
              </button>
            )}
          </div>
        </form>
      </section>
    </>
  );
}

/** Publish, pause, withdraw: only the steps the offer's status allows. */
function StatusActions({
  offer,
  onStepped,
}: {
  offer: Offer;
  onStepped: (before: number, after: { version: number; status: OfferStatus }) => void;
}) {
  const t = useMessages(catalogueMessages);
  const c = useMessages(common);
  const [publishState, publish] = useMutation(ConsoleCataloguePublishOfferDocument);
  const [pauseState, pause] = useMutation(ConsoleCataloguePauseOfferDocument);
  const [withdrawState, withdraw] = useMutation(ConsoleCatalogueWithdrawOfferDocument);
  const [confirming, setConfirming] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const busy = publishState.fetching || pauseState.fetching || withdrawState.fetching;
  const steps = allowedSteps(offer.status);

  async function run(step: 'publish' | 'pause' | 'withdraw') {
    setProblem(null);
    setDone(null);
    setConfirming(false);
    const before = offer.version;
    const input = { input: { id: offer.id } };
    const result =
      step === 'publish'
        ? await publish(input).then((r) => ({ error: r.error, value: r.data?.publishOffer }))
        : step === 'pause'
          ? await pause(input).then((r) => ({ error: r.error, value: r.data?.pauseOffer }))
          : await withdraw(input).then((r) => ({ error: r.error, value: r.data?.withdrawOffer }));
    const p = failure(result.error, result.value);
    if (p) {
      setProblem(p);
      return;
    }
    if (result.value && 'data' in result.value) {
      const after = result.value.data.offer;
      onStepped(before, after);
      setDone(step === 'publish' ? t.published : step === 'pause' ? t.paused : t.withdrawn);
    }
  }

  return (
    <section aria-labelledby="status-heading" className="card">
      <h2 id="status-heading">{t.statusActions}</h2>
      {problem && <ProblemNotice problem={problem} />}
      {done && <Notice kind="ok">{done}</Notice>}
      {steps.length > 0 && (
        <div className="row">
          {steps.includes('publish') && (
            <button type="button" className="primary" disabled={busy} onClick={() => void run('publish')}>
              {t.publish}
            </button>
          )}
          {steps.includes('pause') && (
            <button type="button" disabled={busy} onClick={() => void run('pause')}>
              {t.pause}
            </button>
          )}
          {steps.includes('withdraw') && !confirming && (
            <button type="button" className="danger" disabled={busy} onClick={() => setConfirming(true)}>
              {t.withdraw}
            </button>
          )}
        </div>
      )}
      {confirming && (
        <div className="notice notice-problem" role="alertdialog" aria-labelledby="withdraw-question">
          <p id="withdraw-question">{t.withdrawConfirm}</p>
          <div className="row">
            <button type="button" className="danger" disabled={busy} onClick={() => void run('withdraw')}>
              {t.withdrawYes}
            </button>
            <button type="button" className="secondary" autoFocus onClick={() => setConfirming(false)}>
              {c.cancel}
            </button>
          </div>
        </div>
      )}
    </section>
  );
}

/** Free places in one click, and the total and waiting list in a small form. */
function CapacityPanel({ offer }: { offer: Offer }) {
  const t = useMessages(catalogueMessages);
  const { dateTime } = useFormat();
  const c = offer.capacity;
  return (
    <section aria-labelledby="capacity-heading" className="card">
      <h2 id="capacity-heading">{t.capacityHeading}</h2>
      <p className="muted small">{t.free}</p>
      <CapacityControl offer={offer} title={offer.title.text} />
      {c.updatedAt && <p className="muted small">{t.capacityUpdated(dateTime(c.updatedAt))}</p>}
      <CapacityForm key={`${c.places}:${c.free}:${String(c.waitlist)}`} offer={offer} />
    </section>
  );
}

function CapacityForm({ offer }: { offer: Offer }) {
  const t = useMessages(catalogueMessages);
  const c = offer.capacity;
  const [places, setPlaces] = useState(c.places == null ? '' : String(c.places));
  const [free, setFree] = useState(String(c.free ?? 0));
  const [waitlist, setWaitlist] = useState(c.waitlist);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [{ fetching }, update] = useMutation(ConsoleCatalogueUpdateCapacityDocument);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setProblem(null);
    const result = await update({
      input: {
        id: offer.id,
        free: Number.parseInt(free, 10) || 0,
        places: places.trim() === '' ? null : Number.parseInt(places, 10),
        waitlist,
      },
    });
    const p = failure(result.error, result.data?.updateOfferCapacity);
    if (p) setProblem(p);
  };
  return (
    <form className="inline-form" onSubmit={(e) => void submit(e)}>
      <label>
        {t.places}
        <input
          type="number"
          min={0}
          inputMode="numeric"
          value={places}
          aria-describedby="places-hint"
          onChange={(e) => setPlaces(e.target.value)}
        />
        <span id="places-hint" className="field-hint">
          {t.placesHint}
        </span>
      </label>
      <label>
        {t.free}
        <input
          type="number"
          min={0}
          inputMode="numeric"
          required
          value={free}
          onChange={(e) => setFree(e.target.value)}
        />
      </label>
      <label className="check">
        <input type="checkbox" checked={waitlist} onChange={(e) => setWaitlist(e.target.checked)} />
        {t.waitlist}
      </label>
      <button type="submit" disabled={fetching}>
        {fetching ? t.saving : t.saveCapacity}
      </button>
      {problem && <ProblemNotice problem={problem} />}
    </form>
  );
}
