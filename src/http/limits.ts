/**
 * Query limits (depth, aliases, cost, tokens): the OWASP GraphQL hardening set, shared by HTTP
 * and WebSocket. A query over a limit is rejected before execution with a clear message and the
 * code QUERY_LIMIT_EXCEEDED (HTTP 400).
 */
import { costLimitRule } from '@escape.tech/graphql-armor-cost-limit';
import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import type { GraphQLArmorCallbackConfiguration } from '@escape.tech/graphql-armor-types';
import { GraphQLError, type ParseOptions, type ValidationContext, type ValidationRule } from 'graphql';
import type { Config } from '../shared/config.ts';

export const LIMIT_CODE = 'QUERY_LIMIT_EXCEEDED';

type Limits = Pick<Config, 'MAX_DEPTH' | 'MAX_ALIASES' | 'MAX_COST' | 'MAX_TOKENS'>;

/** graphql-armor reports "Syntax Error: …" by throwing; report a coded validation error instead. */
const report: GraphQLArmorCallbackConfiguration = {
  propagateOnRejection: false,
  onReject: [
    (ctx: ValidationContext | null, err: GraphQLError) =>
      ctx?.reportError(
        new GraphQLError(err.message.replace(/^Syntax Error: /, ''), {
          extensions: { code: LIMIT_CODE },
        }),
      ),
  ],
};

export function limitRules(limits: Limits): ValidationRule[] {
  return [
    maxDepthRule({ n: limits.MAX_DEPTH, ...report }),
    maxAliasesRule({ n: limits.MAX_ALIASES, ...report }),
    costLimitRule({ maxCost: limits.MAX_COST, ...report }),
  ];
}

export function parseOptions(limits: Limits): ParseOptions {
  return { maxTokens: limits.MAX_TOKENS, noLocation: false };
}

/** graphql-js words its token limit as a syntax error ("more that N tokens"): recognise it. */
export function isTokenLimitError(message: string): boolean {
  return /Document contains more tha[nt] \d+ tokens/.test(message);
}

/** True when a validation error (as Apollo wraps it) comes from one of the limit rules. */
export function isLimitError(err: unknown): boolean {
  for (let e = err, depth = 0; e instanceof GraphQLError && depth < 4; depth++) {
    if (e.extensions.code === LIMIT_CODE) return true;
    e = e.originalError;
  }
  return false;
}
