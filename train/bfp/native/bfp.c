// The BFP training GEMM: fp32 operands quantized into block floating point along the reduction
// dimension (golden/bfp.ts, docs/arithmetic.md §7.1), then the block dot product of §7.4 into an
// fp32 accumulator under rne (golden/block-dot.ts):
//
//   A row i, B column j, block b of K:   S = Σ_{k in b} P_ik·Q_kj   (exact integer sum)
//   acc ← rne_fp32(acc + S · 2^(EA_ib + EB_bj − (manA − 1) − (manB − 1)))     b = 0, 1, …
//
// Built by train/bfp/build.ts (through train/emu/build.ts's cache), bound by train/bfp/ffi.ts.
//
// Quantizer (one element, the rule of golden/grid.ts roundToGrid): |x| = sig·2^exp read from the
// fp32 bits; the grid is 2^q, q = E − man + 1, E = ⌊log2 amax⌋ of the block clamped to the
// shared-exponent range; k = sig >> (q − exp), the dropped bits decide the increment:
//
//   | sig (24 bits)                           |
//   |  k (kept)           | rem (shift bits)  |       rne: rem > half, or = half and k odd
//                         | F (rbits) |             sr:  F + R ≥ 2^rbits (R from stream.ts)
//
// then K = k + up saturates at 2^man − 1 (overflow + inexact); a non-zero value that became 0
// raises underflow. Elements are kept as signed int16 (man ≤ 15): the sign of a zero element is
// dropped, which cannot change a result (below: a zero block sum is skipped).
//
// Accumulation: the block sum is an exact double (|S| < 2^(manA + manB + log2 block) ≤ 2^42), so
// acc + S·2^s is an exact double pair (TwoSum s + t). (float)s is rne of s; it is rne of s + t
// too except when s lies exactly halfway between two floats, where the sign of t decides.
// Subnormal results round the same way ((float)s rounds onto the subnormal grid); `underflow`
// is tininess after rounding (§3) and inexact. Zero block sums are skipped: acc + ±0 = acc bit
// for bit unless acc is −0 (only after a negative result rounded to 0), where the dropped zero
// signs would decide; that output, and any overflow, is marked NEED_GOLDEN and
// train/bfp/gemm.ts recomputes it with golden itself.
#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

enum { F_INVALID = 1, F_OVERFLOW = 2, F_UNDERFLOW = 4, F_INEXACT = 8, NEED_GOLDEN = 0x80 };
enum { Q_RNE = 0, Q_SR = 1 };

// Parameter block (train/bfp/ffi.ts writes it in this order).
enum {
  P_M, P_K, P_N, P_MAN_A, P_MAN_B, P_BLOCK, P_EXP_BITS, P_MODE_A, P_MODE_B, P_RBITS,
  P_SEED_A, P_SEED_B, P_THREADS, P_COUNT
};
// Counters out: [0..2] A quantizer overflow/underflow/invalid elements, [3..5] B's, [6] OR of
// A's element flags, [7] OR of B's.
enum { C_COUNT = 8 };

#define INLINE static inline __attribute__((always_inline))

int bfp_param_count(void) { return P_COUNT; }

INLINE uint32_t fmix32(uint32_t h) {
  h ^= h >> 16; h *= 0x85ebca6bu; h ^= h >> 13; h *= 0xc2b2ae35u; h ^= h >> 16;
  return h;
}

/** The sr word of element `idx` of an operand (train/bfp/stream.ts is the definition). */
INLINE uint32_t srWord(uint32_t seed, uint32_t idx, int rbits) {
  return fmix32(seed + idx * 0x9e3779b9u) >> (32 - rbits);
}

INLINE uint32_t bitsOfF(float f) { uint32_t u; memcpy(&u, &f, 4); return u; }
INLINE uint64_t bitsOfD(double d) { uint64_t u; memcpy(&u, &d, 8); return u; }
INLINE double fromBitsD(uint64_t u) { double d; memcpy(&d, &u, 8); return d; }

typedef struct { int man, block, expBits, mode, rbits; uint32_t seed; } QSpec;

/**
 * Quantizes `rows` vectors of length K (element k of row r at x[r·rs + k·cs]) into q[r·Kp + k]
 * (int16, zero-padded to Kp) and e[r·nb + b]. Returns the OR of the element flags; counts
 * overflow/underflow/invalid elements into cnt[0..2].
 */
