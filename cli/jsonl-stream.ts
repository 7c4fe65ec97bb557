// Line-by-line request/answer loop shared by `mpsa golden --jsonl` and `mpsa rtl --jsonl`:
// one answer line per non-blank request line, in order; a bad line gets an error answer and
// the loop carries on.
import { createReadStream } from 'node:fs';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';

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

/** Parses `--jsonl [--input FILE]`; returns an error text for anything else. */
export function parseJsonlArgs(argv: string[], cmd: string): { input?: string } | string {
  let jsonl = false;
  let input: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--jsonl') jsonl = true;
    else if (a === '--input' || a === '-i') {
      input = argv[++i];
      if (input === undefined) return `mpsa ${cmd}: --input needs a file name`;
    } else return `mpsa ${cmd}: unknown option '${a}'`;
  }
  if (!jsonl) return `mpsa ${cmd}: nothing to do (use --jsonl to answer requests from stdin)`;
  return { input };
}
