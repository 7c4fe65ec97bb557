// The emulation kernel: golden's GEMM (golden/gemm.ts, docs/arithmetic.md §2–§5) bit for bit,
// in C on doubles. Built by train/emu/build.ts, bound by train/emu/ffi.ts.
//
// Values, not codes: every accumulator is held as the double its code decodes to (exact for
// every format, E <= 8, M <= 23); it is encoded once at the end. Each rounding has two paths:
//
//   fast  the exact result s is a double (TwoSum tail t == 0), 2^emin <= |s| and the rounded
//         magnitude <= max: rounding at M fraction bits is then an integer operation on the
//         IEEE bits of s (sh = 52 - M bits are dropped; a carry walks into the exponent by
//         itself, as cvfpu rounds {exp, man} as one integer):
//
//           | s | 11-bit exponent | M kept bits | sh dropped bits |
//                                               ^ add the mode's increment here, then mask
//
//   slow  everything else (zeros, specials, subnormal results, overflow, a non-zero tail):
//         a line-by-line port of golden/fast.ts roundF64 + golden/round.ts finish.
//
// The fast path never decides a case the slow path would decide differently: it runs only
// where the quantum is 2^(e-M) of the binade of s, no underflow or overflow is possible, and
// the fraction is exactly the dropped bits. Property tests (emu.test.ts) check both against golden.
#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define EMU_X86 1
#include <immintrin.h>
#else
#define EMU_X86 0
#endif

enum { IEEE = 0, FN = 1, FINITE = 2, P3109E = 3, P3109F = 4 }; // golden/format.ts SPECIALS
enum { RNE = 0, RNA = 1, RTZ = 2, RUP = 3, RDN = 4, RTO = 5, SR = 6 };
enum { VF_NONE = 0, VF_FP16 = 1, VF_BF16 = 2 };
enum { F_INVALID = 1, F_OVERFLOW = 2, F_UNDERFLOW = 4, F_INEXACT = 8 };

#define ABS_MASK 0x7fffffffffffffffULL
#define LIKELY(x) __builtin_expect(!!(x), 1)
#define INLINE static inline __attribute__((always_inline))

typedef struct {
  int exp, man, sub, specials, sat;
  int sz;          // has -0 (every format but P3109's, where a zero is +0)
  int inf;         // has an Inf code (ieee, p3109e); without one, 'infinity' overflow gives the NaN
  int bias, emin, emax;
  double maxValue;
  uint32_t signBit, fracMask, nanCode, infCode, maxCode;
} Fmt;

// One rounding step (format + mode + rbits) with the constants of its fast path.
typedef struct {
  Fmt f;
  int mode, rbits;
  int sh;          // 52 - M: dropped bits of a double in the format's normal range
  uint64_t low;    // (1 << sh) - 1
  uint64_t half;   // 1 << (sh - 1)
  int rsh;         // sh - rbits: where R lands under sr
  uint64_t odd0;   // 1 when M = 0: k is the hidden bit alone, always odd (bit sh is exponent)
  uint64_t jam;    // rto's "make k odd" bit: 1 << sh, or 0 when M = 0 (k already odd)
  uint64_t lo;     // bits of 2^emin: the fast path needs |s| >= lo ...
  uint64_t span;   // ... and |s| <= max: (|s| - lo) <= span
  uint64_t maxBits;
  double zadd;     // added to a product that passes as a zero: -0.0 keeps its sign, +0.0 makes
                   // it +0 in a format without -0 (P3109); x + zadd == x for every other x
} Step;

INLINE uint64_t bitsOf(double d) { uint64_t u; memcpy(&u, &d, 8); return u; }
INLINE double fromBits(uint64_t u) { double d; memcpy(&d, &u, 8); return d; }
/** 2^n for -1022 <= n <= 1023. */
INLINE double pow2(int n) { return fromBits((uint64_t)(n + 1023) << 52); }

static void fmtInit(Fmt *f, const int32_t *p) {
  f->exp = p[0]; f->man = p[1]; f->sub = p[2]; f->specials = p[3]; f->sat = p[4];
  int p3109 = f->specials == P3109E || f->specials == P3109F;
  f->sz = !p3109;
  f->inf = f->specials == IEEE || f->specials == P3109E;
  // P3109 (docs/arithmetic.md §1.1): bias 2^(E-1), one NaN 1|0...0, p3109e's Inf at the
  // all-ones magnitude. The largest code below the specials gives max (golden/format.ts).
  f->bias = (1 << (f->exp - 1)) - (p3109 ? 0 : 1);
  f->emin = 1 - f->bias;
  f->signBit = 1u << (f->exp + f->man);
  f->fracMask = (1u << f->man) - 1;
  uint32_t expMask = ((1u << f->exp) - 1) << f->man;
  f->maxCode = f->specials == IEEE ? expMask - (1u << f->man) + f->fracMask
             : f->specials == FN || f->specials == P3109E ? f->signBit - 2 : f->signBit - 1;
  f->emax = (int)(f->maxCode >> f->man) - f->bias;
  double maxSig = (double)((1u << f->man) + (f->maxCode & f->fracMask));
  f->maxValue = maxSig * pow2(f->emax - f->man);
  f->nanCode = f->specials == IEEE ? expMask + (1u << (f->man - 1)) : f->specials == FN ? expMask + f->fracMask
             : p3109 ? f->signBit : UINT32_MAX;
  f->infCode = f->specials == IEEE ? expMask : f->specials == P3109E ? f->signBit - 1 : UINT32_MAX;
}

static void stepInit(Step *s, const int32_t *fmt, int mode, int rbits) {
  fmtInit(&s->f, fmt);
  s->mode = mode;
  s->rbits = mode == SR ? rbits : 0;
  s->sh = 52 - s->f.man;
  s->low = (1ULL << s->sh) - 1;
  s->half = 1ULL << (s->sh - 1);
  s->rsh = s->sh - s->rbits;
  s->odd0 = s->f.man == 0;
  s->jam = s->f.man == 0 ? 0 : 1ULL << s->sh;
  s->lo = bitsOf(pow2(s->f.emin));
  s->maxBits = bitsOf(s->f.maxValue);
  s->span = s->maxBits - s->lo;
  s->zadd = s->f.sz ? -0.0 : 0.0;
}

/** A code's value (golden/codec.ts toNumber). A subnormal code of a no-subnormal format reads ±0. */
static double decode(uint32_t code, const Fmt *f) {
  int neg = (code & f->signBit) != 0;
  uint32_t top = (1u << f->exp) - 1;
  uint32_t field = (code >> f->man) & top;
  uint32_t frac = code & f->fracMask;
  double v;
  if (!f->sz && code == f->nanCode) return NAN;
  if (f->specials == P3109E && (code & (f->signBit - 1)) == f->infCode) return neg ? -INFINITY : INFINITY;
  if (field == top && f->specials == IEEE) {
    if (frac != 0) return NAN;
    v = INFINITY;
  } else if (field == top && f->specials == FN && frac == f->fracMask) {
    return NAN;
  } else if (field == 0) {
    v = (frac == 0 || !f->sub) ? 0.0 : (double)frac * pow2(f->emin - f->man);
  } else {
    v = (double)(frac + (1u << f->man)) * pow2((int)field - f->bias - f->man);
  }
  return neg ? -v : v;
}

/** The code of a value on the format's grid (what the rounders return). */
static uint32_t encode(double v, const Fmt *f) {
  if (v != v) return f->nanCode;
  uint32_t sign = signbit(v) && (f->sz || v != 0) ? f->signBit : 0;
  double a = fabs(v);
  if (a == 0) return sign;
  if (isinf(a)) return sign | f->infCode;
  int ex = (int)(bitsOf(a) >> 52) - 1023;
  if (ex < f->emin) return sign | (uint32_t)(a * pow2(f->man - f->emin));
  uint32_t frac = (uint32_t)(a * pow2(f->man - ex)) - (1u << f->man);
  return sign | ((uint32_t)(ex + f->bias) << f->man) | frac;
}

// ---- slow path: golden/fast.ts roundF64 and golden/round.ts, line by line -----------------

typedef struct { int64_t k; int exact, cmpHalf; int64_t srF; } Split;

/** k and the fraction of |x| = a + tm at quantum 2^q (golden/fast.ts splitF64). */
static void splitF64(double a, double tm, int q, int rbits, Split *s) {
  double scale = pow2(-q);
  double y = a * scale;
  double ts = tm * scale;
  if (ts == 0 && tm != 0) ts = tm > 0 ? 4.9406564584124654e-324 : -4.9406564584124654e-324;
  double k = floor(y), fr = y - k;
  if (fr == 0 && ts < 0) { k -= 1; fr = 1; }
  s->k = (int64_t)k;
  s->exact = fr == 0 && ts == 0;
  s->cmpHalf = fr < 0.5 ? -1 : fr > 0.5 ? 1 : ts > 0 ? 1 : ts < 0 ? -1 : 0;
  s->srF = 0;
  if (rbits > 0) {
    double v = fr * pow2(rbits), F = floor(v);
    if (v == F && ts < 0) F -= 1;
    s->srF = (int64_t)F;
  }
}

