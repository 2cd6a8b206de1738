/**
 * Shelters, their partners and their residents' profile. Each change is one transaction that
 * checks who asks inside the statement that locks the shelter (welcome.access.ts), or writes
 * nothing. Residents are never persons here: a profile is counts on a date.
 */
import {
  Prisma,
  type PrismaClient,
  type ResidentProfile,
  type Shelter,
} from '../../generated/prisma/client.ts';
import type { ShelterKind } from '../../generated/prisma/enums.ts';
import {
  ForbiddenError,
  InvalidInputError,
  NotFoundError,
  VersionConflictError,
  type FieldProblem,
  type FieldProblemReason,
} from '../../shared/errors.ts';
import { asUuid } from '../../shared/ids.ts';
import type { Viewer } from '../accounts/viewer.ts';
import type { Translations } from '../catalogue/translations.ts';
import {
  operatedSheltersSql,
  profileEditableSheltersSql,
  profileReadableSheltersWhere,
  shelterCreatorOrganisationIds,
  visibleSheltersWhere,
} from './welcome.access.ts';

/** Age bands of a residents' profile, youngest first. */
export const AGE_BANDS = [
  'AGE_0_5',
  'AGE_6_11',
  'AGE_12_17',
  'AGE_18_25',
  'AGE_26_64',
  'AGE_65_PLUS',
] as const;
export type AgeBand = (typeof AGE_BANDS)[number];

/** Household types of a residents' profile. */
export const HOUSEHOLD_TYPES = [
  'SINGLE_ADULT',
  'COUPLE',
  'FAMILY_WITH_CHILDREN',
  'SINGLE_PARENT',
  'UNACCOMPANIED_MINOR',
] as const;
export type HouseholdType = (typeof HOUSEHOLD_TYPES)[number];

/** Counts of residents on a date: never anything finer. */
export interface ProfileInput {
  /** YYYY-MM-DD: the day the counts describe. */
  asOf: string;
  total: number;
  languages: { code: string; count: number }[];
  ageBands: { band: AgeBand; count: number }[];
  /** Residents living in each type of household. */
  householdTypes: { type: HouseholdType; count: number }[];
}

/** The largest count a shelter may report (the largest Luxembourg facilities hold a few hundred). */
export const MAX_COUNT = 100_000;

const languageNames = new Intl.DisplayNames(['en'], { type: 'language', fallback: 'none' });

/**
 * An ISO 639-1 code in its canonical form (`ar`, `ti`, `uk`): Node's ICU knows its name and no
 * other code replaces it (`iw` is written `he`).
 */
export function isLanguageCode(code: string): boolean {
  if (!/^[a-z]{2}$/.test(code)) return false;
  try {
    return Intl.getCanonicalLocales(code)[0] === code && languageNames.of(code) !== undefined;
  } catch {
    return false;
  }
}

/** Today in Luxembourg, as YYYY-MM-DD. */
export function luxembourgToday(now = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Luxembourg' }).format(now);
}

function isCalendarDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const d = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value;
}

/**
 * What is wrong with a profile, every problem with the path of its field (under `input`): counts
 * whole and not below zero, a real date not in the future, known language codes, each code, band
 * and type once, and no part above the total (a resident may speak several languages, so each
 * language's count is bounded by the total; age bands and household types split the residents, so
 * their sums are).
 */
export function profileProblems(p: ProfileInput, today = luxembourgToday()): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const add = (path: (string | number)[], message: string, reason?: FieldProblemReason) =>
    problems.push({ path: ['input', ...path.map(String)], message, ...(reason && { reason }) });
  const count = (value: number, path: (string | number)[]) => {
    if (!Number.isInteger(value) || value < 0) add(path, 'must be a whole number, zero or more');
    else if (value > MAX_COUNT) add(path, `must be at most ${MAX_COUNT}`);
  };
  if (!isCalendarDate(p.asOf)) add(['asOf'], 'must be a date as YYYY-MM-DD');
  else if (p.asOf > today) add(['asOf'], `must not be in the future (today is ${today})`, 'FUTURE');
  count(p.total, ['total']);
  const parts = [
    ['languages', p.languages.map((l) => ({ key: l.code, count: l.count })), 'language'],
    ['ageBands', p.ageBands.map((b) => ({ key: b.band, count: b.count })), 'age band'],
    ['householdTypes', p.householdTypes.map((h) => ({ key: h.type, count: h.count })), 'household type'],
  ] as const;
  for (const [field, list, what] of parts) {
    const seen = new Set<string>();
    list.forEach((entry, i) => {
      if (field === 'languages' && !isLanguageCode(entry.key)) {
        add([field, i, 'code'], 'must be an ISO 639-1 language code such as ar, fa, ti or uk');
      }
      if (seen.has(entry.key)) add([field, i], `lists the ${what} ${entry.key} twice`);
      seen.add(entry.key);
      count(entry.count, [field, i, 'count']);
      if (field === 'languages' && Number.isInteger(p.total) && entry.count > p.total) {
        add([field, i, 'count'], `must not be above the total (${p.total})`);
      }
    });
    if (field !== 'languages' && Number.isInteger(p.total)) {
      const sum = list.reduce((n, e) => n + e.count, 0);
      if (sum > p.total) add([field], `add up to ${sum}, more than the total (${p.total})`);
    }
  }
  return problems;
}

