/**
 * The public cache (issue 15): answers to anonymous catalogue reads, kept per process in an LRU
 * bounded by size, and thrown away whenever the outbox says the catalogue changed
 * (`OFFER_CHANGED`, `CATALOGUE_CHANGED`: migration `catalogue_outbox`), on whichever instance
 * the change was made. An answer is stored only if nothing changed while it was computed (a
 * generation number taken before), so a change is never hidden by an answer read just before
 * it: once this process has read the change's outbox row (NOTIFY, or the poll as a safety net),
 * no older answer is served.
 *
 * Only what cannot depend on who asks is cached: requests without credentials, whose operation
 * is a query of catalogue fields only (`isPublicCatalogueRead`: an allow-list, checked against the
 * schema's types), answered 200 without errors. The key is the route, the document with its
 * whitespace folded, the operation name, the variables and the languages asked for
 * (Accept-Language), and what the answer's media type depends on.
 *
 * Validators: every public route (/hsds, /guides, /events) sends a strong ETag of its answer's
 * bytes (`etagOf`) and decides a 304 in one place (`sentNotModified`).
 */
import { createHash } from 'node:crypto';
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import {
  getNamedType,
  isCompositeType,
  isInterfaceType,
  isLeafType,
  isObjectType,
  isUnionType,
  Kind,
  OperationTypeNode,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLNamedType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import { LRUCache } from 'lru-cache';

export interface CachedAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
  /** Run each time the answer is served from the cache (`Context.publicAnswer.onServe`). */
  onServe?: readonly (() => void)[];
}

/** The header that says whether an answer came from the public cache (`hit`) or was stored in it. */
export const CACHE_HEADER = 'x-maillage-cache';

/** Hit or miss of one lookup, for the metrics. */
export type CacheLookup = (hit: boolean) => void;

export class PublicCache {
  private readonly lru: LRUCache<string, CachedAnswer> | null;
  private generation = 0;

  constructor(
    maxBytes: number,
    private readonly counted: CacheLookup = () => undefined,
  ) {
    this.lru =
      maxBytes > 0
        ? new LRUCache<string, CachedAnswer>({
            maxSize: maxBytes,
            // Bodies are mostly ASCII JSON: their length, plus the key and the headers.
            sizeCalculation: (a, key) => a.body.length + key.length + 200,
          })
        : null;
  }

  get enabled(): boolean {
    return this.lru !== null;
  }

  /** Answers cached, and their size in bytes (about). */
  get size(): { entries: number; bytes: number } {
    return { entries: this.lru?.size ?? 0, bytes: this.lru?.calculatedSize ?? 0 };
  }

  /** The key of an answer: everything that decides it. */
  key(parts: unknown[]): string {
    return createHash('sha256').update(JSON.stringify(parts)).digest('base64url');
  }

  lookup(key: string): CachedAnswer | undefined {
    if (!this.lru) return undefined;
    const found = this.lru.get(key);
    this.counted(found !== undefined);
    return found;
  }

  /** Taken before computing an answer; `store` keeps it only if no change came meanwhile. */
  ticket(): number {
    return this.generation;
  }

  store(key: string, ticket: number, answer: CachedAnswer): void {
    if (this.lru && ticket === this.generation) this.lru.set(key, answer);
  }

  /** The catalogue changed: nothing cached before is served again. */
  invalidate(): void {
    this.generation++;
    this.lru?.clear();
  }
}

/** Outbox rows that mean the catalogue changed. */
export const CATALOGUE_OUTBOX_TYPES: ReadonlySet<string> = new Set(['OFFER_CHANGED', 'CATALOGUE_CHANGED']);

/**
 * The catalogue, field by field: what anonymous partner sites and printed guides read, and nothing
 * a catalogue change would not refresh. An allow-list, so that a field added later to one of these
 * types (a count of referrals, the next event) is not cached until someone adds it here. Its
 * entities' other fields (members, referrals, guides, changes, audit log, webhooks…) are left out.
 */
