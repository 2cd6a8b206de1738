/** The shape of a command of the command line, and what it gets to run. */
import type { ParseArgsConfig } from 'node:util';
import { createMaillageClient, type MaillageClient } from '../sdk.ts';
import { resolveSession, type Session } from './config.ts';
import { UsageError } from './output.ts';

type Options = NonNullable<ParseArgsConfig['options']>;

/** Options every command takes. */
export const COMMON_OPTIONS = {
  url: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} satisfies Options;

export interface Command {
  /** Arguments and options after the command's name, for help. */
  usage: string;
  summary: string;
  /** Lines of help below the usage. */
  details?: string[];
  options?: Options;
  run(ctx: CommandContext): Promise<void>;
}

/** Parsed arguments, and the hub. */
export class CommandContext {
  private resolved: Session | undefined;

  constructor(
    readonly name: string,
    private readonly values: Record<string, string | boolean | (string | boolean)[] | undefined>,
    readonly positionals: string[],
  ) {}

  /** `--json`: one JSON value per line instead of tables. */
  get json(): boolean {
    return this.values.json === true;
  }

  /** A string option, or undefined. */
  string(name: string): string | undefined {
    const value = this.values[name];
    return typeof value === 'string' ? value : undefined;
  }

  /** A repeatable option, also split on commas: `--theme a --theme b` or `--theme a,b`. */
  list(name: string): string[] {
    const value = this.values[name];
    const all = Array.isArray(value) ? value : value === undefined ? [] : [value];
    return all
      .flatMap((v) => String(v).split(','))
      .map((v) => v.trim())
      .filter(Boolean);
  }

  flag(name: string): boolean {
    return this.values[name] === true;
  }

  /** The hub and credential (see config.ts). */
  async session(): Promise<Session> {
    this.resolved ??= await resolveSession(this.string('url'));
    return this.resolved;
  }

  /** A client for the hub; with `needsCredential`, a usage error when there is none. */
  async client(opts: { needsCredential?: boolean } = {}): Promise<MaillageClient> {
    const session = await this.session();
    if (opts.needsCredential && !session.token && !session.apiKey) {
      throw new UsageError(
        `Not logged in to ${session.url}: run maillage login --url ${session.url} --token … (or --api-key …), or set MAILLAGE_TOKEN.`,
      );
    }
    return createMaillageClient({ url: session.url, token: session.token, apiKey: session.apiKey });
  }
}
