// Faults: broken suites (issue 16, kinds 1 and 2), as a whole run sees them. A child vitest runs
// faults/fixtures/suites/: a model that never returns, a design that does not build, a file whose
// import fails, a worker that dies, and a healthy file. The run must end, every broken suite must
// be a failure or error with its message in the JUnit, and a nightly merged over it must be red.
// On code without the watchdog the child hangs (killed here at its limit); without the reporter's
// error cases the build, import and worker faults read as skipped or are missing.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { parseJunit, type JunitRun } from '../reports/junit.ts';
import { run, said, type Ran } from './run.ts';

const tmp = mkdtempSync(join(tmpdir(), 'mpsa-faults-suites-'));
const junitFile = join(tmp, 'results.xml');
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
let child: Ran;
let junit: JunitRun;

const byName = (name: string) => {
  const t = junit.tests.find((x) => x.name === name || x.name.startsWith(name));
  if (!t) throw new Error(`no test case '${name}' in the JUnit: ${junit.tests.map((x) => x.name).join(' | ')}`);
  return t;
};

describe('a run over broken suites', () => {
  beforeAll(async () => {
    child = await run('npx', ['vitest', 'run', '--config', 'faults/fixtures/suites/vitest.config.ts'], { env: { MPSA_JUNIT: junitFile }, limitMs: 240_000 });
    if (child.timedOut) throw new Error(`the child run hung: ${said(child)}`);
    junit = await parseJunit(readFileSync(junitFile, 'utf8'));
  }, 300_000);

  test('ends, exits non-zero and writes the JUnit with the broken suites as errors', () => {
    expect(child.code, said(child)).toBe(1);
    expect(junit.tests.length).toBe(8);
    const xml = readFileSync(junitFile, 'utf8');
    expect(xml).toMatch(/<testsuites name="results" tests="8" failures="1" errors="5" skipped="0"/);
    expect(xml.match(/<error /g)).toHaveLength(5);
  });

  test('a model that never returns fails its own test at its wall limit; the next test runs', () => {
    const hung = byName('hangs in eval');
    expect(hung.state).toBe('failed');
    expect(hung.failure?.message).toMatch(/still running at the wall-clock limit.*1500 ms/);
    expect(byName('runs after the hang').state).toBe('passed');
    expect(byName('passes').state).toBe('passed');
  });

  test('a design that fails to build is an error naming the build failure', () => {
    const t = byName('needs the broken design');
    expect(t.state).toBe('failed');
    expect(t.failure?.message).toMatch(/did not run: building design 'broken' failed/);
  });

  test('a describe block whose beforeAll fails: its test is an error naming the failure', () => {
    const t = byName('a block whose setup fails > never runs');
    expect(t.state).toBe('failed');
    expect(t.failure?.message).toBe('did not run: setup of the block failed on purpose');
  });

  test('a file whose import fails is an error naming the missing module', () => {
    const t = byName('faults/fixtures/suites/import-fails.fault.ts (suite error)');
    expect(t.state).toBe('failed');
    expect(t.failure?.message).toMatch(/the test file failed: Cannot find module .*no-such-module/);
  });

  test('a worker that dies is an error for its test and for the run', () => {
    const t = byName('kills its own worker');
    expect(t.state).toBe('failed');
    expect(t.failure?.message).toMatch(/worker process died/);
    expect(byName('unhandled error 1').failure?.message).toMatch(/Worker exited unexpectedly/);
  });

  test('a nightly merged over it is red and counts every broken suite', async () => {
    const out = join(tmp, 'nights');
    const r = await run('node', ['bin/mpsa.js', 'nightly', 'report', '--merge', junitFile, '--out', out, '--date', '2026-01-02', '--skip', 'screenshot'], { limitMs: 120_000 });
    expect(r.code, said(r)).toBe(1);
    expect(r.stderr).toMatch(/mpsa nightly: 6 failed test\(s\)/);
    const summary = JSON.parse(readFileSync(join(out, '2026-01-02', 'summary.json'), 'utf8')) as { tests: { data: { totals: { failed: number } } } };
    expect(summary.tests.data.totals.failed).toBe(6);
  });
});

test('a shard JUnit that says it had errors its cases do not show is red', async () => {
  const xml = '<testsuites><testsuite name="all" tests="1" failures="0" errors="2"><testcase name="a" classname="x" file="x.test.ts" time="0"/></testsuite></testsuites>';
  const parsed = await parseJunit(xml);
  expect(parsed.tests.filter((t) => t.state === 'failed').map((t) => t.failure?.message)).toEqual(['the suite reports 2 failure(s)/error(s) but only 0 failing test case(s) are listed']);
});
