/**
 * A Prisma read with its relations in ONE statement, for hot paths (issue 15). Prisma's client
 * sends one statement per relation level and spends ~1 ms of the hub's CPU on each; here the
 * `select`/`include` tree that Pothos computes from a GraphQL selection becomes one SQL
 * expression per row (`json_build_object` with correlated sub-selects), and the rows come back
 * shaped exactly as Prisma would return them (DateTime as Date, scalar lists as arrays, missing
 * to-one relations as null). The model comes from the generated datamodel, so a new field needs
 * nothing here.
 *
 * Only what maps one-to-one is compiled: scalar and enum fields (lists included), to-one and
 * to-many relations by foreign key, implicit many-to-many relations, and `orderBy`/`take` on a
 * list relation. Anything else (a relation `where`, `_count`, `distinct`, BigInt, Decimal, Bytes)
 * makes `jsonRowSql` return null, and the caller reads through Prisma: slower, never wrong.
 * `test/db/prisma-json.test.ts` compares reads of both ways.
 */
import { getDatamodel } from '../../generated/pothos-prisma-types.ts';
import { Prisma, type PrismaClient } from '../../generated/prisma/client.ts';
import DataLoader from 'dataloader';
import { getNamedType, GraphQLObjectType, type FragmentDefinitionNode, type SelectionNode } from 'graphql';
import { fieldsOf } from '../selection.ts';
import type { SqlRunner } from './client.ts';

interface FieldInfo {
  name: string;
  kind: string;
  type: string;
  isList: boolean;
  relationName?: string;
  relationFromFields?: readonly string[];
}
interface ModelInfo {
  fields: Map<string, FieldInfo>;
  scalars: FieldInfo[];
  id: string | null;
  /** What `hydrate` converts: DateTime fields, scalar lists (NULL → []), relations. */
  dates: string[];
  scalarLists: string[];
  relations: FieldInfo[];
}

const MODELS = new Map<string, ModelInfo>(
  Object.entries(getDatamodel().datamodel.models).map(([name, m]) => {
    const fields = m.fields as readonly FieldInfo[];
    return [
      name,
      {
        fields: new Map(fields.map((f) => [f.name, f])),
        scalars: fields.filter((f) => f.kind !== 'object'),
        id: (m.fields as readonly (FieldInfo & { isId: boolean })[]).find((f) => f.isId)?.name ?? null,
        dates: fields.filter((f) => f.type === 'DateTime').map((f) => f.name),
        scalarLists: fields.filter((f) => f.isList && f.kind !== 'object').map((f) => f.name),
        relations: fields.filter((f) => f.kind === 'object'),
      },
    ];
  }),
);

/** Scalar types whose JSON form is what Prisma returns (DateTime is converted back in `hydrate`). */
const JSON_SAFE = new Set(['String', 'Int', 'Float', 'Boolean', 'Json', 'DateTime']);

/** A Prisma `select`/`include` argument (what Pothos passes as `query`, minus paging). */
export interface Shape {
  select?: Record<string, unknown>;
  include?: Record<string, unknown>;
}

function model(name: string): ModelInfo {
  const m = MODELS.get(name);
  if (!m) throw new Error(`unknown model ${name}`);
  return m;
}

const quote = (identifier: string) => `"${identifier.replaceAll('"', '""')}"`;

/**
 * Aliases of one compiled row: the root's alias, numbered (`r_1`, `r_2`, …), so that a compiled
 * text is the same every time and two rows of one statement (different roots) never share one.
 */
interface Aliases {
  root: string;
  n: number;
}
const nextAlias = (a: Aliases) => `${a.root}_${++a.n}`;

/**
 * `json_build_object` of these columns: json, not jsonb, which PostgreSQL would parse into its
 * binary form and print again (bench/referrals: 7.1 → 6.0 ms of PostgreSQL CPU per inbox page). A function
 * takes at most 100 arguments: a wider row is jsonb chunks joined with `||`.
 */
function buildObject(pairs: [string, string][]): string {
  if (pairs.length === 0) return `'{}'::json`;
  const object = (chunk: [string, string][], type: 'json' | 'jsonb') =>
    `${type}_build_object(${chunk.map(([k, v]) => `'${k}', ${v}`).join(', ')})`;
  if (pairs.length <= 50) return object(pairs, 'json');
  const chunks: string[] = [];
  for (let i = 0; i < pairs.length; i += 50) chunks.push(object(pairs.slice(i, i + 50), 'jsonb'));
  return `(${chunks.join(' || ')})::json`;
}

