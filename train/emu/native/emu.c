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

enum { IEEE = 0, FN = 1, FINITE = 2 };
enum { RNE = 0, RNA = 1, RTZ = 2, RUP = 3, RDN = 4, RTO = 5, SR = 6 };
enum { F_INVALID = 1, F_OVERFLOW = 2, F_UNDERFLOW = 4, F_INEXACT = 8 };

#define ABS_MASK 0x7fffffffffffffffULL
#define LIKELY(x) __builtin_expect(!!(x), 1)
#define INLINE static inline __attribute__((always_inline))

typedef struct {
  int exp, man, sub, specials, sat;
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
} Step;

INLINE uint64_t bitsOf(double d) { uint64_t u; memcpy(&u, &d, 8); return u; }
INLINE double fromBits(uint64_t u) { double d; memcpy(&d, &u, 8); return d; }
/** 2^n for -1022 <= n <= 1023. */
INLINE double pow2(int n) { return fromBits((uint64_t)(n + 1023) << 52); }

static void fmtInit(Fmt *f, const int32_t *p) {
  f->exp = p[0]; f->man = p[1]; f->sub = p[2]; f->specials = p[3]; f->sat = p[4];
  f->bias = (1 << (f->exp - 1)) - 1;
  f->emin = 1 - f->bias;
  f->emax = f->specials == IEEE ? f->bias : f->bias + 1;
  double maxSig = f->specials == FN ? pow2(f->man + 1) - 2 : pow2(f->man + 1) - 1;
  f->maxValue = maxSig * pow2(f->emax - f->man);
  f->signBit = 1u << (f->exp + f->man);
  f->fracMask = (1u << f->man) - 1;
  uint32_t expMask = ((1u << f->exp) - 1) << f->man;
  f->nanCode = f->specials == IEEE ? expMask + (1u << (f->man - 1)) : f->specials == FN ? expMask + f->fracMask : UINT32_MAX;
  f->infCode = f->specials == IEEE ? expMask : UINT32_MAX;
  uint32_t topField = f->specials == IEEE ? (1u << f->exp) - 2 : (1u << f->exp) - 1;
  f->maxCode = (topField << f->man) + (uint32_t)(maxSig - pow2(f->man));
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
}

/** A code's value (golden/codec.ts toNumber). A subnormal code of a no-subnormal format reads ±0. */
static double decode(uint32_t code, const Fmt *f) {
  int neg = (code & f->signBit) != 0;
  uint32_t top = (1u << f->exp) - 1;
  uint32_t field = (code >> f->man) & top;
  uint32_t frac = code & f->fracMask;
  double v;
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
  uint32_t sign = signbit(v) ? f->signBit : 0;
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
  return f->specials == IEEE ? (neg ? -INFINITY : INFINITY) : NAN;
}

static double infinityResult(int neg, const Fmt *f, uint8_t *fl) {
  if (f->specials == IEEE) return neg ? -INFINITY : INFINITY;
  *fl |= F_OVERFLOW | F_INEXACT;
  if (f->specials == FN && !f->sat) return NAN;
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
  if (s == 0) return s;
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
  return neg ? -v : v;
}

/** x + y rounded (golden/fast.ts sumF64). */
static double sumSlow(double x, double y, const Step *st, uint32_t R, uint8_t *fl) {
  double s = x + y;
  if (s != s) return nanResult(x == x && y == y, &st->f, fl);
  if (s == 0) {
    int neg = st->mode == RDN ? !(x == 0 && !signbit(x) && y == 0 && !signbit(y)) : signbit(s) != 0;
    return neg ? -0.0 : 0.0;
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
  int srMul;                 // does the multiply step draw R (separate style)
  int exact;                 // acc + p is always a double (no TwoSum tail): sumIsExact()
  uint32_t *out;
  uint8_t *flags;
} Gemm;

typedef struct { const Gemm *g; int i0, i1, j0, j1; int rc; } Work;

// Per-thread rows of scratch, one slot per output column j.
typedef struct {
  double *acc;       // accumulator values
  uint64_t *inex;    // OR of the bits the fast roundings dropped (non-zero: inexact)
  uint8_t *fl;       // OR of the flags of the products and of the slow roundings
  uint32_t *sm, *sa; // sr generator states (mul, acc)
} Lanes;

/** The rounded product x·y of the multiply step (a zero product is exact, its bits pass through). */
INLINE double mulStep(double x, double y, const int mode, uint32_t R, const Step *c, uint8_t *fl, uint64_t *inex) {
  const double p = x * y; // exact: <= 48 significant bits, magnitude within 2^±300
  const uint64_t u = bitsOf(p), v = roundBits(u, mode, R, c);
  if (LIKELY(fastOk(u, c) | (p == 0))) {
    *inex |= u & c->low;
    return fromBits(v);
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
  if (s == 0 && mode != RDN) return s; // exact zero sum: the IEEE sign of s, no flags
  return sumSlow(x, y, c, R, fl);
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
    for (int j = j0; j < j1; j++) {
      acc[j] = g->c0 ? g->c0[row + j] : 0.0;
      fl[j] = 0;
      inex[j] = 0;
      if (ACCMODE == SR || MULSR) { sm[j] = g->startM[row + j]; sa[j] = g->startA[row + j]; }
    }
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
          if (ACCMODE == SR) { sa[j] = xorshift32(sa[j]); R = sa[j] >> ra; }
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
          if (ACCMODE == SR) { sa[j] = xorshift32(sa[j]); R = sa[j] >> ra; }
          // A NaN or infinite product (NaN/Inf operand, ∞·0) takes the fma's own rules.
          if (STYLE == STYLE_FUSED && !LIKELY(isfinite(p))) acc[j] = fmaSlow(x, bk[j], acc[j], ca, R, &f);
          else acc[j] = accStep(acc[j], p, ACCMODE, EXACT, R, ca, &f, &in);
          fl[j] = f;
          inex[j] = in;
        }
      }
    }
    for (int j = j0; j < j1; j++) {
      g->out[row + j] = encode(acc[j], &ca->f);
      g->flags[row + j] = fl[j] | (inex[j] ? F_INEXACT : 0);
    }
  }
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

