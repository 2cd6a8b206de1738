/**
 * The entries of a guide and their steps with the providing organisation (guide-item-status.ts):
 * propose, answer (confirm or decline), make regular, end, withdraw, edit. Each step is one
 * transaction that locks the item with the rule in the locking statement (a viewer who may act on
 * neither side locks nothing and waits for nothing), then checks the version, the side and the
 * transition, and writes the item, or writes nothing.
 */
import { translatedFromOf, versionsAfterWrite } from './versioned-text.ts';
import { Prisma, type GuideItem, type PrismaClient } from '../../generated/prisma/client.ts';
import type { Audience, GuideItemStatus } from '../../generated/prisma/enums.ts';
import {
  ForbiddenError,
  InvalidInputError,
  InvalidTransitionError,
  NotFoundError,
  VersionConflictError,
} from '../../shared/errors.ts';
import { asUuid } from '../../shared/ids.ts';
import type { Viewer } from '../accounts/viewer.ts';
import { visibleOffersWhere } from '../catalogue/catalogue.access.ts';
import type { ScheduleEntry } from '../catalogue/schedule.ts';
import { asTranslations, type Translations } from '../catalogue/translations.ts';
import {
  FINAL_ITEM_STATUSES,
  itemTransition,
  type GuideItemAction,
  type GuideItemSide,
} from './guide-item-status.ts';
import {
  actableGuideItemsSql,
  editableGuidesWhere,
  guideItemSides,
  visibleGuideItemsWhere,
  visibleGuidesWhere,
} from './welcome.access.ts';

const DONE: Record<GuideItemAction | 'update', string> = {
  confirm: 'confirmed',
  decline: 'declined',
  withdraw: 'withdrawn',
  makeRegular: 'made regular',
  end: 'ended',
  update: 'edited',
};

/** An item's status does not allow this step: an InvalidTransitionError worded for guide entries. */
export class GuideItemTransitionError extends InvalidTransitionError {
  constructor(status: GuideItemStatus, action: GuideItemAction | 'update') {
    super(`A guide entry that is ${status.toLowerCase()} cannot be ${DONE[action]}.`, status);
  }
}

/** "Why it matters" per language, with the source version each translation was made from. */
export interface NoteTexts {
  note: Translations;
  noteVersion: number;
  noteTranslatedFrom: Record<string, number>;
}

/**
 * Applies new texts of an item's note (languages left out stay): changing the source language's
 * text makes a new source version; every other language given records the source version it was
 * translated from (older than `noteVersion`: outdated).
 */
export function withNoteTexts(current: NoteTexts, sourceLanguage: string, given: Translations): NoteTexts {
  const note = { ...current.note };
  const source = given[sourceLanguage as keyof Translations];
  const { version: noteVersion, translatedFrom: noteTranslatedFrom } = versionsAfterWrite(
    { sourceLanguage, version: current.noteVersion, translatedFrom: current.noteTranslatedFrom },
    {
      sourceChanged: source !== undefined && source !== note[sourceLanguage as keyof Translations],
      languagesWritten: Object.keys(given),
    },
  );
  Object.assign(note, given);
  return { note, noteVersion, noteTranslatedFrom };
}

export interface ProposeGuideItemInput {
  guideId: string;
  offerId: string;
  relevanceNote: Translations;
  audiences: Audience[];
  languages: string[];
  position?: number | null;
}

/**
 * The guide side proposes an offer to its provider. The offer must be published; the provider is
 * the offer's organisation. An offer already in the guide is refused while its entry is open; an
 * entry that ended (declined, withdrawn, ended) is proposed again, as a new proposal.
 */
