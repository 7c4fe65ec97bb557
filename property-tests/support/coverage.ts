// Functional coverage of the RTL property suites (docs/testing.md, "Coverage"): the arithmetic
// corners every unit must see, counted per unit from the cases the suites check. Collection is on
// when MPSA_COVERAGE_DIR is set (the night sets it): each test process adds its counts to
// <dir>/functional-<pid>.json when it exits; reports/coverage.ts merges them and names the holes.
// The classification is measurement only: it may call golden (the suites compare with golden
// anyway), it never decides a pass.
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { apply, decode, FLAG_INEXACT, FLAG_INVALID, FLAG_OVERFLOW, FLAG_UNDERFLOW, format, type Format, isP3109, Kind, MODES, type Op, type Result } from '../../golden/index.ts';

/** Every coverpoint of a unit; a point never counted is a hole. */
export function coverpoints(unit: string): string[] {
  const modes = [...MODES];
  const op = unit.replace(/^fp_/, '');
  if (['mul', 'add', 'fma', 'convert'].includes(op)) {
    const points = [
      'operand:zero', 'operand:subnormal', 'operand:inf', 'operand:nan',
      'result:zero', 'result:subnormal', 'result:inf', 'result:nan', 'result:max-finite',
      'flag:inexact', 'flag:underflow', 'flag:overflow', 'flag:invalid',
      'exact-tie', 'round-up-carry-into-exponent', 'overflow:to-infinity', 'overflow:saturate',
      ...modes.map((m) => `mode:${m}`),
      ...modes.flatMap((m) => [`zero-sign:+:${m}`, `zero-sign:-:${m}`]),
      'sr:F+R=2^r-1', 'sr:F+R=2^r',
    ];
    if (op === 'add' || op === 'fma') points.push(...modes.map((m) => `exact-cancellation:${m}`));
    return points;
  }
  if (unit === 'mpsa_gemm') return ['stall:in', 'stall:out', 'stall:both', 'stall:none', 'sr-seeds', 'shape:partial-tile', 'shape:multi-tile'];
  if (unit === 'mac_pe') return ['idle-cycle', 'control-without-valid', 'load-after-idle', 'style:separate', 'style:fused', 'acc-mode:sr', 'interleave>1', 'sticky-only-product'];
  throw new Error(`no coverpoints for unit '${unit}'`);
}

export const UNITS = ['fp_mul', 'fp_add', 'fp_fma', 'fp_convert', 'mac_pe', 'mpsa_gemm'] as const;

const counts = new Map<string, Map<string, number>>();
let hooked = false;

export function coverageOn(): boolean {
  return !!process.env.MPSA_COVERAGE_DIR;
}

/** Counts a coverpoint of a unit (a no-op unless collection is on). */
export function cover(unit: string, point: string, n = 1): void {
  if (!coverageOn()) return;
  let u = counts.get(unit);
  if (!u) counts.set(unit, (u = new Map()));
  u.set(point, (u.get(point) ?? 0) + n);
  if (!hooked) {
    hooked = true;
    process.once('exit', flushCoverage);
  }
}

/** Writes this process's counts (atomically) into MPSA_COVERAGE_DIR. */
export function flushCoverage(): void {
  const dir = process.env.MPSA_COVERAGE_DIR;
  if (!dir || counts.size === 0) return;
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `functional-${process.pid}.json`);
  const data = Object.fromEntries([...counts].map(([u, m]) => [u, Object.fromEntries(m)]));
  writeFileSync(`${file}.tmp`, JSON.stringify(data) + '\n');
  renameSync(`${file}.tmp`, file);
}

const kindOf = (code: number, f: Format) => decode(code, f);
const isSub = (code: number, f: Format) => { const d = kindOf(code, f); return d.kind === Kind.Finite && d.sig < 2 ** f.man; };

/**
 * The same format with one more fraction bit: the grid of the midpoints between neighbours. The
 * bias must stay, so a P3109 format stays P3109 (its bias is one more than IEEE's).
 */
function finer(f: Format): Format | undefined {
  if (f.man >= 23) return undefined;
  const specials = f.specials === 'finite' || isP3109(f.specials) ? f.specials : 'ieee';
  return format({ exp: f.exp, man: f.man + 1, subnormals: f.subnormals, specials, overflow: f.overflow });
}

export interface UnitCaseInfo { op: Op; ins: readonly Format[]; fmt: Format; operands: readonly number[]; mode: (typeof MODES)[number]; rbits?: number; rand?: number }

/**
 * Counts the coverpoints one unit case reaches; `got` is golden's result for it, `srT` (for sr)
 * the least R that rounds up (rtl-compare.ts srThreshold), undefined when none does.
 */
export function coverUnitCase(c: UnitCaseInfo, got: Result, srT?: number): void {
  if (!coverageOn()) return;
  const u = `fp_${c.op}`;
  const k = (p: string) => cover(u, p);
  k(`mode:${c.mode}`);
  c.operands.forEach((x, i) => {
    const d = kindOf(x, c.ins[i]);
    if (d.kind === Kind.Zero) k('operand:zero');
    else if (d.kind === Kind.Inf) k('operand:inf');
    else if (d.kind === Kind.NaN) k('operand:nan');
    else if (isSub(x, c.ins[i])) k('operand:subnormal');
  });
  const r = kindOf(got.code, c.fmt);
  if (r.kind === Kind.Zero) {
    k('result:zero');
    k(`zero-sign:${r.negative ? '-' : '+'}:${c.mode}`);
    const nonzero = (i: number) => kindOf(c.operands[i], c.ins[i]).kind === Kind.Finite;
    if ((c.op === 'add' && nonzero(0) && nonzero(1)) || (c.op === 'fma' && nonzero(0) && nonzero(1) && nonzero(2))) {
      if ((got.flags & FLAG_INEXACT) === 0) k(`exact-cancellation:${c.mode}`);
    }
  } else if (r.kind === Kind.Inf) k('result:inf');
  else if (r.kind === Kind.NaN) k('result:nan');
  else if (isSub(got.code, c.fmt)) k('result:subnormal');
  if (r.kind === Kind.Finite && got.code % c.fmt.signBit === c.fmt.maxCode) k('result:max-finite');
  if (got.flags & FLAG_INEXACT) k('flag:inexact');
  if (got.flags & FLAG_UNDERFLOW) k('flag:underflow');
  if (got.flags & FLAG_INVALID) k('flag:invalid');
  if (got.flags & FLAG_OVERFLOW) {
    k('flag:overflow');
    k(r.kind === Kind.Finite ? 'overflow:saturate' : 'overflow:to-infinity');
  }
  if ((got.flags & (FLAG_INEXACT | FLAG_OVERFLOW)) === FLAG_INEXACT && r.kind === Kind.Finite) {
    // Rounded up across a binade: the rtz neighbour has a smaller exponent field.
    const tz = apply(c.op, c.operands, c.ins, c.fmt, { mode: 'rtz' });
    const field = (code: number) => Math.floor((code % c.fmt.signBit) / 2 ** c.fmt.man);
    if (field(got.code) > field(tz.code)) k('round-up-carry-into-exponent');
    // An exact tie: on the grid of one more fraction bit, off this format's grid.
    const fine = finer(c.fmt);
    if (fine && c.fmt.subnormals && apply(c.op, c.operands, c.ins, fine, { mode: 'rtz' }).flags === 0) k('exact-tie');
  }
  if (c.mode === 'sr' && srT !== undefined && c.rand !== undefined) {
    if (c.rand === srT - 1) k('sr:F+R=2^r-1');
    if (c.rand === srT) k('sr:F+R=2^r');
  }
}
