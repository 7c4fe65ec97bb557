// Slow, direct BigInt transcription of the rounding contract, used only to cross-check the MPFR
// oracle in mpfr.test.ts. Values are exact dyadics n * 2^e; no MPFR, no doubles in the rounding.
import type { OracleFormat, OracleResult, OracleRounding, OracleFlag } from './mpfr.ts';

interface Dy { nan: boolean; inf: boolean; neg: boolean; n: bigint; e: number } // |x| = n * 2^e

interface Fmt { E: number; M: number; bias: number; emin: number; emax: number; max: Dy; f: OracleFormat }

const p3109 = (f: OracleFormat): boolean => f.specials === 'p3109e' || f.specials === 'p3109f';

function fmt(f: OracleFormat): Fmt {
  // P3109: bias 2^(E-1) and the all-ones field holds numbers, so emax = 2^E - 1 - bias.
  const E = f.exp, M = f.man, bias = p3109(f) ? 2 ** (E - 1) : 2 ** (E - 1) - 1, emin = 1 - bias;
  const emax = f.specials === 'ieee' ? bias : p3109(f) ? bias - 1 : bias + 1;
  // max = (2 - 2^-M) 2^emax = (2^(M+1) - 1) 2^(emax-M); fn and p3109e: (2^(M+1) - 2) 2^(emax-M)
  // (p3109e with M = 0: the top binade is only Inf, max = 2^(emax-1)).
  if (f.specials === 'p3109e' && M === 0) return { E, M, bias, emin, emax, f, max: { nan: false, inf: false, neg: false, n: 1n, e: emax - 1 } };
  const mn = 2n ** BigInt(M + 1) - (f.specials === 'fn' || f.specials === 'p3109e' ? 2n : 1n);
  return { E, M, bias, emin, emax, f, max: { nan: false, inf: false, neg: false, n: mn, e: emax - M } };
}

function dec(code: number, f: Fmt): Dy {
  const { E, M } = f;
  const neg = Math.floor(code / 2 ** (E + M)) === 1;
  const field = Math.floor(code / 2 ** M) % 2 ** E, frac = code % 2 ** M;
  const top = field === 2 ** E - 1;
  if (p3109(f.f) && neg && field === 0 && frac === 0) return { nan: true, inf: false, neg, n: 0n, e: 0 };
  if (f.f.specials === 'p3109e' && top && frac === 2 ** M - 1) return { nan: false, inf: true, neg, n: 0n, e: 0 };
  if (f.f.specials === 'ieee' && top) return { nan: frac !== 0, inf: frac === 0, neg, n: 0n, e: 0 };
  if (f.f.specials === 'fn' && top && frac === 2 ** M - 1) return { nan: true, inf: false, neg, n: 0n, e: 0 };
  if (field === 0) return { nan: false, inf: false, neg, n: f.f.subnormals ? BigInt(frac) : 0n, e: f.emin - M };
  return { nan: false, inf: false, neg, n: BigInt(2 ** M + frac), e: field - f.bias - M };
}

const cmp = (a: Dy, b: Dy): number => {
  const e = Math.min(a.e, b.e);
  const x = a.n << BigInt(a.e - e), y = b.n << BigInt(b.e - e);
  return x < y ? -1 : x > y ? 1 : 0;
};
const bitlen = (n: bigint): number => n.toString(2).length;

/** Round |x| (n > 0) onto the grid: qeFloor = lowest quantum exponent allowed. */
function roundMag(x: Dy, M: number, qeFloor: number, r: OracleRounding): { m: Dy; up: boolean; inexact: boolean } {
  const b = bitlen(x.n) - 1 + x.e;
  const qe = Math.max(b - M, qeFloor);
  let n: bigint, rem = 0n, s = 0;
  if (x.e >= qe) n = x.n << BigInt(x.e - qe);
  else { s = qe - x.e; n = x.n >> BigInt(s); rem = x.n - (n << BigInt(s)); }
  const half = s > 0 ? 1n << BigInt(s - 1) : 0n;
  let up = false;
  if (rem !== 0n) {
    switch (r.mode) {
      case 'rne': up = rem > half || (rem === half && (n & 1n) === 1n); break;
      case 'rna': up = rem >= half; break;
      case 'rtz': break;
      case 'rup': up = !x.neg; break;
      case 'rdn': up = x.neg; break;
      case 'rto': up = (n & 1n) === 0n; break;
      case 'sr': up = ((rem << BigInt(r.rbits!)) >> BigInt(s)) + BigInt(r.rand!) >= 1n << BigInt(r.rbits!); break;
    }
  }
  return { m: { nan: false, inf: false, neg: x.neg, n: up ? n + 1n : n, e: qe }, up, inexact: rem !== 0n };
}

