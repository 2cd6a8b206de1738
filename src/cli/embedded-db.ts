/**
 * Child process that owns the embedded PostgreSQL server (see src/shared/db/embedded.ts).
 * Started by the hub or a CLI; reports `{ ready, url, created }` over IPC and stops the server
 * cleanly when its parent goes away (even a SIGKILLed one: the IPC channel closes) or on
 * SIGTERM/SIGINT. The server's own log is printed only with LOG_LEVEL=debug or trace.
 */
import { startEmbeddedDatabase } from '../shared/db/embedded.ts';

const dataDir = process.argv[2];
if (!dataDir || !process.send) {
  console.error('usage: forked with IPC by the hub: embedded-db.ts <dataDir>');
  process.exit(2);
}

try {
  const verbose = ['debug', 'trace'].includes(process.env.LOG_LEVEL ?? '');
  const db = await startEmbeddedDatabase(dataDir, {
    onLog: verbose ? (line) => process.stderr.write(`[embedded postgres] ${line}\n`) : undefined,
  });
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await db.stop();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop());
  process.on('SIGINT', () => void stop());
  process.on('disconnect', () => void stop());
  process.send({ type: 'ready', url: db.url, created: db.created });
} catch (err) {
  process.send({ type: 'error', message: (err as Error).message });
  process.exit(1);
}
