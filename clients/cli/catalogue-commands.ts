/** `search` and `export offers`: the shared catalogue, public offers without a credential. */
import type {
  Audience,
  Language,
  OfferFilter,
  OfferOrder,
  OfferStatus,
  OfferSummaryFragment,
} from '../generated/graphql.ts';
import type { SearchOffersOptions } from '../sdk.ts';
import type { Command, CommandContext } from './command.ts';
import { enumValues, map, oneOf, printJson, printTable, wholeNumber } from './output.ts';

const AUDIENCES = enumValues<Audience>()([
  'ADULTS',
  'CHILDREN',
  'EVERYONE',
  'FAMILIES',
  'HOMELESS',
  'JOBSEEKERS',
  'MEN',
  'NEWCOMERS',
  'PEOPLE_IN_DEBT',
  'PEOPLE_WITH_ADDICTIONS',
  'PEOPLE_WITH_DISABILITIES',
  'PROFESSIONALS',
  'REFUGEES',
  'SENIORS',
  'WOMEN',
  'YOUTH',
]);
const LANGUAGES = enumValues<Language>()(['AR', 'DE', 'EN', 'FA', 'FR', 'LB', 'PT', 'UK']);
const ORDERS = enumValues<OfferOrder>()(['NAME', 'RELEVANCE', 'UPDATED']);
const STATUSES = enumValues<OfferStatus>()(['DRAFT', 'PAUSED', 'PUBLISHED', 'WITHDRAWN']);

/** The filter options of `search` and `export offers`. */
export const OFFER_FILTER_OPTIONS = {
  theme: { type: 'string', multiple: true },
  commune: { type: 'string', multiple: true },
  audience: { type: 'string', multiple: true },
  language: { type: 'string', multiple: true },
  organisation: { type: 'string' },
  status: { type: 'string', multiple: true },
  free: { type: 'boolean' },
  referrals: { type: 'boolean' },
  order: { type: 'string' },
  lang: { type: 'string' },
} as const;

const FILTER_HELP = [
  'Text is matched accent- and case-insensitively (French and German stemming).',
  '--theme <code>, --commune <name>, --audience <AUDIENCE>, --language <iso>: repeat or separate with commas.',
  '--free: with free places now; --referrals: accepting referrals; --organisation <ID>;',
  '--status <STATUS> (default PUBLISHED; others: your own organisations); --order relevance|name|updated;',
  `--lang ${LANGUAGES.join('|').toLowerCase()}: language of titles.`,
];

/** The search of the options; `words` (default: the positionals) are the text. */
export function searchOptions(ctx: CommandContext, words = ctx.positionals): SearchOffersOptions {
  const filter: OfferFilter = {};
  const text = words.join(' ').trim();
  if (text) filter.text = text;
  if (ctx.list('theme').length) filter.themes = ctx.list('theme');
  if (ctx.list('commune').length) filter.communes = ctx.list('commune');
  if (ctx.list('audience').length) filter.audiences = oneOf('audience', AUDIENCES, ctx.list('audience'));
  if (ctx.list('language').length) filter.languages = ctx.list('language').map((l) => l.toLowerCase());
  if (ctx.list('status').length) filter.statuses = oneOf('status', STATUSES, ctx.list('status'));
  if (ctx.string('organisation')) filter.organisation = ctx.string('organisation');
  if (ctx.flag('free')) filter.hasFreePlaces = true;
  if (ctx.flag('referrals')) filter.acceptsReferrals = true;
  const order = ctx.string('order');
  const lang = ctx.string('lang');
  return {
    filter,
    orderBy: order ? oneOf('order', ORDERS, [order])[0] : undefined,
    lang: lang ? oneOf('lang', LANGUAGES, [lang])[0] : undefined,
  };
}

/** "3/10 free", "10 places", "waitlist" … */
function places(offer: OfferSummaryFragment): string {
  const { free, places: total, waitlist } = offer.capacity;
  const parts = [free !== null ? `${free}/${total ?? '?'} free` : total !== null ? `${total} places` : ''];
  if (waitlist) parts.push('waitlist');
  return parts.filter(Boolean).join(', ');
}

const where = (offer: OfferSummaryFragment) =>
  [...new Set([...offer.sites.map((s) => s.commune), ...offer.serviceArea])].join(', ');

export const search: Command = {
  usage: 'search [text] [filters] [--first N] [--after <cursor>]',
  summary: 'Find offers in the catalogue (one page; export offers for all)',
  details: FILTER_HELP,
  options: { ...OFFER_FILTER_OPTIONS, first: { type: 'string' }, after: { type: 'string' } },
  async run(ctx) {
    const client = await ctx.client();
    const page = await client.catalogue.search({
      ...searchOptions(ctx),
      first: wholeNumber('first', ctx.string('first')),
      after: ctx.string('after'),
    });
    if (ctx.json) return printJson(page);
    process.stdout.write(`${page.totalCount} offer${page.totalCount === 1 ? '' : 's'}\n`);
    if (page.items.length) {
      printTable(
        ['TITLE', 'ORGANISATION', 'WHERE', 'PLACES', 'ID'],
        page.items.map((o) => [o.title.text, o.organisation.slug, where(o), places(o), o.id]),
      );
    }
    if (page.hasNextPage) process.stdout.write(`More: add --after ${page.endCursor}\n`);
  },
};

export const OFFER_CSV_HEADER = [
  'id',
  'title',
  'title_language',
  'organisation',
  'organisation_name',
  'status',
  'themes',
  'communes',
  'service_area',
  'audiences',
  'languages',
  'places',
  'free_places',
  'waitlist',
  'accepts_referrals',
  'response_days',
  'updated_at',
];

/** Every offer matching the options, as CSV rows. */
export async function offerRows(ctx: CommandContext, words: string[]) {
  const options = searchOptions(ctx, words);
  const client = await ctx.client();
  return map(client.catalogue.searchAll(options), (o) => [
    o.id,
    o.title.text,
    o.title.language,
    o.organisation.slug,
    o.organisation.name,
    o.status,
    o.themes.map((t) => t.code).join(' '),
    [...new Set(o.sites.map((s) => s.commune))].join('; '),
    o.serviceArea.join('; '),
    o.audiences.join(' '),
    o.languages.join(' '),
    o.capacity.places,
    o.capacity.free,
    o.capacity.waitlist,
    o.acceptsReferrals,
    o.responseDays,
    o.updatedAt,
  ]);
}
