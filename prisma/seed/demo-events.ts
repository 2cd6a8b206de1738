/**
 * Events demo data (issue 12): the Assises sociales, run by the City of Luxembourg's social affairs
 * department (added to the demo organisations here, with its event organiser and the venue), with
 * the 2021 edition (CLOSED, 15 stands, ~150 participants) and the 2022 edition (OPEN, 36 stands,
 * ~250 participants). Written through Prisma directly, after the catalogue (seed-catalogue.ts):
 * stands link to their organisation's published demo offers.
 *
 * The 2022 day is past, yet the edition is OPEN so that registration, the public page and check-in
 * can be tried: its registration closes a year after the demo was first loaded (not at the start
 * of the day, which the model defaults to), and its invitation codes expire then too.
 *
 * Idempotent, and kind to what demo users did since: the organiser, its user, the venue and the
 * series are matched and updated in place; an edition is written whole, in one transaction, only
 * when its slug is missing, and never overwritten. Participants are drawn deterministically
 * (demo-events-people.ts); the secrets (invitation codes, manage tokens, badge codes) are random,
 * made once with the edition, and only the hashes are kept, except the invitation codes, which are
 * also sealed so that organisers can hand them out again.
 */
import { Prisma, type PrismaClient } from '../../src/generated/prisma/client.ts';
import { generateSecret } from '../../src/modules/accounts/secret-codes.ts';
import { canonicalCommune } from '../../src/modules/catalogue/communes.ts';
import { codesValidUntil, newBadgeCode } from '../../src/modules/events/registration.service.ts';
import { secretPlace, secrets } from '../../src/shared/secrets.ts';
import { demoOrganisations } from './demo-accounts.ts';
import { edition2021 } from './demo-events-2021.ts';
import { edition2022 } from './demo-events-2022.ts';
import {
  MAIL_DOMAINS,
  ORGANISER_EMAIL,
  ORGANISER_SLUG,
  organiserOrganisation,
  organiserUsers,
  series,
  venue,
} from './demo-events-organiser.ts';
import { luxembourgTime, organisationOf, planParticipants, type EditionPlan } from './demo-events-people.ts';
import type { DemoEdition, EventText } from './demo-events-types.ts';
import { demoOffers } from './seed-catalogue.ts';

export const demoEditions: DemoEdition[] = [edition2021, edition2022];

/** The scanner the demo's check-ins were recorded with. */
export const DEMO_SCANNER = 'demo-scanner';
const DAY = 86_400_000;

/** Translated text as stored: only the languages written. */
const text = (value: EventText): Prisma.InputJsonObject =>
  Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined));

/** When registration closes: as planned, or (an OPEN demo edition) a year after `loadedAt`. */
export function registrationClosesAt(edition: DemoEdition, loadedAt: Date): Date {
  if (edition.registrationClosedDaysBefore === undefined) return new Date(loadedAt.getTime() + 365 * DAY);
  return new Date(
    luxembourgTime(edition.date, edition.opens).getTime() - edition.registrationClosedDaysBefore * DAY,
  );
}

