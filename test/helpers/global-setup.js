/**
 * Jest global setup. Runs the TypeScript preparation in its own process: Jest 29 cannot load
 * TypeScript ESM here, and the migration engine is best kept out of Jest's memory anyway.
 * Then builds the web console (clients/web, ~2 s), so that its browser tests run the code as it is.
 */
import { execFileSync } from 'node:child_process';

export default function globalSetup() {
  execFileSync(process.execPath, ['--import', 'tsx', 'test/helpers/prepare-template.ts'], {
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  execFileSync(
    process.execPath,
    ['node_modules/vite/bin/vite.js', 'build', '--config', 'clients/web/vite.config.ts'],
    { stdio: ['ignore', 'inherit', 'inherit'] },
  );
}