static int roundsUp(int mode, int neg, int kOdd, const Split *s, uint32_t R, int rbits) {
  if (s->exact) return 0;
  switch (mode) {
    case RNE: return s->cmpHalf > 0 || (s->cmpHalf == 0 && kOdd);
    case RNA: return s->cmpHalf >= 0;
    case RTZ: return 0;
    case RUP: return !neg;
    case RDN: return neg;
    case RTO: return !kOdd;
    default: return s->srF + (int64_t)R >= ((int64_t)1 << rbits);
  }
}

static double overflowValue(int neg, int up, const Fmt *f, int mode) {
  double m = neg ? -f->maxValue : f->maxValue;
  if (f->sat) return m;
  int toInf;
  switch (mode) {
    case RNE: case RNA: toInf = 1; break;
    case SR: toInf = up; break;
    case RUP: toInf = !neg; break;
    case RDN: toInf = neg; break;
    default: toInf = 0;
  }
  if (!toInf) return m;
  return f->inf ? (neg ? -INFINITY : INFINITY) : NAN;
}

static double infinityResult(int neg, const Fmt *f, uint8_t *fl) {
  if (f->inf) return neg ? -INFINITY : INFINITY;
  *fl |= F_OVERFLOW | F_INEXACT;
  if (f->specials != FINITE && !f->sat) return NAN; // fn, p3109f: the NaN stands for Inf
  return neg ? -f->maxValue : f->maxValue;
}

static double nanResult(int invalid, const Fmt *f, uint8_t *fl) {
  if (f->specials == FINITE) { *fl |= F_INVALID; return 0.0; }
  if (invalid) *fl |= F_INVALID;
  return NAN;
}

// Set when a double below float64's normal range reaches the rounder (golden hands those to
// its exact path; they cannot arise from operands). The call then reports "unsupported" and
// the TypeScript side answers with golden itself.
static volatile int unsupported = 0;

/** Rounds the exact value s + t into st (golden/fast.ts roundF64). */
static double roundF64(double s, double t, const Step *st, uint32_t R, uint8_t *fl) {
  const Fmt *f = &st->f;
  if (isinf(s)) return infinityResult(s < 0, f, fl);
  if (s == 0) return f->sz ? s : 0.0;   // P3109 has no -0: a zero is +0
  int neg = s < 0;
  double a = fabs(s), tm = neg ? -t : t;
  uint64_t u = bitsOf(a);
  int field = (int)(u >> 52);
  if (field == 0) { unsupported = 1; return 0; }
  int ex = field - 1023;
  if (tm < 0 && (u & 0xfffffffffffffULL) == 0) ex -= 1;
  int q = ex >= f->emin ? ex - f->man : f->sub ? f->emin - f->man : f->emin;
  Split sp;
  splitF64(a, tm, q, st->rbits, &sp);
  int tiny = 0;
  if (ex < f->emin && !sp.exact) {
    // Tininess after rounding: only the top ulp just below 2^emin can round up to it.
    if (ex < f->emin - 1) tiny = 1;
    else {
      Split s2;
      splitF64(a, tm, ex - f->man, st->rbits, &s2);
      tiny = s2.k != ((int64_t)2 << f->man) - 1 || !roundsUp(st->mode, neg, 1, &s2, R, st->rbits);
    }
  }
  int up = roundsUp(st->mode, neg, (int)(sp.k & 1), &sp, R, st->rbits);
  int64_t K = sp.k + up;
  double v = (double)K * pow2(q);
  if (K > 0 && v > f->maxValue) {
    *fl |= F_OVERFLOW | F_INEXACT;
    return overflowValue(neg, up, f, st->mode);
  }
  if (!sp.exact) *fl |= tiny ? F_UNDERFLOW | F_INEXACT : F_INEXACT;
  return neg && (v != 0 || f->sz) ? -v : v;
}

/** x + y rounded (golden/fast.ts sumF64). */
static double sumSlow(double x, double y, const Step *st, uint32_t R, uint8_t *fl) {
  double s = x + y;
  if (s != s) return nanResult(x == x && y == y, &st->f, fl);
  if (s == 0) {
    int neg = st->mode == RDN ? !(x == 0 && !signbit(x) && y == 0 && !signbit(y)) : signbit(s) != 0;
    return neg && st->f.sz ? -0.0 : 0.0;
  }
  if (isinf(s)) return infinityResult(s < 0, &st->f, fl);
  double bb = s - x;
  double t = (x - (s - bb)) + (y - bb);
  return roundF64(s, t, st, R, fl);
}

static double mulSlow(double x, double y, const Step *st, uint32_t R, uint8_t *fl) {
  double p = x * y;
  if (p != p) return nanResult(x == x && y == y, &st->f, fl);
  return roundF64(p, 0, st, R, fl);
}

static double fmaSlow(double x, double y, double z, const Step *st, uint32_t R, uint8_t *fl) {
  if (x != x || y != y || z != z) return nanResult(0, &st->f, fl);
  double p = x * y;
  if (p != p) return nanResult(1, &st->f, fl);
  return sumSlow(p, z, st, R, fl);
}

// ---- fast path ------------------------------------------------------------------------------

/** The bits of u rounded at sh dropped bits (valid where the module comment says). */
INLINE uint64_t roundBits(uint64_t u, const int mode, uint64_t R, const Step *c) {
  uint64_t neg = u >> 63;
  switch (mode) {
    case RNE: return (u + (c->half - 1) + (((u >> c->sh) & 1) | c->odd0)) & ~c->low;
    case RNA: return (u + c->half) & ~c->low;
    case RTZ: return u & ~c->low;
    case RUP: return (u + (c->low & (neg - 1))) & ~c->low;
    case RDN: return (u + (c->low & (0 - neg))) & ~c->low;
    case RTO: return (u & ~c->low) | ((u & c->low) ? c->jam : 0);
    default: return (u + (R << c->rsh)) & ~c->low; // SPEC §2 sr: F + R >= 2^r carries out
  }
}

/**
 * 2^emin <= |s| <= max: the quantum is the binade's and the dropped bits are the fraction; the
 * rounded magnitude cannot pass max either (max is on the grid, so |s|'s upper neighbour is at
 * most max). Inf and NaN bit patterns lie above max.
 */
INLINE int fastOk(uint64_t u, const Step *c) {
  return ((u & ABS_MASK) - c->lo) <= c->span;
}

INLINE uint32_t xorshift32(uint32_t x) {
  x ^= x << 13;
  x ^= x >> 17;
  x ^= x << 5;
  return x;
}

/**
 * The steps a PE's generator takes between two MACs of one output: the output's group of n
 * interleaved tiles has the other n - 1 MACs of that k in between (docs/arithmetic.md §5).
 */
INLINE uint32_t skip(uint32_t x, uint32_t n) {
  for (uint32_t q = 1; q < n; q++) x = xorshift32(x);
  return x;
}

// ---- the GEMM ---------------------------------------------------------------------------------

enum { STYLE_TABLE = 0, STYLE_DIRECT = 1, STYLE_FUSED = 2 };

typedef struct {
  Step mul, acc;
  int style;                 // STYLE_*
  int M, K, N;
  const uint32_t *A, *B;     // codes
  const double *dA, *dB;     // decoded operands (STYLE_DIRECT, STYLE_FUSED)
  const double *tabV;        // STYLE_TABLE: rounded product of codes (a, b) at a·nb + b
  const uint8_t *tabF;       //              and its flags
  const uint8_t *tabAny;     //              OR of the flags of row a
  int nb;
  const double *c0;          // decoded initial accumulators, or NULL
  const uint32_t *startM, *startA; // sr: generator states at the start of each output, or NULL
  const uint32_t *stride;    // sr: steps of the PE's generators per k of each output (its group's tiles)
  int maxStride;             // sr: the array's interleave
  int srMul;                 // does the multiply step draw R (separate style)
  int exact;                 // acc + p is always a double (no TwoSum tail): sumIsExact()
  uint32_t *out;
  uint8_t *flags;
  int vec;                   // VF_*: the AVX-512 float32 kernel runs (separate, fp16/bf16, rne/sr)
  const float *fA, *fB, *fC; // VF: operands and c0 as float32 (exact)
  int vufchk;                // VF: a product can be tiny in the accumulator format
  int vfused;                // VF: fused style (no product rounding)
  float vlo, vmax, vtiny;    // VF: 2^emin, max, the rne tininess threshold of the product
  uint32_t vrmM, vrmA;       // VF sr: mask of the R bits once shifted into place (mul, acc)
  int accum;                 // ACCUM_*: plain, exact (Kulisch) or compensated (Kahan)
  int fused;                 // fused style (ACCUM_KAHAN)
  int exQ;                   // ACCUM_EXACT: the products' grid 2^exQ (qa + qb)
  int exW;                   // ACCUM_EXACT: the register's width W (docs/arithmetic.md §5.1)
  const uint32_t *rExact;    // ACCUM_EXACT under sr: each output's R, or NULL
} Gemm;

