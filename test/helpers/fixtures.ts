/**
 * Named fixtures ("scenarios"): two organisations and the people in them, so that every test
 * reads like the situation it checks.
 *  - alpha: Alice (admin), Carol (case worker)    - beta: Bob (admin)
 *  - hub: Hugo (hub admin)                        - dora: disabled account in alpha
 */
import type { PrismaClient } from '../../src/generated/prisma/client.ts';
import type { Role } from '../../src/generated/prisma/enums.ts';
import type { UserViewer } from '../../src/modules/accounts/viewer.ts';
import { signUserToken } from '../../src/modules/accounts/signing-keys.service.ts';
import type { Config } from '../../src/shared/config.ts';
import { encodeGlobalID } from '@pothos/plugin-relay';

const people = {
  alice: { org: 'alpha', roles: ['ORG_ADMIN', 'CATALOGUE_EDITOR'] },
  carol: { org: 'alpha', roles: ['CASE_WORKER'] },
  bob: { org: 'beta', roles: ['ORG_ADMIN', 'CASE_WORKER'] },
  hugo: { org: 'hub', roles: ['HUB_ADMIN'] },
  dora: { org: 'alpha', roles: ['CASE_WORKER'] },
} satisfies Record<string, { org: string; roles: Role[] }>;

export type Person = keyof typeof people;

export interface Scenario {
  org: Record<'alpha' | 'beta' | 'hub', { id: string; globalId: string; slug: string }>;
  user: Record<Person, { id: string; globalId: string; email: string }>;
  token(person: Person): Promise<string>;
  /** The person as the server sees them, to call services directly. */
  viewer(person: Person): UserViewer;
}

export async function seedScenario(prisma: PrismaClient, config: Config): Promise<Scenario> {
  const org = {} as Scenario['org'];
  for (const slug of ['alpha', 'beta', 'hub'] as const) {
    const row = await prisma.organisation.create({
      data: { slug, name: `Organisation ${slug}`, kind: slug === 'hub' ? 'NETWORK' : 'ASSOCIATION' },
    });
    org[slug] = { id: row.id, globalId: encodeGlobalID('Organisation', row.id), slug };
  }
  const user = {} as Scenario['user'];
  for (const [name, p] of Object.entries(people) as [Person, (typeof people)[Person]][]) {
    const row = await prisma.user.create({
      data: {
        email: `${name}@${p.org}.example`,
        name: name[0]!.toUpperCase() + name.slice(1),
        disabledAt: name === 'dora' ? new Date() : null,
        memberships: { create: { organisationId: org[p.org as keyof typeof org].id, roles: p.roles } },
      },
    });
    user[name] = { id: row.id, globalId: encodeGlobalID('User', row.id), email: row.email };
  }
  return {
    org,
    user,
    token: (person) =>
      signUserToken(prisma, user[person], {
        issuer: config.AUTH_ISSUER,
        audience: config.AUTH_AUDIENCE,
        ttlSeconds: 600,
      }),
    viewer: (person) => ({
      kind: 'user',
      userId: user[person].id,
      email: user[person].email,
      roles: new Map([[org[people[person].org as keyof typeof org].id, new Set<Role>(people[person].roles)]]),
      hubAdmin: person === 'hugo',
    }),
  };
}

/**
 * A third organisation, `gamma`, with one member holding `roles`: the outsider of referral
 * tests. Returns the organisation, the member as a viewer, and a token.
 */
export async function seedThirdOrganisation(prisma: PrismaClient, config: Config, roles: Role[]) {
  const organisation = await prisma.organisation.create({
    data: { slug: 'gamma', name: 'Organisation gamma', kind: 'ASSOCIATION' },
  });
  const user = await prisma.user.create({
    data: {
      email: 'gina@gamma.example',
      name: 'Gina',
      memberships: { create: { organisationId: organisation.id, roles } },
    },
  });
  const viewer: UserViewer = {
    kind: 'user',
    userId: user.id,
    email: user.email,
    roles: new Map([[organisation.id, new Set(roles)]]),
    hubAdmin: false,
  };
  const token = await signUserToken(prisma, user, {
    issuer: config.AUTH_ISSUER,
    audience: config.AUTH_AUDIENCE,
    ttlSeconds: 600,
  });
  return { organisation, viewer, token };
}
