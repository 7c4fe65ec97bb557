// The integer and block PEs (rtl/pe/int_pe.v, int_packed_pe.v, block_pe.v) against golden
// (docs/arithmetic.md §7.4): streams of outputs with random lengths, idle cycles and operands
// biased to zeros, extremes and specials. int_pe and every lane of int_packed_pe must hold
// golden's exact block sum (modulo 2^ACC_W: the accumulator wraps); block_pe must hold golden
// blockDot's code and flags after every output (one rounding per block into the accumulator).
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { blockDot, blockOperand, bfpFormat, format, hexCode, intFormat, mxFormat, type BlockFormat } from '../golden/index.ts';
import { Clock, RisingEdge, runSimulation, Timer, type DesignSpec } from '../harness/index.ts';
import { blockPeDesign, blockWidths, intPeDesign, type BlockAcc, type ScaledBlockFormat } from '../rtl/block-units.ts';
import { INT_CUTS } from '../rtl/elaborate.ts';
import { testContext } from './support/context.ts';
import { check, profile, runs } from './support/seed.ts';
import { blockVector as vector, elemArb, intDot, scaleArb } from './support/block-arbitraries.ts';

const nightly = profile() === 'nightly';

interface Output { k: number; a: number[]; b: number[]; sa: number[]; sb: number[]; idle: number[] }

function outputArb(a: BlockFormat, b: BlockFormat, maxK: number): fc.Arbitrary<Output> {
  const block = a.kind === 'int' ? maxK : a.block;
  return fc.integer({ min: 1, max: maxK }).chain((k) => {
    const nb = Math.ceil(k / block);
    return fc.record({
      k: fc.constant(k),
      a: fc.array(elemArb(a), { minLength: k, maxLength: k }),
      b: fc.array(elemArb(b), { minLength: k, maxLength: k }),
      sa: a.kind === 'int' ? fc.constant([]) : fc.array(scaleArb(a), { minLength: nb, maxLength: nb }),
      sb: b.kind === 'int' ? fc.constant([]) : fc.array(scaleArb(b as ScaledBlockFormat), { minLength: nb, maxLength: nb }),
      idle: fc.array(fc.oneof({ weight: 5, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.integer({ min: 1, max: 3 }) }), { minLength: k, maxLength: k }),
    });
  });
}

/**
 * Drives one PE with a stream of outputs: load on the first MAC, last on the final one, idle
 * cycles between; each output is checked when the PE raises done_o (the integer PEs' multiplier
 * registers delay it by their latency), which must come within `latency` cycles.
 */
async function drive(design: DesignSpec, outs: Output[], beat: (o: Output, i: number) => { a: number | bigint; b: number | bigint }, latency: number,
  checkOut: (o: Output, acc: bigint, flags: number) => void): Promise<void> {
  const hasFlags = design.top === 'block_pe';
  await runSimulation(design, async (dut) => {
    new Clock(dut.clk_i, 10, 'ns').start({ startHigh: false });
    dut.rst_ni.value = 0;
    dut.valid_i.value = 0;
    dut.load_i.value = 0;
    dut.last_i.value = 0;
    await RisingEdge(dut.clk_i);
    dut.rst_ni.value = 1;
    for (const o of outs) {
      for (let i = 0; i < o.k; i++) {
        for (let g = 0; g < o.idle[i]; g++) {
          dut.valid_i.value = 0;
          dut.load_i.value = 0;
          dut.last_i.value = 0;
          await RisingEdge(dut.clk_i);
        }
        const x = beat(o, i);
        dut.valid_i.value = 1;
        dut.load_i.value = i === 0 ? 1 : 0;
        dut.last_i.value = i === o.k - 1 ? 1 : 0;
        dut.a_i.value = x.a;
        dut.b_i.value = x.b;
        await RisingEdge(dut.clk_i);
      }
      dut.valid_i.value = 0;
      dut.load_i.value = 0;
      dut.last_i.value = 0;
      await Timer(1);
      for (let wait = 0; dut.done_o.value !== 1; wait++) {
        if (wait === latency) throw new Error(`${design.top}: done_o did not rise ${latency} cycles after the last MAC`);
        await RisingEdge(dut.clk_i);
        await Timer(1);
      }
      checkOut(o, BigInt(dut.acc_o.value as number | bigint), hasFlags ? Number(dut.flags_o.value) : 0);
    }
  }, { wallTimeoutMs: 300_000 });
}

const hexList = (xs: number[]) => xs.map((x) => '0x' + x.toString(16)).join(',');