/** `ORDER BY` of a list relation's `orderBy` (scalar fields only), or null when not plain. */
function orderSql(m: ModelInfo, alias: string, orderBy: unknown): string | null {
  if (orderBy === undefined) return m.id ? `${alias}.${quote(m.id)}` : '';
  const list = Array.isArray(orderBy) ? orderBy : [orderBy];
  const parts: string[] = [];
  for (const entry of list as Record<string, unknown>[]) {
    for (const [field, dir] of Object.entries(entry)) {
      const f = m.fields.get(field);
      if (!f || f.kind === 'object' || (dir !== 'asc' && dir !== 'desc')) return null;
      parts.push(`${alias}.${quote(field)} ${dir.toUpperCase()}`);
    }
  }
  return parts.join(', ');
}

const RELATION_ARGS = new Set(['select', 'include', 'orderBy', 'take']);

/** The sub-select for one relation of `alias` (a row of `owner`), or null when not compilable. */
function relationSql(
  owner: string,
  alias: string,
  field: FieldInfo,
  arg: unknown,
  aliases: Aliases,
): string | null {
  const opts = arg === true ? {} : (arg as Record<string, unknown>);
  if (typeof opts !== 'object' || opts === null) return null;
  if (Object.keys(opts).some((k) => !RELATION_ARGS.has(k))) return null;
  const target = field.type;
  const t = model(target);
  const inner = nextAlias(aliases);
  const row = rowSql(target, inner, opts, aliases);
  if (row === null) return null;
  const back = [...t.fields.values()].find(
    (f) => f.relationName === field.relationName && f.type === owner && f !== field,
  );
  const mine = field.relationFromFields ?? [];
  const theirs = back?.relationFromFields ?? [];
  let from: string;
  if (mine.length === 1) {
    // This row holds the key: a to-one relation.
    if (!t.id) return null;
    from = `FROM ${quote(target)} ${inner} WHERE ${inner}.${quote(t.id)} = ${alias}.${quote(mine[0]!)}`;
  } else if (theirs.length === 1) {
    const ownerId = model(owner).id;
    if (!ownerId) return null;
    from = `FROM ${quote(target)} ${inner} WHERE ${inner}.${quote(theirs[0]!)} = ${alias}.${quote(ownerId)}`;
  } else if (field.isList && back?.isList && mine.length === 0 && theirs.length === 0) {
    // Implicit many-to-many: "_<relation>" with A = the model whose name sorts first.
    const ownerId = model(owner).id;
    if (!ownerId || !t.id || owner === target) return null;
    const [a, b] = owner < target ? ['A', 'B'] : ['B', 'A'];
    const link = nextAlias(aliases);
    from = `FROM ${quote(`_${field.relationName}`)} ${link} JOIN ${quote(target)} ${inner} ON ${inner}.${quote(t.id)} = ${link}.${quote(b)} WHERE ${link}.${quote(a)} = ${alias}.${quote(ownerId)}`;
  } else {
    return null;
  }
  if (!field.isList) {
    if (opts.orderBy !== undefined || opts.take !== undefined) return null;
    return `(SELECT ${row} ${from})`;
  }
  const order = orderSql(t, inner, opts.orderBy);
  if (order === null) return null;
  const take = opts.take;
  if (take !== undefined && (typeof take !== 'number' || !Number.isInteger(take) || take < 0)) return null;
  const orderBy = order ? ` ORDER BY ${order}` : '';
  if (take === undefined) return `(SELECT coalesce(json_agg(${row}${orderBy}), '[]'::json) ${from})`;
  const sub = nextAlias(aliases);
  return `(SELECT coalesce(json_agg(${sub}.r ORDER BY ${sub}.n), '[]'::json) FROM (SELECT ${row} AS r, row_number() OVER (${orderBy.trim()}) AS n ${from}${orderBy} LIMIT ${take}) ${sub})`;
}

/**
 * The JSON of one row of `modelName` (aliased `alias`) with the relations `shape` asks for, as SQL
 * text; null when some part of the shape cannot be compiled.
 */
