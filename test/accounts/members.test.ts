/**
 * Members: admins change roles and disable memberships, never leaving an organisation (or the
 * network) without an admin; whoever loses access has their open subscriptions ended, over a real
 * graphql-ws connection, through the ACCESS_CHANGED outbox path; the audit log says who did what,
 * to the organisation's admins and hub admins only.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import {
  AuditLogDocument,
  DisableMembershipDocument,
  MembersDocument,
  OfferCapacityChangedDocument,
  OrganisationAuditLogDocument,
  UpdateMemberRolesDocument,
  ViewerDocument,
  type Role,
} from '../../clients/generated/graphql.ts';
import { encodeGlobalID } from '@pothos/plugin-relay';
import { seedScenario, type Person, type Scenario } from '../helpers/fixtures.ts';
import { startTestHub, type TestHub } from '../helpers/hub.ts';
import { raw } from '../helpers/realtime.ts';
import { failed, ok } from './helpers.ts';

let t: TestHub;
let s: Scenario;
const stops: (() => Promise<unknown>)[] = [];

beforeAll(async () => {
  t = await startTestHub();
  s = await seedScenario(t.db.prisma, t.config);
});
afterEach(async () => {
  for (const stop of stops.splice(0)) await stop();
});
afterAll(() => t.close());

async function membershipOf(person: Person, slug: 'alpha' | 'beta' | 'hub' = 'alpha') {
  const m = await t.db.prisma.membership.findFirstOrThrow({
    where: { userId: s.user[person].id, organisationId: s.org[slug].id },
  });
  return encodeGlobalID('Membership', m.id);
}

async function setRoles(actor: Person, person: Person, roles: Role[], slug: 'alpha' | 'hub' = 'alpha') {
  const client = t.client(await s.token(actor));
  const res = await client.request(UpdateMemberRolesDocument, {
    input: { membershipId: await membershipOf(person, slug), roles },
  });
  return res.updateMemberRoles;
}

async function disable(actor: Person, person: Person) {
  const client = t.client(await s.token(actor));
  return (
    await client.request(DisableMembershipDocument, { input: { membershipId: await membershipOf(person) } })
  ).disableMembership;
}

/**
 * A live subscription of `person` over graphql-ws: it has received a notice (replayed from its
 * cursor or live), so it is registered for whatever comes next.
 */
async function liveSubscription(person: Person) {
  const offer = await t.db.prisma.offer.create({
    data: {
      organisationId: s.org.beta.id,
      title: { fr: 'Permanence' },
      status: 'PUBLISHED',
      capacityFree: 3,
    },
  });
  const { rows } = await t.db.pool.query<{ seq: string }>(
    'select coalesce(max(seq), 0)::text as seq from "OutboxEvent"',
  );
  const sub = raw(t.graphqlUrl, await s.token(person), OfferCapacityChangedDocument, { after: rows[0]!.seq });
  stops.push(async () => sub.client.dispose());
  await t.db.prisma.offer.update({ where: { id: offer.id }, data: { capacityFree: 2 } });
  await sub.waitFor(1);
  return sub;
}

