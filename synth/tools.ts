// The one file that runs the synthesis tools (zx): Yosys and nextpnr-ice40. Everything else in
// synth/ builds scripts and parses output as pure functions.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { $ } from 'zx';

/** Debian packages that provide each tool (scripts/setup.sh installs them). */
export const DEBIAN_PACKAGE = { yosys: 'yosys', 'nextpnr-ice40': 'nextpnr-ice40', icepack: 'fpga-icestorm' } as const;
export type Tool = keyof typeof DEBIAN_PACKAGE;

export class SynthToolError extends Error {
  constructor(message: string, readonly log = '') {
    super(log ? `${message}\n--- last lines of the log ---\n${logTail(log)}` : message);
    this.name = 'SynthToolError';
  }
}

/** The last `n` lines of a tool log (what a failure shows). */
export function logTail(log: string, n = 30): string {
  return log.trimEnd().split('\n').slice(-n).join('\n');
}

/** First line of `<tool> --version` (Yosys says `-V`); a missing tool names its Debian package. */
export async function toolVersion(tool: Tool): Promise<string> {
  const flag = tool === 'yosys' ? '-V' : '--version';
  const r = await $({ nothrow: true, quiet: true })`${tool} ${flag}`;
  const text = `${r.stdout}\n${r.stderr}`.split('\n').map((l) => l.trim()).find((l) => l !== '');
  if (r.exitCode !== 0 || !text) {
    throw new SynthToolError(`synth: '${tool} ${flag}' failed (${r.exitCode === 127 ? 'not found' : `exit ${r.exitCode}`}). ` +
      `Install the Debian package '${DEBIAN_PACKAGE[tool]}' (apt-get install ${DEBIAN_PACKAGE[tool]}, or run scripts/setup.sh as root).`);
  }
  return text;
}

export interface ToolRun {
  log: string;
  seconds: number;
}

/** Runs `yosys -s script` in `cwd` (log to yosys.log there); throws with the log tail on failure. */
export async function runYosys(scriptFile: string, cwd: string, what: string): Promise<ToolRun> {
  return run('yosys', ['-q', '-l', 'yosys.log', '-s', scriptFile], cwd, what, 'yosys.log', yosysMemoryCap());
}

/**
 * Address-space cap for one Yosys process (MPSA_YOSYS_MEM_GB, default 8 GiB), through util-linux
 * prlimit: a pass that explodes (Yosys 0.23's `share` on some iCE40 float PEs reached 23 GB and
 * was OOM-killed, taking the machine's memory with it) fails on its own instead.
 */
export function yosysMemoryCap(env: NodeJS.ProcessEnv = process.env): string[] {
  const gb = Number(env.MPSA_YOSYS_MEM_GB ?? 8);
  if (!(gb > 0)) throw new RangeError(`MPSA_YOSYS_MEM_GB: must be a positive number of GiB, got ${JSON.stringify(env.MPSA_YOSYS_MEM_GB)}`);
  return ['prlimit', `--as=${Math.round(gb * 2 ** 30)}`];
}

/** Runs nextpnr-ice40 with `args` in `cwd`; throws with the log tail on failure. */
export async function runNextpnr(args: string[], cwd: string, what: string): Promise<ToolRun> {
  return run('nextpnr-ice40', [...args, '-l', 'nextpnr.log'], cwd, what, 'nextpnr.log');
}

/** Runs icepack (fpga-icestorm): nextpnr's ASCII bitstream `asc` to the binary `bin`, in `cwd`. */
export async function runIcepack(asc: string, bin: string, cwd: string, what: string): Promise<ToolRun> {
  return run('icepack', [asc, bin], cwd, what, 'icepack.log');
}

async function run(tool: Tool, args: string[], cwd: string, what: string, logFile: string, prefix: string[] = []): Promise<ToolRun> {
  const t0 = performance.now();
  const r = await $({ cwd, nothrow: true, quiet: true })`${[...prefix, tool, ...args]}`;
  const seconds = (performance.now() - t0) / 1000;
  let log = `${r.stdout}${r.stderr}`;
  try {
    log = readFileSync(join(cwd, logFile), 'utf8') + (r.stderr ? `\n${r.stderr}` : '');
  } catch {
    // no log file (the tool did not start): stdout/stderr are all there is
  }
  if (r.exitCode === 127) await toolVersion(tool); // throws the install hint
  if (r.exitCode !== 0) {
    const how = r.exitCode === null ? `killed by ${r.signal ?? 'a signal'}${r.signal === 'SIGKILL' ? ', out of memory?' : ''}` : `exit ${r.exitCode}`;
    throw new SynthToolError(`synth: ${tool} failed on ${what} (${how}); full log in ${join(cwd, logFile)}`, log);
  }
  return { log, seconds };
}