enum { ACCUM_PLAIN = 0, ACCUM_EXACT = 1, ACCUM_KAHAN = 2 };

typedef struct { const Gemm *g; int i0, i1, j0, j1; int rc; } Work;

// Per-thread rows of scratch, one slot per output column j.
typedef struct {
  double *acc;       // accumulator values
  uint64_t *inex;    // OR of the bits the fast roundings dropped (non-zero: inexact)
  uint8_t *fl;       // OR of the flags of the products and of the slow roundings
  uint32_t *sm, *sa; // sr generator states (mul, acc)
} Lanes;

/**
 * The rounded product x·y of the multiply step (a zero product is exact, its bits pass through;
 * + zadd makes it +0 where the format has no -0, and changes nothing else).
 */
INLINE double mulStep(double x, double y, const int mode, uint32_t R, const Step *c, uint8_t *fl, uint64_t *inex) {
  const double p = x * y; // exact: <= 48 significant bits, magnitude within 2^±300
  const uint64_t u = bitsOf(p), v = roundBits(u, mode, R, c);
  if (LIKELY(fastOk(u, c) | (p == 0))) {
    *inex |= u & c->low;
    return fromBits(v) + c->zadd;
  }
  return mulSlow(x, y, c, R, fl);
}

/** acc + p rounded by the accumulate step. EXACT: the sum is known to be a double (no tail). */
INLINE double accStep(double x, double y, const int mode, const int EXACT, uint32_t R, const Step *c, uint8_t *fl, uint64_t *inex) {
  const double s = x + y;
  double t = 0;
  if (!EXACT) {
    const double bb = s - x;
    t = (x - (s - bb)) + (y - bb);
  }
  const uint64_t u = bitsOf(s), v = roundBits(u, mode, R, c);
  if (LIKELY((t == 0) & fastOk(u, c))) {
    *inex |= u & c->low;
    return fromBits(v);
  }
  if (s == 0 && mode != RDN) return c->f.sz ? s : 0.0; // exact zero sum: the IEEE sign of s (P3109: +0), no flags
  return sumSlow(x, y, c, R, fl);
}

/** A row's lanes at its start: accumulators from c0 (or +0), no flags, sr generators at their starts. */
INLINE void lanesStart(const Gemm *g, const Lanes *L, int64_t row, int j0, int j1, int sr) {
  for (int j = j0; j < j1; j++) {
    L->acc[j] = g->c0 ? g->c0[row + j] : 0.0;
    L->fl[j] = 0;
    L->inex[j] = 0;
    if (sr) { L->sm[j] = g->startM[row + j]; L->sa[j] = g->startA[row + j]; }
  }
}

/** A row's results: the accumulators encoded, the flags with `inexact` from the fast roundings' dropped bits. */
INLINE void lanesFinish(const Gemm *g, const Lanes *L, int64_t row, int j0, int j1) {
  for (int j = j0; j < j1; j++) {
    g->out[row + j] = encode(L->acc[j], &g->acc.f);
    g->flags[row + j] = L->fl[j] | (L->inex[j] ? F_INEXACT : 0);
  }
}

/**
 * Rows i0..i1, columns j0..j1 of C: for each row, k outer and j inner, so the B row and the
 * product-table row stream through cache and the K-long chains of different j overlap.
 */
INLINE void kernel(const Gemm *g, int i0, int i1, int j0, int j1, const Lanes *L,
                   const int STYLE, const int ACCMODE, const int EXACT, const int MULSR) {
  const int K = g->K, N = g->N;
  const Step *cm = &g->mul, *ca = &g->acc;
  const int mulMode = cm->mode;
  const int rm = 32 - cm->rbits, ra = 32 - ca->rbits;
  double *restrict acc = L->acc;
  uint64_t *restrict inex = L->inex;
  uint8_t *restrict fl = L->fl;
  uint32_t *restrict sm = L->sm, *restrict sa = L->sa;
  for (int i = i0; i < i1; i++) {
    const int64_t row = (int64_t)i * N;
    lanesStart(g, L, row, j0, j1, ACCMODE == SR || MULSR);
    for (int k = 0; k < K; k++) {
      const int64_t ik = (int64_t)i * K + k, kn = (int64_t)k * N;
      if (STYLE == STYLE_TABLE) {
        const double *restrict pv = g->tabV + (size_t)g->A[ik] * g->nb;
        const uint8_t *restrict pf = g->tabF + (size_t)g->A[ik] * g->nb;
        const uint32_t *restrict bk = g->B + kn;
        // Most rows of the table raise no flag (exact products): then skip the flag loads.
        const int rowFlags = g->tabAny[g->A[ik]];
        for (int j = j0; j < j1; j++) {
          const uint32_t b = bk[j];
          uint32_t R = 0;
          if (ACCMODE == SR) { sa[j] = xorshift32(sa[j]); R = sa[j] >> ra; sa[j] = skip(sa[j], g->stride[row + j]); }
          if (rowFlags) fl[j] |= pf[b];
          acc[j] = accStep(acc[j], pv[b], ACCMODE, EXACT, R, ca, &fl[j], &inex[j]);
        }
      } else {
        const double x = g->dA[ik];
        const double *restrict bk = g->dB + kn;
        for (int j = j0; j < j1; j++) {
          uint32_t R = 0;
          uint8_t f = fl[j];
          uint64_t in = inex[j];
          double p;
          if (STYLE == STYLE_FUSED) {
            p = x * bk[j]; // exact
          } else if (MULSR) {
            sm[j] = xorshift32(sm[j]);
            p = mulStep(x, bk[j], SR, sm[j] >> rm, cm, &f, &in);
            sm[j] = skip(sm[j], g->stride[row + j]);
          } else {
            switch (mulMode) { // the same for every MAC: predicted
              case RNE: p = mulStep(x, bk[j], RNE, 0, cm, &f, &in); break;
              case RNA: p = mulStep(x, bk[j], RNA, 0, cm, &f, &in); break;
              case RTZ: p = mulStep(x, bk[j], RTZ, 0, cm, &f, &in); break;
              case RUP: p = mulStep(x, bk[j], RUP, 0, cm, &f, &in); break;
              case RDN: p = mulStep(x, bk[j], RDN, 0, cm, &f, &in); break;
              default: p = mulStep(x, bk[j], RTO, 0, cm, &f, &in); break;
            }
          }
          if (ACCMODE == SR) { sa[j] = xorshift32(sa[j]); R = sa[j] >> ra; sa[j] = skip(sa[j], g->stride[row + j]); }
          // A NaN or infinite product (NaN/Inf operand, ∞·0) takes the fma's own rules.
          if (STYLE == STYLE_FUSED && !LIKELY(isfinite(p))) acc[j] = fmaSlow(x, bk[j], acc[j], ca, R, &f);
          else acc[j] = accStep(acc[j], p, ACCMODE, EXACT, R, ca, &f, &in);
          fl[j] = f;
          inex[j] = in;
        }
      }
    }
    lanesFinish(g, L, row, j0, j1);
  }
}

// ---- exact (Kulisch) accumulation (docs/arithmetic.md §5.1) --------------------------------
//
// Every product x·y is a double (<= 48 significant bits) on the grid 2^exQ; it is added as the
// integer x·y·2^-exQ into a signed 128-bit register, which emu_gemm only picks when the
// register bound of §5.1 (W bits for K products) fits in 127 bits. Specials and the sign of a
// zero sum follow golden's addRaw chain; the sum is rounded once by the slow rounder, as
// s + t where s is the sum cut to 53 bits and t a quarter of s's last place standing for any
// bits cut (no rounding boundary of a <= 24-bit format with <= 24 random bits lies between).

static double roundWide(__int128 sum, const Gemm *g, uint32_t R, uint8_t *fl) {
  int neg = sum < 0;
  unsigned __int128 m = neg ? -(unsigned __int128)sum : (unsigned __int128)sum;
  uint64_t hi = (uint64_t)(m >> 64);
  int n = hi ? 128 - __builtin_clzll(hi) : 64 - __builtin_clzll((uint64_t)m);
  double s, t = 0;
  if (n <= 53) {
    s = (double)(uint64_t)m;
  } else {
    int sh = n - 53;
    unsigned __int128 rem = m & (((unsigned __int128)1 << sh) - 1);
    s = ldexp((double)(uint64_t)(m >> sh), sh);
    if (rem) t = ldexp(1.0, sh - 2);
  }
  s = ldexp(s, g->exQ);
  t = ldexp(t, g->exQ);
  return roundF64(neg ? -s : s, neg ? -t : t, &g->acc, R, fl);
}

/**
 * One output's exact sum in a register of type T (int64_t when §5.1's W fits in 63 bits, else
 * __int128), specials and zero signs as golden's addRaw chain, rounded once.
 */