export const CATALOGUE_FIELDS: Readonly<Record<string, readonly string[]>> = {
  Query: ['offers', 'organisation', 'organisations', 'sites', 'themes', 'node', 'nodes'],
  Offer: [
    'acceptsReferrals',
    'audiences',
    'capacity',
    'contact',
    'costDescription',
    'costKind',
    'description',
    'descriptionTranslations',
    'eligibility',
    'id',
    'languages',
    'maxAge',
    'minAge',
    'missingTranslations',
    'organisation',
    'publishedAt',
    'referralRequirements',
    'responseDays',
    'schedule',
    'serviceArea',
    'sites',
    'status',
    'themes',
    'title',
    'titleTranslations',
    'updatedAt',
    'version',
    'website',
  ],
  Organisation: [
    'children',
    'description',
    'descriptionTranslations',
    'email',
    'id',
    'kind',
    'legalForm',
    'name',
    'offers',
    'parent',
    'phone',
    'sites',
    'slug',
    'updatedAt',
    'website',
  ],
  Site: [
    'accessibility',
    'commune',
    'country',
    'id',
    'latitude',
    'longitude',
    'name',
    'openingHours',
    'organisation',
    'postcode',
    'quarter',
    'street',
    'updatedAt',
    'version',
    'wheelchairAccessible',
  ],
  Theme: ['children', 'code', 'id', 'label', 'labelTranslations', 'parent'],
};

/** Types `node`/`nodes` may fetch in a cached read: the catalogue's entities. */
const CATALOGUE_TYPES = new Set(Object.keys(CATALOGUE_FIELDS).filter((type) => type !== 'Query'));

/** For each type a cached read may select from, the fields it may select. */
export type CataloguePolicy = ReadonlyMap<string, ReadonlySet<string>>;

const policies = new WeakMap<GraphQLSchema, CataloguePolicy>();

/**
 * The types and fields a cached read may select, derived once per schema from `CATALOGUE_FIELDS`:
 * the listed fields of the listed types, and every type their answers reach. A reached entity
 * (a `Node`) not listed is not allowed at all; a value type without identity (a connection, an
 * edge, PageInfo, LocalizedText, ScheduleEntry, Capacity…) is part of whatever holds it, so all its
 * fields are allowed, and the walk goes on through them. Unions and interfaces are allowed as
 * containers; a fragment on one of their members is checked against that member.
 */
export function cataloguePolicy(schema: GraphQLSchema): CataloguePolicy {
  const known = policies.get(schema);
  if (known) return known;
  const allowed = new Map<string, Set<string>>();
  const reach = (type: GraphQLNamedType): void => {
    if (allowed.has(type.name) || isLeafType(type)) return;
    const listed = CATALOGUE_FIELDS[type.name];
    const entity = isObjectType(type) && type.getInterfaces().some((i) => i.name === 'Node');
    if (!listed && entity) return;
    const fields = new Set<string>();
    allowed.set(type.name, fields);
    if (!isObjectType(type) && !isInterfaceType(type)) return;
    for (const field of Object.values(type.getFields())) {
      if (listed && !listed.includes(field.name)) continue;
      fields.add(field.name);
      reach(getNamedType(field.type));
    }
  };
  const query = schema.getQueryType();
  if (query) reach(query);
  policies.set(schema, allowed);
  return allowed;
}

/** The type named by a global ID (base64 of `Type:id`), or null. */
function globalIdType(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const decoded = Buffer.from(value, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon > 0 ? decoded.slice(0, colon) : null;
}

/** Whether `node(id:)` / `nodes(ids:)` asks only for catalogue objects. */
function catalogueNodes(field: FieldNode, variables: Record<string, unknown>): boolean {
  const arg = field.arguments?.find((a) => a.name.value === 'id' || a.name.value === 'ids');
  if (!arg) return false;
  const values: unknown[] = [];
  const read = (v: typeof arg.value): void => {
    if (v.kind === Kind.STRING) values.push(v.value);
    else if (v.kind === Kind.VARIABLE) {
      const given = variables[v.name.value];
      values.push(...(Array.isArray(given) ? (given as unknown[]) : [given]));
    } else if (v.kind === Kind.LIST) v.values.forEach(read);
    else values.push(null);
  };
  read(arg.value);
  return values.length > 0 && values.every((v) => CATALOGUE_TYPES.has(globalIdType(v) ?? ''));
}

/**
 * Whether an operation reads the catalogue only: a query every field of which, in fragments too,
 * is allowed on its type by `cataloguePolicy` and returns an allowed type (or a scalar or enum),
 * with `node`/`nodes` asking for catalogue objects only. Anything else (a field added since, an
 * unknown fragment, a type the policy does not know) makes the read uncacheable.
 * `schema`: the hub's (tests give copies with fields added).
 */
export function isPublicCatalogueRead(
  operation: OperationDefinitionNode,
  document: DocumentNode,
  variables: Record<string, unknown>,
  schema: GraphQLSchema,
): boolean {
  if (operation.operation !== OperationTypeNode.QUERY) return false;
  const query = schema.getQueryType();
  if (!query) return false;
  const policy = cataloguePolicy(schema);
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const def of document.definitions) {
    if (def.kind === Kind.FRAGMENT_DEFINITION) fragments.set(def.name.value, def);
  }
  const spread = new Set<string>();
  const allowedType = (name: string): GraphQLCompositeType | null => {
    const type = schema.getType(name);
    return type && isCompositeType(type) && policy.has(name) ? type : null;
  };
  const reads = (set: SelectionSetNode, parent: GraphQLCompositeType): boolean =>
    set.selections.every((s) => {
      if (s.kind === Kind.FRAGMENT_SPREAD) {
        const def = fragments.get(s.name.value);
        const type = def && allowedType(def.typeCondition.name.value);
        if (!def || !type) return false;
        // A fragment reads the same whatever spreads it: checked once.
        if (spread.has(def.name.value)) return true;
        spread.add(def.name.value);
        return reads(def.selectionSet, type);
      }
      if (s.kind === Kind.INLINE_FRAGMENT) {
        const type = s.typeCondition ? allowedType(s.typeCondition.name.value) : parent;
        return !!type && reads(s.selectionSet, type);
      }
      const name = s.name.value;
      if (name === '__typename') return true;
      if (isUnionType(parent) || !policy.get(parent.name)?.has(name)) return false;
      if (parent === query && (name === 'node' || name === 'nodes') && !catalogueNodes(s, variables)) {
        return false;
      }
      const returned = getNamedType(parent.getFields()[name]!.type);
      if (isLeafType(returned)) return !s.selectionSet;
      const type = allowedType(returned.name);
      return !!type && !!s.selectionSet && reads(s.selectionSet, type);
    });
  return reads(operation.selectionSet, query);
}

