/**
 * What the catalogue editors' screens compute without the hub: who edits which organisation's
 * catalogue, an offer as a form and back as an update, what differs between two versions (for a
 * version conflict), and which translations are outdated (read from the offer's change log).
 */
import type {
  Audience,
  ConsoleCatalogueOfferFieldsFragment,
  CostKind,
  Language,
  OfferStatus,
  Role,
  TranslationInput,
  UpdateOfferInput,
} from '../../../../generated/graphql.ts';
import type { Viewer } from '../../app/viewer.tsx';
import type { Locale } from '../../i18n/i18n.tsx';

export type Offer = ConsoleCatalogueOfferFieldsFragment;

/** The roles that change an organisation's catalogue (the hub's rule: catalogue.access.ts). */
export const EDITOR_ROLES: readonly Role[] = ['CATALOGUE_EDITOR', 'ORG_ADMIN'];

/** The organisations whose catalogue the viewer edits (a hub admin edits none by that role alone). */
export function editorOrganisations(viewer: Viewer) {
  return viewer.memberships
    .filter((m) => m.roles.some((r) => EDITOR_ROLES.includes(r)))
    .map((m) => m.organisation);
}

export function canEditOrganisation(viewer: Viewer, organisationId: string): boolean {
  return editorOrganisations(viewer).some((o) => o.id === organisationId);
}

/** The catalogue's languages: the four expected ones first (the hub lists those missing). */
export const LANGUAGES: readonly Language[] = ['FR', 'DE', 'LB', 'EN', 'PT', 'UK', 'AR', 'FA'];
export const EXPECTED_LANGUAGES: readonly Language[] = ['FR', 'DE', 'LB', 'EN'];
/** Each language's own name (shown with its `lang`). */
export const LANGUAGE_NAMES: Record<Language, string> = {
  FR: 'Français',
  DE: 'Deutsch',
  LB: 'Lëtzebuergesch',
  EN: 'English',
  PT: 'Português',
  UK: 'Українська',
  AR: 'العربية',
  FA: 'فارسی',
};
export const langTag = (language: Language) => language.toLowerCase();
export const isRtl = (language: Language) => language === 'AR' || language === 'FA';

export function apiLanguage(locale: Locale): Language {
  return locale === 'de' ? 'DE' : locale === 'en' ? 'EN' : 'FR';
}

export const OFFER_STATUSES: readonly OfferStatus[] = ['DRAFT', 'PUBLISHED', 'PAUSED', 'WITHDRAWN'];

/** The steps a status allows (the hub's TRANSITIONS in offer.service.ts). */
export function allowedSteps(status: OfferStatus): ('publish' | 'pause' | 'withdraw')[] {
  const steps: ('publish' | 'pause' | 'withdraw')[] = [];
  if (status === 'DRAFT' || status === 'PAUSED') steps.push('publish');
  if (status === 'PUBLISHED') steps.push('pause');
  if (status !== 'WITHDRAWN') steps.push('withdraw');
  return steps;
}

// --- Translated texts -------------------------------------------------------------------------

export type Texts = Partial<Record<Language, string>>;

export function textsOf(list: readonly { language: Language; text: string }[]): Texts {
  const out: Texts = {};
  for (const { language, text } of list) out[language] = text;
  return out;
}

/** Back to the API's list, in the catalogue's order, without empty texts. */
export function listOf(texts: Texts): TranslationInput[] {
  return LANGUAGES.flatMap((language) => {
    const text = texts[language]?.trim();
    return text ? [{ language, text }] : [];
  });
}

/** The language translations are made from: French when there is French (the catalogue's rule). */
export function sourceLanguage(texts: Texts): Language {
  const order: Language[] = ['FR', 'DE', 'EN', 'LB', 'PT', 'UK', 'AR', 'FA'];
  return order.find((l) => texts[l]) ?? 'FR';
}

// --- The offer as a form ----------------------------------------------------------------------