describe('changing roles', () => {
  it('an admin changes a member’s roles; the change is audited with the roles before and after', async () => {
    const data = ok(await setRoles('alice', 'carol', ['CASE_WORKER', 'CATALOGUE_EDITOR', 'CASE_WORKER']));
    expect(data.membership).toMatchObject({
      roles: ['CATALOGUE_EDITOR', 'CASE_WORKER'],
      active: true,
      user: { email: 'carol@alpha.example' },
    });
    const log = await t
      .client(await s.token('alice'))
      .request(OrganisationAuditLogDocument, { slug: 'alpha' });
    expect(log.organisation!.auditLog.edges[0]!.node).toMatchObject({
      action: 'MEMBER_ROLES_CHANGED',
      actor: { email: 'alice@alpha.example' },
      subject: { email: 'carol@alpha.example' },
      rolesBefore: ['CASE_WORKER'],
      rolesAfter: ['CATALOGUE_EDITOR', 'CASE_WORKER'],
    });
    // The same roles again: nothing to change, nothing audited.
    const entries = await t.db.prisma.auditLogEntry.count();
    ok(await setRoles('alice', 'carol', ['CATALOGUE_EDITOR', 'CASE_WORKER']));
    expect(await t.db.prisma.auditLogEntry.count()).toBe(entries);
  });

  it('refusals are typed and change nothing', async () => {
    const before = await t.db.prisma.membership.findMany({ orderBy: { id: 'asc' } });
    expect(failed(await setRoles('alice', 'carol', []), 'InvalidInputError').fields[0]?.path).toEqual([
      'input',
      'roles',
    ]);
    // Carol sees Alice's membership (a colleague's) but is no admin.
    expect((await setRoles('carol', 'alice', ['CASE_WORKER'])).__typename).toBe('ForbiddenError');
    // Alice cannot see beta's or the hub's memberships at all.
    const beta = await t.client(await s.token('alice')).request(UpdateMemberRolesDocument, {
      input: { membershipId: await membershipOf('bob', 'beta'), roles: ['CASE_WORKER'] },
    });
    expect(beta.updateMemberRoles.__typename).toBe('NotFoundError');
    // Giving a network role is a hub admin's, and the refusal says so for the console to word it.
    expect(await setRoles('alice', 'carol', ['HUB_ADMIN'])).toMatchObject({
      __typename: 'ForbiddenError',
      requiredRole: 'HUB_ADMIN',
    });
    expect(await setRoles('carol', 'alice', ['CASE_WORKER'])).toMatchObject({ requiredRole: null });
    expect((await setRoles('alice', 'carol', ['CASE_WORKER', 'NETWORK_COORDINATOR'])).__typename).toBe(
      'ForbiddenError',
    );
    // The last admin of alpha, and the last hub admin of the network.
    const last = failed(await setRoles('alice', 'alice', ['CASE_WORKER']), 'LastAdminError');
    expect(last).toMatchObject({ scope: 'ORGANISATION', code: 'accounts/last_admin' });
    expect(failed(await disable('alice', 'alice'), 'LastAdminError').scope).toBe('ORGANISATION');
    expect(failed(await setRoles('hugo', 'hugo', ['ORG_ADMIN'], 'hub'), 'LastAdminError').scope).toBe('HUB');
    expect(await t.db.prisma.membership.findMany({ orderBy: { id: 'asc' } })).toEqual(before);
  });

  it('a hub admin’s membership is a hub admin’s to change or disable, and the refusal names the role', async () => {
    const carol = await t.db.prisma.membership.findFirstOrThrow({ where: { userId: s.user.carol.id } });
    await t.db.prisma.membership.update({
      where: { id: carol.id },
      data: { roles: ['CASE_WORKER', 'HUB_ADMIN'] },
    });
    try {
      const refused = { __typename: 'ForbiddenError', requiredRole: 'HUB_ADMIN' };
      expect(await setRoles('alice', 'carol', ['CASE_WORKER'])).toMatchObject(refused);
      expect(await disable('alice', 'carol')).toMatchObject(refused);
      const after = await t.db.prisma.membership.findUniqueOrThrow({ where: { id: carol.id } });
      expect([after.roles, after.disabledAt]).toEqual([['CASE_WORKER', 'HUB_ADMIN'], null]);
    } finally {
      await t.db.prisma.membership.update({ where: { id: carol.id }, data: { roles: carol.roles } });
    }
  });

  it('two admins demoting each other at once leave one admin', async () => {
    ok(await setRoles('alice', 'carol', ['ORG_ADMIN', 'CASE_WORKER']));
    const [a, c] = await Promise.all([
      setRoles('alice', 'carol', ['CASE_WORKER']),
      setRoles('carol', 'alice', ['CATALOGUE_EDITOR']),
    ]);
    const outcomes = [a.__typename, c.__typename].sort();
    expect(outcomes).toContain('MutationUpdateMemberRolesSuccess');
    expect(outcomes.filter((o) => o.endsWith('Success'))).toHaveLength(1);
    const admins = await t.db.prisma.membership.count({
      where: { organisationId: s.org.alpha.id, roles: { has: 'ORG_ADMIN' }, disabledAt: null },
    });
    expect(admins).toBe(1);
    // Back to the scenario: Alice admin, Carol case worker.
    if (c.__typename.endsWith('Success'))
      ok(await setRoles('carol', 'alice', ['ORG_ADMIN', 'CATALOGUE_EDITOR']));
    ok(await setRoles('alice', 'carol', ['CASE_WORKER']));
  });
});

describe('the member list', () => {
  it('counts its members and reads them in a constant number of statements', async () => {
    const alice = t.client(await s.token('alice'));
    const statements = async () => {
      t.resetQueries();
      const data = await alice.request(MembersDocument, { slug: 'alpha', first: 50 });
      return { count: t.queries.length, members: data.organisation!.members };
    };
    const before = await statements();
    for (const n of [1, 2, 3]) {
      await t.db.prisma.membership.create({
        data: {
          user: { create: { email: `extra${n}@alpha.example`, name: `Extra ${n}` } },
          organisation: { connect: { id: s.org.alpha.id } },
          roles: ['CASE_WORKER'],
        },
      });
    }
    const after = await statements();
    expect(after.members.totalCount).toBe(before.members.totalCount + 3);
    expect(after.members.edges).toHaveLength(after.members.totalCount);
    expect(after.count).toBe(before.count);
    await t.db.prisma.user.deleteMany({ where: { email: { startsWith: 'extra' } } });
  });
});

