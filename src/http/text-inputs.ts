/**
 * Bounded text input for every GraphQL request, on every transport, before anything executes.
 * Each string that reaches an argument or an input field (a literal, a variable, a variable's
 * default) is checked: no NUL character (PostgreSQL cannot store one: BAD_USER_INPUT), at most
 * MAX_TEXT_LENGTH characters, or the tighter `textBounds` an argument or input field declares in
 * its extensions (search texts: length and words; INPUT_TOO_LONG). HTTP answers 400.
 */
import {
  getNullableType,
  getOperationAST,
  GraphQLError,
  isInputObjectType,
  isLeafType,
  isListType,
  TypeInfo,
  valueFromASTUntyped,
  visit,
  visitWithTypeInfo,
  type DocumentNode,
  type GraphQLInputType,
  type GraphQLSchema,
  type ValueNode,
} from 'graphql';
import { textProblem, type TextBounds } from '../shared/input-limits.ts';

export const INPUT_TOO_LONG = 'INPUT_TOO_LONG';

/**
 * The first text input of the operation that breaks a bound, as a GraphQL error with HTTP status
 * 400; null when all are within bounds. `document` must have passed validation.
 */
export function checkTextInputs(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | null | undefined,
  variables: Readonly<Record<string, unknown>> | null | undefined,
  maxLength: number,
): GraphQLError | null {
  const sites = argumentSites(schema, document, operationName);
  if (!sites) return null;
  const values = { ...sites.defaults, ...variables };
  for (const site of sites.arguments) {
    const problem = checkValue(valueFromASTUntyped(site.value, values), site.type, site.bounds, {
      path: [site.name],
      owner: site.owner,
      maxLength,
    });
    if (problem) return problem;
  }
  return null;
}

/** An argument of a document, typed, in document order: what the check reads on every request. */
interface ArgumentSite {
  value: ValueNode;
  type: GraphQLInputType;
  bounds: TextBounds | undefined;
  name: string;
  owner: string;
}

interface Sites {
  /** The operation's variables' default values. */
  defaults: Record<string, unknown>;
  arguments: ArgumentSite[];
}

/**
 * The arguments an operation passes, found once per parsed document (Apollo and graphql-ws keep
 * one DocumentNode per query text): walking the document with its types on every request was
 * 2 % of a status change's CPU.
 */
const sitesOf = new WeakMap<GraphQLSchema, WeakMap<DocumentNode, Map<string | null, Sites | null>>>();

function argumentSites(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | null | undefined,
): Sites | null {
  let byDocument = sitesOf.get(schema);
  if (!byDocument) sitesOf.set(schema, (byDocument = new WeakMap()));
  let byOperation = byDocument.get(document);
  if (!byOperation) byDocument.set(document, (byOperation = new Map<string | null, Sites | null>()));
  const key = operationName ?? null;
  let sites = byOperation.get(key);
  if (sites === undefined) {
    sites = findArgumentSites(schema, document, key);
    byOperation.set(key, sites);
  }
  return sites;
}

function findArgumentSites(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | null,
): Sites | null {
  const operation = getOperationAST(document, operationName);
  if (!operation) return null;
  const defaults: Record<string, unknown> = {};
  for (const definition of operation.variableDefinitions ?? []) {
    if (definition.defaultValue) {
      defaults[definition.variable.name.value] = valueFromASTUntyped(definition.defaultValue);
    }
  }
  const typeInfo = new TypeInfo(schema);
  const sites: ArgumentSite[] = [];
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      OperationDefinition: (node) => (node === operation ? undefined : false),
      Argument(node) {
        const argument = typeInfo.getArgument();
        if (!argument) return false;
        sites.push({
          value: node.value,
          type: argument.type,
          bounds: boundsOf(argument.extensions),
          name: argument.name,
          owner: typeInfo.getDirective()?.name ?? typeInfo.getFieldDef()?.name ?? '?',
        });
        return false;
      },
    }),
  );
  return { defaults, arguments: sites };
}

interface Where {
  path: string[];
  /** The field or directive whose argument this is. */
  owner: string;
  maxLength: number;
}

function checkValue(
  value: unknown,
  type: GraphQLInputType,
  bounds: TextBounds | undefined,
  where: Where,
): GraphQLError | null {
  if (value === null || value === undefined) return null;
  const nullable = getNullableType(type);
  if (isListType(nullable)) {
    const items = Array.isArray(value) ? (value as unknown[]) : [value];
    for (const item of items) {
      const problem = checkValue(item, nullable.ofType, bounds, where);
      if (problem) return problem;
    }
    return null;
  }
  if (isInputObjectType(nullable)) {
    if (typeof value !== 'object' || Array.isArray(value)) return null;
    const fields = nullable.getFields();
    for (const [name, fieldValue] of Object.entries(value)) {
      const field = fields[name];
      if (!field) continue;
      const problem = checkValue(fieldValue, field.type, boundsOf(field.extensions), {
        ...where,
        path: [...where.path, name],
      });
      if (problem) return problem;
    }
    return null;
  }
  if (!isLeafType(nullable) || typeof value !== 'string') return null;
  const problem = textProblem(value, { maxLength: where.maxLength, ...bounds });
  if (!problem) return null;
  const nul = problem.code === 'nul';
  return new GraphQLError(`Argument "${where.path.join('.')}" of "${where.owner}" ${problem.message}.`, {
    extensions: { code: nul ? 'BAD_USER_INPUT' : INPUT_TOO_LONG, http: { status: 400 } },
  });
}

function boundsOf(extensions: Readonly<Record<string, unknown>> | null | undefined): TextBounds | undefined {
  const bounds = extensions?.textBounds;
  return bounds && typeof bounds === 'object' ? bounds : undefined;
}
