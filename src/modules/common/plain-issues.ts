/**
 * Validation issues in plain words. A schema's own message ("must be a language code such as
 * fr") is kept; zod's default English ("Too small: expected string to have >=1 characters") is
 * reworded from the issue's details ("must not be empty").
 */
import type { FieldProblem, FieldProblemReason } from '../../shared/errors.ts';

/** What zod 4 issues carry besides `message` and `path` (all optional: other libraries differ). */
interface IssueDetails {
  message: string;
  path?: readonly (PropertyKey | { key: PropertyKey })[] | undefined;
  code?: string;
  origin?: string;
  minimum?: number | bigint;
  maximum?: number | bigint;
  inclusive?: boolean;
  format?: string;
  expected?: string;
  values?: unknown[];
  divisor?: number;
  keys?: string[];
  /** A custom issue's reason, given by the rule that raised it (`params: { reason }`). */
  params?: { reason?: FieldProblemReason };
}

/** zod's default messages start so; ours never do. */
const DEFAULT_MESSAGE = /^(Invalid|Too (big|small)|Unrecognized|Expected)\b/;

const FORMATS: Record<string, string> = {
  email: 'must be an e-mail address',
  url: 'must be a web address (https://…)',
  uuid: 'must be a UUID',
  datetime: 'must be a date and time (ISO 8601)',
  date: 'must be a date (YYYY-MM-DD)',
  time: 'must be a time (HH:MM)',
  regex: 'is not in the right form',
};

const count = (n: number | bigint, one: string, many = `${one}s`) => `${n} ${Number(n) === 1 ? one : many}`;

export function plainIssueMessage(issue: IssueDetails): string {
  // A schema's own words: a noun phrase ("a phone number") says what the value must be.
  if (!DEFAULT_MESSAGE.test(issue.message)) {
    return /^an? /.test(issue.message) ? `must be ${issue.message}` : issue.message;
  }
  const { origin, minimum, maximum, inclusive = true } = issue;
  switch (issue.code) {
    case 'too_small':
      if (minimum === undefined) break;
      if (origin === 'string')
        return Number(minimum) <= 1 ? 'must not be empty' : `must be at least ${count(minimum, 'character')}`;
      if (origin === 'array' || origin === 'set')
        return Number(minimum) <= 1 ? 'must not be empty' : `must have at least ${count(minimum, 'item')}`;
      return inclusive ? `must be at least ${minimum}` : `must be more than ${minimum}`;
    case 'too_big':
      if (maximum === undefined) break;
      if (origin === 'string') return `must be at most ${count(maximum, 'character')}`;
      if (origin === 'array' || origin === 'set') return `must have at most ${count(maximum, 'item')}`;
      return inclusive ? `must be at most ${maximum}` : `must be less than ${maximum}`;
    case 'invalid_format':
      return FORMATS[issue.format ?? ''] ?? `must be a valid ${issue.format ?? 'value'}`;
    case 'invalid_type':
      return issue.expected === 'int'
        ? 'must be a whole number'
        : `must be a ${issue.expected ?? 'value of another type'}`;
    case 'invalid_value':
      return issue.values?.length
        ? `must be one of: ${issue.values.map(String).join(', ')}`
        : 'is not allowed';
    case 'not_multiple_of':
      return `must be a multiple of ${issue.divisor}`;
    case 'unrecognized_keys':
      return `has unknown fields: ${(issue.keys ?? []).join(', ')}`;
  }
  return 'is not valid';
}

/**
 * The reason a client may word itself: the rule's own, an empty value, a text or list too long or
 * too short (with its limit), or a value not in its form (else none).
 */
export function issueReason(issue: IssueDetails): Pick<FieldProblem, 'reason' | 'limit'> {
  if (issue.params?.reason) return { reason: issue.params.reason };
  const sized = issue.origin === 'string' || issue.origin === 'array' || issue.origin === 'set';
  if (issue.code === 'too_small' && sized && issue.minimum !== undefined) {
    const minimum = Number(issue.minimum);
    return minimum <= 1 ? { reason: 'REQUIRED' } : { reason: 'TOO_SHORT', limit: minimum };
  }
  if (issue.code === 'too_big' && sized && issue.maximum !== undefined) {
    return { reason: 'TOO_LONG', limit: Number(issue.maximum) };
  }
  if (issue.code === 'invalid_format') return { reason: 'FORMAT' };
  return {};
}

/** Issues as the fields of an InvalidInputError: each path as strings, each message plain. */
export function fieldProblems(issues: readonly IssueDetails[]): FieldProblem[] {
  const seen = new Set<string>();
  const problems: FieldProblem[] = [];
  for (const issue of issues) {
    const path = (issue.path ?? []).map((p) => String(typeof p === 'object' ? p.key : p));
    const message = plainIssueMessage(issue);
    const key = JSON.stringify([path, message]);
    if (seen.has(key)) continue;
    seen.add(key);
    problems.push({ path, message, ...issueReason(issue) });
  }
  return problems;
}
