/**
 * Welcome demo data (issue 11): the SHUK with its operator (the ONA) and partners, its residents'
 * profile as counts only, the guide Inter-Actions keeps for it (published, 20+ entries from the
 * demo catalogue in French, English, Ukrainian and Arabic) and a Caritas foyer's draft guide.
 * Written through Prisma directly, after the catalogue (seed-catalogue.ts).
 *
 * Idempotent, and kind to what demo users did since: shelter sites, shelters and partners are
 * matched and updated in place; a shelter's profile, a guide and a guide's entries are created only
 * when missing (an entry by guide and offer), with their attendance and alert, and are never
 * overwritten. Dates (profiles, decisions, attendance weeks, closures) are relative to the day the
 * seed runs, so a fresh demo always looks current.
 */
import { Prisma, type PrismaClient } from '../../src/generated/prisma/client.ts';
import { canonicalCommune } from '../../src/modules/catalogue/communes.ts';
import { scheduleEntry } from '../../src/modules/catalogue/schedule.ts';
import { FINAL_ITEM_STATUSES } from '../../src/modules/welcome/guide-item-status.ts';
import { foyerGuide, foyerSaintAntoine } from './demo-welcome-foyer.ts';
import { shuk, shukGuide } from './demo-welcome-shuk.ts';
import type { DemoGuide, DemoGuideItem, DemoShelter, WelcomeText } from './demo-welcome-types.ts';
import { demoOffers } from './seed-catalogue.ts';

export const demoShelters: DemoShelter[] = [shuk, foyerSaintAntoine];
export const demoGuides: DemoGuide[] = [shukGuide, foyerGuide];

const DAY = 86_400_000;
const hsdsIdOf = (key: string) => `demo:${key}`;

/** Translated text as stored: only the languages written. */
const text = (value: WelcomeText): Prisma.InputJsonObject =>
  Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined));

/** Each translation made from the current source version, unless the demo says otherwise. */
function translatedFrom(
  value: WelcomeText,
  version: number,
  given: Partial<Record<string, number>> = {},
): Prisma.InputJsonObject {
  const langs = Object.keys(value).filter((l) => l !== 'fr');
  return Object.fromEntries(langs.map((l) => [l, given[l] ?? version]));
}

/** A calendar day as PostgreSQL `date` takes it from Prisma (UTC midnight). */
function day(date: Date): Date {
  return new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()));
}
const isoDay = (date: Date) => date.toISOString().slice(0, 10);

/** The Monday of the week `date` falls in. */
function mondayOf(date: Date): Date {
  const d = day(date);
  return new Date(d.getTime() - ((d.getUTCDay() + 6) % 7) * DAY);
}

/** Checks the demo data before anything is written; throws naming the entry at fault. */
export function checkDemoWelcome(): void {
  const offers = new Map(demoOffers.map((o) => [o.key, o]));
  const sites = new Set(demoShelters.map((s) => s.site.key));
  for (const shelter of demoShelters) {
    const what = `demo shelter ${shelter.site.key}`;
    if (!canonicalCommune(shelter.site.commune)) throw new Error(`${what}: unknown commune`);
    for (const p of shelter.profiles) {
      for (const [part, counts] of Object.entries({
        languages: p.languages,
        ageBands: p.ageBands,
        householdTypes: p.householdTypes,
      })) {
        const sum = Object.values(counts).reduce((a: number, b) => a + (b ?? 0), 0);
        if (sum > p.total) throw new Error(`${what}: ${part} count ${sum} residents of ${p.total}`);
      }
    }
  }
  for (const guide of demoGuides) {
    if (!sites.has(guide.shelter)) throw new Error(`demo guide ${guide.slug}: unknown shelter`);
    if (guide.languages[0] !== 'fr') throw new Error(`demo guide ${guide.slug}: French comes first`);
    const seen = new Set<string>();
    for (const item of guide.items) {
      const what = `demo guide ${guide.slug}, entry ${item.offer}`;
      if (seen.has(item.offer)) throw new Error(`${what}: twice in the guide`);
      seen.add(item.offer);
      if (!offers.has(item.offer)) throw new Error(`${what}: no such demo offer`);
      if (item.status === 'DECLINED' && !item.declineReason)
        throw new Error(`${what}: declined without reason`);
      if (item.status !== 'PROPOSED' && item.decidedDaysAgo === undefined) {
        throw new Error(`${what}: answered without a date`);
      }
      if (item.schedule && item.status !== 'REGULAR') throw new Error(`${what}: a schedule is for REGULAR`);
      for (const [i, entry] of (item.schedule ?? []).entries()) {
        const parsed = scheduleEntry.safeParse(entry);
        if (!parsed.success) throw new Error(`${what}: schedule[${i}]: ${parsed.error.issues[0]?.message}`);
      }
      if (item.weekday !== undefined && (item.weekday < 1 || item.weekday > 7)) {
        throw new Error(`${what}: weekday ${item.weekday}`);
      }
      if (item.attendance?.some((n) => n < 0 || !Number.isInteger(n))) throw new Error(`${what}: bad count`);
      if (item.alert && FINAL_ITEM_STATUSES.includes(item.status)) {
        throw new Error(`${what}: an alert on a finished entry`);
      }
    }
  }
}

