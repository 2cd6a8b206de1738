/** Sites (places where offers are delivered): created and updated by the owning organisation. */
import type { Prisma, PrismaClient, Site } from '../../generated/prisma/client.ts';
import { NotFoundError, VersionConflictError } from '../../shared/errors.ts';
import { asUuid } from '../../shared/ids.ts';
import type { Viewer } from '../accounts/viewer.ts';
import {
  assertCanEditCatalogue,
  catalogueEditForbidden,
  catalogueEditorOrganisationIds,
} from './catalogue.access.ts';
import { UnknownCommuneError } from './catalogue.errors.ts';
import { recordChange } from './change-log.ts';
import { canonicalCommune } from './communes.ts';
import type { Translations } from './translations.ts';

export interface SiteFields {
  name?: string;
  street?: string | null;
  postcode?: string | null;
  commune?: string;
  quarter?: string | null;
  latitude?: number | null;
  longitude?: number | null;
  wheelchairAccessible?: boolean | null;
  accessibility?: Translations | null;
  openingHours?: { weekday: number; opens: string; closes: string }[] | null;
}

function data(fields: SiteFields): Prisma.SiteUpdateInput {
  const out: Prisma.SiteUpdateInput = {};
  for (const [key, value] of Object.entries(fields)) {
    if (value === undefined) continue;
    (out as Record<string, unknown>)[key] =
      (key === 'accessibility' || key === 'openingHours') && value === null ? [] : value;
  }
  if (fields.commune !== undefined) {
    const commune = canonicalCommune(fields.commune);
    if (!commune) throw new UnknownCommuneError([fields.commune], ['input', 'commune']);
    out.commune = commune;
  }
  return out;
}

const snapshot = ({ createdAt: _c, updatedAt: _u, ...rest }: Site) => rest as Record<string, unknown>;

export async function createSite(
  prisma: PrismaClient,
  viewer: Viewer | null,
  organisationId: string,
  fields: SiteFields & { name: string; commune: string },
): Promise<Site> {
  const org = await prisma.organisation.findUnique({
    where: { id: asUuid(organisationId) },
    select: { id: true },
  });
  if (!org) throw new NotFoundError('organisation');
  assertCanEditCatalogue(viewer, org.id);
  const values = data(fields) as Prisma.SiteUncheckedCreateInput;
  return prisma.$transaction(async (tx) => {
    const site = await tx.site.create({ data: { ...values, organisationId: org.id } });
    await recordChange(tx, {
      viewer,
      organisationId: org.id,
      entityType: 'Site',
      entityId: site.id,
      action: 'CREATE',
      before: null,
      after: snapshot(site),
    });
    return site;
  });
}

export function updateSite(
  prisma: PrismaClient,
  viewer: Viewer | null,
  id: string,
  expectedVersion: number,
  fields: SiteFields,
): Promise<Site> {
  const values = data(fields);
  const uuid = asUuid(id);
  return prisma.$transaction(async (tx) => {
    // Authorised before locking: only a site of an organisation whose catalogue the caller edits is
    // locked. Sites are public, so any other existing site is forbidden (a plain read, no lock).
    const rows = await tx.$queryRaw<{ id: string }[]>`select id from "Site"
      where id = ${uuid}::uuid
        and "organisationId" = ANY(${catalogueEditorOrganisationIds(viewer)}::uuid[])
      for update`;
    if (!rows[0]) {
      const exists = await tx.site.count({ where: { id: uuid } });
      throw exists ? catalogueEditForbidden() : new NotFoundError('site');
    }
    const site = await tx.site.findUniqueOrThrow({ where: { id: rows[0].id } });
    if (site.version !== expectedVersion) throw new VersionConflictError(expectedVersion, site.version);
    const after = await tx.site.update({
      where: { id: site.id },
      data: { ...values, version: { increment: 1 } },
    });
    await recordChange(tx, {
      viewer,
      organisationId: site.organisationId,
      entityType: 'Site',
      entityId: site.id,
      action: 'UPDATE',
      before: snapshot(site),
      after: snapshot(after),
    });
    return after;
  });
}
