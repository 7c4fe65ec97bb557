// The vitest test's identity for seeds and replay commands.
import { expect } from 'vitest';

/** File and full name ("describe > test") of the running test. */
export function testContext(): { file: string; name: string } {
  const st = expect.getState();
  return { file: st.testPath ?? '', name: st.currentTestName ?? '' };
}
