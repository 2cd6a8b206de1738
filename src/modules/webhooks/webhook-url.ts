/**
 * Where a webhook may point. An endpoint is a URL an organisation gives the hub to POST to, so it
 * must not reach inside the hub's network: loopback, private (10/8, 172.16/12, 192.168/16),
 * link-local (169.254/16, cloud metadata included), multicast, unique-local IPv6 (fc00::/7),
 * IPv4-mapped IPv6 (`::ffff:10.0.0.1`) and every other address that is not ordinary unicast.
 *
 * Checked twice: when an endpoint is registered or changed (`webhookUrlProblem`, a typed input
 * error, the host name resolved once), and at every connection by the worker's HTTP agents
 * (`webhookAgents`, request-filtering-agent), which check the address actually connected to, so a
 * name that resolves elsewhere later (DNS rebinding) is refused too. Both use ipaddr.js's ranges
 * (the library's own): anything but `unicast` is refused.
 *
 * Production takes https only. WEBHOOK_ALLOW_LOOPBACK (refused in production) lets development and
 * tests use receivers on 127.0.0.1 / ::1 / localhost, over plain http too.
 */
import dns from 'node:dns';
import type http from 'node:http';
import net from 'node:net';
import ipaddr from 'ipaddr.js';
import { RequestFilteringHttpAgent, RequestFilteringHttpsAgent } from 'request-filtering-agent';
import { loadConfig, type Config } from '../../shared/config.ts';
import type { FieldProblemReason } from '../../shared/errors.ts';

export interface WebhookAddressPolicy {
  httpsOnly: boolean;
  allowLoopback: boolean;
}

export function webhookAddressPolicy(
  config: Pick<Config, 'NODE_ENV' | 'WEBHOOK_ALLOW_LOOPBACK'>,
): WebhookAddressPolicy {
  return { httpsOnly: config.NODE_ENV === 'production', allowLoopback: config.WEBHOOK_ALLOW_LOOPBACK };
}

/** The loopback addresses WEBHOOK_ALLOW_LOOPBACK opens (as the agent compares them: exactly). */
const LOOPBACK = ['127.0.0.1', '::1'];
const LOCAL_NAMES = /^(localhost|[\w-]+(\.[\w-]+)*\.localhost)$/i;

/**
 * Ports that browsers' and Node's fetch refuse ("bad ports": mail, DNS, SSH…, fetch.spec.whatwg.org):
 * an endpoint there would fail forever, and a POST there talks to another protocol's server.
 */
const BAD_PORTS = new Set([
  0, 1, 7, 9, 11, 13, 15, 17, 19, 20, 21, 22, 23, 25, 37, 42, 43, 53, 69, 77, 79, 87, 95, 101, 102, 103, 104,
  109, 110, 111, 113, 115, 117, 119, 123, 135, 137, 139, 143, 161, 179, 389, 427, 465, 512, 513, 514, 515,
  526, 530, 531, 532, 540, 548, 554, 556, 563, 587, 601, 636, 989, 990, 993, 995, 1719, 1720, 1723, 2049,
  3659, 4045, 4190, 5060, 5061, 6000, 6566, 6665, 6666, 6667, 6668, 6669, 6679, 6697, 10080,
]);

/** How long registration waits for the host name to resolve (then the connection check decides). */
const LOOKUP_LIMIT_MS = 3000;

const RANGE_NAMES: Record<string, string> = {
  loopback: 'a loopback address',
  private: 'a private address',
  linkLocal: 'a link-local address',
  uniqueLocal: 'a unique-local address',
  multicast: 'a multicast address',
  ipv4Mapped: 'an IPv4-mapped address',
  unspecified: 'an unspecified address',
  broadcast: 'a broadcast address',
  carrierGradeNat: 'a shared (carrier-grade NAT) address',
};

/** Why connecting to `address` is refused, or null. Mirrors request-filtering-agent's rule. */
export function blockedAddress(address: string, policy: WebhookAddressPolicy): string | null {
  if (policy.allowLoopback && LOOPBACK.includes(address)) return null;
  let range: string;
  try {
    range = ipaddr.parse(address).range();
  } catch {
    return 'not an address';
  }
  if (range === 'unicast') return null;
  return RANGE_NAMES[range] ?? 'a reserved address';
}

/** A URL's host as an address (IPv6 without brackets), or null for a name. */
function hostAddress(url: URL): string | null {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  return net.isIP(host) ? host : null;
}

const isLoopbackHost = (url: URL) => {
  const address = hostAddress(url);
  return address ? ipaddr.parse(address).range() === 'loopback' : LOCAL_NAMES.test(url.hostname);
};

