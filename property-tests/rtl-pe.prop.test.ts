// The MAC PE (rtl/pe/mac_pe.v) against golden's mac() with the PE's two xorshift32 streams:
// thousands of MACs per configuration, both styles, sr on either rounding, random idle cycles
// (generators must not step) and loads of a new accumulator (flags restart), with and without
// the pipeline stage. A seed equal to a stream's key exercises the zero-state replacement.
import { expect, it } from 'vitest';
import { fmix32, mac, macConfig, streamSeed, XorShift32, type Format, type MacConfigSpec } from '../golden/index.ts';
import { Clock, RisingEdge, runSimulation, Timer } from '../harness/index.ts';
import { peDesign } from '../rtl/units.ts';
import { runs, testSeed } from './support/seed.ts';
import { testContext } from './support/context.ts';

const CASES: { spec: MacConfigSpec; pe: number; pipe: number; seed?: number }[] = [
  { spec: { a: 'e4m3', b: 'e4m3', mul: { fmt: 'bf16', mode: 'sr', rbits: 8 }, acc: { fmt: 'fp32', mode: 'sr', rbits: 13 }, style: 'separate' }, pe: 5, pipe: 0 },
  { spec: { a: 'e4m3', b: 'e5m2', acc: { fmt: 'bf16', mode: 'sr', rbits: 7 }, style: 'fused' }, pe: 0, pipe: 0 },
  { spec: { a: 'e2m1', b: 'e2m1', mul: { fmt: 'e4m3', mode: 'sr', rbits: 3 }, acc: { fmt: 'fp16', mode: 'sr', rbits: 24 }, style: 'separate' }, pe: 63, pipe: 1 },
  { spec: { a: 'e5m2', b: 'e4m3', acc: { fmt: { exp: 5, man: 4, subnormals: false, specials: 'fn', overflow: 'saturate' }, mode: 'sr', rbits: 4 }, style: 'fused' }, pe: 9, pipe: 1 },
  { spec: { a: 'e4m3', b: 'e4m3', acc: { fmt: 'fp16', mode: 'sr', rbits: 11 }, style: 'fused' }, pe: 3, pipe: 0, seed: fmix32(2 * 3 + 2) },
];

function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => { s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; return (s >>>= 0); };
}

for (const { spec, pe, pipe, seed } of CASES) {
  const cfg = macConfig(spec);
  const label = `${cfg.style} a=${cfg.a.name} b=${cfg.b.name}${cfg.mul && cfg.style === 'separate' ? ` mul=${cfg.mul.fmt.name}/${cfg.mul.mode}` : ''} acc=${cfg.acc.fmt.name}/${cfg.acc.mode} pe=${pe} pipe=${pipe}`;
  it(`mac_pe stream == golden: ${label}`, async () => {
    const steps = runs(3000, 30000);
    const rand = rng(testSeed(testContext().name));
    const runSeed = seed ?? rand();
    const randCode = (f: Format): number => (rand() % 3 === 0 ? [0, 1, 2 ** f.man, f.maxCode, f.signBit, Math.max(f.nanCode, 0)][rand() % 6] : rand() % 2 ** f.width);
    const gm = new XorShift32(streamSeed(runSeed, pe, 'mul'));
    const ga = new XorShift32(streamSeed(runSeed, pe, 'acc'));
    const rm = cfg.mul?.rbits ?? 1;
    const ra = cfg.acc.rbits ?? 1;
    const accF = cfg.acc.fmt;
    await runSimulation(peDesign(cfg, pe, pipe), async (dut) => {
      new Clock(dut.clk_i, 10, 'ns').start({ startHigh: false });
      dut.seed_i.value = runSeed;
      dut.rst_ni.value = 0;
      dut.valid_i.value = 0;
      dut.load_i.value = 0;
      await RisingEdge(dut.clk_i);
      dut.rst_ni.value = 1;
      let acc = 0;
      let flags = 0;
      const expected: [number, number][] = [];
      for (let t = 0; t < steps + pipe; t++) {
        const drive = t < steps;
        const valid = drive && rand() % 8 !== 0 ? 1 : 0;
        const load = drive && rand() % 40 === 0 ? 1 : 0;
        const c = load ? (rand() % 2 ? 0 : rand() % 2 ** accF.width) : 0;
        const a = randCode(cfg.a);
        const b = randCode(cfg.b);
        dut.valid_i.value = valid;
        dut.load_i.value = load;
        dut.c_i.value = c;
        dut.a_i.value = a;
        dut.b_i.value = b;
        if (valid) {
          const r = mac(load ? c : acc, a, b, cfg, gm.next(rm), ga.next(ra), 'fast');
          acc = r.code;
          flags = (load ? 0 : flags) | r.flags;
        } else if (load) {
          acc = c;
          flags = 0;
        }
        expected.push([acc, flags]);
        await RisingEdge(dut.clk_i);
        await Timer(1);
        if (t >= pipe) {
          const [wantAcc, wantFlags] = expected[t - pipe];
          const got = [Number(dut.acc_o.value), Number(dut.flags_o.value)];
          if (got[0] !== wantAcc || got[1] !== wantFlags) {
            expect.fail(`MAC ${t - pipe} (seed 0x${runSeed.toString(16)}): golden acc 0x${wantAcc.toString(16)} flags ${wantFlags}, rtl acc 0x${got[0].toString(16)} flags ${got[1]}`);
          }
        }
      }
    }, { wallTimeoutMs: 300_000 });
  });
}
