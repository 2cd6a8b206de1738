/**
 * Child process that owns the embedded PostgreSQL server (see src/shared/db/embedded.ts).
 * Started by the hub or a CLI (`embedded-db.ts <dataDir> [hub | <command>]`, the second argument
 * naming its starter to whoever finds the folder taken); reports `{ ready, url, created }` or
 * `{ error, message }` (a sentence for the user) over IPC and stops the server
 * cleanly when its parent goes away (even a SIGKILLed one: the IPC channel closes) or on
 * SIGTERM/SIGINT. The server's own log is printed only with LOG_LEVEL=debug or trace.
 */
import { startEmbeddedDatabase } from '../shared/db/embedded.ts';

const dataDir = process.argv[2];
const startedBy = process.argv[3] ?? 'hub';
if (!dataDir || !process.send) {
  console.error('usage: forked with IPC by the hub: embedded-db.ts <dataDir> [hub | <command>]');
  process.exit(2);
}

try {
  const verbose = ['debug', 'trace'].includes(process.env.LOG_LEVEL ?? '');
  const db = await startEmbeddedDatabase(dataDir, {
    startedBy,
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
  // The starter may have gone while the server started (Ctrl-C during a first start).
  if (process.connected) process.send({ type: 'ready', url: db.url, created: db.created });
  else await stop();
} catch (err) {
  // Exit once the message is out: exiting at once can drop it.
  if (process.connected)
    process.send({ type: 'error', message: (err as Error).message }, undefined, {}, () => process.exit(1));
  else process.exit(1);
}
