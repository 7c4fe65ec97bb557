// The host driver: offload(A, B, shape, config) tiles any M×K×N GEMM onto an mpsa_gemm array
// through the harness and returns C, the per-element flags and the measured cycles. Tiles go in
// row-major order, in groups of L (the array's interleave): for each k, one beat per tile of the
// group; the group's results come back as ROWS beats per tile, row-major over (row, tile). Edge
// tiles are padded with zeros (docs/array.md).
import { type GemmShape } from '../golden/index.ts';
import { buildModel, Clock, ClockCycles, RisingEdge, runSimulation, type BuiltModel, type Dut } from '../harness/core.ts';
import { isBlockConfig, type AnyConfig } from './config.ts';
import { elaborate } from './elaborate.ts';
import { gemmDesign } from './generate.ts';
import { checkStalls, stallDecider, type StallPattern } from './stalls.ts';

export type { StallPattern } from './stalls.ts';

export interface OffloadOptions {
  /** The seed of the sr generators (loaded at reset). @defaultValue 0 */
  seed?: number;
  stalls?: StallPattern;
  /**
   * BFP/MX configurations: the shared scale of every block — a: M × ⌈K/block⌉ (row-major, the
   * blocks of A's rows), b: ⌈K/block⌉ × N (the blocks of B's columns). BFP scales are the
   * exponents E (signed), MX scales the E8M0 codes. Sent with every element of the block.
   */
  scales?: { a: ArrayLike<number>; b: ArrayLike<number> };
}

export interface OffloadResult {
  /** M×N codes in the output format (the accumulator's, or the conversion's). */
  c: Uint32Array;
  flags: Uint8Array;
  /** Clock cycles from the first cycle after reset to the cycle that took the last result beat, inclusive. */
  cycles: number;
}

const builds = new Map<string, Promise<BuiltModel>>();

/** The built model of a configuration (cached per process; the harness caches on disk). */
export function gemmModel(cfg: AnyConfig): Promise<BuiltModel> {
  const key = JSON.stringify(gemmDesign(cfg));
  let b = builds.get(key);
  if (!b) {
    b = buildModel(gemmDesign(cfg));
    b.catch(() => builds.delete(key));
    builds.set(key, b);
  }
  return b;
}

function checkShape(A: ArrayLike<number>, B: ArrayLike<number>, { M, K, N }: GemmShape): void {
  for (const [k, v] of [['M', M], ['K', K], ['N', N]] as const) {
    if (!Number.isInteger(v) || v < 1) throw new RangeError(`offload: ${k} must be a positive integer, got ${v}`);
  }
  if (K > 0xffff) throw new RangeError(`offload: K = ${K} exceeds the array's 16-bit k_len`);
  if (A.length !== M * K) throw new RangeError(`offload: A has ${A.length} elements, expected M·K = ${M * K}`);
  if (B.length !== K * N) throw new RangeError(`offload: B has ${B.length} elements, expected K·N = ${K * N}`);
}

/** Packs n codes of `w` bits, element 0 in the low bits. */
function pack(get: (i: number) => number, n: number, w: number): number | bigint {
  if (n * w <= 53) {
    let v = 0;
    for (let i = n - 1; i >= 0; i--) v = v * 2 ** w + get(i);
    return v;
  }
  let v = 0n;
  const W = BigInt(w);
  for (let i = n - 1; i >= 0; i--) v = (v << W) | BigInt(get(i));
  return v;
}

function unpack(v: number | bigint, n: number, w: number, into: (i: number, x: number) => void): void {
  let b = BigInt(v);
  const mask = (1n << BigInt(w)) - 1n;
  for (let i = 0; i < n; i++) { into(i, Number(b & mask)); b >>= BigInt(w); }
}

/** Element k of a row/column with its block's scale in the bits above (BFP/MX), or the code alone. */
function scaler(cfg: AnyConfig, shape: GemmShape, scales: OffloadOptions['scales']) {
  const plain = { a: (_i: number, _k: number, code: number) => code, b: (_k: number, _j: number, code: number) => code };
  if (!isBlockConfig(cfg) || 'accWidth' in cfg) {
    if (scales !== undefined) throw new RangeError(`offload ${cfg.name}: scales are only for BFP and MX configurations`);
    return plain;
  }
  const { M, K, N } = shape;
  const block = cfg.a.block;
  const nb = Math.ceil(K / block);
  if (!scales || scales.a.length !== M * nb || scales.b.length !== nb * N) {
    throw new RangeError(`offload ${cfg.name}: scales must hold M·⌈K/${block}⌉ = ${M * nb} (a) and ⌈K/${block}⌉·N = ${nb * N} (b) block scales, got ${scales?.a.length} and ${scales?.b.length}`);
  }
  const w = elaborate(cfg).ports;
  const enc = (s: number, bits: number) => (s < 0 ? s + 2 ** bits : s);
  const aScaleW = w.aW - cfg.a.width, bScaleW = w.bW - cfg.b.width;
  return {
    a: (i: number, k: number, code: number) => enc(scales.a[i * nb + Math.floor(k / block)], aScaleW) * 2 ** cfg.a.width + code,
    b: (k: number, j: number, code: number) => enc(scales.b[Math.floor(k / block) * N + j], bScaleW) * 2 ** cfg.b.width + code,
  };
}

