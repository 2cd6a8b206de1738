/**
 * `@maillage/client`: a typed client for a Maillage hub's GraphQL API, over HTTP and graphql-ws.
 *
 *   import { createMaillageClient } from '@maillage/client';
 *   const hub = createMaillageClient({ url: 'https://hub.example.lu', apiKey: process.env.KEY });
 *   const page = await hub.catalogue.search({ filter: { text: 'logement' } });
 *
 * Every operation of the API is a typed document in `@maillage/client/operations` (generated from
 * clients/operations/*.graphql), sent with `request(Document, variables)`; the named helpers
 * (`catalogue`, `referrals`) cover the partner's daily work and unwrap typed failures into
 * {@link MaillageOperationError}.
 */
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print, type FormattedExecutionResult } from 'graphql';
import WebSocket from 'ws';
import { createCatalogueHelpers, type CatalogueHelpers } from './catalogue-helpers.ts';
import { MaillageRequestError } from './errors.ts';
import { WhoAmIDocument, type WhoAmIQuery } from './generated/graphql.ts';
import { resumableSubscription, type ResumableSubscription } from './realtime.ts';
import { createReferralHelpers, type ReferralHelpers } from './referral-helpers.ts';

export {
  MaillageError,
  MaillageOperationError,
  MaillageRequestError,
  unwrap,
  type FailureResult,
  type FieldProblem,
  type SuccessData,
} from './errors.ts';
export type {
  CatalogueHelpers,
  OfferPage,
  SearchOffersOptions,
  WatchOffersOptions,
} from './catalogue-helpers.ts';
export type {
  ReferralCounts,
  ReferralHelpers,
  ReferralListOptions,
  ReferralPage,
  ReferralStep,
  ReferralStepInput,
  WatchReferralsOptions,
} from './referral-helpers.ts';
export type { ResumableSubscription } from './realtime.ts';

/** How to reach a hub and as whom. Give a `token` or an `apiKey`, or neither (public reads only). */
export interface MaillageClientOptions {
  /** The hub, e.g. `https://hub.example.lu`, or its GraphQL endpoint (`…/graphql`). */
  url: string;
  /** A person's bearer token (JWT); a function is asked again before each request, to renew it. */
  token?: string | (() => string | undefined | Promise<string | undefined>) | undefined;
  /** An organisation's API key (`mlg_…`, from the `createApiClient` mutation). */
  apiKey?: string | undefined;
  /** Extra HTTP headers, e.g. `accept-language`. */
  headers?: Record<string, string>;
  /** Give up on a request after this many milliseconds (default 30 000). */
  timeoutMs?: number;
  /** A WebSocket implementation for subscriptions (default: the `ws` package). */
  webSocketImpl?: unknown;
}

/** Handlers of a resumable subscription; see {@link MaillageClient.subscribe}. */
export interface SubscribeHandlers<T> {
  /** The cursor of a notice (its `cursor` field), remembered to resume after it. */
  cursorOf: (data: T) => string;
  onData: (data: T) => void;
  /** Start after this cursor (saved from an earlier run); omitted: from now on. */
  after?: string | null | undefined;
  /** Every interruption, and whether the subscription resumes after it. */
  onInterruption?: ((reason: string, willResume: boolean) => void) | undefined;
}

/** A hub, bound to one credential. Create it with {@link createMaillageClient}. */
export interface MaillageClient {
  /** The GraphQL endpoint requests go to. */
  readonly endpoint: string;
  /**
   * Sends any operation (a document of `@maillage/client/operations`) and resolves to its `data`.
   * Throws a {@link MaillageRequestError} when the hub could not run it (unreachable, refused
   * credential, invalid variables, rate limit…). Typed failures of mutations are part of `data`:
   * switch on `__typename`, or pass the result to `unwrap`.
   */
  request<T, V>(document: TypedDocumentNode<T, V>, variables?: V): Promise<T>;
  /**
   * Subscribes over graphql-ws and resumes from the last cursor after any interruption that
   * retrying can fix (network loss, hub restart, "access changed"). `finished` resolves with the
   * reason when it stops for good (bad token, unknown object), with null after `stop()`.
   */
  subscribe<T, V extends { after?: string | null }>(
    document: TypedDocumentNode<T, V>,
    variables: Omit<V, 'after'>,
    handlers: SubscribeHandlers<T>,
  ): ResumableSubscription;
  /** The person (`viewer`) or API client (`viewerApiClient`) the credential stands for; both null when anonymous. */
  whoAmI(): Promise<WhoAmIQuery>;
  /** Finding offers and following their free places. */
  readonly catalogue: CatalogueHelpers;
  /** The inbox, each step of a referral, and its live events. */
  readonly referrals: ReferralHelpers;
}

/** The GraphQL endpoint of a hub given by its base URL or by the endpoint itself. */
export function graphqlEndpoint(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new TypeError(`Not a URL: "${url}" (expected e.g. https://hub.example.lu).`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new TypeError(`Not an http(s) URL: "${url}".`);
  }
  const path = parsed.pathname.replace(/\/+$/, '');
  parsed.pathname = path.endsWith('/graphql') ? path : `${path}/graphql`;
  return parsed.toString();
}