export async function proposeGuideItem(
  prisma: PrismaClient,
  viewer: Viewer | null,
  input: ProposeGuideItemInput,
): Promise<GuideItem> {
  const guideId = asUuid(input.guideId);
  const guide = await prisma.guide.findFirst({ where: { id: guideId, AND: [editableGuidesWhere(viewer)] } });
  if (!guide) {
    const seen = await prisma.guide.count({ where: { id: guideId, AND: [visibleGuidesWhere(viewer)] } });
    if (seen) throw new ForbiddenError("add entries to this guide: only its organisation's coordinators may");
    throw new NotFoundError('guide');
  }
  if (guide.status === 'ARCHIVED') {
    throw new InvalidTransitionError('An archived guide takes no new entries.', guide.status);
  }
  const offer = await prisma.offer.findFirst({
    where: { id: asUuid(input.offerId), AND: [visibleOffersWhere(viewer)] },
    select: { id: true, organisationId: true, status: true },
  });
  if (!offer) throw new NotFoundError('offer');
  if (offer.status !== 'PUBLISHED') {
    throw new InvalidInputError(null, [
      {
        path: ['input', 'offerId'],
        message: `must be a published offer (this one is ${offer.status.toLowerCase()})`,
      },
    ]);
  }
  // No text yet: version 0, so that the first source text is version 1.
  const texts = withNoteTexts(
    { note: {}, noteVersion: 0, noteTranslatedFrom: {} },
    guide.sourceLanguage,
    input.relevanceNote,
  );
  const data = {
    status: 'PROPOSED' as const,
    relevanceNote: texts.note,
    noteVersion: Math.max(1, texts.noteVersion),
    noteTranslatedFrom: texts.noteTranslatedFrom,
    audiences: input.audiences,
    languages: input.languages,
    proposedById: viewer?.kind === 'user' ? viewer.userId : null,
    providerOrganisationId: offer.organisationId,
  };
  const duplicate = () =>
    new InvalidInputError(null, [{ path: ['input', 'offerId'], message: 'is already in this guide' }]);
  try {
    return await prisma.$transaction(async (tx) => {
      const [earlier] = await tx.$queryRaw<{ id: string; status: GuideItemStatus }[]>`
        select id, status from "GuideItem" where "guideId" = ${guide.id}::uuid and "offerId" = ${offer.id}::uuid
        for update`;
      if (earlier && !FINAL_ITEM_STATUSES.includes(earlier.status)) throw duplicate();
      const position = input.position ?? (await tx.guideItem.count({ where: { guideId: guide.id } }));
      if (earlier) {
        // Proposed again: a new proposal on the same entry (its attendance history stays).
        return tx.guideItem.update({
          where: { id: earlier.id },
          data: {
            ...data,
            position,
            version: { increment: 1 },
            placesPerWeek: null,
            weekday: null,
            contactName: null,
            contactPhone: null,
            contactEmail: null,
            schedule: Prisma.DbNull,
            closures: [],
            declineReason: null,
            decidedById: null,
            decidedAt: null,
          },
        });
      }
      return tx.guideItem.create({ data: { ...data, position, guideId: guide.id, offerId: offer.id } });
    });
  } catch (error) {
    // A concurrent proposal of the same offer committed first.
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') throw duplicate();
    throw error;
  }
}

type LockedItem = GuideItem & { guide: { organisationId: string; sourceLanguage: string } };

/**
 * Locks an item for the rest of the transaction and finds the viewer's sides on it. Who may act is
 * in the locking statement's WHERE; when nothing is locked, a plain read tells an item the viewer
 * sees (ForbiddenError) from one they do not (NotFoundError, as an unknown id).
 */
async function lockForSides(
  tx: Prisma.TransactionClient,
  viewer: Viewer | null,
  id: string,
): Promise<{ item: LockedItem; sides: GuideItemSide[] }> {
  const itemId = asUuid(id);
  const [locked] = await tx.$queryRaw<{ id: string }[]>`
    select id from "GuideItem" where id = ${itemId}::uuid and ${actableGuideItemsSql(viewer)}
    for update`;
  const item = locked
    ? await tx.guideItem.findUnique({
        where: { id: locked.id },
        include: { guide: { select: { organisationId: true, sourceLanguage: true } } },
      })
    : null;
  const sides = item ? guideItemSides(viewer, item) : [];
  if (!item || sides.length === 0) {
    const seen = await tx.guideItem.count({ where: { id: itemId, AND: [visibleGuideItemsWhere(viewer)] } });
    if (seen)
      throw new ForbiddenError(
        'change this guide entry: your organisation neither wrote the guide nor provides the offer',
      );
    throw new NotFoundError('guide entry');
  }
  return { item, sides };
}

function checkVersion(expected: number, actual: number): void {
  if (expected !== actual) throw new VersionConflictError(expected, actual);
}

/** The new status for `action` by one of `sides`, or the typed refusal. */
function stepTo(item: GuideItem, action: GuideItemAction, sides: GuideItemSide[]): GuideItemStatus {
  const results = sides.map((side) => itemTransition(item.status, action, side));
  const ok = results.find((r) => r.ok);
  if (ok?.ok) return ok.to;
  if (results.some((r) => !r.ok && r.reason === 'STATUS'))
    throw new GuideItemTransitionError(item.status, action);
  throw new ForbiddenError(
    action === 'withdraw'
      ? 'withdraw this proposal: only the guide’s organisation may'
      : 'answer this proposal: only the providing organisation may',
  );
}

/** One step: lock, version, side and transition, then the change. */
function step(
  prisma: PrismaClient,
  viewer: Viewer | null,
  id: string,
  expectedVersion: number,
  action: GuideItemAction,
  change: (item: LockedItem, sides: GuideItemSide[]) => Prisma.GuideItemUpdateInput,
): Promise<GuideItem> {
  return prisma.$transaction(async (tx) => {
    const { item, sides } = await lockForSides(tx, viewer, id);
    checkVersion(expectedVersion, item.version);
    const to = stepTo(item, action, sides);
    return tx.guideItem.update({
      where: { id: item.id },
      data: { ...change(item, sides), status: to, version: { increment: 1 } },
    });
  });
}

