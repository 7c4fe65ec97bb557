// The functional coverpoints' classifier on hand-worked cases: a coverpoint it counts must be the
// corner it names (docs/testing.md, "Coverage").
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apply, format, type Mode, type Op } from '../../golden/index.ts';
import { coverpoints, coverUnitCase, flushCoverage } from './coverage.ts';

const dir = mkdtempSync(join(tmpdir(), 'mpsa-coverage-'));
const saved = process.env.MPSA_COVERAGE_DIR;
beforeAll(() => { process.env.MPSA_COVERAGE_DIR = dir; });
afterAll(() => { if (saved === undefined) delete process.env.MPSA_COVERAGE_DIR; else process.env.MPSA_COVERAGE_DIR = saved; });

const e4m3 = format('e4m3');
const fp16 = format('fp16');
/** The points one case adds (counts before and after, from the flushed file). */
function pointsOf(op: Op, operands: number[], fmt = e4m3, mode: Mode = 'rne'): string[] {
  const file = join(dir, `functional-${process.pid}.json`);
  const read = (): Record<string, number> => { try { return JSON.parse(readFileSync(file, 'utf8'))[`fp_${op}`] ?? {}; } catch { return {}; } };
  const before = read();
  const ins = operands.map(() => fmt);
  coverUnitCase({ op, ins, fmt, operands, mode }, apply(op, operands, ins, fmt, { mode }));
  flushCoverage();
  const after = read();
  return Object.keys(after).filter((p) => after[p] !== (before[p] ?? 0)).sort();
}

describe('functional coverpoints', () => {
  it('an exact cancellation under rdn is a −0 and counts as one', () => {
    const one = 0x38; // e4m3 1.0
    expect(pointsOf('add', [one, one + 0x80], e4m3, 'rdn')).toEqual(['exact-cancellation:rdn', 'mode:rdn', 'result:zero', 'zero-sign:-:rdn']);
    expect(pointsOf('add', [one, one + 0x80], e4m3, 'rne')).toContain('zero-sign:+:rne');
  });

  it('a tie, a carry into the exponent, an overflow to infinity', () => {
    // fp16: 1 + 2^-11 is a tie between 1 and 1 + 2^-10 (rne keeps 1: inexact, no carry).
    expect(pointsOf('add', [0x3c00, 0x1000], fp16)).toEqual(expect.arrayContaining(['exact-tie', 'flag:inexact']));
    // fp16: (2 − 2^-10) + 2^-11 → 2.0 under rna: a round-up carry into the exponent.
    expect(pointsOf('add', [0x3fff, 0x1000], fp16, 'rna')).toEqual(expect.arrayContaining(['round-up-carry-into-exponent', 'exact-tie']));
    // fp16 max · 2 overflows to +Inf under rne.
    expect(pointsOf('mul', [0x7bff, 0x4000], fp16)).toEqual(expect.arrayContaining(['overflow:to-infinity', 'flag:overflow', 'result:inf']));
    expect(pointsOf('mul', [0x3c00, 0x3c00], fp16)).not.toContain('exact-tie');
  });

  it('every unit has its list; an unknown unit is an error', () => {
    expect(coverpoints('fp_add')).toContain('exact-cancellation:sr');
    expect(coverpoints('fp_mul')).not.toContain('exact-cancellation:sr');
    expect(() => coverpoints('fp_div')).toThrow(/no coverpoints for unit 'fp_div'/);
  });
});
