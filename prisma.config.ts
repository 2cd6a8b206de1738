// Configuration for the stock Prisma CLI (`prisma generate`, `prisma migrate deploy`).
// The hub's own commands (npm run db:*) do not need it: they drive Prisma's WebAssembly schema engine.
import { defineConfig } from 'prisma/config';

export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  datasource: { url: process.env.DATABASE_URL ?? 'postgresql://localhost/maillage' },
});
