// The rendered report in headless Chromium (Debian package `chromium`; scripts/setup.sh installs
// it): the page loads without console errors or failed loads, every plot is drawn with a
// non-empty box, and a screenshot is written to reports/out/test-report/screenshot.png.
import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { expect, test } from 'vitest';
import { findChromium, loadPage, MISSING, screenshot } from './chromium.ts';
import { fixtureNight } from './fixtures/night.ts';
import { renderNight } from './render.ts';

const OUT = resolve('reports/out/test-report');

test('a fixture report loads in headless Chromium without errors, with its plots, and a screenshot is written', async () => {
  // No silent skip: a machine without the browser fails here and says what to install.
  if (!(await findChromium())) throw new Error(MISSING);
  const nights = [await fixtureNight('2026-01-01', ['night-1.xml'])];
  nights.push(await fixtureNight('2026-01-02', ['night-2-shard-1.xml', 'night-2-shard-2.xml'], nights[0]));
  const html = renderNight(nights[1], [nights[0]]);
  mkdirSync(OUT, { recursive: true });
  const page = join(OUT, 'index.html');
  writeFileSync(page, html);

  const plots = html.match(/<svg class="plot"/g)?.length ?? 0;
  expect(plots).toBeGreaterThanOrEqual(10);
  const loaded = await loadPage(page);
  expect(loaded.console).toEqual([]);
  expect(loaded.failedLoads).toEqual([]);
  expect(loaded.dom).toContain(`data-plots-rendered="${plots}"`);
  for (const id of ['steps', 'tests', 'failures', 'verification', 'night-seed', 'coverage', 'rtl-coverage', 'synth', 'model', 'bench', 'training', 'trends']) expect(loaded.dom).toContain(`id="${id}"`);
  expect(loaded.dom).not.toContain('<script>alert');

  const png = join(OUT, 'screenshot.png');
  const shot = await screenshot(page, png);
  expect(shot.message).toBe(png);
  expect(statSync(png).size).toBeGreaterThan(20_000);
}, 60_000);