type Ids = { organisations: Map<string, string>; users: Map<string, string> };

function idOf(map: Map<string, string>, key: string, what: string): string {
  const id = map.get(key);
  if (!id) throw new Error(`${what}: unknown ${key}`);
  return id;
}

async function seedShelter(prisma: PrismaClient, shelter: DemoShelter, ids: Ids, now: Date) {
  const what = `demo shelter ${shelter.site.key}`;
  const organisationId = idOf(ids.organisations, shelter.operator, what);
  const { key, ...site } = shelter.site;
  const siteData = {
    ...site,
    commune: canonicalCommune(site.commune)!,
    openingHours: (site.openingHours ?? []) as unknown as Prisma.InputJsonValue,
  };
  const { id: siteId } = await prisma.site.upsert({
    where: { organisationId_hsdsId: { organisationId, hsdsId: hsdsIdOf(key) } },
    create: { organisationId, hsdsId: hsdsIdOf(key), ...siteData },
    update: siteData,
    select: { id: true },
  });
  const data = { organisationId, kind: shelter.kind, capacity: shelter.capacity };
  const { id: shelterId } = await prisma.shelter.upsert({
    where: { siteId },
    create: { siteId, ...data },
    update: data,
    select: { id: true },
  });
  for (const partner of shelter.partners) {
    const partnerId = idOf(ids.organisations, partner.organisation, what);
    await prisma.shelterPartner.upsert({
      where: { shelterId_organisationId: { shelterId, organisationId: partnerId } },
      create: { shelterId, organisationId: partnerId, role: text(partner.role) },
      update: { role: text(partner.role) },
    });
  }
  if ((await prisma.residentProfile.count({ where: { shelterId } })) === 0) {
    await prisma.residentProfile.createMany({
      data: shelter.profiles.map((p) => ({
        shelterId,
        asOf: day(new Date(now.getTime() - p.daysAgo * DAY)),
        total: p.total,
        languages: Object.entries(p.languages).map(([code, count]) => ({ code, count })),
        ageBands: Object.entries(p.ageBands).map(([band, count]) => ({ band, count })),
        householdTypes: Object.entries(p.householdTypes).map(([type, count]) => ({ type, count })),
        recordedByUserId: idOf(ids.users, p.recordedBy, what),
        createdAt: new Date(now.getTime() - p.daysAgo * DAY),
      })),
    });
  }
  return shelterId;
}

/** Days since the entry was proposed: as given, else a week before the provider answered. */
const itemAge = (item: DemoGuideItem) => item.proposedDaysAgo ?? (item.decidedDaysAgo ?? 10) + 7;

/** The entry's columns, dates relative to `now`. */
function itemData(item: DemoGuideItem, ids: Ids, now: Date, what: string) {
  const ago = (days: number | undefined) =>
    days === undefined ? null : new Date(now.getTime() - days * DAY);
  const decidedAt = ago(item.decidedDaysAgo);
  const thisWeek = mondayOf(now).getTime();
  const noteVersion = item.noteVersion ?? 1;
  return {
    status: item.status,
    relevanceNote: text(item.note),
    noteVersion,
    noteTranslatedFrom: translatedFrom(item.note, noteVersion, item.noteTranslatedFrom),
    audiences: item.audiences,
    languages: item.languages,
    placesPerWeek: item.placesPerWeek ?? null,
    weekday: item.weekday ?? null,
    contactName: item.contact?.name ?? null,
    contactPhone: item.contact?.phone ?? null,
    contactEmail: item.contact?.email ?? null,
    schedule: item.schedule
      ? (item.schedule.map((e) => ({ ...e, validFrom: isoDay(decidedAt!) })) as Prisma.InputJsonValue)
      : Prisma.DbNull,
    closures: (item.closures ?? []).map(([weeks, weekday]) =>
      isoDay(new Date(thisWeek + (weeks * 7 + weekday - 1) * DAY)),
    ),
    declineReason: item.declineReason ?? null,
    decidedById: item.decidedBy ? idOf(ids.users, item.decidedBy, what) : null,
    decidedAt,
    verifiedAt: ago(item.verifiedDaysAgo),
    createdAt: ago(itemAge(item))!,
  };
}