#define EXACT_DOT(NAME, T)                                                                       \
  static void NAME(const Gemm *g, int i, int j) {                                               \
    const int K = g->K, N = g->N, rdn = g->acc.mode == RDN;                                     \
    const double scale = ldexp(1.0, -g->exQ);                                                   \
    int nan = 0, invalid = 0, inf = 0, infNeg = 0, zneg = 0;                                    \
    T sum = 0;                                                                                  \
    for (int k = 0; k < K; k++) {                                                               \
      const double x = g->dA[(int64_t)i * K + k], y = g->dB[(int64_t)k * N + j];                \
      const double p = x * y;                                                                   \
      if (LIKELY(p != 0 && isfinite(p))) {                                                      \
        if (inf) continue;                                                                      \
        const T P = (T)(p * scale); /* an integer below 2^(W-1): exact in T */                   \
        if (sum == 0) { sum = P; continue; }                                                    \
        sum += P;                                                                               \
        if (sum == 0) zneg = rdn; /* exact cancellation */                                      \
        continue;                                                                               \
      }                                                                                         \
      if (p != p) { nan = 1; invalid = x == x && y == y; break; } /* NaN operand, or ∞·0 */     \
      if (isinf(p)) {                                                                           \
        if (inf && infNeg != (p < 0)) { nan = 1; invalid = 1; break; } /* ∞ − ∞ */              \
        inf = 1; infNeg = p < 0;                                                                \
        continue;                                                                               \
      }                                                                                         \
      if (!inf && sum == 0 && zneg != (signbit(p) != 0)) zneg = rdn; /* zeros of both signs */  \
    }                                                                                           \
    uint8_t fl = 0;                                                                             \
    double v;                                                                                   \
    if (nan) v = nanResult(invalid, &g->acc.f, &fl);                                            \
    else if (inf) v = infinityResult(infNeg, &g->acc.f, &fl);                                   \
    else if (sum == 0) v = zneg ? -0.0 : 0.0;                                                   \
    else v = roundWide((__int128)sum, g, g->rExact ? g->rExact[(int64_t)i * N + j] : 0, &fl);   \
    g->out[(int64_t)i * N + j] = encode(v, &g->acc.f);                                          \
    g->flags[(int64_t)i * N + j] = fl;                                                          \
  }

EXACT_DOT(exactDot64, int64_t)
EXACT_DOT(exactDot128, __int128)

static void exactKernel(const Gemm *g, int i0, int i1, int j0, int j1) {
  for (int i = i0; i < i1; i++)
    for (int j = j0; j < j1; j++) {
      if (g->exW <= 63) exactDot64(g, i, j);
      else exactDot128(g, i, j);
    }
}

// ---- compensated (Kahan) accumulation (docs/arithmetic.md §5.2) ---------------------------
//
// Per output s and c, and per MAC y = round(a·b − c) (fused: the exact product, one rounding;
// separate: the rounded product), t = round(s + y), c = round(round(t − s) − y) unless t is
// Inf/NaN (then c = +0), s = t. Four accumulate-generator steps per MAC (y, t, t − s, c), one
// multiply step; between two MACs of an output the n − 1 other slots' steps are skipped.

/**
 * Rows i0..i1, columns j0..j1, k outer and j inner as kernel() does (the B row streams through
 * cache); s in L->acc, c in cmp. MODE is the accumulator's mode (a constant per instantiation).
 */
INLINE void kahanRows(const Gemm *g, int i0, int i1, int j0, int j1, const Lanes *L, double *restrict cmp, const int MODE) {
  const int K = g->K, N = g->N, sr = g->startA != NULL;
  const Step *cm = &g->mul, *ca = &g->acc;
  const int rm = 32 - cm->rbits, ra = 32 - ca->rbits;
  double *restrict acc = L->acc;
  uint64_t *restrict inex = L->inex;
  uint8_t *restrict fl = L->fl;
  uint32_t *restrict sm = L->sm, *restrict sa = L->sa;
  for (int i = i0; i < i1; i++) {
    const int64_t row = (int64_t)i * N;
    lanesStart(g, L, row, j0, j1, sr);
    for (int j = j0; j < j1; j++) cmp[j] = 0.0;
    for (int k = 0; k < K; k++) {
      const double x = g->dA[(int64_t)i * K + k];
      const double *restrict bk = g->dB + (int64_t)k * N;
      for (int j = j0; j < j1; j++) {
        uint32_t Rm = 0, R0 = 0, R1 = 0, R2 = 0, R3 = 0;
        if (sr) {
          uint32_t a = sa[j];
          sm[j] = xorshift32(sm[j]); Rm = sm[j] >> rm;
          a = xorshift32(a); R0 = a >> ra;
          a = xorshift32(a); R1 = a >> ra;
          a = xorshift32(a); R2 = a >> ra;
          a = xorshift32(a); R3 = a >> ra;
          const uint32_t n = g->stride[row + j];
          for (uint32_t q = 1; q < n; q++) { sm[j] = xorshift32(sm[j]); a = xorshift32(xorshift32(xorshift32(xorshift32(a)))); }
          sa[j] = a;
        }
        uint8_t f = fl[j];
        uint64_t in = inex[j];
        const double b = bk[j], s = acc[j], c = cmp[j];
        double y;
        if (g->fused) {
          const double p = x * b; // exact
          y = LIKELY(isfinite(p)) ? accStep(p, -c, MODE, 0, R0, ca, &f, &in) : fmaSlow(x, b, -c, ca, R0, &f);
        } else {
          const double p = cm->mode == SR ? mulStep(x, b, SR, Rm, cm, &f, &in) : mulSlow(x, b, cm, 0, &f);
          y = accStep(p, -c, MODE, 0, R0, ca, &f, &in);
        }
        const double t = accStep(s, y, MODE, 0, R1, ca, &f, &in);
        if (LIKELY(isfinite(t))) {
          const double d = accStep(t, -s, MODE, 0, R2, ca, &f, &in);
          cmp[j] = accStep(d, -y, MODE, 0, R3, ca, &f, &in);
        } else {
          cmp[j] = 0.0;
        }
        acc[j] = t;
        fl[j] = f;
        inex[j] = in;
      }
    }
    lanesFinish(g, L, row, j0, j1);
  }
}

/** Kahan on a thread's block; returns -1 when its compensation row cannot be allocated. */
static int kahanKernel(const Gemm *g, int i0, int i1, int j0, int j1, const Lanes *L) {
  double *cmp = malloc((size_t)g->N * sizeof(double));
  if (!cmp) return -1;
  switch (g->acc.mode) {
    case RNE: kahanRows(g, i0, i1, j0, j1, L, cmp, RNE); break;
    case RNA: kahanRows(g, i0, i1, j0, j1, L, cmp, RNA); break;
    case RTZ: kahanRows(g, i0, i1, j0, j1, L, cmp, RTZ); break;
    case RUP: kahanRows(g, i0, i1, j0, j1, L, cmp, RUP); break;
    case RDN: kahanRows(g, i0, i1, j0, j1, L, cmp, RDN); break;
    case RTO: kahanRows(g, i0, i1, j0, j1, L, cmp, RTO); break;
    default: kahanRows(g, i0, i1, j0, j1, L, cmp, SR); break;
  }
  free(cmp);
  return 0;
}

#define KERNEL_MODES(STYLE, EXACT, MULSR)                                                   \
  switch (g->acc.mode) {                                                                    \
    case RNE: kernel(g, w->i0, w->i1, w->j0, w->j1, L, STYLE, RNE, EXACT, MULSR); break;    \
    case RNA: kernel(g, w->i0, w->i1, w->j0, w->j1, L, STYLE, RNA, EXACT, MULSR); break;    \
    case RTZ: kernel(g, w->i0, w->i1, w->j0, w->j1, L, STYLE, RTZ, EXACT, MULSR); break;    \
    case RUP: kernel(g, w->i0, w->i1, w->j0, w->j1, L, STYLE, RUP, EXACT, MULSR); break;    \
    case RDN: kernel(g, w->i0, w->i1, w->j0, w->j1, L, STYLE, RDN, EXACT, MULSR); break;    \
    case RTO: kernel(g, w->i0, w->i1, w->j0, w->j1, L, STYLE, RTO, EXACT, MULSR); break;    \
    default: kernel(g, w->i0, w->i1, w->j0, w->j1, L, STYLE, SR, EXACT, MULSR); break;      \
  }

static int runKernel(const Gemm *g, const Work *w, const Lanes *L) {
  if (g->accum == ACCUM_EXACT) {
    exactKernel(g, w->i0, w->i1, w->j0, w->j1);
  } else if (g->accum == ACCUM_KAHAN) {
    return kahanKernel(g, w->i0, w->i1, w->j0, w->j1, L);
  } else if (g->style == STYLE_TABLE) {
    if (g->exact) { KERNEL_MODES(STYLE_TABLE, 1, 0) } else { KERNEL_MODES(STYLE_TABLE, 0, 0) }
  } else if (g->style == STYLE_FUSED) {
    if (g->exact) { KERNEL_MODES(STYLE_FUSED, 1, 0) } else { KERNEL_MODES(STYLE_FUSED, 0, 0) }
  } else if (g->srMul) {
    if (g->exact) { KERNEL_MODES(STYLE_DIRECT, 1, 1) } else { KERNEL_MODES(STYLE_DIRECT, 0, 1) }
  } else {
    if (g->exact) { KERNEL_MODES(STYLE_DIRECT, 1, 0) } else { KERNEL_MODES(STYLE_DIRECT, 0, 0) }
  }
  return 0;
}

