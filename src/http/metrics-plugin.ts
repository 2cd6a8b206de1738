/**
 * Apollo plugin counting GraphQL requests over HTTP for /metrics (src/shared/metrics.ts): each
 * answer by operation name and outcome (`ok`, or the first error's `extensions.code`), its
 * duration, and every error by code. Requests refused before Apollo's pipeline (the context
 * could not be built: bad token, rate limit, database down; or a malformed request) count too,
 * under the operation `(unknown)` and without a duration.
 */
import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError } from 'graphql';
import type { Context } from '../context.ts';
import type { HubMetrics } from '../shared/metrics.ts';

export function metricsPlugin(metrics: HubMetrics): ApolloServerPlugin<Context> {
  const refused = ({ error }: { error: Error }) => {
    metrics.graphqlRequest(undefined, [codeOf(error)]);
    return Promise.resolve();
  };
  return {
    contextCreationDidFail: refused,
    invalidRequestWasReceived: refused,
    requestDidStart() {
      const started = performance.now();
      return Promise.resolve({
        willSendResponse({ response, operation, operationName }) {
          const result = response.body.kind === 'single' ? response.body.singleResult : undefined;
          const codes = (result?.errors ?? []).map((e) => e.extensions?.code);
          // No operation: the document did not parse or validate (then no name is trusted).
          const name = operation ? (operationName ?? null) : undefined;
          metrics.graphqlRequest(name, codes, (performance.now() - started) / 1000);
          return Promise.resolve();
        },
      });
    },
  };
}

/** The code the client will read (formatError masks anything without one). */
function codeOf(error: Error): string {
  const code = error instanceof GraphQLError ? error.extensions.code : undefined;
  return typeof code === 'string' ? code : 'INTERNAL_SERVER_ERROR';
}
