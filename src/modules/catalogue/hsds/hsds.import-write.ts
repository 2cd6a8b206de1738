/**
 * HSDS import, step 4: writing the mapped values: sites and offers created or updated by HSDS id,
 * with their change-log entries (see hsds.import.ts for the whole import).
 */
import { Prisma, type Site } from '../../../generated/prisma/client.ts';
import type { CostKind, OfferStatus } from '../../../generated/prisma/enums.ts';
import type { ImportEntry } from './hsds.import.ts';
import {
  applyText,
  warn,
  type MapContext,
  type MappedLocation,
  type MappedService,
} from './hsds.import-map.ts';
import { isObject, Rejected, type Json } from './hsds.import-read.ts';

type Status = 'created' | 'updated' | 'unchanged';
export interface Outcome extends ImportEntry {
  status: Status;
}

/** JSON with sorted keys: PostgreSQL's jsonb does not keep key order, so compare this way. */
function stable(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) =>
    isObject(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b))) : v,
  );
}

/** Empty objects and arrays read as null: the catalogue stores a cleared field either way. */
function normal(value: unknown): unknown {
  if (value === undefined) return null;
  if (Array.isArray(value) && value.length === 0) return null;
  if (isObject(value) && Object.keys(value).length === 0) return null;
  return value;
}

function diff(before: Json, after: Json): string[] {
  return Object.keys(after)
    .filter((k) => stable(normal(before[k])) !== stable(normal(after[k])))
    .sort();
}

const pick = (snapshot: Json, fields: string[]): Prisma.InputJsonObject =>
  Object.fromEntries(fields.map((f) => [f, (snapshot[f] ?? null) as Prisma.InputJsonValue | null]));

const json = (v: unknown) => (normal(v) === null ? Prisma.DbNull : (v as Prisma.InputJsonValue));

export interface Writer {
  tx: Prisma.TransactionClient;
  organisationId: string;
  actorUserId?: string;
}

async function logChange(
  w: Writer,
  entityType: 'Offer' | 'Site',
  entityId: string,
  fields: string[],
  before: Json | null,
  after: Json,
): Promise<void> {
  await w.tx.catalogueChange.create({
    data: {
      organisationId: w.organisationId,
      entityType,
      entityId,
      offerId: entityType === 'Offer' ? entityId : null,
      action: 'IMPORT',
      fields,
      before: before === null ? Prisma.DbNull : pick(before, fields),
      after: pick(after, fields),
      actorUserId: w.actorUserId ?? null,
    },
  });
}

const SITE_FIELDS = [
  'name',
  'street',
  'postcode',
  'commune',
  'quarter',
  'country',
  'latitude',
  'longitude',
  'wheelchairAccessible',
  'accessibility',
  'openingHours',
] as const;

function siteSnapshot(site: Site): Json {
  return Object.fromEntries(SITE_FIELDS.map((f) => [f, normal(site[f])]));
}

/** Creates or updates a site by HSDS id; the change log gets the fields that changed. */
export async function upsertSite(w: Writer, loc: MappedLocation): Promise<Outcome> {
  const existing = await w.tx.site.findUnique({
    where: { organisationId_hsdsId: { organisationId: w.organisationId, hsdsId: loc.hsdsId } },
  });
  const { accessibility, openingHours, wheelchairAccessible, ...plain } = loc.values;
  const before = existing ? siteSnapshot(existing) : null;
  const after: Json = {
    ...(before ?? { wheelchairAccessible: null, accessibility: null, openingHours: null }),
    ...plain,
    ...(wheelchairAccessible !== undefined ? { wheelchairAccessible } : {}),
    accessibility: applyText(existing?.accessibility, accessibility),
    ...(openingHours !== undefined ? { openingHours: normal(openingHours) } : {}),
  };
  const data = {
    ...plain,
    wheelchairAccessible: after.wheelchairAccessible as boolean | null,
    accessibility: json(after.accessibility),
    openingHours: json(after.openingHours),
  };
  const entry = { type: 'Site' as const, hsdsId: loc.hsdsId };
  if (!existing) {
    const site = await w.tx.site.create({
      data: { ...data, organisationId: w.organisationId, hsdsId: loc.hsdsId },
    });
    const fields = Object.keys(after).filter((k) => normal(after[k]) !== null);
    await logChange(w, 'Site', site.id, fields, null, after);
    return { ...entry, id: site.id, status: 'created' };
  }
  const fields = diff(before!, after);
  if (fields.length === 0) return { ...entry, id: existing.id, status: 'unchanged' };
  await w.tx.site.update({ where: { id: existing.id }, data: { ...data, version: { increment: 1 } } });
  await logChange(w, 'Site', existing.id, fields, before, after);
  return { ...entry, id: existing.id, status: 'updated' };
}