// ---- the float32 vector kernel (AVX-512F, docs/emu.md "Vector kernel") ----------------------
//
// separate style, mul and acc in the same format F (fp16 or bf16, ieee, subnormals, overflow to
// infinity), modes rne or sr, operands whose products are exact in float32; or fused into such
// an F when the products also have no more bits than F (vectorFormat). 16 output columns per
// vector, U vectors per block kept in registers over the whole k loop.
//   product  p = a·b exact in float32; rne: one correct rounding to F on the float32 bits
//            (vrne); sr: R added below the kept bits on the float32 bits, and for fp16 below
//            2^-14 the fixed-quantum rule; fused: no rounding.
//   sum      s = fl32(acc + p) with its TwoSum tail t. rne: round_F(s) = round_F(acc + p)
//            (float32 has 24 >= 2·11 + 2 bits: double rounding is innocuous, Figueroa 1995);
//            sr: |x| lies strictly between s and its float32 neighbour towards t, and every sr
//            threshold of F is a float32 grid point, so rounding the bits of s (one float32 ulp
//            less when t points towards zero) decides as the exact value would.
//   flags    inexact (p != round(p), s != round(s), t != 0) and underflow (rne: tiny after
//            rounding is |v| < 2^emin - 2^(emin-M-2); sr: the same R at M+1 bits; a separate
//            sum below 2^emin is exact, so only products, and fused sums, can underflow) are
//            kept as masks. Everything else (NaN, Inf, overflow; a non-zero bf16 sr product, or
//            fused sr sum, below 2^emin) marks the lane, and that output is recomputed by the
//            scalar kernel above.
#if EMU_X86
#define VTARGET __attribute__((target("avx512f")))
#define VINLINE static inline __attribute__((always_inline, target("avx512f")))

VINLINE __m512 vabs(__m512 x) { return _mm512_castsi512_ps(_mm512_and_si512(_mm512_castps_si512(x), _mm512_set1_epi32(0x7fffffff))); }

/**
 * x rounded rne to F. fp16: the float32 bits rounded at 13 dropped bits in fp16's normal range,
 * (|x| + 1/2) - 1/2 (ulp 2^-24 there) below 2^-14; a finite result above max (an overflow) is
 * marked in *bad, whatever value it holds. (vcvtps2ph + vcvtph2ps gives the same bits and handles
 * overflow itself, but costs about twice as much on Zen 4.) bf16: the rounding on the bits is
 * right in every range, overflow included. NaNs stay NaNs: every NaN this kernel makes has its
 * low 22 bits zero, so the increment cannot carry.
 */
VINLINE __m512 vrne(__m512 x, const int FMT, const __m512 mx, __mmask16 *bad) {
  const __m512i u = _mm512_castps_si512(x);
  if (FMT == VF_FP16) {
    const __m512i inc = _mm512_add_epi32(_mm512_set1_epi32(0xfff), _mm512_and_si512(_mm512_srli_epi32(u, 13), _mm512_set1_epi32(1)));
    const __m512 nrm = _mm512_castsi512_ps(_mm512_and_si512(_mm512_add_epi32(u, inc), _mm512_set1_epi32(-(1 << 13))));
    const __m512 ax = vabs(x), half = _mm512_set1_ps(0.5f);
    const __m512 sub = _mm512_castsi512_ps(_mm512_or_si512(_mm512_castps_si512(_mm512_sub_ps(_mm512_add_ps(ax, half), half)),
                                                           _mm512_and_si512(u, _mm512_set1_epi32((int)0x80000000u))));
    const __m512 r = _mm512_mask_mov_ps(nrm, _mm512_cmp_ps_mask(ax, _mm512_set1_ps(0x1p-14f), _CMP_LT_OQ), sub);
    *bad |= _mm512_cmp_ps_mask(vabs(r), mx, _CMP_GT_OQ);
    return r;
  }
  const __m512i inc = _mm512_add_epi32(_mm512_set1_epi32(0x7fff), _mm512_and_si512(_mm512_srli_epi32(u, 16), _mm512_set1_epi32(1)));
  return _mm512_castsi512_ps(_mm512_and_si512(_mm512_add_epi32(u, inc), _mm512_set1_epi32((int)0xffff0000u)));
}

/** sr on the bits u of a value in F's normal range: add R at the dropped bits, truncate. */
VINLINE __m512 vsrBits(__m512i u, __m512i state, __m512i rmask, const int FMT) {
  const int sh = FMT == VF_FP16 ? 13 : 16;
  const __m512i Rs = _mm512_and_si512(_mm512_srli_epi32(state, 32 - sh), rmask); // R << (sh - r)
  return _mm512_castsi512_ps(_mm512_and_si512(_mm512_add_epi32(u, Rs), _mm512_set1_epi32(-(1 << sh))));
}

VINLINE __m512i vxorshift(__m512i x) {
  x = _mm512_xor_si512(x, _mm512_slli_epi32(x, 13));
  x = _mm512_xor_si512(x, _mm512_srli_epi32(x, 17));
  return _mm512_xor_si512(x, _mm512_slli_epi32(x, 5));
}

/** skip() per lane: lane l steps n_l - 1 more times (n at most maxN, the interleave). */
VINLINE __m512i vskip(__m512i x, __m512i n, int maxN) {
  for (int q = 1; q < maxN; q++) x = _mm512_mask_mov_epi32(x, _mm512_cmpgt_epi32_mask(n, _mm512_set1_epi32(q)), vxorshift(x));
  return x;
}

static void scalarOne(const Gemm *g, const Lanes *L, int i, int j) {
  Work w1 = { g, i, i + 1, j, j + 1, 0 };
  (void)runKernel(g, &w1, L);
}

