/** `npm run generate:schema`: writes the schema's SDL (sorted) to schema/schema.graphql. */
import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { printSchema } from 'graphql';
import { schema } from '../schema.ts';

export const SDL_PATH = fileURLToPath(new URL('../../schema/schema.graphql', import.meta.url));

/** The SDL exactly as committed. */
export function sdl(): string {
  return `${printSchema(schema)}\n`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await writeFile(SDL_PATH, sdl());
  console.log(`wrote ${SDL_PATH}`);
}
