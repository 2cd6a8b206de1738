/**
 * Offer rules: create, update with optimistic locking, publish / pause / withdraw, the quick
 * capacity path. Each change is one transaction that checks who asks, writes the offer and its
 * change-log entry, or writes nothing.
 */
import type { Offer, Prisma, PrismaClient } from '../../generated/prisma/client.ts';
import type { Audience, CostKind, OfferStatus } from '../../generated/prisma/enums.ts';
import {
  type FieldProblem,
  InvalidInputError,
  NotFoundError,
  UnknownThemeError,
  VersionConflictError,
} from '../../shared/errors.ts';
import { asUuid } from '../../shared/ids.ts';
import type { Viewer } from '../accounts/viewer.ts';
import {
  assertCanEditCatalogue,
  canEditCatalogue,
  catalogueEditForbidden,
  editableOffersSql,
  visibleOffersWhere,
} from './catalogue.access.ts';
import { OfferNotPublishableError, OfferStatusError, UnknownCommuneError } from './catalogue.errors.ts';
import { recordChange } from './change-log.ts';
import { canonicalCommune } from './communes.ts';
import type { ScheduleEntry } from './schedule.ts';
import { asTranslations, type Translations } from './translations.ts';

/** Editable fields; in an update, absent means unchanged and null means cleared. */
export interface OfferFields {
  title?: Translations;
  description?: Translations | null;
  themeCodes?: string[];
  audiences?: Audience[];
  minAge?: number | null;
  maxAge?: number | null;
  eligibility?: Translations | null;
  languages?: string[];
  costKind?: CostKind;
  costDescription?: Translations | null;
  siteIds?: string[];
  serviceArea?: string[];
  schedule?: ScheduleEntry[] | null;
  contactName?: string | null;
  contactEmail?: string | null;
  contactPhone?: string | null;
  website?: string | null;
  capacityPlaces?: number | null;
  waitlist?: boolean;
  acceptsReferrals?: boolean;
  referralRequirements?: Translations | null;
  responseDays?: number;
}

const withRelations = { themes: { select: { code: true } }, sites: { select: { id: true } } } as const;
type OfferWithRelations = Prisma.OfferGetPayload<{ include: typeof withRelations }>;

/** What the change log keeps of an offer. */
function snapshot(o: OfferWithRelations): Record<string, unknown> {
  // Derived columns (search document, facets) and timestamps are not changes of their own.
  const { themes, sites, themePath: _p, communes: _c, createdAt: _ca, updatedAt: _ua, ...rest } = o;
  return {
    ...rest,
    capacityUpdatedAt: rest.capacityUpdatedAt?.toISOString() ?? null,
    publishedAt: rest.publishedAt?.toISOString() ?? null,
    themes: themes.map((t) => t.code).sort(),
    siteIds: sites.map((s) => s.id).sort(),
  };
}

/** Theme ids for codes; unknown codes are a typed error. */
async function themeIds(db: Prisma.TransactionClient, codes: string[]): Promise<{ id: string }[]> {
  const unique = [...new Set(codes)];
  const found = await db.theme.findMany({
    where: { code: { in: unique } },
    select: { id: true, code: true },
  });
  const missing = unique.filter((c) => !found.some((f) => f.code === c));
  if (missing.length > 0) throw new UnknownThemeError(missing, ['input', 'themes']);
  return found.map(({ id }) => ({ id }));
}

/** Sites must belong to the offer's organisation; others read as not found. */
async function siteIds(
  db: Prisma.TransactionClient,
  organisationId: string,
  ids: string[],
): Promise<{ id: string }[]> {
  const unique = [...new Set(ids.map(asUuid))];
  const found = await db.site.findMany({
    where: { id: { in: unique }, organisationId },
    select: { id: true },
  });
  if (found.length !== unique.length) throw new NotFoundError('site');
  return found;
}

export function canonicalCommunes(names: string[], field: string[] = ['input', 'serviceArea']): string[] {
  const unknown = names.filter((n) => canonicalCommune(n) === null);
  if (unknown.length > 0) throw new UnknownCommuneError(unknown, field);
  return [...new Set(names.map((n) => canonicalCommune(n)!))];
}

function checkAges(minAge: number | null | undefined, maxAge: number | null | undefined): void {
  if (minAge != null && maxAge != null && minAge > maxAge) {
    throw new InvalidInputError('Some fields are invalid.', [
      { path: ['input', 'maxAge'], message: 'must not be below minAge' },
    ]);
  }
}

