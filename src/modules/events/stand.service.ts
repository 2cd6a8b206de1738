/**
 * Stands ("who did what"): an organisation's team at an edition, its project, the catalogue offers
 * it presented and what worked. Who sets one up: events.access.ts#maySetUpStand; who changes it:
 * #editableStandsWhere (the organisation's admins, the edition's organisers). Each change is one
 * transaction that checks who asks before it locks the stand, then its version, or writes nothing.
 *
 * Links follow the rules of what they point to: an offer must be one the viewer may see
 * (catalogue.access.ts) and of the stand's organisation; a team member a registration the viewer
 * may see (#visibleRegistrationsWhere), REGISTERED for the same edition, and of the stand's
 * organisation unless the organisers add them. Links the viewer cannot see are kept as they are.
 */
import { Prisma, type PrismaClient, type Stand } from '../../generated/prisma/client.ts';
import {
  ForbiddenError,
  InvalidInputError,
  NotFoundError,
  VersionConflictError,
  type FieldProblem,
} from '../../shared/errors.ts';
import { asUuid } from '../../shared/ids.ts';
import type { Viewer } from '../accounts/viewer.ts';
import { visibleOffersWhere } from '../catalogue/catalogue.access.ts';
import type { Translations } from '../catalogue/translations.ts';
import {
  editableStandsWhere,
  maySetUpStand,
  organises,
  visibleEditionsWhere,
  visibleRegistrationsWhere,
  visibleStandsWhere,
} from './events.access.ts';

/** A figure of what worked: "people met", 120. */
export interface StandFigure {
  label: Translations;
  value: number;
}

export interface StandFields {
  /** On the floor plan ("12", "B4"); unique in the edition. Null: none yet. */
  number?: string | null;
  title?: Translations;
  description?: Translations | null;
  /** What worked, in words. */
  results?: Translations | null;
  figures?: StandFigure[] | null;
  offerIds?: string[] | null;
  teamRegistrationIds?: string[] | null;
}

export interface CreateStandInput extends StandFields {
  editionId: string;
  organisationId: string;
  title: Translations;
}

/** Stand numbers: letters, digits, and - . / between them ("12", "B4", "A-12"). */
export const STAND_NUMBER = /^[\p{L}\p{N}](?:[\p{L}\p{N}./-]{0,18}[\p{L}\p{N}])?$/u;

type Db = PrismaClient | Prisma.TransactionClient;

const invalid = (problems: FieldProblem[]) => new InvalidInputError(null, problems);
const numberTaken = () =>
  invalid([
    {
      path: ['input', 'number'],
      message: 'is already the number of another stand of this edition',
      reason: 'TAKEN',
    },
  ]);

function isUniqueViolation(error: unknown): boolean {
  return error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002';
}

const jsonOrNull = (value: object | null) =>
  value === null ? Prisma.DbNull : (value as Prisma.InputJsonValue);
const nonEmpty = (t: Translations | null | undefined) => (t && Object.keys(t).length > 0 ? t : null);

/** The stand's edition as the rules need it. */
interface EditionFacts {
  id: string;
  organisationId: string;
}

/** A stand number, trimmed; problems when it is malformed or taken in the edition. */
async function numberProblems(
  db: Db,
  editionId: string,
  number: string | null | undefined,
  standId: string | null,
): Promise<FieldProblem[]> {
  if (number == null) return [];
  if (!STAND_NUMBER.test(number)) {
    return [
      {
        path: ['input', 'number'],
        message: 'letters and digits, up to 20 (such as 12 or B4)',
        reason: 'FORMAT',
      },
    ];
  }
  const taken = await db.stand.findFirst({
    where: { editionId, number, ...(standId ? { NOT: { id: standId } } : {}) },
    select: { id: true },
  });
  return taken ? numberTaken().fields : [];
}

/**
 * The offers to link: each must be one the viewer may see and of the stand's organisation. An
 * offer the viewer may not see answers like an unknown one.
 */
async function offerLinks(
  db: Db,
  viewer: Viewer | null,
  standOrganisationId: string,
  ids: readonly string[],
  problems: FieldProblem[],
): Promise<string[]> {
  const wanted = [...new Set(ids.map(asUuid))];
  const found = await db.offer.findMany({
    where: { id: { in: wanted }, AND: [visibleOffersWhere(viewer)] },
    select: { id: true, organisationId: true },
  });
  const byId = new Map(found.map((o) => [o.id, o]));
  ids.forEach((raw, i) => {
    const offer = byId.get(asUuid(raw));
    const path = ['input', 'offerIds', String(i)];
    if (!offer) problems.push({ path, message: 'no offer with this ID', reason: 'NOT_FOUND' });
    else if (offer.organisationId !== standOrganisationId)
      problems.push({
        path,
        message: 'is an offer of another organisation than the stand’s',
        reason: 'OTHER_ORGANISATION',
      });
  });
  return wanted.filter((id) => byId.get(id)?.organisationId === standOrganisationId);
}

