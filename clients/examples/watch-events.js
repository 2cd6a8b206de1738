// Prints the events of the referrals you may see as they happen. After a network loss or a hub
// restart it resumes from the last cursor by itself; save the cursor to resume after a restart.
//   MAILLAGE_URL=… MAILLAGE_TOKEN=… node watch-events.js [cursor]
import { createMaillageClient } from '@maillage/client';

const hub = createMaillageClient({ url: process.env.MAILLAGE_URL, token: process.env.MAILLAGE_TOKEN });
const sub = hub.referrals.watch({
  after: process.argv[2] ?? null,
  onEvent: (e) =>
    console.log(`${e.at} ${e.reference} ${e.type} ${e.fromStatus ?? ''} -> ${e.toStatus ?? ''} #${e.cursor}`),
  onInterruption: (reason, willResume) => console.error(`(${reason}${willResume ? ', resuming' : ''})`),
});
process.once('SIGINT', () => void sub.stop());
const failed = await sub.finished;
console.error(
  failed ? `Stopped: ${failed}` : `Stopped; resume with: node watch-events.js ${sub.cursor ?? ''}`,
);
if (failed) process.exitCode = 1;