/** Checks the demo data before anything is written; throws naming the entry at fault. */
export function checkDemoEvents(): Map<string, EditionPlan> {
  const slugs = new Set([...demoOrganisations.map((o) => o.slug), ORGANISER_SLUG]);
  const offers = new Map(demoOffers.map((o) => [o.key, o]));
  if (!canonicalCommune(venue.commune)) throw new Error(`demo venue: unknown commune ${venue.commune}`);
  const plans = new Map<string, EditionPlan>();
  for (const edition of demoEditions) {
    const what = `demo edition ${edition.slug}`;
    const sessionKeys = new Set<string>();
    for (const s of edition.sessions) {
      if (sessionKeys.has(s.key)) throw new Error(`${what}: session ${s.key} twice`);
      sessionKeys.add(s.key);
      if (!(s.starts < s.ends)) throw new Error(`${what}, session ${s.key}: ends before it starts`);
      if (s.starts < edition.opens || s.ends > edition.closes)
        throw new Error(`${what}, session ${s.key}: outside the day`);
    }
    const numbers = new Set<string>();
    for (const stand of edition.stands) {
      const at = `${what}, stand ${stand.number}`;
      if (numbers.has(stand.number)) throw new Error(`${at}: number taken`);
      numbers.add(stand.number);
      if (!slugs.has(stand.organisation))
        throw new Error(`${at}: unknown organisation ${stand.organisation}`);
      if (stand.offers.length > 2) throw new Error(`${at}: more than two offers`);
      for (const key of stand.offers) {
        const offer = offers.get(key);
        if (!offer) throw new Error(`${at}: no demo offer ${key}`);
        if (offer.organisation !== stand.organisation)
          throw new Error(`${at}: offer ${key} is another organisation's`);
        if (offer.status !== 'PUBLISHED') throw new Error(`${at}: offer ${key} is not published`);
      }
    }
    for (const quota of edition.quotas) {
      if (typeof quota.organisation === 'string' && !MAIL_DOMAINS[quota.organisation]) {
        throw new Error(`${what}: no mail domain for ${quota.organisation}`);
      }
      if (typeof quota.organisation !== 'string' && !quota.organisation.domain.endsWith('.example')) {
        throw new Error(`${what}: ${quota.organisation.domain} is not under .example`);
      }
    }
    plans.set(edition.slug, planParticipants(edition));
  }
  return plans;
}

/** Hub organisations that registered people in an edition: each is invited, with its own code. */
function invitedOrganisations(plan: EditionPlan): string[] {
  const slugs = new Set(plan.registrations.flatMap((r) => (r.organisation ? [r.organisation] : [])));
  slugs.delete(ORGANISER_SLUG);
  return [...slugs].sort();
}

type Ids = { organisations: Map<string, string>; users: Map<string, string> };

function idOf(map: Map<string, string>, key: string, what: string): string {
  const id = map.get(key);
  if (!id) throw new Error(`${what}: unknown ${key}`);
  return id;
}