function out(code: number, flags: number): OracleResult {
  const names: OracleFlag[] = ['invalid', 'overflow', 'underflow', 'inexact'];
  return { code, flags: names.filter((_, i) => (flags >> i) & 1) };
}

function enc(m: Dy, t: Fmt): number {
  const sign = m.neg ? 2 ** (t.E + t.M) : 0;
  if (m.n === 0n) return p3109(t.f) ? 0 : sign; // P3109: no −0
  const b = bitlen(m.n) - 1 + m.e;
  if (b < t.emin) return sign + Number(m.n << BigInt(m.e - (t.emin - t.M)));
  const sig = m.e >= b - t.M ? m.n << BigInt(m.e - (b - t.M)) : m.n >> BigInt(b - t.M - m.e);
  return sign + (b + t.bias) * 2 ** t.M + Number(sig) - 2 ** t.M;
}

function nanOut(t: Fmt, flags: number): OracleResult {
  if (t.f.specials === 'finite') return out(0, flags | 1);
  const E = t.E, M = t.M;
  if (p3109(t.f)) return out(2 ** (E + M), flags);
  return out((2 ** E - 1) * 2 ** M + (t.f.specials === 'fn' ? 2 ** M - 1 : 2 ** (M - 1)), flags);
}
const maxOut = (t: Fmt, neg: boolean): OracleResult => out(enc({ ...t.max, neg }, t), 2 | 8);
function infOut(t: Fmt, neg: boolean, exact: boolean): OracleResult {
  if (t.f.specials === 'ieee') return out((2 ** t.E - 1) * 2 ** t.M + (neg ? 2 ** (t.E + t.M) : 0), exact ? 0 : 2 | 8);
  if (t.f.specials === 'p3109e') return out(2 ** (t.E + t.M) - 1 + (neg ? 2 ** (t.E + t.M) : 0), exact ? 0 : 2 | 8);
  if (t.f.specials === 'finite' || t.f.overflow === 'saturate') return maxOut(t, neg);
  return nanOut(t, 2 | 8);
}

function roundTo(x: Dy, t: Fmt, r: OracleRounding): OracleResult {
  if (x.nan) return nanOut(t, 0);
  if (x.inf) return infOut(t, x.neg, true);
  if (x.n === 0n) return out(enc(x, t), 0);
  const flush = !t.f.subnormals && bitlen(x.n) - 1 + x.e < t.emin; // grid {0, 2^emin} below 2^emin
  const { m: res, up, inexact } = flush ? roundMag(x, 0, t.emin, r) : roundMag(x, t.M, t.emin - t.M, r);
  if (cmp(res, t.max) > 0) {
    const m2 = r.mode;
    const toInf = t.f.specials !== 'finite' && t.f.overflow === 'infinity' &&
      (m2 === 'rne' || m2 === 'rna' || (m2 === 'rup' && !x.neg) || (m2 === 'rdn' && x.neg) || (m2 === 'sr' && up));
    return toInf ? infOut(t, x.neg, false) : maxOut(t, x.neg);
  }
  const unb = roundMag(x, t.M, -1e9, r).m;
  const tiny = cmp(unb, { nan: false, inf: false, neg: false, n: 1n, e: t.emin }) < 0;
  return out(enc(res, t), inexact ? (tiny ? 4 | 8 : 8) : 0);
}

function mulD(a: Dy, b: Dy): Dy {
  return { nan: false, inf: a.inf || b.inf, neg: a.neg !== b.neg, n: a.n * b.n, e: a.e + b.e };
}
function addD(a: Dy, b: Dy, r: OracleRounding): Dy {
  if (a.inf) return a;
  if (b.inf) return b;
  const e = Math.min(a.e, b.e);
  const x = (a.neg ? -1n : 1n) * (a.n << BigInt(a.e - e)) + (b.neg ? -1n : 1n) * (b.n << BigInt(b.e - e));
  if (x === 0n) return { nan: false, inf: false, neg: a.neg === b.neg ? a.neg : r.mode === 'rdn', n: 0n, e: 0 };
  return { nan: false, inf: false, neg: x < 0n, n: x < 0n ? -x : x, e };
}
const INVALID: Dy = { nan: true, inf: false, neg: false, n: 0n, e: 0 };
function mulS(a: Dy, b: Dy): Dy {
  if (a.nan || b.nan) return { ...INVALID };
  if ((a.inf && !b.inf && b.n === 0n) || (b.inf && !a.inf && a.n === 0n)) return { ...INVALID, inf: true }; // marker
  return mulD(a, b);
}

