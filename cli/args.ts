// Command-line parsing shared by every `mpsa` command: node:util parseArgs (strict) underneath,
// and one way to fail. A usage error — unknown option, missing value, bad value, a named input file
// that does not exist — prints the error first and a one-line hint, and exits 2 (cli/main.ts).
// A command's own failure (a test, a tool, a missing synthesis result) exits 1.
import { existsSync, statSync } from 'node:fs';
import { parseArgs } from 'node:util';

/** A wrong command line. cli/main.ts prints `mpsa <cmd>: <message>` and the hint, exit 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

export type OptionSpec = Record<string, { type: 'string' | 'boolean'; short?: string; multiple?: boolean }>;

/** One option as given, in command-line order (repeated options appear once per use). */
export interface GivenOption { name: string; flag: string; value: string | undefined }

export type Token = { kind: 'option'; name: string; rawName: string; value: string | undefined; index: number } | { kind: 'positional'; value: string; index: number } | { kind: 'option-terminator'; index: number };

export interface Parsed {
  /** Options in the order given (for parsers whose later options refine earlier ones). */
  options: GivenOption[];
  positionals: string[];
  /** Options and positionals in command-line order, as node's parseArgs gives them. */
  tokens: Token[];
  /** Last value of each option given (booleans: true). */
  values: Record<string, string | boolean | (string | boolean)[] | undefined>;
}

/** node's parseArgs messages, first sentence only (the rest explains `--` for positionals). */
function cleanMessage(m: string): string {
  return m.replace(/^Option '(-[^' ]+)(?: <value>)?' argument missing$/, '$1: needs a value')
    .replace(/^Option '(-[^' ]+)(?: <value>)?' argument is ambiguous\..*$/s, "$1: needs a value (one that starts with '-' is written $1=-…)").replace(/\. To specify a positional argument.*$/s, '').replace(/^Unexpected argument/, 'unexpected argument').replace(/^Unknown option/, 'unknown option');
}

/** Parses `argv` against `options` (strict: unknown options and missing values are usage errors). */
export function parseCommandArgs(argv: readonly string[], options: OptionSpec, o: { positionals?: boolean } = {}): Parsed {
  try {
    const r = parseArgs({ args: [...argv], options, allowPositionals: o.positionals === true, strict: true, tokens: true });
    const given: GivenOption[] = [];
    for (const t of r.tokens ?? []) if (t.kind === 'option') given.push({ name: t.name, flag: t.rawName, value: t.value });
    return { options: given, positionals: r.positionals, tokens: (r.tokens ?? []) as Token[], values: r.values as Parsed['values'] };
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code?.startsWith('ERR_PARSE_ARGS')) throw new UsageError(cleanMessage((e as Error).message));
    throw e;
  }
}

/** A file named on the command line must exist (and be a file): else a usage error naming it. */
export function inputFile(flag: string, path: string): string {
  if (!existsSync(path)) throw new UsageError(`${flag}: no such file: ${path}`);
  if (statSync(path).isDirectory()) throw new UsageError(`${flag}: ${path} is a folder, not a file`);
  return path;
}

/** The hint printed after a usage error: the command's first usage line and where the rest is. */
export function usageHint(cmd: string, help: string): string {
  const first = help.split('\n')[0].replace(/\s{3,}.*$/, '');
  return `${first}\nrun 'mpsa ${cmd} --help' for every option`;
}

/** Prints a usage error the one way every command does; returns the exit code (2). */
export function usageFailure(cmd: string, message: string, help: string): number {
  process.stderr.write(`mpsa ${cmd}: ${message}\n${usageHint(cmd, help)}\n`);
  return 2;
}