describe('losing access ends open subscriptions (ACCESS_CHANGED)', () => {
  it('when roles are reduced', async () => {
    ok(await setRoles('alice', 'carol', ['CATALOGUE_EDITOR', 'CASE_WORKER']));
    const sub = await liveSubscription('carol');
    const live = sub.items.length;
    ok(await setRoles('alice', 'carol', ['CASE_WORKER']));
    const results = await sub.waitFor(live + 1);
    expect(results).toHaveLength(live + 1);
    expect(results.at(-1)?.errors?.[0]?.extensions?.code).toBe('ACCESS_CHANGED');
    expect(await sub.ended).toBe('complete');
  });

  it('when the membership is disabled: the token keeps no role there, the member list hides it', async () => {
    const sub = await liveSubscription('carol');
    const live = sub.items.length;
    const disabled = ok(await disable('alice', 'carol'));
    expect(disabled.membership).toMatchObject({ active: false, roles: ['CASE_WORKER'] });
    const results = await sub.waitFor(live + 1);
    expect(results).toHaveLength(live + 1);
    expect(results.at(-1)?.errors?.[0]?.extensions?.code).toBe('ACCESS_CHANGED');
    expect(await sub.ended).toBe('complete');

    const carol = await t.client(await s.token('carol')).request(ViewerDocument);
    expect(carol.viewer?.memberships).toEqual([]);
    const alice = t.client(await s.token('alice'));
    const active = (await alice.request(MembersDocument, { slug: 'alpha' })).organisation!.members;
    const all = (await alice.request(MembersDocument, { slug: 'alpha', includeDisabled: true })).organisation!
      .members;
    expect(all.totalCount).toBe(active.totalCount + 1);
    expect(active.edges.map((e) => e.node.user.email)).not.toContain('carol@alpha.example');

    // Disabling again changes nothing; roles of a disabled membership do not change.
    const entries = await t.db.prisma.auditLogEntry.count({ where: { action: 'MEMBERSHIP_DISABLED' } });
    ok(await disable('alice', 'carol'));
    expect(await t.db.prisma.auditLogEntry.count({ where: { action: 'MEMBERSHIP_DISABLED' } })).toBe(entries);
    expect(failed(await setRoles('alice', 'carol', ['ORG_ADMIN']), 'InvalidTransitionError').status).toBe(
      'DISABLED',
    );
    // Carol, no longer a member, cannot act on alpha's members.
    expect((await setRoles('carol', 'alice', ['CASE_WORKER'])).__typename).toBe('ForbiddenError');
  });
});

describe('the audit log', () => {
  it('is read by the organisation’s admins and hub admins only', async () => {
    const alice = await t.send(
      OrganisationAuditLogDocument,
      { slug: 'alpha' },
      { token: await s.token('alice') },
    );
    expect(alice.body.data?.organisation?.auditLog.totalCount).toBeGreaterThan(0);
    const bob = await t.send(
      OrganisationAuditLogDocument,
      { slug: 'alpha' },
      { token: await s.token('bob') },
    );
    expect(bob.body.data?.organisation ?? null).toBeNull();
    const anonymous = await t.send(OrganisationAuditLogDocument, { slug: 'alpha' });
    expect(anonymous.body.data?.organisation ?? null).toBeNull();

    const root = async (person: Person) =>
      (await t.client(await s.token(person)).request(AuditLogDocument, {})).auditLog;
    const slugs = async (person: Person) =>
      new Set((await root(person)).edges.map((e) => e.node.organisation.slug));
    expect(await slugs('bob')).toEqual(new Set());
    expect(await slugs('alice')).toEqual(new Set(['alpha']));
    expect((await root('hugo')).totalCount).toBe(await t.db.prisma.auditLogEntry.count());
    const disabled = await t.client(await s.token('hugo')).request(AuditLogDocument, {
      organisationId: s.org.alpha.globalId,
      action: 'MEMBERSHIP_DISABLED',
    });
    expect(disabled.auditLog.edges.map((e) => e.node)).toEqual([
      expect.objectContaining({
        actor: { email: 'alice@alpha.example' },
        subject: { email: 'carol@alpha.example' },
        rolesBefore: ['CASE_WORKER'],
        rolesAfter: [],
      }),
    ]);
  });
});
