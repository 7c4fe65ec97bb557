// `mpsa match` end to end: a real (cached) synthesis of the one PE the workload can use.
import { elaborate } from '../rtl/elaborate.ts';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { cyclesNoStall } from '../model/latency.ts';
import { configByName } from '../rtl/config.ts';

const run = promisify(execFile);
const mpsa = (...args: string[]) => run('node', ['bin/mpsa.js', 'match', ...args], { timeout: 600_000 });

describe('mpsa match', () => {
  it('plans an MLP step on an Artix-7 35T with the matching configuration', async () => {
    const { stdout } = await mpsa('--workload', 'mlp:e4m3-fp16-rne:8', '--device', 'a35t', '--fmax', '100', '--synthesize', '--json');
    const plan = JSON.parse(stdout);
    expect(plan.steps.map((s: { gemm: string }) => s.gemm)).toEqual([
      'fc1/forward', 'fc2/forward', 'fc3/forward', 'fc3/gradWeight', 'fc3/gradInput', 'fc2/gradWeight', 'fc2/gradInput', 'fc1/gradWeight',
    ]);
    const cfg = configByName('e4m3-4x4-fp16-rne');
    expect(plan.steps.every((s: { config: string }) => s.config === cfg.name)).toBe(true);
    expect(plan.steps[0].copies).toBeGreaterThanOrEqual(1);
    if (plan.steps[0].copies === 1) expect(plan.steps[0].cycles).toBe(cyclesNoStall(elaborate(cfg).timing, { M: 8, K: 784, N: 256 }));
    expect(plan.reconfigurations).toBe(0);
  }, 600_000);

  it('without --fmax plans with the measured clock and says which: the logic-only bound on Xilinx', async () => {
    const { stdout } = await mpsa('--workload', 'mlp:e4m3-fp16-rne:8', '--device', 'a35t', '--synthesize');
    const m = /clock of e4m3-4x4-fp16-rne: ([\d.]+) MHz, logic-only upper bound \(Yosys sta\) — logic-only upper bound: Yosys sta, xc7 cell delays, no routing/.exec(stdout);
    expect(m, stdout).not.toBeNull();
    expect(Number(m![1])).toBeGreaterThan(50);
    const json = JSON.parse((await mpsa('--workload', 'mlp:e4m3-fp16-rne:8', '--device', 'a35t', '--json')).stdout);
    expect(json.clocks['e4m3-4x4-fp16-rne']).toMatchObject({ mhz: Number(m![1]), source: 'logic-only upper bound (Yosys sta)' });
    const given = JSON.parse((await mpsa('--workload', 'mlp:e4m3-fp16-rne:8', '--device', 'a35t', '--fmax', '100', '--json')).stdout);
    expect(given.clocks['e4m3-4x4-fp16-rne']).toMatchObject({ mhz: 100, source: 'given (--fmax)' });
  }, 600_000);

  it.each([
    [['--workload', 'mlp:e4m3-fp16-rne', '--device', 'vu19p', '--fmax', '1'], 2, /unknown device 'vu19p' \(known: up5k/],
    [['--workload', 'vgg:fp32', '--device', 'a35t'], 2, /--workload: expected <model>:<arith>/],
    [['--workload', 'mlp:fp32', '--device', 'a35t', '--fmax', '1'], 2, /fc1\/forward is an fp32 GEMM/],
    [['--workload', 'mlp:fp8-fp32', '--device', 'a35t'], 1, /no configuration in configs\/ computes the arithmetic of 8 of 8 GEMMs[^]*npx mpsa config new --name e4m3-4x4-fp32-rne-fused/],
    [['--device', 'a35t'], 2, /--workload: is required/],
  ])('names the problem: %j', async (args, code, re) => {
    await expect(mpsa(...(args as string[]))).rejects.toMatchObject({ code, stderr: expect.stringMatching(re) });
  });
});