function rowSql(modelName: string, alias: string, shape: Shape, a: Aliases): string | null {
  const m = model(modelName);
  const pairs: [string, string][] = [];
  const relations: [string, unknown][] = [];
  if (shape.select) {
    for (const [name, arg] of Object.entries(shape.select)) {
      if (!arg) continue;
      const f = m.fields.get(name);
      if (!f) return null;
      if (f.kind === 'object') relations.push([name, arg]);
      else if (!JSON_SAFE.has(f.type) && f.kind !== 'enum') return null;
      else pairs.push([name, `${alias}.${quote(name)}`]);
    }
  } else {
    for (const f of m.scalars) {
      if (!JSON_SAFE.has(f.type) && f.kind !== 'enum') return null;
      pairs.push([f.name, `${alias}.${quote(f.name)}`]);
    }
    for (const [name, arg] of Object.entries(shape.include ?? {})) {
      if (!arg) continue;
      const f = m.fields.get(name);
      if (!f || f.kind !== 'object') return null;
      relations.push([name, arg]);
    }
  }
  for (const [name, arg] of relations) {
    const sub = relationSql(modelName, alias, m.fields.get(name)!, arg, a);
    if (sub === null) return null;
    pairs.push([name, sub]);
  }
  return buildObject(pairs);
}

/** Compiled rows by model, alias and shape: a GraphQL document asks for the same shape each time. */
const compiled = new Map<string, string | null>();
const COMPILED_MAX = 2_000;

/**
 * The JSON of one row of `modelName` aliased `alias`, or null when the shape needs Prisma.
 * Compiled once per shape (compiling was 7 % of a node lookup's CPU, bench/catalogue --profile);
 * the cache is bounded (emptied when full: shapes come from the documents clients send).
 */
export function jsonRowSql(modelName: string, alias: string, shape: Shape): Prisma.Sql | null {
  const key = `${modelName}\u0000${alias}\u0000${JSON.stringify(shape)}`;
  let sql = compiled.get(key);
  if (sql === undefined) {
    sql = rowSql(modelName, alias, shape, { root: alias, n: 0 });
    if (compiled.size >= COMPILED_MAX) compiled.clear();
    compiled.set(key, sql);
  }
  return sql === null ? null : Prisma.raw(sql);
}

/**
 * A row as Prisma returns it: DateTime fields as Date, a NULL scalar list as [], recursively
 * through relations. Walks the model's few such fields, not the row's keys (the inbox hydrates
 * ~300 objects a page).
 */
export function hydrate<T>(modelName: string, row: Record<string, unknown>): T {
  const m = model(modelName);
  for (const name of m.scalarLists) {
    if (name in row && (row[name] === null || row[name] === undefined)) row[name] = [];
  }
  for (const name of m.dates) {
    const value = row[name];
    if (value === null || value === undefined) continue;
    row[name] = Array.isArray(value) ? value.map((v) => new Date(v as string)) : new Date(value as string);
  }
  for (const f of m.relations) {
    const value = row[f.name];
    if (value === null || value === undefined) continue;
    if (Array.isArray(value)) for (const v of value) hydrate(f.type, v as Record<string, unknown>);
    else hydrate(f.type, value as Record<string, unknown>);
  }
  return row as T;
}

/** Values a compiled WHERE binds as they are: PostgreSQL types them from the column. */
type Bindable = string | number | boolean;
const isBindable = (v: unknown): v is Bindable =>
  typeof v === 'string' || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v));

/** One scalar field's condition (`value`, `null`, `{ equals, in, not: null }`), or null when not plain. */
function conditionSql(column: Prisma.Sql, f: FieldInfo, value: unknown): Prisma.Sql | null {
  if (f.isList || f.type === 'Json' || f.type === 'DateTime' || !(JSON_SAFE.has(f.type) || f.kind === 'enum'))
    return null;
  if (value === null) return Prisma.sql`${column} IS NULL`;
  if (isBindable(value)) return Prisma.sql`${column} = ${value}`;
  if (typeof value !== 'object') return null;
  const parts: Prisma.Sql[] = [];
  for (const [op, operand] of Object.entries(value as Record<string, unknown>)) {
    if (operand === undefined) continue;
    if (op === 'equals') {
      const part = conditionSql(column, f, operand);
      if (!part) return null;
      parts.push(part);
    } else if (op === 'in') {
      if (!Array.isArray(operand) || !operand.every(isBindable)) return null;
      parts.push(operand.length === 0 ? Prisma.sql`false` : Prisma.sql`${column} = ANY(${operand})`);
    } else if (op === 'not' && operand === null) {
      parts.push(Prisma.sql`${column} IS NOT NULL`);
    } else {
      return null;
    }
  }
  return parts.length === 0 ? Prisma.sql`true` : Prisma.join(parts, ' AND ');
}

