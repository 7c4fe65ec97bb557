// Line-by-line request/answer loop shared by `mpsa golden --jsonl` and `mpsa rtl --jsonl`:
// one answer line per non-blank request line, in order; a bad line gets an error answer and
// the loop carries on.
import { createReadStream } from 'node:fs';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { inputFile, parseCommandArgs, UsageError, usageFailure } from './args.ts';

export interface JsonlOptions {
  input?: string;
}

export function openInput(path: string | undefined): Readable {
  return path === undefined || path === '-' ? process.stdin : createReadStream(path);
}

export async function runJsonl(input: Readable, output: Writable, answer: (line: string) => string | Promise<string>): Promise<number> {
  const rl = createInterface({ input, crlfDelay: Infinity });
  for await (const line of rl) {
    if (line.trim() === '') continue;
    if (!output.write((await answer(line)) + '\n')) await once(output, 'drain');
  }
  return 0;
}

/** parseJsonlArgs for a command: its arguments, or the exit code (2) after printing the usage error. */
export function jsonlArgsOrExit(argv: string[], cmd: string, help: string): { input?: string } | number {
  try {
    return parseJsonlArgs(argv);
  } catch (e) {
    if (e instanceof UsageError) return usageFailure(cmd, e.message, help);
    throw e;
  }
}

/** Parses `--jsonl [--input FILE]` (FILE must exist; `-` is stdin); throws UsageError otherwise. */
export function parseJsonlArgs(argv: string[]): { input?: string } {
  const { values } = parseCommandArgs(argv, { jsonl: { type: 'boolean' }, input: { type: 'string', short: 'i' } });
  if (!values.jsonl) throw new UsageError('nothing to do (use --jsonl to answer requests from stdin)');
  const input = values.input as string | undefined;
  if (input !== undefined && input !== '-') inputFile('--input', input);
  return { input };
}
