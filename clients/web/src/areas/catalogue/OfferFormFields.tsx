/**
 * The fields of an offer (a new one, or one being edited): texts in one language, themes, audiences,
 * ages, languages, cost, sites and communes, contact, referrals. The themes and the organisation's
 * sites to choose from come from the hub.
 */
import { useId, type Dispatch, type SetStateAction } from 'react';
import { useQuery } from 'urql';
import {
  ConsoleCatalogueFormChoicesDocument,
  type Audience,
  type ConsoleCatalogueFormChoicesQuery,
  type CostKind,
  type Language,
} from '../../../../generated/graphql.ts';
import { useLocale, useMessages } from '../../i18n/i18n.tsx';
import { ErrorNotice, Loading } from '../../ui/states.tsx';
import { catalogueMessages, useLabels } from './catalogue.messages.ts';
import { apiLanguage, LANGUAGE_NAMES, langTag, type FormKey, type OfferForm } from './editor.ts';

export type Choices = ConsoleCatalogueFormChoicesQuery;

const AUDIENCES: Audience[] = [
  'EVERYONE',
  'ADULTS',
  'YOUTH',
  'CHILDREN',
  'FAMILIES',
  'SENIORS',
  'WOMEN',
  'MEN',
  'NEWCOMERS',
  'REFUGEES',
  'HOMELESS',
  'JOBSEEKERS',
  'PEOPLE_IN_DEBT',
  'PEOPLE_WITH_ADDICTIONS',
  'PEOPLE_WITH_DISABILITIES',
  'PROFESSIONALS',
];
const COSTS: CostKind[] = ['FREE', 'INCOME_BASED', 'ON_REQUEST', 'PAID'];

/** The themes and sites to choose from, for an organisation (by its slug). */
export function useChoices(slug: string) {
  const lang = apiLanguage(useLocale().locale);
  return useQuery({ query: ConsoleCatalogueFormChoicesDocument, variables: { slug, lang } });
}

/** How a form value reads (in a conflict, a confirmation): labels rather than codes. */
export function useShowValue(choices: Choices | undefined) {
  const t = useMessages(catalogueMessages);
  const l = useLabels();
  const themeLabel = new Map<string, string>();
  for (const th of choices?.themes ?? []) {
    themeLabel.set(th.code, th.label.text);
    for (const c of th.children) themeLabel.set(c.code, c.label.text);
  }
  const siteName = new Map((choices?.organisation?.sites.edges ?? []).map((e) => [e.node.id, e.node.name]));
  return (key: FormKey, form: OfferForm): string => {
    switch (key) {
      case 'themes':
        return form.themes.map((c) => themeLabel.get(c) ?? c).join(', ');
      case 'audiences':
        return form.audiences.map((a) => l.audience[a]).join(', ');
      case 'siteIds':
        return form.siteIds.map((s) => siteName.get(s) ?? s).join(', ');
      case 'costKind':
        return l.cost[form.costKind];
      case 'acceptsReferrals':
        return form.acceptsReferrals ? t.yes : t.no;
      default:
        return form[key];
    }
  };
}

