/**
 * Unmet demand, counted anonymously: a catalogue search or a `matchOffers` call that found
 * nothing (or nothing with a free place) adds one to the day's count of each theme × commune of
 * its criteria (`DemandMiss`). Never the text searched, never who searched, never a person.
 *
 * Counted where the search and the match are computed (`searchOffers` on its first page,
 * `matchOffers`), so every caller of the GraphQL search and of matching counts alike. An
 * anonymous search that the public cache answers counts again on each answer (`onServe` in
 * `src/context.ts`). The HSDS API is not counted: it is read by partner systems copying the
 * catalogue, whose empty pages say nothing of a person's need (docs/NOTES.md). The write does
 * not hold up the answer: a failure is logged, the search is still answered.
 */
import { Prisma } from '../../generated/prisma/client.ts';
import type { DemandMissKind, DemandSource } from '../../generated/prisma/enums.ts';
import type { SqlRunner } from '../../shared/db/client.ts';
import { WORKING_DAYS_TIME_ZONE } from '../referrals/working-days.ts';

/** Criteria cells one miss may add to, at most (themes × communes), so one call cannot flood. */
const MAX_CELLS = 25;

export interface DemandCriteria {
  themes: readonly string[];
  communes: readonly string[];
}

const day = new Intl.DateTimeFormat('en-CA', { timeZone: WORKING_DAYS_TIME_ZONE });

/** Adds one miss to each theme × commune of the criteria (commune '' when none was named). */
export function demandMiss(
  sql: SqlRunner,
  source: DemandSource,
  kind: DemandMissKind,
  criteria: DemandCriteria,
  at = new Date(),
): Promise<void> {
  const themes = [...new Set(criteria.themes)];
  if (themes.length === 0) return Promise.resolve();
  const communes = criteria.communes.length > 0 ? [...new Set(criteria.communes)] : [''];
  const cells = themes.flatMap((t) => communes.map((c) => [t, c] as const)).slice(0, MAX_CELLS);
  return sql(Prisma.sql`
    INSERT INTO "DemandMiss" (day, source, kind, "themeCode", commune, count)
    SELECT ${day.format(at)}::date, ${source}::"DemandSource", ${kind}::"DemandMissKind", c.theme, c.commune, 1
    FROM unnest(${cells.map((c) => c[0])}::text[], ${cells.map((c) => c[1])}::text[]) AS c(theme, commune)
    ORDER BY 1, 2, 3, 4, 5
    ON CONFLICT (day, source, kind, "themeCode", commune) DO UPDATE SET count = "DemandMiss".count + 1`).then(
    () => undefined,
  );
}