/** The fields the editing form shows; texts are those of one language (the source). */
export interface OfferForm {
  title: string;
  description: string;
  themes: string[];
  audiences: Audience[];
  minAge: string;
  maxAge: string;
  languages: string;
  costKind: CostKind;
  siteIds: string[];
  serviceArea: string;
  contactName: string;
  contactEmail: string;
  contactPhone: string;
  website: string;
  acceptsReferrals: boolean;
  responseDays: string;
}
export type FormKey = keyof OfferForm;
export const FORM_KEYS: readonly FormKey[] = [
  'title',
  'description',
  'themes',
  'audiences',
  'minAge',
  'maxAge',
  'languages',
  'costKind',
  'siteIds',
  'serviceArea',
  'contactName',
  'contactEmail',
  'contactPhone',
  'website',
  'acceptsReferrals',
  'responseDays',
];

const num = (n: number | null | undefined) => (n == null ? '' : String(n));

export function emptyForm(): OfferForm {
  return {
    title: '',
    description: '',
    themes: [],
    audiences: [],
    minAge: '',
    maxAge: '',
    languages: 'fr',
    costKind: 'FREE',
    siteIds: [],
    serviceArea: '',
    contactName: '',
    contactEmail: '',
    contactPhone: '',
    website: '',
    acceptsReferrals: true,
    responseDays: '2',
  };
}

export function formOf(offer: Offer, language: Language): OfferForm {
  return {
    title: textsOf(offer.titleTranslations)[language] ?? '',
    description: textsOf(offer.descriptionTranslations)[language] ?? '',
    themes: offer.themes.map((t) => t.code).sort(),
    audiences: [...offer.audiences].sort(),
    minAge: num(offer.minAge),
    maxAge: num(offer.maxAge),
    languages: offer.languages.join(', '),
    costKind: offer.costKind,
    siteIds: offer.sites.map((s) => s.id).sort(),
    serviceArea: offer.serviceArea.join(', '),
    contactName: offer.contact?.name ?? '',
    contactEmail: offer.contact?.email ?? '',
    contactPhone: offer.contact?.phone ?? '',
    website: offer.website ?? '',
    acceptsReferrals: offer.acceptsReferrals,
    responseDays: String(offer.responseDays),
  };
}

/** Equal values: lists compare as sets, texts without surrounding spaces. */
export function sameValue(a: unknown, b: unknown): boolean {
  if (Array.isArray(a) && Array.isArray(b)) {
    const sorted = (list: unknown[]) => JSON.stringify(list.map(String).sort());
    return sorted(a as unknown[]) === sorted(b as unknown[]);
  }
  if (typeof a === 'string' && typeof b === 'string') return a.trim() === b.trim();
  return a === b;
}

/** The keys whose values differ between two versions of a form. */
export function changedKeys<F extends object>(a: F, b: F): (keyof F)[] {
  return (Object.keys(a) as (keyof F)[]).filter((k) => !sameValue(a[k], b[k]));
}

const words = (s: string) =>
  s
    .split(/[,;\n]/)
    .map((w) => w.trim())
    .filter(Boolean);
const intOrNull = (s: string) => (s.trim() === '' ? null : Number.parseInt(s, 10));
const textOrNull = (s: string) => (s.trim() === '' ? null : s.trim());

/** One text of a translated field replaced (an empty text removes that language). */
export function withText(
  list: readonly { language: Language; text: string }[],
  language: Language,
  text: string,
): TranslationInput[] {
  return listOf({ ...textsOf(list), [language]: text });
}

/**
 * The update for the `keys` the user changed, applied to `onto` (the version it will be sent
 * against): a text replaces only its own language in the offer's translations, so that another
 * person's translations made meanwhile stay.
 */