/**
 * The team to set: registrations the viewer may see, REGISTERED for this edition, and of the
 * stand's organisation unless the viewer organises the edition. Any other ID answers like an
 * unknown one.
 */
async function teamLinks(
  db: Db,
  viewer: Viewer | null,
  edition: EditionFacts,
  standOrganisationId: string,
  ids: readonly string[],
  problems: FieldProblem[],
): Promise<string[]> {
  const wanted = [...new Set(ids.map(asUuid))];
  const found = await db.registration.findMany({
    where: { id: { in: wanted }, editionId: edition.id, AND: [visibleRegistrationsWhere(viewer)] },
    select: { id: true, organisationId: true, status: true },
  });
  const byId = new Map(found.map((r) => [r.id, r]));
  const organiser = organises(viewer, edition.organisationId);
  const ok = new Set<string>();
  ids.forEach((raw, i) => {
    const r = byId.get(asUuid(raw));
    const path = ['input', 'teamRegistrationIds', String(i)];
    if (!r)
      problems.push({ path, message: 'no registration for this edition with this ID', reason: 'NOT_FOUND' });
    else if (r.status !== 'REGISTERED')
      problems.push({ path, message: 'this registration is cancelled', reason: 'CANCELLED' });
    else if (!organiser && r.organisationId !== standOrganisationId)
      problems.push({
        path,
        message: 'is registered with another organisation than the stand’s (the organisers can add them)',
        reason: 'OTHER_ORGANISATION',
      });
    else ok.add(r.id);
  });
  return [...ok];
}

function figureProblems(figures: StandFigure[] | null | undefined): FieldProblem[] {
  const problems: FieldProblem[] = [];
  figures?.forEach((f, i) => {
    if (Object.keys(f.label).length === 0)
      problems.push({
        path: ['input', 'figures', String(i), 'label'],
        message: 'needs a label',
        reason: 'REQUIRED',
      });
    if (!Number.isFinite(f.value))
      problems.push({
        path: ['input', 'figures', String(i), 'value'],
        message: 'must be a number',
        reason: 'FORMAT',
      });
  });
  return problems;
}

const figuresJson = (figures: StandFigure[]) => figures.map((f) => ({ label: f.label, value: f.value }));

/**
 * Sets up a stand of an organisation at an edition: by the edition's organisers for any
 * organisation, or by the admins of an invited organisation for their own.
 */
export async function createStand(
  prisma: PrismaClient,
  viewer: Viewer | null,
  input: CreateStandInput,
): Promise<Stand> {
  const edition = await prisma.eventEdition.findFirst({
    where: { id: asUuid(input.editionId), AND: [visibleEditionsWhere(viewer)] },
    select: { id: true, organisationId: true, invitations: { select: { organisationId: true } } },
  });
  if (!edition) throw new NotFoundError('event edition');
  const organisation = await prisma.organisation.findUnique({
    where: { id: asUuid(input.organisationId) },
    select: { id: true },
  });
  if (!organisation) throw new NotFoundError('organisation');
  const facts = {
    organisationId: edition.organisationId,
    invitedOrganisationIds: edition.invitations.map((i) => i.organisationId),
  };
  if (!maySetUpStand(viewer, facts, organisation.id)) {
    throw new ForbiddenError(
      'set up this stand (the edition’s organisers do, or the admins of an invited organisation for their own)',
    );
  }

  const number = input.number?.trim() || null;
  const problems = [
    ...(await numberProblems(prisma, edition.id, number, null)),
    ...figureProblems(input.figures),
  ];
  if (Object.keys(input.title).length === 0)
    problems.push({
      path: ['input', 'title'],
      message: 'needs a title in at least one language',
      reason: 'REQUIRED',
    });
  const offerIds = await offerLinks(prisma, viewer, organisation.id, input.offerIds ?? [], problems);
  const team = await teamLinks(
    prisma,
    viewer,
    edition,
    organisation.id,
    input.teamRegistrationIds ?? [],
    problems,
  );
  if (problems.length > 0) throw invalid(problems);

  try {
    return await prisma.stand.create({
      data: {
        editionId: edition.id,
        organisationId: organisation.id,
        number,
        title: input.title,
        description: jsonOrNull(nonEmpty(input.description)),
        results: jsonOrNull(nonEmpty(input.results)),
        figures: figuresJson(input.figures ?? []),
        offers: { connect: offerIds.map((id) => ({ id })) },
        team: { create: team.map((registrationId) => ({ registrationId })) },
      },
    });
  } catch (error) {
    // Two stands given the same number at once: the unique index decides.
    if (isUniqueViolation(error)) throw numberTaken();
    throw error;
  }
}

