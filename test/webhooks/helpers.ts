/**
 * Webhook test kit: a receiver on node:http whose requests tests wait for, the attempts the
 * workers record (NOTIFY), the signature check a partner would write, and viewers of the scenario.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import http, { type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { encodeGlobalID } from '@pothos/plugin-relay';
import pg from 'pg';
import { ATTEMPT_CHANNEL } from '../../src/modules/webhooks/webhook-worker.ts';
import type { Scenario } from '../helpers/fixtures.ts';

type Fields = Record<string, unknown>;

/** Who made a referral event, as a webhook body names them (`data.event.actor`). */
export interface BodyActor {
  name: string;
  kind: 'PERSON' | 'API_CLIENT';
  organisation: { id: string; name: string } | null;
}

/**
 * What a webhook body's `data` holds for an outbox payload, written out here rather than taken
 * from the code under test: every id named as GraphQL names it (global IDs), each object's raw
 * id beside it as `rawId`, and a referral event's `actor` (who made it: given by the test).
 */
export function asGraphQL(payload: unknown, actor: BodyActor | null = null): unknown {
  const gid = (type: string, id: unknown) => (typeof id === 'string' ? encodeGlobalID(type, id) : id);
  const { event, referral, offer } = payload as { event?: Fields; referral?: Fields; offer?: Fields };
  if (offer) {
    return {
      offer: {
        ...offer,
        id: gid('Offer', offer.id),
        rawId: offer.id,
        organisationId: gid('Organisation', offer.organisationId),
      },
    };
  }
  return {
    event: {
      ...event,
      id: gid('ReferralEvent', event?.id),
      rawId: event?.id,
      actorOrganisationId: gid('Organisation', event?.actorOrganisationId),
      actor,
    },
    referral: {
      ...referral,
      id: gid('Referral', referral?.id),
      rawId: referral?.id,
      senderOrganisationId: gid('Organisation', referral?.senderOrganisationId),
      receiverOrganisationId: gid('Organisation', referral?.receiverOrganisationId),
      offerId: gid('Offer', referral?.offerId),
      assigneeUserId: gid('User', referral?.assigneeUserId),
    },
  };
}

/** How long a wait may take before the test fails with what it saw. */
const WAIT_LIMIT_MS = 20_000;

/** A list that tests wait on: `waitFor` resolves as soon as the items satisfy a condition. */
export class Feed<T> {
  readonly items: T[] = [];
  private waiters: { test: (items: T[]) => boolean; resolve: () => void }[] = [];

  push(item: T): void {
    this.items.push(item);
    this.waiters = this.waiters.filter((w) => {
      if (!w.test(this.items)) return true;
      w.resolve();
      return false;
    });
  }

  waitFor(test: (items: T[]) => boolean, what: string): Promise<void> {
    if (test(this.items)) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        const summary = JSON.stringify(this.items.slice(-20), null, 1).slice(0, 4000);
        reject(new Error(`Waited ${WAIT_LIMIT_MS} ms for ${what}; last seen: ${summary}`));
      }, WAIT_LIMIT_MS);
      this.waiters.push({
        test,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
      });
    });
  }
}

/** What a receiver does with a request: answer with a status, never answer, or cut the connection. */
export type ReceiverMode = number | 'hang';

export interface Received {
  eventId: string;
  eventType: string;
  attempt: number;
  headers: IncomingHttpHeaders;
  body: string;
  /** The status answered; null while hanging. */
  answered: number | null;
  at: number;
}

/** A partner system's endpoint on 127.0.0.1 (plain http is allowed to it). */
export class Receiver {
  readonly requests = new Feed<Received>();
  mode: ReceiverMode;
  private server: http.Server;
  private sockets = new Set<Socket>();
  private port = 0;

  private constructor(mode: ReceiverMode) {
    this.mode = mode;
    this.server = this.createServer();
  }

  static async start(mode: ReceiverMode = 200): Promise<Receiver> {
    const receiver = new Receiver(mode);
    await receiver.listen();
    return receiver;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}/hooks/maillage`;
  }

  /** Distinct event ids answered 2xx. */
  delivered(): Set<string> {
    return new Set(
      this.requests.items
        .filter((r) => r.answered !== null && r.answered >= 200 && r.answered < 300)
        .map((r) => r.eventId),
    );
  }

  /** Resolves once every id in `ids` was answered 2xx. */
  waitForDelivered(ids: Iterable<string>, what = 'deliveries'): Promise<void> {
    const wanted = [...ids];
    return this.requests.waitFor(
      () => {
        const got = this.delivered();
        return wanted.every((id) => got.has(id));
      },
      `${what} ${wanted.join(', ')}`,
    );
  }

  /** Stops listening and cuts every connection: connections are now refused. */
  async down(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const socket of this.sockets) socket.destroy();
    await closed;
  }

  /** Listens again on the same port. */
  async up(mode: ReceiverMode = 200): Promise<void> {
    this.mode = mode;
    this.server = this.createServer();
    await this.listen(this.port);
  }

  close(): Promise<void> {
    return this.down();
  }

  private createServer(): http.Server {
    const server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const mode = this.mode;
        const received: Received = {
          eventId: String(req.headers['maillage-event-id']),
          eventType: String(req.headers['maillage-event-type']),
          attempt: Number(req.headers['maillage-delivery-attempt']),
          headers: req.headers,
          body: Buffer.concat(chunks).toString('utf8'),
          answered: mode === 'hang' ? null : mode,
          at: Date.now(),
        };
        if (mode !== 'hang') {
          res.writeHead(mode, { 'content-type': 'text/plain' });
          res.end(mode >= 300 ? 'Service en maintenance' : 'ok');
        }
        this.requests.push(received);
      });
    });
    server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    return server;
  }

  private async listen(port = 0): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, '127.0.0.1', () => resolve());
    });
    this.port = (this.server.address() as AddressInfo).port;
  }
}

/** An attempt a worker recorded, as announced on NOTIFY. */
export interface AttemptNotice {
  id: string;
  endpointId: string;
  eventId: string;
  status: 'PENDING' | 'DELIVERED' | 'FAILED';
  attempts: number;
  lastError: string | null;
}

/** Every attempt any worker on the database records, as it is recorded. */
export async function listenAttempts(url: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const feed = new Feed<AttemptNotice>();
  client.on('notification', (n) => {
    if (n.channel === ATTEMPT_CHANNEL && n.payload) feed.push(JSON.parse(n.payload) as AttemptNotice);
  });
  await client.query(`listen ${ATTEMPT_CHANNEL}`);
  return { feed, close: () => client.end() };
}

/** The verification a partner writes (the snippet in webhook-events.ts), on the raw body. */
export function verifyMaillageWebhook(
  secret: string,
  headers: IncomingHttpHeaders,
  rawBody: string,
): boolean {
  const timestamp = String(headers['maillage-timestamp'] ?? '');
  const given = String(headers['maillage-signature'] ?? '').replace(/^v1=/, '');
  const expected = createHmac('sha256', secret).update(`${timestamp}.${rawBody}`).digest('hex');
  const fresh = Math.abs(Date.now() / 1000 - Number(timestamp)) < 300;
  return (
    fresh && given.length === expected.length && timingSafeEqual(Buffer.from(given), Buffer.from(expected))
  );
}

/** The scenario's people acting through the services, as the GraphQL layer would. */
export function viewers(s: Scenario) {
  return { alice: s.viewer('alice'), bob: s.viewer('bob'), carol: s.viewer('carol') };
}
