/** The hub survives losing PostgreSQL: requests fail cleanly during the outage, succeed after. */
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import pg from 'pg';
import { OrganisationsDocument } from '../../clients/generated/graphql.ts';
import { startTestHub, type TestHub } from '../helpers/hub.ts';
import { startTcpProxy, type TcpProxy } from '../helpers/tcp-proxy.ts';

let t: TestHub;
let proxy: TcpProxy;

beforeAll(async () => {
  proxy = await startTcpProxy({ host: '127.0.0.1', port: 5432 });
  t = await startTestHub(
    {},
    {
      connectVia: (url) => {
        const u = new URL(url);
        u.port = String(proxy.port);
        return u.toString();
      },
    },
  );
  await t.db.prisma.organisation.create({ data: { slug: 'alpha', name: 'Alpha' } });
});
afterAll(async () => {
  await t.close();
  await proxy.close();
});

const base = () => t.graphqlUrl.replace('/graphql', '');

it('answers 503 with a clear error while the database is gone, and recovers', async () => {
  expect((await t.send(OrganisationsDocument, { first: 5 })).body.data?.organisations.totalCount).toBe(1);

  await proxy.cut();
  // Other variables than the read above: an anonymous catalogue read already answered may be
  // served from the public cache during the outage (nothing can change while the database is gone).
  const during = await t.send(OrganisationsDocument, { first: 4 });
  expect(during.status).toBe(503);
  expect(during.body.errors?.[0]).toMatchObject({
    message: 'The database is unavailable; try again shortly.',
    extensions: { code: 'DATABASE_UNAVAILABLE' },
  });
  expect((await fetch(`${base()}/readyz`)).status).toBe(503);
  expect((await fetch(`${base()}/healthz`)).status).toBe(200);

  await proxy.restore();
  const after = await t.send(OrganisationsDocument, { first: 3 });
  expect(after.status).toBe(200);
  expect(after.body.data?.organisations.totalCount).toBe(1);
  expect((await fetch(`${base()}/readyz`)).status).toBe(200);
});

it('survives its connections being terminated by the server', async () => {
  const admin = new pg.Client({ connectionString: t.database.url });
  await admin.connect();
  await admin.query(
    `select pg_terminate_backend(pid) from pg_stat_activity
      where datname = current_database() and application_name = 'maillage'`,
  );
  await admin.end();
  const first = await t.send(OrganisationsDocument, { first: 5 });
  expect([200, 503]).toContain(first.status);
  const second = await t.send(OrganisationsDocument, { first: 5 });
  expect(second.status).toBe(200);
  expect(second.body.data?.organisations.totalCount).toBe(1);
});