/**
 * Finds a stand for a change and locks it. Who asks is checked first, so that a stand the viewer
 * may not change is never locked: one they may see is forbidden, any other reads as unknown.
 */
async function lockStand(tx: Prisma.TransactionClient, viewer: Viewer | null, id: string) {
  const uuid = asUuid(id);
  const editable = await tx.stand.findFirst({
    where: { id: uuid, AND: [editableStandsWhere(viewer)] },
    select: { id: true },
  });
  if (!editable) {
    const seen = await tx.stand.findFirst({
      where: { id: uuid, AND: [visibleStandsWhere(viewer)] },
      select: { id: true },
    });
    throw seen
      ? new ForbiddenError('change this stand (its organisation’s admins and the edition’s organisers do)')
      : new NotFoundError('stand');
  }
  await tx.$queryRaw`select id from "Stand" where id = ${editable.id}::uuid for update`;
  return tx.stand.findUniqueOrThrow({
    where: { id: editable.id },
    include: {
      edition: { select: { id: true, organisationId: true } },
      offers: { select: { id: true } },
      team: { select: { registrationId: true } },
    },
  });
}

/**
 * Changes a stand: fields left out stay, null clears. `offerIds` and `teamRegistrationIds` replace
 * the links the viewer may see; links to offers or registrations they may not see stay as they
 * are. A stale `expectedVersion` is a VersionConflictError and changes nothing.
 */
export function updateStand(
  prisma: PrismaClient,
  viewer: Viewer | null,
  id: string,
  expectedVersion: number,
  changes: StandFields,
): Promise<Stand> {
  return prisma
    .$transaction(async (tx) => {
      const stand = await lockStand(tx, viewer, id);
      if (expectedVersion !== stand.version) throw new VersionConflictError(expectedVersion, stand.version);

      const number = changes.number === undefined ? undefined : changes.number?.trim() || null;
      const problems = [
        ...(number === undefined ? [] : await numberProblems(tx, stand.editionId, number, stand.id)),
        ...figureProblems(changes.figures),
      ];
      if (changes.title !== undefined && Object.keys(changes.title).length === 0)
        problems.push({
          path: ['input', 'title'],
          message: 'needs a title in at least one language',
          reason: 'REQUIRED',
        });

      const data: Prisma.StandUpdateInput = { version: { increment: 1 } };
      if (number !== undefined) data.number = number;
      if (changes.title !== undefined) data.title = changes.title;
      if (changes.description !== undefined) data.description = jsonOrNull(nonEmpty(changes.description));
      if (changes.results !== undefined) data.results = jsonOrNull(nonEmpty(changes.results));
      if (changes.figures !== undefined) data.figures = figuresJson(changes.figures ?? []);

      if (changes.offerIds !== undefined) {
        const given = await offerLinks(tx, viewer, stand.organisationId, changes.offerIds ?? [], problems);
        const linked = stand.offers.map((o) => o.id);
        const seen = new Set(
          (
            await tx.offer.findMany({
              where: { id: { in: linked }, AND: [visibleOffersWhere(viewer)] },
              select: { id: true },
            })
          ).map((o) => o.id),
        );
        const kept = linked.filter((o) => !seen.has(o));
        data.offers = { set: [...new Set([...kept, ...given])].map((o) => ({ id: o })) };
      }
      let team: string[] | undefined;
      if (changes.teamRegistrationIds !== undefined) {
        const given = await teamLinks(
          tx,
          viewer,
          stand.edition,
          stand.organisationId,
          changes.teamRegistrationIds ?? [],
          problems,
        );
        const members = stand.team.map((m) => m.registrationId);
        const seen = new Set(
          (
            await tx.registration.findMany({
              where: { id: { in: members }, AND: [visibleRegistrationsWhere(viewer)] },
              select: { id: true },
            })
          ).map((r) => r.id),
        );
        team = [...new Set([...members.filter((m) => !seen.has(m)), ...given])];
      }
      if (problems.length > 0) throw invalid(problems);

      if (team !== undefined) {
        await tx.standMember.deleteMany({ where: { standId: stand.id } });
        await tx.standMember.createMany({
          data: team.map((registrationId) => ({ standId: stand.id, registrationId })),
        });
      }
      return tx.stand.update({ where: { id: stand.id }, data });
    })
    .catch((error: unknown) => {
      if (isUniqueViolation(error)) throw numberTaken();
      throw error;
    });
}
