/**
 * An organiser publishes an edition, closes registration and reopens it, and moves its closing
 * time (`updateEventEdition`), over HTTP: `registrationOpen` says what the registration form will
 * do; a closing time already past is refused (PAST) rather than leaving registration shut behind
 * an OPEN status; closing and reopening are never refused for dates left as they were (the demo's
 * edition closes after it ends); who asks is checked first, and a stale version changes nothing.
 * Withdrawing an invitation stops its code at once and keeps those registered with it.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { decodeGlobalID, encodeGlobalID } from '@pothos/plugin-relay';
import {
  CreateEventEditionDocument,
  InviteOrganisationsDocument,
  RegisterForEventDocument,
  RegisterStaffDocument,
  UpdateEventEditionDocument,
  WithdrawInvitationDocument,
  type UpdateEventEditionInput,
} from '../../clients/generated/graphql.ts';
import { createEdition, type TestEdition } from '../helpers/events.ts';
import { holdLock, untilWaiting } from '../helpers/locks.ts';
import { seedScenario, type Scenario } from '../helpers/fixtures.ts';
import { startTestHub, type TestHub } from '../helpers/hub.ts';

let t: TestHub;
let s: Scenario;
let alice: string;
let bob: string;
let edition: TestEdition;
let code: string;
let registered = 0;

const HOUR = 3600_000;
const SLUG = 'assises-inscriptions';

async function update(input: Omit<UpdateEventEditionInput, 'id' | 'expectedVersion'>, token = alice) {
  const res = await t.send(
    UpdateEventEditionDocument,
    { input: { id: edition.id, expectedVersion: (await row()).version, ...input } },
    { token },
  );
  expect(res.body.errors).toBeUndefined();
  return res.body.data!.updateEventEdition;
}

const row = () =>
  t.db.prisma.eventEdition.findUniqueOrThrow({
    where: { id: decodeGlobalID(edition.id).id },
    select: {
      version: true,
      status: true,
      registrationClosesAt: true,
      startsAt: true,
      endsAt: true,
      title: true,
    },
  });

async function register() {
  registered += 1;
  const res = await t.send(RegisterForEventDocument, {
    input: {
      edition: SLUG,
      code,
      participant: {
        name: `Personne ${registered}`,
        email: `personne.${registered}@beta.example`,
        category: 'PARTNER_STAFF',
      },
    },
  });
  return res.body.data!.registerForEvent.__typename;
}

beforeAll(async () => {
  t = await startTestHub();
  s = await seedScenario(t.db.prisma, t.config);
  alice = await s.token('alice');
  bob = await s.token('bob');
  edition = await createEdition(t, alice, {
    organisationId: s.org.alpha.globalId,
    slug: SLUG,
    startsAt: new Date(Date.now() + 30 * 24 * HOUR),
    invited: [s.org.beta.globalId],
  });
  code = await edition.code('beta');
}, 120_000);

afterAll(async () => {
  await t?.close();
});

describe('registration of an edition', () => {
  it('opens when a draft is published, until the edition starts when no closing time is set', async () => {
    // A draft is not public: the registration form does not know it.
    expect(await register()).toBe('NotFoundError');
    const r = await update({ status: 'OPEN' });
    if (r.__typename !== 'MutationUpdateEventEditionSuccess') throw new Error(JSON.stringify(r));
    expect(r.data.edition).toMatchObject({
      status: 'OPEN',
      registrationOpen: true,
      registrationClosesAt: null,
    });
    expect(await register()).toBe('MutationRegisterForEventSuccess');
  });

  it('closes and reopens, and the registration form follows', async () => {
    const closed = await update({ status: 'CLOSED' });
    if (closed.__typename !== 'MutationUpdateEventEditionSuccess') throw new Error(JSON.stringify(closed));
    expect(closed.data.edition).toMatchObject({ status: 'CLOSED', registrationOpen: false });
    expect(await register()).toBe('RegistrationClosedError');
    const reopened = await update({ status: 'OPEN' });
    if (reopened.__typename !== 'MutationUpdateEventEditionSuccess')
      throw new Error(JSON.stringify(reopened));
    expect(reopened.data.edition).toMatchObject({ status: 'OPEN', registrationOpen: true });
    expect(await register()).toBe('MutationRegisterForEventSuccess');
  });

  it('moves the closing time, and refuses one already past, changing nothing', async () => {
    const soon = new Date(Date.now() + 2 * 24 * HOUR).toISOString();
    const moved = await update({ registrationClosesAt: soon });
    if (moved.__typename !== 'MutationUpdateEventEditionSuccess') throw new Error(JSON.stringify(moved));
    expect(moved.data.edition).toMatchObject({ registrationClosesAt: soon, registrationOpen: true });
    const before = await row();
    const past = await update({ registrationClosesAt: new Date(Date.now() - HOUR).toISOString() });
    expect(past).toMatchObject({
      __typename: 'InvalidInputError',
      fields: [{ path: ['input', 'registrationClosesAt'], reason: 'PAST' }],
    });
    // Reopening a closed edition whose closing time has passed is refused the same way.
    await t.db.prisma.eventEdition.update({
      where: { id: decodeGlobalID(edition.id).id },
      data: { status: 'CLOSED', registrationClosesAt: new Date(Date.now() - HOUR) },
    });
    const reopen = await update({ status: 'OPEN' });
    expect(reopen).toMatchObject({
      __typename: 'InvalidInputError',
      fields: [{ path: ['input', 'registrationClosesAt'], reason: 'PAST' }],
    });
    expect((await row()).status).toBe('CLOSED');
    // A closed edition is not given a past closing time either: it would only wait to mislead.
    const closedPast = await update({ registrationClosesAt: new Date(Date.now() - 2 * HOUR).toISOString() });
    expect(closedPast).toMatchObject({ __typename: 'InvalidInputError', fields: [{ reason: 'PAST' }] });
    // Reopening with a new closing time ahead is fine.
    const again = await update({ status: 'OPEN', registrationClosesAt: soon });
    expect(again.__typename).toBe('MutationUpdateEventEditionSuccess');
    expect((await row()).version).toBe(before.version + 1);
  });

  it('keeps the invitation codes valid as long as the edition: they follow its end', async () => {
    const before = await row();
    const later = new Date(before.endsAt.getTime() + 2 * HOUR);
    const r = await update({ endsAt: later.toISOString() });
    expect(r.__typename).toBe('MutationUpdateEventEditionSuccess');
    const codes = await t.db.prisma.editionInvitation.findMany({
      where: { editionId: decodeGlobalID(edition.id).id },
    });
    expect(codes.map((c) => c.expiresAt)).toEqual([later]);
    expect(await register()).toBe('MutationRegisterForEventSuccess');
  });

  it('never refuses closing, reopening or a new title for dates left as they were', async () => {
    // As the demo's edition: a past day, registration kept open a year after it ends.
    const startsAt = new Date(Date.now() - 400 * 24 * HOUR);
    await t.db.prisma.eventEdition.update({
      where: { id: decodeGlobalID(edition.id).id },
      data: {
        startsAt,
        endsAt: new Date(startsAt.getTime() + 8 * HOUR),
        registrationClosesAt: new Date(Date.now() + 365 * 24 * HOUR),
      },
    });
    for (const input of [
      { status: 'CLOSED' as const },
      { status: 'OPEN' as const },
      { title: [{ language: 'FR' as const, text: 'Assises, nouveau titre' }] },
    ]) {
      const r = await update(input);
      expect(r.__typename).toBe('MutationUpdateEventEditionSuccess');
    }
    expect(await register()).toBe('MutationRegisterForEventSuccess');
    // Its codes are brought in line: valid while registration is open, past the edition's end.
    const codes = await t.db.prisma.editionInvitation.findMany({
      where: { editionId: decodeGlobalID(edition.id).id },
    });
    expect(codes.map((c) => c.expiresAt)).toEqual([(await row()).registrationClosesAt]);
    // Changing the closing time checks it against the edition's end, as creating one does.
    const before = await row();
    const late = await update({ registrationClosesAt: new Date(Date.now() + 2 * 24 * HOUR).toISOString() });
    expect(late).toMatchObject({
      __typename: 'InvalidInputError',
      fields: [{ path: ['input', 'registrationClosesAt'], message: 'must be before the edition ends' }],
    });
    expect(await row()).toEqual(before);
  });

  it('lets only one of several changes made from the same version through, under the lock', async () => {
    const before = await row();
    const send = (status: 'OPEN' | 'CLOSED') =>
      t.send(
        UpdateEventEditionDocument,
        { input: { id: edition.id, expectedVersion: before.version, status } },
        { token: alice },
      );
    // Both pass the check before the lock; the second to take it finds a newer version.
    const results = await Promise.all([send('CLOSED'), send('CLOSED'), send('OPEN')]);
    const kinds = results.map((r) => r.body.data!.updateEventEdition.__typename).sort();
    expect(kinds).toEqual([
      'MutationUpdateEventEditionSuccess',
      'VersionConflictError',
      'VersionConflictError',
    ]);
    expect((await row()).version).toBe(before.version + 1);
  });

  it('refuses anyone who does not organise the edition, and a stale version, changing nothing', async () => {
    const before = await row();
    const invited = await update({ status: 'CLOSED' }, bob);
    expect(invited.__typename).toBe('ForbiddenError');
    const anonymous = await t.send(UpdateEventEditionDocument, {
      input: { id: edition.id, expectedVersion: before.version, status: 'CLOSED' },
    });
    expect(anonymous.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const stale = await t.send(
      UpdateEventEditionDocument,
      { input: { id: edition.id, expectedVersion: before.version - 1, status: 'CLOSED' } },
      { token: alice },
    );
    expect(stale.body.data!.updateEventEdition).toMatchObject({
      __typename: 'VersionConflictError',
      currentVersion: before.version,
    });
    expect(await row()).toEqual(before);
  });

  it('names why an address is refused: its form, the hub’s own, another edition’s or a series’', async () => {
    const event = await t.db.prisma.eventEdition.findUniqueOrThrow({
      where: { id: decodeGlobalID(edition.id).id },
      select: { event: { select: { id: true, slug: true } } },
    });
    const cases = [
      ['Assises 2027', 'FORMAT'],
      ['manage', 'TAKEN'],
      [SLUG, 'TAKEN'],
      // The series' own address leads to its newest edition: an edition may not take it.
      [event.event.slug, 'TAKEN'],
    ] as const;
    for (const [slug, reason] of cases) {
      const res = await t.send(
        CreateEventEditionDocument,
        {
          input: {
            eventId: encodeGlobalID('Event', event.event.id),
            slug,
            title: [{ language: 'FR', text: 'Assises 2027' }],
            startsAt: new Date(Date.now() + 60 * 24 * HOUR).toISOString(),
            endsAt: new Date(Date.now() + 60 * 24 * HOUR + 8 * HOUR).toISOString(),
          },
        },
        { token: alice },
      );
      expect({ slug, result: res.body.data!.createEventEdition }).toMatchObject({
        slug,
        result: { __typename: 'InvalidInputError', fields: [{ path: ['input', 'slug'], reason }] },
      });
    }
    expect(await t.db.prisma.eventEdition.count({ where: { eventId: event.event.id } })).toBe(1);
  });
});

describe('withdrawing an invitation', () => {
  it('stops its code at once, keeps those registered with it, and a new invitation gives a new code', async () => {
    const other = await createEdition(t, alice, {
      organisationId: s.org.alpha.globalId,
      slug: 'assises-retrait',
      startsAt: new Date(Date.now() + 40 * 24 * HOUR),
      invited: [s.org.beta.globalId, s.org.alpha.globalId],
    });
    const open = await t.send(
      UpdateEventEditionDocument,
      { input: { id: other.id, expectedVersion: other.version, status: 'OPEN' } },
      { token: alice },
    );
    expect(open.body.data!.updateEventEdition.__typename).toBe('MutationUpdateEventEditionSuccess');
    const oldCode = await other.code('beta');
    const registerWith = async (withCode: string, n: number) => {
      const res = await t.send(RegisterForEventDocument, {
        input: {
          edition: other.slug,
          code: withCode,
          participant: {
            name: `Retrait ${n}`,
            email: `retrait.${n}@beta.example`,
            category: 'PARTNER_STAFF',
          },
        },
      });
      return res.body.data!.registerForEvent;
    };
    expect((await registerWith(oldCode, 1)).__typename).toBe('MutationRegisterForEventSuccess');
    const input = { editionId: other.id, organisationId: s.org.beta.globalId };
    const invitations = () =>
      t.db.prisma.editionInvitation.findMany({ where: { editionId: decodeGlobalID(other.id).id } });
    const before = await invitations();
    // Beta's invitation to another edition, which must not move.
    const elsewhere = () =>
      t.db.prisma.editionInvitation.findMany({ where: { editionId: decodeGlobalID(edition.id).id } });
    const elsewhereBefore = await elsewhere();

    // Beta's own admin (invited, not organising) and a caller without a token are refused first.
    const byBob = await t.send(WithdrawInvitationDocument, { input }, { token: bob });
    expect(byBob.body.data!.withdrawInvitation.__typename).toBe('ForbiddenError');
    const anonymous = await t.send(WithdrawInvitationDocument, { input });
    expect(anonymous.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(await invitations()).toEqual(before);

    // Beta's admin registers staff while invited.
    const registerStaff = async (local: string) =>
      (
        await t.send(
          RegisterStaffDocument,
          {
            input: {
              editionId: other.id,
              organisationId: s.org.beta.globalId,
              participant: { name: 'Staff Beta', email: `${local}@beta.example`, category: 'PARTNER_STAFF' },
            },
          },
          { token: bob },
        )
      ).body.data!.registerStaff;
    expect((await registerStaff('staff.beta.1')).__typename).toBe('MutationRegisterStaffSuccess');

    const withdrawn = await t.send(WithdrawInvitationDocument, { input }, { token: alice });
    const w = withdrawn.body.data!.withdrawInvitation;
    if (w.__typename !== 'MutationWithdrawInvitationSuccess') throw new Error(JSON.stringify(w));
    // Alpha keeps its invitation and code; beta's invitation to the other edition stays.
    expect(w.data.edition.invitations.map((i) => i.organisation.slug)).toEqual(['alpha']);
    expect(await invitations()).toEqual(before.filter((i) => i.organisationId === s.org.alpha.id));
    expect(await elsewhere()).toEqual(elsewhereBefore);
    // Said withdrawn (not a guess); and beta's admin can no longer register its staff.
    expect(await registerWith(oldCode, 2)).toMatchObject({
      __typename: 'InvitationCodeError',
      reason: 'WITHDRAWN',
    });
    expect((await registerStaff('staff.beta.2')).__typename).toBe('ForbiddenError');
    // Those registered with it stay.
    expect(
      await t.db.prisma.registration.count({
        where: { editionId: decodeGlobalID(other.id).id, status: 'REGISTERED' },
      }),
    ).toBe(2);
    const again = await t.send(WithdrawInvitationDocument, { input }, { token: alice });
    expect(again.body.data!.withdrawInvitation.__typename).toBe('NotFoundError');

    // Withdrawing waits for a change of the edition's dates (which locks the edition, then its
    // codes) before touching any invitation: taken the other way round, the two would deadlock.
    const editionLock = await holdLock(t.database.url, 'EventEdition', decodeGlobalID(other.id).id);
    let alphaWithdrawal: Promise<unknown> | undefined;
    try {
      alphaWithdrawal = t.send(
        WithdrawInvitationDocument,
        { input: { editionId: other.id, organisationId: s.org.alpha.globalId } },
        { token: alice },
      );
      await untilWaiting(t.database.url, 1);
      // Alpha's invitation is not locked by the waiting withdrawal.
      const probe = await t.db.prisma.$queryRaw<{ codeHash: string }[]>`
        SELECT "codeHash" FROM "EditionInvitation"
        WHERE "editionId" = ${decodeGlobalID(other.id).id}::uuid AND "organisationId" = ${s.org.alpha.id}::uuid
        FOR UPDATE SKIP LOCKED`;
      expect(probe.length).toBe(1);
    } finally {
      await editionLock.release();
    }
    await alphaWithdrawal;

    // Invited again: a new code, which works; the old one still does not.
    const invited = await t.send(
      InviteOrganisationsDocument,
      { input: { editionId: other.id, organisationIds: [s.org.beta.globalId] } },
      { token: alice },
    );
    expect(invited.body.data!.inviteOrganisations.__typename).toBe('MutationInviteOrganisationsSuccess');
    const newCode = await other.code('beta');
    expect(newCode).not.toBe(oldCode);
    expect((await registerWith(newCode, 3)).__typename).toBe('MutationRegisterForEventSuccess');
    expect(await registerWith(oldCode, 4)).toMatchObject({ reason: 'WITHDRAWN' });
  });
});
