import { describe, expect, it } from 'vitest';
import { junitXml } from './junit.ts';
import { parseXml } from './xml.ts';

describe('junitXml', () => {
  it('writes the cocotb 2.1 / xunit2 shape with per-test seed, sim time and ratio', async () => {
    const xml = junitXml(
      [
        { name: 'dff > captures', classname: 'harness.timing', file: 'harness/timing.test.ts', line: 7, time: 0.25, state: 'passed', seed: 12, simTimeNs: 100, ratioTime: 400 },
        { name: 'broken', classname: 'harness.timing', file: 'harness/timing.test.ts', time: 0.1, state: 'failed', seed: 13, failure: { message: 'boom <&>', type: 'SimFailure', text: 'boom <&>\nstack' } },
        { name: 'later', classname: 'harness.timing', file: 'harness/timing.test.ts', time: 0, state: 'skipped' },
      ],
      0x6d707361,
      new Date('2025-01-02T03:04:05Z'),
    );
    const root = await parseXml(xml);
    expect(root.name).toBe('testsuites');
    expect(root.attrs).toMatchObject({ name: 'results', tests: '3', failures: '1', skipped: '1' });
    const suite = root.children[0]!;
    expect(suite.attrs).toMatchObject({ name: 'all', package: 'all', timestamp: '2025-01-02T03:04:05' });
    expect(suite.children[0]!.children[0]!.attrs).toEqual({ name: 'random_seed', value: String(0x6d707361) });
    const [pass, fail, skip] = suite.children.slice(1);
    expect(pass!.attrs).toMatchObject({ name: 'dff > captures', lineno: '7', time: '0.25', sim_time_ns: '100', ratio_time: '400' });
    expect(pass!.children[0]!.children.map((p) => [p.attrs.name, p.attrs.value])).toEqual([
      ['seed', '12'],
      ['sim_time_ns', '100'],
      ['ratio_time', '400'],
    ]);
    const failure = fail!.children.find((c) => c.name === 'failure')!;
    expect(failure.attrs).toEqual({ message: 'boom <&>', type: 'SimFailure' });
    expect(failure.text).toBe('boom <&>\nstack');
    expect(skip!.children.map((c) => c.name)).toEqual(['skipped']);
  });
});