/**
 * A Prisma `where` over `modelName` (aliased `alias`) as SQL, for the plain forms only: scalar
 * and enum fields compared with a value, `null`, `equals`, `in` or `not: null`, combined with `AND`,
 * `OR` and `NOT`. Anything else (relations, dates, JSON, lists, text modes) gives null: Prisma's
 * semantics there are its own, and the caller reads through Prisma.
 */
export function whereSql(modelName: string, alias: string, where: unknown): Prisma.Sql | null {
  if (typeof where !== 'object' || where === null || Array.isArray(where)) return null;
  const m = model(modelName);
  const parts: Prisma.Sql[] = [];
  const all = (list: unknown): Prisma.Sql[] | null => {
    const items = Array.isArray(list) ? list : [list];
    const out: Prisma.Sql[] = [];
    for (const item of items) {
      const part = whereSql(modelName, alias, item);
      if (!part) return null;
      out.push(part);
    }
    return out;
  };
  for (const [key, value] of Object.entries(where as Record<string, unknown>)) {
    if (value === undefined) continue;
    if (key === 'AND' || key === 'NOT') {
      const items = all(value);
      if (!items) return null;
      if (items.length === 0) continue;
      const joined = Prisma.sql`(${Prisma.join(items, ' AND ')})`;
      parts.push(key === 'AND' ? joined : Prisma.sql`NOT ${joined}`);
    } else if (key === 'OR') {
      if (!Array.isArray(value)) return null;
      const items = all(value);
      if (!items) return null;
      parts.push(items.length === 0 ? Prisma.sql`false` : Prisma.sql`(${Prisma.join(items, ' OR ')})`);
    } else {
      const f = m.fields.get(key);
      if (!f || f.kind === 'object') return null;
      const part = conditionSql(Prisma.raw(`${alias}.${quote(key)}`), f, value);
      if (!part) return null;
      parts.push(part);
    }
  }
  return parts.length === 0 ? Prisma.sql`true` : Prisma.join(parts, ' AND ');
}

/** Arguments of a `findUnique` this module can compile. */
interface FindUniqueArgs extends Shape {
  where?: unknown;
}

/**
 * Prisma's `findUnique(args)` on `modelName` as ONE statement, with the rows shaped as Prisma's;
 * `undefined` when the arguments need Prisma (then nothing was read).
 */
export async function findUniqueSql<T>(
  sql: SqlRunner,
  modelName: string,
  args: FindUniqueArgs,
): Promise<T | null | undefined> {
  const { where, select, include, ...rest } = args;
  if (Object.values(rest).some((v) => v !== undefined)) return undefined;
  const condition = whereSql(modelName, 'm', where);
  const row = jsonRowSql(modelName, 'm', { select, include });
  if (!condition || !row) return undefined;
  const rows = await sql<{ row: Record<string, unknown> }>(
    Prisma.sql`SELECT ${row} AS row FROM ${Prisma.raw(quote(modelName))} m WHERE ${condition} LIMIT 2`,
  );
  // A `where` that is not unique after all (two rows) is Prisma's to judge.
  if (rows.length > 1) return undefined;
  return rows[0] ? hydrate<T>(modelName, rows[0].row) : null;
}

/**
 * Whole rows of `modelName` by id, as Prisma's `findMany({ where: { id: { in: ids } } })` returns
 * them (in no particular order), in one statement. For loaders that batch ids of their own (the
 * actors' organisations, `referral-actor.schema.ts`), where Prisma's client cost more of the hub's
 * CPU than the read.
 */
export async function findManyByIdSql<T>(
  sql: SqlRunner,
  modelName: string,
  ids: readonly string[],
): Promise<T[]> {
  const id = model(modelName).id;
  const row = jsonRowSql(modelName, 'm', {});
  if (!id || !row) throw new Error(`${modelName}: rows by id do not compile`);
  if (ids.length === 0) return [];
  const rows = await sql<{ row: Record<string, unknown> }>(
    Prisma.sql`SELECT ${row} AS row FROM ${Prisma.raw(quote(modelName))} m
      WHERE m.${Prisma.raw(quote(id))} = ANY(${[...new Set(ids)]})`,
  );
  return rows.map((r) => hydrate<T>(modelName, r.row));
}

