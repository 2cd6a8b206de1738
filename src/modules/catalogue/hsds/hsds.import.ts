/**
 * Loading HSDS 3.0 documents into one organisation's catalogue (the target): a service, an
 * organization with its services and locations, a list of either, or an API Page (`contents`).
 *
 * - Each object is validated against the official compiled schema of its kind before mapping;
 *   an invalid service, or one whose data does not fit the catalogue, is rejected with the reason
 *   and the others still import. Each service is one transaction (its sites, its offer, their
 *   change-log entries): a rejected service writes nothing.
 * - Idempotent by HSDS id (Offer.hsdsId, Site.hsdsId, unique per organisation): a second import
 *   updates in place, bumps `version` and logs a change only when a mapped field differs.
 * - A property absent from the document leaves its field as it is, so that a list item (which
 *   HSDS lets omit child arrays) does not wipe schedules or sites; a property present, even null
 *   or empty, sets it. Text goes into the import language (French by default) next to the other
 *   translations; `x_translations`, as Maillage itself serves it, replaces them whole.
 * - Themes are matched by taxonomy term id or code and never created; unknown terms, places
 *   outside Luxembourg's communes and other things left out are reported as warnings.
 * - status "active" publishes the offer (with publishedAt) if it meets the publishing rules
 *   (a title, a theme, a site or service area: see offer.service.ts); anything else is a draft.
 *   An offer that the organisation paused or withdrew keeps that status.
 *
 * The steps, one file each: validation against the official schemas (hsds.import-validate.ts),
 * reading the document (hsds.import-read.ts), HSDS objects as catalogue values
 * (hsds.import-map.ts), writing them (hsds.import-write.ts); this file runs them (importHsds).
 */
import { Prisma, type PrismaClient } from '../../../generated/prisma/client.ts';
import { isLanguage, type Language } from '../translations.ts';
import { mapLocation, mapService, type MapContext } from './hsds.import-map.ts';
import { collect, idOf, Rejected } from './hsds.import-read.ts';
import { upsertSite, writeService, type Outcome, type Writer } from './hsds.import-write.ts';

/** One row the import created, updated or found unchanged. */
export interface ImportEntry {
  type: 'Offer' | 'Site';
  hsdsId: string;
  id: string;
}

export interface ImportRejection {
  hsdsId?: string;
  /** Where in the document: `$`, `$[2]`, `$.contents[0]`, `$.services[1]`… */
  path: string;
  reason: string;
}

/** Something left out of an imported object, which still imported. */
export interface ImportWarning {
  hsdsId?: string;
  path: string;
  message: string;
}

export interface ImportReport {
  created: ImportEntry[];
  updated: ImportEntry[];
  unchanged: ImportEntry[];
  rejected: ImportRejection[];
  warnings: ImportWarning[];
}

export interface ImportOptions {
  /** Recorded as the author of every change-log entry. */
  actorUserId?: string;
  /** Language of the document's plain text fields (default French). */
  language?: Language;
  /** Do everything, report it, then roll each transaction back. */
  dryRun?: boolean;
}

// ---------------------------------------------------------------------------------------------
// The import
// ---------------------------------------------------------------------------------------------

/** Rolls a dry run's transaction back, carrying what it would have done. */
class DryRun extends Error {
  constructor(readonly outcomes: Outcome[]) {
    super('dry run');
  }
}

/** Runs `fn` in a transaction, or in one rolled back at the end for a dry run. */
async function transaction(
  prisma: PrismaClient,
  dryRun: boolean,
  fn: (tx: Prisma.TransactionClient) => Promise<Outcome[]>,
): Promise<Outcome[]> {
  try {
    return await prisma.$transaction(
      async (tx) => {
        const outcomes = await fn(tx);
        if (dryRun) throw new DryRun(outcomes);
        return outcomes;
      },
      { timeout: 30_000 },
    );
  } catch (err) {
    if (err instanceof DryRun) return err.outcomes;
    throw err;
  }
}

/**
 * Imports an HSDS 3.0 document into the organisation `organisationId`. Throws only when the
 * organisation does not exist or the database fails; everything about the document is in the
 * report.
 */
export async function importHsds(
  prisma: PrismaClient,
  organisationId: string,
  document: unknown,
  opts: ImportOptions = {},
): Promise<ImportReport> {
  const org = /^[0-9a-f-]{36}$/i.test(organisationId)
    ? await prisma.organisation.findUnique({ where: { id: organisationId }, select: { id: true } })
    : null;
  if (!org) throw new Error(`No organisation with id "${organisationId}".`);
  if (opts.language !== undefined && !isLanguage(opts.language))
    throw new Error(`Unknown language ${JSON.stringify(opts.language)}.`);

  const found = collect(document);
  const themes = await prisma.theme.findMany({ select: { id: true, code: true } });
  const report: ImportReport = {
    created: [],
    updated: [],
    unchanged: [],
    rejected: found.rejected,
    warnings: found.warnings,
  };
  const statusOf = new Map<string, Outcome>();
  const record = (outcomes: Outcome[]) => {
    // A site shared by several services is reported once, with its strongest outcome.
    const rank = { created: 2, updated: 1, unchanged: 0 };
    for (const o of outcomes) {
      const k = `${o.type}:${o.hsdsId}`;
      const seen = statusOf.get(k);
      if (!seen || rank[o.status] > rank[seen.status]) statusOf.set(k, o);
    }
  };
  const newContext = (): MapContext => ({
    language: opts.language ?? 'fr',
    themesById: new Map(themes.map((t) => [t.id, t])),
    themesByCode: new Map(themes.map((t) => [t.code, t])),
    warnings: [],
  });
  const writer = (tx: Prisma.TransactionClient): Writer => ({
    tx,
    organisationId: org.id,
    actorUserId: opts.actorUserId,
  });
  const dryRun = opts.dryRun ?? false;

  for (const { doc, path } of found.locations) {
    const ctx = newContext();
    try {
      const loc = mapLocation(doc, path, ctx);
      if (loc) record(await transaction(prisma, dryRun, async (tx) => [await upsertSite(writer(tx), loc)]));
      report.warnings.push(...ctx.warnings);
    } catch (err) {
      report.rejected.push({
        hsdsId: idOf(doc),
        path: err instanceof Rejected ? err.path : path,
        reason: reasonOf(err),
      });
    }
  }

  for (const { doc, path } of found.services) {
    const ctx = newContext();
    try {
      const svc = mapService(doc, path, ctx);
      record(await transaction(prisma, dryRun, (tx) => writeService(writer(tx), svc, ctx)));
      report.warnings.push(...ctx.warnings);
    } catch (err) {
      report.rejected.push({
        hsdsId: idOf(doc),
        path: err instanceof Rejected ? err.path : path,
        reason: reasonOf(err),
      });
    }
  }

  for (const o of statusOf.values()) report[o.status].push({ type: o.type, hsdsId: o.hsdsId, id: o.id });
  return report;
}

/** A rejection's reason; errors that are not about the document propagate. */
function reasonOf(err: unknown): string {
  if (err instanceof Rejected) return err.message;
  if (err instanceof Prisma.PrismaClientKnownRequestError && err.code === 'P2002') {
    return 'another import wrote the same HSDS id at the same time: import again';
  }
  throw err;
}