describe('int_pe and int_packed_pe == golden exact integer dot product', () => {
  const CASES: { a: string; b: string; accW: number; lanes: number; maxK: number }[] = [
    { a: 'int8', b: 'int8', accW: 32, lanes: 1, maxK: 40 },
    { a: 'int4', b: 'int4', accW: 8, lanes: 1, maxK: 40 },     // wraps
    { a: 'int8', b: 'int8', accW: 32, lanes: 2, maxK: 40 },
    { a: 'int4', b: 'int4', accW: 9, lanes: 3, maxK: 40 },     // wraps
    ...(nightly ? [{ a: 'int4', b: 'int8', accW: 28, lanes: 2, maxK: 200 }, { a: 'int8', b: 'int8', accW: 15, lanes: 2, maxK: 60 }] : []),
  ];
  for (const c of CASES) {
    const fa = intFormat(c.a);
    const fb = intFormat(c.b);
    const pe = c.lanes === 1 ? 'int_pe' : `int_packed_pe x${c.lanes}`;
    it(`${pe} a=${c.a} b=${c.b} acc=${c.accW} bits`, async () => {
      const design = intPeDesign(fa, fb, c.lanes, c.accW, INT_CUTS);
      // Lane l of a packed PE takes B operands b[l]; the output's b array holds lanes interleaved.
      const arb = fc.array(outputArb(fa, fb, c.maxK).chain((o) => fc.record({
        o: fc.constant(o),
        more: fc.array(fc.array(elemArb(fb), { minLength: o.k, maxLength: o.k }), { minLength: c.lanes - 1, maxLength: c.lanes - 1 }),
      })), { minLength: 1, maxLength: 6 });
      await check(testContext(), fc.asyncProperty(arb, async (items) => {
        const lanesOf = new Map<Output, number[][]>(items.map(({ o, more }) => [o, [o.b, ...more]]));
        await drive(design, items.map((x) => x.o), (o, i) => {
          const bs = lanesOf.get(o)!;
          let b = 0n;
          for (let l = c.lanes - 1; l >= 0; l--) b = (b << BigInt(fb.width)) | BigInt(bs[l][i]);
          return { a: o.a[i], b };
        }, 2, (o, acc) => {
          lanesOf.get(o)!.forEach((bl, l) => {
            const want = intDot(fa, fb, o.a, bl, c.accW);
            const got = Number((acc >> BigInt(l * c.accW)) & ((1n << BigInt(c.accW)) - 1n));
            if (got !== want) throw new Error(`${pe} lane ${l} K=${o.k} a=[${hexList(o.a)}] b=[${hexList(bl)}]: golden 0x${want.toString(16)}, rtl 0x${got.toString(16)}`);
          });
        });
      }), runs(4, 40));
    }, 600_000);
  }
});

describe('block_pe == golden blockDot', () => {
  const CASES: { a: ScaledBlockFormat; b: ScaledBlockFormat; acc: BlockAcc; quick: boolean }[] = [
    { a: mxFormat('mxfp8-e4m3'), b: mxFormat('mxfp8-e4m3'), acc: { fmt: format('fp32'), mode: 'rne' }, quick: true },
    { a: bfpFormat({ man: 7, block: 8 }), b: bfpFormat({ man: 7, block: 8 }), acc: { fmt: format('fp16'), mode: 'rdn' }, quick: true },
    { a: mxFormat({ elem: 'e2m1', block: 8 }), b: mxFormat({ elem: 'e2m1', block: 8 }), acc: { fmt: format('bf16'), mode: 'rtz' }, quick: false },
    { a: mxFormat({ elem: 'e5m2', block: 4 }), b: mxFormat({ elem: 'int8', block: 4 }), acc: { fmt: format('fp16'), mode: 'rup' }, quick: false },
    { a: mxFormat({ elem: 'e3m2', block: 5 }), b: mxFormat({ elem: 'e2m3', block: 5 }), acc: { fmt: format({ exp: 5, man: 4, specials: 'fn', overflow: 'saturate' }), mode: 'rna' }, quick: false },
  ];
  for (const c of CASES.filter((x) => x.quick || nightly)) {
    it(`block_pe a=${c.a.name}/${c.a.block} b=${c.b.name} acc=${c.acc.fmt.name}/${c.acc.mode}`, async () => {
      const design = blockPeDesign(c.a, c.b, c.acc);
      const wa = blockWidths(c.a);
      const wb = blockWidths(c.b);
      const enc = (s: number, w: number) => (s < 0 ? s + 2 ** w : s);
      await check(testContext(), fc.asyncProperty(fc.array(outputArb(c.a, c.b, 3 * c.a.block + 3), { minLength: 1, maxLength: 5 }), async (outs) => {
        await drive(design, outs, (o, i) => {
          const j = Math.floor(i / c.a.block);
          return { a: enc(o.sa[j], wa.scale) * 2 ** wa.elem + o.a[i], b: enc(o.sb[j], wb.scale) * 2 ** wb.elem + o.b[i] };
        }, 0, (o, acc, flags) => {
          const g = blockDot(blockOperand(vector(c.a, o.a, o.sa), c.a), blockOperand(vector(c.b, o.b, o.sb), c.b), c.acc.fmt, { mode: c.acc.mode });
          if (Number(acc) !== g.code || flags !== g.flags) {
            throw new Error(`block_pe K=${o.k} a=[${hexList(o.a)}] scales a=[${o.sa}] b=[${hexList(o.b)}] scales b=[${o.sb}]: golden ${hexCode(g.code, c.acc.fmt)} flags ${g.flags}, rtl ${hexCode(Number(acc), c.acc.fmt)} flags ${flags}`);
          }
        });
      }), runs(6, 60));
    }, 600_000);
  }
});
