/**
 * HSDS import, step 1: validation against the official compiled HSDS 3.0 schemas (see
 * hsds.import.ts for the whole import).
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import Ajv2020Module, { type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';

// ajv and ajv-formats are CommonJS: the default import is module.exports, which is the class
// (or plugin) itself and also carries it as `.default`, the one TypeScript knows about.
const Ajv2020 = Ajv2020Module.default;
const addFormats = addFormatsModule.default;

/**
 * The compiled (fully dereferenced) official HSDS 3.0 schemas, vendored in ./schema;
 * HSDS_SCHEMA_DIR names another folder.
 */
function schemaDir(): string {
  return process.env.HSDS_SCHEMA_DIR ?? fileURLToPath(new URL('./schema/', import.meta.url));
}

interface Validators {
  service: ValidateFunction;
  organization: ValidateFunction;
  location: ValidateFunction;
  serviceAtLocation: ValidateFunction;
}
let validators: Validators | undefined;

/**
 * Compiled once per process: each schema is megabytes and takes about a second. A location and
 * a service_at_location have no compiled file of their own; being fully dereferenced, the
 * organization's and the service's schemas hold theirs whole.
 */
export function hsdsValidators(): Validators {
  if (!validators) {
    // strict: false, because the HSDS schemas carry their own keywords (constraints, core…).
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats(ajv);
    const read = (name: string) =>
      JSON.parse(readFileSync(`${schemaDir()}/${name}.json`, 'utf8')) as {
        properties: Record<string, { items: object }>;
      };
    const service = read('service');
    const organization = read('organization');
    validators = {
      service: ajv.compile(service),
      organization: ajv.compile(organization),
      location: ajv.compile(organization.properties.locations!.items),
      serviceAtLocation: ajv.compile(service.properties.service_at_locations!.items),
    };
  }
  return validators;
}

/** "name is required; minimum_age must be number", readable in a report. */
export function describeErrors(errors: ErrorObject[] | null | undefined): string {
  const list = errors ?? [];
  const text = list.slice(0, 5).map((e) => {
    const where = e.instancePath
      .slice(1)
      .replace(/\/(\d+)/g, '[$1]')
      .replace(/\//g, '.');
    if (e.keyword === 'required') {
      return `${where ? `${where}.` : ''}${(e.params as { missingProperty: string }).missingProperty} is required`;
    }
    return `${where || 'the document'} ${e.message ?? 'is invalid'}`;
  });
  return `not valid HSDS 3.0: ${text.join('; ')}${list.length > 5 ? ` (and ${list.length - 5} more)` : ''}`;
}
