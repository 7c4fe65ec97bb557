// `mpsa model validate`: predicted cycles against cycles measured on the simulated arrays.
import { isBlockConfig, loadAllConfigs, type AnyConfig } from '../rtl/config.ts';
import { parseCommandArgs, UsageError, usageFailure } from './args.ts';
import { offload } from '../rtl/offload.ts';
import type { StallPattern } from '../rtl/stalls.ts';
import { cycles } from '../model/latency.ts';
import { elaborate } from '../rtl/elaborate.ts';
import { randomConfigs } from '../rtl/random-config.ts';

const HELP = `usage: mpsa model validate [--cases N] [--seed S] [--config NAME] [--random-configs R] [--json]

Runs N random GEMMs (shapes of 1 to 3 tiles, random host stall patterns) on the simulated
mpsa_gemm arrays of configs/ and of R random float configurations (cheap formats, random
geometry, style, rounding and pipeline: rtl/random-config.ts), and compares the measured
cycles with model/latency.ts. Each configuration's model is built once (cached).
  --cases N           number of GEMMs, spread over the configurations        [200]
  --seed S            seed of the random cases and configurations            [1]
  --config NAME       only this configuration of configs/ (no random ones)
  --random-configs R  random configurations besides configs/                 [4]
  --json              one JSON line {"cases":N,"exact":N,"max_error_cycles":E} on stdout,
                      and every case's line on stderr (else: a line every 10 s when
                      stderr is not a terminal)`;

const OPTIONS = { cases: { type: 'string' }, seed: { type: 'string' }, config: { type: 'string' }, 'random-configs': { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } } as const;

export async function modelCommand(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === undefined || sub === '--help' || sub === '-h' || rest.includes('--help')) {
    process.stdout.write(HELP + '\n');
    return sub === undefined ? 2 : 0;
  }
  if (sub !== 'validate') return usageFailure('model', `unknown subcommand '${sub}' (known: validate)`, HELP);
  let n: number, seed: number, only: string | undefined, nRandom: number, json: boolean;
  try {
    const { values: v } = parseCommandArgs(rest, OPTIONS);
    const arg = (k: keyof typeof OPTIONS) => v[k] as string | undefined;
    n = Number(arg('cases') ?? 200);
    seed = Number(arg('seed') ?? 1);
    only = arg('config');
    json = v.json === true;
    nRandom = only !== undefined ? 0 : Number(arg('random-configs') ?? 4);
    if (!Number.isInteger(n) || n < 1) throw new UsageError(`--cases: must be a positive integer, got ${arg('cases')}`);
    if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) throw new UsageError(`--seed: must be an integer in 0..4294967295 (seeds are 32-bit), got ${arg('seed')}`);
    if (!Number.isInteger(nRandom) || nRandom < 0 || nRandom > 64) throw new UsageError(`--random-configs: must be an integer in 0..64, got ${arg('random-configs')}`);
  } catch (e) {
    if (e instanceof UsageError) return usageFailure('model validate', e.message, HELP);
    throw e;
  }
  let configs: AnyConfig[];
  try {
    // MPSA_CONFIG_DIR: another folder of configurations (default configs/).
    configs = loadAllConfigs(process.env.MPSA_CONFIG_DIR || undefined).filter((c) => only === undefined || c.name === only);
  } catch (e) {
    process.stderr.write(`mpsa model validate: a configuration is not valid: ${(e as Error).message}
`);
    return 2;
  }
  configs.push(...randomConfigs(nRandom, seed));
  if (configs.length === 0) {
    return usageFailure('model validate', `--config: no configuration named '${only}'`, HELP);
  }
  let s = (seed ^ 0x5bd1e995) >>> 0 || 1;
  const rnd = (k: number) => { s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0; return s % k; };
  let exact = 0, maxErr = 0;
  const t0 = performance.now();
  let lastLine = t0;
  for (let i = 0; i < n; i++) {
    const cfg = configs[i % configs.length];
    const shape = { M: 1 + rnd(3 * cfg.rows), K: 1 + rnd(40), N: 1 + rnd(3 * cfg.cols) };
    const stalls: StallPattern | undefined = rnd(3) === 0 ? undefined : { inValid: [1, 0.8, 0.5, 0.25][rnd(4)], outReady: [1, 0.8, 0.5, 0.25][rnd(4)], seed: 1 + rnd(1 << 30) };
    const { A, B, scales } = randomOperands(cfg, shape, rnd);
    const measured = (await offload(A, B, shape, cfg, { seed: rnd(1 << 30), stalls, scales })).cycles;
    const predicted = cycles(elaborate(cfg).timing, shape, stalls);
    const err = Math.abs(measured - predicted);
    if (err === 0) exact++;
    maxErr = Math.max(maxErr, err);
    const pipe = isBlockConfig(cfg) ? '' : ` [pipeline ${cfg.pipeline.mul}+${cfg.pipeline.acc}]`;
    // A terminal: the status line in place. Otherwise a line every 10 s, for every mismatch and the
    // last case — and with --json a line for every case (the nightly page plots them, reports/sources.ts).
    const line = `[${i + 1}/${n}] ${cfg.name}${pipe} ${shape.M}x${shape.K}x${shape.N}${stalls ? ' stalled' : ''}: measured ${measured}, model ${predicted}${err ? ' MISMATCH' : ''}   ${((performance.now() - t0) / 1000).toFixed(0)} s`;
    if (process.stderr.isTTY) process.stderr.write(`\r\x1b[K${line}`);
    else if (json || err || i === n - 1 || performance.now() - lastLine > 10_000) { process.stderr.write(line + '\n'); lastLine = performance.now(); }
  }
  if (process.stderr.isTTY) process.stderr.write('\n');
  const summary = { cases: n, exact, max_error_cycles: maxErr };
  if (json) process.stdout.write(JSON.stringify(summary) + '\n');
  else process.stdout.write(`${exact}/${n} GEMMs predicted exactly; largest error ${maxErr} cycles\n`);
  return exact === n ? 0 : 1;
}

/** Random operand codes of any configuration (and, for BFP/MX, block scales in range): cycles do not depend on them. */
function randomOperands(cfg: AnyConfig, shape: { M: number; K: number; N: number }, rnd: (k: number) => number) {
  const codes = (n: number, bits: number) => Array.from({ length: n }, () => rnd(2 ** bits));
  const [fa, fb] = isBlockConfig(cfg) ? [cfg.a, cfg.b] : [cfg.mac.a, cfg.mac.b];
  const A = codes(shape.M * shape.K, fa.width), B = codes(shape.K * shape.N, fb.width);
  if (!isBlockConfig(cfg) || 'accWidth' in cfg) return { A, B, scales: undefined };
  const nb = Math.ceil(shape.K / cfg.a.block);
  const scale = (f: typeof cfg.a) => (f.kind === 'bfp' ? rnd(f.emax - f.emin + 1) + f.emin : rnd(255));
  return { A, B, scales: { a: Array.from({ length: shape.M * nb }, () => scale(cfg.a)), b: Array.from({ length: nb * shape.N }, () => scale(cfg.b)) } };
}
