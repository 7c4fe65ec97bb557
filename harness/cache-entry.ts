// Validation of cache entries (built models, the emulation library): a manifest written last into
// an entry's build folder records each file's size and SHA-256, so an entry damaged later (a
// truncated model.so that would give a bus error on load, a file edited or half-copied) is found
// on load and rebuilt rather than used. Also removes build folders left by killed builders.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const MANIFEST = 'manifest.json';

interface Manifest { files: Record<string, { bytes: number; sha256: string }> }

const sha256 = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

/** Writes `<dir>/manifest.json` for `files` (names inside dir); call after every file is complete. */
export function writeManifest(dir: string, files: readonly string[], as: Record<string, string> = {}): void {
  const m: Manifest = { files: {} };
  for (const f of files) m.files[as[f] ?? f] = { bytes: statSync(join(dir, f)).size, sha256: sha256(join(dir, f)) };
  writeFileSync(join(dir, MANIFEST), JSON.stringify(m, null, 1) + '\n');
}

/** What is wrong with the entry in `dir` for `files`, or undefined when it is whole. */
export function entryProblem(dir: string, files: readonly string[]): string | undefined {
  const mf = join(dir, MANIFEST);
  if (!existsSync(mf)) return `${mf} is missing (an entry from an older build, or one whose build was killed)`;
  let m: Manifest;
  try {
    m = JSON.parse(readFileSync(mf, 'utf8')) as Manifest;
    if (m === null || typeof m !== 'object' || m.files === null || typeof m.files !== 'object') throw new Error('no "files" object');
  } catch (e) {
    return `${mf} cannot be read: ${(e as Error).message}`;
  }
  for (const f of files) {
    const p = join(dir, f);
    const want = m.files[f];
    if (!want || typeof want.bytes !== 'number' || typeof want.sha256 !== 'string') return `${mf} does not list ${f}`;
    if (!existsSync(p)) return `${p} is missing`;
    const bytes = statSync(p).size;
    if (bytes !== want.bytes) return `${p} has ${bytes} bytes, ${want.bytes} when built (truncated or overwritten)`;
    if (sha256(p) !== want.sha256) return `${p} does not match its checksum (changed after the build)`;
  }
  return undefined;
}

const alive = (pid: number) => {
  try { process.kill(pid, 0); return true; } catch (e) { return (e as NodeJS.ErrnoException).code === 'EPERM'; }
};

/** Removes `<name>.tmp-<pid>` folders and files under `root` whose process is gone; returns their names. */
export function removeDeadTemps(root: string): string[] {
  if (!existsSync(root)) return [];
  const gone: string[] = [];
  for (const name of readdirSync(root)) {
    const m = /\.tmp-(\d+)$/.exec(name) ?? /\.(\d+)\.tmp$/.exec(name);
    if (!m || Number(m[1]) === process.pid || alive(Number(m[1]))) continue;
    rmSync(join(root, name), { recursive: true, force: true });
    gone.push(name);
  }
  return gone;
}
