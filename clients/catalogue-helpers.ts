/** The catalogue helpers of {@link MaillageClient}: search offers, page through them, follow them. */
import {
  SearchOffersDocument,
  WatchOffersDocument,
  type Language,
  type OfferChangeFilter,
  type OfferFilter,
  type OfferOrder,
  type OfferSummaryFragment,
  type WatchOffersSubscription,
} from './generated/graphql.ts';
import type { ResumableSubscription } from './realtime.ts';
import type { MaillageClient } from './sdk.ts';

/** The largest page the hub serves. */
const PAGE = 100;

/** Options of {@link CatalogueHelpers.search}. */
export interface SearchOffersOptions {
  /** Text, themes, communes, audiences, languages, free places… (default: published offers). */
  filter?: OfferFilter | undefined;
  /** Page size, at most 100 (default 20). */
  first?: number | undefined;
  /** `endCursor` of the previous page. */
  after?: string | null | undefined;
  /** Default RELEVANCE. */
  orderBy?: OfferOrder | undefined;
  /** Language of titles and of sorting by name (default: the hub's, from Accept-Language). */
  lang?: Language | undefined;
}

/** One page of offers. */
export interface OfferPage {
  totalCount: number;
  items: OfferSummaryFragment[];
  hasNextPage: boolean;
  /** Pass it as `after` for the next page. */
  endCursor: string | null;
}

/** Options of {@link CatalogueHelpers.watch}. */
export interface WatchOffersOptions {
  filter?: OfferChangeFilter | undefined;
  /** Resume after this cursor; omitted: from now on. */
  after?: string | null | undefined;
  /** A change (`OfferChangeNotice`) or an offer you may no longer see (`OfferUnavailableNotice`). */
  onNotice: (notice: WatchOffersSubscription['offerCapacityChanged']) => void;
  onInterruption?: ((reason: string, willResume: boolean) => void) | undefined;
}

/** Finding offers in the shared catalogue (public offers need no credential). */
export interface CatalogueHelpers {
  /** One page of offers matching `filter`. */
  search(options?: SearchOffersOptions): Promise<OfferPage>;
  /** Every offer matching `filter`, page after page (100 at a time unless `first` says less). */
  searchAll(options?: Omit<SearchOffersOptions, 'after'>): AsyncGenerator<OfferSummaryFragment>;
  /** Free places, status and openness to referrals of the offers you may see, as they change. */
  watch(options: WatchOffersOptions): ResumableSubscription;
}

export function createCatalogueHelpers(
  request: MaillageClient['request'],
  subscribe: MaillageClient['subscribe'],
): CatalogueHelpers {
  const search = async (options: SearchOffersOptions = {}): Promise<OfferPage> => {
    const { offers } = await request(SearchOffersDocument, {
      filter: options.filter ?? null,
      first: options.first ?? null,
      after: options.after ?? null,
      orderBy: options.orderBy ?? null,
      lang: options.lang ?? null,
    });
    return {
      totalCount: offers.totalCount,
      items: offers.edges.map((e) => e.node),
      hasNextPage: offers.pageInfo.hasNextPage,
      endCursor: offers.pageInfo.endCursor,
    };
  };
  return {
    search,
    async *searchAll(options = {}) {
      let after: string | null = null;
      for (;;) {
        const page: OfferPage = await search({ ...options, first: options.first ?? PAGE, after });
        yield* page.items;
        if (!page.hasNextPage || !page.endCursor) return;
        after = page.endCursor;
      }
    },
    watch: (options) =>
      subscribe(
        WatchOffersDocument,
        { filter: options.filter ?? null },
        {
          after: options.after,
          cursorOf: (d) => d.offerCapacityChanged.cursor,
          onData: (d) => options.onNotice(d.offerCapacityChanged),
          onInterruption: options.onInterruption,
        },
      ),
  };
}