static int quantize(const float *x, int rows, int K, long rs, long cs, const QSpec *s, int16_t *q, int32_t *e, uint32_t *cnt) {
  const int nb = (K + s->block - 1) / s->block, Kp = nb * s->block;
  const int emin = -(1 << (s->expBits - 1)), emax = (1 << (s->expBits - 1)) - 1;
  const uint64_t kmax = (1u << s->man) - 1;
  const int rb = s->rbits;
  int all = 0;
  for (int r = 0; r < rows; r++) {
    const float *xr = x + r * rs;
    int16_t *qr = q + (long)r * Kp;
    for (int b = 0; b < nb; b++) {
      const int k0 = b * s->block, k1 = k0 + s->block < K ? k0 + s->block : K;
      // Largest magnitude of the block on the bits: |x| orders like its bits; NaN (> Inf) is skipped.
      uint32_t amax = 0;
      for (int k = k0; k < k1; k++) {
        uint32_t m = bitsOfF(xr[k * cs]) & 0x7fffffffu;
        if (m <= 0x7f800000u && m > amax) amax = m;
      }
      int E;
      if (amax == 0x7f800000u) E = emax;           // Inf: the top exponent
      else if (amax == 0) E = emin;                // zeros (and NaNs)
      else {
        int e32 = (int)(amax >> 23);
        E = e32 ? e32 - 127 : (31 - __builtin_clz(amax)) - 149;
        if (E < emin) E = emin;
        if (E > emax) E = emax;
      }
      e[(long)r * nb + b] = E;
      const int qexp = E - s->man + 1;
      for (int k = k0; k < k1; k++) {
        const uint32_t u = bitsOfF(xr[k * cs]);
        const int neg = (int)(u >> 31);
        const uint32_t m = u & 0x7fffffffu;
        int fl = 0;
        uint64_t K2;
        if (m > 0x7f800000u) { K2 = 0; fl = F_INVALID; }                     // NaN → +0
        else if (m == 0x7f800000u) { K2 = kmax; fl = F_OVERFLOW | F_INEXACT; } // Inf saturates
        else if (m == 0) K2 = 0;
        else {
          const int e32 = (int)(m >> 23);
          const uint64_t sig = e32 ? (m & 0x7fffffu) | 0x800000u : m;
          const int shift = qexp - (e32 ? e32 - 150 : -149);
          if (shift <= 0) {
            // On or above the grid: exact, possibly too large (a clamped E).
            K2 = -shift > 40 ? kmax + 1 : sig << -shift;
            if (K2 > kmax) { K2 = kmax; fl = F_OVERFLOW | F_INEXACT; }
          } else {
            const uint64_t kept = shift >= 32 ? 0 : sig >> shift;
            const uint64_t rem = shift >= 32 ? sig : sig & ((1ull << shift) - 1);
            int up = 0;
            if (rem != 0) {
              if (s->mode == Q_RNE) {
                // sig < 2^24, so for shift ≥ 26 rem is below half.
                if (shift < 26) {
                  const uint64_t half = 1ull << (shift - 1);
                  up = rem > half || (rem == half && (kept & 1));
                }
              } else {
                const uint64_t F = shift >= rb ? (shift - rb >= 40 ? 0 : rem >> (shift - rb)) : rem << (rb - shift);
                const uint32_t idx = (uint32_t)((long)r * K + k);
                up = F + srWord(s->seed, idx, rb) >= (1ull << rb);
              }
            }
            K2 = kept + (uint64_t)up;
            if (K2 > kmax) { K2 = kmax; fl = F_OVERFLOW | F_INEXACT; }
            else if (rem != 0) fl = K2 == 0 ? F_UNDERFLOW | F_INEXACT : F_INEXACT;
          }
        }
        qr[k] = (int16_t)(neg ? -(int64_t)K2 : (int64_t)K2);
        if (fl) {
          all |= fl;
          if (fl & F_OVERFLOW) cnt[0]++;
          if (fl & F_UNDERFLOW) cnt[1]++;
          if (fl & F_INVALID) cnt[2]++;
        }
      }
      for (int k = k1; k < k0 + s->block; k++) qr[k] = 0;
    }
  }
  return all;
}

typedef struct {
  const int16_t *qa, *qb;
  const int32_t *ea, *eb;
  int N, nb, block, Kp, scaleBias, wide;
  float *c;
  uint8_t *flags;
  int i0, i1;
} Work;

/** Exact Σ a[t]·b[t]: int32 when the sum provably fits (pmaddwd-friendly), else int64. */
INLINE int64_t dot32(const int16_t *a, const int16_t *b, int n) {
  int32_t s = 0;
  for (int t = 0; t < n; t++) s += (int32_t)a[t] * (int32_t)b[t];
  return s;
}
INLINE int64_t dot64(const int16_t *a, const int16_t *b, int n) {
  int64_t s = 0;
  for (int t = 0; t < n; t++) s += (int64_t)((int32_t)a[t] * (int32_t)b[t]);
  return s;
}

/**
 * acc ← rne_fp32(acc + d), flags as golden (§3: underflow = tiny after rounding and inexact);
 * 0 when golden must decide (an overflow).
 */