/** One `findUnique` call, as the client extension receives it. */
interface Call {
  model: string;
  args: FindUniqueArgs;
}

/**
 * Calls made in the same tick, read together: those that differ only by the id they look up (a
 * relation loaded for each row of a list) in ONE statement, as Prisma batches its own
 * `findUnique`s; the others one by one. `undefined` for a call that needs Prisma.
 */
async function readCalls(sql: SqlRunner, calls: readonly Call[]): Promise<unknown[]> {
  const results: unknown[] = new Array(calls.length);
  const groups = new Map<string, { ids: string[]; at: number[] }>();
  const single: number[] = [];
  calls.forEach((call, at) => {
    const { where, ...shape } = call.args;
    const id = model(call.model).id;
    const key = id ? (where as Record<string, unknown> | undefined)?.[id] : undefined;
    if (typeof key !== 'string') return single.push(at);
    const rest = { ...(where as Record<string, unknown>) };
    delete rest[id!];
    const group = `${call.model}\u0000${JSON.stringify(shape)}\u0000${JSON.stringify(rest)}`;
    const entry = groups.get(group) ?? { ids: [], at: [] };
    entry.ids.push(key);
    entry.at.push(at);
    groups.set(group, entry);
  });
  await Promise.all([
    ...single.map(async (at) => (results[at] = await findUniqueSql(sql, calls[at]!.model, calls[at]!.args))),
    ...[...groups.values()].map(async ({ ids, at }) => {
      if (ids.length === 1)
        return (results[at[0]!] = await findUniqueSql(sql, calls[at[0]!]!.model, calls[at[0]!]!.args));
      const { model: modelName, args } = calls[at[0]!]!;
      const id = model(modelName).id!;
      const { where, select, include } = args;
      const rest = { ...(where as Record<string, unknown>) };
      delete rest[id];
      const condition = whereSql(modelName, 'm', rest);
      const row = jsonRowSql(modelName, 'm', { select, include });
      if (!condition || !row || Object.keys(args).some((k) => !['where', 'select', 'include'].includes(k))) {
        for (const i of at) results[i] = undefined;
        return;
      }
      const rows = await sql<{ key: string; row: Record<string, unknown> }>(
        Prisma.sql`SELECT m.${Prisma.raw(quote(id))}::text AS key, ${row} AS row FROM ${Prisma.raw(quote(modelName))} m
          WHERE m.${Prisma.raw(quote(id))} = ANY(${[...new Set(ids)]}) AND ${condition}`,
      );
      const byKey = new Map(rows.map((r) => [r.key, r.row]));
      const given = new Set<string>();
      at.forEach((i, n) => {
        const found = byKey.get(ids[n]!);
        if (!found) return (results[i] = null);
        // Each caller its own object (Pothos marks the objects it is given): a copy of the JSON
        // for a second caller of the same id.
        const row = given.has(ids[n]!)
          ? (JSON.parse(JSON.stringify(found)) as Record<string, unknown>)
          : found;
        given.add(ids[n]!);
        results[i] = hydrate(modelName, row);
      });
    }),
  ]);
  return results;
}

const compiledClients = new WeakMap<PrismaClient, PrismaClient>();

/** A model's delegate (`prisma.offer`) as far as Pothos uses it. */
interface Delegate {
  findUnique(args: FindUniqueArgs): PromiseLike<unknown>;
  findUniqueOrThrow(args: FindUniqueArgs): PromiseLike<unknown>;
}

/**
 * The client GraphQL's reads go through (`builder.ts`): Prisma's, except that a `findUnique`
 * whose arguments compile (node lookups, relation loads by key) is ONE statement instead of one
 * per relation level, and those of one tick that differ only by id are one statement together;
 * a miss of `findUniqueOrThrow` goes to Prisma, so that its error is Prisma's own. One client
 * per Prisma client.
 *
 * Pothos reads a model's delegate (`client.offer`) and calls its `findUnique` or
 * `findUniqueOrThrow`: the client is a Proxy that hands out delegates whose two methods try the
 * compiled statement first, everything else being Prisma's. A Prisma query extension did the
 * same through Prisma's extension machinery, 7.5 % of a `node(id)` lookup's hub CPU
 * (bench/catalogue --profile) for a call that usually never reaches Prisma.
 */
