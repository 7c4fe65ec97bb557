// Arbitraries and helpers for the integer and block-format RTL suites: element codes biased to
// zeros, extremes and specials; block scales; golden vectors from codes and scales.
import fc from 'fast-check';
import { blockOperand, blockSum, Kind, type BlockFormat, type BlockVector, type IntFormat, type Raw } from '../../golden/index.ts';
import type { ScaledBlockFormat } from '../../rtl/block-units.ts';

/** An element code biased to 0, −0, the largest magnitudes and (float MX) the special codes. */
export function elemArb(f: BlockFormat): fc.Arbitrary<number> {
  const w = f.width;
  const top = 2 ** w - 1;
  const edges = [0, 2 ** (w - 1), 1, top, 2 ** (w - 1) - 1, 2 ** (w - 1) + 1];
  if (f.kind === 'mx' && f.elemFormat && f.elemFormat.specials !== 'finite') edges.push(f.elemFormat.nanCode, f.elemFormat.infCode >= 0 ? f.elemFormat.infCode : 0);
  return fc.oneof({ weight: 6, arbitrary: fc.integer({ min: 0, max: top }) }, { weight: 1, arbitrary: fc.constantFrom(...edges) });
}

/** A block scale: MX E8M0 codes near 127 (sometimes anywhere, sometimes NaN), BFP exponents in range. */
export function scaleArb(f: ScaledBlockFormat): fc.Arbitrary<number> {
  if (f.kind === 'bfp') return fc.oneof({ weight: 4, arbitrary: fc.integer({ min: -12, max: 12 }) }, { weight: 1, arbitrary: fc.integer({ min: f.emin, max: f.emax }) });
  return fc.oneof({ weight: 12, arbitrary: fc.integer({ min: 100, max: 150 }) }, { weight: 3, arbitrary: fc.integer({ min: 0, max: 254 }) }, { weight: 1, arbitrary: fc.constant(0xff) });
}

export function blockVector(f: BlockFormat, codes: number[], scales: number[]): BlockVector {
  if (f.kind === 'int') return { exp: 0, codes, flags: 0 };
  if (f.kind === 'bfp') return { exps: scales, codes, flags: 0 };
  return { scales, codes, flags: 0 };
}

/** The exact integer a Raw with a non-negative exponent stands for. */
export function rawInt(r: Raw): bigint {
  if (r.kind === Kind.Zero) return 0n;
  if (r.kind !== Kind.Finite || r.exp < 0) throw new Error(`not an integer: ${JSON.stringify(r, (_, v) => (typeof v === 'bigint' ? v.toString() : v))}`);
  const m = r.sig << BigInt(r.exp);
  return r.negative ? -m : m;
}

/** Golden's exact integer dot product, wrapped to accW bits. */
export function intDot(fa: IntFormat, fb: IntFormat, a: number[], b: number[], accW: number): number {
  const s = rawInt(blockSum(blockOperand(blockVector(fa, a, []), fa), blockOperand(blockVector(fb, b, []), fb), 0));
  return Number(BigInt.asUintN(accW, s));
}

