// fast-check arbitraries of formats, modes and codes, shared by the property suites.
// Codes are generated as indices over the encoding (as fast-check's double arbitrary does),
// biased towards the values where rounding and specials go wrong.
import fc from 'fast-check';
import { format, type FloatFormat, type Format, type Mode, type Rounding } from '../../golden/index.ts';

export interface FormatConstraints {
  /** @defaultValue 1 */ minExp?: number;
  /** @defaultValue 8 */ maxExp?: number;
  /** @defaultValue 0 */ minMan?: number;
  /** @defaultValue 23 */ maxMan?: number;
  /** @defaultValue every kind */ specials?: readonly FloatFormat['specials'][];
}

/** A P3109 format binary<K>p<P>s<e|f> (signed) with K in kMin..kMax, any P and domain and overflow. */
export function p3109Arb(kMin = 3, kMax = 8): fc.Arbitrary<Format> {
  return fc.integer({ min: kMin, max: kMax }).chain((K) =>
    fc.record({
      P: fc.integer({ min: 1, max: K - 1 }),
      domain: fc.constantFrom('e', 'f'),
      over: fc.constantFrom('', '-sat', '-inf'),
    }).map(({ P, domain, over }) => format(`binary${K}p${P}s${domain}${over}`)));
}

/** Any valid format (every specials kind, subnormals on/off, both overflow policies). */
export function formatArb(c: FormatConstraints = {}): fc.Arbitrary<Format> {
  return fc
    .record({
      exp: fc.integer({ min: c.minExp ?? 1, max: c.maxExp ?? 8 }),
      man: fc.integer({ min: c.minMan ?? 0, max: c.maxMan ?? 23 }),
      subnormals: fc.boolean(),
      specials: fc.constantFrom<FloatFormat['specials']>(...(c.specials ?? ['ieee', 'fn', 'finite', 'p3109e', 'p3109f'])),
      overflow: fc.constantFrom<FloatFormat['overflow']>('saturate', 'infinity'),
    })
    .map((f) => {
      // Repair the few invalid combinations instead of filtering (keeps shrinking useful).
      const p3109 = f.specials === 'p3109e' || f.specials === 'p3109f';
      if (p3109) {
        f.subnormals = true; // P3109 always has subnormals, and K = 1 + E + M >= 3
        if (f.exp + f.man < 2) f.man = 1;
      } else if (f.exp === 1 || f.man === 0) f.specials = 'finite';
      if (f.specials === 'finite') f.overflow = 'saturate';
      return format(f);
    });
}

/** Interesting codes of a format: zeros, subnormal edges, normal edges, max, specials, 1.0. */
export function specialCodes(f: Format): number[] {
  const M = 2 ** f.man;
  const one = f.bias * M;
  const list = [0, 1, M - 1, M, M + 1, f.maxCode, f.maxCode - 1, one, one + 1, one - 1];
  if (f.infCode >= 0) list.push(f.infCode);
  if (f.nanCode >= 0) list.push(f.nanCode, f.nanCode + 1 < f.signBit ? f.nanCode + 1 : f.nanCode);
  const all = list.filter((c) => c >= 0 && c < f.signBit);
  return [...new Set([...all, ...all.map((c) => c + f.signBit)])];
}

/** A code of f: half the time an interesting one, otherwise uniform over all codes. */
export function codeArb(f: Format): fc.Arbitrary<number> {
  return fc.oneof(
    { weight: 1, arbitrary: fc.constantFrom(...specialCodes(f)) },
    { weight: 1, arbitrary: fc.integer({ min: 0, max: 2 * f.signBit - 1 }) },
  );
}

export const deterministicModeArb: fc.Arbitrary<Mode> = fc.constantFrom('rne', 'rna', 'rtz', 'rup', 'rdn', 'rto');

/** Any rounding request; `sr` with random rbits and rand. */
export function roundingArb(modes: readonly Mode[] = ['rne', 'rna', 'rtz', 'rup', 'rdn', 'rto', 'sr']): fc.Arbitrary<Rounding> {
  return fc.constantFrom(...modes).chain((mode): fc.Arbitrary<Rounding> => {
    if (mode !== 'sr') return fc.constant({ mode });
    return fc.integer({ min: 1, max: 24 }).chain((rbits) =>
      fc.integer({ min: 0, max: 2 ** rbits - 1 }).map((rand) => ({ mode, rbits, rand })),
    );
  });
}

/** Human-readable description of a case for failure messages. */
export function describeCase(op: string, fmts: Format[], codes: number[], to: Format, r: Rounding): string {
  const ops = codes.map((c, i) => `${fmts[i].name}:0x${c.toString(16)}`).join(', ');
  const sr = r.mode === 'sr' ? ` rbits=${r.rbits} rand=${r.rand}` : '';
  return `${op}(${ops}) -> ${to.name} [${JSON.stringify({ exp: to.exp, man: to.man, subnormals: to.subnormals, specials: to.specials, overflow: to.overflow })}] mode=${r.mode}${sr}`;
}
