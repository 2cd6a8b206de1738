/**
 * Sending a referral: the offer (from the catalogue or the matches), the person (initials and a way
 * to reach them are enough), the need, and the person's consent (what for, to whom, until when).
 * The referral is created as a draft and sent at once; a problem (offer full, consent, invalid
 * field) is shown in plain words next to what to change, and nothing is sent.
 */
import { cloneElement, useState, type FormEvent, type ReactElement } from 'react';
import { useMutation, useQuery } from 'urql';
import { Link, useLocation, useSearch } from 'wouter';
import {
  ConsoleCreateReferralDocument,
  ConsoleOfferDocument,
  ConsoleSendReferralDocument,
  type ContactChannel,
  type ReferralUrgency,
} from '../../../../generated/graphql.ts';
import { organisationsWith, useViewer } from '../../app/viewer.tsx';
import { useApiLanguage, useMessages } from '../../i18n/i18n.tsx';
import { fieldProblems, fieldReasons, useErrorText, type ApiError } from '../../ui/errors.ts';
import { Page } from '../../ui/Page.tsx';
import { Empty, ErrorNotice, Loading, Notice } from '../../ui/states.tsx';
import { rm } from './referrals.messages.ts';

const CHANNELS: ContactChannel[] = ['PHONE', 'SMS', 'EMAIL', 'POST', 'IN_PERSON', 'THROUGH_SENDER'];
const URGENCIES: ReferralUrgency[] = ['ROUTINE', 'ASAP', 'URGENT'];

const list = (text: string) =>
  text
    .split(',')
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean);

export default function NewReferralPage() {
  const t = useMessages(rm);
  const lang = useApiLanguage();
  const offerId = new URLSearchParams(useSearch()).get('offer');
  const [offer] = useQuery({
    query: ConsoleOfferDocument,
    variables: { id: offerId ?? '', lang },
    pause: !offerId,
  });
  const node = offer.data?.node?.__typename === 'Offer' ? offer.data.node : null;
  return (
    <Page title={t.newTitle}>
      {!offerId && (
        <Empty>
          {t.chooseOffer} <Link href="/catalogue">{t.catalogueTitle}</Link>
        </Empty>
      )}
      {offerId && offer.fetching && !offer.data && <Loading />}
      {offer.error && <ErrorNotice error={offer.error} />}
      {offerId && offer.data && !node && <ErrorNotice error={t.chooseOffer} />}
      {node && <ReferralForm offer={node} />}
    </Page>
  );
}