async function seedEdition(
  prisma: PrismaClient,
  edition: DemoEdition,
  plan: EditionPlan,
  refs: { eventId: string; venueSiteId: string; ids: Ids },
): Promise<void> {
  const what = `demo edition ${edition.slug}`;
  const { ids } = refs;
  const organisationId = idOf(ids.organisations, ORGANISER_SLUG, what);
  const organiserId = idOf(ids.users, ORGANISER_EMAIL, what);
  const startsAt = luxembourgTime(edition.date, edition.opens);
  const endsAt = luxembourgTime(edition.date, edition.closes);
  const now = new Date();
  const closesAt = registrationClosesAt(edition, now);
  // Announced two weeks before the first registration.
  const announcedAt = new Date(
    Math.min(...plan.registrations.map((r) => r.registeredAt.getTime())) - 14 * DAY,
  );
  const offerKeys = edition.stands.flatMap((s) => s.offers);
  const offers = await prisma.offer.findMany({
    where: { hsdsId: { in: offerKeys.map((k) => `demo:${k}`) } },
    select: { id: true, hsdsId: true, organisationId: true },
  });
  const offerOf = new Map(offers.map((o) => [o.hsdsId!.slice('demo:'.length), o]));

  await prisma.$transaction(async (tx) => {
    if (await tx.eventEdition.findUnique({ where: { slug: edition.slug }, select: { id: true } })) return;
    const { id: editionId } = await tx.eventEdition.create({
      data: {
        eventId: refs.eventId,
        slug: edition.slug,
        organisationId,
        title: text(edition.title),
        description: text(edition.description),
        startsAt,
        endsAt,
        venueSiteId: refs.venueSiteId,
        status: edition.status,
        registrationClosesAt: closesAt,
        createdAt: announcedAt,
      },
      select: { id: true },
    });

    // Each invited organisation's code, sealed so that organisers can read it again.
    const expiresAt = codesValidUntil({ endsAt, registrationClosesAt: closesAt });
    await tx.editionInvitation.createMany({
      data: invitedOrganisations(plan).map((slug) => {
        const invitedId = idOf(ids.organisations, slug, what);
        const { code, hash } = generateSecret('evc');
        return {
          editionId,
          organisationId: invitedId,
          codeHash: hash,
          codeSealed: secrets().seal(code, secretPlace.editionCode(editionId, invitedId)),
          expiresAt,
          createdAt: announcedAt,
        };
      }),
    });

    const sessionIds = new Map<string, string>();
    for (const s of edition.sessions) {
      const { id } = await tx.eventSession.create({
        data: {
          editionId,
          kind: s.kind,
          title: text(s.title),
          description: s.description ? text(s.description) : Prisma.DbNull,
          startsAt: luxembourgTime(edition.date, s.starts),
          endsAt: luxembourgTime(edition.date, s.ends),
          room: s.room,
          capacity: s.capacity ?? null,
          speakers: s.speakers.map((sp) => ({
            name: sp.name,
            organisation: organisationOf(sp.organisation).name,
            function: sp.function,
          })),
          createdAt: announcedAt,
        },
        select: { id: true },
      });
      sessionIds.set(s.key, id);
    }

    const rows = await tx.registration.createManyAndReturn({
      data: plan.registrations.map((r) => {
        const last = r.scans[r.scans.length - 1];
        return {
          editionId,
          name: r.name,
          email: r.email,
          organisationId: r.organisation ? idOf(ids.organisations, r.organisation, what) : null,
          organisationName: r.organisationName,
          function: r.function,
          category: r.category,
          accessibilityNeeds: r.accessibilityNeeds,
          showName: r.showName,
          showOrganisation: r.showOrganisation,
          showFunction: r.showFunction,
          contactable: r.contactable,
          locale: r.locale,
          source: r.source,
          registeredByUserId: r.registeredBy ? (ids.users.get(r.registeredBy) ?? null) : null,
          status: r.cancelledAt ? ('CANCELLED' as const) : ('REGISTERED' as const),
          cancelledAt: r.cancelledAt,
          manageTokenHash: generateSecret('evm').hash,
          badgeCode: newBadgeCode(),
          // The state follows the latest scan; the first arrival is the time kept.
          checkedInAt: last?.arrived ? r.scans.find((s) => s.arrived)!.scannedAt : null,
          createdAt: r.registeredAt,
          updatedAt: r.cancelledAt ?? r.registeredAt,
        };
      }),
      select: { id: true, email: true },
    });
    const registrationOf = new Map(rows.map((r) => [r.email, r.id]));

    await tx.registrationSeat.createMany({
      data: plan.registrations.flatMap((r) =>
        r.seats.map((seat) => ({
          registrationId: registrationOf.get(r.email)!,
          sessionId: sessionIds.get(seat.session)!,
          status: seat.status,
          queuedAt: seat.queuedAt,
        })),
      ),
    });

    for (const stand of edition.stands) {
      const at = `${what}, stand ${stand.number}`;
      const standOrg = idOf(ids.organisations, stand.organisation, at);
      const linked = stand.offers.flatMap((key) => {
        const offer = offerOf.get(key);
        return offer && offer.organisationId === standOrg ? [{ id: offer.id }] : [];
      });
      await tx.stand.create({
        data: {
          editionId,
          organisationId: standOrg,
          number: stand.number,
          title: text(stand.title),
          description: text(stand.description),
          results: stand.results ? text(stand.results) : Prisma.DbNull,
          figures: stand.figures.map((f) => ({ label: text(f.label), value: f.value })),
          offers: { connect: linked },
          team: {
            create: (plan.teams.get(stand.number) ?? []).map((email) => ({
              registrationId: registrationOf.get(email)!,
            })),
          },
          createdAt: announcedAt,
        },
      });
    }

    // Last: each check-in row appends its outbox row by trigger, under the outbox lock held to
    // commit (migration `events`), so nothing else is written after it.
    const scans = plan.registrations
      .flatMap((r) => r.scans.map((scan) => ({ ...scan, registrationId: registrationOf.get(r.email)! })))
      .sort((a, b) => a.scannedAt.getTime() - b.scannedAt.getTime());
    await tx.checkIn.createMany({
      data: scans.map((scan, i) => ({
        editionId,
        registrationId: scan.registrationId,
        scannerKey: DEMO_SCANNER,
        scanId: `demo-${String(i + 1).padStart(4, '0')}`,
        arrived: scan.arrived,
        scannedAt: scan.scannedAt,
        // Synced a few seconds after the scan.
        recordedAt: new Date(scan.scannedAt.getTime() + 3_000),
        byUserId: organiserId,
      })),
    });
  });
}

