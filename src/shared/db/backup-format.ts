/**
 * The file `npm run backup` writes and `npm run restore` reads: one gzip stream of text lines.
 *
 *     MAILLAGE-BACKUP
 *     {"format":1,"createdAt":…,"hubVersion":…,"migrations":[…],"tables":[…],"sequences":[…],"secrets":{…}}
 *     <rows of the first table in the header, PostgreSQL's COPY text format, one line per row>
 *     \.
 *     <rows of the next table> … \.
 *     END
 *
 * The header names the migrations the database had applied, every table of its schema with its
 * columns and row count, the sequences' values, and the key that sealed its secrets. A row never
 * spans lines (COPY escapes line breaks and backslashes), so `\.` alone on a line ends a table as
 * in pg_dump's plain format. `zcat file | head -2` shows what a backup holds.
 *
 * Every problem with a file is a BackupFileError whose message is one sentence for the operator.
 */
import type { FileHandle } from 'node:fs/promises';
import { open } from 'node:fs/promises';
import { createGunzip, type Gunzip } from 'node:zlib';
import { z } from 'zod';

/** The version of this layout; a file of a higher one comes from a newer Maillage. */
export const BACKUP_FORMAT = 1;
const MAGIC = 'MAILLAGE-BACKUP';
/** Ends a table's rows. */
export const TABLE_END = '\\.';
/** Ends the file. */
export const FILE_END = 'END';
const NEWLINE = Buffer.from('\n');
/** Rows are handed on in batches of about this many bytes. */
const BATCH_BYTES = 256 * 1024;

const headerSchema = z.object({
  format: z.number().int().positive(),
  createdAt: z.string(),
  hubVersion: z.string(),
  /** Migrations the database had applied, in order. */
  migrations: z.array(z.string()),
  tables: z.array(
    z.object({ name: z.string(), columns: z.array(z.string()), rows: z.number().int().min(0) }),
  ),
  /** `lastValue` as text: a bigint. */
  sequences: z.array(z.object({ name: z.string(), lastValue: z.string(), isCalled: z.boolean() })),
  /**
   * The key that sealed the secrets at rest (src/shared/secrets.ts): its id, and the key itself
   * (base64) when it was the development key file of DATA_DIR rather than SECRETS_KEY.
   */
  secrets: z.object({ keyId: z.string().nullable(), key: z.string().optional() }),
});

export type BackupHeader = z.infer<typeof headerSchema>;
export type BackupTable = BackupHeader['tables'][number];

/** A backup file that cannot be used, said in one sentence. */
export class BackupFileError extends Error {
  override name = 'BackupFileError';
}

/** The first lines of a backup file. */
export function headerText(header: BackupHeader): string {
  return `${MAGIC}\n${JSON.stringify(header)}\n`;
}

/**
 * Reads a backup file front to back: the header first (checked on open), then each table's rows
 * in the header's order, then the end. Every read checks what the header promised (row counts,
 * the end marker), and gzip checks its own CRC, so a truncated or altered file fails.
 */
export class BackupReader {
  /** Whole lines decompressed and not read yet, from `next` on. */
  private lines: Buffer[] = [];
  private next = 0;
  /** The start of a line whose end is still compressed. */
  private rest: Buffer = Buffer.alloc(0);
  private ended = false;

  private constructor(
    readonly file: string,
    private readonly handle: FileHandle,
    private readonly gunzip: Gunzip,
    private readonly chunks: AsyncIterator<Buffer>,
  ) {}

  /** What the file holds, as its header says. Set by `open`. */
  header!: BackupHeader;

  /** Opens `file` and reads its header; BackupFileError when it is missing or not a backup. */
  static async open(file: string): Promise<BackupReader> {
    const handle = await open(file, 'r').catch((err: NodeJS.ErrnoException) => {
      throw new BackupFileError(
        err.code === 'ENOENT' ? `There is no file ${file}.` : `Cannot read ${file}: ${err.message}.`,
      );
    });
    const gunzip = createGunzip();
    handle
      .createReadStream()
      .on('error', (err) => gunzip.destroy(err))
      .pipe(gunzip);
    const reader = new BackupReader(file, handle, gunzip, gunzip[Symbol.asyncIterator]());
    try {
      reader.header = await reader.readHeader();
      return reader;
    } catch (err) {
      await reader.close();
      throw err;
    }
  }