const offerInclude = {
  themes: { select: { id: true, code: true } },
  sites: { select: { id: true } },
} as const;
type ExistingOffer = Prisma.OfferGetPayload<{ include: typeof offerInclude }>;

/** The mapped fields of an offer, as compared and logged. */
function offerSnapshot(o: ExistingOffer): Json {
  return {
    title: normal(o.title),
    description: normal(o.description),
    status: o.status,
    minAge: o.minAge,
    maxAge: o.maxAge,
    eligibility: normal(o.eligibility),
    languages: [...o.languages].sort(),
    costKind: o.costKind,
    costDescription: normal(o.costDescription),
    serviceArea: [...o.serviceArea].sort(),
    schedule: normal(o.schedule),
    contactName: o.contactName,
    contactEmail: o.contactEmail,
    contactPhone: o.contactPhone,
    website: o.website,
    themes: o.themes.map((t) => t.code).sort(),
    siteIds: o.sites.map((s) => s.id).sort(),
  };
}

/** The publishing rules of offer.service.ts's publishProblems, on the imported values. */
function publishProblems(after: Json): string[] {
  const problems: string[] = [];
  if (normal(after.title) === null) problems.push('a title');
  if ((after.themes as string[]).length === 0) problems.push('a known theme');
  if ((after.siteIds as string[]).length === 0 && (after.serviceArea as string[]).length === 0) {
    problems.push('a site or a service area in Luxembourg');
  }
  return problems;
}

