// `mpsa golden --jsonl`: answers arithmetic requests with the golden model (docs/jsonl.md).
import { answerLine } from '../golden/index.ts';
import { openInput, jsonlArgsOrExit, runJsonl } from './jsonl-stream.ts';

const HELP = `usage: mpsa golden --jsonl [--input FILE]

Reads one JSON request per line (stdin, or FILE) and writes one answer line per request:
  {"op":"convert|mul|add|fma","fmt":F,"in":[F,...],"mode":"rne|rna|rtz|rup|rdn|rto|sr",
   "rbits":r,"rand":R,"a":"0x..","b":"0x..","c":"0x.."}
  -> {"code":"0x..","flags":[...]}  or  {"error":"<field>: <problem>"}
F is a preset name (fp32 bf16 fp16 e5m2 e4m3 e3m2 e2m3 e2m1, or e<E>m<M>) or an object
{"exp","man","subnormals","specials","overflow"}. See docs/jsonl.md.`;

export async function goldenCommand(argv: string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(HELP + '\n');
    return 0;
  }
  const args = jsonlArgsOrExit(argv, 'golden', HELP);
  if (typeof args === 'number') return args;
  const input = openInput(args.input);
  const failed = new Promise<number>((resolve) => input.once('error', (e) => {
    process.stderr.write(`mpsa golden: cannot read ${args.input}: ${e.message}\n`);
    resolve(1);
  }));
  return Promise.race([runJsonl(input, process.stdout, answerLine), failed]);
}