/**
 * Problems known from the URL alone: scheme, credentials, port (also checked by the worker before
 * each attempt), and, with `addresses`, a host that is an internal address or a local name.
 */
export function webhookUrlSyntaxProblem(
  url: string,
  policy: WebhookAddressPolicy,
  { addresses = true } = {},
): UrlProblem | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { message: 'must be an absolute URL', reason: 'FORMAT' };
  }
  if (parsed.username || parsed.password) {
    return { message: 'must not contain credentials (deliveries are signed)', reason: 'URL_CREDENTIALS' };
  }
  if (parsed.hash) return { message: 'must not contain a fragment', reason: 'URL_FRAGMENT' };
  const http = parsed.protocol === 'http:' && !policy.httpsOnly && isLoopbackHost(parsed);
  if (parsed.protocol !== 'https:' && !http) {
    const message = policy.httpsOnly ? 'must use https' : 'must use https (http only for localhost)';
    return { message, reason: 'INSECURE_URL' };
  }
  if (parsed.port !== '' && BAD_PORTS.has(Number(parsed.port))) {
    return {
      message: `must not use port ${parsed.port} (reserved for another protocol)`,
      reason: 'BLOCKED_PORT',
    };
  }
  if (!addresses) return null;
  const address = hostAddress(parsed) ?? (LOCAL_NAMES.test(parsed.hostname) ? '127.0.0.1' : null);
  const blocked = address && blockedAddress(address, policy);
  if (blocked) return internal(`${blocked} (${address})`);
  return null;
}

/** Why a URL cannot be an endpoint: in plain words, and as a reason a client may word itself. */
export interface UrlProblem {
  message: string;
  reason: FieldProblemReason;
}

const internal = (what: string): UrlProblem => ({
  message: `must not point to ${what}: webhooks reach public hosts only`,
  reason: 'INTERNAL_ADDRESS',
});

export type Lookup = (host: string) => Promise<{ address: string }[]>;

const systemLookup: Lookup = (host) => dns.promises.lookup(host, { all: true, verbatim: true });

/**
 * Why `url` cannot be an endpoint, or null. A host name is resolved: refused when any of its
 * addresses is; accepted when it does not resolve (yet) within LOOKUP_LIMIT_MS.
 */
export async function webhookUrlProblem(
  url: string,
  policy: WebhookAddressPolicy,
  lookup: Lookup = systemLookup,
): Promise<UrlProblem | null> {
  const problem = webhookUrlSyntaxProblem(url, policy);
  if (problem) return problem;
  const parsed = new URL(url);
  if (hostAddress(parsed) || LOCAL_NAMES.test(parsed.hostname)) return null;
  let timer: NodeJS.Timeout | undefined;
  const addresses = await Promise.race([
    lookup(parsed.hostname).catch(() => []),
    new Promise<[]>((resolve) => (timer = setTimeout(() => resolve([]), LOOKUP_LIMIT_MS))),
  ]).finally(() => clearTimeout(timer));
  for (const { address } of addresses) {
    const blocked = blockedAddress(address, policy);
    if (blocked) return internal(`${blocked} (${parsed.hostname} resolves to ${address})`);
  }
  return null;
}

/** HTTP agents that refuse, at each connection, the addresses the policy refuses. */
export function webhookAgents(policy: WebhookAddressPolicy): { http: http.Agent; https: http.Agent } {
  const options = {
    keepAlive: true,
    allowPrivateIPAddress: false,
    allowMetaIPAddress: false,
    allowIPAddressList: policy.allowLoopback ? LOOPBACK : [],
  };
  return { http: new RequestFilteringHttpAgent(options), https: new RequestFilteringHttpsAgent(options) };
}

/** The agents' refusal ("DNS lookup 10.0.0.1(family:4, host:…) is not allowed…"), which has no code. */
export function isBlockedAddressError(err: unknown): boolean {
  return err instanceof Error && /^DNS lookup .* is not allowed/.test(err.message);
}

let processPolicy: WebhookAddressPolicy | undefined;

/** Sets the policy registrations are checked against in this process (the hub, at start). */
export function configureWebhookAddresses(config: Pick<Config, 'NODE_ENV' | 'WEBHOOK_ALLOW_LOOPBACK'>): void {
  processPolicy = webhookAddressPolicy(config);
}

/** The process's policy: the configured one, or the environment's. */
export function currentWebhookAddressPolicy(): WebhookAddressPolicy {
  processPolicy ??= webhookAddressPolicy(loadConfig());
  return processPolicy;
}