/** Loads a shelter for a change, locking it: only when `rule` (SQL over alias `s`) lets the viewer. */
async function lockShelter(
  tx: Prisma.TransactionClient,
  viewer: Viewer | null,
  id: string,
  rule: Prisma.Sql,
  action: string,
): Promise<Shelter> {
  const uuid = asUuid(id);
  const [locked] = await tx.$queryRaw<{ id: string }[]>`
    select s.id from "Shelter" s where s.id = ${uuid}::uuid and ${rule} for update`;
  if (!locked) {
    // Nothing locked: a shelter they see is forbidden, any other reads as unknown.
    const seen = await tx.shelter.findFirst({
      where: { id: uuid, AND: [visibleSheltersWhere(viewer)] },
      select: { id: true },
    });
    throw seen ? new ForbiddenError(action) : new NotFoundError('shelter');
  }
  return tx.shelter.findUniqueOrThrow({ where: { id: locked.id } });
}

const invalid = (path: string[], message: string) => new InvalidInputError(null, [{ path, message }]);

/**
 * Makes one of an organisation's sites a shelter, operated by that organisation: for its admins
 * and Welcome coordinators. A site the viewer's organisation does not own is forbidden (sites are
 * public); a site that is already a shelter is invalid input.
 */
export async function createShelter(
  prisma: PrismaClient,
  viewer: Viewer | null,
  input: { siteId: string; kind?: ShelterKind | null; capacity?: number | null },
): Promise<Shelter> {
  const site = await prisma.site.findUnique({
    where: { id: asUuid(input.siteId) },
    select: { id: true, organisationId: true },
  });
  if (!site) throw new NotFoundError('site');
  if (!shelterCreatorOrganisationIds(viewer).includes(site.organisationId)) {
    throw new ForbiddenError("make a shelter of another organisation's site");
  }
  try {
    return await prisma.shelter.create({
      data: {
        siteId: site.id,
        organisationId: site.organisationId,
        kind: input.kind ?? 'OTHER',
        capacity: input.capacity ?? null,
      },
    });
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') {
      throw invalid(['input', 'siteId'], 'is already a shelter');
    }
    throw error;
  }
}

/** Changes a shelter's kind or capacity (the operator side); `expectedVersion` is the version read. */
export function updateShelter(
  prisma: PrismaClient,
  viewer: Viewer | null,
  id: string,
  expectedVersion: number,
  changes: { kind?: ShelterKind | null; capacity?: number | null },
): Promise<Shelter> {
  return prisma.$transaction(async (tx) => {
    const shelter = await lockShelter(
      tx,
      viewer,
      id,
      operatedSheltersSql(viewer, 's'),
      'change this shelter',
    );
    if (shelter.version !== expectedVersion) throw new VersionConflictError(expectedVersion, shelter.version);
    return tx.shelter.update({
      where: { id: shelter.id },
      data: {
        ...(changes.kind ? { kind: changes.kind } : {}),
        ...(changes.capacity !== undefined ? { capacity: changes.capacity } : {}),
        version: { increment: 1 },
      },
    });
  });
}

/**
 * Engages an organisation at a shelter, with what it does there (the operator side). Adding a
 * partner again changes its role. Partners read the residents' profile and the shelter's guides.
 */
