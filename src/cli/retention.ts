/**
 * `npm run retention -- [--months N] [--dry-run]`: anonymises the person data of referrals closed
 * more than N calendar months ago (default RETENTION_MONTHS), keeping what the statistics count,
 * deletes outbox rows older than OUTBOX_RETENTION_DAYS that no webhook still needs (and the log of
 * the finished webhook deliveries of the events gone), and deletes
 * kept mail (it holds codes in clear) older than MAIL_KEEP_DAYS or whose code can no longer be used
 * (a line only when there is some), and sessions and sign-in codes over for a day.
 * Works on DATABASE_URL or the embedded database. Exits 1 on failure, 2 on a usage error.
 */
import { pruneSessions } from '../modules/accounts/session.service.ts';
import { anonymiseEndedEditions } from '../modules/events/event-retention.ts';
import { pruneKeptMail } from '../modules/mail/mail-retention.ts';
import { pruneOutbox } from '../modules/realtime/outbox-retention.ts';
import { anonymiseClosedReferrals } from '../modules/referrals/retention.ts';
import { pruneOfferChanges } from '../modules/welcome/match-index.ts';
import { withCliDatabase } from './cli-database.ts';

const USAGE = 'usage: npm run retention -- [--months N] [--dry-run]';

interface Args {
  months: number | null;
  dryRun: boolean;
}

function parseArgs(argv: string[]): Args {
  let months: number | null = null;
  let dryRun = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--dry-run') dryRun = true;
    else if (arg === '--months' || arg.startsWith('--months=')) {
      const value = arg === '--months' ? argv[++i] : arg.slice('--months='.length);
      if (!value || !/^\d+$/.test(value) || Number(value) < 1 || Number(value) > 120)
        fail(`--months needs a whole number of months from 1 to 120, not "${value ?? ''}".`);
      months = Number(value);
    } else if (arg === '--help' || arg === '-h') {
      console.log(USAGE);
      process.exit(0);
    } else fail(`Unknown argument ${arg}.`);
  }
  return { months, dryRun };
}

function fail(message: string): never {
  console.error(`${message}\n${USAGE}`);
  process.exit(2);
}

const args = parseArgs(process.argv.slice(2));

await withCliDatabase(async ({ prisma, pool, sql }, config) => {
  const { referrals, cutoff } = await anonymiseClosedReferrals(prisma, {
    months: args.months ?? config.RETENTION_MONTHS,
    dryRun: args.dryRun,
  });
  const what = `${referrals} referral${referrals === 1 ? '' : 's'}`;
  const before = cutoff.toISOString().slice(0, 10);
  console.log(`${args.dryRun ? 'Would anonymise' : 'Anonymised'} ${what} closed before ${before}.`);
  const outbox = await pruneOutbox(pool, { days: config.OUTBOX_RETENTION_DAYS, dryRun: args.dryRun });
  console.log(
    `${args.dryRun ? 'Would delete' : 'Deleted'} ${outbox.rows} outbox row${outbox.rows === 1 ? '' : 's'} older than ${outbox.cutoff.toISOString().slice(0, 10)}.`,
  );
  // Said only when there is some: most networks have few webhooks.
  if (outbox.deliveries > 0) {
    console.log(
      `${args.dryRun ? 'Would delete' : 'Deleted'} the log of ${outbox.deliveries} finished webhook deliver${outbox.deliveries === 1 ? 'y' : 'ies'} whose event left the outbox.`,
    );
  }
  const events = await anonymiseEndedEditions(prisma, {
    months: config.EVENT_RETENTION_MONTHS,
    dryRun: args.dryRun,
  });
  if (events.needsErased + events.editions > 0) {
    console.log(
      `${args.dryRun ? 'Would erase' : 'Erased'} the accessibility needs of ${events.needsErased} registration(s) of past events; ${args.dryRun ? 'would anonymise' : 'anonymised'} ${events.editions} event edition(s) ended before ${events.cutoff.toISOString().slice(0, 10)} (${events.registrations} registration(s)).`,
    );
  }
  const mail = await pruneKeptMail(prisma, { days: config.MAIL_KEEP_DAYS, dryRun: args.dryRun });
  // Sessions and sign-in codes over for a day: hashes only, nothing to report.
  if (!args.dryRun) await pruneSessions(prisma);
  // The match index's change log, over a day old: read only by running hubs, nothing to report.
  if (!args.dryRun) await pruneOfferChanges(sql);
  // Said only when there is some: a hub that sends mail over SMTP keeps none.
  if (mail.messages > 0) {
    console.log(
      `${args.dryRun ? 'Would delete' : 'Deleted'} ${mail.messages} kept mail${mail.messages === 1 ? '' : 's'} older than ${mail.cutoff.toISOString().slice(0, 10)} or whose code can no longer be used.`,
    );
  }
});
