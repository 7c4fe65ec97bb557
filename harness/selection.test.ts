// Selecting and listing harness tests from the environment (harness/selection.ts): the rules,
// and a child vitest run over harness/fixtures/selection-sample.ts.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { selectTest } from './selection.ts';

describe('selectTest', () => {
  it('MPSA_TEST_FILTER is a regex on the full name', () => {
    const env = { MPSA_TEST_FILTER: '^group > b' };
    expect(selectTest('beta', 'group > beta', env)).toEqual({ selected: true, list: false });
    expect(selectTest('alpha', 'alpha', env)).toEqual({ selected: false, reason: 'not selected by MPSA_TEST_FILTER=^group > b', list: false });
    expect(() => selectTest('a', 'a', { MPSA_TEST_FILTER: '(' })).toThrow(/MPSA_TEST_FILTER is not a valid regular expression: \(/);
  });

  it('MPSA_TESTCASE lists exact names, own or full; both variables must agree', () => {
    const env = { MPSA_TESTCASE: 'alpha, group > beta' };
    expect(selectTest('alpha', 'alpha', env).selected).toBe(true);
    expect(selectTest('beta', 'group > beta', env).selected).toBe(true);
    expect(selectTest('beta', 'other > beta', env)).toMatchObject({ selected: false, reason: 'not in MPSA_TESTCASE=alpha, group > beta' });
    expect(selectTest('alpha', 'alpha', { ...env, MPSA_TEST_FILTER: 'beta' }).selected).toBe(false);
    expect(selectTest('x', 'x', {})).toEqual({ selected: true, list: false });
    expect(selectTest('x', 'x', { MPSA_LIST_TESTS: '1' })).toEqual({ selected: true, list: true });
  });
});

type JsonReport = { testResults: { assertionResults: { fullName: string; status: string }[] }[] };

function childRun(env: Record<string, string>): { states: Record<string, string>; stdout: string } {
  const out = join(mkdtempSync(join(tmpdir(), 'mpsa-select-')), 'report.json');
  const r = spawnSync(process.execPath, ['node_modules/vitest/vitest.mjs', 'run', '--config', 'harness/fixtures/selection.vitest.config.ts', '--reporter=json', `--outputFile=${out}`, '--reporter=verbose'], {
    encoding: 'utf8',
    env: { ...process.env, MPSA_TEST_FILTER: '', MPSA_TESTCASE: '', MPSA_LIST_TESTS: '', ...env },
  });
  if (r.status !== 0) throw new Error(`child vitest failed (${r.status}):\n${r.stdout}\n${r.stderr}`);
  const report = JSON.parse(readFileSync(out, 'utf8')) as JsonReport;
  const states: Record<string, string> = {};
  for (const a of report.testResults.flatMap((f) => f.assertionResults)) states[a.fullName] = a.status;
  return { states, stdout: r.stdout };
}

describe('in a vitest run', () => {
  it('runs only the tests MPSA_TEST_FILTER selects; the others are skipped', () => {
    const { states } = childRun({ MPSA_TEST_FILTER: '^group > ' });
    expect(states).toEqual({ alpha: 'skipped', 'group beta': 'passed', gamma: 'skipped' });
  });

  it('MPSA_LIST_TESTS=1 prints the selected names and runs nothing', () => {
    const { states, stdout } = childRun({ MPSA_LIST_TESTS: '1', MPSA_TESTCASE: 'alpha,group > beta' });
    expect(Object.values(states)).toEqual(['skipped', 'skipped', 'skipped']);
    const listed = stdout.replace(/\x1b\[[0-9;]*m/g, '').split('\n').filter((l) => l.startsWith('harness test: ')).map((l) => l.slice('harness test: '.length));
    expect(listed).toEqual(['alpha', 'group > beta']);
  });
});
