// The MAC PE (rtl/pe/mac_pe.v) against golden's mac() with the PE's two xorshift32 streams:
// thousands of MACs per configuration, both styles, sr on either rounding, every pipeline depth
// from one loop stage (no interleave) to six, random idle cycles (a slot keeps its value and the
// generators do not step; load_i and last_i are raised at random on them and must be ignored),
// loads (a new output from +0, flags restart) and lasts (done_o). The MAC presented at cycle t
// belongs to slot t mod L; every slot is a golden sequential MAC and the streams are consumed in
// presentation order. A seed equal to a stream's key exercises the zero-state replacement.
import { expect, it } from 'vitest';
import { fmix32, mac, macConfig, streamSeed, toNumber, XorShift32, type Format, type MacConfigSpec } from '../golden/index.ts';
import { Clock, RisingEdge, runSimulation, Timer } from '../harness/index.ts';
import { interleave, peLatency, type PipelineSpec } from '../rtl/pipeline.ts';
import { peDesign } from '../rtl/units.ts';
import { runs, testSeed } from './support/seed.ts';
import { cover, flushCoverage } from './support/coverage.ts';
import { testContext } from './support/context.ts';

/** `zeros`: half the operands are ±0 and a new output starts every 6th MAC, so the accumulator is
 *  often an exact ±0 (the sign of zero sums under rdn, idle cycles beside a +0 accumulator).
 *  `tiny`: half the operands are subnormal or the smallest normals, the rest within 2^±3, and a new
 *  output starts every 6th MAC: many products lie so far below the accumulator's emin that fp_clamp
 *  leaves only their sticky bit, added to a finite accumulator whose flags are still clear. */
const CASES: { spec: MacConfigSpec; pe: number; pipeline: PipelineSpec; seed?: number; zeros?: boolean; tiny?: boolean }[] = [
  { spec: { a: 'e4m3', b: 'e4m3', mul: { fmt: 'bf16', mode: 'sr', rbits: 8 }, acc: { fmt: 'fp32', mode: 'sr', rbits: 13 }, style: 'separate' }, pe: 5, pipeline: { mul: 5, acc: 6 } },
  { spec: { a: 'e4m3', b: 'e5m2', acc: { fmt: 'bf16', mode: 'sr', rbits: 7 }, style: 'fused' }, pe: 0, pipeline: { mul: 0, acc: 1 } },
  { spec: { a: 'e2m1', b: 'e2m1', mul: { fmt: 'e4m3', mode: 'sr', rbits: 3 }, acc: { fmt: 'fp16', mode: 'sr', rbits: 24 }, style: 'separate' }, pe: 63, pipeline: { mul: 2, acc: 3 } },
  { spec: { a: 'e5m2', b: 'e4m3', acc: { fmt: { exp: 5, man: 4, subnormals: false, specials: 'fn', overflow: 'saturate' }, mode: 'sr', rbits: 4 }, style: 'fused' }, pe: 9, pipeline: { mul: 3, acc: 2 } },
  { spec: { a: 'e4m3', b: 'e4m3', acc: { fmt: 'fp16', mode: 'sr', rbits: 11 }, style: 'fused' }, pe: 3, pipeline: { mul: 1, acc: 6 }, seed: fmix32(2 * 3 + 2) },
  { spec: { a: 'fp16', b: 'fp16', acc: { fmt: 'fp16', mode: 'rdn' }, style: 'fused' }, pe: 1, pipeline: { mul: 3, acc: 4 } },
  { spec: { a: 'e2m1', b: 'e4m3', acc: { fmt: 'fp16', mode: 'rdn' }, style: 'fused' }, pe: 7, pipeline: { mul: 1, acc: 2 }, zeros: true },
  { spec: { a: 'bf16', b: 'e5m2', mul: { fmt: 'fp16', mode: 'rto' }, acc: { fmt: 'bf16', mode: 'rup' }, style: 'separate' }, pe: 2, pipeline: { mul: 3, acc: 5 } },
  { spec: { a: 'e5m2', b: 'e5m2', acc: { fmt: 'fp16', mode: 'rdn' }, style: 'fused' }, pe: 8, pipeline: { mul: 2, acc: 3 }, tiny: true },
  // P3109 as operand, product and accumulator formats (one NaN, no −0, Inf only in 'e'); rdn
  // is where an IEEE accumulator would make −0.
  { spec: { a: 'binary8p4se', b: 'binary8p3sf', mul: { fmt: 'binary8p5se', mode: 'sr', rbits: 6 }, acc: { fmt: 'binary8p2sf-sat', mode: 'rdn' }, style: 'separate' }, pe: 4, pipeline: { mul: 3, acc: 3 } },
  { spec: { a: 'binary8p4se', b: 'binary8p4se', acc: { fmt: { exp: 8, man: 7, specials: 'p3109e' }, mode: 'sr', rbits: 9 }, style: 'fused' }, pe: 6, pipeline: { mul: 2, acc: 4 } },
];