async function seedGuide(
  prisma: PrismaClient,
  guide: DemoGuide,
  shelterId: string,
  ids: Ids,
  now: Date,
): Promise<void> {
  const what = `demo guide ${guide.slug}`;
  const organisationId = idOf(ids.organisations, guide.organisation, what);
  const coordinatorId = idOf(ids.users, guide.createdBy, what);
  const offers = await prisma.offer.findMany({
    where: { hsdsId: { in: guide.items.map((i) => hsdsIdOf(i.offer)) } },
    select: { id: true, hsdsId: true, organisationId: true },
  });
  const offerOf = new Map(offers.map((o) => [o.hsdsId!.slice('demo:'.length), o]));
  const thisWeek = mondayOf(now).getTime();

  await prisma.$transaction(async (tx) => {
    const existing = await tx.guide.findUnique({ where: { slug: guide.slug }, select: { id: true } });
    const guideId =
      existing?.id ??
      (
        await tx.guide.create({
          data: {
            slug: guide.slug,
            organisationId,
            shelterId,
            audiences: guide.audiences,
            commune: guide.commune,
            title: text(guide.title),
            intro: text(guide.intro),
            sourceLanguage: 'fr',
            translatedFrom: translatedFrom(guide.title, 1),
            languages: guide.languages,
            status: guide.status,
            publishedAt:
              guide.publishedDaysAgo === undefined
                ? null
                : new Date(now.getTime() - guide.publishedDaysAgo * DAY),
            createdById: coordinatorId,
            // As old as its oldest entry (see itemData).
            createdAt: new Date(now.getTime() - Math.max(...guide.items.map(itemAge)) * DAY),
          },
          select: { id: true },
        })
      ).id;
    const present = new Set(
      (await tx.guideItem.findMany({ where: { guideId }, select: { offerId: true } })).map((i) => i.offerId),
    );
    for (const [position, item] of guide.items.entries()) {
      const itemWhat = `${what}, entry ${item.offer}`;
      const offer = offerOf.get(item.offer);
      if (!offer) throw new Error(`${itemWhat}: the offer is not in the database`);
      if (present.has(offer.id)) continue;
      const { id: guideItemId } = await tx.guideItem.create({
        data: {
          guideId,
          offerId: offer.id,
          providerOrganisationId: offer.organisationId,
          position,
          proposedById: coordinatorId,
          ...itemData(item, ids, now, itemWhat),
        },
        select: { id: true },
      });
      const weeks = item.attendance ?? [];
      if (weeks.length > 0) {
        await tx.guideAttendance.createMany({
          data: weeks.map((count, i) => {
            const weekStart = new Date(thisWeek - (weeks.length - i) * 7 * DAY);
            return {
              guideItemId,
              weekStart,
              count,
              recordedByOrganisationId: organisationId,
              recordedByUserId: coordinatorId,
              // Counted on the Monday after (never later than now).
              recordedAt: new Date(Math.min(weekStart.getTime() + 7 * DAY + 9 * 3_600_000, now.getTime())),
            };
          }),
        });
      }
      if (item.alert) {
        await tx.guideAlert.create({
          data: {
            guideId,
            guideItemId,
            offerId: offer.id,
            kind: item.alert,
            at: new Date(now.getTime() - 4 * DAY),
          },
        });
      }
    }
  });
}

/** Loads the Welcome demo data; `organisationIds` by slug, as seedDemo built them. */
export async function seedWelcome(
  prisma: PrismaClient,
  organisationIds: Map<string, string>,
): Promise<{ shelters: number; sites: number; guides: number; guideItems: number }> {
  checkDemoWelcome();
  const now = new Date();
  const emails = [
    ...demoShelters.flatMap((s) => s.profiles.map((p) => p.recordedBy)),
    ...demoGuides.flatMap((g) => [
      g.createdBy,
      ...g.items.flatMap((i) => (i.decidedBy ? [i.decidedBy] : [])),
    ]),
  ];
  const users = await prisma.user.findMany({
    where: { email: { in: emails } },
    select: { id: true, email: true },
  });
  const ids: Ids = { organisations: organisationIds, users: new Map(users.map((u) => [u.email, u.id])) };

  const shelterIds = new Map<string, string>();
  for (const shelter of demoShelters) {
    shelterIds.set(shelter.site.key, await seedShelter(prisma, shelter, ids, now));
  }
  for (const guide of demoGuides) {
    await seedGuide(prisma, guide, shelterIds.get(guide.shelter)!, ids, now);
  }
  return {
    shelters: demoShelters.length,
    sites: demoShelters.length,
    guides: demoGuides.length,
    guideItems: demoGuides.reduce((n, g) => n + g.items.length, 0),
  };
}
