// `mpsa config new`: a validated configuration written from flags (configs/<name>.json), and the
// proposal `mpsa match` prints when no configuration computes a workload's arithmetic.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ArithmeticInputError, type MacConfig, type Step } from '../golden/index.ts';
import { fit, type Device, type ResourceUse } from '../model/devices.ts';
import { anyConfig, CONFIG_DIR, type ConfigSpec } from '../rtl/config.ts';
import { parseCommandArgs, UsageError, usageFailure } from './args.ts';
import { writeFileAtomic } from './fs-atomic.ts';

const HELP = `usage: mpsa config new --name NAME --a FMT --b FMT --acc FMT:MODE[:RBITS] [options]

Writes configs/NAME.json after validating it exactly as the loader does (docs/array.md); the
configuration is then used by 'mpsa match', 'mpsa synth configs', the RTL backend and the tests.

  --name NAME            lower-case letters, digits, '.', '-'
  --rows R --cols C      array size, 1..32                                   [4, 4]
  --a FMT --b FMT        operand formats (e4m3, e5m2, bf16, e<E>m<M>, …; int8/int4 and
                         block formats make an integer or block configuration)
  --style separate|fused products rounded into --mul first, or rounded once    [fused]
  --mul FMT:MODE[:RBITS] (separate) the product's format and rounding
  --acc FMT:MODE[:RBITS] the accumulator's format and rounding, e.g. bf16:sr:8; for
                         integer operands: the accumulator width in bits, e.g. 32
  --out FMT:MODE         optional output conversion
  --pipeline-mul N       registers on the product path            [every cut, rtl/pipeline.ts]
  --pipeline-acc N       depth of the accumulate loop              [every cut]
  --description TEXT
  --dir DIR              where to write                                      [configs/]
  --force                replace an existing file
  --print                print the JSON on stdout, write nothing`;

