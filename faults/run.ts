// Helpers of the fault-injection suite (faults/*.test.ts): run a command as a child process with a
// wall limit (a child that hangs is killed with its process group and reported, never waited for).
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const REPO = fileURLToPath(new URL('../', import.meta.url));

export interface Ran { code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string; timedOut: boolean; seconds: number }

/** Runs `cmd args` in the repository; after `limitMs` the child's process group is killed. */
export function run(cmd: string, args: readonly string[], opts: { env?: NodeJS.ProcessEnv; limitMs: number; input?: string; cwd?: string }): Promise<Ran> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(cmd, args, { cwd: opts.cwd ?? REPO, env: { ...process.env, NO_COLOR: '1', ...opts.env }, detached: true, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '', stderr = '', timedOut = false;
    child.stdout.on('data', (d: Buffer) => { stdout += d; });
    child.stderr.on('data', (d: Buffer) => { stderr += d; });
    child.stdin.on('error', () => {});
    child.stdin.end(opts.input ?? '');
    const timer = setTimeout(() => { timedOut = true; try { process.kill(-child.pid!, 'SIGKILL'); } catch { /* gone */ } }, opts.limitMs);
    child.on('error', reject);
    child.on('close', (code, signal) => { clearTimeout(timer); resolve({ code, signal, stdout, stderr, timedOut, seconds: (performance.now() - t0) / 1000 }); });
  });
}

/** A one-line account of a finished child, for assertion messages. */
export function said(r: Ran): string {
  return `exit ${r.code ?? r.signal}${r.timedOut ? ' (killed at its wall limit: it hung)' : ''} after ${r.seconds.toFixed(1)} s\n--- stderr (tail) ---\n${r.stderr.slice(-3000)}\n--- stdout (tail) ---\n${r.stdout.slice(-2000)}`;
}
