/** The official HSDS 3.0 schemas (vendored in test/fixtures/hsds-3.0), compiled with ajv for tests. */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import Ajv2020Module from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';

const Ajv2020 = Ajv2020Module.default;
const addFormats = addFormatsModule.default;

/**
 * The official HSDS 3.0 files (schemas, openapi, examples), vendored in test/fixtures; the two
 * large compiled schemas are the ones the importer ships in src/modules/catalogue/hsds/schema.
 */
export const HSDS_DIR =
  process.env.HSDS_DIR ?? fileURLToPath(new URL('../fixtures/hsds-3.0/', import.meta.url));
const COMPILED_IN_SRC = fileURLToPath(new URL('../../src/modules/catalogue/hsds/schema/', import.meta.url));
const SCHEMA_BASE = 'https://raw.githubusercontent.com/openreferral/specification/3.0/schema/';

export type Doc = Record<string, unknown>;
export const readJson = (path: string) => JSON.parse(readFileSync(`${HSDS_DIR}${path}`, 'utf8')) as Doc;

/**
 * The official schemas under their published URLs, so that the plain schemas' relative `$ref`s
 * (taxonomy_term.json → taxonomy.json, metadata.json) resolve; page schemas built from the
 * openapi's `Page` component, every page property required, `contents` of the item schema.
 */
export function officialSchemas() {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  for (const file of readdirSync(`${HSDS_DIR}schema`).filter(
    (f) => f.endsWith('.json') && f !== 'openapi.json',
  )) {
    ajv.addSchema({ ...readJson(`schema/${file}`), $id: `${SCHEMA_BASE}${file}` });
  }
  for (const file of ['service', 'organization', 'service_list', 'organization_list']) {
    ajv.addSchema({
      ...(JSON.parse(
        readFileSync(
          ['service', 'organization'].includes(file)
            ? `${COMPILED_IN_SRC}${file}.json`
            : `${HSDS_DIR}schema/compiled/${file}.json`,
          'utf8',
        ),
      ) as Doc),
      $id: `${SCHEMA_BASE}compiled/${file}.json`,
    });
  }
  const openapi = readJson('schema/openapi.json') as {
    components: { schemas: { Page: { properties: Doc } } };
    paths: Record<
      string,
      { get: { responses: Record<string, { content: Record<string, { schema: Doc }> }> } }
    >;
  };
  const page = openapi.components.schemas.Page;
  for (const item of [
    'compiled/service_list',
    'compiled/service',
    'compiled/organization_list',
    'compiled/organization',
    'taxonomy',
    'taxonomy_term',
  ]) {
    ajv.addSchema({
      $id: `page:${item}`,
      allOf: [{ ...page, required: Object.keys(page.properties) }],
      properties: { contents: { type: 'array', items: { $ref: `${SCHEMA_BASE}${item}.json` } } },
      required: ['contents'],
    });
  }
  const root = openapi.paths['/']!.get.responses['200']!.content['application/json']!.schema;
  ajv.addSchema({ ...root, required: ['version', 'profile'], $id: 'root' });
  /** The errors of `doc` against a schema ([] when valid). */
  return (schema: string, doc: unknown): string[] => {
    const id = schema.includes(':') || schema === 'root' ? schema : `${SCHEMA_BASE}${schema}.json`;
    const validate = ajv.getSchema(id);
    if (!validate) throw new Error(`no schema ${id}`);
    return validate(doc) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message ?? ''}`);
  };
}