export interface ProposalAnswer {
  decision: 'CONFIRM' | 'DECLINE';
  expectedVersion: number;
  placesPerWeek?: number | null;
  weekday?: number | null;
  contactName?: string | null;
  contactPhone?: string | null;
  contactEmail?: string | null;
  reason?: string | null;
}

/**
 * The provider answers a proposal: CONFIRM with what it agrees to (places per week, the day, a
 * contact), which verifies the entry today; or DECLINE, with a reason.
 */
export function answerGuideProposal(
  prisma: PrismaClient,
  viewer: Viewer | null,
  id: string,
  answer: ProposalAnswer,
): Promise<GuideItem> {
  if (answer.decision === 'DECLINE' && !answer.reason?.trim()) {
    throw new InvalidInputError(null, [{ path: ['input', 'reason'], message: 'declining needs a reason' }]);
  }
  const action = answer.decision === 'CONFIRM' ? 'confirm' : 'decline';
  return step(prisma, viewer, id, answer.expectedVersion, action, () => {
    const decided = {
      decidedById: viewer?.kind === 'user' ? viewer.userId : null,
      decidedAt: new Date(),
    };
    if (action === 'decline') return { ...decided, declineReason: answer.reason!.trim() };
    return {
      ...decided,
      verifiedAt: decided.decidedAt,
      placesPerWeek: answer.placesPerWeek ?? null,
      weekday: answer.weekday ?? null,
      contactName: answer.contactName?.trim() || null,
      contactPhone: answer.contactPhone?.trim() || null,
      contactEmail: answer.contactEmail?.trim() || null,
    };
  });
}

/** Either side makes a confirmed entry a standing arrangement with its own schedule and closures. */
export function makeGuideItemRegular(
  prisma: PrismaClient,
  viewer: Viewer | null,
  id: string,
  input: { expectedVersion: number; schedule: ScheduleEntry[]; closures: string[] },
): Promise<GuideItem> {
  return step(prisma, viewer, id, input.expectedVersion, 'makeRegular', (_item, sides) => ({
    schedule: input.schedule,
    closures: [...new Set(input.closures)].sort(),
    // The provider's word is what "verified on" means.
    ...(sides.includes('PROVIDER') ? { verifiedAt: new Date() } : {}),
  }));
}

/** Either side ends a confirmed or regular entry. */
export function endGuideItem(
  prisma: PrismaClient,
  viewer: Viewer | null,
  id: string,
  expectedVersion: number,
): Promise<GuideItem> {
  return step(prisma, viewer, id, expectedVersion, 'end', () => ({}));
}

/** The guide side withdraws a proposal the provider has not answered. */
export function withdrawGuideProposal(
  prisma: PrismaClient,
  viewer: Viewer | null,
  id: string,
  expectedVersion: number,
): Promise<GuideItem> {
  return step(prisma, viewer, id, expectedVersion, 'withdraw', () => ({}));
}

export interface GuideItemChanges {
  expectedVersion: number;
  relevanceNote?: Translations | null;
  position?: number | null;
  audiences?: Audience[] | null;
  languages?: string[] | null;
}

/** The guide side edits an open entry: note texts (per language), position, audiences, languages. */
export function updateGuideItem(
  prisma: PrismaClient,
  viewer: Viewer | null,
  id: string,
  changes: GuideItemChanges,
): Promise<GuideItem> {
  return prisma.$transaction(async (tx) => {
    const { item, sides } = await lockForSides(tx, viewer, id);
    checkVersion(changes.expectedVersion, item.version);
    if (!sides.includes('GUIDE'))
      throw new ForbiddenError('edit this entry: only the guide’s organisation may');
    if (FINAL_ITEM_STATUSES.includes(item.status)) throw new GuideItemTransitionError(item.status, 'update');
    const texts = changes.relevanceNote
      ? withNoteTexts(
          {
            note: asTranslations(item.relevanceNote),
            noteVersion: item.noteVersion,
            noteTranslatedFrom: translatedFromOf(item.noteTranslatedFrom),
          },
          item.guide.sourceLanguage,
          changes.relevanceNote,
        )
      : null;
    return tx.guideItem.update({
      where: { id: item.id },
      data: {
        version: { increment: 1 },
        ...(texts
          ? {
              relevanceNote: texts.note,
              noteVersion: texts.noteVersion,
              noteTranslatedFrom: texts.noteTranslatedFrom,
            }
          : {}),
        ...(changes.position != null ? { position: changes.position } : {}),
        ...(changes.audiences ? { audiences: changes.audiences } : {}),
        ...(changes.languages ? { languages: changes.languages } : {}),
      },
    });
  });
}
