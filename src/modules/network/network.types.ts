/**
 * The network's picture as it is published: counts already disclosure-controlled
 * (`PublishedCount`: "< 5", rounded to 5), durations in working days, no person. These are what
 * GraphQL, CSV, the charts and the monthly report all take: none of them sees a raw count.
 */
import type { DeclineReason } from '../../generated/prisma/enums.ts';
import type { PublishedCount } from '../referrals/referral-stats.disclosure.ts';

export type { PublishedCount };

/** An organisation as the figures name it. */
export interface NetworkOrganisation {
  id: string;
  slug: string;
  name: string;
}

/** The outcome buckets a flow is split into (they partition its referrals). */
export const FLOW_OUTCOMES = ['PENDING', 'ACCEPTED', 'COMPLETED', 'DECLINED', 'CANCELLED'] as const;
export type FlowOutcome = (typeof FLOW_OUTCOMES)[number];

export interface DeclineReasonCount {
  /** Null: declined without a coded reason. */
  reason: DeclineReason | null;
  count: PublishedCount;
}

/** Referrals sent in the period from one organisation to another, where they are now. */
export interface FlowEdge {
  sender: NetworkOrganisation;
  receiver: NetworkOrganisation;
  /** All referrals of the pair in the period (the flow's total). */
  sent: PublishedCount;
  /** Sent or received, not answered yet. */
  pending: PublishedCount;
  /** Accepted and still open (accepted, in progress, on hold). */
  accepted: PublishedCount;
  completed: PublishedCount;
  declined: PublishedCount;
  cancelled: PublishedCount;
  /** DECLINED by coded reason (every reason, 0 included). */
  declines: DeclineReasonCount[];
}

/** The flows as a matrix: senders in rows, receivers in columns, both in `organisations`' order. */
export interface FlowMatrix {
  organisations: NetworkOrganisation[];
  /** rows[i][j]: referrals sent by organisations[i] to organisations[j]; null where the viewer may not see the pair. */
  cells: (PublishedCount | null)[][];
  /** What each organisation sent (over the cells shown), and received. */
  sentTotals: PublishedCount[];
  receivedTotals: PublishedCount[];
}

export interface NetworkFlows {
  from: Date;
  to: Date;
  /** When the figures were last brought up to date with the event log. */
  refreshedAt: Date | null;
  /** Null: the whole network; else the organisations whose pairs are shown. */
  limitedTo: NetworkOrganisation[] | null;
  edges: FlowEdge[];
  matrix: FlowMatrix;
}

/** Median and 90th percentile of one duration, in working days, over `count` referrals. */
export interface DurationStats {
  count: PublishedCount;
  /** Null when fewer than 5 referrals have this duration. */
  median: number | null;
  p90: number | null;
}

export interface ResponseTimes {
  firstAnswer: DurationStats;
  acceptance: DurationStats;
  completion: DurationStats;
}

export interface PairResponseTimes extends ResponseTimes {
  sender: NetworkOrganisation;
  receiver: NetworkOrganisation;
  referrals: PublishedCount;
}

export interface ThemeRef {
  code: string;
  /** The theme's label in the asked language (fallback fr, de, en). */
  label: string;
}

export interface ThemeResponseTimes extends ResponseTimes {
  theme: ThemeRef;
  referrals: PublishedCount;
}

export interface NetworkResponseTimes {
  from: Date;
  to: Date;
  refreshedAt: Date | null;
  limitedTo: NetworkOrganisation[] | null;
  /** Pairs with at least one referral in the period, slowest median first answer first. */
  pairs: PairResponseTimes[];
  themes: ThemeResponseTimes[];
}

/** Demand for one theme in one commune in one month. */
export interface GapDemand {
  /** Catalogue searches that found nothing, or nothing with a free place. */
  searches: PublishedCount;
  /** matchOffers calls likewise. */
  matches: PublishedCount;
  /** Referrals declined for no capacity, not eligible or out of area. */
  declines: PublishedCount;
  total: PublishedCount;
}

export interface GapCell {
  theme: ThemeRef;
  /** A commune of Luxembourg; null: searches that named no commune (the whole country). */
  commune: string | null;
  demand: GapDemand;
  previousDemand: GapDemand;
  /**
   * Published offers with this theme (or a sub-theme) there, in the month (now for the current
   * month, the month's last reading for a past one: `supply.ts`); null when the month was never read.
   */
  offers: number | null;
  /** Their free places (offers that count places). */
  freePlaces: number | null;
  /** Published offers there with a free place or no place count. */
  offersWithRoom: number | null;
  /** The same in the month before. */
  previousOffersWithRoom: number | null;
  /** demand.total / max(1, offersWithRoom), from the published demand; null when suppressed or unread. */
  gapIndex: number | null;
  previousGapIndex: number | null;
}

export interface NetworkGaps {
  /** First day of the month (Luxembourg), and of the month before. */
  month: string;
  previousMonth: string;
  /** When the supply of the month and of the month before was read; null: never read. */
  supplyReadAt: Date | null;
  previousSupplyReadAt: Date | null;
  /** Cells with any demand this month or the last, highest gap index first. */
  cells: GapCell[];
}
