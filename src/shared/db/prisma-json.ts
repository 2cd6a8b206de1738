/**
 * A Prisma read with its relations in ONE statement, for hot paths (issue 15). Prisma's client
 * sends one statement per relation level and spends ~1 ms of the hub's CPU on each; here the
 * `select`/`include` tree that Pothos computes from a GraphQL selection becomes one SQL
 * expression per row (`jsonb_build_object` with correlated sub-selects), and the rows come back
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
import { Prisma } from '../../generated/prisma/client.ts';

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

let aliases = 0;
const nextAlias = () => `j${(aliases = (aliases + 1) % 1_000_000)}`;

/** `jsonb_build_object` of these columns (in chunks: PostgreSQL takes at most 100 arguments). */
function buildObject(pairs: [string, string][]): string {
  if (pairs.length === 0) return `'{}'::jsonb`;
  const chunks: string[] = [];
  for (let i = 0; i < pairs.length; i += 50) {
    const args = pairs.slice(i, i + 50).map(([k, v]) => `'${k}', ${v}`);
    chunks.push(`jsonb_build_object(${args.join(', ')})`);
  }
  return chunks.join(' || ');
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
function relationSql(owner: string, alias: string, field: FieldInfo, arg: unknown): string | null {
  const opts = arg === true ? {} : (arg as Record<string, unknown>);
  if (typeof opts !== 'object' || opts === null) return null;
  if (Object.keys(opts).some((k) => !RELATION_ARGS.has(k))) return null;
  const target = field.type;
  const t = model(target);
  const inner = nextAlias();
  const row = rowSql(target, inner, opts);
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
    const link = nextAlias();
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
  if (take === undefined) return `(SELECT coalesce(jsonb_agg(${row}${orderBy}), '[]'::jsonb) ${from})`;
  const sub = nextAlias();
  return `(SELECT coalesce(jsonb_agg(${sub}.r ORDER BY ${sub}.n), '[]'::jsonb) FROM (SELECT ${row} AS r, row_number() OVER (${orderBy.trim()}) AS n ${from}${orderBy} LIMIT ${take}) ${sub})`;
}

/**
 * The JSON of one row of `modelName` (aliased `alias`) with the relations `shape` asks for, as SQL
 * text; null when some part of the shape cannot be compiled.
 */
function rowSql(modelName: string, alias: string, shape: Shape): string | null {
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
    const sub = relationSql(modelName, alias, m.fields.get(name)!, arg);
    if (sub === null) return null;
    pairs.push([name, sub]);
  }
  return buildObject(pairs);
}

/** The JSON of one row of `modelName` aliased `alias`, or null when the shape needs Prisma. */
export function jsonRowSql(modelName: string, alias: string, shape: Shape): Prisma.Sql | null {
  const sql = rowSql(modelName, alias, shape);
  return sql === null ? null : Prisma.raw(sql);
}

/** A row as Prisma returns it: DateTime fields as Date, recursively through relations. */
export function hydrate<T>(modelName: string, row: Record<string, unknown>): T {
  const m = model(modelName);
  for (const [key, value] of Object.entries(row)) {
    const f = m.fields.get(key);
    if (!f) continue;
    if (value === null || value === undefined) {
      // Prisma reads a NULL scalar list as [].
      if (f.isList && f.kind !== 'object') row[key] = [];
      continue;
    }
    if (f.type === 'DateTime') {
      row[key] = Array.isArray(value) ? value.map((v) => new Date(v as string)) : new Date(value as string);
    } else if (f.kind === 'object') {
      if (Array.isArray(value)) for (const v of value) hydrate(f.type, v as Record<string, unknown>);
      else hydrate(f.type, value as Record<string, unknown>);
    }
  }
  return row as T;
}
