// The rendered report in headless Chromium (Debian package `chromium`; scripts/setup.sh installs
// it), at a desktop width and a phone's: the page loads without console errors or failed loads,
// every plot is drawn with a non-empty box and no label sticks out of its plot, and a screenshot
// of the whole page is written at each width to reports/out/test-report/.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { expect, test } from 'vitest';
import { findChromium, loadPage, MISSING, screenshot } from './chromium.ts';
import { fixtureNight } from './fixtures/night.ts';
import { renderNight } from './render.ts';

const OUT = resolve('reports/out/test-report');

/** Width and height of a PNG (its IHDR chunk). */
const pngSize = (file: string) => { const b = readFileSync(file); return { width: b.readUInt32BE(16), height: b.readUInt32BE(20) }; };

test('a fixture report loads in headless Chromium at two widths without errors or clipped labels, with its plots, and whole-page screenshots', async () => {
  // No silent skip: a machine without the browser fails here and says what to install.
  if (!(await findChromium())) throw new Error(MISSING);
  const nights = [await fixtureNight('2026-01-01', ['night-1.xml'])];
  nights.push(await fixtureNight('2026-01-02', ['night-2-shard-1.xml', 'night-2-shard-2.xml'], nights[0]));
  const html = await renderNight(nights[1], [nights[0]]);
  mkdirSync(OUT, { recursive: true });
  const page = join(OUT, 'index.html');
  writeFileSync(page, html);

  const plots = html.match(/<svg class="plot"/g)?.length ?? 0;
  expect(plots).toBeGreaterThanOrEqual(10);
  for (const width of [1280, 420]) {
    const loaded = await loadPage(page, width);
    expect(loaded.console, `${width} px`).toEqual([]);
    expect(loaded.failedLoads, `${width} px`).toEqual([]);
    expect(loaded.dom, `${width} px`).toContain(`data-plots-rendered="${plots}"`);
    expect(loaded.dom, `${width} px`).toContain('data-clipped-labels="0"');
    for (const id of ['summary', 'headlines', 'steps', 'tests', 'failures', 'verification', 'night-seed', 'coverage', 'rtl-coverage', 'synth', 'model', 'bench', 'training', 'trends']) expect(loaded.dom).toContain(`id="${id}"`);
    expect(loaded.dom).not.toContain('<script>alert');
    const height = Number(/data-page-height="(\d+)"/.exec(loaded.dom)![1]);

    const png = join(OUT, width === 1280 ? 'screenshot.png' : `screenshot-${width}.png`);
    const shot = await screenshot(page, png, width);
    expect(shot.message).toBe(png);
    const size = pngSize(png);
    expect(size.width).toBe(width);
    expect(size.height, 'the screenshot holds the whole page').toBeGreaterThanOrEqual(height);
  }
  // The summary leads: it comes before every data section.
  expect(html.indexOf('id="summary"')).toBeLessThan(html.indexOf('id="synth"'));
  expect(html.indexOf('id="synth"')).toBeLessThan(html.indexOf('id="tests"'));
}, 120_000);
