// Rounding modes and the per-operation rounding request (docs/arithmetic.md §2).
import { ArithmeticInputError } from './format.ts';

export type Mode = 'rne' | 'rna' | 'rtz' | 'rup' | 'rdn' | 'rto' | 'sr';

export const MODES: readonly Mode[] = ['rne', 'rna', 'rtz', 'rup', 'rdn', 'rto', 'sr'];
export const DETERMINISTIC_MODES: readonly Mode[] = ['rne', 'rna', 'rtz', 'rup', 'rdn', 'rto'];

/** How one operation rounds: the mode and, for `sr`, the width r and the random integer R. */
export interface Rounding {
  readonly mode: Mode;
  /** Random bits r for `sr`, 1..24. */
  readonly rbits?: number;
  /** Random integer R in [0, 2^rbits) for `sr`. */
  readonly rand?: number;
}

export function checkMode(mode: unknown, field = 'mode'): Mode {
  if (typeof mode !== 'string' || !(MODES as readonly string[]).includes(mode)) {
    throw new ArithmeticInputError(field, `unknown rounding mode ${JSON.stringify(mode)} (expected ${MODES.join(' | ')})`);
  }
  return mode as Mode;
}

/** Only the width of `sr` rounding, for places (MAC configs) where R comes from a generator. */
export function checkRbits(rbits: unknown, field = 'rbits'): number {
  if (typeof rbits !== 'number' || !Number.isInteger(rbits) || rbits < 1 || rbits > 24) {
    throw new ArithmeticInputError(field, `must be an integer in 1..24, got ${JSON.stringify(rbits)}`);
  }
  return rbits;
}

/**
 * Validates a rounding request: `sr` needs rbits (1..24) and rand (0..2^rbits - 1); the
 * deterministic modes take neither.
 */
export function rounding(mode: unknown, rbits?: unknown, rand?: unknown, prefix = ''): Rounding {
  const m = checkMode(mode, `${prefix}mode`);
  if (m !== 'sr') {
    if (rbits !== undefined) throw new ArithmeticInputError(`${prefix}rbits`, `only allowed with mode 'sr' (mode is '${m}')`);
    if (rand !== undefined) throw new ArithmeticInputError(`${prefix}rand`, `only allowed with mode 'sr' (mode is '${m}')`);
    return { mode: m };
  }
  if (rbits === undefined) throw new ArithmeticInputError(`${prefix}rbits`, "is required with mode 'sr'");
  if (rand === undefined) throw new ArithmeticInputError(`${prefix}rand`, "is required with mode 'sr'");
  const r = checkRbits(rbits, `${prefix}rbits`);
  if (typeof rand !== 'number' || !Number.isInteger(rand) || rand < 0 || rand >= 2 ** r) {
    throw new ArithmeticInputError(`${prefix}rand`, `must be an integer in 0..${2 ** r - 1} for rbits = ${r}, got ${JSON.stringify(rand)}`);
  }
  return { mode: m, rbits: r, rand };
}

/** Exception flags as a bit mask; flagNames() turns it into the documented order. */
export const FLAG_INVALID = 1;
export const FLAG_OVERFLOW = 2;
export const FLAG_UNDERFLOW = 4;
export const FLAG_INEXACT = 8;

export type FlagName = 'invalid' | 'overflow' | 'underflow' | 'inexact';
const FLAG_ORDER: readonly [number, FlagName][] = [
  [FLAG_INVALID, 'invalid'],
  [FLAG_OVERFLOW, 'overflow'],
  [FLAG_UNDERFLOW, 'underflow'],
  [FLAG_INEXACT, 'inexact'],
];

export function flagNames(mask: number): FlagName[] {
  return FLAG_ORDER.filter(([bit]) => mask & bit).map(([, name]) => name);
}

/** The result of one rounded operation: the destination code and the raised flags (mask). */
export interface Result {
  code: number;
  flags: number;
}
