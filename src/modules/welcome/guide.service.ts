/**
 * Guides (activity maps): create, edit texts per language with the source version each
 * translation was made from, publish and archive. Each change is one transaction that checks who
 * asks inside the statement that locks the guide (welcome.access.ts), or writes nothing.
 */
import { isOutdated, translatedFromOf, versionsAfterWrite } from './versioned-text.ts';
import { Prisma, type Guide, type PrismaClient } from '../../generated/prisma/client.ts';
import type { Audience, GuideStatus } from '../../generated/prisma/enums.ts';
import {
  ForbiddenError,
  InvalidInputError,
  NotFoundError,
  VersionConflictError,
  type FieldProblem,
} from '../../shared/errors.ts';
import { asUuid } from '../../shared/ids.ts';
import type { Viewer } from '../accounts/viewer.ts';
import { UnknownCommuneError } from '../catalogue/catalogue.errors.ts';
import { canonicalCommune } from '../catalogue/communes.ts';
import { asTranslations, LANGUAGES, type Language, type Translations } from '../catalogue/translations.ts';
import { GuideNotPublishableError, GuideStatusError } from './welcome.errors.ts';
import {
  editableGuidesSql,
  GUIDE_EDITOR_ROLES,
  guideSheltersWhere,
  organisationsWithRole,
  PUBLIC_ITEM_STATUSES,
  visibleGuidesWhere,
  visibleSheltersWhere,
} from './welcome.access.ts';

/** A guide's texts in one language; in an update, an absent text is unchanged and a null intro cleared. */
export interface GuideTextInput {
  language: Language;
  title?: string | null;
  intro?: string | null;
}

export interface CreateGuideInput {
  organisationId: string;
  shelterId?: string | null;
  audiences?: Audience[] | null;
  commune?: string | null;
  /** The language translations are made from; left out, the first text's. */
  sourceLanguage?: Language | null;
  texts: GuideTextInput[];
  /** The public address (`/guides/<slug>`); left out, made from the title. */
  slug?: string | null;
}

export interface UpdateGuideInput {
  texts?: GuideTextInput[] | null;
  /** Translations to remove (never the source language). */
  removeLanguages?: Language[] | null;
  audiences?: Audience[] | null;
  /** null: no commune. */
  commune?: string | null;
  /** null: not for a shelter any more. */
  shelterId?: string | null;
}

/** One language of a guide's texts, with the source version its translation was made from. */
export interface GuideTranslation {
  language: Language;
  title: string | null;
  intro: string | null;
  source: boolean;
  /** The source's `textVersion` this translation was made from (the current one for the source). */
  translatedFromVersion: number | null;
  /** Made from an older version of the source text than the current one. */
  outdated: boolean;
}

type GuideTexts = Pick<Guide, 'title' | 'intro' | 'sourceLanguage' | 'textVersion' | 'translatedFrom'>;

const versioned = (guide: GuideTexts) => ({
  sourceLanguage: guide.sourceLanguage,
  version: guide.textVersion,
  translatedFrom: guide.translatedFrom,
});

/** Whether the guide's text in `language` was translated from an older source text. */
export function isGuideTextOutdated(guide: GuideTexts, language: string): boolean {
  return isOutdated(versioned(guide), language);
}

/** Every language the guide has a text in, the source first. */
export function guideTranslations(guide: GuideTexts): GuideTranslation[] {
  const title = asTranslations(guide.title);
  const intro = asTranslations(guide.intro);
  const from = translatedFromOf(guide.translatedFrom);
  return languagesOf(guide.sourceLanguage, title, intro).map((language) => {
    const source = language === guide.sourceLanguage;
    return {
      language,
      title: title[language] ?? null,
      intro: intro[language] ?? null,
      source,
      translatedFromVersion: source ? guide.textVersion : (from[language] ?? null),
      outdated: isGuideTextOutdated(guide, language),
    };
  });
}