export function OfferFormFields({
  form,
  setForm,
  language,
  slug,
}: {
  form: OfferForm;
  setForm: Dispatch<SetStateAction<OfferForm>>;
  language: Language;
  slug: string;
}) {
  const t = useMessages(catalogueMessages);
  const l = useLabels();
  const id = useId();
  const [choices, retry] = useChoices(slug);
  const set = <K extends FormKey>(key: K, value: OfferForm[K]) => setForm((f) => ({ ...f, [key]: value }));
  const toggle = <K extends 'themes' | 'audiences' | 'siteIds'>(
    key: K,
    value: OfferForm[K][number],
    on: boolean,
  ) =>
    setForm((f) => {
      const list = f[key] as string[];
      return {
        ...f,
        [key]: on ? [...list.filter((v) => v !== value), value] : list.filter((v) => v !== value),
      };
    });
  const name = LANGUAGE_NAMES[language];
  const text = { lang: langTag(language), dir: 'auto' as const };
  return (
    <>
      <p className="muted">{t.textsIn(name)}</p>
      <label>
        {t.title} ({name})
        <input
          {...text}
          name="title"
          required
          maxLength={300}
          value={form.title}
          onChange={(e) => set('title', e.target.value)}
        />
      </label>
      <label>
        {t.description} ({name})
        <textarea
          {...text}
          name="description"
          rows={6}
          maxLength={10000}
          value={form.description}
          onChange={(e) => set('description', e.target.value)}
        />
      </label>

      {choices.data ? (
        <>
          <details className="picker">
            <summary>
              {t.themes} ({t.themesChosen(form.themes.length)})
            </summary>
            {choices.data.themes.map((parent) => (
              <fieldset key={parent.code} className="themes-group">
                <legend>{parent.label.text}</legend>
                <div className="checks">
                  {[parent, ...parent.children].map((th) => (
                    <label key={th.code} className="check">
                      <input
                        type="checkbox"
                        name="themes"
                        value={th.code}
                        checked={form.themes.includes(th.code)}
                        onChange={(e) => toggle('themes', th.code, e.target.checked)}
                      />
                      {th.label.text}
                    </label>
                  ))}
                </div>
              </fieldset>
            ))}
          </details>
          <fieldset>
            <legend>{t.sites}</legend>
            {(choices.data.organisation?.sites.edges ?? []).length === 0 ? (
              <p className="muted">{t.noSiteToChoose}</p>
            ) : (
              <div className="checks">
                {(choices.data.organisation?.sites.edges ?? []).map(({ node: s }) => (
                  <label key={s.id} className="check">
                    <input
                      type="checkbox"
                      name="siteIds"
                      value={s.id}
                      checked={form.siteIds.includes(s.id)}
                      onChange={(e) => toggle('siteIds', s.id, e.target.checked)}
                    />
                    {s.name} ({s.commune})
                  </label>
                ))}
              </div>
            )}
          </fieldset>
        </>
      ) : choices.error ? (
        <ErrorNotice error={choices.error} onRetry={() => retry({ requestPolicy: 'network-only' })} />
      ) : (
        <Loading label={t.loadingChoices} />
      )}

      <label>
        {t.serviceArea}
        <input
          name="serviceArea"
          value={form.serviceArea}
          aria-describedby={`${id}-area`}
          onChange={(e) => set('serviceArea', e.target.value)}
        />
        <span id={`${id}-area`} className="field-hint">
          {t.serviceAreaHint}
        </span>
      </label>

      <fieldset>
        <legend>{t.audiences}</legend>
        <div className="checks">
          {AUDIENCES.map((a) => (
            <label key={a} className="check">
              <input
                type="checkbox"
                name="audiences"
                value={a}
                checked={form.audiences.includes(a)}
                onChange={(e) => toggle('audiences', a, e.target.checked)}
              />
              {l.audience[a]}
            </label>
          ))}
        </div>
      </fieldset>

      <div className="grid-2">
        <label>
          {t.minAge}
          <input
            type="number"
            name="minAge"
            min={0}
            max={120}
            inputMode="numeric"
            value={form.minAge}
            onChange={(e) => set('minAge', e.target.value)}
          />
        </label>
        <label>
          {t.maxAge}
          <input
            type="number"
            name="maxAge"
            min={0}
            max={120}
            inputMode="numeric"
            value={form.maxAge}
            onChange={(e) => set('maxAge', e.target.value)}
          />
        </label>
        <label>
          {t.costKind}
          <select
            name="costKind"
            value={form.costKind}
            onChange={(e) => set('costKind', e.target.value as CostKind)}
          >
            {COSTS.map((c) => (
              <option key={c} value={c}>
                {l.cost[c]}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t.languages}
          <input
            name="languages"
            value={form.languages}
            aria-describedby={`${id}-langs`}
            onChange={(e) => set('languages', e.target.value)}
          />
          <span id={`${id}-langs`} className="field-hint">
            {t.languagesHint}
          </span>
        </label>
      </div>

      <div className="grid-2">
        <label>
          {t.contactName}
          <input
            name="contactName"
            autoComplete="off"
            value={form.contactName}
            onChange={(e) => set('contactName', e.target.value)}
          />
        </label>
        <label>
          {t.contactEmail}
          <input
            type="email"
            name="contactEmail"
            autoComplete="off"
            value={form.contactEmail}
            onChange={(e) => set('contactEmail', e.target.value)}
          />
        </label>
        <label>
          {t.contactPhone}
          <input
            type="tel"
            name="contactPhone"
            autoComplete="off"
            value={form.contactPhone}
            onChange={(e) => set('contactPhone', e.target.value)}
          />
        </label>
        <label>
          {t.website}
          <input
            type="url"
            name="website"
            value={form.website}
            onChange={(e) => set('website', e.target.value)}
          />
        </label>
      </div>

      <div className="grid-2">
        <label className="check">
          <input
            type="checkbox"
            name="acceptsReferrals"
            checked={form.acceptsReferrals}
            onChange={(e) => set('acceptsReferrals', e.target.checked)}
          />
          {t.acceptsReferrals}
        </label>
        <label>
          {t.responseDays}
          <input
            type="number"
            name="responseDays"
            min={1}
            max={60}
            required
            inputMode="numeric"
            value={form.responseDays}
            onChange={(e) => set('responseDays', e.target.value)}
          />
        </label>
      </div>
    </>
  );
}
