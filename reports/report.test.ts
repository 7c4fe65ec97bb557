// The report from fixture data: JUnit read back and merged, new vs known failures across nights,
// escaping of everything a test can put in its name or message, and the night's atomic publish.
import { existsSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { FIXTURES, fixtureNight, junitFixture } from './fixtures/night.ts';
import { loadHistory } from './history.ts';
import { mergedJunitXml, parseJunit } from './junit.ts';
import { runNight } from './nightly.ts';
import { renderNight } from './render.ts';
import { parseSynthLines } from './sources.ts';

const quiet = () => {};

describe('junit', () => {
  test('reads back the reporter\'s XML: states, seeds, replay commands', async () => {
    const run = await junitFixture('night-1.xml');
    expect(run.regressionSeed).toBe(1836086113);
    expect(run.tests.map((t) => t.state).sort()).toEqual(['failed', 'passed', 'passed', 'passed', 'passed', 'skipped']);
    const failed = run.tests.find((t) => t.state === 'failed')!;
    expect(failed.id).toBe('property-tests/golden-mpfr.prop.test.ts > golden vs MPFR > mul, mode rna');
    expect(failed.seed).toBe(228143539);
    expect(failed.replay).toBe("MPSA_SEED=1836086113 MPSA_PROFILE=quick npx vitest run property-tests/golden-mpfr.prop.test.ts -t 'mul, mode rna'");
    expect(run.tests.find((t) => t.name === 'fifo > keeps order')).toMatchObject({ seed: 99, simTimeNs: 12000 });
  });

  test('merges shards; the merged document reads back the same', async () => {
    const run = await junitFixture('night-2-shard-1.xml', 'night-2-shard-2.xml');
    expect(run.tests).toHaveLength(7);
    expect(run.duplicates).toEqual([]);
    const again = await parseJunit(mergedJunitXml(run));
    expect(again.tests.map((t) => [t.id, t.state])).toEqual(run.tests.map((t) => [t.id, t.state]));
    const twice = await junitFixture('night-1.xml', 'night-1.xml');
    expect(twice.duplicates).toHaveLength(6);
  });

  test('a failure without a printed replay line gets a vitest -t command', async () => {
    const run = await junitFixture('night-2-shard-1.xml');
    expect(run.tests.find((t) => t.state === 'failed')!.replay).toBe("MPSA_SEED=1836086113 npx vitest run examples/fifo.test.ts -t 'keeps order'");
  });
});

describe('new vs known failures', () => {
  test('a fixture night with a new failure shows it as new; the next night with the same failure shows it as known', async () => {
    const first = await fixtureNight('2026-01-01', ['night-1.xml']);
    expect(first.tests.available && first.tests.data.failures.map((f) => f.isNew)).toEqual([true]);
    const second = await fixtureNight('2026-01-02', ['night-2-shard-1.xml', 'night-2-shard-2.xml'], first);
    if (!second.tests.available) throw new Error('no tests');
    const byName = Object.fromEntries(second.tests.data.failures.map((f) => [f.name, f.isNew]));
    expect(byName).toEqual({ 'golden vs MPFR > mul, mode rna': false, 'fifo > keeps order': true, [`escapes <script>alert("x")</script> & 'quotes'`]: true });
    const html = await renderNight(second, [first]);
    const known = /<tr class="failure is-known">.*?<\/tr>/s.exec(html)![0];
    expect(known).toContain('known');
    expect(known).toContain('mul, mode rna');
    expect(known).toContain('228143539');
    expect(html.match(/<tr class="failure is-new">/g)).toHaveLength(2);
  });
});

describe('escaping', () => {
  test('no string from a test reaches the page as markup', async () => {
    const night = await fixtureNight('2026-01-02', ['night-2-shard-1.xml', 'night-2-shard-2.xml']);
    const html = await renderNight(night, []);
    expect(html).not.toContain('<script>alert');
    expect(html).not.toContain('<img');
    expect(html).not.toContain('<b>bold?</b>');
    expect(html).toContain('escapes &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;quotes&#39;');
    expect(html.match(/<script>/g)).toHaveLength(1); // the page's own load check
  });

  test('sections without data say why, with no number in their place', async () => {
    const night = await fixtureNight('2026-01-01', ['night-1.xml']);
    night.synth = { available: false, reason: 'synthesis not run: <yosys> missing' };
    const html = await renderNight(night, []);
    expect(html).toContain('<p class="na">synthesis not run: &lt;yosys&gt; missing</p>');
    expect(html).toContain('not been written on this machine');
    expect(html).toContain('No earlier full quick night is kept yet');
  });

  test('the synthesis section leads with per-configuration hardware: MACs/cycle, clock and its kind, peak GMAC/s, fits, placed arrays', async () => {
    const night = await fixtureNight('2026-01-01', ['night-1.xml']);
    const line = (o: Record<string, unknown>) => JSON.stringify({ kind: 'pe', macs: 1, seconds: 1, ...o });
    night.synth = { available: true, data: parseSynthLines([
      line({ design: 'e4m3-4x4-fp16-rne.pe', target: 'xc7', resources: { lut: 800, ff: 400, dsp: 0, bram: 0 }, fmax: { mhz: 160, kind: 'logic-only', method: 'sta' } }),
      line({ design: 'e4m3-2x2-fp16-fused.pe', target: 'ice40', resources: { lut: 700, ff: 400, dsp: 0, bram: 0 }, fmax: { mhz: 40, kind: 'routed', method: 'nextpnr' } }),
      line({ design: 'e4m3-2x2-fp16-fused', kind: 'array', macs: 4, target: 'ice40', resources: { lut: 3300, ff: 2600, dsp: 0, bram: 0 }, fmax: { mhz: 31.5, kind: 'routed', method: 'nextpnr' },
        fit: { part: 'iCE40HX8K-CT256', fits: true }, utilisation: { ICESTORM_LC: { used: 5100, available: 7680 }, ICESTORM_DSP: { used: 0, available: 0 } } }),
      line({ design: 'e4m3-2x2-fp16-fused.pe', target: 'ice40', resources: { lut: 1, ff: 1, dsp: 0, bram: 0 }, fmax: { mhz: 1, kind: 'routed', method: 'listed again by the array run' } }),
    ].join('\n')) };
    const html = await renderNight(night, []);
    const hw = /<table id="hardware-table">.*?<\/table>/s.exec(html)![0];
    expect(hw).toContain('<td>e4m3-4x4-fp16-rne</td><td>xc7</td><td>16</td><td>160 <span class="dim">logic-only ≤, PE</span></td><td>2.56</td>');
    expect(hw).toContain('<span class="ok">a35t: 1</span> <span class="dim">(lut)</span>');
    expect(hw).toContain('<td>e4m3-2x2-fp16-fused</td><td>ice40</td><td>4</td><td>31.5 <span class="dim">routed, array</span></td><td>0.126</td>');
    const whole = /<table id="whole-arrays">.*?<\/table>/s.exec(html)![0];
    expect(whole).toContain('<td>e4m3-2x2-fp16-fused</td><td>iCE40HX8K-CT256</td><td>5100 / 7680</td><td>0 / 0</td><td></td><td>31.5</td>');
    expect(html.indexOf('id="hardware-table"')).toBeLessThan(html.indexOf('id="synth-table"'));
  });
});

describe('runNight', () => {
  test('publishes nights atomically, keeps history, points latest; a failing night leaves the previous report', async () => {
    const out = mkdtempSync(join(tmpdir(), 'mpsa-nightly-'));
    const base = { repo: process.cwd(), outRoot: out, profile: 'quick' as const, only: [], say: quiet };
    await runNight({ ...base, date: '2026-01-01', merge: [join(FIXTURES, 'night-1.xml')] });
    const second = await runNight({ ...base, date: '2026-01-02', merge: [join(FIXTURES, 'night-2-shard-1.xml'), join(FIXTURES, 'night-2-shard-2.xml')] });
    expect(readlinkSync(join(out, 'latest'))).toBe('2026-01-02');
    expect(second.summary.tests.available && second.summary.tests.data.failures.filter((f) => !f.isNew).map((f) => f.name)).toEqual(['golden vs MPFR > mul, mode rna']);
    expect(second.summary.steps.find((s) => s.name === 'model')).toMatchObject({ status: 'not run' });
    expect(second.summary.model).toEqual({ available: false, reason: 'not run in this night' });
    expect((await parseJunit(readFileSync(join(out, '2026-01-02', 'results.xml'), 'utf8'))).tests).toHaveLength(7);
    expect(loadHistory(out, '2026-01-03').map((n) => n.date)).toEqual(['2026-01-01', '2026-01-02']);
    const html = readFileSync(join(out, '2026-01-02', 'index.html'), 'utf8');

    // A night that dies half-way (here: unreadable JUnit) changes nothing that was there.
    writeFileSync(join(out, 'broken.xml'), '<testsuites><testcase');
    await expect(runNight({ ...base, date: '2026-01-02', merge: [join(out, 'broken.xml')] })).rejects.toThrow();
    expect(readFileSync(join(out, '2026-01-02', 'index.html'), 'utf8')).toBe(html);
    expect(readlinkSync(join(out, 'latest'))).toBe('2026-01-02');
    expect(readdirSync(out).filter((n) => n.startsWith('.'))).toEqual([]);
    expect(existsSync(join(out, '2026-01-01', 'summary.json'))).toBe(true);
  });
});

describe('full and partial nights', () => {
  test('a night with steps left out by --only/--skip is partial: shown, but neither the summary\'s comparison nor the trends use it', async () => {
    const { isFullNight } = await import('./render.ts');
    const first = await fixtureNight('2026-01-01', ['night-1.xml']);
    const partial = await fixtureNight('2026-01-02', ['night-1.xml'], first);
    partial.steps.push({ name: 'model', status: 'not run', seconds: 0, note: 'left out (--only/--skip)' });
    const tonight = await fixtureNight('2026-01-03', ['night-2-shard-1.xml', 'night-2-shard-2.xml'], partial);
    expect([isFullNight(first), isFullNight(partial), isFullNight(tonight)]).toEqual([true, false, true]);
    const html = await renderNight(tonight, [first, partial]);
    expect(html).toContain('previous full night (2026-01-01)');
    expect(html).toContain('2 full quick nights, 2026-01-01 to 2026-01-03');
    const alone = await renderNight(partial, [first]);
    expect(alone).toContain('a partial night: some steps were left out');
  });
});