export function compiledReads(prisma: PrismaClient, sql: SqlRunner): PrismaClient {
  // A transaction's client reads through Prisma, on the transaction's connection.
  if (typeof prisma.$extends !== 'function') return prisma;
  let client = compiledClients.get(prisma);
  if (!client) {
    const loader = new DataLoader<Call, unknown>((calls) => readCalls(sql, calls), { cache: false });
    const delegates = new Map<string | symbol, Delegate>();
    const compiled = (modelName: string, prismaDelegate: Delegate): Delegate => {
      const findUnique = async (args: FindUniqueArgs) => {
        const found = await loader.load({ model: modelName, args });
        return found === undefined ? prismaDelegate.findUnique(args) : found;
      };
      const findUniqueOrThrow = async (args: FindUniqueArgs) => {
        const found = await loader.load({ model: modelName, args });
        return found === undefined || found === null ? prismaDelegate.findUniqueOrThrow(args) : found;
      };
      return new Proxy(prismaDelegate, {
        get: (target, key) =>
          key === 'findUnique'
            ? findUnique
            : key === 'findUniqueOrThrow'
              ? findUniqueOrThrow
              : (Reflect.get(target, key) as unknown),
      });
    };
    client = new Proxy(prisma, {
      get(target, key) {
        const known = delegates.get(key);
        if (known) return known;
        const value = Reflect.get(target, key) as unknown;
        const modelName = typeof key === 'string' ? modelOfDelegate(key) : undefined;
        if (!modelName) return value;
        const delegate = compiled(modelName, value as Delegate);
        delegates.set(key, delegate);
        return delegate;
      },
    });
    compiledClients.set(prisma, client);
  }
  return client;
}

/** The model whose delegate `prisma[name]` is (`offer`: Offer), if it is one. */
function modelOfDelegate(name: string): string | undefined {
  const modelName = `${name.slice(0, 1).toUpperCase()}${name.slice(1)}`;
  return MODELS.has(modelName) ? modelName : undefined;
}

// ---------------------------------------------------------------------------------------------
// Narrowing a shape to what a GraphQL selection shows (issue 15). Pothos in include mode asks for
// every column of every row; the inbox page's JSON was ~2.6 KB a row where it shows a tenth of it
// (PostgreSQL builds it, the hub parses it and collects it). The columns each field reads are
// already declared where the field is: `t.expose*` names its column, `reads` (or a field's
// `select`) what its resolver reads, `t.relation` its relation, `authReads` what a field's
// authorisation reads of the row. A selected field that declares nothing (a custom resolver without
// `select`, an authorisation by a function of the row without `authReads`) keeps the whole row of
// its level and everything below it: slower, never wrong.
// ---------------------------------------------------------------------------------------------

interface FieldExtensions {
  reads?: readonly string[];
  authReads?: readonly string[];
  shows?: { relation: string; columns: readonly string[] };
  pothosExposedField?: string;
  pothosPrismaSelect?: unknown;
  pothosPrismaRelationField?: { name: string };
  pothosOptions?: { authScopes?: unknown };
}

/** What a type's own authorisation reads: a function of the row may read any column. */
const typeReadsRow = (type: GraphQLObjectType) =>
  typeof (type.extensions as { pothosOptions?: { authScopes?: unknown } }).pothosOptions?.authScopes ===
  'function';

/**
 * The relation a field of `type` shows, when it is one (and not authorised by a function of the
 * row): a `t.relation`, or a field that declares `shows` (with the columns its own resolver reads
 * of the relation's row).
 */
function shownRelation(
  type: GraphQLObjectType,
  name: string,
): { relation: string; columns: readonly string[]; alone: boolean } | undefined {
  const ext = type.getFields()[name]?.extensions as FieldExtensions | undefined;
  const authorised = typeof ext?.pothosOptions?.authScopes === 'function';
  if (authorised && !ext.authReads) return undefined;
  // A relation authorised by a function of the row reads that row's columns too (`fieldReads`).
  if (ext?.pothosPrismaRelationField)
    return { relation: ext.pothosPrismaRelationField.name, columns: [], alone: !authorised };
  return ext?.shows && { ...ext.shows, alone: false };
}

