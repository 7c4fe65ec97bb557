// A cross-process lock on a path: an atomic mkdir of `<path>.lock`, with an
// owner file naming host and pid. A lock whose owner process is gone (same host)
// or that is older than `staleMs` is broken. Used so parallel test workers build
// each model once.
import { mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';

export interface LockOptions {
  /** A lock older than this is taken to be abandoned. @defaultValue 30 min */
  staleMs?: number;
  /** Give up waiting after this long. @defaultValue 20 min */
  waitMs?: number;
  /** Called once when the lock is held by someone else and we start waiting. */
  onWait?: (owner: string) => void;
  /** Stop waiting early (returns undefined) when this becomes true, e.g. the result exists. */
  done?: () => Promise<boolean>;
}

interface Owner {
  host: string;
  pid: number;
  since: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function isStale(lockDir: string, staleMs: number): Promise<boolean> {
  let owner: Owner | undefined;
  try {
    owner = JSON.parse(await readFile(join(lockDir, 'owner.json'), 'utf8')) as Owner;
  } catch {
    // Owner file not written yet (or torn): judge by the folder's age.
    try {
      const s = await stat(lockDir);
      return Date.now() - s.mtimeMs > Math.min(staleMs, 60_000);
    } catch {
      return false;
    }
  }
  if (owner.host === hostname() && !alive(owner.pid)) return true;
  return Date.now() - owner.since > staleMs;
}

/**
 * Runs `fn` holding the lock `<path>.lock`. Returns fn's result, or undefined
 * when `done()` reported the work finished by another process while we waited.
 */
export async function withLock<T>(path: string, fn: () => Promise<T>, opts: LockOptions = {}): Promise<T | undefined> {
  const lockDir = `${path}.lock`;
  const staleMs = opts.staleMs ?? 30 * 60_000;
  const deadline = Date.now() + (opts.waitMs ?? 20 * 60_000);
  let waited = false;
  let delay = 50;
  for (;;) {
    try {
      await mkdir(lockDir);
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    if (opts.done && (await opts.done())) return undefined;
    if (await isStale(lockDir, staleMs)) {
      await rm(lockDir, { recursive: true, force: true });
      continue;
    }
    if (!waited) {
      waited = true;
      opts.onWait?.(lockDir);
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for lock ${lockDir}`);
    await sleep(delay);
    delay = Math.min(delay * 2, 500);
  }
  try {
    const owner: Owner = { host: hostname(), pid: process.pid, since: Date.now() };
    await writeFile(join(lockDir, 'owner.json'), JSON.stringify(owner));
    return await fn();
  } finally {
    await rm(lockDir, { recursive: true, force: true });
  }
}
