/**
 * `npm run mail:list` prints the mail the hub kept instead of sending it (no SMTP_URL), newest
 * first, in full: how a demo or a trial reads its invitation codes. Options: `--to <address>`,
 * `--kind <kind>` (e.g. invitation), `--limit <n>` (default 10). `npm run retention` deletes kept
 * mail after MAIL_KEEP_DAYS, and an invitation's as soon as its code is dead (mail-retention.ts).
 */
import { parseArgs } from 'node:util';
import { withCliDatabase } from './cli-database.ts';

let options: { to?: string; kind?: string; limit: number };
try {
  const { values } = parseArgs({
    options: {
      to: { type: 'string' },
      kind: { type: 'string' },
      limit: { type: 'string', default: '10' },
      help: { type: 'boolean' },
    },
  });
  if (values.help) throw new Error('help');
  const limit = Number(values.limit);
  if (!Number.isInteger(limit) || limit < 1) throw new Error('--limit must be a positive whole number');
  options = { limit, ...(values.to ? { to: values.to } : {}), ...(values.kind ? { kind: values.kind } : {}) };
} catch (err) {
  const message = (err as Error).message;
  if (message !== 'help') console.error(message);
  console.error('usage: npm run mail:list [-- --to <address>] [--kind <kind>] [--limit <n>]');
  process.exit(2);
}

await withCliDatabase(async ({ prisma }, config) => {
  const where = {
    ...(options.to ? { to: options.to.trim().toLowerCase() } : {}),
    ...(options.kind ? { kind: options.kind } : {}),
  };
  const [total, messages] = await Promise.all([
    prisma.mailMessage.count({ where }),
    prisma.mailMessage.findMany({
      where,
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      take: options.limit,
    }),
  ]);
  if (config.SMTP_URL) console.error('SMTP_URL is set: the hub sends mail now; these were kept before.');
  if (total === 0) {
    console.log('No mail kept.');
    return;
  }
  console.log(`${total} mail(s) kept${total > messages.length ? `, newest ${messages.length} shown` : ''}.`);
  for (const m of messages) {
    console.log(`\n=== ${m.createdAt.toISOString()}  ${m.kind}  to ${m.to}`);
    console.log(`Subject: ${m.subject}\n`);
    console.log(m.text);
  }
});