/**
 * Declares that a field's resolver answers with the row of `relation` (which its `select` loads),
 * reading `columns` of it itself: `extensions: shows('person', 'anonymisedAt')`. That row is then
 * narrowed to those columns and what the fields selected beneath the field read, as a
 * `t.relation`'s is; the field's other reads are declared as usual (`select`, `reads`).
 */
export const shows = (relation: string, ...columns: string[]) => ({ shows: { relation, columns } });

/**
 * Declares the columns a field's resolver reads of its row: `extensions: reads('title')`. In
 * include mode Pothos reads every column anyway, and a field `select` only costs: Pothos wraps
 * such a field in a selection check for every row it resolves (bench/catalogue: the search's hub
 * CPU 3.7 → 5.5 ms when Offer's texts declared theirs with `select`). Keep `select` for the
 * relations a resolver reads, which Pothos must load.
 */
export const reads = (...columns: string[]) => ({ reads: columns });

/**
 * Declares the columns a field's authorisation (`authScopes` as a function of the row) reads of
 * its row: `extensions: authReads(...ROUTING_COLUMNS)`. Without it such a field keeps its whole row
 * (and everything below it) in a narrowed read, since the function may read any column. Where
 * tests run, a column read and not declared throws (`checkedRow`).
 */
export const authReads = (...columns: string[]) => ({ authReads: columns });

/**
 * What the field `name` of `type` (a row of `modelName`) reads, as its declaration says: columns,
 * and relations read whole by its resolver. Undefined when it does not say: a resolver without
 * `reads` or `select`, an authorisation by a function of the row without `authReads`. `id` reads the primary
 * key; a `t.relation` reads its relation, which the caller loads (or Pothos does).
 */
function fieldReads(modelName: string, type: GraphQLObjectType, name: string): FieldReads | undefined {
  const m = model(modelName);
  if (name === '__typename' || name === 'id') return READS_KEY_ONLY;
  const field = type.getFields()[name];
  if (!field) return undefined;
  const ext = field.extensions as FieldExtensions;
  if (typeof ext.pothosOptions?.authScopes === 'function' && !ext.authReads) return undefined;
  const select = ext.pothosPrismaSelect;
  const declared = select && typeof select === 'object';
  const keys = [...(ext.authReads ?? [])];
  if (typeof ext.pothosExposedField === 'string') keys.push(ext.pothosExposedField);
  else if (!ext.pothosPrismaRelationField) {
    if (!declared && !ext.reads) return undefined;
    keys.push(...(ext.reads ?? []), ...(declared ? Object.keys(select) : []));
  }
  const reads = { columns: [] as string[], relations: [] as string[], relationColumns: NO_COLUMNS };
  for (const key of keys) {
    const f = m.fields.get(key);
    if (!f) return undefined;
    // The relation the field shows is narrowed as shown, not kept whole.
    if (key === ext.shows?.relation) continue;
    if (f.kind !== 'object') reads.columns.push(key);
    else {
      const columns = declared ? columnsOnly(f.type, (select as Record<string, unknown>)[key]) : undefined;
      if (!columns) reads.relations.push(key);
      else reads.relationColumns = new Map([...reads.relationColumns, [key, columns]]);
    }
  }
  return reads;
}

/** What a field reads of its row: columns, relations read whole, and relations read by some columns. */
interface FieldReads {
  readonly columns: readonly string[];
  readonly relations: readonly string[];
  readonly relationColumns: ReadonlyMap<string, readonly string[]>;
}

/** Planned for every selected field of every page: the common answers allocate nothing. */
const NO_COLUMNS: ReadonlyMap<string, readonly string[]> = new Map();
const READS_KEY_ONLY: FieldReads = { columns: [], relations: [], relationColumns: NO_COLUMNS };

/**
 * The columns of `modelName` a relation's `select` reads, when that is all it reads
 * (`{ select: { name: true } }`); undefined for anything else (nested relations, filters, `true`).
 */
function columnsOnly(modelName: string, arg: unknown): string[] | undefined {
  if (typeof arg !== 'object' || arg === null) return undefined;
  const { select, ...rest } = arg as { select?: Record<string, unknown> };
  if (!select || Object.keys(rest).length > 0) return undefined;
  const m = model(modelName);
  const columns = Object.keys(select);
  return columns.every((c) => select[c] === true && m.fields.has(c) && m.fields.get(c)!.kind !== 'object')
    ? columns
    : undefined;
}

