#!/usr/bin/env node
/**
 * `maillage` (the bin of @maillage/client; `npm run cli --` in the repository): the partner's
 * command line over a hub's GraphQL API (HTTP and WebSocket, never the database). Exit codes:
 * 0 done, 1 failed (the hub refused, could not be reached…), 2 wrong usage. Errors are one or
 * two lines of plain words; MAILLAGE_DEBUG=1 adds the stack.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { MaillageError, MaillageOperationError, MaillageRequestError } from '../sdk.ts';
import { search } from './catalogue-commands.ts';
import { COMMON_OPTIONS, CommandContext, type Command } from './command.ts';
import { UsageError } from './output.ts';
import { inbox, show, step } from './referral-commands.ts';
import { login, logout, whoami } from './session-commands.ts';
import { exportCsv, watch } from './stream-commands.ts';

const COMMANDS: Record<string, Command> = {
  login,
  logout,
  whoami,
  search,
  inbox,
  show,
  step,
  export: exportCsv,
  watch,
};

function help(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((n) => n.length));
  return [
    'usage: maillage <command> [options]      (maillage <command> --help for its options)',
    '',
    ...Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`),
    '',
    'Every command takes --url <hub> (else MAILLAGE_URL, else the saved login) and --json.',
    'Credential: MAILLAGE_TOKEN or MAILLAGE_API_KEY, else the one saved by login for that hub.',
    'Exit codes: 0 done, 1 failed, 2 wrong usage.',
  ].join('\n');
}

function commandHelp(name: string, command: Command): string {
  return [`usage: maillage ${name} ${command.usage}`, `${command.summary}.`, ...(command.details ?? [])].join(
    '\n',
  );
}

/** The version of the package this file belongs to (source or built). */
function version(): string {
  for (
    let dir = path.dirname(fileURLToPath(import.meta.url));
    dir !== path.dirname(dir);
    dir = path.dirname(dir)
  ) {
    try {
      const pkg = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as {
        name?: string;
        version?: string;
      };
      if (pkg.name === '@maillage/client') return pkg.version ?? '';
    } catch {
      // no package.json here: look further up
    }
  }
  return '';
}

/** Runs one command line; resolves to the exit code. */
async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === '--version') {
    process.stdout.write(`${version()}\n`);
    return 0;
  }
  if (!name || name === 'help' || name === '--help' || name === '-h') {
    (name ? process.stdout : process.stderr).write(`${help()}\n`);
    return name ? 0 : 2;
  }
  const command = COMMANDS[name];
  if (!command) {
    process.stderr.write(`Unknown command "${name}".\n\n${help()}\n`);
    return 2;
  }
  try {
    const { values, positionals } = parseArgs({
      args: rest,
      options: { ...COMMON_OPTIONS, ...command.options },
      allowPositionals: true,
      strict: true,
    });
    if (values.help) {
      process.stdout.write(`${commandHelp(name, command)}\n`);
      return 0;
    }
    await command.run(new CommandContext(name, values, positionals));
    return 0;
  } catch (error) {
    return report(name, command, error);
  }
}

/** Prints an error in plain words; returns its exit code. */
function report(name: string, command: Command, error: unknown): number {
  const say = (text: string) => process.stderr.write(`${text}\n`);
  if (error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
    say(`${(error as Error).message}\nusage: maillage ${name} ${command.usage}   (maillage ${name} --help)`);
    return 2;
  }
  if (error instanceof MaillageOperationError) {
    say(`Refused: ${error.message} [${error.code}]`);
    for (const f of error.fields) say(`  - ${f.path.join('.')}: ${f.message}`);
  } else if (error instanceof MaillageRequestError) {
    say(error.message + (error.requestId ? ` (request id ${error.requestId})` : ''));
    if (error.code === 'UNAUTHENTICATED') {
      say(
        'Check MAILLAGE_TOKEN / MAILLAGE_API_KEY, or log in again: maillage login --url <hub> --email <your address>',
      );
    }
  } else if (error instanceof MaillageError || error instanceof Error) {
    say(error.message);
  } else {
    say(String(error));
  }
  if (process.env.MAILLAGE_DEBUG && error instanceof Error && error.stack) say(error.stack);
  return 1;
}

// A reader that stops early (`maillage search | head`) is not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});
process.exitCode = await main(process.argv.slice(2));
