// Which harness tests run, from the environment (cocotb's COCOTB_TEST_FILTER / TESTCASE and a
// list mode). Pure apart from reading process.env: harness/test.ts asks it per test.
//
//   MPSA_TEST_FILTER=<regex>   run only tests whose full name (suites > test) matches
//   MPSA_TESTCASE=a,b          run only the tests named a or b (own or full name, exact)
//   MPSA_LIST_TESTS=1          run nothing, build nothing: print every selected test's name
//
// Tests left out are reported as skipped, with the reason; a design none of whose tests is
// selected is not built.

export interface Selection {
  /** Whether the test runs; `reason` says why not. */
  selected: boolean;
  reason?: string;
  /** List mode: print the name instead of running. */
  list: boolean;
}

export interface SelectionEnv {
  MPSA_TEST_FILTER?: string;
  MPSA_TESTCASE?: string;
  MPSA_LIST_TESTS?: string;
}

const compiled = new Map<string, RegExp>();

function filterRegex(source: string): RegExp {
  let re = compiled.get(source);
  if (re === undefined) {
    try {
      re = new RegExp(source);
    } catch (e) {
      throw new Error(`MPSA_TEST_FILTER is not a valid regular expression: ${source} (${(e as Error).message})`);
    }
    compiled.set(source, re);
  }
  return re;
}

/** Whether the test `name` (full name `fullName`) is selected by `env`. */
export function selectTest(name: string, fullName: string, env: SelectionEnv = process.env): Selection {
  const list = env.MPSA_LIST_TESTS === '1';
  const filter = env.MPSA_TEST_FILTER;
  if (filter !== undefined && filter !== '' && !filterRegex(filter).test(fullName)) {
    return { selected: false, reason: `not selected by MPSA_TEST_FILTER=${filter}`, list };
  }
  const cases = env.MPSA_TESTCASE;
  if (cases !== undefined && cases !== '') {
    const names = cases.split(',').map((s) => s.trim()).filter((s) => s !== '');
    if (!names.includes(name) && !names.includes(fullName)) return { selected: false, reason: `not in MPSA_TESTCASE=${cases}`, list };
  }
  return { selected: true, list };
}
