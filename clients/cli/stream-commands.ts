/** `export` (CSV of the inbox or of offers, every page) and `watch` (live events, resumable). */
import type { ReferralEventSummaryFragment, WatchOffersSubscription } from '../generated/graphql.ts';
import type { ResumableSubscription } from '../sdk.ts';
import { OFFER_CSV_HEADER, OFFER_FILTER_OPTIONS, offerRows } from './catalogue-commands.ts';
import type { Command } from './command.ts';
import { byWhom, INBOX_CSV_HEADER, INBOX_OPTIONS, inboxRows } from './referral-commands.ts';
import { printJson, time, UsageError, writeCsv } from './output.ts';

export const exportCsv: Command = {
  usage: 'export <inbox|offers> [filters of inbox or search] [--out <file.csv>]',
  summary: 'Every referral of a box, or every offer found, as CSV',
  details: [
    'Without --out the CSV goes to standard output (with npm run, add -s: npm run -s cli -- export …).',
    'The file (mode 600) appears only once complete. The inbox export has no person data and no free text.',
    'Cells a spreadsheet would read as a formula (=, +, -, @) are escaped.',
  ],
  options: { ...INBOX_OPTIONS, ...OFFER_FILTER_OPTIONS, out: { type: 'string' } },
  async run(ctx) {
    const [kind, ...rest] = ctx.positionals;
    const out = ctx.string('out');
    if (kind === 'inbox') {
      if (rest.length) throw new UsageError('export inbox takes no text; filter with --status, --overdue…');
      const n = await writeCsv(INBOX_CSV_HEADER, await inboxRows(ctx), out);
      if (out) process.stderr.write(`Wrote ${n} referral${n === 1 ? '' : 's'} to ${out}.\n`);
    } else if (kind === 'offers') {
      const inboxOnly = Object.keys(INBOX_OPTIONS).filter(
        (o) => o !== 'status' && (ctx.flag(o) || ctx.string(o)),
      );
      if (inboxOnly.length) throw new UsageError(`--${inboxOnly[0]} applies to export inbox, not offers.`);
      const n = await writeCsv(OFFER_CSV_HEADER, await offerRows(ctx, rest), out);
      if (out) process.stderr.write(`Wrote ${n} offer${n === 1 ? '' : 's'} to ${out}.\n`);
    } else {
      throw new UsageError('What to export? inbox or offers.');
    }
  },
};

const referralLine = (n: ReferralEventSummaryFragment) => {
  const step = n.fromStatus && n.toStatus ? `${n.fromStatus} → ${n.toStatus}` : (n.toStatus ?? n.status);
  const sides = n.referral
    ? `${n.referral.senderOrganisation.slug} → ${n.referral.receiverOrganisation.slug}`
    : '';
  return (
    [time(n.at), n.reference, n.type.padEnd(17), step.padEnd(24), sides.padEnd(16), `#${n.cursor}`].join(
      '  ',
    ) + byWhom(n.actor)
  );
};

const offerLine = (n: WatchOffersSubscription['offerCapacityChanged']) => {
  const what =
    n.__typename === 'OfferChangeNotice'
      ? `${n.status.padEnd(9)}  ${n.capacityFree ?? '?'}/${n.capacityPlaces ?? '?'} free${n.waitlist ? ', waitlist' : ''}${n.acceptsReferrals ? '' : ', no referrals'}`
      : `no longer available to you`;
  return [time(n.at), n.offerId, what, `#${n.cursor}`].join('  ');
};

export const watch: Command = {
  usage: 'watch [--incoming | --referral <ref> | --offers [--theme …] [--commune …]] [--after <cursor>]',
  summary: 'Print live events as they happen; resumes by itself after interruptions',
  details: [
    'Default: every event of the referrals you may see. --incoming: referrals arriving; --referral: one referral;',
    '--offers: free places and status of offers (filters --theme, --commune, --organisation <ID>).',
    'Ctrl-C stops it and prints the cursor to resume from with --after. Exit code 1 when the hub refuses',
    '(bad credential, unknown referral or cursor), never for a dropped connection (it resumes).',
  ],
  options: {
    incoming: { type: 'boolean' },
    referral: { type: 'string' },
    offers: { type: 'boolean' },
    theme: { type: 'string', multiple: true },
    commune: { type: 'string', multiple: true },
    organisation: { type: 'string' },
    after: { type: 'string' },
  },
  async run(ctx) {
    if (
      [ctx.flag('incoming'), ctx.string('referral') !== undefined, ctx.flag('offers')].filter(Boolean)
        .length > 1
    ) {
      throw new UsageError('Choose one of --incoming, --referral and --offers.');
    }
    if (
      !ctx.flag('offers') &&
      (ctx.list('theme').length || ctx.list('commune').length || ctx.string('organisation'))
    ) {
      throw new UsageError('--theme, --commune and --organisation filter --offers.');
    }
    const client = await ctx.client({ needsCredential: !ctx.flag('offers') });
    const after = ctx.string('after') ?? null;
    const onInterruption = (reason: string, willResume: boolean) => {
      if (willResume) process.stderr.write(`(${reason}; resuming after #${sub.cursor ?? after ?? 'now'})\n`);
    };
    let sub: ResumableSubscription;
    if (ctx.flag('offers')) {
      const filter = {
        ...(ctx.list('theme').length ? { themes: ctx.list('theme') } : {}),
        ...(ctx.list('commune').length ? { communes: ctx.list('commune') } : {}),
        ...(ctx.string('organisation') ? { organisationId: ctx.string('organisation') } : {}),
      };
      sub = client.catalogue.watch({
        filter,
        after,
        onInterruption,
        onNotice: (n) => (ctx.json ? printJson(n) : process.stdout.write(`${offerLine(n)}\n`)),
      });
    } else {
      let referralId: string | undefined;
      const ref = ctx.string('referral');
      if (ref) {
        const found = await client.referrals.find(ref);
        if (!found) throw new Error(`No referral ${ref} that you may see.`);
        referralId = found.id;
      }
      sub = client.referrals.watch({
        referralId,
        incomingOnly: ctx.flag('incoming'),
        after,
        onInterruption,
        onEvent: (n) => (ctx.json ? printJson(n) : process.stdout.write(`${referralLine(n)}\n`)),
      });
    }
    process.stderr.write(`Watching ${(await ctx.session()).url} (Ctrl-C to stop)…\n`);
    const stop = () => void sub.stop();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    const failed = await sub.finished;
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
    if (failed) throw new Error(`Stopped: ${failed}`);
    process.stderr.write(sub.cursor ? `Stopped. To resume: --after ${sub.cursor}\n` : 'Stopped.\n');
  },
};
