// Simulated time. The scheduler counts integer steps of the model's time
// precision (Verilator's timeprecision, 1 ps unless the sources set `timescale);
// user code speaks in units, as cocotb does.

export type TimeUnit = 'step' | 'fs' | 'ps' | 'ns' | 'us' | 'ms' | 'sec';

const EXPONENT: Record<Exclude<TimeUnit, 'step'>, number> = {
  fs: -15,
  ps: -12,
  ns: -9,
  us: -6,
  ms: -3,
  sec: 0,
};

/**
 * Converts `amount` of `unit` to whole steps of 10^precision seconds; throws
 * when the result is not a whole number of steps (like cocotb's Timer).
 */
export function toSteps(amount: number, unit: TimeUnit, precision: number): number {
  if (!Number.isFinite(amount)) throw new RangeError(`time ${amount} ${unit} is not finite`);
  if (unit === 'step') {
    if (!Number.isInteger(amount)) throw new RangeError(`time ${amount} steps is not a whole number of steps`);
    return amount;
  }
  const exp = EXPONENT[unit];
  if (exp === undefined) throw new RangeError(`unknown time unit '${String(unit)}'`);
  const scaled = amount * 10 ** (exp - precision);
  const steps = Math.round(scaled);
  if (Math.abs(scaled - steps) > 1e-9 * Math.max(1, Math.abs(scaled))) {
    throw new RangeError(
      `time ${amount} ${unit} is not a whole number of 1e${precision} s steps (the model's time precision)`,
    );
  }
  return steps;
}

/** Converts whole steps back to `unit` (may be fractional). */
export function fromSteps(steps: number, unit: TimeUnit, precision: number): number {
  if (unit === 'step') return steps;
  const exp = EXPONENT[unit];
  if (exp === undefined) throw new RangeError(`unknown time unit '${String(unit)}'`);
  return steps * 10 ** (precision - exp);
}

/** Human form of a step count, in ns when that is exact enough. */
export function formatTime(steps: number, precision: number): string {
  const ns = fromSteps(steps, 'ns', precision);
  return `${Number(ns.toPrecision(12))} ns`;
}
