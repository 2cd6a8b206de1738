// Accepts a referral, or declines it with a coded reason; a typed failure is a
// MaillageOperationError to switch on.
//   MAILLAGE_URL=… MAILLAGE_TOKEN=… node take-a-step.js REF-2026-000123 [decline "reason"]
import { createMaillageClient, MaillageOperationError } from '@maillage/client';

const [reference, step = 'accept', reason] = process.argv.slice(2);
const hub = createMaillageClient({ url: process.env.MAILLAGE_URL, token: process.env.MAILLAGE_TOKEN });
const referral = await hub.referrals.find(reference);
if (!referral) throw new Error(`No referral ${reference} that you may see.`);
try {
  const { id, version: expectedVersion } = referral;
  const after =
    step === 'decline'
      ? await hub.referrals.decline({ id, expectedVersion, reason, reasonCode: 'NO_CAPACITY' })
      : await hub.referrals.accept({ id, expectedVersion });
  console.log(`${after.reference} is now ${after.status} (version ${after.version})`);
} catch (error) {
  if (!(error instanceof MaillageOperationError)) throw error;
  if (error.typename === 'VersionConflictError') {
    console.error(`Changed meanwhile (now version ${error.currentVersion}): read it again.`);
  } else {
    console.error(`Refused: ${error.message} [${error.code}]`);
  }
  process.exitCode = 1;
}
