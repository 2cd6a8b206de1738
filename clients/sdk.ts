/**
 * A small typed client for the hub's GraphQL API over HTTP. Operations come from
 * clients/generated (codegen), so variables and results are typed end to end.
 */
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print, type FormattedExecutionResult } from 'graphql';

export interface RequestOptions {
  /** A bearer token (JWT) or API key. */
  token?: string | undefined;
  headers?: Record<string, string>;
}

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

/** A GraphQL response that carried errors. */
export class HubRequestError extends Error {
  constructor(
    readonly status: number,
    readonly errors: FormattedExecutionResult['errors'],
  ) {
    super(errors?.map((e) => e.message).join('; ') ?? `HTTP ${status}`);
  }
}

/** A client bound to one hub and credential; `request` resolves to `data` or throws. */
export function createHubClient(url: string, opts: RequestOptions = {}) {
  return {
    async request<T, V>(document: TypedDocumentNode<T, V>, variables?: V): Promise<T> {
      const { status, body } = await send(url, document, variables, opts);
      if (body.errors?.length || !body.data) throw new HubRequestError(status, body.errors);
      return body.data;
    },
  };
}