static void runKernel(const Gemm *g, const Work *w, const Lanes *L) {
  if (g->style == STYLE_TABLE) {
    if (g->exact) { KERNEL_MODES(STYLE_TABLE, 1, 0) } else { KERNEL_MODES(STYLE_TABLE, 0, 0) }
  } else if (g->style == STYLE_FUSED) {
    if (g->exact) { KERNEL_MODES(STYLE_FUSED, 1, 0) } else { KERNEL_MODES(STYLE_FUSED, 0, 0) }
  } else if (g->srMul) {
    if (g->exact) { KERNEL_MODES(STYLE_DIRECT, 1, 1) } else { KERNEL_MODES(STYLE_DIRECT, 0, 1) }
  } else {
    if (g->exact) { KERNEL_MODES(STYLE_DIRECT, 1, 0) } else { KERNEL_MODES(STYLE_DIRECT, 0, 0) }
  }
}

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
    runKernel(w->g, w, &L);
    w->rc = 0;
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

/** startM/startA[i·N + j]: the PE's generator states when output (i, j) begins. */
static void streamStarts(int M, int K, int N, int rows, int cols, uint32_t seed, uint32_t *startM, uint32_t *startA) {
  static uint32_t t[4][256];
  jumpTables(K, t);
  int64_t tilesM = (M + (int64_t)rows - 1) / rows, tilesN = (N + (int64_t)cols - 1) / cols;
  // PEs outside the matrix (r >= M or c >= N) never produce an output: skip them.
  int rMax = rows < M ? rows : M, cMax = cols < N ? cols : N;
  for (int r = 0; r < rMax; r++) {
    for (int c = 0; c < cMax; c++) {
      int64_t pe = (int64_t)r * cols + c;
      uint32_t sm = streamSeed(seed, pe, 1), sa = streamSeed(seed, pe, 2);
      for (int64_t ti = 0; ti < tilesM; ti++) {
        for (int64_t tj = 0; tj < tilesN; tj++) {
          int64_t i = ti * rows + r, j = tj * cols + c;
          if (i < M && j < N) { startM[i * N + j] = sm; startA[i * N + j] = sa; }
          sm = jump(t, sm);
          sa = jump(t, sa);
        }
      }
    }
  }
}

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

// Layout of the int32 parameter block (train/emu/params.ts writes it).
enum {
  P_A = 0, P_B = 5, P_MUL = 10, P_ACC = 15, P_MUL_MODE = 20, P_MUL_RBITS, P_ACC_MODE, P_ACC_RBITS,
  P_FUSED, P_M, P_K, P_N, P_HAS_C0, P_SR, P_ROWS, P_COLS, P_SEED, P_THREADS, P_TABLE, P_COUNT
};

int emu_param_count(void) { return P_COUNT; }

/**
 * C = A·B as golden's gemm (accumulator codes, before any output conversion).
 * Returns 0, 1 when a case needs golden's exact path (the caller falls back), -1 out of memory.
 */
int emu_gemm(const int32_t *P, const uint32_t *A, const uint32_t *B, const uint32_t *c0, uint32_t *out, uint8_t *flags) {
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
  int table = !fused && g.mul.mode != SR && wa + wb <= 16 && P[P_TABLE] != 1;
  g.style = fused ? STYLE_FUSED : table ? STYLE_TABLE : STYLE_DIRECT;
  unsupported = 0;

  double *tabV = NULL, *dA = NULL, *dB = NULL, *dC = NULL;
  uint8_t *tabF = NULL, *tabAny = NULL;
  uint32_t *startM = NULL, *startA = NULL;
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
    for (size_t i = 0; i < mk; i++) dA[i] = decode(A[i], &fa);
    for (size_t i = 0; i < kn; i++) dB[i] = decode(B[i], &fb);
    g.dA = dA; g.dB = dB;
  }
  if (P[P_HAS_C0]) {
    dC = malloc(mn * sizeof(double));
    if (!dC) goto done;
    for (size_t i = 0; i < mn; i++) dC[i] = decode(c0[i], &g.acc.f);
    g.c0 = dC;
  }
  if (P[P_SR]) {
    startM = malloc(mn * sizeof(uint32_t));
    startA = malloc(mn * sizeof(uint32_t));
    if (!startM || !startA) goto done;
    streamStarts(M, K, N, P[P_ROWS], P[P_COLS], (uint32_t)P[P_SEED], startM, startA);
    g.startM = startM; g.startA = startA;
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
  free(tabV); free(tabF); free(tabAny); free(dA); free(dB); free(dC); free(startM); free(startA); free(w); free(tid);
  return rc;
}
