/**
 * `inbox`, `show`, `step` and the rows of `export inbox`. The inbox, its export and the steps
 * leave the person out (each read of it is logged for both organisations' admins); `show` reads it.
 */
import type {
  ActorSummaryFragment,
  DeclineReason,
  ReferralBox,
  ReferralFilter,
  ReferralStatus,
  ReferralSummaryFragment,
  ShowReferralQuery,
} from '../generated/graphql.ts';
import {
  MaillageOperationError,
  type ReferralListOptions,
  type ReferralStep,
  type ReferralStepInput,
} from '../sdk.ts';
import type { Command, CommandContext } from './command.ts';
import { day, enumValues, map, oneOf, printJson, printTable, UsageError, wholeNumber } from './output.ts';

const STATUSES = enumValues<ReferralStatus>()([
  'ACCEPTED',
  'CANCELLED',
  'COMPLETED',
  'DECLINED',
  'DRAFT',
  'IN_PROGRESS',
  'ON_HOLD',
  'RECEIVED',
  'SENT',
]);
const DECLINE_REASONS = enumValues<DeclineReason>()([
  'DUPLICATE',
  'NOT_ELIGIBLE',
  'NO_CAPACITY',
  'OTHER',
  'OUT_OF_AREA',
  'PERSON_REFUSED',
  'PERSON_UNREACHABLE',
]);

/** The filter options of `inbox` and `export inbox`. */
export const INBOX_OPTIONS = {
  outgoing: { type: 'boolean' },
  status: { type: 'string', multiple: true },
  overdue: { type: 'boolean' },
  unassigned: { type: 'boolean' },
  mine: { type: 'boolean' },
  reference: { type: 'string' },
} as const;

const INBOX_HELP = [
  'Incoming referrals (received by your organisations); --outgoing: the ones they sent.',
  `--status <STATUS>: ${STATUSES.join(', ')} (repeat or separate with commas);`,
  '--overdue: no first answer by the due date; --unassigned; --mine: assigned to you; --reference REF-….',
];

async function listOptions(ctx: CommandContext): Promise<Omit<ReferralListOptions, 'after' | 'first'>> {
  const box: ReferralBox = ctx.flag('outgoing') ? 'OUTGOING' : 'INCOMING';
  const filter: ReferralFilter = {};
  if (ctx.list('status').length) filter.status = oneOf('status', STATUSES, ctx.list('status'));
  if (ctx.flag('overdue')) filter.overdue = true;
  if (ctx.flag('unassigned')) filter.unassigned = true;
  if (ctx.string('reference')) filter.reference = ctx.string('reference')!.toUpperCase();
  if (ctx.flag('mine')) {
    const { viewer } = await (await ctx.client({ needsCredential: true })).whoAmI();
    if (!viewer)
      throw new UsageError('--mine needs a person’s token (an API client has no referrals of its own).');
    filter.assigneeId = viewer.id;
  }
  return { box, filter };
}

/** The other side of a referral, seen from the box. */
const otherSide = (r: ReferralSummaryFragment, box: ReferralBox) =>
  box === 'INCOMING' ? r.senderOrganisation.slug : r.receiverOrganisation.slug;

export const inbox: Command = {
  usage: 'inbox [--outgoing] [filters] [--first N] [--after <cursor>]',
  summary: 'Referrals received (or sent), with counts per status',
  details: INBOX_HELP,
  options: { ...INBOX_OPTIONS, first: { type: 'string' }, after: { type: 'string' } },
  async run(ctx) {
    const client = await ctx.client({ needsCredential: true });
    const options = await listOptions(ctx);
    const [counts, page] = await Promise.all([
      client.referrals.counts(options.box),
      client.referrals.list({
        ...options,
        first: wholeNumber('first', ctx.string('first')),
        after: ctx.string('after'),
      }),
    ]);
    if (ctx.json) return printJson({ box: options.box, counts, ...page });
    const label = options.box === 'INCOMING' ? 'Incoming' : 'Outgoing';
    process.stdout.write(
      `${label}: ${counts.total} referral${counts.total === 1 ? '' : 's'}, ${counts.overdue} overdue\n`,
    );
    const nonZero = counts.byStatus.filter((c) => c.count > 0).map((c) => `${c.status} ${c.count}`);
    if (nonZero.length) process.stdout.write(`  ${nonZero.join(' · ')}\n`);
    if (Object.keys(options.filter ?? {}).length) process.stdout.write(`Matching: ${page.totalCount}\n`);
    if (page.items.length) {
      printTable(
        [
          'REFERENCE',
          'STATUS',
          'URGENCY',
          options.box === 'INCOMING' ? 'FROM' : 'TO',
          'OFFER',
          'DUE',
          'ASSIGNEE',
        ],
        page.items.map((r) => [
          r.reference,
          r.status,
          r.urgency,
          otherSide(r, options.box),
          r.offer?.title.text ?? '',
          day(r.dueAt),
          r.assigneeName ?? '',
        ]),
        32,
      );
    }
    if (page.hasNextPage) process.stdout.write(`More: add --after ${page.endCursor}\n`);
  },
};