/** The source language first, then the others with a text, in the catalogue's order. */
function languagesOf(source: string, title: Translations, intro: Translations): Language[] {
  const has = (l: Language) => title[l] !== undefined || intro[l] !== undefined;
  return LANGUAGES.filter((l) => l === source || has(l)).sort((a, b) =>
    a === source ? -1 : b === source ? 1 : 0,
  );
}

/** A URL-safe slug from a title: `Activités près du SHUK` → `activites-pres-du-shuk`. */
export function slugify(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/['’]/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
    .replace(/-+$/, '');
}

export const SLUG_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

const invalid = (problems: FieldProblem[]) => new InvalidInputError(null, problems);

function isUniqueViolation(error: unknown): boolean {
  return error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002';
}

/** The first free slug among `base`, `base-2`, `base-3`… */
async function freeSlug(db: PrismaClient | Prisma.TransactionClient, base: string): Promise<string> {
  const taken = new Set(
    (await db.guide.findMany({ where: { slug: { startsWith: base } }, select: { slug: true } })).map(
      (g) => g.slug,
    ),
  );
  if (!taken.has(base)) return base;
  for (let n = 2; ; n++) if (!taken.has(`${base}-${n}`)) return `${base}-${n}`;
}

function communeOf(commune: string): string {
  const canonical = canonicalCommune(commune);
  if (!canonical) throw new UnknownCommuneError([commune], ['input', 'commune']);
  return canonical;
}

/** A shelter the guide's organisation may write for: seen by the viewer, worked at by the organisation. */
async function shelterFor(
  db: PrismaClient | Prisma.TransactionClient,
  viewer: Viewer | null,
  shelterId: string,
  organisationId: string,
): Promise<string> {
  const shelter = await db.shelter.findFirst({
    where: { id: asUuid(shelterId), AND: [visibleSheltersWhere(viewer)] },
    select: { id: true },
  });
  if (!shelter) throw new NotFoundError('shelter');
  const worked = await db.shelter.count({
    where: { id: shelter.id, AND: [guideSheltersWhere(organisationId)] },
  });
  if (!worked)
    throw new ForbiddenError("write a guide for a shelter the guide's organisation does not work at");
  return shelter.id;
}

/** Checks the texts of an input: one entry per language, each with a title or an intro. */
function textProblems(texts: GuideTextInput[]): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const seen = new Set<string>();
  texts.forEach((t, i) => {
    if (seen.has(t.language))
      problems.push({ path: ['input', 'texts', String(i)], message: 'one entry per language' });
    seen.add(t.language);
    if (t.title === undefined && t.intro === undefined) {
      problems.push({ path: ['input', 'texts', String(i)], message: 'needs a title or an intro' });
    }
  });
  return problems;
}

/**
 * Creates a draft guide for the viewer's organisation (its Welcome coordinators and admins),
 * for a shelter it operates or works at, or for an audience and a commune.
 */
