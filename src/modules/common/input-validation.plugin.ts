/**
 * Input validation that answers every invalid field at once.
 *
 * `@pothos/plugin-validation` (4.3) stops checking an input object's fields at the first one that
 * fails, and skips an object's own (type-level) schema when any field inside it failed: a client
 * fixes one field, sends again, and learns of the next. This plugin takes over the `validate`
 * options that plugin defines (on arguments, input fields and input types): it runs every schema
 * of every value given, collects every issue with its path, and throws the builder's
 * `validation.validationError` once with all of them. Values are replaced by what the schemas
 * return (trimmed strings…), as with the library. The library stays registered for its option
 * types and its other features; listed after it in `plugins`, this plugin's hooks run first and
 * remove the options it handles before the library sees them.
 *
 * Schemas must be synchronous (zod's are, without async refinements).
 */
import SchemaBuilder, {
  BasePlugin,
  mapInputFields,
  PothosSchemaError,
  unwrapInputFieldType,
  type InputFieldMapping,
  type InputFieldsMapping,
  type PothosInputFieldConfig,
  type PothosOutputFieldConfig,
  type PothosTypeConfig,
  type SchemaTypes,
} from '@pothos/core';
import type { StandardSchemaV1 } from '@pothos/plugin-validation';

const KEY = 'maillage/validate';

interface Schemas {
  /** Of the field (or argument) itself: run on its whole value (a list as a whole). */
  field: StandardSchemaV1 | null;
  /** Of its input object type: run on each object (each item of a list). */
  type: StandardSchemaV1 | null;
}

type Mapping<Types extends SchemaTypes> = InputFieldsMapping<Types, Schemas>;
type Issue = StandardSchemaV1.Issue;

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace -- Pothos registers plugins in its namespace.
  export namespace PothosSchemaTypes {
    interface Plugins<Types extends SchemaTypes> {
      collectValidation: CollectValidationPlugin<Types>;
    }
  }
}

export class CollectValidationPlugin<Types extends SchemaTypes> extends BasePlugin<Types> {
  override onInputFieldConfig(fieldConfig: PothosInputFieldConfig<Types>): PothosInputFieldConfig<Types> {
    const schema = (fieldConfig.pothosOptions as { validate?: StandardSchemaV1 }).validate;
    if (!schema) return fieldConfig;
    return {
      ...fieldConfig,
      pothosOptions: { ...fieldConfig.pothosOptions, validate: undefined },
      extensions: { ...fieldConfig.extensions, [KEY]: schema },
    };
  }

  override onTypeConfig(typeConfig: PothosTypeConfig): PothosTypeConfig {
    const schema = (typeConfig.pothosOptions as { validate?: StandardSchemaV1 }).validate;
    if (typeConfig.graphqlKind !== 'InputObject' || !schema) return typeConfig;
    return {
      ...typeConfig,
      pothosOptions: { ...typeConfig.pothosOptions, validate: undefined },
      extensions: { ...typeConfig.extensions, [KEY]: schema },
    };
  }

  override onOutputFieldConfig(
    fieldConfig: PothosOutputFieldConfig<Types>,
  ): PothosOutputFieldConfig<Types> | null {
    const mappings = mapInputFields(fieldConfig.args, this.buildCache, (field) => {
      const typeConfig = this.buildCache.getTypeConfig(unwrapInputFieldType(field.type));
      const schemas: Schemas = {
        field: (field.extensions?.[KEY] as StandardSchemaV1 | undefined) ?? null,
        type:
          typeConfig.kind === 'InputObject'
            ? ((typeConfig.extensions?.[KEY] as StandardSchemaV1 | undefined) ?? null)
            : null,
      };
      return schemas.field || schemas.type ? schemas : null;
    });
    if (!mappings) return fieldConfig;
    const validationError = this.builder.options.validation?.validationError;
    return {
      ...fieldConfig,
      argMappers: [
        ...(fieldConfig.argMappers ?? []),
        (args, context) => {
          const issues: Issue[] = [];
          const value = validateObject(args, mappings, [], issues);
          if (issues.length === 0) return value;
          const failure = { issues };
          const error = validationError
            ? validationError(failure, args, context)
            : new Error(issues.map((i) => i.message).join('; '));
          throw typeof error === 'string' ? new Error(error) : error;
        },
      ],
    };
  }
}

/** Validates the given fields of one object (arguments or an input object), every one of them. */
function validateObject<Types extends SchemaTypes>(
  value: Record<string, unknown>,
  mappings: Mapping<Types>,
  path: PropertyKey[],
  issues: Issue[],
): Record<string, unknown> {
  const out = { ...value };
  for (const [name, mapping] of mappings) {
    if (out[name] == null) continue;
    out[name] = validateField(out[name], mapping, [...path, name], issues);
  }
  return out;
}

function validateField<Types extends SchemaTypes>(
  value: unknown,
  mapping: InputFieldMapping<Types, Schemas>,
  path: PropertyKey[],
  issues: Issue[],
): unknown {
  let result = value;
  if (mapping.kind === 'InputObject') {
    const nested = mapping.fields.map;
    const typeSchema = mapping.value?.type ?? null;
    result = eachItem(result, mapping.listDepth, path, (item, itemPath) => {
      const fields = nested
        ? validateObject(item as Record<string, unknown>, nested, itemPath, issues)
        : (item as Record<string, unknown>);
      return typeSchema ? run(typeSchema, fields, itemPath, issues) : fields;
    });
  }
  const fieldSchema = mapping.value?.field ?? null;
  return fieldSchema ? run(fieldSchema, result, path, issues) : result;
}

/** Applies `fn` to each non-null item of a (nested) list, or to the value itself at depth 0. */
function eachItem(
  value: unknown,
  depth: number,
  path: PropertyKey[],
  fn: (item: unknown, path: PropertyKey[]) => unknown,
): unknown {
  if (depth === 0) return value == null ? value : fn(value, path);
  if (!Array.isArray(value)) return value;
  return value.map((item, i) => eachItem(item, depth - 1, [...path, i], fn));
}

/** Runs one schema; its issues are recorded under `path`, and the value kept as given. */
function run(schema: StandardSchemaV1, value: unknown, path: PropertyKey[], issues: Issue[]): unknown {
  const result = schema['~standard'].validate(value);
  if (result instanceof Promise) {
    throw new PothosSchemaError('Input validation schemas must be synchronous.');
  }
  if (!result.issues) return result.value;
  for (const issue of result.issues) {
    const own = (issue.path ?? []).map((p) => (typeof p === 'object' ? p.key : p));
    // The issue's other properties (zod's code, minimum…) stay readable for plain wording.
    issues.push(Object.create(issue, { path: { value: [...path, ...own], enumerable: true } }) as Issue);
  }
  return value;
}

SchemaBuilder.registerPlugin('collectValidation', CollectValidationPlugin);
export default 'collectValidation' as const;