/**
 * `shape` (a Pothos include-mode query for a row of `modelName`, shown as GraphQL `type` with these
 * selections) as a `select` of only the columns the selected fields read (`fieldReads`), relation
 * by relation. The shape itself when a selected field does not say what it reads.
 */
export function narrowShape(
  modelName: string,
  shape: Shape,
  type: GraphQLObjectType,
  selections: readonly SelectionNode[],
  fragments: Record<string, FragmentDefinitionNode>,
  /** Columns read whatever is selected (those a `shows` field's resolver reads of this row). */
  alsoRead: readonly string[] = [],
): Shape {
  const m = model(modelName);
  if (shape.select || !m.id || typeReadsRow(type)) return shape;
  const columns = new Set<string>([m.id, ...alsoRead]);
  const shown = new Map<
    string,
    { type: GraphQLObjectType; selections: SelectionNode[]; columns: string[] }
  >();
  const pinned = new Set<string>();
  const partly = new Map<string, string[]>();
  for (const [name, nodes] of fieldsOf(selections, fragments)) {
    const relation = shownRelation(type, name);
    const target = relation && getNamedType(type.getFields()[name]!.type);
    if (relation && target instanceof GraphQLObjectType) {
      const entry = shown.get(relation.relation) ?? { type: target, selections: [], columns: [] };
      if (entry.type !== target) return shape;
      entry.selections.push(...nodes.flatMap((n) => n.selectionSet?.selections ?? []));
      entry.columns.push(...relation.columns);
      shown.set(relation.relation, entry);
      if (relation.alone) continue;
    }
    const reads = fieldReads(modelName, type, name);
    if (!reads) return shape;
    for (const c of reads.columns) columns.add(c);
    for (const r of reads.relations) pinned.add(r);
    for (const [r, c] of reads.relationColumns) partly.set(r, [...(partly.get(r) ?? []), ...c]);
  }
  // A relation a field reads some columns of: narrowed with them where another field shows it,
  // else read as that field's `select` says (Pothos merged it into the shape).
  for (const [relation, read] of partly) {
    const entry = shown.get(relation);
    if (entry) entry.columns.push(...read);
    else pinned.add(relation);
  }
  const narrowed: Record<string, unknown> = {};
  for (const c of columns) narrowed[c] = true;
  for (const [name, arg] of Object.entries(shape.include ?? {})) {
    if (!arg) continue;
    const seen = shown.get(name);
    const f = m.fields.get(name);
    if (!seen || !f || pinned.has(name)) {
      narrowed[name] = arg;
      continue;
    }
    const { select, include, ...rest } = (arg === true ? {} : arg) as Shape & Record<string, unknown>;
    const inner = { select, include };
    const below = narrowShape(f.type, inner, seen.type, seen.selections, fragments, seen.columns);
    narrowed[name] = below === inner ? arg : { ...rest, ...below };
  }
  return { select: narrowed };
}

/** Tests' hubs check every read of a narrowed row (NODE_ENV=test, as `test/helpers/hub.ts` starts them). */
const guardColumns = process.env.NODE_ENV === 'test';

/**
 * A row read with a narrowed `shape`; where tests run, one that throws when code reads a column the
 * shape left out (a field whose `select` forgot a column would otherwise read undefined).
 */
export function checkedRow<T>(modelName: string, row: Record<string, unknown>, shape: Shape): T {
  if (!guardColumns || !shape.select) return row as T;
  const m = model(modelName);
  for (const [name, arg] of Object.entries(shape.select)) {
    const f = m.fields.get(name);
    if (f?.kind !== 'object' || typeof arg !== 'object' || arg === null) continue;
    const value = row[name];
    if (Array.isArray(value)) {
      row[name] = value.map((v) => checkedRow(f.type, v as Record<string, unknown>, arg as Shape));
    } else if (value) row[name] = checkedRow(f.type, value as Record<string, unknown>, arg as Shape);
  }
  return new Proxy(row, {
    get(target, prop, receiver) {
      if (
        typeof prop === 'string' &&
        !(prop in target) &&
        m.fields.get(prop)?.kind !== 'object' &&
        m.fields.has(prop)
      ) {
        throw new Error(
          `${modelName}.${prop} was not read: the field that reads it must name it in its \`select\``,
        );
      }
      return Reflect.get(target, prop, receiver) as unknown;
    },
  }) as T;
}
