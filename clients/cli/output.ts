/** What the command line prints: tables for people, JSON lines and CSV for programs. */
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { finished } from 'node:stream/promises';
import { stringify } from 'csv-stringify';

/** The command was called wrongly: exit code 2, with the message and a hint to `--help`. */
export class UsageError extends Error {}

/**
 * The values of a schema enum, checked complete by the compiler: a value added to the schema
 * fails the typecheck here until the list has it.
 */
export function enumValues<T extends string>() {
  return <const V extends readonly T[]>(
    values: V & ([Exclude<T, V[number]>] extends [never] ? unknown : never),
  ) => values as readonly T[];
}

/** Checks an option's values against an enum (case-insensitive) and returns them upper-cased. */
export function oneOf<T extends string>(option: string, values: readonly T[], given: string[]): T[] {
  return given.map((raw) => {
    const value = raw.toUpperCase().replaceAll('-', '_');
    if (!(values as readonly string[]).includes(value)) {
      throw new UsageError(`--${option} ${raw}: not one of ${values.join(', ')}.`);
    }
    return value as T;
  });
}

/** A whole number option, or a usage error. */
export function wholeNumber(option: string, raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  if (!/^\d+$/.test(raw)) throw new UsageError(`--${option} ${raw}: not a whole number.`);
  return Number(raw);
}

/** Prints rows as aligned columns under a header; long cells are cut with an ellipsis. */
export function printTable(header: string[], rows: string[][], maxWidth = 42): void {
  const cut = (cell: string) => (cell.length > maxWidth ? `${cell.slice(0, maxWidth - 1)}…` : cell);
  const cells = [header, ...rows.map((r) => r.map(cut))];
  const widths = header.map((_, i) => Math.max(...cells.map((r) => r[i]?.length ?? 0)));
  for (const row of cells) {
    process.stdout.write(
      `${row.map((c, i) => (i === row.length - 1 ? c : c.padEnd(widths[i]!))).join('  ')}\n`,
    );
  }
}

/** One JSON value per line (for `--json`). */
export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value)}\n`);
}

/**
 * Writes CSV rows (header first) to stdout, or to a file (mode 600) that appears only once
 * complete. Cells a spreadsheet would run as a formula (`=`, `+`, `-`, `@`…) are escaped: offer
 * titles come from other organisations. Returns how many rows were written.
 */
export async function writeCsv(
  header: string[],
  rows: AsyncIterable<Cell[]>,
  file: string | undefined,
): Promise<number> {
  // The first page is asked for before anything is written: a refusal leaves no half output.
  const iterator = rows[Symbol.asyncIterator]();
  let next = await iterator.next();
  const csv = stringify({ escape_formulas: true });
  const partial = file ? `${file}.${process.pid}.partial` : undefined;
  const target = partial ? createWriteStream(partial, { mode: 0o600 }) : process.stdout;
  csv.pipe(target, { end: target !== process.stdout });
  let count = 0;
  try {
    csv.write(header);
    for (; !next.done; next = await iterator.next()) {
      if (!csv.write(next.value)) await once(csv, 'drain');
      count += 1;
    }
    csv.end();
    await finished(partial ? target : csv);
  } catch (error) {
    csv.destroy();
    if (partial) await rm(partial, { force: true });
    throw error;
  }
  if (file && partial) await rename(partial, file);
  return count;
}

/** A CSV cell. */
export type Cell = string | number | boolean | null;

/** Each item of an async iterable, mapped. */
export async function* map<T>(items: AsyncIterable<T>, f: (item: T) => Cell[]): AsyncGenerator<Cell[]> {
  for await (const item of items) yield f(item);
}

/** `2026-03-04T10:00:00Z` as `2026-03-04` (the day is enough in a table), '' for null. */
export const day = (iso: string | null | undefined): string => (iso ? iso.slice(0, 10) : '');

/** A time of day in the local zone, for live lines. */
export const time = (iso: string): string => new Date(iso).toLocaleTimeString('en-GB', { hour12: false });
