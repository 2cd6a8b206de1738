/**
 * One GraphQL request outside the urql client, for signing in and refreshing (which must not
 * wait for a token themselves).
 */
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print } from 'graphql';

export async function request<T, V>(
  document: TypedDocumentNode<T, V>,
  variables: V,
  token?: string | null,
): Promise<T> {
  const res = await fetch('/graphql', {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/graphql-response+json, application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify({ query: print(document), variables }),
  });
  const body = (await res.json().catch(() => null)) as { data?: T; errors?: { message: string }[] } | null;
  if (!body?.data) throw new Error(body?.errors?.[0]?.message ?? `The hub answered ${res.status}.`);
  return body.data;
}
