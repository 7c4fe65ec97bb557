// Remembers findToolchain's probe (verilator --version, --getenv VERILATOR_ROOT, g++ --version:
// three processes, about 0.3 s of a cold process's start) in the cache folder, keyed by where
// the two programs are and their size and modification time: a reinstalled or different
// Verilator or compiler is probed again.
import { createHash } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { delimiter, isAbsolute, join } from 'node:path';
import { cacheDir } from './cache-dir.ts';

/** The file a command name runs (PATH lookup), with its size and mtime, or the name when not found. */
function identify(cmd: string): string {
  const candidates = isAbsolute(cmd) || cmd.includes('/') ? [cmd] : (process.env.PATH ?? '').split(delimiter).filter(Boolean).map((d) => join(d, cmd));
  for (const c of candidates) {
    if (!existsSync(c)) continue;
    const st = statSync(c);
    if (st.isFile()) return `${c}:${st.size}:${st.mtimeMs}`;
  }
  return cmd;
}

/** Runs `probe` unless an earlier result for the same programs is on disk. */
export async function cachedProbe<T>(verilator: string, cxx: string, probe: () => Promise<T>, valid: (x: unknown) => boolean = (x) => typeof x === 'object' && x !== null): Promise<T> {
  const key = createHash('sha256')
    .update([identify(verilator), identify(cxx), process.env.VERILATOR_ROOT ?? ''].join('\0'))
    .digest('hex')
    .slice(0, 16);
  const file = join(cacheDir(), `toolchain-${key}.json`);
  try {
    const saved: unknown = JSON.parse(await readFile(file, 'utf8'));
    if (valid(saved)) return saved as T;
  } catch {
    // not there (or unreadable): probe
  }
  const result = await probe();
  try {
    await mkdir(cacheDir(), { recursive: true });
    const tmp = `${file}.tmp-${process.pid}`;
    await writeFile(tmp, JSON.stringify(result));
    await rename(tmp, file);
  } catch {
    // a read-only cache folder only costs the probe next time
  }
  return result;
}
