/**
 * Jest global setup. Runs the TypeScript preparation in its own process: Jest 29 cannot load
 * TypeScript ESM here, and the migration engine is best kept out of Jest's memory anyway.
 */
import { execFileSync } from 'node:child_process';

export default function globalSetup() {
  execFileSync(process.execPath, ['--import', 'tsx', 'test/helpers/prepare-template.ts'], {
    stdio: ['ignore', 'inherit', 'inherit'],
  });
}