/** Outputs (i, j .. j + 16·U), the last vector limited to `tail` lanes when TAIL. */
VINLINE void vblock(const Gemm *g, const Lanes *L, int i, int j, __mmask16 tail,
                    const int U, const int TAIL, const int FMT, const int FUSED, const int MULSR, const int ACCSR, const int UFCHK) {
  const int K = g->K, N = g->N;
  const int64_t row = (int64_t)i * N + j;
  const __m512 zero = _mm512_setzero_ps(), lo = _mm512_set1_ps(g->vlo), mx = _mm512_set1_ps(g->vmax), tiny = _mm512_set1_ps(g->vtiny);
  const __m512i rmM = _mm512_set1_epi32((int)g->vrmM), rmA = _mm512_set1_epi32((int)g->vrmA), one = _mm512_set1_epi32(1);
  const __m512 scM = _mm512_set1_ps(MULSR ? (float)pow2(24 + g->mul.rbits) : 0.0f);
  const __m512i limM = _mm512_set1_epi32(MULSR ? 1 << (11 + g->mul.rbits) : 0);
  __m512 acc[U];
  __m512i sm[U], sa[U], st[U];
  __mmask16 inex[U], uf[U], bad[U];
  for (int u = 0; u < U; u++) {
    const __mmask16 mk = TAIL && u == U - 1 ? tail : 0xffff;
    acc[u] = g->fC ? _mm512_maskz_loadu_ps(mk, g->fC + row + 16 * u) : zero;
    if (MULSR) sm[u] = _mm512_maskz_loadu_epi32(mk, g->startM + row + 16 * u);
    if (ACCSR) sa[u] = _mm512_maskz_loadu_epi32(mk, g->startA + row + 16 * u);
    if (MULSR || ACCSR) st[u] = _mm512_maskz_loadu_epi32(mk, g->stride + row + 16 * u);
    inex[u] = 0; uf[u] = 0; bad[u] = 0;
  }
  const float *a = g->fA + (int64_t)i * K;
  const float *b = g->fB + j;
  for (int k = 0; k < K; k++) {
    const __m512 x = _mm512_set1_ps(a[k]);
    const float *bk = b + (int64_t)k * N;
    for (int u = 0; u < U; u++) {
      const __m512 bv = TAIL && u == U - 1 ? _mm512_maskz_loadu_ps(tail, bk + 16 * u) : _mm512_loadu_ps(bk + 16 * u);
      const __m512 p = _mm512_mul_ps(x, bv); // exact
      __m512 pr;
      if (FUSED) {
        pr = p; // one rounding, of acc + p below
      } else if (MULSR) {
        sm[u] = vxorshift(sm[u]);
        const __m512i smNow = sm[u];
        sm[u] = vskip(sm[u], st[u], g->maxStride);
        const __m512 ap = vabs(p);
        const __mmask16 small = _mm512_cmp_ps_mask(ap, lo, _CMP_LT_OQ);
        pr = _mm512_mask_mov_ps(vsrBits(_mm512_castps_si512(p), smNow, rmM, FMT), small, p);
        bad[u] |= _mm512_cmp_ps_mask(vabs(pr), mx, _CMP_NLE_UQ);
        if (FMT == VF_FP16 && UFCHK) {
          // Below 2^-14 the quantum is 2^-24: n = floor(|p|·2^(24+r)), k = (n + R) >> r. Tiny
          // after rounding at 11 bits (quantum 2^-25, the same R) unless floor(|p|·2^(25+r)) + R
          // reaches 2^(11+r). Exact: |p|·2^(25+r) < 2^24.
          if (small) {
            const __m512i R = _mm512_srli_epi32(smNow, 32 - g->mul.rbits);
            const __m512i n = _mm512_cvttps_epi32(_mm512_mul_ps(ap, scM));
            const __m512i kq = _mm512_srli_epi32(_mm512_add_epi32(n, R), g->mul.rbits);
            const __m512 v = _mm512_mul_ps(_mm512_cvtepi32_ps(kq), _mm512_set1_ps(0x1p-24f));
            const __m512 sv = _mm512_castsi512_ps(_mm512_or_si512(_mm512_castps_si512(v), _mm512_and_si512(_mm512_castps_si512(p), _mm512_set1_epi32((int)0x80000000u))));
            pr = _mm512_mask_mov_ps(pr, small, sv);
            const __m512i n2 = _mm512_add_epi32(_mm512_cvttps_epi32(_mm512_mul_ps(ap, _mm512_add_ps(scM, scM))), R);
            const __mmask16 tinyM = _mm512_mask_cmplt_epi32_mask(small, n2, limM);
            uf[u] |= tinyM & _mm512_cmp_ps_mask(pr, p, _CMP_NEQ_OQ);
          }
        } else {
          bad[u] |= _mm512_mask_cmp_ps_mask(small, p, zero, _CMP_NEQ_UQ);
        }
        inex[u] |= _mm512_cmp_ps_mask(pr, p, _CMP_NEQ_OQ);
      } else {
        pr = vrne(p, FMT, mx, &bad[u]);
        const __mmask16 in = _mm512_cmp_ps_mask(pr, p, _CMP_NEQ_OQ);
        inex[u] |= in;
        if (UFCHK) uf[u] |= _mm512_mask_cmp_ps_mask(in, vabs(p), tiny, _CMP_LT_OQ);
      }
      const __m512 s = _mm512_add_ps(acc[u], pr);
      const __m512 bb = _mm512_sub_ps(s, acc[u]);
      const __m512 t = _mm512_add_ps(_mm512_sub_ps(acc[u], _mm512_sub_ps(s, bb)), _mm512_sub_ps(pr, bb));
      const __mmask16 tail1 = _mm512_cmp_ps_mask(t, zero, _CMP_NEQ_OQ);
      __m512 h;
      if (ACCSR) {
        sa[u] = vxorshift(sa[u]);
        const __m512i saNow = sa[u];
        sa[u] = vskip(sa[u], st[u], g->maxStride);
        __m512i us = _mm512_castps_si512(s);
        // t pointing towards zero: the exact |x| is just below |s|, take the float32 below it
        const __mmask16 down = _mm512_mask_cmplt_epi32_mask(tail1, _mm512_xor_si512(_mm512_castps_si512(t), us), _mm512_setzero_si512());
        us = _mm512_mask_sub_epi32(us, down, us, one);
        // Below 2^emin the sum is exact (t = 0) and on F's grid, so the float32 bits below F's
        // kept bits are zero there too (±0 included): the bit rounding leaves it as it is.
        h = vsrBits(us, saNow, rmA, FMT);
        bad[u] |= _mm512_cmp_ps_mask(vabs(h), mx, _CMP_NLE_UQ);
        // fused: p need not be on F's grid, so a sum below 2^emin may need rounding there
        if (FUSED && UFCHK) bad[u] |= _mm512_cmp_ps_mask(vabs(s), lo, _CMP_LT_OQ) & _mm512_cmp_ps_mask(s, zero, _CMP_NEQ_UQ);
      } else {
        h = vrne(s, FMT, mx, &bad[u]);
        // fused: a sum below 2^emin is exact in float32 (vectorFormat), so s is the exact value
        if (FUSED && UFCHK) uf[u] |= _mm512_mask_cmp_ps_mask(tail1 | _mm512_cmp_ps_mask(h, s, _CMP_NEQ_OQ), vabs(s), tiny, _CMP_LT_OQ);
      }
      inex[u] |= tail1 | _mm512_cmp_ps_mask(h, s, _CMP_NEQ_OQ);
      acc[u] = h;
    }
  }
  const __m512 inf = _mm512_set1_ps(INFINITY);
  for (int u = 0; u < U; u++) {
    const __mmask16 mk = TAIL && u == U - 1 ? tail : 0xffff;
    bad[u] |= _mm512_cmp_ps_mask(vabs(acc[u]), inf, _CMP_NLT_UQ); // Inf or NaN
    __m512i code = FMT == VF_FP16 ? _mm512_cvtepu16_epi32(_mm512_cvtps_ph(acc[u], _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC))
                                  : _mm512_srli_epi32(_mm512_castps_si512(acc[u]), 16);
    const __m512i fl = _mm512_or_si512(_mm512_maskz_mov_epi32(inex[u], _mm512_set1_epi32(F_INEXACT)),
                                       _mm512_maskz_mov_epi32(uf[u], _mm512_set1_epi32(F_UNDERFLOW | F_INEXACT)));
    _mm512_mask_storeu_epi32(g->out + row + 16 * u, mk, code);
    _mm512_mask_cvtepi32_storeu_epi8(g->flags + row + 16 * u, mk, fl);
    for (unsigned m = bad[u] & mk; m; m &= m - 1) scalarOne(g, L, i, j + 16 * u + __builtin_ctz(m));
  }
}

VINLINE void vrows(const Gemm *g, const Work *w, const Lanes *L, const int FMT, const int FUSED, const int MULSR, const int ACCSR, const int UFCHK) {
  for (int i = w->i0; i < w->i1; i++) {
    int j = w->j0;
    for (; j + 64 <= w->j1; j += 64) vblock(g, L, i, j, 0xffff, 4, 0, FMT, FUSED, MULSR, ACCSR, UFCHK);
    for (; j + 16 <= w->j1; j += 16) vblock(g, L, i, j, 0xffff, 1, 0, FMT, FUSED, MULSR, ACCSR, UFCHK);
    if (j < w->j1) vblock(g, L, i, j, (__mmask16)((1u << (w->j1 - j)) - 1), 1, 1, FMT, FUSED, MULSR, ACCSR, UFCHK);
  }
}

#define VROWS_MODES(FMT, UFCHK)                                         \
  if (g->vfused) {                                                      \
    if (srA) vrows(g, w, L, FMT, 1, 0, 1, UFCHK);                       \
    else vrows(g, w, L, FMT, 1, 0, 0, UFCHK);                           \
  } else if (srM && srA) vrows(g, w, L, FMT, 0, 1, 1, UFCHK);           \
  else if (srM) vrows(g, w, L, FMT, 0, 1, 0, UFCHK);                    \
  else if (srA) vrows(g, w, L, FMT, 0, 0, 1, UFCHK);                    \
  else vrows(g, w, L, FMT, 0, 0, 0, UFCHK);

static VTARGET void runVector(const Gemm *g, const Work *w, const Lanes *L) {
  const int srM = !g->vfused && g->mul.mode == SR, srA = g->acc.mode == SR;
  if (g->vec == VF_FP16) {
    if (g->vufchk) { VROWS_MODES(VF_FP16, 1) } else { VROWS_MODES(VF_FP16, 0) }
  } else {
    if (g->vufchk) { VROWS_MODES(VF_BF16, 1) } else { VROWS_MODES(VF_BF16, 0) }
  }
}

static int cpuHasVector(void) {
  __builtin_cpu_init();
  if (!__builtin_cpu_supports("avx512f")) return 0;
  // The kernel assumes IEEE float32 arithmetic: round to nearest, no flush or denormals-are-zero.
  return (_mm_getcsr() & 0xe040) == 0;
}
#else
static void runVector(const Gemm *g, const Work *w, const Lanes *L) { (void)runKernel(g, w, L); }
static int cpuHasVector(void) { return 0; }
#endif

int emu_simd(void) { return cpuHasVector(); }

static void *work(void *arg) {
  Work *w = (Work *)arg;
  size_t n = (size_t)w->g->N;
  Lanes L;
  L.acc = malloc(n * sizeof(double));
  L.inex = malloc(n * sizeof(uint64_t));
  L.fl = malloc(n);
  L.sm = malloc(n * sizeof(uint32_t));
  L.sa = malloc(n * sizeof(uint32_t));
  if (L.acc && L.inex && L.fl && L.sm && L.sa) {
    w->rc = 0;
    if (w->g->vec) runVector(w->g, w, &L);
    else w->rc = runKernel(w->g, w, &L);
  } else {
    w->rc = -1;
  }
  free(L.acc); free(L.inex); free(L.fl); free(L.sm); free(L.sa);
  return NULL;
}