/**
 * Loads the Events demo data; `organisationIds` by slug, as seedDemo built them (the organiser is
 * added to it).
 */
export async function seedEvents(
  prisma: PrismaClient,
  organisationIds: Map<string, string>,
): Promise<{
  sites: number;
  users: number;
  events: number;
  eventEditions: number;
  stands: number;
  eventRegistrations: number;
}> {
  const plans = checkDemoEvents();

  const { id: organiserId } = await prisma.organisation.upsert({
    where: { slug: organiserOrganisation.slug },
    create: organiserOrganisation,
    update: organiserOrganisation,
    select: { id: true },
  });
  organisationIds.set(ORGANISER_SLUG, organiserId);
  for (const { memberships, ...user } of organiserUsers) {
    const row = await prisma.user.upsert({ where: { email: user.email }, create: user, update: user });
    for (const m of memberships) {
      const organisationId = idOf(organisationIds, m.organisation, `demo user ${user.email}`);
      await prisma.membership.upsert({
        where: { userId_organisationId: { userId: row.id, organisationId } },
        create: { userId: row.id, organisationId, roles: m.roles },
        update: { roles: m.roles },
      });
    }
  }

  const { key, ...site } = venue;
  const siteData = { ...site, commune: canonicalCommune(site.commune)!, accessibility: site.accessibility };
  const { id: venueSiteId } = await prisma.site.upsert({
    where: { organisationId_hsdsId: { organisationId: organiserId, hsdsId: `demo:${key}` } },
    create: { organisationId: organiserId, hsdsId: `demo:${key}`, ...siteData },
    update: siteData,
    select: { id: true },
  });

  const seriesData = {
    organisationId: organiserId,
    name: text(series.name),
    description: text(series.description),
  };
  const { id: eventId } = await prisma.event.upsert({
    where: { slug: series.slug },
    create: { slug: series.slug, ...seriesData },
    update: seriesData,
    select: { id: true },
  });

  const emails = new Set([ORGANISER_EMAIL]);
  for (const plan of plans.values())
    for (const r of plan.registrations) if (r.registeredBy) emails.add(r.registeredBy);
  const users = await prisma.user.findMany({
    where: { email: { in: [...emails] } },
    select: { id: true, email: true },
  });
  const ids: Ids = { organisations: organisationIds, users: new Map(users.map((u) => [u.email, u.id])) };

  for (const edition of demoEditions) {
    await seedEdition(prisma, edition, plans.get(edition.slug)!, { eventId, venueSiteId, ids });
  }
  return {
    sites: 1,
    users: organiserUsers.length,
    events: 1,
    eventEditions: demoEditions.length,
    stands: demoEditions.reduce((n, e) => n + e.stands.length, 0),
    eventRegistrations: [...plans.values()].reduce((n, p) => n + p.registrations.length, 0),
  };
}
