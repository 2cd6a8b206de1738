/**
 * Subscriptions in tests: collect what a stream delivers and wait for it to reach a count or an
 * end — never for a fixed time.
 */
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print, type FormattedExecutionResult } from 'graphql';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { resumableSubscription, type ResumableSubscription } from '../../clients/realtime.ts';

export interface Collector<T> {
  items: T[];
  /** Resolves once `n` items arrived (with them), rejects after `timeoutMs`. */
  waitFor(n: number, timeoutMs?: number): Promise<T[]>;
}

export function collector<T>(): Collector<T> & { push(item: T): void } {
  const items: T[] = [];
  const waiters: { n: number; resolve: (items: T[]) => void }[] = [];
  return {
    items,
    push(item) {
      items.push(item);
      for (const w of [...waiters]) {
        if (items.length >= w.n) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve(items.slice());
        }
      }
    },
    waitFor(n, timeoutMs = 15_000) {
      if (items.length >= n) return Promise.resolve(items.slice());
      return new Promise<T[]>((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`waited for ${n} items, got ${items.length}: ${JSON.stringify(items)}`)),
          timeoutMs,
        );
        waiters.push({
          n,
          resolve: (got) => {
            clearTimeout(timer);
            resolve(got);
          },
        });
      });
    },
  };
}

/** A resumable subscription (the client helper users get) feeding a collector. */
export function resumable<T, V extends { after?: string | null }>(
  url: string | string[],
  token: string | undefined,
  document: TypedDocumentNode<T, V>,
  variables: Omit<V, 'after'>,
  cursorOf: (data: T) => string,
  after: string | null = null,
): Collector<T> & { sub: ResumableSubscription; interruptions: string[] } {
  const c = collector<T>();
  const interruptions: string[] = [];
  const sub = resumableSubscription({
    url: (Array.isArray(url) ? url : [url]).map((u) => u.replace(/^http/, 'ws')),
    token: () => token,
    document,
    variables,
    cursorOf,
    after,
    webSocketImpl: WebSocket,
    minDelayMs: 50,
    maxDelayMs: 500,
    onData: (d) => c.push(d),
    onInterruption: (reason) => interruptions.push(reason),
  });
  return { ...c, sub, interruptions };
}

/** A plain graphql-ws subscription: every result, and how it ended. */
export function raw<T, V>(
  url: string,
  token: string | undefined,
  document: TypedDocumentNode<T, V>,
  variables: V,
): Collector<FormattedExecutionResult<T>> & { ended: Promise<unknown>; client: Client } {
  const c = collector<FormattedExecutionResult<T>>();
  const client = createClient({
    url: url.replace(/^http/, 'ws'),
    webSocketImpl: WebSocket,
    retryAttempts: 0,
    connectionParams: token ? { authorization: `Bearer ${token}` } : {},
  });
  const ended = new Promise((resolve) => {
    client.subscribe<T>(
      { query: print(document), variables: variables as Record<string, unknown> },
      {
        next: (r) => c.push(r as FormattedExecutionResult<T>),
        error: resolve,
        complete: () => resolve('complete'),
      },
    );
  });
  return { ...c, ended, client };
}
