// Live counts of a night step's output (reports/live.ts), fed in arbitrary chunks.
import { describe, expect, it } from 'vitest';
import { liveCounter } from './live.ts';

describe('liveCounter', () => {
  it('counts vitest files, passed, failed and skipped tests across chunk boundaries', () => {
    const c = liveCounter('vitest');
    expect(c.text()).toBe('');
    const out = ' ✓ harness/fifo.test.ts (12 tests) 3021ms\n ❯ rtl/pe.test.ts (40 tests | 2 failed) 91s\n   × a failing test\n ↓ x/y.test.ts (3 tests | 3 skipped)\n';
    for (let i = 0; i < out.length; i += 7) c.feed(out.slice(i, i + 7));
    expect(c.text()).toBe('3 files, 50 passed, 2 failed, 3 skipped');
    expect(c.failed()).toBe(2);
  });

  it('counts a job runner\'s [k/N] lines and the failing ones', () => {
    const c = liveCounter('jobs');
    c.feed('[ 1/39] a.pe xc7: LUT 3  cached\n[2/39] b.pe xc7: LUT 4');
    expect(c.text()).toBe('1/39 done');
    c.feed('\n\r[3/40] cfg 2x2: measured 10, model 11 MISMATCH   4 s\r');
    expect(c.text()).toBe('3/40 done, 1 failing');
  });
});
