// Counts the incoming referrals per status and lists the ones waiting for an answer.
//   MAILLAGE_URL=… MAILLAGE_TOKEN=… node inbox.js      (a case worker's token, or an API key)
import { createMaillageClient } from '@maillage/client';

const hub = createMaillageClient({ url: process.env.MAILLAGE_URL, token: process.env.MAILLAGE_TOKEN });
const counts = await hub.referrals.counts('INCOMING');
console.log(`${counts.total} incoming referrals, ${counts.overdue} overdue`);
for (const { status, count } of counts.byStatus) if (count > 0) console.log(`  ${status}: ${count}`);

for await (const referral of hub.referrals.listAll({
  box: 'INCOMING',
  filter: { status: ['SENT', 'RECEIVED'] },
})) {
  console.log(`${referral.reference} from ${referral.senderOrganisation.name}, due ${referral.dueAt ?? '-'}`);
}