/** Creates a client for one hub and credential. Nothing is sent until the first call. */
export function createMaillageClient(options: MaillageClientOptions): MaillageClient {
  if (options.token !== undefined && options.apiKey !== undefined) {
    throw new TypeError('Give a token or an API key, not both.');
  }
  const endpoint = graphqlEndpoint(options.url);
  const credential = async (): Promise<string | undefined> =>
    typeof options.token === 'function' ? options.token() : (options.token ?? options.apiKey);
  const timeoutMs = options.timeoutMs ?? 30_000;

  async function request<T, V>(document: TypedDocumentNode<T, V>, variables?: V): Promise<T> {
    const bearer = await credential();
    let response: Response;
    try {
      response = await fetch(endpoint, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/graphql-response+json, application/json;q=0.9',
          ...(bearer ? { authorization: `Bearer ${bearer}` } : {}),
          ...options.headers,
        },
        body: JSON.stringify({ query: print(document), variables }),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      throw unreachable(endpoint, error, timeoutMs);
    }
    let body: FormattedExecutionResult<T>;
    try {
      body = (await response.json()) as FormattedExecutionResult<T>;
    } catch {
      throw new MaillageRequestError(
        `The hub at ${endpoint} answered HTTP ${response.status} without a GraphQL response.`,
        `HTTP_${response.status}`,
        response.status,
      );
    }
    const errors = body.errors ?? [];
    if (errors.length > 0 || !body.data) {
      const code = errors.map((e) => e.extensions?.code).find((c) => typeof c === 'string');
      const message = errors.map((e) => e.message).join(' ') || `HTTP ${response.status} without data.`;
      throw new MaillageRequestError(message, code ?? `HTTP_${response.status}`, response.status, errors);
    }
    return body.data;
  }

  const wsUrl = endpoint.replace(/^http/, 'ws');
  // `ws` rather than Node 22's global WebSocket: the same behaviour on every supported Node.
  const webSocketImpl = options.webSocketImpl ?? WebSocket;
  function subscribe<T, V extends { after?: string | null }>(
    document: TypedDocumentNode<T, V>,
    variables: Omit<V, 'after'>,
    handlers: SubscribeHandlers<T>,
  ): ResumableSubscription {
    return resumableSubscription({
      url: wsUrl,
      token: credential,
      document,
      variables,
      webSocketImpl,
      ...handlers,
    });
  }

  const client: MaillageClient = {
    endpoint,
    request,
    subscribe,
    whoAmI: () => request(WhoAmIDocument),
    catalogue: createCatalogueHelpers(request, subscribe),
    referrals: createReferralHelpers(request, subscribe),
  };
  return client;
}

/** A fetch that failed without an answer, in plain words. */
function unreachable(endpoint: string, error: unknown, timeoutMs: number): MaillageRequestError {
  if (error instanceof Error && error.name === 'TimeoutError') {
    return new MaillageRequestError(
      `The hub at ${endpoint} did not answer within ${Math.round(timeoutMs / 1000)} s.`,
      'TIMEOUT',
      0,
    );
  }
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  const why: Record<string, string> = {
    ECONNREFUSED: 'connection refused',
    ENOTFOUND: 'host not found',
    EAI_AGAIN: 'host name lookup failed',
    ECONNRESET: 'connection reset',
    EHOSTUNREACH: 'host unreachable',
    ETIMEDOUT: 'connection timed out',
  };
  const reason =
    (cause?.code && why[cause.code]) ??
    cause?.message ??
    (error instanceof Error ? error.message : String(error));
  return new MaillageRequestError(`Cannot reach the hub at ${endpoint}: ${reason}.`, 'NETWORK_ERROR', 0);
}

// The minimal transport the hub's own tests use: the raw answer, status and headers included.

/** Options of {@link send}. */
export interface RequestOptions {
  /** A bearer token (JWT) or API key. */
  token?: string | undefined;
  headers?: Record<string, string>;
}

/** An HTTP answer as it came: status, headers and the GraphQL response. */
export interface RawResponse<T> {
  status: number;
  headers: Headers;
  body: FormattedExecutionResult<T>;
}

/** Sends one operation and returns the HTTP status and the GraphQL response as they came. */
export async function send<T, V>(
  url: string,
  document: TypedDocumentNode<T, V>,
  variables?: V,
  opts: RequestOptions = {},
): Promise<RawResponse<T>> {
  const res = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/graphql-response+json, application/json;q=0.9',
      ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}),
      ...opts.headers,
    },
    body: JSON.stringify({ query: print(document), variables }),
  });
  return {
    status: res.status,
    headers: res.headers,
    body: (await res.json()) as FormattedExecutionResult<T>,
  };
}

/**
 * A client bound to one endpoint and credential whose `request` resolves to `data` or throws a
 * {@link MaillageRequestError}: {@link createMaillageClient} without the helpers.
 */
export function createHubClient(url: string, opts: RequestOptions = {}): Pick<MaillageClient, 'request'> {
  const client = createMaillageClient({
    url,
    token: opts.token,
    ...(opts.headers ? { headers: opts.headers } : {}),
  });
  return { request: (document, variables) => client.request(document, variables) };
}