/** A document as a cache key part: the same text up to whitespace. */
export function foldedDocument(query: string): string {
  return query.replace(/\s+/g, ' ').trim();
}

/**
 * A strong validator of a representation: a digest of its bytes, encoded as UTF-8 when a string.
 * A compressed representation of the same body (`coding`: br, gzip) gets its own tag (the digest
 * suffixed with the coding), since a strong validator names the bytes sent (RFC 9110 §8.8.1).
 */
export function etagOf(body: string | Buffer, coding?: string): string {
  const digest = createHash('sha256').update(body).digest('base64url').slice(0, 27);
  return `"${digest}${coding ? `-${coding}` : ''}"`;
}

/**
 * Whether an If-None-Match header names `etag` (RFC 9110 §13.1.2): `*`, or one of a list of entity
 * tags compared weakly (a `W/` prefix on either side is ignored). Anything malformed matches nothing.
 */
export function ifNoneMatchNames(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  if (header.trim() === '*') return true;
  const opaque = etag.replace(/^W\//, '');
  // Tags are quoted and may contain commas, so they are read one by one rather than split.
  for (const [, tag] of header.matchAll(/(?:^|,)\s*(?:W\/)?("[^"]*")\s*(?=,|$)/g)) {
    if (tag === opaque) return true;
  }
  return false;
}

/**
 * Answers 304 without a body when a GET or HEAD names the current ETag in If-None-Match, with the
 * headers the 200 would have had (less Content-Length): true when it did, and the caller is done.
 * The one place where every public route (/hsds, /guides, /events) decides a 304.
 */
export function sentNotModified(
  req: IncomingMessage,
  res: ServerResponse,
  etag: string,
  headers: OutgoingHttpHeaders,
): boolean {
  if (req.method !== 'GET' && req.method !== 'HEAD') return false;
  const header = req.headers['if-none-match'];
  if (!ifNoneMatchNames(header, etag)) return false;
  const kept = Object.fromEntries(
    Object.entries(headers).filter(([name]) => name.toLowerCase() !== 'content-length'),
  );
  res.writeHead(304, { ...kept, etag });
  res.end();
  return true;
}

/**
 * Sends a public answer with its ETag, and `Cache-Control: no-cache` (a client may keep it, and
 * asks each time whether it is still current); 304 without a body when the client's copy is
 * (`If-None-Match`). `cache`: what the public cache did, if it was asked.
 */
export function sendPublicAnswer(
  req: IncomingMessage,
  res: ServerResponse,
  answer: CachedAnswer,
  cache?: 'hit' | 'miss',
): void {
  const etag = etagOf(answer.body);
  const headers = {
    ...answer.headers,
    etag,
    'cache-control': 'no-cache',
    ...(cache ? { [CACHE_HEADER]: cache } : {}),
  };
  if (answer.status === 200 && sentNotModified(req, res, etag, headers)) return;
  res.writeHead(answer.status, { ...headers, 'content-length': String(Buffer.byteLength(answer.body)) });
  res.end(answer.body);
}