export async function offload(A: ArrayLike<number>, B: ArrayLike<number>, shape: GemmShape, cfg: AnyConfig, opts: OffloadOptions = {}): Promise<OffloadResult> {
  checkShape(A, B, shape);
  const { M, K, N } = shape;
  const R = cfg.rows, C = cfg.cols;
  const { ports: w, timing } = elaborate(cfg);
  const L = timing.interleave;
  const sc = scaler(cfg, shape, opts.scales);
  const lanes = isBlockConfig(cfg) ? cfg.lanes : 1;
  const tilesM = Math.ceil(M / R), tilesN = Math.ceil(N / C);
  const tiles = tilesM * tilesN;
  const c = new Uint32Array(M * N);
  const flags = new Uint8Array(M * N);
  const seed = opts.seed ?? 0;
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) throw new RangeError(`offload: seed must be a uint32, got ${seed}`);
  const stall = opts.stalls;
  checkStalls(stall);
  const { offer, accept } = stallDecider(stall);
  let cycles = 0;
  const model = await gemmModel(cfg);
  // Generous limits: every beat (each may wait a whole round for its phase) and result at the
  // slowest stall rate, ×4, plus the pipeline and the drains.
  const slow = stall ? 1 / Math.min(stall.inValid, stall.outReady) : 1;
  const budget = Math.ceil(4 * slow * tiles * (L * K + R * L) + 8 * (R + C + timing.peLatency + timing.convLatency) + 64);

  // Beat b of group g: k = ⌊b / n⌋, tile g·L + b mod n; result r of group g: row ⌊r / n⌋, tile g·L + r mod n.
  const groupSize = (g: number) => Math.min(L, tiles - g * L);
  await runSimulation(model, async (dut: Dut) => {
    new Clock(dut.clk_i, 10, 'ns').start({ startHigh: false });
    dut.rst_ni.value = 0;
    dut.seed_i.value = seed;
    dut.k_len_i.value = K;
    dut.tiles_i.value = tiles;
    dut.in_valid_i.value = 0;
    dut.out_ready_i.value = 0;
    await ClockCycles(dut.clk_i, 2);
    dut.rst_ni.value = 1;
    let inGroup = 0, inBeat = 0; // next beat to send
    let outGroup = 0, outBeat = 0, received = 0; // next result beat to receive
    let offering = false, ready = false;
    const beatA = (t: number, kk: number) => { const i0 = Math.floor(t / tilesN) * R; return pack((r) => (i0 + r < M ? sc.a(i0 + r, kk, A[(i0 + r) * K + kk]) : 0), R, w.aW); };
    const beatB = (t: number, kk: number) => { const j0 = (t % tilesN) * C; return pack((q) => (j0 + q < N ? sc.b(kk, j0 + q, B[kk * N + j0 + q]) : 0), C, w.bW); };
    for (let cyc = 1; received < tiles * R; cyc++) {
      if (cyc > budget) throw new Error(`offload ${cfg.name}: no progress after ${budget} cycles (group ${outGroup}, result beat ${outBeat})`);
      offering = inGroup * L < tiles && offer();
      dut.in_valid_i.value = offering ? 1 : 0;
      if (offering) {
        const n = groupSize(inGroup);
        const t = inGroup * L + (inBeat % n), kk = Math.floor(inBeat / n);
        dut.in_a_i.value = beatA(t, kk);
        dut.in_b_i.value = beatB(t, kk);
      }
      ready = accept();
      dut.out_ready_i.value = ready ? 1 : 0;
      await RisingEdge(dut.clk_i);
      // Handshakes as the flops saw them: pre-edge values.
      if (offering && dut.in_ready_o.value === 1) {
        if (++inBeat === K * groupSize(inGroup)) { inBeat = 0; inGroup++; }
      }
      if (ready && dut.out_valid_o.value === 1) {
        const n = groupSize(outGroup);
        const t = outGroup * L + (outBeat % n);
        const i = Math.floor(t / tilesN) * R + Math.floor(outBeat / n);
        const j0 = (t % tilesN) * C;
        if (i < M) {
          unpack(dut.out_data_o.value as number | bigint, C, w.outW, (q, x) => { if (j0 + q < N) c[i * N + j0 + q] = x; });
          // 4 flag bits per PE column: a packed PE's lanes share them.
          unpack(dut.out_flags_o.value as number | bigint, C / lanes, 4, (p, x) => {
            for (let l = 0; l < lanes; l++) if (j0 + p * lanes + l < N) flags[i * N + j0 + p * lanes + l] = x;
          });
        }
        if (++received === tiles * R) cycles = (dut.cycles_o.value as number) + 1;
        if (++outBeat === R * n) { outBeat = 0; outGroup++; }
      }
    }
  }, { timeout: [10 * (budget + 16), 'ns'], wallTimeoutMs: 600_000 });
  return { c, flags, cycles };
}
