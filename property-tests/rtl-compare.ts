// RTL against golden for the property suites: run a batch of cases through one RTL unit and
// name every case that differs in code or flags (format, mode, operands in hex, R).
import { apply, type Format, type Result, type Rounding } from '../golden/index.ts';
import { evalUnit, type UnitCase, type UnitConfig } from '../rtl/units.ts';

function hex(v: number): string {
  return '0x' + v.toString(16);
}

function fmtText(f: Format): string {
  return `${f.name} ${JSON.stringify({ exp: f.exp, man: f.man, subnormals: f.subnormals, specials: f.specials, overflow: f.overflow })}`;
}

/** Golden's answer to one case of a unit configuration. */
export function goldenOf(c: UnitConfig, x: UnitCase): Result {
  const r: Rounding = c.mode === 'sr' ? { mode: 'sr', rbits: c.rbits ?? 1, rand: x.rand ?? 0 } : { mode: c.mode };
  return apply(c.op, x.operands, c.ins, c.fmt, r);
}

/** Runs the cases through the RTL; throws listing (up to 8) mismatches against golden. */
export async function expectRtlMatchesGolden(c: UnitConfig, cases: readonly UnitCase[]): Promise<number> {
  const got = await evalUnit(c, cases);
  const bad: string[] = [];
  let count = 0;
  cases.forEach((x, i) => {
    const want = goldenOf(c, x);
    if (want.code !== got[i].code || want.flags !== got[i].flags) {
      count++;
      if (bad.length < 8) {
        const sr = c.mode === 'sr' ? ` rbits=${c.rbits} rand=${x.rand}` : '';
        bad.push(`  ${c.op}(${x.operands.map(hex).join(', ')}) mode=${c.mode}${sr}: golden ${hex(want.code)} flags ${want.flags}, rtl ${hex(got[i].code)} flags ${got[i].flags}`);
      }
    }
  });
  if (count > 0) {
    const ins = c.ins.map((f, i) => `in[${i}] ${fmtText(f)}`).join('; ');
    throw new Error(`RTL != golden in ${count} of ${cases.length} cases; ${ins}; fmt ${fmtText(c.fmt)}\n${bad.join('\n')}`);
  }
  return cases.length;
}