/** One service: its sites, then its offer, in the caller's transaction. */
export async function writeService(w: Writer, svc: MappedService, ctx: MapContext): Promise<Outcome[]> {
  const outcomes: Outcome[] = [];
  let siteIds: string[] | undefined;
  if (svc.sites) {
    siteIds = [];
    for (const loc of svc.sites.locations) {
      const outcome = await upsertSite(w, loc);
      outcomes.push(outcome);
      siteIds.push(outcome.id);
    }
    for (const ref of svc.sites.refs) {
      const site = await w.tx.site.findUnique({
        where: { organisationId_hsdsId: { organisationId: w.organisationId, hsdsId: ref } },
        select: { id: true },
      });
      if (site) siteIds.push(site.id);
      else
        warn(
          ctx,
          svc.path,
          `location ${ref} is neither in the document nor already imported: not linked`,
          svc.hsdsId,
        );
    }
    siteIds = [...new Set(siteIds)];
  }

  const key = { organisationId_hsdsId: { organisationId: w.organisationId, hsdsId: svc.hsdsId } };
  const existing = await w.tx.offer.findUnique({ where: key, include: offerInclude });
  if (existing) await w.tx.$queryRaw`SELECT id FROM "Offer" WHERE id = ${existing.id}::uuid FOR UPDATE`;
  const before = existing ? offerSnapshot(existing) : null;
  const themeCodes = svc.themeIds?.map((id) => ctx.themesById.get(id)!.code).sort();
  const keep = <T>(value: T | undefined, current: T): T => (value === undefined ? current : value);
  const after: Json = {
    title: applyText(existing?.title, svc.title),
    description: applyText(existing?.description, svc.description),
    status: existing?.status ?? 'DRAFT',
    minAge: keep(svc.minAge, existing?.minAge ?? null),
    maxAge: keep(svc.maxAge, existing?.maxAge ?? null),
    eligibility: applyText(existing?.eligibility, svc.eligibility),
    languages: keep(svc.languages, before?.languages ?? []),
    costKind: keep(svc.costKind, existing?.costKind ?? 'FREE'),
    costDescription: applyText(existing?.costDescription, svc.costDescription),
    serviceArea: keep(svc.serviceArea, before?.serviceArea ?? []),
    schedule: normal(keep<unknown>(svc.schedule, before?.schedule ?? null)),
    contactName: keep(svc.contactName, existing?.contactName ?? null),
    contactEmail: keep(svc.contactEmail, existing?.contactEmail ?? null),
    contactPhone: keep(svc.contactPhone, existing?.contactPhone ?? null),
    website: keep(svc.website, existing?.website ?? null),
    themes: keep(themeCodes, before?.themes ?? []),
    siteIds: keep(siteIds?.sort(), before?.siteIds ?? []),
  };
  const minAge = after.minAge as number | null;
  const maxAge = after.maxAge as number | null;
  if (minAge !== null && maxAge !== null && minAge > maxAge) {
    throw new Rejected(`${svc.path}.maximum_age`, 'maximum_age would be below the offer’s minimum age');
  }

  // Status: the document says whether it runs; the organisation's pause or withdrawal stands.
  const current = existing?.status;
  if (current !== 'PAUSED' && current !== 'WITHDRAWN') {
    const problems = svc.active ? publishProblems(after) : [];
    if (problems.length > 0) {
      warn(
        ctx,
        svc.path,
        `active, but imported as a draft: publishing needs ${problems.join(', ')}`,
        svc.hsdsId,
      );
    }
    after.status = (svc.active && problems.length === 0 ? 'PUBLISHED' : 'DRAFT') satisfies OfferStatus;
  }
  const publishing = after.status === 'PUBLISHED' && current !== 'PUBLISHED';
  if (publishing) after.publishedAt = new Date().toISOString();

  const themeIds = (after.themes as string[]).map((code) => ({ id: ctx.themesByCode.get(code)!.id }));
  const sites = (after.siteIds as string[]).map((id) => ({ id }));
  const data = {
    title: after.title as Prisma.InputJsonValue,
    description: json(after.description),
    status: after.status as OfferStatus,
    minAge,
    maxAge,
    eligibility: json(after.eligibility),
    languages: after.languages as string[],
    costKind: after.costKind as CostKind,
    costDescription: json(after.costDescription),
    serviceArea: after.serviceArea as string[],
    schedule: json(after.schedule),
    contactName: after.contactName as string | null,
    contactEmail: after.contactEmail as string | null,
    contactPhone: after.contactPhone as string | null,
    website: after.website as string | null,
    ...(publishing ? { publishedAt: new Date(after.publishedAt as string) } : {}),
  };
  const entry = { type: 'Offer' as const, hsdsId: svc.hsdsId };
  if (!existing) {
    const offer = await w.tx.offer.create({
      data: {
        ...data,
        organisationId: w.organisationId,
        hsdsId: svc.hsdsId,
        themes: { connect: themeIds },
        sites: { connect: sites },
      },
    });
    const fields = Object.keys(after).filter((k) => normal(after[k]) !== null);
    await logChange(w, 'Offer', offer.id, fields, null, after);
    return [...outcomes, { ...entry, id: offer.id, status: 'created' }];
  }
  const fields = diff(before!, after);
  if (fields.length === 0) return [...outcomes, { ...entry, id: existing.id, status: 'unchanged' }];
  await w.tx.offer.update({
    where: { id: existing.id },
    data: { ...data, version: { increment: 1 }, themes: { set: themeIds }, sites: { set: sites } },
  });
  await logChange(w, 'Offer', existing.id, fields, before, after);
  return [...outcomes, { ...entry, id: existing.id, status: 'updated' }];
}
