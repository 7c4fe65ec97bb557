// Putting a night in place without ever exposing half of one. A night is built in a hidden
// folder (reports/out/.night-<date>-<pid>) and renamed to reports/out/<date> only when complete;
// a night already there for that date is moved aside first and removed after. `latest` is a
// relative symlink replaced by rename. Folders of crashed nights are removed by the next night.
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';

const TMP_RE = /^\.night-(.+)-(\d+)$/;

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

/** Removes build and swap folders left by nights whose process is gone; returns their names. */
export function removeStale(root: string): string[] {
  if (!existsSync(root)) return [];
  const gone: string[] = [];
  for (const name of readdirSync(root)) {
    const m = TMP_RE.exec(name) ?? /^\.old-(.+)-(\d+)$/.exec(name);
    if (!m || Number(m[2]) === process.pid || alive(Number(m[2]))) continue;
    rmSync(join(root, name), { recursive: true, force: true });
    gone.push(name);
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
