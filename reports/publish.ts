// Putting a night in place without ever exposing half of one. A night is built in a hidden
// folder (reports/out/.night-<date>-<pid>) and renamed to reports/out/<date> only when complete;
// a night already there for that date is moved aside first and removed after. `latest` is a
// relative symlink replaced by rename. What a killed night left is sorted out by the next one
// (removeStale): build folders removed, a night moved aside but not replaced put back, so at every
// point where publishing can be killed a complete copy of each night is kept.
import { existsSync, lstatSync, mkdirSync, readdirSync, renameSync, rmSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';

const TMP_RE = /^\.night-(.+)-(\d+)$/;
const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;

/** A fresh build folder for the night of `date`. */
export function stagingDir(root: string, date: string): string {
  mkdirSync(root, { recursive: true });
  const dir = join(root, `.night-${date}-${process.pid}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir);
  return dir;
}

const alive = (pid: number) => {
  try { process.kill(pid, 0); return true; } catch (e) { return (e as NodeJS.ErrnoException).code === 'EPERM'; }
};

/**
 * Cleans up after nights whose process is gone; returns what it did. A night moved aside
 * (`.old-<date>-<pid>`) whose replacement never arrived is put back: it is the only copy of that
 * night. Build folders and half-made `latest` links are removed; a `latest` left pointing at
 * nothing is pointed at the newest kept night.
 */
export function removeStale(root: string): string[] {
  if (!existsSync(root)) return [];
  const gone: string[] = [];
  for (const name of readdirSync(root)) {
    const m = TMP_RE.exec(name) ?? /^\.old-(.+)-(\d+)$/.exec(name) ?? /^\.latest-()(\d+)$/.exec(name);
    if (!m || Number(m[2]) === process.pid || alive(Number(m[2]))) continue;
    if (name.startsWith('.old-') && DATE_RE.test(m[1]) && !existsSync(join(root, m[1]))) {
      renameSync(join(root, name), join(root, m[1]));
      gone.push(`${name} (put back as ${m[1]}: its replacement was never published)`);
      continue;
    }
    rmSync(join(root, name), { recursive: true, force: true });
    gone.push(name);
  }
  const latest = join(root, 'latest');
  let dangling = false;
  try { dangling = lstatSync(latest).isSymbolicLink() && !existsSync(latest); } catch { /* no link yet */ }
  if (dangling) {
    const newest = readdirSync(root).filter((n) => DATE_RE.test(n) && existsSync(join(root, n, 'summary.json'))).sort().pop();
    if (newest) { pointLatest(root, newest); gone.push(`latest (pointed at nothing; now ${newest})`); }
  }
  return gone;
}

/** Renames the finished build folder to `<root>/<date>` and points `latest` at it. */
export function publishNight(root: string, staging: string, date: string): string {
  const final = join(root, date);
  const aside = join(root, `.old-${date}-${process.pid}`);
  const hadOld = existsSync(final);
  if (hadOld) renameSync(final, aside);
  try {
    renameSync(staging, final);
  } catch (e) {
    if (hadOld) renameSync(aside, final); // put the previous report back
    throw e;
  }
  if (hadOld) rmSync(aside, { recursive: true, force: true });
  pointLatest(root, date);
  return final;
}

/** `<root>/latest` → `<target>` (relative), replaced atomically. */
export function pointLatest(root: string, target: string): void {
  const tmp = join(root, `.latest-${process.pid}`);
  rmSync(tmp, { force: true });
  symlinkSync(target, tmp);
  renameSync(tmp, join(root, 'latest'));
}