INLINE int addRound(float *acc, double d, uint8_t *fl) {
  const double a = (double)*acc;
  const double s = a + d;
  const double bb = s - a;
  const double t = (a - (s - bb)) + (d - bb); // TwoSum: a + d = s + t exactly
  float r = (float)s;                          // rne of s, subnormal and zero results included
  if (isinf(r)) return 0;                      // overflow
  int f = 0;
  if ((double)r != s) {
    f = F_INEXACT;
    if (t != 0) {
      // Halfway between r and its neighbour beyond s? Then s + t is off the midpoint, on t's side.
      const float o = nextafterf(r, s > (double)r ? INFINITY : -INFINITY);
      if ((double)r + (double)o == 2 * s && ((t > 0) == ((double)o > (double)r))) r = o;
      if (isinf(r)) return 0;
    }
  } else if (t != 0) {
    f = F_INEXACT;
  }
  // Tiny after rounding: |s + t| rounded to 24 bits with an unbounded exponent is below 2^−126,
  // i.e. |s + t| < 2^−126 − 2^−151 (that bound itself is a tie that rounds up to 2^−126).
  const double T = 0x1p-126 - 0x1p-151, as = fabs(s);
  const int tiny = as < T || (as == T && t != 0 && ((t > 0) != (s > 0)));
  if (tiny && f) f |= F_UNDERFLOW;
  *fl |= (uint8_t)f;
  *acc = r;
  return 1;
}

static void *work(void *p) {
  Work *w = (Work *)p;
  const int nb = w->nb, block = w->block, Kp = w->Kp, N = w->N;
  for (int i = w->i0; i < w->i1; i++) {
    const int16_t *ai = w->qa + (long)i * Kp;
    const int32_t *eai = w->ea + (long)i * nb;
    for (int j = 0; j < N; j++) {
      const int16_t *bj = w->qb + (long)j * Kp;
      const int32_t *ebj = w->eb + (long)j * nb;
      float acc = 0.0f;
      uint8_t fl = 0;
      int ok = 1;
      for (int b = 0; b < nb && ok; b++) {
        const int64_t S = w->wide ? dot64(ai + b * block, bj + b * block, block) : dot32(ai + b * block, bj + b * block, block);
        if (S == 0) {
          // acc + ±0 = acc, except −0 + +0 = +0: the sign of a zero block sum (dropped with the
          // signs of zero elements) matters only when acc is −0 (a negative result rounded to 0).
          if (acc == 0 && signbit(acc)) { ok = 0; break; }
          continue;
        }
        const int sc = eai[b] + ebj[b] - w->scaleBias;
        if (sc < -1000 || sc > 1000) { ok = 0; break; }
        ok = addRound(&acc, (double)S * fromBitsD((uint64_t)(sc + 1023) << 52), &fl);
      }
      w->c[(long)i * N + j] = acc;
      w->flags[(long)i * N + j] = ok ? fl : NEED_GOLDEN;
    }
  }
  return NULL;
}

/**
 * C (M×N, fp32) = A (M×K) · B (K×N), row-major fp32 in and out. flags: per output, the
 * accumulation flags, or NEED_GOLDEN. Returns 0, or -1 when out of memory.
 */
int bfp_gemm(const int32_t *p, const float *A, const float *B, float *C, uint8_t *flags, uint32_t *cnt) {
  const int M = p[P_M], K = p[P_K], N = p[P_N], block = p[P_BLOCK];
  const int nb = (K + block - 1) / block, Kp = nb * block;
  int threads = p[P_THREADS] < 1 ? 1 : p[P_THREADS];
  if (threads > M) threads = M;
  int rc = -1;
  int16_t *qa = malloc(sizeof(int16_t) * (size_t)M * Kp), *qb = malloc(sizeof(int16_t) * (size_t)N * Kp);
  int32_t *ea = malloc(sizeof(int32_t) * (size_t)M * nb), *eb = malloc(sizeof(int32_t) * (size_t)N * nb);
  float *bt = malloc(sizeof(float) * (size_t)K * N);
  Work *w = malloc(sizeof(Work) * (size_t)threads);
  pthread_t *tid = malloc(sizeof(pthread_t) * (size_t)threads);
  if (!qa || !qb || !ea || !eb || !bt || !w || !tid) goto done;
  memset(cnt, 0, sizeof(uint32_t) * C_COUNT);
  QSpec sa = { p[P_MAN_A], block, p[P_EXP_BITS], p[P_MODE_A], p[P_RBITS], (uint32_t)p[P_SEED_A] };
  QSpec sb = { p[P_MAN_B], block, p[P_EXP_BITS], p[P_MODE_B], p[P_RBITS], (uint32_t)p[P_SEED_B] };
  cnt[6] = (uint32_t)quantize(A, M, K, K, 1, &sa, qa, ea, cnt);
  // B's columns are its vectors along K: transpose once so both quantizer reads are contiguous.
  for (int k = 0; k < K; k++) for (int j = 0; j < N; j++) bt[(long)j * K + k] = B[(long)k * N + j];
  cnt[7] = (uint32_t)quantize(bt, N, K, K, 1, &sb, qb, eb, cnt + 3);
  int lg = 0;
  while ((1 << lg) < block) lg++;
  const int wide = p[P_MAN_A] + p[P_MAN_B] + lg > 31;
  for (int t = 0; t < threads; t++) {
    w[t] = (Work){ qa, qb, ea, eb, N, nb, block, Kp, p[P_MAN_A] - 1 + p[P_MAN_B] - 1, wide, C, flags,
                   (int)((int64_t)M * t / threads), (int)((int64_t)M * (t + 1) / threads) };
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
done:
  free(qa); free(qb); free(ea); free(eb); free(bt); free(w); free(tid);
  return rc;
}
