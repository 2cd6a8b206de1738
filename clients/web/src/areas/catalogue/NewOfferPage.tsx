/** `/offers/new`: a draft offer in an organisation whose catalogue the viewer edits. */
import { useState, type FormEvent } from 'react';
import { useMutation } from 'urql';
import { useLocation, useSearchParams } from 'wouter';
import { ConsoleCatalogueCreateOfferDocument, type Language } from '../../../../generated/graphql.ts';
import { useViewer } from '../../app/viewer.tsx';
import { useLocale, useMessages } from '../../i18n/i18n.tsx';
import { Page } from '../../ui/Page.tsx';
import { Empty } from '../../ui/states.tsx';
import { catalogueMessages } from './catalogue.messages.ts';
import {
  apiLanguage,
  changedKeys,
  editorOrganisations,
  emptyForm,
  LANGUAGE_NAMES,
  LANGUAGES,
  langTag,
  updateFields,
  type OfferForm,
} from './editor.ts';
import { OfferFormFields } from './OfferFormFields.tsx';
import { failure, ProblemNotice, type Problem } from './parts.tsx';

export default function NewOfferPage() {
  const t = useMessages(catalogueMessages);
  const viewer = useViewer();
  const { locale } = useLocale();
  const orgs = editorOrganisations(viewer);
  const [params] = useSearchParams();
  const [, navigate] = useLocation();
  const [orgSlug, setOrgSlug] = useState(params.get('org') ?? orgs[0]?.slug ?? '');
  const [language, setLanguage] = useState<Language>(apiLanguage(locale));
  const [form, setForm] = useState<OfferForm>(emptyForm);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [{ fetching }, create] = useMutation(ConsoleCatalogueCreateOfferDocument);
  const org = orgs.find((o) => o.slug === orgSlug) ?? orgs[0];
  if (!org) {
    return (
      <Page title={t.newOfferTitle}>
        <Empty>{t.noEditorRole}</Empty>
      </Page>
    );
  }

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setProblem(null);
    const keys = changedKeys(emptyForm(), form);
    const fields = updateFields({ titleTranslations: [], descriptionTranslations: [] }, language, form, keys);
    const result = await create({
      input: {
        ...fields,
        organisationId: org.id,
        title: [{ language, text: form.title.trim() }],
        // The defaults of an empty form are choices too.
        acceptsReferrals: form.acceptsReferrals,
        responseDays: Number.parseInt(form.responseDays, 10) || 2,
        languages: fields.languages ?? ['fr'],
      },
      lang: apiLanguage(locale),
    });
    const value = result.data?.createOffer;
    const p = failure(result.error, value);
    if (p) {
      setProblem(p);
      return;
    }
    if (value?.__typename === 'MutationCreateOfferSuccess') {
      navigate(`/offers/${encodeURIComponent(value.data.offer.id)}`);
    }
  };

  return (
    <Page title={t.newOfferTitle}>
      <p>{t.newOfferIntro}</p>
      {problem && <ProblemNotice problem={problem} />}
      <form className="form card" onSubmit={(e) => void submit(e)} aria-label={t.newOfferTitle}>
        <div className="grid-2">
          {orgs.length > 1 && (
            <label>
              {t.organisation}
              <select
                value={org.slug}
                onChange={(e) => {
                  setOrgSlug(e.target.value);
                  setForm((f) => ({ ...f, siteIds: [] }));
                }}
              >
                {orgs.map((o) => (
                  <option key={o.id} value={o.slug}>
                    {o.name}
                  </option>
                ))}
              </select>
            </label>
          )}
          <label>
            {t.colTranslations}
            <select value={language} onChange={(e) => setLanguage(e.target.value as Language)}>
              {LANGUAGES.map((lg) => (
                <option key={lg} value={lg} lang={langTag(lg)}>
                  {LANGUAGE_NAMES[lg]}
                </option>
              ))}
            </select>
          </label>
        </div>
        <OfferFormFields key={org.slug} form={form} setForm={setForm} language={language} slug={org.slug} />
        <div className="form-actions">
          <button type="submit" className="primary" disabled={fetching}>
            {fetching ? t.saving : t.create}
          </button>
        </div>
      </form>
    </Page>
  );
}