// ---- random streams (docs/arithmetic.md §5) -----------------------------------------------------
//
// xorshift32 is linear over GF(2): K steps are one 32×32 bit matrix J = T^K, so the state of
// every PE at the start of tile t is J^t · reset state. The start state of every output is
// computed up front; outputs are then independent and any split across threads gives the
// same bits.

typedef struct { uint32_t col[32]; } Mat; // col[b]: image of bit b

static uint32_t matVec(const Mat *m, uint32_t v) {
  uint32_t r = 0;
  while (v) { r ^= m->col[__builtin_ctz(v)]; v &= v - 1; }
  return r;
}

static void matMul(Mat *out, const Mat *a, const Mat *b) {
  Mat r;
  for (int i = 0; i < 32; i++) r.col[i] = matVec(a, b->col[i]);
  *out = r;
}

/** Byte-sliced tables of J = T^steps: J·v = t[0][v & 255] ^ t[1][v >> 8 & 255] ^ … */
static void jumpTables(int64_t steps, uint32_t t[4][256]) {
  Mat base, res;
  for (int b = 0; b < 32; b++) { base.col[b] = xorshift32(1u << b); res.col[b] = 1u << b; }
  for (; steps > 0; steps >>= 1) {
    if (steps & 1) matMul(&res, &res, &base);
    matMul(&base, &base, &base);
  }
  for (int p = 0; p < 4; p++)
    for (int v = 0; v < 256; v++) t[p][v] = matVec(&res, (uint32_t)v << (8 * p));
}

INLINE uint32_t jump(uint32_t t[4][256], uint32_t v) {
  return t[0][v & 255] ^ t[1][(v >> 8) & 255] ^ t[2][(v >> 16) & 255] ^ t[3][v >> 24];
}

static uint32_t fmix32(uint32_t h) {
  h ^= h >> 16; h *= 0x85ebca6bu; h ^= h >> 13; h *= 0xc2b2ae35u; h ^= h >> 16;
  return h;
}

static uint32_t streamSeed(uint32_t seed, int64_t pe, int stream) {
  uint32_t s = seed ^ fmix32((uint32_t)(2 * pe + stream));
  return s ? s : 0x6d2b79f5u;
}

/**
 * startM/startA[i·N + j]: the PE's generator states when output (i, j) begins; stride[i·N + j]:
 * the tiles of its group. Tiles run row-major in groups of L; in a group a PE performs its MACs
 * k-major, then tile, so slot s starts s steps after the group and a full group moves every
 * PE's generators K·L steps.
 */
static void streamStarts(int M, int K, int N, int rows, int cols, int L, int accPer, uint32_t seed, uint32_t *startM, uint32_t *startA, uint32_t *stride) {
  static uint32_t t[4][256], ta[4][256];
  jumpTables((int64_t)K * L, t);
  jumpTables((int64_t)K * L * accPer, ta);
  int64_t tilesN = (N + (int64_t)cols - 1) / cols, tiles = (M + (int64_t)rows - 1) / rows * tilesN;
  // PEs outside the matrix (r >= M or c >= N) never produce an output: skip them.
  int rMax = rows < M ? rows : M, cMax = cols < N ? cols : N;
  for (int r = 0; r < rMax; r++) {
    for (int c = 0; c < cMax; c++) {
      int64_t pe = (int64_t)r * cols + c;
      uint32_t sm = streamSeed(seed, pe, 1), sa = streamSeed(seed, pe, 2);
      for (int64_t t0 = 0; t0 < tiles; t0 += L) {
        int n = tiles - t0 < L ? (int)(tiles - t0) : L;
        uint32_t xm = sm, xa = sa;
        for (int s = 0; s < n; s++) {
          int64_t tile = t0 + s, i = tile / tilesN * rows + r, j = tile % tilesN * cols + c;
          if (i < M && j < N) { startM[i * N + j] = xm; startA[i * N + j] = xa; stride[i * N + j] = (uint32_t)n; }
          xm = xorshift32(xm);
          for (int d = 0; d < accPer; d++) xa = xorshift32(xa);
        }
        sm = jump(t, sm);
        sa = jump(ta, sa);
      }
    }
  }
}

/** ACCUM_EXACT under sr: each output's R; a PE's accumulate generator steps once per tile (§5.1). */
static void exactRands(int M, int N, int rows, int cols, int rbits, uint32_t seed, uint32_t *R) {
  int64_t tilesN = (N + (int64_t)cols - 1) / cols, tiles = (M + (int64_t)rows - 1) / rows * tilesN;
  int rMax = rows < M ? rows : M, cMax = cols < N ? cols : N;
  for (int r = 0; r < rMax; r++) {
    for (int c = 0; c < cMax; c++) {
      uint32_t sa = streamSeed(seed, (int64_t)r * cols + c, 2);
      for (int64_t tile = 0; tile < tiles; tile++) {
        sa = xorshift32(sa);
        int64_t i = tile / tilesN * rows + r, j = tile % tilesN * cols + c;
        if (i < M && j < N) R[i * N + j] = sa >> (32 - rbits);
      }
    }
  }
}

/** Bits of |K| (at least 1): the guard bits of an exact register holding K products. */
static int bitLen(int64_t v) { int n = 1; while (v >> n) n++; return n; }

// ---- entry point --------------------------------------------------------------------------------

/** Every sum acc + p is a double when the two grids and ranges fit in 53 bits together. */
static int sumIsExact(const Fmt *a, const Fmt *b, const Step *mul, const Step *acc, int fused) {
  int pTop, pQ;
  if (fused) { pTop = a->emax + 1 + b->emax + 1; pQ = a->emin - a->man + b->emin - b->man; }
  else { pTop = mul->f.emax + 1; pQ = mul->f.emin - mul->f.man; }
  int aTop = acc->f.emax + 1, aQ = acc->f.emin - acc->f.man;
  int top = (pTop > aTop ? pTop : aTop) + 1, q = pQ < aQ ? pQ : aQ;
  return top - q <= 53;
}

/** F is fp16 or bf16 as presets define them (ieee, subnormals, overflow to infinity)? */
static int vectorFmt(const Fmt *f) {
  if (!f->sub || f->specials != IEEE || f->sat) return VF_NONE;
  if (f->exp == 5 && f->man == 10) return VF_FP16;
  if (f->exp == 8 && f->man == 7) return VF_BF16;
  return VF_NONE;
}

/**
 * Which vector kernel takes this GEMM, or VF_NONE: separate style, mul and acc in the same
 * fp16/bf16 format, rne or sr (rbits at most the dropped float32 bits), every product of the
 * operands exact in float32 (significands fit in 24 bits, no float32 overflow, the smallest
 * product at or above float32's smallest subnormal), the CPU has AVX-512F and IEEE MXCSR.
 */
static int vectorFormat(const Fmt *fa, const Fmt *fb, const Step *mul, const Step *acc, int fused) {
  int vf = vectorFmt(&acc->f);
  if (fused) {
    // fused: acc + a·b rounded once. The product must be a number of F's precision (then the
    // Figueroa argument holds for acc + p), and a sum below 2^emin must be exact in float32:
    // its bits run from 2^emin down to the finer of F's quantum and the products' quantum.
    if (!vf || fa->man + 1 + fb->man + 1 > acc->f.man + 1) return VF_NONE;
    if (fa->emin - fa->man + fb->emin - fb->man < acc->f.emin - 24) return VF_NONE;
    mul = acc;
  }
  if (!vf || vectorFmt(&mul->f) != vf) return VF_NONE;
  const int sh = vf == VF_FP16 ? 13 : 16;
  for (int t = 0; t < 2; t++) {
    const Step *s = t ? acc : mul;
    if (s->mode != RNE && !(s->mode == SR && s->rbits >= 1 && s->rbits <= sh)) return VF_NONE;
  }
  if (fa->man + 1 + fb->man + 1 > 24) return VF_NONE;
  if (fa->emax + 1 + fb->emax + 1 > 128) return VF_NONE;
  if (fa->emin - fa->man + fb->emin - fb->man < -149) return VF_NONE;
  return cpuHasVector() ? vf : VF_NONE;
}

/** Decodes n codes (through a table of every code when the format is narrow). */
static int decodeAll(const uint32_t *codes, size_t n, const Fmt *f, double *out) {
  int w = 1 + f->exp + f->man;
  if (w > 16 || n < ((size_t)1 << w)) {
    for (size_t i = 0; i < n; i++) out[i] = decode(codes[i], f);
    return 1;
  }
  double *t = malloc(sizeof(double) << w);
  if (!t) return 0;
  for (uint32_t c = 0; c < (1u << w); c++) t[c] = decode(c, f);
  for (size_t i = 0; i < n; i++) out[i] = t[codes[i]];
  free(t);
  return 1;
}