export const INBOX_CSV_HEADER = [
  'reference',
  'id',
  'box',
  'status',
  'urgency',
  'sender',
  'receiver',
  'offer',
  'need_themes',
  'sent_at',
  'due_at',
  'first_answer_at',
  'closed_at',
  'assignee',
  'decline_reason',
  'waitlisted',
  'version',
];

/** Every referral of the box matching the options, as CSV rows (no person data, no free text). */
export async function inboxRows(ctx: CommandContext) {
  const client = await ctx.client({ needsCredential: true });
  const options = await listOptions(ctx);
  return map(client.referrals.listAll(options), (r) => [
    r.reference,
    r.id,
    options.box,
    r.status,
    r.urgency,
    r.senderOrganisation.slug,
    r.receiverOrganisation.slug,
    r.offer?.title.text ?? null,
    r.needThemes.map((t) => t.code).join(' '),
    r.sentAt,
    r.dueAt,
    r.firstAnswerAt,
    r.closedAt,
    r.assigneeName,
    r.declineReason,
    r.waitlisted,
    r.version,
  ]);
}

export const show: Command = {
  usage: 'show <reference or ID>',
  summary: 'One referral with its person, history and messages (this read is logged)',
  async run(ctx) {
    const [ref, ...rest] = ctx.positionals;
    if (!ref || rest.length) throw new UsageError('Give one referral: its reference (REF-…) or its ID.');
    const r = await (await ctx.client({ needsCredential: true })).referrals.show(ref);
    if (!r) throw new Error(`No referral ${ref} that you may see.`);
    if (ctx.json) return printJson(r);
    const side = (orgId: string) =>
      orgId === r.senderOrganisation.id ? r.senderOrganisation.slug : r.receiverOrganisation.slug;
    const p = r.person;
    const lines = [
      `${r.reference}  ${r.status} (version ${r.version})  ${r.urgency}`,
      `From ${r.senderOrganisation.name} to ${r.receiverOrganisation.name}${r.offer ? `: ${r.offer.title.text}` : ''}`,
      `Sent ${day(r.sentAt) || '-'}, due ${day(r.dueAt) || '-'}, assignee ${r.assigneeName ?? '-'}`,
      p
        ? `Person: ${[p.name ?? p.initials, p.birthYear && `born ${p.birthYear}`, p.languages.join('/'), p.contactChannel && `${p.contactChannel} ${p.contact ?? ''}`.trim(), p.interpreterNeeded && 'interpreter needed'].filter(Boolean).join(', ')}`
        : `Person: ${r.personAnonymised ? 'anonymised' : 'not shown (consent withdrawn)'}`,
      ...(r.needs ? [`Needs: ${r.needs}`] : []),
      ...(r.statusReason ? [`Reason: ${r.statusReason}`] : []),
      ...(r.declineReason ? [`Declined: ${r.declineReason}`] : []),
      ...(r.outcome ? [`Outcome: ${r.outcome}`] : []),
      ...(r.consent ? [`Consent: ${consentLine(r.consent)}`] : []),
      'History:',
      ...r.events.map(
        (e) =>
          `  ${e.at}  ${e.type}${e.toStatus ? ` ${e.fromStatus ?? ''} → ${e.toStatus}` : ''}${byWhom(e.actor)}${e.note ? `: ${e.note}` : ''}`,
      ),
      ...(r.messages.length
        ? [
            'Messages:',
            ...r.messages.map(
              (m) => `  ${m.at}  [${side(m.authorOrganisationId)}]${byWhom(m.actor)}: ${m.body}`,
            ),
          ]
        : []),
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
  },
};

/** " by Carol (Organisation alpha)", or '' when the hub acted. */
export const byWhom = (actor: ActorSummaryFragment | null | undefined): string =>
  actor ? ` by ${actor.name}${actor.organisation ? ` (${actor.organisation.name})` : ''}` : '';

type Consent = NonNullable<NonNullable<ShowReferralQuery['referral']>['consent']>;
const consentLine = (c: Consent) =>
  [
    `recorded ${day(c.recordedAt)}${byWhom(c.recordedBy)}`,
    c.purpose && `for "${c.purpose}"`,
    c.recipients.length && `shared with ${c.recipients.map((o) => o.slug).join(', ')}`,
    c.expiresAt && `until ${day(c.expiresAt)}`,
    c.withdrawnAt && `WITHDRAWN ${day(c.withdrawnAt)}`,
  ]
    .filter(Boolean)
    .join(', ');

/** The command line's step names, the SDK's, and what each needs besides the referral. */
const STEPS: Record<string, { step: ReferralStep; needs: string[]; may?: string[] }> = {
  acknowledge: { step: 'acknowledge', needs: [] },
  accept: { step: 'accept', needs: [] },
  decline: { step: 'decline', needs: ['reason'], may: ['reason-code'] },
  start: { step: 'start', needs: [] },
  hold: { step: 'hold', needs: ['reason'] },
  resume: { step: 'resume', needs: [] },
  complete: { step: 'complete', needs: ['outcome'] },
  cancel: { step: 'cancel', needs: ['reason'] },
  assign: { step: 'assign', needs: [], may: ['to', 'nobody'] },
  message: { step: 'message', needs: ['text'] },
  'withdraw-consent': { step: 'withdrawConsent', needs: [] },
  send: { step: 'send', needs: [], may: ['waitlist'] },
};
const STEP_OPTIONS = ['reason', 'reason-code', 'outcome', 'text', 'to', 'nobody', 'waitlist'];

export const step: Command = {
  usage: `step <${Object.keys(STEPS).join('|')}> <reference or ID> [options]`,
  summary: 'Take a step on a referral',
  details: [
    'decline --reason <text> [--reason-code NO_CAPACITY|…]; hold/cancel --reason <text>; complete --outcome <text>;',
    'message --text <text>; assign --to <user ID|me> | --nobody; send [--waitlist].',
    '--version <n>: the version you read (default: the current one); a stale one is refused.',
    `Reason codes: ${DECLINE_REASONS.join(', ')}.`,
  ],
  options: {
    version: { type: 'string' },
    reason: { type: 'string' },
    'reason-code': { type: 'string' },
    outcome: { type: 'string' },
    text: { type: 'string' },
    to: { type: 'string' },
    nobody: { type: 'boolean' },
    waitlist: { type: 'boolean' },
  },
  async run(ctx) {
    const [name, ref, ...rest] = ctx.positionals;
    const spec = name ? STEPS[name] : undefined;
    if (!spec) throw new UsageError(`Which step? One of ${Object.keys(STEPS).join(', ')}.`);
    if (!ref || rest.length)
      throw new UsageError(`Give one referral to ${name}: its reference (REF-…) or its ID.`);
    for (const option of STEP_OPTIONS) {
      const given = ctx.string(option) !== undefined || ctx.flag(option);
      if (given && !spec.needs.includes(option) && !spec.may?.includes(option)) {
        throw new UsageError(`--${option} does not apply to ${name}.`);
      }
    }
    for (const option of spec.needs) {
      if (!ctx.string(option)?.trim()) throw new UsageError(`${name} needs --${option} <text>.`);
    }
    if (name === 'assign' && (ctx.string('to') === undefined) === !ctx.flag('nobody')) {
      throw new UsageError('assign needs --to <user ID|me> or --nobody.');
    }
    const version = wholeNumber('version', ctx.string('version'));
    const reasonCode = ctx.string('reason-code');
    const reasonCodes = reasonCode
      ? { reasonCode: oneOf('reason-code', DECLINE_REASONS, [reasonCode])[0] }
      : {};

    const client = await ctx.client({ needsCredential: true });
    const found = await client.referrals.find(ref);
    if (!found) throw new Error(`No referral ${ref} that you may see.`);
    const id = found.id;
    const expectedVersion = version ?? found.version;
    let assigneeId: string | null = null;
    if (ctx.string('to') === 'me') {
      const { viewer } = await client.whoAmI();
      if (!viewer) throw new UsageError('--to me needs a person’s token.');
      assigneeId = viewer.id;
    } else if (ctx.string('to')) assigneeId = ctx.string('to')!;

    // Checked against the schema's inputs; the options each step needs were checked above.
    const input: { [S in ReferralStep]: ReferralStepInput<S> } = {
      acknowledge: { id, expectedVersion },
      accept: { id, expectedVersion },
      decline: { id, expectedVersion, reason: ctx.string('reason')!, ...reasonCodes },
      start: { id, expectedVersion },
      hold: { id, expectedVersion, reason: ctx.string('reason')! },
      resume: { id, expectedVersion },
      complete: { id, expectedVersion, outcome: ctx.string('outcome')! },
      cancel: { id, expectedVersion, reason: ctx.string('reason')! },
      assign: { id, expectedVersion, assigneeId },
      message: { id, body: ctx.string('text')! },
      withdrawConsent: { id },
      send: { id, expectedVersion, ...(ctx.flag('waitlist') ? { acceptWaitlist: true } : {}) },
      updateDraft: { id, expectedVersion },
    };
    let after: ReferralSummaryFragment;
    try {
      after = await client.referrals.step(spec.step, input[spec.step]);
    } catch (error) {
      if (error instanceof MaillageOperationError && error.currentVersion !== undefined) {
        throw new MaillageOperationError({
          __typename: error.typename,
          code: error.code,
          message: `${error.message} It is now at version ${error.currentVersion}: check it (maillage show ${found.reference}) and try again.`,
        });
      }
      throw error;
    }
    if (ctx.json) return printJson(after);
    const moved = after.status !== found.status ? `${found.status} → ${after.status}` : after.status;
    const extra =
      name === 'assign'
        ? `, assignee ${after.assigneeName ?? 'nobody'}`
        : name === 'message'
          ? ', message posted'
          : '';
    process.stdout.write(`${after.reference}: ${moved} (version ${after.version})${extra}\n`);
  },
};
