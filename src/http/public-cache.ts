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
 * is a query of catalogue root fields (`isPublicCatalogueRead`), answered 200 without errors. The
 * key is the route, the document with its whitespace folded, the operation name, the variables
 * and the languages asked for (Accept-Language), and what the answer's media type depends on.
 */
import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  Kind,
  OperationTypeNode,
  type DocumentNode,
  type OperationDefinitionNode,
  type SelectionNode,
} from 'graphql';
import { LRUCache } from 'lru-cache';

export interface CachedAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
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

/** Root fields of the catalogue: what anonymous partner sites and printed guides read. */
const CATALOGUE_ROOTS = new Set(['offers', 'organisation', 'organisations', 'sites', 'themes', '__typename']);
/** Types `node`/`nodes` may fetch in a cached read. */
const CATALOGUE_TYPES = new Set(['Offer', 'Organisation', 'Site', 'Theme']);
/**
 * Fields that read something besides the catalogue (guides, referrals, members…): a document
 * naming one anywhere is not cached, since no catalogue change would refresh it.
 */
const NOT_CATALOGUE = new Set([
  'guides',
  'referrals',
  'changes',
  'catalogueChanges',
  'members',
  'auditLog',
  'invitations',
  'apiClients',
  'webhooks',
]);

/** The type named by a global ID (base64 of `Type:id`), or null. */
function globalIdType(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const decoded = Buffer.from(value, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon > 0 ? decoded.slice(0, colon) : null;
}

/** Whether `node(id:)` / `nodes(ids:)` asks only for catalogue objects. */
function catalogueNodes(field: SelectionNode, variables: Record<string, unknown>): boolean {
  if (field.kind !== Kind.FIELD) return false;
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
 * Whether an operation reads the catalogue only: a query whose root fields are catalogue fields
 * (or `node`/`nodes` of catalogue objects), naming nothing else anywhere in the document.
 */
export function isPublicCatalogueRead(
  operation: OperationDefinitionNode,
  document: DocumentNode,
  variables: Record<string, unknown> = {},
): boolean {
  if (operation.operation !== OperationTypeNode.QUERY) return false;
  const rootsOk = operation.selectionSet.selections.every(
    (s) =>
      s.kind === Kind.FIELD &&
      (CATALOGUE_ROOTS.has(s.name.value) ||
        ((s.name.value === 'node' || s.name.value === 'nodes') && catalogueNodes(s, variables))),
  );
  if (!rootsOk) return false;
  let clean = true;
  const walk = (selections: readonly SelectionNode[]) => {
    for (const s of selections) {
      if (s.kind === Kind.FIELD && NOT_CATALOGUE.has(s.name.value)) clean = false;
      if (s.kind !== Kind.FRAGMENT_SPREAD && s.selectionSet) walk(s.selectionSet.selections);
    }
  };
  for (const def of document.definitions) {
    if (def.kind === Kind.OPERATION_DEFINITION || def.kind === Kind.FRAGMENT_DEFINITION) {
      walk(def.selectionSet.selections);
    }
  }
  return clean;
}

/** A document as a cache key part: the same text up to whitespace. */
export function foldedDocument(query: string): string {
  return query.replace(/\s+/g, ' ').trim();
}

/** A strong validator of an answer's body. */
export function etagOf(body: string): string {
  return `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
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
  const known = (req.headers['if-none-match'] ?? '').split(',').map((t) => t.trim().replace(/^W\//, ''));
  if (answer.status === 200 && (known.includes(etag) || known.includes('*'))) {
    delete (headers as Record<string, string>)['content-length'];
    res.writeHead(304, headers);
    res.end();
    return;
  }
  res.writeHead(answer.status, { ...headers, 'content-length': String(Buffer.byteLength(answer.body)) });
  res.end(answer.body);
}
