/**
 * HSDS import, step 2: reading the document: which HSDS object each part is, and the services and
 * locations to import, each validated (see hsds.import.ts for the whole import).
 */
import type { ValidateFunction } from 'ajv/dist/2020.js';
import type { ImportRejection, ImportWarning } from './hsds.import.ts';
import { describeErrors, hsdsValidators } from './hsds.import-validate.ts';

export type Json = Record<string, unknown>;

export const isObject = (v: unknown): v is Json => !!v && typeof v === 'object' && !Array.isArray(v);
export const text = (v: unknown): string | undefined =>
  typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined;
export const objects = (v: unknown): Json[] => (Array.isArray(v) ? v.filter(isObject) : []);
export const idOf = (doc: Json): string | undefined => (typeof doc.id === 'string' ? doc.id : undefined);

/** Why a service cannot be imported; the whole service is rejected. */
export class Rejected extends Error {
  constructor(
    readonly path: string,
    reason: string,
  ) {
    super(reason);
  }
}

const words = (list: string) => list.trim().split(/\s+/);
const SERVICE_KEYS = words(`
  status organization_id program_id service_at_locations schedules service_areas
  eligibility_description minimum_age maximum_age fees_description fees cost_options languages url
  application_process interpretation_services required_documents program organization
`);
const ORGANIZATION_KEYS = words(`
  services website locations legal_status year_incorporated organization_identifiers tax_status
  tax_id logo uri parent_organization_id programs
`);
const TAXONOMY_KEYS = words(`
  code parent_id taxonomy taxonomy_detail taxonomy_id term_uri version
`);

type Kind = 'service' | 'organization' | 'location' | 'service_at_location' | 'taxonomy';

/** Which HSDS object this is, from the properties only one kind has (a bare one: a service). */
function kindOf(doc: Json): Kind {
  if (isObject(doc.service) || (('location' in doc || 'location_id' in doc) && !('name' in doc))) {
    return 'service_at_location';
  }
  if ('location_type' in doc || 'addresses' in doc) return 'location';
  const score = (keys: string[]) => keys.filter((k) => k in doc).length;
  const service = score(SERVICE_KEYS);
  const organization = score(ORGANIZATION_KEYS);
  if (service === 0 && organization === 0 && score(TAXONOMY_KEYS) > 0) return 'taxonomy';
  return organization > service ? 'organization' : 'service';
}

interface Found {
  services: { doc: Json; path: string }[];
  locations: { doc: Json; path: string }[];
  rejected: ImportRejection[];
  warnings: ImportWarning[];
}

/**
 * Collects the services and the locations of their own (an organization's, a bare location) to
 * import, validating each object against its schema.
 */
export function collect(document: unknown): Found {
  const found: Found = { services: [], locations: [], rejected: [], warnings: [] };
  const valid = hsdsValidators();
  const check = (validate: ValidateFunction, doc: Json, path: string, hsdsId = idOf(doc)) => {
    if (validate(doc)) return true;
    found.rejected.push({ ...(hsdsId ? { hsdsId } : {}), path, reason: describeErrors(validate.errors) });
    return false;
  };

  const visit = (item: unknown, path: string) => {
    if (!isObject(item)) {
      found.rejected.push({ path, reason: 'not an HSDS object (expected a service or an organization)' });
      return;
    }
    switch (kindOf(item)) {
      case 'taxonomy':
        found.warnings.push({
          path,
          message: 'a taxonomy or taxonomy term: themes are managed by the hub, skipped',
        });
        return;
      case 'service':
        if (check(valid.service, item, path)) found.services.push({ doc: item, path });
        return;
      case 'location':
        if (check(valid.location, item, path)) found.locations.push({ doc: item, path });
        return;
      case 'service_at_location': {
        // The service, delivered at this location: imported as the service with it attached.
        const { service, ...sal } = item;
        if (!check(valid.serviceAtLocation, sal, path)) return;
        if (isObject(service)) {
          const others = objects(service.service_at_locations);
          visit({ ...service, service_at_locations: [...others, sal] }, `${path}.service`);
        } else if (isObject(sal.location)) {
          found.locations.push({ doc: sal.location, path: `${path}.location` });
        } else {
          found.warnings.push({
            path,
            message: 'service_at_location without its service or location: skipped',
          });
        }
        return;
      }
      case 'organization': {
        // The organization is validated without its services, which are validated (and
        // rejected) one by one, so that one bad service does not stop the others.
        const { services, ...shell } = item;
        if (check(valid.organization, shell, path)) {
          objects(shell.locations).forEach((doc, i) =>
            found.locations.push({ doc, path: `${path}.locations[${i}]` }),
          );
        }
        if (services !== undefined && !Array.isArray(services)) {
          found.rejected.push({ path: `${path}.services`, reason: 'services must be an array' });
        }
        (Array.isArray(services) ? services : []).forEach((s, i) => visit(s, `${path}.services[${i}]`));
      }
    }
  };

  if (Array.isArray(document)) document.forEach((item, i) => visit(item, `$[${i}]`));
  else if (isObject(document) && Array.isArray(document.contents)) {
    document.contents.forEach((item, i) => visit(item, `$.contents[${i}]`));
  } else visit(document, '$');
  return found;
}