  /**
   * The rows of `table` (the next one in the file) in batches of whole lines, each ending in a
   * line break, as COPY … FROM STDIN takes them. Throws once the rows are read if their number is
   * not the header's.
   */
  async *tableRows(table: BackupTable): AsyncGenerator<Buffer> {
    let rows = 0;
    let batch: Buffer[] = [];
    let bytes = 0;
    for (;;) {
      const line = await this.line();
      if (line === null) throw this.damaged(`it ends in the middle of table ${table.name}`);
      if (line.length === 2 && line.toString() === TABLE_END) break;
      batch.push(line, NEWLINE);
      bytes += line.length + 1;
      rows++;
      if (bytes >= BATCH_BYTES) {
        yield Buffer.concat(batch);
        batch = [];
        bytes = 0;
      }
    }
    if (bytes > 0) yield Buffer.concat(batch);
    if (rows !== table.rows) {
      throw this.damaged(`table ${table.name} has ${rows} rows where its header says ${table.rows}`);
    }
  }

  /** Checks that the file ends where it should, once every table has been read. */
  async finish(): Promise<void> {
    const last = await this.line();
    if (last?.toString() !== FILE_END) throw this.damaged('its end is missing');
    if ((await this.line()) !== null) throw this.damaged('something follows its end');
  }

  async close(): Promise<void> {
    this.gunzip.destroy();
    await this.handle.close().catch(() => undefined);
  }

  /** Reads every table and the end, checking all: the whole file is sound when this resolves. */
  static async check(file: string): Promise<BackupHeader> {
    const reader = await BackupReader.open(file);
    try {
      for (const table of reader.header.tables) {
        for await (const batch of reader.tableRows(table)) void batch;
      }
      await reader.finish();
      return reader.header;
    } finally {
      await reader.close();
    }
  }

  private async readHeader(): Promise<BackupHeader> {
    const notBackup = new BackupFileError(`${this.file} is not a Maillage backup.`);
    // Not gzip at all, or empty: zlib fails before the first line.
    const magic = await this.line().catch((err: unknown) => {
      throw err instanceof BackupFileError ? notBackup : err;
    });
    if (magic?.toString() !== MAGIC) throw notBackup;
    const text = (await this.line())?.toString() ?? '';
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw this.damaged('its header cannot be read');
    }
    const format = (parsed as { format?: unknown } | null)?.format;
    if (typeof format === 'number' && format > BACKUP_FORMAT) {
      throw new BackupFileError(
        `${this.file} was written by a newer Maillage (backup format ${format}; this one reads ${BACKUP_FORMAT}): update Maillage to restore it.`,
      );
    }
    const header = headerSchema.safeParse(parsed);
    if (!header.success) throw this.damaged('its header is incomplete');
    return header.data;
  }

  /** The next line without its line break; null at the end of the file. */
  private async line(): Promise<Buffer | null> {
    while (this.next === this.lines.length) {
      if (this.ended) return null;
      await this.fill();
    }
    return this.lines[this.next++]!;
  }

  /** Decompresses the next chunk into whole lines. */
  private async fill(): Promise<void> {
    let next: IteratorResult<Buffer>;
    try {
      next = await this.chunks.next();
    } catch (err) {
      const zlib = (err as NodeJS.ErrnoException).code?.startsWith('Z_');
      throw zlib ? this.damaged(`gzip: ${(err as Error).message}`) : err;
    }
    this.lines = [];
    this.next = 0;
    if (next.done) {
      this.ended = true;
      if (this.rest.length > 0) this.lines.push(this.rest);
      return;
    }
    const data = this.rest.length > 0 ? Buffer.concat([this.rest, next.value]) : next.value;
    let start = 0;
    for (let end = data.indexOf(10); end !== -1; end = data.indexOf(10, start)) {
      this.lines.push(data.subarray(start, end));
      start = end + 1;
    }
    this.rest = data.subarray(start);
  }

  private damaged(why: string): BackupFileError {
    return new BackupFileError(`${this.file} is damaged (${why}): it cannot be restored.`);
  }
}
