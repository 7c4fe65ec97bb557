// RTL against golden for the property suites: run a batch of cases through one RTL unit and
// name every case that differs in code or flags (format, mode, operands in hex, R).
import { apply, type Format, type Result, type Rounding } from '../golden/index.ts';
import { evalUnit, UNIT_RBITS, type UnitBuild, type UnitCase } from '../rtl/units.ts';
import { coverageOn, coverUnitCase, flushCoverage } from './support/coverage.ts';

function hex(v: number): string {
  return '0x' + v.toString(16);
}

function fmtText(f: Format): string {
  return `${f.name} ${JSON.stringify({ exp: f.exp, man: f.man, subnormals: f.subnormals, specials: f.specials, overflow: f.overflow })}`;
}

/** Golden's answer to one case of a unit build. */
export function goldenOf(c: UnitBuild, x: UnitCase): Result {
  const r: Rounding = x.mode === 'sr' ? { mode: 'sr', rbits: x.rbits ?? 1, rand: x.rand ?? 0 } : { mode: x.mode };
  return apply(c.op, x.operands, c.ins, c.fmt, r);
}

/** Runs the cases through the RTL; throws listing (up to 8) mismatches against golden. */
export async function expectRtlMatchesGolden(c: UnitBuild, cases: readonly UnitCase[]): Promise<number> {
  const got = await evalUnit(c, cases);
  const bad: string[] = [];
  let count = 0;
  const covering = coverageOn();
  cases.forEach((x, i) => {
    const want = goldenOf(c, x);
    if (covering) coverUnitCase({ ...c, ...x }, want, x.mode === 'sr' ? srThreshold(c, x.operands, x.rbits ?? 1) : undefined);
    if (want.code !== got[i].code || want.flags !== got[i].flags) {
      count++;
      if (bad.length < 8) {
        const sr = x.mode === 'sr' ? ` rbits=${x.rbits} rand=${x.rand}` : '';
        bad.push(`  ${c.op}(${x.operands.map(hex).join(', ')}) mode=${x.mode}${sr}: golden ${hex(want.code)} flags ${want.flags}, rtl ${hex(got[i].code)} flags ${got[i].flags}`);
      }
    }
  });
  if (covering) flushCoverage();
  if (count > 0) {
    const ins = c.ins.map((f, i) => `in[${i}] ${fmtText(f)}`).join('; ');
    throw new Error(`RTL != golden in ${count} of ${cases.length} cases; ${ins}; fmt ${fmtText(c.fmt)}; build RBITS ${c.rbitsMax ?? UNIT_RBITS}\n${bad.join('\n')}`);
  }
  return cases.length;
}

const same = (x: Result, y: Result): boolean => x.code === y.code && x.flags === y.flags;

/**
 * The sr decision boundary of one operation: T = 2^r - F, the least R that rounds up (found by
 * bisection on golden, which is monotone in R), or undefined when no R rounds up (exact).
 */
export function srThreshold(b: UnitBuild, operands: readonly number[], r: number): number | undefined {
  const at = (rand: number): Result => apply(b.op, operands, b.ins, b.fmt, { mode: 'sr', rbits: r, rand });
  const top = at(2 ** r - 1);
  if (same(at(0), top)) return undefined;
  let lo = 0;
  let hi = 2 ** r - 1;
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (same(at(mid), top)) hi = mid; else lo = mid;
  }
  return hi;
}
