// GEMM semantics (docs/arithmetic.md §4–5): C = A·B, every output starts at +0 (or C0) and
// takes k = 0 … K−1 in order. With `sr` the result depends on the array geometry: tiles run
// row-major over (⌈M/R⌉, ⌈N/C⌉) in groups of `interleave` (L) tiles; in a group every PE
// performs its MACs k-major, then tile (slot), padding MACs of edge tiles included, stepping
// its multiply generator once and its accumulate generator once per MAC (four times with Kahan,
// §5.2), never reset. Style `exact` rounds once per output: its accumulate generator steps once
// per tile, in tile order (§5.1).
import { convertExact } from './exact.ts';
import { convertFast } from './fast.ts';
import { ArithmeticInputError, format, type FloatFormat, type Format } from './format.ts';
import { accDraws, exactDot, kahanMac, mac, usesSr, type MacConfig, type Path } from './mac.ts';
import { streamSeed, topBits, xorshift32 } from './rng.ts';
import { checkMode, type Mode } from './rounding.ts';

/** Array geometry: R rows × C columns of PEs, each interleaving L tiles (default 1). */
export interface Geometry { rows: number; cols: number; interleave?: number }

export interface GemmShape { M: number; K: number; N: number }

export interface GemmOptions {
  /** Initial accumulators (M×N codes in the accumulator format); +0 when absent. */
  c0?: ArrayLike<number>;
  /** Output conversion from the accumulator format (deterministic modes). */
  out?: { fmt: string | Partial<FloatFormat> | Format; mode: Mode };
  /** Array geometry and seed: required when the MAC uses `sr`. */
  geometry?: Geometry;
  seed?: number;
  /** Which golden path computes the MACs; both give the same bits (fast.test.ts). */
  path?: Path;
}

export interface GemmResult {
  /** M×N result codes, row-major, in the output format. */
  c: Uint32Array;
  /** Per output: OR of the flags of every rounding that produced it. */
  flags: Uint8Array;
  format: Format;
}

function checkDim(name: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1 || v > 1 << 20) {
    throw new ArithmeticInputError(name, `must be an integer in 1..${1 << 20}, got ${JSON.stringify(v)}`);
  }
  return v;
}

function checkCodes(name: string, arr: ArrayLike<number>, n: number, f: Format): void {
  if (arr.length !== n) throw new ArithmeticInputError(name, `must hold ${n} codes, got ${arr.length}`);
  const limit = 2 * f.signBit;
  for (let i = 0; i < n; i++) {
    const v = arr[i];
    if (!Number.isInteger(v) || v < 0 || v >= limit) {
      throw new ArithmeticInputError(`${name}[${i}]`, `must be a ${f.width}-bit code of ${f.name}, got ${v}`);
    }
  }
}

/** C = A·B with A (M×K, codes of cfg.a) and B (K×N, codes of cfg.b), both row-major. */
export function gemm(A: ArrayLike<number>, B: ArrayLike<number>, shape: GemmShape, cfg: MacConfig, opts: GemmOptions = {}): GemmResult {
  const M = checkDim('M', shape.M);
  const K = checkDim('K', shape.K);
  const N = checkDim('N', shape.N);
  checkCodes('A', A, M * K, cfg.a);
  checkCodes('B', B, K * N, cfg.b);
  if (opts.c0) checkCodes('c0', opts.c0, M * N, cfg.acc.fmt);
  const out = opts.out === undefined ? undefined : { fmt: format(opts.out.fmt as string, 'out.fmt'), mode: checkMode(opts.out.mode, 'out.mode') };
  if (out?.mode === 'sr') {
    throw new ArithmeticInputError('out.mode', "'sr' is not supported for the output conversion: no random stream is defined for it");
  }
  const path = opts.path ?? 'fast';
  const acc = new Uint32Array(M * N);
  const flags = new Uint8Array(M * N);
  if (opts.c0) acc.set(Array.from(opts.c0));

  if (usesSr(cfg)) {
    const g = opts.geometry;
    if (!g) throw new ArithmeticInputError('geometry', "is required when the MAC uses 'sr': the random streams belong to the array's PEs");
    checkDim('geometry.rows', g.rows);
    checkDim('geometry.cols', g.cols);
    if (g.interleave !== undefined) checkDim('geometry.interleave', g.interleave);
    const seed = opts.seed;
    if (seed === undefined || !Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) {
      throw new ArithmeticInputError('seed', `must be a uint32 when the MAC uses 'sr', got ${JSON.stringify(seed)}`);
    }
    if (cfg.style === 'exact') exactSr(A, B, M, K, N, cfg, g, seed, acc, flags);
    else tiledSr(A, B, M, K, N, cfg, g, seed, path, acc, flags);
  } else {
    const comp = new Uint32Array(1);
    for (let i = 0; i < M; i++) {
      for (let j = 0; j < N; j++) {
        const o = i * N + j;
        if (cfg.style === 'exact') {
          const r = exactDot(rowOf(A, i, K), colOf(B, j, K, N), cfg, acc[o]);
          acc[o] = r.code;
          flags[o] = r.flags;
          continue;
        }
        comp[0] = 0;
        let fl = 0;
        for (let k = 0; k < K; k++) fl |= macStep(acc, comp, o, 0, A[i * K + k], B[k * N + j], cfg, ZERO_R, path);
        flags[o] = fl;
      }
    }
  }
  if (!out) return { c: acc, flags, format: cfg.acc.fmt };
  const conv = path === 'exact' ? convertExact : convertFast;
  for (let i = 0; i < M * N; i++) {
    const r = conv(acc[i], cfg.acc.fmt, out.fmt, { mode: out.mode });
    acc[i] = r.code;
    flags[i] |= r.flags;
  }
  return { c: acc, flags, format: out.fmt };
}

