/**
 * The referral helpers of {@link MaillageClient}: the inbox, each step, live events. A step
 * resolves to the referral as it is after the step, or throws the hub's typed failure as a
 * {@link MaillageOperationError} (`VersionConflictError` carries `currentVersion`).
 */
import type { TypedDocumentNode, VariablesOf } from '@graphql-typed-document-node/core';
import { unwrap, type FailureResult } from './errors.ts';
import {
  AcceptReferralStepDocument,
  AcknowledgeReferralStepDocument,
  AssignReferralStepDocument,
  CancelReferralStepDocument,
  CompleteReferralStepDocument,
  DeclineReferralStepDocument,
  DraftReferralDocument,
  FindReferralDocument,
  HoldReferralStepDocument,
  PostMessageReferralStepDocument,
  ReferralBoxCountsDocument,
  ReferralListDocument,
  ResumeReferralStepDocument,
  SendReferralStepDocument,
  ShowReferralDocument,
  StartReferralStepDocument,
  UpdateDraftReferralStepDocument,
  WatchIncomingReferralsDocument,
  WatchReferralDocument,
  WatchReferralEventsDocument,
  WithdrawConsentReferralStepDocument,
  type CreateReferralInput,
  type ReferralBox,
  type ReferralEventSummaryFragment,
  type ReferralFilter,
  type ReferralStatus,
  type ReferralSummaryFragment,
  type ShowReferralQuery,
} from './generated/graphql.ts';
import type { ResumableSubscription } from './realtime.ts';
import type { MaillageClient } from './sdk.ts';

/** The largest page the hub serves. */
const PAGE = 100;

/** Each step and the operation that takes it. */
const STEPS = {
  acknowledge: AcknowledgeReferralStepDocument,
  accept: AcceptReferralStepDocument,
  decline: DeclineReferralStepDocument,
  start: StartReferralStepDocument,
  hold: HoldReferralStepDocument,
  resume: ResumeReferralStepDocument,
  complete: CompleteReferralStepDocument,
  cancel: CancelReferralStepDocument,
  assign: AssignReferralStepDocument,
  message: PostMessageReferralStepDocument,
  withdrawConsent: WithdrawConsentReferralStepDocument,
  updateDraft: UpdateDraftReferralStepDocument,
  send: SendReferralStepDocument,
} as const;

/** The name of a step: `accept`, `decline`, `message`, `withdrawConsent`… */
export type ReferralStep = keyof typeof STEPS;
/** The input of a step, e.g. `{ id, expectedVersion, reason, reasonCode }` for `decline`. */
export type ReferralStepInput<S extends ReferralStep> = VariablesOf<(typeof STEPS)[S]>['input'];

/** What every step operation answers: the referral after the step, or a typed failure. */
type StepOutcome =
  { __typename: `${string}Success`; data: { referral: ReferralSummaryFragment } } | FailureResult;

/** Options of {@link ReferralHelpers.list}. */
export interface ReferralListOptions {
  /** INCOMING (received by your organisations) or OUTGOING (sent by them). */
  box: ReferralBox;
  /** Status, overdue, unassigned, assignee, reference. */
  filter?: ReferralFilter | undefined;
  /** Page size, at most 100 (default 20). */
  first?: number | undefined;
  after?: string | null | undefined;
}

/** One page of referrals, newest first. */
export interface ReferralPage {
  totalCount: number;
  items: ReferralSummaryFragment[];
  hasNextPage: boolean;
  endCursor: string | null;
}

/** How many referrals of a box are in each status. */
export interface ReferralCounts {
  /** Every status, 0 included. */
  byStatus: { status: ReferralStatus; count: number }[];
  total: number;
  /** Without a first answer by their due date. */
  overdue: number;
}

/** Options of {@link ReferralHelpers.watch}. */
export interface WatchReferralsOptions {
  /** Only the events of this referral (its ID). */
  referralId?: string | undefined;
  /** Only referrals arriving at your organisations. */
  incomingOnly?: boolean | undefined;
  /** Resume after this cursor; omitted: from now on. */
  after?: string | null | undefined;
  onEvent: (event: ReferralEventSummaryFragment) => void;
  onInterruption?: ((reason: string, willResume: boolean) => void) | undefined;
}

