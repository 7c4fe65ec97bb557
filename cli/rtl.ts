// `mpsa rtl --jsonl`: answers the golden protocol's requests (docs/jsonl.md) with the RTL units.
// Requests arrive in batches (whatever the input has ready); each batch is grouped by parameter
// set, every group runs through one model instance (built once, cached by the harness), and the
// answers go out in request order.
import { answerOf, errorText, parseLine, parseRequest, type Request } from '../golden/index.ts';
import { unitDesign, evalUnit, type UnitBuild } from '../rtl/units.ts';
import { openInput, jsonlArgsOrExit } from './jsonl-stream.ts';
import { createInterface } from 'node:readline';
import { once } from 'node:events';

const HELP = `usage: mpsa rtl --jsonl [--input FILE]

Answers the requests of 'mpsa golden --jsonl' (same lines in, same answers out) with the RTL
units of rtl/fp, simulated by Verilator through the harness. The first request of each distinct
operation and format combination builds a model (seconds; the mode is an input of the unit);
later ones reuse the cached build.
See docs/jsonl.md and docs/rtl.md.`;

/** The build a request runs on: one per operation and formats (mode and r are the unit's inputs). */
function buildOf(req: Request): UnitBuild {
  return { op: req.op, ins: req.in, fmt: req.fmt };
}

/** Answers a batch of lines, in order. */
export async function answerBatch(lines: readonly string[]): Promise<string[]> {
  const answers: string[] = new Array(lines.length);
  const groups = new Map<string, { cfg: UnitBuild; idx: number[]; reqs: Request[] }>();
  lines.forEach((line, i) => {
    try {
      const req = parseRequest(parseLine(line));
      const cfg = buildOf(req);
      const key = JSON.stringify([unitDesign(cfg).top, unitDesign(cfg).parameters]);
      let g = groups.get(key);
      if (!g) groups.set(key, (g = { cfg, idx: [], reqs: [] }));
      g.idx.push(i);
      g.reqs.push(req);
    } catch (e) {
      answers[i] = JSON.stringify({ error: errorText(e) });
    }
  });
  for (const g of groups.values()) {
    try {
      const got = await evalUnit(g.cfg, g.reqs.map((r) => ({ operands: r.operands, mode: r.rounding.mode, rbits: r.rounding.rbits, rand: r.rounding.rand })));
      g.idx.forEach((i, k) => { answers[i] = JSON.stringify(answerOf(got[k], g.reqs[k].fmt)); });
    } catch (e) {
      const msg = JSON.stringify({ error: `rtl: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}` });
      g.idx.forEach((i) => { answers[i] = msg; });
    }
  }
  return answers;
}

export async function rtlCommand(argv: string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(HELP + '\n');
    return 0;
  }
  const args = jsonlArgsOrExit(argv, 'rtl', HELP);
  if (typeof args === 'number') return args;
  const input = openInput(args.input);
  let readError: Error | undefined;
  input.once('error', (e) => { readError = e; });
  const rl = createInterface({ input, crlfDelay: Infinity });
  // Lines that arrive together form one batch: readline emits a chunk's lines synchronously,
  // so a flush scheduled after the first of them sees them all.
  // Back-pressure: input is paused while a batch is answered and its answers wait for stdout to
  // drain, so a fast producer and a slow consumer never pile requests up in memory.
  let pending: string[] = [];
  let chain = Promise.resolve();
  let inFlight = 0;
  const flush = (): void => {
    const batch = pending;
    pending = [];
    inFlight++;
    rl.pause();
    chain = chain.then(async () => {
      for (const a of await answerBatch(batch)) {
        if (!process.stdout.write(a + '\n')) await once(process.stdout, 'drain');
      }
    }).finally(() => {
      if (--inFlight === 0) rl.resume();
    });
  };
  rl.on('line', (line) => {
    if (line.trim() === '') return;
    if (pending.length === 0) setImmediate(flush);
    pending.push(line);
  });
  await once(rl, 'close');
  if (pending.length > 0) flush();
  await chain;
  if (readError) {
    process.stderr.write(`mpsa rtl: cannot read ${args.input}: ${readError.message}\n`);
    return 1;
  }
  return 0;
}
