// Independent MPFR-based oracle for the custom-precision arithmetic contract.
// Every finite operation is evaluated exactly by MPFR (gmp-wasm, low-level binding) and rounded
// once: rne/rtz/rup/rdn with MPFR's own rounding + mpfr_check_range/mpfr_subnormalize; rna, rto
// and sr are finished in JS from an RNDZ result carrying k extra bits, with the ternary value as
// sticky bit. Overflow, specials and flags follow the contract and are decided here, not by MPFR.
import { init } from 'gmp-wasm';
import {
  type FormatParams, type OracleFormat, SPEC_FINITE, SPEC_IEEE, SPEC_P3109E,
  decode, encode, exponentOf, formatParams, pow2, signedInf, signedMax,
} from './oracle-format.ts';

export type { OracleFormat } from './oracle-format.ts';
export type OracleMode = 'rne' | 'rna' | 'rtz' | 'rup' | 'rdn' | 'rto' | 'sr';
export interface OracleRounding { mode: OracleMode; rbits?: number; rand?: number } // rbits/rand only for sr
export type OracleFlag = 'invalid' | 'overflow' | 'underflow' | 'inexact';
export interface OracleResult { code: number; flags: OracleFlag[] } // flags in the order invalid, overflow, underflow, inexact

export interface MpfrOracle {
  convert(a: number, fa: OracleFormat, to: OracleFormat, r: OracleRounding): OracleResult;
  mul(a: number, fa: OracleFormat, b: number, fb: OracleFormat, to: OracleFormat, r: OracleRounding): OracleResult;
  add(a: number, fa: OracleFormat, b: number, fb: OracleFormat, to: OracleFormat, r: OracleRounding): OracleResult;
  /** a*b+c with a single rounding. */
  fma(a: number, fa: OracleFormat, b: number, fb: OracleFormat, c: number, fc: OracleFormat, to: OracleFormat, r: OracleRounding): OracleResult;
  dispose(): void;
}

// MPFR rounding modes (mpfr_rnd_t).
const RNDN = 0, RNDZ = 1, RNDU = 2, RNDD = 3;
// Flag bits; FLAG_LISTS[mask] lists them in contract order.
const F_INVALID = 1, F_OVERFLOW = 2, F_UNDERFLOW = 4, F_INEXACT = 8;
const FLAG_NAMES: OracleFlag[] = ['invalid', 'overflow', 'underflow', 'inexact'];
const FLAG_LISTS: OracleFlag[][] = [];
for (let m = 0; m < 16; m++) FLAG_LISTS.push(FLAG_NAMES.filter((_, i) => (m >> i) & 1));
// Operation selectors.
const OP_CONVERT = 0, OP_MUL = 1, OP_ADD = 2, OP_FMA = 3;
// Mode ids: 0..3 are MPFR-native (equal to the MPFR rnd value), the others are finished in JS.
const M_RNE = 0, M_RTZ = 1, M_RUP = 2, M_RDN = 3, M_RNA = 4, M_RTO = 5, M_SR = 6;
const MODE_IDS: Record<OracleMode, number> = { rne: M_RNE, rtz: M_RTZ, rup: M_RUP, rdn: M_RDN, rna: M_RNA, rto: M_RTO, sr: M_SR };
const WORK_PREC = 64; // allocated precision of the result variables (p + k <= 24 + 24)

function result(code: number, flags: number): OracleResult {
  return { code, flags: FLAG_LISTS[flags].slice() };
}

/** NaN result (canonical NaN, or +0 with invalid in a finite format). */
function nanResult(fp: FormatParams, flags: number): OracleResult {
  if (fp.spec === SPEC_FINITE) return result(0, flags | F_INVALID);
  if (fp.nanCode < 0) throw new Error(`oracle: e${fp.E}m${fp.M} ieee has no NaN encoding`);
  return result(fp.nanCode, flags);
}

/** Exactly infinite result (an Inf operand). */
function infResult(fp: FormatParams, neg: boolean): OracleResult {
  if (fp.spec === SPEC_IEEE || fp.spec === SPEC_P3109E) return result(signedInf(fp, neg), 0);
  if (fp.sat) return result(signedMax(fp, neg), F_OVERFLOW | F_INEXACT); // fn/p3109f saturate, finite
  return nanResult(fp, F_OVERFLOW | F_INEXACT); // fn/p3109f, overflow = infinity
}