export function addShelterPartner(
  prisma: PrismaClient,
  viewer: Viewer | null,
  shelterId: string,
  organisationId: string,
  role: Translations | null,
): Promise<Shelter> {
  return prisma.$transaction(async (tx) => {
    const shelter = await lockShelter(
      tx,
      viewer,
      shelterId,
      operatedSheltersSql(viewer, 's'),
      "change this shelter's partners",
    );
    const org = await tx.organisation.findUnique({
      where: { id: asUuid(organisationId) },
      select: { id: true },
    });
    if (!org) throw new NotFoundError('organisation');
    if (org.id === shelter.organisationId) {
      throw invalid(['input', 'organisationId'], 'is the shelter’s operator, not a partner');
    }
    const roleJson = (role ?? Prisma.DbNull) as Prisma.InputJsonValue;
    await tx.shelterPartner.upsert({
      where: { shelterId_organisationId: { shelterId: shelter.id, organisationId: org.id } },
      create: { shelterId: shelter.id, organisationId: org.id, role: roleJson },
      update: { role: roleJson },
    });
    return tx.shelter.update({ where: { id: shelter.id }, data: { version: { increment: 1 } } });
  });
}

/** Ends an organisation's partnership at a shelter (the operator side). */
export function removeShelterPartner(
  prisma: PrismaClient,
  viewer: Viewer | null,
  shelterId: string,
  organisationId: string,
): Promise<Shelter> {
  return prisma.$transaction(async (tx) => {
    const shelter = await lockShelter(
      tx,
      viewer,
      shelterId,
      operatedSheltersSql(viewer, 's'),
      "change this shelter's partners",
    );
    const { count } = await tx.shelterPartner.deleteMany({
      where: { shelterId: shelter.id, organisationId: asUuid(organisationId) },
    });
    if (count === 0) throw new NotFoundError('partner organisation at this shelter');
    return tx.shelter.update({ where: { id: shelter.id }, data: { version: { increment: 1 } } });
  });
}

/**
 * Records the residents' profile on a date, as a new row (the history is kept): the operator's
 * admins and Welcome coordinators, and the partners' Welcome coordinators.
 */
export function updateShelterProfile(
  prisma: PrismaClient,
  viewer: Viewer | null,
  shelterId: string,
  profile: ProfileInput,
): Promise<{ shelter: Shelter; profile: ResidentProfile }> {
  const problems = profileProblems(profile);
  if (problems.length > 0) return Promise.reject(new InvalidInputError(null, problems));
  return prisma.$transaction(async (tx) => {
    const shelter = await lockShelter(
      tx,
      viewer,
      shelterId,
      profileEditableSheltersSql(viewer, 's'),
      "record this shelter's residents' profile",
    );
    const row = await tx.residentProfile.create({
      data: {
        shelterId: shelter.id,
        asOf: new Date(`${profile.asOf}T00:00:00Z`),
        total: profile.total,
        languages: [...profile.languages].sort((a, b) => b.count - a.count || a.code.localeCompare(b.code)),
        ageBands: [...profile.ageBands].sort((a, b) => AGE_BANDS.indexOf(a.band) - AGE_BANDS.indexOf(b.band)),
        householdTypes: [...profile.householdTypes].sort(
          (a, b) => HOUSEHOLD_TYPES.indexOf(a.type) - HOUSEHOLD_TYPES.indexOf(b.type),
        ),
        recordedByUserId: viewer?.kind === 'user' ? viewer.userId : null,
      },
    });
    return { shelter, profile: row };
  });
}

const NEWEST_PROFILE_FIRST = [{ asOf: 'desc' }, { createdAt: 'desc' }, { id: 'desc' }] as const;

/**
 * The latest profile of each shelter whose profile the viewer may read (null for the others), in
 * the order of `shelterIds`: two statements for a whole page.
 */
export async function latestReadableProfiles(
  prisma: PrismaClient,
  viewer: Viewer | null,
  shelterIds: readonly string[],
): Promise<(ResidentProfile | null)[]> {
  const readable = await prisma.shelter.findMany({
    where: { id: { in: [...shelterIds] }, AND: [profileReadableSheltersWhere(viewer)] },
    select: { id: true },
  });
  const ids = readable.map((s) => s.id);
  const rows = ids.length
    ? await prisma.$queryRaw<ResidentProfile[]>`
        select distinct on ("shelterId") * from "ResidentProfile" where "shelterId" = any(${ids}::uuid[])
        order by "shelterId", "asOf" desc, "createdAt" desc, id desc`
    : [];
  return shelterIds.map((id) => rows.find((r) => r.shelterId === id) ?? null);
}

/** A shelter's profiles, newest first, when the viewer may read them; null otherwise. */
export async function readableProfileHistory(
  prisma: PrismaClient,
  viewer: Viewer | null,
  shelterId: string,
  take: number,
): Promise<ResidentProfile[] | null> {
  const shelter = await prisma.shelter.findFirst({
    where: { id: shelterId, AND: [profileReadableSheltersWhere(viewer)] },
    select: { profiles: { orderBy: [...NEWEST_PROFILE_FIRST], take } },
  });
  return shelter?.profiles ?? null;
}