/** Prisma data for the plain columns among `fields`. */
function columns(fields: OfferFields): Prisma.OfferUpdateInput {
  const { themeCodes: _t, siteIds: _s, serviceArea, schedule, ...plain } = fields;
  const json = (v: unknown) => (v === null ? ({} as Prisma.InputJsonValue) : (v as Prisma.InputJsonValue));
  const data: Prisma.OfferUpdateInput = {};
  for (const [key, value] of Object.entries(plain)) {
    if (value === undefined) continue;
    (data as Record<string, unknown>)[key] = [
      'title',
      'description',
      'eligibility',
      'costDescription',
      'referralRequirements',
    ].includes(key)
      ? json(value)
      : value;
  }
  if (serviceArea !== undefined) data.serviceArea = canonicalCommunes(serviceArea);
  if (schedule !== undefined) data.schedule = schedule === null ? [] : schedule;
  if (fields.capacityPlaces !== undefined) data.capacityUpdatedAt = new Date();
  return data;
}

/** Creates a draft offer in an organisation's catalogue. */
export async function createOffer(
  prisma: PrismaClient,
  viewer: Viewer | null,
  organisationId: string,
  fields: OfferFields & { title: Translations },
): Promise<Offer> {
  const org = await prisma.organisation.findUnique({
    where: { id: asUuid(organisationId) },
    select: { id: true },
  });
  if (!org) throw new NotFoundError('organisation');
  assertCanEditCatalogue(viewer, org.id);
  checkAges(fields.minAge, fields.maxAge);
  return prisma.$transaction(async (tx) => {
    const offer = await tx.offer.create({
      data: {
        ...(columns(fields) as Prisma.OfferUncheckedCreateInput),
        organisationId: org.id,
        title: fields.title,
        themes: { connect: await themeIds(tx, fields.themeCodes ?? []) },
        sites: { connect: await siteIds(tx, org.id, fields.siteIds ?? []) },
      },
      include: withRelations,
    });
    await recordChange(tx, {
      viewer,
      organisationId: org.id,
      entityType: 'Offer',
      entityId: offer.id,
      action: 'CREATE',
      before: null,
      after: snapshot(offer),
    });
    return offer;
  });
}

/**
 * Loads an offer the viewer may edit, inside a transaction, locking its row. Authorised before
 * locking: the rule is in the locking statement's WHERE, so a row the caller may not change is
 * never locked (nor waited for). An offer the viewer may not see then reads as not found, exactly
 * like an unknown id; one they may see but not edit is forbidden (a plain read, no lock).
 */
async function editable(tx: Prisma.TransactionClient, viewer: Viewer | null, id: string) {
  const uuid = asUuid(id);
  const rows = await tx.$queryRaw<{ id: string }[]>`select o.id from "Offer" o
    where o.id = ${uuid}::uuid and ${editableOffersSql(viewer, 'o')} for update`;
  if (!rows[0]) {
    const seen = await tx.offer.findFirst({
      where: { id: uuid, AND: [visibleOffersWhere(viewer)] },
      select: { id: true },
    });
    throw seen ? catalogueEditForbidden() : new NotFoundError('offer');
  }
  return tx.offer.findUniqueOrThrow({ where: { id: rows[0].id }, include: withRelations });
}

function checkVersion(offer: { version: number }, expected: number | null | undefined): void {
  if (expected != null && expected !== offer.version) throw new VersionConflictError(expected, offer.version);
}

/** Applies a change to an offer (version + 1) and logs it. */
async function change(
  tx: Prisma.TransactionClient,
  viewer: Viewer | null,
  before: OfferWithRelations,
  action: string,
  data: Prisma.OfferUpdateInput,
  bumpVersion = true,
): Promise<Offer> {
  const after = await tx.offer.update({
    where: { id: before.id },
    data: { ...data, ...(bumpVersion ? { version: { increment: 1 } } : {}) },
    include: withRelations,
  });
  await recordChange(tx, {
    viewer,
    organisationId: before.organisationId,
    entityType: 'Offer',
    entityId: before.id,
    action,
    before: snapshot(before),
    after: snapshot(after),
  });
  return after;
}

