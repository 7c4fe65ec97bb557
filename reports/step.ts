// One step of the night: a command run with zx under a time limit (the whole process tree is
// killed when it runs over), its output streamed to a log in the night's folder, a progress line
// when it starts, while it runs (live counts, reports/live.ts: in place on a terminal, else a line a
// minute), and when it ends. A failed step is recorded and the
// night goes on. Colours are turned off (NO_COLOR) so that logs read as plain text.
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { $, type ProcessPromise } from 'zx';
import { liveCounter, type LiveKind } from './live.ts';
import type { StepRecord } from './summary.ts';

export interface StepSpec {
  name: string;
  /** argv; the first element is the program. */
  cmd: string[];
  env?: Record<string, string>;
  timeoutS: number;
  /** How to count progress in its output (reports/live.ts); none: elapsed time only. */
  live?: LiveKind;
}

export interface StepOutput { record: StepRecord; stdout: string; stderr: string }

const quote = (a: string) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, "'\\''")}'`);

/** The step as a shell line (environment first), for the report and the log. */
export function commandLine(s: StepSpec): string {
  return [...Object.entries(s.env ?? {}).map(([k, v]) => `${k}=${quote(v)}`), ...s.cmd.map(quote)].join(' ');
}

/** The process running now, so that an interrupted night can stop it (see reports/nightly.ts). */
let current: ProcessPromise | undefined;

const groupAlive = (pgid: number) => {
  try { process.kill(-pgid, 0); return true; } catch (e) { return (e as NodeJS.ErrnoException).code === 'EPERM'; }
};

/**
 * Stops the running step and everything it started: each step runs in its own process group
 * (detached), which gets SIGTERM at once (synchronously, so that a night exiting right after
 * still stops it) and SIGKILL if anything of it is left after `graceMs`.
 */
export async function killCurrentStep(graceMs = 5000): Promise<void> {
  const pid = current?.pid;
  if (pid === undefined) return;
  try { process.kill(-pid, 'SIGTERM'); } catch { return; }
  const t0 = performance.now();
  while (groupAlive(pid) && performance.now() - t0 < graceMs) await new Promise((r) => setTimeout(r, 50));
  try { process.kill(-pid, 'SIGKILL'); } catch { /* all gone */ }
}

export async function runStep(s: StepSpec, cwd: string, nightDir: string, say: (line: string) => void): Promise<StepOutput> {
  const logRel = join('logs', `${s.name}.log`);
  const logPath = join(nightDir, logRel);
  mkdirSync(dirname(logPath), { recursive: true });
  const line = commandLine(s);
  writeFileSync(logPath, `$ ${line}\n`);
  say(`${s.name}: ${line}`);
  const t0 = performance.now();
  let stdout = '', stderr = '';
  // detached: its own process group, so that a stop reaches every process the step started.
  const p = $({ cwd, env: { ...process.env, NO_COLOR: '1', ...s.env }, nothrow: true, quiet: true, timeout: s.timeoutS * 1000, detached: true })`${s.cmd}`;
  current = p;
  const live = s.live ? liveCounter(s.live) : undefined;
  p.stdout.on('data', (d: Buffer) => { stdout += d; appendFileSync(logPath, d); live?.feed(d.toString()); });
  p.stderr.on('data', (d: Buffer) => { stderr += d; appendFileSync(logPath, d); live?.feed(d.toString()); });
  const elapsed = () => { const m = Math.floor((performance.now() - t0) / 60_000), sec = Math.floor(((performance.now() - t0) / 1000) % 60); return `${m}:${String(sec).padStart(2, '0')}`; };
  const running = () => `${s.name}: running ${elapsed()}${live?.text() ? `, ${live.text()}` : ''}`;
  // On a terminal the status line is redrawn in place every 2 s; otherwise a line a minute.
  const tty = process.stderr.isTTY === true;
  const tick = tty
    ? setInterval(() => process.stderr.write(`\r\x1b[K[nightly] ${running()}`), 2000)
    : setInterval(() => say(running()), 60_000);
  let exitCode: number | null = null;
  let signal: string | null = null;
  try {
    const r = await p;
    exitCode = r.exitCode;
    signal = r.signal;
  } catch (e) {
    stderr += `\n${(e as Error).message}`;
    appendFileSync(logPath, `\n${(e as Error).message}\n`);
  } finally {
    clearInterval(tick);
    if (tty) process.stderr.write('\r\x1b[K');
    current = undefined;
  }
  const seconds = (performance.now() - t0) / 1000;
  const timedOut = exitCode !== 0 && seconds >= s.timeoutS - 0.5;
  const status = exitCode === 0 ? 'ok' : timedOut ? 'timeout' : 'failed';
  const note = status === 'ok' ? undefined : timedOut ? `stopped after the ${s.timeoutS} s limit` : exitCode === 127 ? `'${s.cmd[0]}' not found` : `exit ${exitCode ?? signal ?? '?'}`;
  appendFileSync(logPath, `\n[nightly] ${status}${note ? ` (${note})` : ''} in ${seconds.toFixed(1)} s\n`);
  say(`${s.name}: ${status}${note ? ` (${note})` : ''} in ${seconds.toFixed(1)} s${live?.text() ? ` (${live.text()})` : ''}`);
  const record: StepRecord = { name: s.name, status, seconds: Number(seconds.toFixed(2)), command: line, log: logRel };
  if (note) record.note = note;
  return { record, stdout, stderr };
}
