// Headless Chromium (Debian package `chromium`, installed by scripts/setup.sh): a screenshot of a
// report and its DOM after load with the console lines it logged. The report logs nothing, so
// any console line is an error of the page (an uncaught exception prints "Uncaught …").
import { readFileSync } from 'node:fs';
import { $ } from 'zx';

const CANDIDATES = ['chromium', 'chromium-browser', 'google-chrome'];
const FLAGS = ['--headless', '--disable-gpu', '--no-sandbox', '--no-first-run', '--hide-scrollbars'];

/** The browser to run: $CHROMIUM, else the first of chromium, chromium-browser, google-chrome on PATH. */
export async function findChromium(): Promise<string | undefined> {
  for (const c of process.env.CHROMIUM ? [process.env.CHROMIUM] : CANDIDATES) {
    const r = await $({ nothrow: true, quiet: true })`command -v ${c}`;
    if (r.exitCode === 0 && r.stdout.trim()) return r.stdout.trim();
  }
  return undefined;
}

export const MISSING = "headless Chromium not found: install the Debian package 'chromium' (apt-get install chromium, or run scripts/setup.sh as root), or set CHROMIUM to a Chrome binary";

const url = (htmlPath: string) => `file://${encodeURI(htmlPath)}`;

export interface Shot { ok: boolean; seconds: number; message: string }

/**
 * A window tall enough for the whole report (headless --screenshot captures the window only):
 * the plots' own heights, about 26 px a table row or heading, a margin; between 1,500 and 20,000.
 */
export function pageHeight(html: string): number {
  const plots = [...html.matchAll(/<svg class="plot"[^>]* height="(\d+)"/g)].reduce((s, m) => s + Number(m[1]) + 40, 0);
  const rows = (html.match(/<tr[ >]|<h[1-3][ >]|<p[ >]/g) ?? []).length;
  return Math.min(20_000, Math.max(1_500, plots + rows * 26 + 400));
}

/**
 * Writes a PNG of the whole page at `width` CSS pixels: the page's own height at that width is
 * read first (the page records it on load, data-page-height), else estimated (pageHeight).
 */
export async function screenshot(htmlPath: string, pngPath: string, width = 1280): Promise<Shot> {
  const t0 = performance.now();
  const bin = await findChromium();
  if (!bin) return { ok: false, seconds: 0, message: MISSING };
  let height = pageHeight(readFileSync(htmlPath, 'utf8'));
  try {
    const m = /data-page-height="(\d+)"/.exec((await loadPage(htmlPath, width)).dom);
    if (m) height = Math.min(30_000, Number(m[1]) + 20);
  } catch { /* the estimate stands */ }
  const size = `${width},${height}`;
  const r = await $({ nothrow: true, quiet: true, timeout: 60_000 })`${bin} ${FLAGS} --screenshot=${pngPath} --window-size=${size} ${url(htmlPath)}`;
  const seconds = Number(((performance.now() - t0) / 1000).toFixed(2));
  return r.exitCode === 0 ? { ok: true, seconds, message: pngPath } : { ok: false, seconds, message: `chromium exit ${r.exitCode}: ${r.stderr.trim().split('\n').slice(-3).join(' | ')}` };
}

export interface LoadedPage { dom: string; console: string[]; failedLoads: string[] }

/** The DOM after load (scripts run) in a window `width` CSS pixels wide, and the page's console and failed-load lines. */
export async function loadPage(htmlPath: string, width = 1280): Promise<LoadedPage> {
  const bin = await findChromium();
  if (!bin) throw new Error(MISSING);
  const r = await $({ nothrow: true, quiet: true, timeout: 60_000 })`${bin} ${FLAGS} --window-size=${`${width},1000`} --enable-logging=stderr --v=0 --dump-dom ${url(htmlPath)}`;
  if (r.exitCode !== 0) throw new Error(`chromium --dump-dom exit ${r.exitCode}: ${r.stderr.slice(-2000)}`);
  const lines = r.stderr.split('\n');
  return { dom: r.stdout, console: lines.filter((l) => l.includes(':CONSOLE')), failedLoads: lines.filter((l) => /net::ERR_|Failed to load resource/.test(l)) };
}