export async function createGuide(
  prisma: PrismaClient,
  viewer: Viewer | null,
  input: CreateGuideInput,
): Promise<Guide> {
  const org = await prisma.organisation.findUnique({
    where: { id: asUuid(input.organisationId) },
    select: { id: true },
  });
  if (!org) throw new NotFoundError('organisation');
  if (!organisationsWithRole(viewer, GUIDE_EDITOR_ROLES).includes(org.id)) {
    throw new ForbiddenError('write guides for this organisation (its Welcome coordinators and admins do)');
  }
  const problems = textProblems(input.texts);
  const title: Translations = {};
  const intro: Translations = {};
  for (const t of input.texts) {
    if (t.title) title[t.language] = t.title.trim();
    if (t.intro) intro[t.language] = t.intro.trim();
  }
  const source = input.sourceLanguage ?? input.texts[0]?.language ?? 'fr';
  if (Object.keys(title).length === 0) {
    problems.push({
      path: ['input', 'texts'],
      message: 'needs a title in at least one language',
      reason: 'REQUIRED',
    });
  }
  if (input.slug != null && !SLUG_PATTERN.test(input.slug)) {
    problems.push({ path: ['input', 'slug'], message: 'lower-case letters, digits and single hyphens only' });
  }
  if (problems.length > 0) throw invalid(problems);
  const commune = input.commune ? communeOf(input.commune) : null;
  const shelterId = input.shelterId ? await shelterFor(prisma, viewer, input.shelterId, org.id) : null;
  const base = slugify(title[source] ?? Object.values(title)[0] ?? '') || 'guide';
  const translatedFrom = Object.fromEntries(
    Object.keys({ ...title, ...intro })
      .filter((l) => l !== source)
      .map((l) => [l, 1]),
  );
  for (let attempt = 0; ; attempt++) {
    const slug = input.slug ?? (await freeSlug(prisma, base));
    try {
      return await prisma.guide.create({
        data: {
          slug,
          organisationId: org.id,
          shelterId,
          audiences: input.audiences ?? [],
          commune,
          title,
          intro: Object.keys(intro).length > 0 ? intro : Prisma.DbNull,
          sourceLanguage: source,
          translatedFrom,
          languages: languagesOf(source, title, intro),
          createdById: viewer?.kind === 'user' ? viewer.userId : null,
        },
      });
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      if (input.slug != null)
        throw invalid([
          { path: ['input', 'slug'], message: 'is already used by another guide', reason: 'TAKEN' },
        ]);
      // Two guides with the same title at once: take the next free slug.
      if (attempt >= 5) throw error;
    }
  }
}

/**
 * Loads a guide for a change, locking it: only a guide of an organisation the viewer edits for is
 * locked. When none is, a guide they may see is forbidden and any other reads as unknown.
 */
async function lockGuide(tx: Prisma.TransactionClient, viewer: Viewer | null, id: string): Promise<Guide> {
  const uuid = asUuid(id);
  const [locked] = await tx.$queryRaw<{ id: string }[]>`
    select g.id from "Guide" g where g.id = ${uuid}::uuid and ${editableGuidesSql(viewer, 'g')} for update`;
  if (!locked) {
    const seen = await tx.guide.findFirst({
      where: { id: uuid, AND: [visibleGuidesWhere(viewer)] },
      select: { id: true },
    });
    throw seen
      ? new ForbiddenError("change this guide (its organisation's Welcome coordinators and admins do)")
      : new NotFoundError('guide');
  }
  return tx.guide.findUniqueOrThrow({ where: { id: locked.id } });
}

function checkVersion(guide: Guide, expected: number | null | undefined): void {
  if (expected != null && expected !== guide.version) throw new VersionConflictError(expected, guide.version);
}

/**
 * Changes a guide's texts and scope. Editing a text of the source language (to a different text)
 * makes a new `textVersion`; writing a text in another language records that it was translated
 * from the current source version, so that older translations show as outdated.
 */