export function refOp(op: 'convert' | 'mul' | 'add' | 'fma', codes: number[], fmts: OracleFormat[], to: OracleFormat, r: OracleRounding): OracleResult {
  const t = fmt(to);
  const xs = codes.map((c, i) => dec(c, fmt(fmts[i])));
  if (xs.some((x) => x.nan)) return nanOut(t, 0);
  let x: Dy;
  if (op === 'convert') x = xs[0];
  else {
    const p = op === 'add' ? xs[0] : mulS(xs[0], xs[1]);
    if (p.nan) return nanOut(t, 1); // Inf * 0
    const c = op === 'add' ? xs[1] : op === 'fma' ? xs[2] : undefined;
    if (c === undefined) x = p;
    else if (p.inf && c.inf && p.neg !== c.neg) return nanOut(t, 1); // Inf - Inf
    else x = addD(p, c, r);
  }
  return roundTo(x, t, r);
}

/** An exact sum n·2^e (n a signed BigInt), or NaN; `negZero` gives the sign of an exact zero. */
export interface RefSum { nan: boolean; n: bigint; e: number; negZero: boolean }

/**
 * acc ← round(acc + s) with one rounding (the block dot product's step, docs/arithmetic.md §7.4),
 * from the contract alone: the accumulator decoded from its code, the sum added exactly, the zero
 * sign of §3, then the rounding of roundTo. No golden code.
 */
export function refAccumulate(acc: number, f: OracleFormat, s: RefSum, r: OracleRounding): OracleResult {
  const t = fmt(f);
  const a = dec(acc, t);
  if (a.nan || s.nan) return nanOut(t, 0);
  const x: Dy = { nan: false, inf: false, neg: s.n < 0n || (s.n === 0n && s.negZero), n: s.n < 0n ? -s.n : s.n, e: s.e };
  return roundTo(addD(a, x, r), t, r);
}

/**
 * Exact block sums Σ a_i·b_i of two dequantized vectors (doubles that are multiples of 2^−200)
 * in blocks of `block`, as BigInt multiples of 2^−400, with the sign an exact zero sum takes
 * (docs/arithmetic.md §3, §7.5): a block of zero products is −0 when every product is −0 (under
 * rdn: when any is), an exact cancellation of non-zero products +0 (rdn: −0). A non-finite
 * element makes its block NaN.
 */
export function refBlockSums(a: readonly number[], b: readonly number[], block: number, mode: OracleRounding['mode']): RefSum[] {
  const negative = (x: number) => x < 0 || Object.is(x, -0);
  const sums: RefSum[] = [];
  for (let s = 0; s < a.length; s += block) {
    let n = 0n;
    let nan = false;
    let allNeg = true;
    let anyNeg = false;
    let nonzero = false;
    for (let i = s; i < Math.min(a.length, s + block); i++) {
      if (!Number.isFinite(a[i]) || !Number.isFinite(b[i])) { nan = true; continue; }
      const neg = negative(a[i]) !== negative(b[i]);
      allNeg &&= neg;
      anyNeg ||= neg;
      if (a[i] !== 0 && b[i] !== 0) nonzero = true;
      n += BigInt(a[i] * 2 ** 200) * BigInt(b[i] * 2 ** 200);
    }
    const negZero = nonzero ? mode === 'rdn' : mode === 'rdn' ? anyNeg : allNeg;
    sums.push({ nan, n, e: -400, negZero });
  }
  return sums;
}

/** Flag names of an OracleResult as golden's mask (invalid 1, overflow 2, underflow 4, inexact 8). */
export function refFlagMask(r: OracleResult): number {
  const bit = { invalid: 1, overflow: 2, underflow: 4, inexact: 8 } as const;
  return r.flags.reduce((m, f) => m | bit[f], 0);
}