/** Updates an offer's fields; `expectedVersion` must be the version the client read. */
export function updateOffer(
  prisma: PrismaClient,
  viewer: Viewer | null,
  id: string,
  expectedVersion: number,
  fields: OfferFields,
): Promise<Offer> {
  return prisma.$transaction(async (tx) => {
    const offer = await editable(tx, viewer, id);
    checkVersion(offer, expectedVersion);
    checkAges(
      fields.minAge === undefined ? offer.minAge : fields.minAge,
      fields.maxAge === undefined ? offer.maxAge : fields.maxAge,
    );
    const data = columns(fields);
    if (fields.themeCodes) data.themes = { set: await themeIds(tx, fields.themeCodes) };
    if (fields.siteIds) {
      // Only the links that change: Prisma's `set` removes and re-adds every link, which the
      // guide alert triggers (migration `guide_alerts`) would read as a change of sites.
      const wanted = await siteIds(tx, offer.organisationId, fields.siteIds);
      const current = await tx.site.findMany({
        where: { offers: { some: { id: offer.id } } },
        select: { id: true },
      });
      const has = new Set(current.map((s) => s.id));
      const keep = new Set(wanted.map((s) => s.id));
      const connect = wanted.filter((s) => !has.has(s.id));
      const disconnect = current.filter((s) => !keep.has(s.id));
      if (connect.length || disconnect.length) data.sites = { connect, disconnect };
    }
    return change(tx, viewer, offer, 'UPDATE', data);
  });
}

/** What publishing requires, as field errors (empty when publishable). */
export function publishProblems(offer: OfferWithRelations): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (Object.keys(asTranslations(offer.title)).length === 0) {
    problems.push({ path: ['title'], message: 'needs a title in at least one language', reason: 'REQUIRED' });
  }
  if (offer.themes.length === 0) {
    problems.push({ path: ['themes'], message: 'needs at least one theme', reason: 'REQUIRED' });
  }
  if (offer.sites.length === 0 && offer.serviceArea.length === 0) {
    problems.push({ path: ['sites'], message: 'needs a site or a service area', reason: 'REQUIRED' });
  }
  return problems;
}

const TRANSITIONS: Record<
  'publish' | 'pause' | 'withdraw',
  { from: OfferStatus[]; to: OfferStatus; verb: string }
> = {
  publish: { from: ['DRAFT', 'PAUSED'], to: 'PUBLISHED', verb: 'published' },
  pause: { from: ['PUBLISHED'], to: 'PAUSED', verb: 'paused' },
  withdraw: { from: ['DRAFT', 'PUBLISHED', 'PAUSED'], to: 'WITHDRAWN', verb: 'withdrawn' },
};

/** publish / pause / withdraw. Publishing validates the offer first. */
export function setOfferStatus(
  prisma: PrismaClient,
  viewer: Viewer | null,
  id: string,
  step: keyof typeof TRANSITIONS,
  expectedVersion?: number | null,
): Promise<Offer> {
  const { from, to, verb } = TRANSITIONS[step];
  return prisma.$transaction(async (tx) => {
    const offer = await editable(tx, viewer, id);
    checkVersion(offer, expectedVersion);
    if (!from.includes(offer.status)) throw new OfferStatusError(offer.status, verb);
    if (step === 'publish') {
      const problems = publishProblems(offer);
      if (problems.length > 0) throw new OfferNotPublishableError(problems);
    }
    return change(tx, viewer, offer, step.toUpperCase(), {
      status: to,
      ...(step === 'publish' ? { publishedAt: new Date() } : {}),
    });
  });
}

/**
 * The quick "free places now" path. It does not bump the version, so that an editor's open form
 * does not conflict with the front desk updating places.
 */
export function updateOfferCapacity(
  prisma: PrismaClient,
  viewer: Viewer | null,
  id: string,
  capacity: { free: number; places?: number | null | undefined; waitlist?: boolean | null | undefined },
): Promise<Offer> {
  return prisma.$transaction(async (tx) => {
    const offer = await editable(tx, viewer, id);
    const places = capacity.places === undefined ? offer.capacityPlaces : capacity.places;
    if (places != null && capacity.free > places) {
      throw new InvalidInputError('Some fields are invalid.', [
        { path: ['input', 'free'], message: `cannot exceed the ${places} places` },
      ]);
    }
    return change(
      tx,
      viewer,
      offer,
      'CAPACITY',
      {
        capacityFree: capacity.free,
        capacityPlaces: places,
        ...(capacity.waitlist == null ? {} : { waitlist: capacity.waitlist }),
        capacityUpdatedAt: new Date(),
      },
      false,
    );
  });
}

export { canEditCatalogue };