export async function createMpfrOracle(): Promise<MpfrOracle> {
  const { binding: g } = await init();
  const DEF_EMIN = g.mpfr_get_emin();
  if (g.mpfr_get_emax() < 4096) throw new Error('oracle: MPFR emax unexpectedly small');
  // Operands hold doubles exactly at 53 bits; X is the result variable, precision set per call.
  const A = g.mpfr_t(), B = g.mpfr_t(), C = g.mpfr_t(), X = g.mpfr_t();
  g.mpfr_init2(A, 53); g.mpfr_init2(B, 53); g.mpfr_init2(C, 53); g.mpfr_init2(X, WORK_PREC);
  let disposed = false;

  function compute(op: number, rnd: number): number {
    switch (op) {
      case OP_CONVERT: return g.mpfr_set(X, A, rnd);
      case OP_MUL: return g.mpfr_mul(X, A, B, rnd);
      case OP_ADD: return g.mpfr_add(X, A, B, rnd);
      default: return g.mpfr_fma(X, A, B, C, rnd);
    }
  }

  /** Round the finite operation `op` (operands already in A, B, C) into format `fp`. */
  function roundFinite(op: number, fp: FormatParams, r: OracleRounding): OracleResult {
    const mode = MODE_IDS[r.mode];
    if (mode === undefined) throw new Error(`oracle: unknown rounding mode ${String(r.mode)}`);
    let k = 2; // extra bits for rna/rto
    let R = 0;
    if (mode === M_SR) {
      k = r.rbits ?? -1;
      R = r.rand ?? -1;
      if (!Number.isInteger(k) || k < 1 || k > 24) throw new RangeError(`oracle: sr rbits ${k} not in 1..24`);
      if (!Number.isInteger(R) || R < 0 || R >= pow2(k)) throw new RangeError(`oracle: sr rand ${R} not in [0, 2^${k})`);
    }
    let mag: number, neg: boolean, inexact: boolean, tiny = false, up = false;
    if (mode <= M_RDN) {
      // MPFR-native: round at p bits in the default (wide) range, then the format's range.
      g.mpfr_set_prec_raw(X, fp.p);
      let t = compute(op, mode);
      const v = g.mpfr_get_d(X, RNDN); // exact: p <= 24 bits
      if (v === 0) return result(encode(fp, 0, Object.is(v, -0)), 0); // exact zero (no underflow in the wide range)
      neg = v < 0;
      mag = neg ? -v : v;
      if (mag < fp.minNormal) {
        // Rounded at p bits with unbounded exponent and still below 2^emin: tiny.
        tiny = true;
        if (fp.sub) {
          g.mpfr_set_emin(fp.emin - fp.M + 1); // MPFR emin: smallest subnormal 2^(emin-M) = 2^(emin_mpfr-1)
          t = g.mpfr_check_range(X, t, mode);
          t = g.mpfr_subnormalize(X, t, mode);
        } else {
          g.mpfr_set_emin(fp.emin + 1); // MPFR underflow: smallest positive value 2^emin, rest flushes
          t = g.mpfr_check_range(X, t, mode);
        }
        g.mpfr_set_emin(DEF_EMIN);
        const w = g.mpfr_get_d(X, RNDN);
        mag = w < 0 ? -w : w;
      }
      // (|X| >= 2^emin: X is on the format's grid already; subnormalize would be the identity.)
      inexact = t !== 0;
    } else {
      // rna / rto / sr: truncate at p + k bits (RNDZ), ternary = sticky; finish in JS.
      g.mpfr_set_prec_raw(X, fp.p + k);
      let t = compute(op, RNDZ);
      const v = g.mpfr_get_d(X, RNDN); // exact: p + k <= 48 bits
      if (v === 0) return result(encode(fp, 0, Object.is(v, -0)), 0); // exact zero: RNDZ gives IEEE +0
      neg = v < 0;
      let y = neg ? -v : v;
      let q: number; // quantum of the target grid around y
      if (y < fp.minNormal) {
        // Tininess: finish on the unbounded p-bit grid (quantum of y's own binade).
        tiny = finish(y, t !== 0, pow2(exponentOf(y) - fp.M), k, mode, R) < fp.minNormal;
        if (fp.sub) {
          // Finer subnormal grid for p + k bits: quantum 2^(emin-M-k) = 2^(emin_mpfr - 1).
          g.mpfr_set_emin(fp.emin - fp.M - k + 1);
          t = g.mpfr_check_range(X, t, RNDZ);
          t = g.mpfr_subnormalize(X, t, RNDZ);
          g.mpfr_set_emin(DEF_EMIN);
          const w = g.mpfr_get_d(X, RNDN);
          y = w < 0 ? -w : w;
          q = fp.subQuantum;
        } else {
          // No subnormals: below 2^emin the grid is {0, 2^emin}; fine grid quantum 2^(emin-k).
          const fq = pow2(fp.emin - k);
          const yt = Math.floor(y / fq) * fq;
          if (yt !== y) t = -1;
          y = yt;
          q = fp.minNormal;
        }
      } else {
        q = pow2(exponentOf(y) - fp.M);
      }
      mag = finish(y, t !== 0, q, k, mode, R);
      up = finUp;
      inexact = finInexact;
    }
    let flags = 0;
    if (mag > fp.max) {
      // Overflow, decided after rounding with unbounded exponent.
      let toInf = false;
      if (!fp.sat) {
        switch (mode) {
          case M_RNE: case M_RNA: toInf = true; break;
          case M_RUP: toInf = !neg; break;
          case M_RDN: toInf = neg; break;
          case M_SR: toInf = up; break;
          default: toInf = false; // rtz, rto
        }
      }
      if (!toInf) return result(signedMax(fp, neg), F_OVERFLOW | F_INEXACT);
      if (fp.spec === SPEC_IEEE || fp.spec === SPEC_P3109E) return result(signedInf(fp, neg), F_OVERFLOW | F_INEXACT);
      return nanResult(fp, F_OVERFLOW | F_INEXACT); // fn, p3109f: "Inf" is the canonical NaN
    }
    if (inexact) flags = tiny ? F_UNDERFLOW | F_INEXACT : F_INEXACT;
    return result(encode(fp, mag, neg), flags);
  }

  // Side outputs of finish() (avoids allocating on the hot path).
  let finUp = false, finInexact = false;
  /** Round magnitude y (truncated onto the grid q/2^k, sticky = bits below) to the grid q. */
  function finish(y: number, sticky: boolean, q: number, k: number, mode: number, R: number): number {
    const n = Math.floor(y / q); // integer significand of lo at quantum q
    const lo = n * q;
    const F = ((y - lo) / q) * pow2(k); // the k bits below lo (an integer)
    finInexact = F !== 0 || sticky;
    if (mode === M_RNA) finUp = F >= pow2(k - 1);
    else if (mode === M_RTO) finUp = finInexact && n % 2 === 0;
    else finUp = F + R >= pow2(k);
    return finUp ? lo + q : lo;
  }

  function load(dst: number, code: number, f: OracleFormat): number {
    const v = decode(formatParams(f), code);
    if (v === v && v !== Infinity && v !== -Infinity) g.mpfr_set_d(dst, v, RNDN); // exact
    return v;
  }

  function check(): void {
    if (disposed) throw new Error('oracle: used after dispose()');
  }

  return {
    convert(a, fa, to, r) {
      check();
      const fp = formatParams(to);
      const va = load(A, a, fa);
      if (va !== va) return nanResult(fp, 0);
      if (va === Infinity || va === -Infinity) return infResult(fp, va < 0);
      return roundFinite(OP_CONVERT, fp, r);
    },
    mul(a, fa, b, fb, to, r) {
      check();
      const fp = formatParams(to);
      const va = load(A, a, fa), vb = load(B, b, fb);
      if (va !== va || vb !== vb) return nanResult(fp, 0);
      const ia = va === Infinity || va === -Infinity, ib = vb === Infinity || vb === -Infinity;
      if (ia || ib) {
        if (va === 0 || vb === 0) return nanResult(fp, F_INVALID); // Inf * 0
        return infResult(fp, (va < 0) !== (vb < 0));
      }
      return roundFinite(OP_MUL, fp, r);
    },
    add(a, fa, b, fb, to, r) {
      check();
      const fp = formatParams(to);
      const va = load(A, a, fa), vb = load(B, b, fb);
      if (va !== va || vb !== vb) return nanResult(fp, 0);
      const ia = va === Infinity || va === -Infinity, ib = vb === Infinity || vb === -Infinity;
      if (ia && ib && va !== vb) return nanResult(fp, F_INVALID); // Inf - Inf
      if (ia) return infResult(fp, va < 0);
      if (ib) return infResult(fp, vb < 0);
      return roundFinite(OP_ADD, fp, r);
    },
    fma(a, fa, b, fb, c, fc, to, r) {
      check();
      const fp = formatParams(to);
      const va = load(A, a, fa), vb = load(B, b, fb), vc = load(C, c, fc);
      if (va !== va || vb !== vb || vc !== vc) return nanResult(fp, 0);
      const ia = va === Infinity || va === -Infinity, ib = vb === Infinity || vb === -Infinity;
      const ic = vc === Infinity || vc === -Infinity;
      if (ia || ib) {
        if (va === 0 || vb === 0) return nanResult(fp, F_INVALID); // 0 * Inf (+ c)
        const pneg = (va < 0) !== (vb < 0);
        if (ic && (vc < 0) !== pneg) return nanResult(fp, F_INVALID); // (+-Inf) + (-+Inf)
        return infResult(fp, pneg);
      }
      if (ic) return infResult(fp, vc < 0);
      return roundFinite(OP_FMA, fp, r);
    },
    dispose() {
      if (disposed) return;
      disposed = true;
      g.mpfr_set_prec_raw(X, WORK_PREC); // mpfr_clear needs the allocated precision
      for (const x of [A, B, C, X]) { g.mpfr_clear(x); g.mpfr_t_free(x); }
    },
  };
}