export function updateGuide(
  prisma: PrismaClient,
  viewer: Viewer | null,
  id: string,
  expectedVersion: number,
  changes: UpdateGuideInput,
): Promise<Guide> {
  return prisma.$transaction(async (tx) => {
    const guide = await lockGuide(tx, viewer, id);
    checkVersion(guide, expectedVersion);
    if (guide.status === 'ARCHIVED') throw new GuideStatusError(guide.status, 'edit');
    const source = guide.sourceLanguage as Language;
    const texts = changes.texts ?? [];
    const problems = textProblems(texts);
    const removed = changes.removeLanguages ?? [];
    removed.forEach((l, i) => {
      if (l === source)
        problems.push({ path: ['input', 'removeLanguages', String(i)], message: 'is the source language' });
      if (texts.some((t) => t.language === l))
        problems.push({
          path: ['input', 'removeLanguages', String(i)],
          message: 'also has a text in this change',
        });
    });
    texts.forEach((t, i) => {
      if (t.language === source && t.title === null)
        problems.push({
          path: ['input', 'texts', String(i), 'title'],
          message: 'the source language keeps a title',
        });
    });
    if (problems.length > 0) throw invalid(problems);

    const title = asTranslations(guide.title);
    const intro = asTranslations(guide.intro);
    let sourceChanged = false;
    for (const t of texts) {
      const before = [title[t.language], intro[t.language]];
      if (t.title !== undefined) {
        if (t.title === null || t.title.trim() === '') delete title[t.language];
        else title[t.language] = t.title.trim();
      }
      if (t.intro !== undefined) {
        if (t.intro === null || t.intro.trim() === '') delete intro[t.language];
        else intro[t.language] = t.intro.trim();
      }
      if (t.language === source && (before[0] !== title[source] || before[1] !== intro[source])) {
        sourceChanged = true;
      }
    }
    for (const l of removed) {
      delete title[l];
      delete intro[l];
    }
    const { version: textVersion, translatedFrom } = versionsAfterWrite(versioned(guide), {
      sourceChanged,
      languagesWritten: texts.map((t) => t.language),
    });
    for (const l of removed) delete translatedFrom[l];
    for (const l of Object.keys(translatedFrom)) {
      if (title[l as Language] === undefined && intro[l as Language] === undefined) delete translatedFrom[l];
    }

    const data: Prisma.GuideUncheckedUpdateInput = {
      title,
      intro: Object.keys(intro).length > 0 ? intro : Prisma.DbNull,
      textVersion,
      translatedFrom,
      languages: languagesOf(source, title, intro),
      version: { increment: 1 },
    };
    if (changes.audiences != null) data.audiences = changes.audiences;
    if (changes.commune !== undefined)
      data.commune = changes.commune === null ? null : communeOf(changes.commune);
    if (changes.shelterId !== undefined) {
      data.shelterId =
        changes.shelterId === null
          ? null
          : await shelterFor(tx, viewer, changes.shelterId, guide.organisationId);
    }
    return tx.guide.update({ where: { id: guide.id }, data });
  });
}

/** What publishing lacks, as field problems: a source-language title, an entry the provider agreed to. */
async function publishProblems(tx: Prisma.TransactionClient, guide: Guide): Promise<FieldProblem[]> {
  const problems: FieldProblem[] = [];
  if (asTranslations(guide.title)[guide.sourceLanguage as Language] === undefined) {
    problems.push({
      path: ['title', guide.sourceLanguage],
      message: `needs a title in its source language (${guide.sourceLanguage})`,
    });
  }
  const agreed = await tx.guideItem.count({
    where: { guideId: guide.id, status: { in: [...PUBLIC_ITEM_STATUSES] } },
  });
  if (agreed === 0) {
    problems.push({
      path: ['items'],
      message: 'needs at least one entry its provider confirmed (CONFIRMED or REGULAR)',
    });
  }
  return problems;
}

const STEPS: Record<'publish' | 'archive', { from: GuideStatus[]; to: GuideStatus }> = {
  publish: { from: ['DRAFT', 'ARCHIVED'], to: 'PUBLISHED' },
  archive: { from: ['DRAFT', 'PUBLISHED'], to: 'ARCHIVED' },
};

/**
 * Publishes a guide (public from then on: residents get it printed, as a calendar and a map) or
 * archives it (back inside its organisation, the shelter and its providers).
 */
export function setGuideStatus(
  prisma: PrismaClient,
  viewer: Viewer | null,
  id: string,
  step: keyof typeof STEPS,
  expectedVersion?: number | null,
): Promise<Guide> {
  return prisma.$transaction(async (tx) => {
    const guide = await lockGuide(tx, viewer, id);
    checkVersion(guide, expectedVersion);
    if (!STEPS[step].from.includes(guide.status)) throw new GuideStatusError(guide.status, step);
    if (step === 'publish') {
      const problems = await publishProblems(tx, guide);
      if (problems.length > 0) throw new GuideNotPublishableError(problems);
    }
    return tx.guide.update({
      where: { id: guide.id },
      data: {
        status: STEPS[step].to,
        ...(step === 'publish' ? { publishedAt: new Date() } : {}),
        version: { increment: 1 },
      },
    });
  });
}