function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => { s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; return (s >>>= 0); };
}

const hex = (x: number) => `0x${x.toString(16)}`;

for (const { spec, pe, pipeline, seed, zeros, tiny } of CASES) {
  const cfg = macConfig(spec);
  const L = interleave(pipeline);
  const lat = peLatency(pipeline);
  // Below this a fused product reaches the accumulator's adder as a sticky bit alone (mac_pe.v:
  // fp_clamp's field is PW = max(product bits, FP_ROUND_PREC) + 2 bits wide with its top bit at
  // 2^emin, so its lowest at 2^(emin - PW + 1)).
  const pw = Math.max(cfg.a.man + cfg.b.man + 2, cfg.acc.fmt.man + (cfg.acc.rbits ?? 1) + 3) + 2;
  const stickyOnly = 2 ** (cfg.acc.fmt.emin - pw + 1);
  const label = `${zeros ? 'zero-heavy ' : tiny ? 'tiny-product ' : ''}${cfg.style} a=${cfg.a.name} b=${cfg.b.name}${cfg.mul && cfg.style === 'separate' ? ` mul=${cfg.mul.fmt.name}/${cfg.mul.mode}` : ''} acc=${cfg.acc.fmt.name}/${cfg.acc.mode} pe=${pe} pipeline=${pipeline.mul}+${pipeline.acc}`;
  it(`mac_pe stream == golden: ${label}`, async () => {
    const steps = runs(3000, 30000);
    const rand = rng(testSeed(testContext().name));
    const runSeed = seed ?? rand();
    // tiny: exponent field 0 or 1 (subnormal or smallest normal), or within 3 of the bias.
    const tinyCode = (f: Format): number => (rand() % 2 ? f.signBit : 0) | ((rand() % 2 ? rand() % 2 : f.bias - 3 + (rand() % 7)) << f.man) | (rand() & f.fracMask);
    const randCode = (f: Format): number => (zeros && rand() % 2 === 0 ? (rand() % 2 ? 0 : f.signBit) : tiny ? tinyCode(f) : rand() % 3 === 0 ? [0, 1, 2 ** f.man, f.maxCode, f.signBit, Math.max(f.nanCode, 0)][rand() % 6] : rand() % 2 ** f.width);
    const gm = new XorShift32(streamSeed(runSeed, pe, 'mul'));
    const ga = new XorShift32(streamSeed(runSeed, pe, 'acc'));
    const rm = cfg.mul?.rbits ?? 1;
    const ra = cfg.acc.rbits ?? 1;
    // Per slot: golden's accumulator and flags, undefined until the slot's first load.
    const slots: ({ acc: number; flags: number } | undefined)[] = new Array(L).fill(undefined);
    // What acc_o / flags_o / done_o must show `lat` edges after each presented cycle.
    const expected: ({ acc: number; flags: number; done: number; what: string } | undefined)[] = [];
    cover('mac_pe', `style:${cfg.style}`);
    if (cfg.acc.mode === 'sr') cover('mac_pe', 'acc-mode:sr');
    if (L > 1) cover('mac_pe', 'interleave>1');
    let idleBefore = false;
    await runSimulation(peDesign(cfg, pe, pipeline), async (dut) => {
      new Clock(dut.clk_i, 10, 'ns').start({ startHigh: false });
      dut.seed_i.value = runSeed;
      dut.rst_ni.value = 0;
      dut.valid_i.value = 0;
      dut.load_i.value = 0;
      dut.last_i.value = 0;
      await RisingEdge(dut.clk_i);
      dut.rst_ni.value = 1;
      for (let t = 0; t < steps + lat; t++) {
        const slot = t % L;
        const drive = t < steps;
        const valid = drive && rand() % 8 !== 0 ? 1 : 0;
        // load_i and last_i count only with valid_i: on an idle cycle they are noise the PE must
        // ignore (a third of idle cycles raise each).
        const load = valid ? (slots[slot] === undefined || rand() % (zeros || tiny ? 6 : 40) === 0 ? 1 : 0) : drive && rand() % 3 === 0 ? 1 : 0;
        const last = valid ? (rand() % 16 === 0 ? 1 : 0) : drive && rand() % 3 === 0 ? 1 : 0;
        if (drive && !valid) cover('mac_pe', 'idle-cycle');
        if (!valid && (load || last)) cover('mac_pe', 'control-without-valid');
        if (valid && load && idleBefore) cover('mac_pe', 'load-after-idle');
        idleBefore = drive && !valid;
        const a = randCode(cfg.a);
        const b = randCode(cfg.b);
        dut.valid_i.value = valid;
        dut.load_i.value = load;
        dut.last_i.value = last;
        dut.a_i.value = a;
        dut.b_i.value = b;
        if (valid) {
          const from = load ? { acc: 0, flags: 0 } : slots[slot]!;
          if (cfg.style === 'fused' && from.flags === 0) {
            const p = Math.abs(toNumber(a, cfg.a) * toNumber(b, cfg.b));
            const acc = toNumber(from.acc, cfg.acc.fmt);
            if (p > 0 && p < stickyOnly && acc !== 0 && Number.isFinite(acc)) cover('mac_pe', 'sticky-only-product');
          }
          const r = mac(from.acc, a, b, cfg, gm.next(rm), ga.next(ra), 'fast');
          slots[slot] = { acc: r.code, flags: from.flags | r.flags };
        }
        const s = slots[slot];
        expected.push(s && { ...s, done: valid ? last : 0, what: `cycle ${t} slot ${slot}: ${valid ? `MAC a=${hex(a)} b=${hex(b)}${load ? ' load' : ''}${last ? ' last' : ''}` : `idle${load ? ' (load_i high)' : ''}${last ? ' (last_i high)' : ''}`}` });
        await RisingEdge(dut.clk_i);
        await Timer(1);
        const want = expected[t - lat];
        if (t < lat) continue;
        const got = { acc: Number(dut.acc_o.value), flags: Number(dut.flags_o.value), done: Number(dut.done_o.value) };
        if (want === undefined) {
          if (got.done !== 0) expect.fail(`cycle ${t - lat}: done_o high for a slot never loaded (seed ${hex(runSeed)})`);
          continue;
        }
        if (got.acc !== want.acc || got.flags !== want.flags || got.done !== want.done) {
          expect.fail(`${want.what} (run seed ${hex(runSeed)}, L=${L}, latency ${lat}): golden acc ${hex(want.acc)} flags ${want.flags} done ${want.done}, rtl acc ${hex(got.acc)} flags ${got.flags} done ${got.done}`);
        }
      }
    }, { wallTimeoutMs: 300_000 });
    flushCoverage();
  });
}
