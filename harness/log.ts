// cocotb's log: lines stamped with the simulated time, as `dut._log.info(...)` prints them —
//      120.00ns INFO     tb.fifo                            pushed 3 words
// Outside a running test the time column says `-.--ns`. The level threshold is MPSA_LOG_LEVEL
// (or cocotb's COCOTB_LOG_LEVEL): DEBUG | INFO | WARNING | ERROR, default INFO.
import { currentSim } from './current.ts';
import { fromSteps, type TimeUnit } from './time-units.ts';

export const LOG_LEVELS = ['DEBUG', 'INFO', 'WARNING', 'ERROR'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface SimLogger {
  debug(msg: string): void;
  info(msg: string): void;
  warning(msg: string): void;
  error(msg: string): void;
}

/** The threshold from the environment; an unknown value is named once and INFO is used. */
function threshold(env: NodeJS.ProcessEnv): LogLevel {
  const v = (env.MPSA_LOG_LEVEL ?? env.COCOTB_LOG_LEVEL ?? 'INFO').toUpperCase();
  if ((LOG_LEVELS as readonly string[]).includes(v)) return v as LogLevel;
  throw new Error(`MPSA_LOG_LEVEL: must be ${LOG_LEVELS.join(' | ')}, got ${JSON.stringify(v)}`);
}

/** The simulated time of the running test in `unit`, or null outside a test. */
function simTime(unit: TimeUnit): number | null {
  try {
    const sim = currentSim();
    return fromSteps(sim.time, unit, sim.model.precision);
  } catch {
    return null;
  }
}

/** One log line in cocotb's layout (time right-aligned, level, name, message). */
export function formatLogLine(time: number | null, unit: string, level: LogLevel, name: string, msg: string): string {
  const t = time === null ? `-.--${unit}` : `${time.toFixed(2)}${unit}`;
  return `${t.padStart(12)} ${level.padEnd(8)} ${name.padEnd(34)} ${msg}`;
}

/**
 * A logger whose lines carry the simulated time: `const log = simLogger('tb.fifo'); log.info('…')`.
 * `write` defaults to stdout (vitest shows it with the test); `unit` is the time unit shown.
 */
export function simLogger(name: string, o: { unit?: TimeUnit; write?: (line: string) => void; env?: NodeJS.ProcessEnv } = {}): SimLogger {
  const unit = o.unit ?? 'ns';
  const min = LOG_LEVELS.indexOf(threshold(o.env ?? process.env));
  const write = o.write ?? ((l: string) => { process.stdout.write(l + '\n'); });
  const at = (level: LogLevel) => (msg: string) => {
    if (LOG_LEVELS.indexOf(level) >= min) write(formatLogLine(simTime(unit), unit, level, name, msg));
  };
  return { debug: at('DEBUG'), info: at('INFO'), warning: at('WARNING'), error: at('ERROR') };
}