export function updateFields(
  onto: Pick<Offer, 'titleTranslations' | 'descriptionTranslations'>,
  language: Language,
  form: OfferForm,
  keys: readonly FormKey[],
): Omit<UpdateOfferInput, 'id' | 'expectedVersion'> {
  const input: Omit<UpdateOfferInput, 'id' | 'expectedVersion'> = {};
  for (const key of keys) {
    switch (key) {
      case 'title':
        input.title = withText(onto.titleTranslations, language, form.title);
        break;
      case 'description':
        input.description = withText(onto.descriptionTranslations, language, form.description);
        break;
      case 'themes':
        input.themes = form.themes;
        break;
      case 'audiences':
        input.audiences = form.audiences;
        break;
      case 'minAge':
        input.minAge = intOrNull(form.minAge);
        break;
      case 'maxAge':
        input.maxAge = intOrNull(form.maxAge);
        break;
      case 'languages':
        input.languages = words(form.languages).map((w) => w.toLowerCase());
        break;
      case 'costKind':
        input.costKind = form.costKind;
        break;
      case 'siteIds':
        input.siteIds = form.siteIds;
        break;
      case 'serviceArea':
        input.serviceArea = words(form.serviceArea);
        break;
      case 'contactName':
        input.contactName = textOrNull(form.contactName);
        break;
      case 'contactEmail':
        input.contactEmail = textOrNull(form.contactEmail);
        break;
      case 'contactPhone':
        input.contactPhone = textOrNull(form.contactPhone);
        break;
      case 'website':
        input.website = textOrNull(form.website);
        break;
      case 'acceptsReferrals':
        input.acceptsReferrals = form.acceptsReferrals;
        break;
      case 'responseDays':
        input.responseDays = intOrNull(form.responseDays) ?? 2;
        break;
    }
  }
  return input;
}

/** What changed outside the form's fields between two versions (other languages, status). */
export function otherChanges(before: Offer, after: Offer, language: Language): ('status' | 'translations')[] {
  const out: ('status' | 'translations')[] = [];
  if (before.status !== after.status) out.push('status');
  const others = (list: readonly { language: Language; text: string }[]) =>
    JSON.stringify(listOf({ ...textsOf(list), [language]: '' }));
  if (
    others(before.titleTranslations) !== others(after.titleTranslations) ||
    others(before.descriptionTranslations) !== others(after.descriptionTranslations)
  ) {
    out.push('translations');
  }
  return out;
}

// --- The change log ---------------------------------------------------------------------------

export interface Change {
  action: string;
  fields: readonly string[];
  before?: string | null;
  after?: string | null;
  at: string;
}

/** Parsed `before` / `after` of a change (JSON of the changed fields; null when none). */
export function sides(change: Change): { before: Record<string, unknown>; after: Record<string, unknown> } {
  const parse = (s: string | null | undefined) => {
    if (!s) return {};
    try {
      const v: unknown = JSON.parse(s);
      return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
    } catch {
      return {};
    }
  };
  return { before: parse(change.before), after: parse(change.after) };
}

/** The stored form of translated text: `{ "fr": "…", "de": "…" }`. */
export function storedTexts(value: unknown): Texts {
  const out: Texts = {};
  if (!value || typeof value !== 'object' || Array.isArray(value)) return out;
  for (const [code, text] of Object.entries(value)) {
    const language = code.toUpperCase() as Language;
    if (LANGUAGES.includes(language) && typeof text === 'string') out[language] = text;
  }
  return out;
}

/** The languages whose text of `field` a change wrote (all of them when it created the offer). */
export function languagesChanged(change: Change, field: string): Set<Language> {
  if (!change.fields.includes(field)) return new Set();
  const { before, after } = sides(change);
  const b = storedTexts(before[field]);
  const a = storedTexts(after[field]);
  return new Set(LANGUAGES.filter((l) => (b[l] ?? '') !== (a[l] ?? '')));
}

/**
 * Translations written before the latest change of the source text: outdated. The log is read
 * newest first; a language whose text changed after (or with) the source's latest change is up
 * to date. `settled` is false while the source's latest change was not found in the pages read
 * (more pages to read); a source never changed in the log makes nothing outdated.
 */
export function outdatedLanguages(
  changesNewestFirst: readonly Change[],
  field: string,
  source: Language,
  present: readonly Language[],
  morePages: boolean,
): { outdated: Set<Language>; settled: boolean } {
  const newer = new Set<Language>();
  for (const change of changesNewestFirst) {
    const changed = languagesChanged(change, field);
    if (changed.has(source)) {
      return {
        outdated: new Set(present.filter((l) => l !== source && !newer.has(l) && !changed.has(l))),
        settled: true,
      };
    }
    for (const l of changed) newer.add(l);
  }
  return { outdated: new Set(), settled: !morePages };
}