const ZERO_R: readonly number[] = [0, 0, 0, 0, 0];

function rowOf(A: ArrayLike<number>, i: number, K: number): number[] {
  return Array.from({ length: K }, (_, k) => A[i * K + k]);
}

function colOf(B: ArrayLike<number>, j: number, K: number, N: number): number[] {
  return Array.from({ length: K }, (_, k) => B[k * N + j]);
}

/**
 * One MAC of a float style on the accumulator acc[o] (and, with Kahan, its compensation
 * comp[s]); r = [R_mul, R_acc…] (one accumulate word, four with Kahan). Returns the flags.
 */
function macStep(acc: Uint32Array, comp: Uint32Array, o: number, s: number, a: number, b: number, cfg: MacConfig, r: readonly number[], path: Path): number {
  if (cfg.kahan) {
    const st = kahanMac({ s: acc[o], c: comp[s] }, a, b, cfg, r[0], r.slice(1), path);
    acc[o] = st.s;
    comp[s] = st.c;
    return st.flags;
  }
  const res = mac(acc[o], a, b, cfg, r[0], r[1], path);
  acc[o] = res.code;
  return res.flags;
}

/** Style `exact` under `sr`: each PE's accumulate generator steps once per tile (padding tiles too), tiles in row-major order; R rounds the tile's output. */
function exactSr(
  A: ArrayLike<number>, B: ArrayLike<number>, M: number, K: number, N: number, cfg: MacConfig,
  g: Geometry, seed: number, acc: Uint32Array, flags: Uint8Array,
): void {
  const rAcc = cfg.acc.rbits as number;
  const tilesN = Math.ceil(N / g.cols);
  const tiles = Math.ceil(M / g.rows) * tilesN;
  for (let pe = 0; pe < g.rows * g.cols; pe++) {
    const r = Math.floor(pe / g.cols), c = pe % g.cols;
    let sa = streamSeed(seed, pe, 'acc');
    for (let t = 0; t < tiles; t++) {
      sa = xorshift32(sa);
      const i = Math.floor(t / tilesN) * g.rows + r;
      const j = (t % tilesN) * g.cols + c;
      if (i >= M || j >= N) continue;
      const res = exactDot(rowOf(A, i, K), colOf(B, j, K, N), cfg, acc[i * N + j], topBits(sa, rAcc));
      acc[i * N + j] = res.code;
      flags[i * N + j] = res.flags;
    }
  }
}

function tiledSr(
  A: ArrayLike<number>, B: ArrayLike<number>, M: number, K: number, N: number, cfg: MacConfig,
  g: Geometry, seed: number, path: Path, acc: Uint32Array, flags: Uint8Array,
): void {
  const pes = g.rows * g.cols;
  const L = g.interleave ?? 1;
  const rMul = cfg.mul?.mode === 'sr' ? (cfg.mul.rbits as number) : 0;
  const rAcc = cfg.acc.mode === 'sr' ? (cfg.acc.rbits as number) : 0;
  const tilesN = Math.ceil(N / g.cols);
  const tiles = Math.ceil(M / g.rows) * tilesN;
  const v = new Uint32Array(L);
  const comp = new Uint32Array(L);   // Kahan compensations, one per slot
  const fl = new Uint8Array(L);
  const draws = accDraws(cfg);
  const r = new Array<number>(1 + draws).fill(0);
  for (let pe = 0; pe < pes; pe++) {
    // Each PE's MACs in the order it performs them: groups of L tiles, k-major, then slot.
    const row = Math.floor(pe / g.cols), c = pe % g.cols;
    let sm = streamSeed(seed, pe, 'mul');
    let sa = streamSeed(seed, pe, 'acc');
    for (let t0 = 0; t0 < tiles; t0 += L) {
      const n = Math.min(L, tiles - t0);
      const out: number[] = [];   // the slot's output index, or -1 for a padding PE
      for (let s = 0; s < n; s++) {
        const t = t0 + s;
        const i = Math.floor(t / tilesN) * g.rows + row;
        const j = (t % tilesN) * g.cols + c;
        out.push(i < M && j < N ? i * N + j : -1);
        v[s] = out[s] >= 0 ? acc[out[s]] : 0;
        comp[s] = 0;
        fl[s] = 0;
      }
      for (let k = 0; k < K; k++) {
        for (let s = 0; s < n; s++) {
          sm = xorshift32(sm);
          r[0] = rMul ? topBits(sm, rMul) : 0;
          for (let d = 1; d <= draws; d++) {
            sa = xorshift32(sa);
            r[d] = rAcc ? topBits(sa, rAcc) : 0;
          }
          const o = out[s];
          if (o < 0) continue;   // padding: its MACs are discarded, its generators step all the same
          const i = Math.floor(o / N), j = o % N;
          fl[s] |= macStep(v, comp, s, s, A[i * K + k], B[k * N + j], cfg, r, path);
        }
      }
      for (let s = 0; s < n; s++) {
        if (out[s] < 0) continue;
        acc[out[s]] = v[s];
        flags[out[s]] = fl[s];
      }
    }
  }
}