function ReferralForm({
  offer,
}: {
  offer: { id: string; title: { text: string }; organisation: { id: string; name: string } };
}) {
  const t = useMessages(rm);
  const viewer = useViewer();
  const errorText = useErrorText();
  const [, navigate] = useLocation();
  const senders = organisationsWith(viewer, ['CASE_WORKER']);
  const [form, setForm] = useState({
    initials: '',
    name: '',
    birthYear: '',
    languages: '',
    contactChannel: 'PHONE' as ContactChannel,
    contact: '',
    interpreter: false,
    needs: '',
    urgency: 'ROUTINE' as ReferralUrgency,
    consentPurpose: '',
    consentUntil: '',
    waitlist: false,
    sender: senders[0]?.id ?? '',
  });
  const [problem, setProblem] = useState<ApiError | null>(null);
  const [draft, setDraft] = useState<{ id: string; reference: string; version: number } | null>(null);
  const [createState, create] = useMutation(ConsoleCreateReferralDocument);
  const [sendState, send] = useMutation(ConsoleSendReferralDocument);
  const busy = createState.fetching || sendState.fetching;
  const problems = fieldProblems(problem);
  const reasons = fieldReasons(problem);
  const set = <K extends keyof typeof form>(key: K, value: (typeof form)[K]) =>
    setForm({ ...form, [key]: value });

  const sendDraft = async (d: { id: string; reference: string; version: number }) => {
    const sent = await send({
      input: { id: d.id, expectedVersion: d.version, acceptWaitlist: form.waitlist },
    });
    const r = sent.data?.sendReferral;
    if (!r) return setProblem({ code: 'network', message: sent.error?.message ?? '' });
    if (r.__typename !== 'MutationSendReferralSuccess') return setProblem(r);
    navigate(`/referrals/${encodeURIComponent(d.id)}?sent=1`);
  };

  const submit = async (e: FormEvent, andSend: boolean) => {
    e.preventDefault();
    setProblem(null);
    if (draft) return andSend ? sendDraft(draft) : undefined;
    const created = await create({
      input: {
        offerId: offer.id,
        needs: form.needs,
        urgency: form.urgency,
        consentPurpose: form.consentPurpose,
        ...(form.consentUntil
          ? { consentExpiresAt: new Date(`${form.consentUntil}T23:59:59`).toISOString() }
          : {}),
        ...(senders.length > 1 ? { senderOrganisationId: form.sender } : {}),
        person: {
          ...(form.initials.trim() ? { initials: form.initials.trim() } : {}),
          ...(form.name.trim() ? { name: form.name.trim() } : {}),
          ...(form.birthYear ? { birthYear: Number(form.birthYear) } : {}),
          languages: list(form.languages),
          contactChannel: form.contactChannel,
          ...(form.contact.trim() ? { contact: form.contact.trim() } : {}),
          interpreterNeeded: form.interpreter,
        },
      },
    });
    const r = created.data?.createReferral;
    if (!r) return setProblem({ code: 'network', message: created.error?.message ?? '' });
    if (r.__typename !== 'MutationCreateReferralSuccess') return setProblem(r);
    const d = r.data.referral;
    setDraft(d);
    if (andSend) await sendDraft(d);
    else navigate(`/referrals/${encodeURIComponent(d.id)}`);
  };

  /** A field's problem in the user's words, by the reason the hub gives (else the hub's sentence). */
  const problemText = (key: string): string | undefined => {
    const message = problems[key];
    if (!message) return undefined;
    switch (`${key} ${reasons[key] ?? ''}`) {
      case 'person.initials REQUIRED':
      case 'person.name REQUIRED':
        return t.initialsOrName;
      case 'person.contact REQUIRED':
        return t.contactMissing;
      case 'person.contact FORMAT':
        return t.contactInvalid;
      default:
        return message;
    }
  };
  const field = (key: string, input: ReactElement<Record<string, unknown>>) => (
    <>
      {problems[key]
        ? cloneElement(input, {
            'aria-invalid': true,
            'aria-describedby': [input.props['aria-describedby'], `problem-${key}`].filter(Boolean).join(' '),
          })
        : input}
      {problems[key] && (
        <span className="field-error" id={`problem-${key}`}>
          {problemText(key)}
        </span>
      )}
    </>
  );

  return (
    <form className="form" onSubmit={(e) => void submit(e, true)} aria-busy={busy}>
      <div className="card">
        <p>
          <strong>{t.labelled(t.toOffer)}</strong>
          {offer.title.text}
        </p>
        <p>
          <strong>{t.labelled(t.receiver)}</strong>
          {offer.organisation.name}
        </p>
        {senders.length > 1 && (
          <label>
            {t.senderOrg}
            <select value={form.sender} onChange={(e) => set('sender', e.target.value)}>
              {senders.map((o) => (
                <option key={o.id} value={o.id}>
                  {o.name}
                </option>
              ))}
            </select>
          </label>
        )}
      </div>
      <fieldset aria-describedby="person-hint">
        <legend>{t.personLegend}</legend>
        <p className="field-hint" id="person-hint">
          {t.personHint}
        </p>
        <div className="row">
          <label>
            {t.initials}
            {field(
              'person.initials',
              <input
                value={form.initials}
                maxLength={20}
                onChange={(e) => set('initials', e.target.value)}
              />,
            )}
          </label>
          <label>
            {t.name}
            {field('person.name', <input value={form.name} onChange={(e) => set('name', e.target.value)} />)}
          </label>
          <label>
            {t.birthYear}
            {field(
              'person.birthYear',
              <input
                type="number"
                min={1900}
                max={new Date().getFullYear()}
                value={form.birthYear}
                onChange={(e) => set('birthYear', e.target.value)}
              />,
            )}
          </label>
        </div>
        <label>
          {t.personLanguages}
          {field(
            'person.languages',
            <input value={form.languages} onChange={(e) => set('languages', e.target.value)} />,
          )}
        </label>
        <div className="row">
          <label>
            {t.contactChannel}
            <select
              value={form.contactChannel}
              onChange={(e) => set('contactChannel', e.target.value as ContactChannel)}
            >
              {CHANNELS.map((c) => (
                <option key={c} value={c}>
                  {t[`channel_${c}`]}
                </option>
              ))}
            </select>
          </label>
          <label>
            {t.contact}
            {field(
              'person.contact',
              <input value={form.contact} onChange={(e) => set('contact', e.target.value)} />,
            )}
          </label>
        </div>
        <label className="check">
          <input
            type="checkbox"
            checked={form.interpreter}
            onChange={(e) => set('interpreter', e.target.checked)}
          />
          {t.interpreter}
        </label>
      </fieldset>
      <fieldset>
        <legend>{t.needsLegend}</legend>
        <label>
          {t.needs}
          {field(
            'needs',
            <textarea
              required
              maxLength={4000}
              value={form.needs}
              onChange={(e) => set('needs', e.target.value)}
            />,
          )}
        </label>
        <label>
          {t.urgency}
          <select value={form.urgency} onChange={(e) => set('urgency', e.target.value as ReferralUrgency)}>
            {URGENCIES.map((u) => (
              <option key={u} value={u}>
                {t[`urgency_${u}`]}
              </option>
            ))}
          </select>
        </label>
      </fieldset>
      <fieldset>
        <legend>{t.consentLegend}</legend>
        <label>
          {t.consentPurpose}
          {field(
            'consentPurpose',
            <input
              required
              value={form.consentPurpose}
              aria-describedby="consent-hint"
              onChange={(e) => set('consentPurpose', e.target.value)}
            />,
          )}
          <span className="field-hint" id="consent-hint">
            {t.consentPurposeHint}
          </span>
        </label>
        <p>
          <strong>{t.labelled(t.consentRecipients)}</strong>
          {offer.organisation.name}
        </p>
        <label>
          {t.consentUntil}
          {field(
            'consentExpiresAt',
            <input
              type="date"
              value={form.consentUntil}
              onChange={(e) => set('consentUntil', e.target.value)}
            />,
          )}
        </label>
        <label className="check">
          <input
            type="checkbox"
            checked={form.waitlist}
            onChange={(e) => set('waitlist', e.target.checked)}
          />
          {t.waitlistOk}
        </label>
      </fieldset>
      {problem && <Notice kind="problem">{errorText(problem)}</Notice>}
      {draft && <Notice kind="ok">{t.draftOk(draft.reference)}</Notice>}
      <p className="row">
        <button type="submit" className="primary" disabled={busy}>
          {busy ? t.sending : t.send}
        </button>
        {!draft && (
          <button type="button" disabled={busy} onClick={(e) => void submit(e, false)}>
            {t.saveDraft}
          </button>
        )}
      </p>
    </form>
  );
}
