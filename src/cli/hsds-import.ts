/**
 * `npm run hsds:import -- <organisation-slug> <file.json> [--dry-run] [--lang <code>]`: loads an
 * HSDS 3.0 document (service, organization, list or page) into one organisation's catalogue and
 * prints what was created, updated, unchanged or rejected. Exits 1 when anything was rejected,
 * 2 on a usage error.
 */
import { readFile } from 'node:fs/promises';
import { importHsds, type ImportReport } from '../modules/catalogue/hsds/hsds.import.ts';
import { isLanguage, type Language } from '../modules/catalogue/translations.ts';
import { withCliDatabase } from './cli-database.ts';

const USAGE = 'usage: npm run hsds:import -- <organisation-slug> <file.json> [--dry-run] [--lang <code>]';

interface Args {
  slug: string;
  file: string;
  dryRun: boolean;
  language: Language;
}

function parseArgs(argv: string[]): Args {
  const positional: string[] = [];
  let dryRun = false;
  let language: Language = 'fr';
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--dry-run') dryRun = true;
    else if (arg === '--lang' || arg.startsWith('--lang=')) {
      const code = arg === '--lang' ? argv[++i] : arg.slice('--lang='.length);
      if (!code || !isLanguage(code)) fail(`--lang needs a catalogue language code, not "${code ?? ''}".`);
      language = code;
    } else if (arg === '--help' || arg === '-h') {
      console.log(USAGE);
      process.exit(0);
    } else if (arg.startsWith('--')) fail(`Unknown option ${arg}.`);
    else positional.push(arg);
  }
  if (positional.length !== 2) fail('Expected an organisation slug and a file.');
  return { slug: positional[0]!, file: positional[1]!, dryRun, language };
}

function fail(message: string): never {
  console.error(`${message}\n${USAGE}`);
  process.exit(2);
}

/** The report as lines a person reads: one per row, then a summary. */
export function formatReport(report: ImportReport): string {
  const lines: string[] = [];
  for (const status of ['created', 'updated', 'unchanged'] as const) {
    for (const e of report[status])
      lines.push(`${status.padEnd(9)}  ${e.type.padEnd(5)}  ${e.hsdsId} -> ${e.id}`);
  }
  for (const r of report.rejected)
    lines.push(`rejected   ${r.path}${r.hsdsId ? ` (${r.hsdsId})` : ''}: ${r.reason}`);
  for (const w of report.warnings)
    lines.push(`warning    ${w.path}${w.hsdsId ? ` (${w.hsdsId})` : ''}: ${w.message}`);
  const count = (n: number, word: string) => `${n} ${word}`;
  lines.push(
    [
      count(report.created.length, 'created'),
      count(report.updated.length, 'updated'),
      count(report.unchanged.length, 'unchanged'),
      count(report.rejected.length, 'rejected'),
      count(report.warnings.length, report.warnings.length === 1 ? 'warning' : 'warnings'),
    ].join(', ') + '.',
  );
  return lines.join('\n');
}

const args = parseArgs(process.argv.slice(2));
let document: unknown;
try {
  document = JSON.parse(await readFile(args.file, 'utf8'));
} catch (err) {
  console.error(`Cannot read ${args.file}: ${(err as Error).message}`);
  process.exit(2);
}

await withCliDatabase(async ({ prisma }) => {
  const org = await prisma.organisation.findUnique({
    where: { slug: args.slug },
    select: { id: true, name: true },
  });
  if (!org) throw new Error(`No organisation with slug "${args.slug}".`);
  console.log(
    `HSDS import into ${org.name} (${args.slug})${args.dryRun ? ': dry run, nothing is written' : ''}`,
  );
  const report = await importHsds(prisma, org.id, document, { dryRun: args.dryRun, language: args.language });
  console.log(formatReport(report));
  // withCliDatabase turns a thrown error into exit code 1, after closing the database.
  if (report.rejected.length > 0) throw new Error(`${report.rejected.length} rejected: see above.`);
});
