/** PGlite options shared by the embedded database and the migration engine's shadow database. */
import type { PGliteOptions } from '@electric-sql/pglite';
import { unaccent } from '@electric-sql/pglite/contrib/unaccent';

/** Extensions the migrations create (accent-insensitive full-text search needs `unaccent`). */
export const pgliteOptions: PGliteOptions = { extensions: { unaccent } };
