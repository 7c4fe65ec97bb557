// JUnit XML in the shape cocotb 2.1 writes (xunit2): one <testsuite name="all">
// with the regression seed as a property, one <testcase> per test carrying
// cocotb's sim_time_ns and ratio_time attributes, and per-test properties
// (seed, sim_time_ns, ratio_time). Pure: harness/junit-reporter.ts feeds it.
import { type XmlElement, buildXml, el } from './xml.ts';

export interface JunitCase {
  name: string;
  /** Dotted path of the test file (cocotb: the Python module). */
  classname: string;
  file: string;
  line?: number;
  /** Wall-clock seconds. */
  time: number;
  /** error: the test could not run or finish (its file failed to load, its build failed, its worker died). */
  state: 'passed' | 'failed' | 'skipped' | 'error';
  /** Harness tests only. */
  seed?: number;
  simTimeNs?: number;
  ratioTime?: number;
  failure?: { message: string; type: string; text: string };
}

const num = (x: number) => String(Number(x.toPrecision(12)));

function testcase(c: JunitCase): XmlElement {
  const attrs: Record<string, string> = { name: c.name, classname: c.classname, file: c.file, time: num(c.time) };
  if (c.line !== undefined) attrs.lineno = String(c.line);
  if (c.simTimeNs !== undefined) attrs.sim_time_ns = num(c.simTimeNs);
  if (c.ratioTime !== undefined) attrs.ratio_time = num(c.ratioTime);
  const children: XmlElement[] = [];
  const props: XmlElement[] = [];
  if (c.seed !== undefined) props.push(el('property', { name: 'seed', value: String(c.seed) }));
  if (c.simTimeNs !== undefined) props.push(el('property', { name: 'sim_time_ns', value: num(c.simTimeNs) }));
  if (c.ratioTime !== undefined) props.push(el('property', { name: 'ratio_time', value: num(c.ratioTime) }));
  if (props.length) children.push(el('properties', {}, props));
  if (c.state === 'skipped') children.push(el('skipped'));
  if (c.state === 'failed' || c.state === 'error') {
    const f = c.failure ?? { message: c.state, type: 'Error', text: '' };
    children.push(el(c.state === 'error' ? 'error' : 'failure', { message: f.message, type: f.type }, [], f.text));
  }
  return el('testcase', attrs, children);
}

/** The whole results document. */
export function junitXml(cases: readonly JunitCase[], regressionSeed: number, timestamp = new Date()): string {
  const failures = cases.filter((c) => c.state === 'failed').length;
  const errors = cases.filter((c) => c.state === 'error').length;
  const skipped = cases.filter((c) => c.state === 'skipped').length;
  const time = num(cases.reduce((s, c) => s + c.time, 0));
  const counts = { tests: String(cases.length), failures: String(failures), errors: String(errors), skipped: String(skipped), time };
  const suite = el('testsuite', { name: 'all', package: 'all', ...counts, timestamp: timestamp.toISOString().slice(0, 19) }, [
    el('properties', {}, [el('property', { name: 'random_seed', value: String(regressionSeed) })]),
    ...cases.map(testcase),
  ]);
  return buildXml(el('testsuites', { name: 'results', ...counts }, [suite]));
}
