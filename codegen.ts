/**
 * graphql-codegen: schema/schema.graphql + clients/operations/*.graphql -> clients/generated/,
 * typed documents (TypedDocumentNode) that the SDK, the CLI and the API tests send.
 * Run `npm run generate:clients`; a test fails when the committed output is stale.
 */
import type { CodegenConfig } from '@graphql-codegen/cli';

const config: CodegenConfig = {
  schema: 'schema/schema.graphql',
  documents: ['clients/operations/**/*.graphql'],
  ignoreNoDocuments: false,
  // NodeNext ESM: relative imports carry their extension.
  importExtension: '.ts',
  generates: {
    'clients/generated/': {
      preset: 'client',
      presetConfig: { fragmentMasking: false },
      config: {
        useTypeImports: true,
        enumsAsTypes: true,
        scalars: { DateTime: 'string' },
        strictScalars: true,
      },
    },
    // The console's normalised cache (Graphcache) matches fragments on interfaces and unions by it.
    'clients/web/src/graphql/schema.generated.ts': {
      plugins: ['urql-introspection'],
      config: { module: 'es2015', useTypeImports: true, includeScalars: false, includeEnums: false },
    },
  },
};

export default config;
