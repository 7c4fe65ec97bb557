// Live counts of a running night step, read from its output as it streams: a vitest run's test
// files, passed, failed and skipped tests (the default reporter's per-file lines), or a job
// runner's "[k/N]" lines (mpsa synth, mpsa model validate). The night prints them on its
// progress line: refreshed in place on a terminal, once a minute otherwise.

export type LiveKind = 'vitest' | 'jobs';

export interface LiveCounter {
  feed(chunk: string): void;
  /** e.g. "41 files, 812 passed, 0 failed" or "17/39 done"; '' before anything was seen. */
  text(): string;
  /** Failures seen so far (tests failed, or jobs reported as mismatching/failing). */
  failed(): number;
}

// ✓ harness/fifo.test.ts (12 tests) 3021ms   |   ❯ rtl/pe.test.ts (40 tests | 2 failed) 91s
const VITEST_FILE = /^\s*[✓❯×↓]\s+\S+\.test\.ts\s+\((\d+) tests?((?: \| \d+ (?:failed|skipped|todo))*)\)/;

export function liveCounter(kind: LiveKind): LiveCounter {
  let rest = '';
  let files = 0, passed = 0, failed = 0, skipped = 0, done = 0, total = 0, bad = 0;
  const line = (l: string) => {
    if (kind === 'vitest') {
      const m = VITEST_FILE.exec(l);
      if (!m) return;
      const n = Number(m[1]);
      const f = Number(/(\d+) failed/.exec(m[2])?.[1] ?? 0);
      const s = Number(/(\d+) skipped/.exec(m[2])?.[1] ?? 0) + Number(/(\d+) todo/.exec(m[2])?.[1] ?? 0);
      files++; failed += f; skipped += s; passed += n - f - s;
    } else {
      const m = /^\r?\[\s*(\d+)\/(\d+)\]/.exec(l);
      if (!m) return;
      done = Math.max(done, Number(m[1])); total = Number(m[2]);
      if (/MISMATCH|FAILED|error/i.test(l)) bad++;
    }
  };
  return {
    feed(chunk: string) {
      const parts = (rest + chunk).split(/\r?\n|\r(?!\n)/);
      rest = parts.pop() ?? '';
      for (const p of parts) line(p);
    },
    text: () => (kind === 'vitest' ? (files ? `${files} files, ${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}` : '') : total ? `${done}/${total} done${bad ? `, ${bad} failing` : ''}` : ''),
    failed: () => (kind === 'vitest' ? failed : bad),
  };
}