// Layout of the int32 parameter block (train/emu/params.ts writes it).
enum {
  P_A = 0, P_B = 5, P_MUL = 10, P_ACC = 15, P_MUL_MODE = 20, P_MUL_RBITS, P_ACC_MODE, P_ACC_RBITS,
  P_FUSED, P_M, P_K, P_N, P_HAS_C0, P_SR, P_ROWS, P_COLS, P_INTERLEAVE, P_SEED, P_THREADS, P_TABLE,
  P_USED, // written back: 1 when the vector kernel ran, else 0
  P_ACCUM, // ACCUM_*
  P_COUNT
};

int emu_param_count(void) { return P_COUNT; }

/**
 * C = A·B as golden's gemm (accumulator codes, before any output conversion).
 * Returns 0, 1 when a case needs golden's exact path (the caller falls back), -1 out of memory.
 */
int emu_gemm(int32_t *P, const uint32_t *A, const uint32_t *B, const uint32_t *c0, uint32_t *out, uint8_t *flags) {
  Gemm g;
  memset(&g, 0, sizeof g);
  Fmt fa, fb;
  fmtInit(&fa, P + P_A);
  fmtInit(&fb, P + P_B);
  stepInit(&g.mul, P + P_MUL, P[P_MUL_MODE], P[P_MUL_RBITS]);
  stepInit(&g.acc, P + P_ACC, P[P_ACC_MODE], P[P_ACC_RBITS]);
  int fused = P[P_FUSED], M = P[P_M], K = P[P_K], N = P[P_N], threads = P[P_THREADS];
  g.M = M; g.K = K; g.N = N; g.A = A; g.B = B; g.out = out; g.flags = flags;
  g.srMul = !fused && g.mul.mode == SR;
  g.exact = sumIsExact(&fa, &fb, &g.mul, &g.acc, fused);
  int wa = 1 + fa.exp + fa.man, wb = 1 + fb.exp + fb.man;
  g.accum = P[P_ACCUM];
  g.fused = fused;
  if (g.accum == ACCUM_EXACT) {
    // The 128-bit register of §5.1: W = (emax_a + emax_b + 2) - exQ + guard + sign bits. Wider
    // (or with c0, whose grid and range are the accumulator's): golden's BigInt path answers.
    g.exQ = fa.emin - fa.man + fb.emin - fb.man;
    g.exW = (fa.emax + fb.emax + 2) - g.exQ + bitLen(K) + 1;
    if (P[P_HAS_C0] || g.exW > 127) return 1;
  }
  g.vec = P[P_TABLE] == 0 && g.accum == ACCUM_PLAIN ? vectorFormat(&fa, &fb, &g.mul, &g.acc, fused) : VF_NONE;
  int table = !g.vec && g.accum == ACCUM_PLAIN && !fused && g.mul.mode != SR && wa + wb <= 16 && P[P_TABLE] != 1;
  g.style = fused ? STYLE_FUSED : table ? STYLE_TABLE : STYLE_DIRECT;
  unsupported = 0;
  P[P_USED] = g.vec ? 1 : 0;

  double *tabV = NULL, *dA = NULL, *dB = NULL, *dC = NULL;
  float *fA = NULL, *fB = NULL, *fC = NULL;
  uint8_t *tabF = NULL, *tabAny = NULL;
  uint32_t *startM = NULL, *startA = NULL, *stride = NULL, *rExact = NULL;
  Work *w = NULL;
  pthread_t *tid = NULL;
  int rc = -1;
  size_t mk = (size_t)M * K, kn = (size_t)K * N, mn = (size_t)M * N;

  if (table) {
    size_t na = (size_t)1 << wa, nb = (size_t)1 << wb;
    g.nb = (int)nb;
    tabV = malloc(na * nb * sizeof(double));
    tabF = calloc(na * nb, 1);
    tabAny = calloc(na, 1);
    if (!tabV || !tabF || !tabAny) goto done;
    for (size_t a = 0; a < na; a++) {
      double x = decode((uint32_t)a, &fa);
      for (size_t b = 0; b < nb; b++) {
        tabV[a * nb + b] = mulSlow(x, decode((uint32_t)b, &fb), &g.mul, 0, &tabF[a * nb + b]);
        tabAny[a] |= tabF[a * nb + b];
      }
    }
    g.tabV = tabV; g.tabF = tabF; g.tabAny = tabAny;
  } else {
    dA = malloc(mk * sizeof(double));
    dB = malloc(kn * sizeof(double));
    if (!dA || !dB) goto done;
    if (!decodeAll(A, mk, &fa, dA) || !decodeAll(B, kn, &fb, dB)) goto done;
    g.dA = dA; g.dB = dB;
  }
  if (P[P_HAS_C0]) {
    dC = malloc(mn * sizeof(double));
    if (!dC) goto done;
    if (!decodeAll(c0, mn, &g.acc.f, dC)) goto done;
    g.c0 = dC;
  }
  if (g.vec) {
    // float32 copies (exact: E <= 8, M <= 23); the decoded doubles stay for the scalar lanes.
    fA = malloc(mk * sizeof(float));
    fB = malloc(kn * sizeof(float));
    if (!fA || !fB) goto done;
    for (size_t i = 0; i < mk; i++) fA[i] = (float)dA[i];
    for (size_t i = 0; i < kn; i++) fB[i] = (float)dB[i];
    if (dC) {
      if (!(fC = malloc(mn * sizeof(float)))) goto done;
      for (size_t i = 0; i < mn; i++) fC[i] = (float)dC[i];
    }
    g.fA = fA; g.fB = fB; g.fC = fC;
    const Fmt *F = &g.acc.f;
    g.vlo = (float)pow2(F->emin);
    g.vmax = (float)F->maxValue;
    g.vtiny = (float)(pow2(F->emin) - pow2(F->emin - F->man - 2));
    const int sh = g.vec == VF_FP16 ? 13 : 16;
    g.vrmM = g.mul.mode == SR ? ((1u << g.mul.rbits) - 1) << (sh - g.mul.rbits) : 0;
    g.vrmA = g.acc.mode == SR ? ((1u << g.acc.rbits) - 1) << (sh - g.acc.rbits) : 0;
    // Can a non-zero product lie below 2^emin of F (then rne checks its tininess)?
    g.vufchk = fa.emin - fa.man + fb.emin - fb.man < F->emin;
    g.vfused = fused;
  }
  if (P[P_SR] && g.accum == ACCUM_EXACT) {
    if (!(rExact = malloc(mn * sizeof(uint32_t)))) goto done;
    exactRands(M, N, P[P_ROWS], P[P_COLS], g.acc.rbits, (uint32_t)P[P_SEED], rExact);
    g.rExact = rExact;
  } else if (P[P_SR]) {
    startM = malloc(mn * sizeof(uint32_t));
    startA = malloc(mn * sizeof(uint32_t));
    stride = malloc(mn * sizeof(uint32_t));
    if (!startM || !startA || !stride) goto done;
    streamStarts(M, K, N, P[P_ROWS], P[P_COLS], P[P_INTERLEAVE], g.accum == ACCUM_KAHAN ? 4 : 1, (uint32_t)P[P_SEED], startM, startA, stride);
    g.startM = startM; g.startA = startA; g.stride = stride; g.maxStride = P[P_INTERLEAVE];
  }

  // Split the outputs: rows when there are enough, else columns.
  if (threads < 1) threads = 1;
  int byRows = M >= threads;
  int extent = byRows ? M : N;
  if (threads > extent) threads = extent;
  w = calloc((size_t)threads, sizeof(Work));
  tid = calloc((size_t)threads, sizeof(pthread_t));
  if (!w || !tid) goto done;
  for (int t = 0; t < threads; t++) {
    int lo = (int)((int64_t)extent * t / threads), hi = (int)((int64_t)extent * (t + 1) / threads);
    w[t].g = &g;
    w[t].rc = -1;
    if (byRows) { w[t].i0 = lo; w[t].i1 = hi; w[t].j0 = 0; w[t].j1 = N; }
    else { w[t].i0 = 0; w[t].i1 = M; w[t].j0 = lo; w[t].j1 = hi; }
  }
  int started = 1;
  for (int t = 1; t < threads; t++) {
    if (pthread_create(&tid[t], NULL, work, &w[t]) != 0) break;
    started++;
  }
  work(&w[0]);
  for (int t = 1; t < started; t++) pthread_join(tid[t], NULL);
  for (int t = started; t < threads; t++) work(&w[t]); // threads we could not start
  rc = 0;
  for (int t = 0; t < threads; t++) if (w[t].rc != 0) rc = -1;
  if (rc == 0 && unsupported) rc = 1;
done:
  free(fA); free(fB); free(fC); free(tabV); free(tabF); free(tabAny); free(dA); free(dB); free(dC); free(startM); free(startA); free(stride); free(rExact); free(w); free(tid);
  return rc;
}