/** The referral work of both sides. Reads leave the person out unless said otherwise. */
export interface ReferralHelpers {
  /** A referral you may see, by its ID or its reference (`REF-2026-000123`); null otherwise. */
  find(idOrReference: string): Promise<ReferralSummaryFragment | null>;
  /** A referral with its person, needs, history and messages: this read of the person is logged. */
  show(idOrReference: string): Promise<ShowReferralQuery['referral']>;
  /** One page of the inbox (INCOMING) or of the sent referrals (OUTGOING), newest first. */
  list(options: ReferralListOptions): Promise<ReferralPage>;
  /** Every referral of a box matching `filter`, page after page. */
  listAll(options: Omit<ReferralListOptions, 'after'>): AsyncGenerator<ReferralSummaryFragment>;
  /** How many referrals of a box are in each status, and how many are overdue. */
  counts(box: ReferralBox): Promise<ReferralCounts>;
  /** Drafts a referral with the person and their consent (retry-safe with `idempotencyKey`). */
  create(input: CreateReferralInput): Promise<ReferralSummaryFragment>;
  /** Takes any step by name: `step('decline', { id, expectedVersion, reason, reasonCode })`. */
  step<S extends ReferralStep>(step: S, input: ReferralStepInput<S>): Promise<ReferralSummaryFragment>;
  /** Sender: edits a draft (fields left out stay as they are). */
  updateDraft(input: ReferralStepInput<'updateDraft'>): Promise<ReferralSummaryFragment>;
  /** Sender: sends a draft to the receiving organisation. */
  send(input: ReferralStepInput<'send'>): Promise<ReferralSummaryFragment>;
  /** Receiver: confirms it has seen the referral. */
  acknowledge(input: ReferralStepInput<'acknowledge'>): Promise<ReferralSummaryFragment>;
  /** Receiver: takes the person on. */
  accept(input: ReferralStepInput<'accept'>): Promise<ReferralSummaryFragment>;
  /** Receiver: declines, with a reason and a coded `reasonCode` (counted in statistics). */
  decline(input: ReferralStepInput<'decline'>): Promise<ReferralSummaryFragment>;
  /** Receiver: work with the person has started. */
  start(input: ReferralStepInput<'start'>): Promise<ReferralSummaryFragment>;
  /** Work pauses, with a reason. */
  hold(input: ReferralStepInput<'hold'>): Promise<ReferralSummaryFragment>;
  /** Work resumes. */
  resume(input: ReferralStepInput<'resume'>): Promise<ReferralSummaryFragment>;
  /** Closes the loop with the outcome. */
  complete(input: ReferralStepInput<'complete'>): Promise<ReferralSummaryFragment>;
  /** The sender (or the receiver once accepted) cancels, with a reason. */
  cancel(input: ReferralStepInput<'cancel'>): Promise<ReferralSummaryFragment>;
  /** Receiver: puts one of its case workers in charge (`assigneeId`), or nobody (null). */
  assign(input: ReferralStepInput<'assign'>): Promise<ReferralSummaryFragment>;
  /** A message to the other side. */
  message(input: ReferralStepInput<'message'>): Promise<ReferralSummaryFragment>;
  /** Sender: the person withdrew their consent (an open referral is cancelled). */
  withdrawConsent(input: ReferralStepInput<'withdrawConsent'>): Promise<ReferralSummaryFragment>;
  /** Every event of the referrals you may see (or of one, or only arrivals), resuming after interruptions. */
  watch(options: WatchReferralsOptions): ResumableSubscription;
}

/** `REF-2026-000123` is a reference; anything else is taken for an ID. */
const lookup = (idOrReference: string) =>
  /^REF-/i.test(idOrReference) ? { reference: idOrReference.toUpperCase() } : { id: idOrReference };

export function createReferralHelpers(
  request: MaillageClient['request'],
  subscribe: MaillageClient['subscribe'],
): ReferralHelpers {
  async function step<S extends ReferralStep>(name: S, input: ReferralStepInput<S>) {
    // Each step's document answers `{ <mutation field>: StepOutcome }`.
    const document = STEPS[name] as TypedDocumentNode<
      Record<string, StepOutcome>,
      { input: ReferralStepInput<S> }
    >;
    const data = await request(document, { input });
    return unwrap(Object.values(data)[0] as StepOutcome).referral;
  }
  const list = async (options: ReferralListOptions): Promise<ReferralPage> => {
    const { referrals } = await request(ReferralListDocument, {
      box: options.box,
      filter: options.filter ?? null,
      first: options.first ?? null,
      after: options.after ?? null,
    });
    return {
      totalCount: referrals.totalCount,
      items: referrals.edges.map((e) => e.node),
      hasNextPage: referrals.pageInfo.hasNextPage,
      endCursor: referrals.pageInfo.endCursor,
    };
  };
  const onEvents = (options: WatchReferralsOptions) => ({
    after: options.after,
    onInterruption: options.onInterruption,
  });

  return {
    find: async (ref) => (await request(FindReferralDocument, lookup(ref))).referral,
    show: async (ref) => (await request(ShowReferralDocument, lookup(ref))).referral,
    list,
    async *listAll(options) {
      let after: string | null = null;
      for (;;) {
        const page: ReferralPage = await list({ ...options, first: options.first ?? PAGE, after });
        yield* page.items;
        if (!page.hasNextPage || !page.endCursor) return;
        after = page.endCursor;
      }
    },
    async counts(box) {
      const data = await request(ReferralBoxCountsDocument, { box });
      return {
        byStatus: data.referralStatusCounts,
        total: data.referralStatusCounts.reduce((sum, c) => sum + c.count, 0),
        overdue: data.overdue.totalCount,
      };
    },
    async create(input) {
      const { createReferral } = await request(DraftReferralDocument, { input });
      return unwrap(createReferral).referral;
    },
    step,
    updateDraft: (input) => step('updateDraft', input),
    send: (input) => step('send', input),
    acknowledge: (input) => step('acknowledge', input),
    accept: (input) => step('accept', input),
    decline: (input) => step('decline', input),
    start: (input) => step('start', input),
    hold: (input) => step('hold', input),
    resume: (input) => step('resume', input),
    complete: (input) => step('complete', input),
    cancel: (input) => step('cancel', input),
    assign: (input) => step('assign', input),
    message: (input) => step('message', input),
    withdrawConsent: (input) => step('withdrawConsent', input),
    watch(options) {
      if (options.referralId) {
        return subscribe(
          WatchReferralDocument,
          { id: options.referralId },
          {
            ...onEvents(options),
            cursorOf: (d) => d.referralUpdated.cursor,
            onData: (d) => options.onEvent(d.referralUpdated),
          },
        );
      }
      if (options.incomingOnly) {
        return subscribe(
          WatchIncomingReferralsDocument,
          {},
          {
            ...onEvents(options),
            cursorOf: (d) => d.incomingReferrals.cursor,
            onData: (d) => options.onEvent(d.incomingReferrals),
          },
        );
      }
      return subscribe(
        WatchReferralEventsDocument,
        {},
        {
          ...onEvents(options),
          cursorOf: (d) => d.referralEvents.cursor,
          onData: (d) => options.onEvent(d.referralEvents),
        },
      );
    },
  };
}