const OPTIONS = {
  name: { type: 'string' }, rows: { type: 'string' }, cols: { type: 'string' }, a: { type: 'string' }, b: { type: 'string' },
  style: { type: 'string' }, mul: { type: 'string' }, acc: { type: 'string' }, out: { type: 'string' }, 'pipeline-mul': { type: 'string' },
  'pipeline-acc': { type: 'string' }, description: { type: 'string' }, dir: { type: 'string' }, force: { type: 'boolean' }, print: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** `FMT:MODE[:RBITS]` → {fmt, mode, rbits?}. */
function stepArg(flag: string, v: string): { fmt: string; mode: string; rbits?: number } {
  const [fmt, mode, rbits, ...rest] = v.split(':');
  if (!fmt || !mode || rest.length) throw new UsageError(`${flag}: expected FMT:MODE[:RBITS] (e.g. bf16:sr:8), got ${JSON.stringify(v)}`);
  if (rbits !== undefined && !/^\d+$/.test(rbits)) throw new UsageError(`${flag}: RBITS must be an integer, got ${JSON.stringify(rbits)}`);
  return { fmt, mode, ...(rbits !== undefined ? { rbits: Number(rbits) } : {}) };
}

const INT_RE = /^int\d+/;

/** The configuration object the flags describe (not yet validated). */
export function specFromFlags(argv: string[]): { spec: Record<string, unknown>; dir: string; force: boolean; print: boolean } {
  const { values: v, positionals } = parseCommandArgs(argv, OPTIONS, { positionals: true });
  if (positionals.length !== 1 || positionals[0] !== 'new') throw new UsageError(positionals.length ? `unknown subcommand '${positionals[0]}' (known: new)` : "needs a subcommand: 'new'");
  const s = (k: keyof typeof OPTIONS) => v[k] as string | undefined;
  for (const k of ['name', 'a', 'b', 'acc'] as const) if (s(k) === undefined) throw new UsageError(`--${k}: is required`);
  const int = (k: 'rows' | 'cols' | 'pipeline-mul' | 'pipeline-acc', dflt?: number) => {
    const x = s(k);
    if (x === undefined) return dflt;
    if (!/^\d+$/.test(x)) throw new UsageError(`--${k}: must be a non-negative integer, got ${JSON.stringify(x)}`);
    return Number(x);
  };
  const integer = INT_RE.test(s('a')!) || INT_RE.test(s('b')!);
  const spec: Record<string, unknown> = { name: s('name'), ...(s('description') ? { description: s('description') } : {}), rows: int('rows', 4), cols: int('cols', 4), a: s('a'), b: s('b') };
  if (integer && /^\d+$/.test(s('acc')!)) spec.acc = { width: Number(s('acc')) };
  else {
    spec.style = s('style') ?? 'fused';
    if (s('mul') !== undefined) spec.mul = stepArg('--mul', s('mul')!);
    spec.acc = stepArg('--acc', s('acc')!);
  }
  if (s('out') !== undefined) { const o = stepArg('--out', s('out')!); spec.out = { fmt: o.fmt, mode: o.mode }; }
  const pm = int('pipeline-mul'), pa = int('pipeline-acc');
  if (pm !== undefined || pa !== undefined) spec.pipeline = { ...(pm !== undefined ? { mul: pm } : {}), ...(pa !== undefined ? { acc: pa } : {}) };
  return { spec, dir: s('dir') ?? CONFIG_DIR, force: v.force === true, print: v.print === true };
}

export function configCommand(argv: string[]): number {
  if (argv.includes('--help') || argv.includes('-h')) { process.stdout.write(HELP + '\n'); return 0; }
  let r: ReturnType<typeof specFromFlags>;
  try {
    r = specFromFlags(argv);
    anyConfig(r.spec as unknown as ConfigSpec); // the loader's own validation: errors name the field
  } catch (e) {
    if (e instanceof UsageError || e instanceof ArithmeticInputError) return usageFailure('config', e.message, HELP);
    throw e;
  }
  const json = JSON.stringify(r.spec, null, 2) + '\n';
  if (r.print) { process.stdout.write(json); return 0; }
  const file = join(r.dir, `${r.spec.name as string}.json`);
  if (existsSync(file) && !r.force) {
    const same = readFileSync(file, 'utf8') === json;
    return usageFailure('config', `${file} exists${same ? ' (with this content)' : ''}; pass --force to replace it`, HELP);
  }
  writeFileAtomic(file, json);
  process.stdout.write(file + '\n');
  process.stderr.write(`mpsa config: wrote ${file}; its PE synthesises with 'npx mpsa synth configs --config ${r.spec.name as string}'\n`);
  return 0;
}

const stepText = (s: Step) => `${s.fmt.name}:${s.mode}${s.mode === 'sr' ? `:${s.rbits}` : ''}`;

/** A configuration name for a MAC: operands, accumulator, rounding, style (e.g. e4m3-4x4-fp32-rne-fused). */
export function proposedName(mac: MacConfig, rows: number, cols: number): string {
  const ab = mac.a.name === mac.b.name ? mac.a.name : `${mac.a.name}${mac.b.name}`;
  return `${ab}-${rows}x${cols}-${mac.acc.fmt.name}-${mac.acc.mode}${mac.style === 'fused' ? '-fused' : ''}`.toLowerCase().replace(/[^a-z0-9.-]/g, '');
}

interface CostRow { pe: string; target: string; luts_per_mac: number; ffs_per_mac: number; dsps_per_mac: number }

/**
 * The array size to propose on a device: the largest square (2×2 … 16×16) whose PEs fit the
 * budget, costed from the committed cost table's row for the same operands, accumulator and
 * style (synth/cost-table.json), else 4×4 with the cost unknown.
 */
export function proposedSize(mac: MacConfig, device: Device, utilisation: number, pe?: { use: ResourceUse; from: string }): { rows: number; cols: number; costedBy?: string } {
  if (pe) {
    // Sized from a synthesised PE of the same arithmetic: the largest square (down to 1×1) that fits.
    for (const n of [16, 8, 4, 2, 1]) {
      const m = n * n;
      if (fit({ lut: pe.use.lut * m, ff: pe.use.ff * m, dsp: pe.use.dsp * m, bram: pe.use.bram * m }, device, utilisation).count >= 1) return { rows: n, cols: n, costedBy: pe.from };
    }
    return { rows: 1, cols: 1, costedBy: `${pe.from} (even 1×1 does not fit)` };
  }
  const table = fileURLToPath(new URL('../synth/cost-table.json', import.meta.url));
  let rows: CostRow[] = [];
  try { rows = (JSON.parse(readFileSync(table, 'utf8')) as { rows: CostRow[] }).rows; } catch { /* no table: size unknown */ }
  const kind = `${mac.a.name}-${mac.acc.fmt.name}-${mac.style}`;
  const row = mac.a.name === mac.b.name ? rows.find((r) => r.pe === kind && r.target === device.family) : undefined;
  if (!row) return { rows: 4, cols: 4 };
  let best = { rows: 2, cols: 2 };
  for (const n of [2, 4, 8, 16]) {
    const m = n * n;
    if (fit({ lut: row.luts_per_mac * m, ff: row.ffs_per_mac * m, dsp: row.dsps_per_mac * m, bram: 0 }, device, utilisation).count >= 1) best = { rows: n, cols: n };
  }
  return { ...best, costedBy: `cost-table kind ${kind} on ${device.family}` };
}

/** The `mpsa config new` command that makes a configuration computing `mac`. */
export function proposal(mac: MacConfig, device: Device, utilisation: number, pe?: { use: ResourceUse; from: string }): { name: string; command: string; costedBy?: string } {
  const size = proposedSize(mac, device, utilisation, pe);
  const name = proposedName(mac, size.rows, size.cols);
  const parts = ['npx mpsa config new', `--name ${name}`, `--rows ${size.rows} --cols ${size.cols}`, `--a ${mac.a.name} --b ${mac.b.name}`, `--style ${mac.style}`,
    ...(mac.style === 'separate' && mac.mul ? [`--mul ${stepText(mac.mul)}`] : []), `--acc ${stepText(mac.acc)}`];
  return { name, command: parts.join(' '), ...(size.costedBy ? { costedBy: size.costedBy } : {}) };
}
