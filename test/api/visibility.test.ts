/**
 * Closed by default: an object the caller may not see answers exactly like one that does not
 * exist, through `node`, `nodes` and mutations.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { encodeGlobalID } from '@pothos/plugin-relay';
import {
  CreateApiClientDocument,
  NodeDocument,
  NodesDocument,
  OrganisationMembersDocument,
  RevokeApiClientDocument,
} from '../../clients/generated/graphql.ts';
import { seedScenario, type Scenario } from '../helpers/fixtures.ts';
import { startTestHub, type TestHub } from '../helpers/hub.ts';

let t: TestHub;
let s: Scenario;
let alphaClientId: string;

beforeAll(async () => {
  t = await startTestHub();
  s = await seedScenario(t.db.prisma, t.config);
  const created = await t.client(await s.token('alice')).request(CreateApiClientDocument, {
    input: { organisationId: s.org.alpha.globalId, name: 'Alpha CRM', scopes: ['REFERRALS_READ'] },
  });
  if (created.createApiClient.__typename !== 'MutationCreateApiClientSuccess') throw new Error('setup');
  alphaClientId = created.createApiClient.data.apiClient.id;
});
afterAll(() => t.close());

/** The response body with the request-specific parts removed. */
async function nodeAnswer(id: string, token?: string) {
  const res = await t.send(NodeDocument, { id }, { token });
  return { status: res.status, body: res.body };
}

describe('forbidden and unknown IDs are indistinguishable', () => {
  it.each([
    [
      'a user of another organisation',
      () => s.user.alice.globalId,
      () => encodeGlobalID('User', randomUUID()),
    ],
    [
      'an API client of another organisation',
      () => alphaClientId,
      () => encodeGlobalID('ApiClient', randomUUID()),
    ],
  ])('%s, through node', async (_what, forbidden, unknown) => {
    const bob = await s.token('bob');
    const a = await nodeAnswer(forbidden(), bob);
    const b = await nodeAnswer(unknown(), bob);
    expect(a).toEqual({ status: 200, body: { data: { node: null } } });
    expect(b).toEqual(a);
  });

  it('anonymous callers see no user at all', async () => {
    expect(await nodeAnswer(s.user.alice.globalId)).toEqual({ status: 200, body: { data: { node: null } } });
  });

  it('a malformed uuid inside a well-formed global ID reads as unknown, not as an error', async () => {
    const bob = await s.token('bob');
    expect(await nodeAnswer(encodeGlobalID('User', 'not-a-uuid'), bob)).toEqual(
      await nodeAnswer(encodeGlobalID('User', randomUUID()), bob),
    );
  });

  it('a garbage global ID reads as unknown too, not as an error', async () => {
    expect(await nodeAnswer('%%%not-base64')).toEqual({ status: 200, body: { data: { node: null } } });
  });

  it('nodes: visible ones come back, the rest null, in order', async () => {
    const res = await t.send(
      NodesDocument,
      {
        ids: [
          s.user.bob.globalId,
          s.user.alice.globalId,
          encodeGlobalID('User', randomUUID()),
          s.org.alpha.globalId,
        ],
      },
      { token: await s.token('bob') },
    );
    expect(res.body.data?.nodes).toEqual([
      { __typename: 'User', id: s.user.bob.globalId },
      null,
      null,
      { __typename: 'Organisation', id: s.org.alpha.globalId },
    ]);
  });

  it('revoking another organisation’s API client answers like an unknown one, and changes nothing', async () => {
    const bob = t.client(await s.token('bob'));
    const forbidden = await bob.request(RevokeApiClientDocument, { input: { id: alphaClientId } });
    const unknown = await bob.request(RevokeApiClientDocument, {
      input: { id: encodeGlobalID('ApiClient', randomUUID()) },
    });
    expect(forbidden).toEqual(unknown);
    expect(forbidden.revokeApiClient).toMatchObject({
      __typename: 'NotFoundError',
      code: 'common/not_found',
    });
    const row = await t.db.prisma.apiClient.findFirstOrThrow({ where: { name: 'Alpha CRM' } });
    expect(row.revokedAt).toBeNull();
  });

  it('members are for the organisation’s admins and hub admins only', async () => {
    const forAlice = await t.send(
      OrganisationMembersDocument,
      { slug: 'alpha' },
      { token: await s.token('alice') },
    );
    expect(forAlice.body.data?.organisation?.members.edges.map((e) => e.node.user.email).sort()).toEqual([
      'alice@alpha.example',
      'carol@alpha.example',
      'dora@alpha.example',
    ]);
    const forBob = await t.send(
      OrganisationMembersDocument,
      { slug: 'alpha' },
      { token: await s.token('bob') },
    );
    expect(forBob.body.data).toEqual({ organisation: null });
    expect(forBob.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const forCarol = await t.send(
      OrganisationMembersDocument,
      { slug: 'alpha' },
      { token: await s.token('carol') },
    );
    expect(forCarol.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});
