// cocotb's write actions: `sig.value = Force(3)` (or `sig.set(Force(3))`). A plain value is a
// Deposit. Force, Freeze and Release need a signal inside the design of a build with
// internals (harness/hierarchy.ts); the timing of all four is the harness's write phase
// (docs/harness.md, "Signals inside the design").
import type { SignalValue } from './signal.ts';

export type WriteAction =
  | { readonly kind: 'deposit'; readonly value: SignalValue }
  | { readonly kind: 'force'; readonly value: SignalValue }
  | { readonly kind: 'freeze' }
  | { readonly kind: 'release' };

/** Writes `value` as a plain write does: the design's own drivers overwrite it when they next run. */
export function Deposit(value: SignalValue): WriteAction {
  return { kind: 'deposit', value };
}

/** Holds the signal at `value`, whatever drives it, until Release. */
export function Force(value: SignalValue): WriteAction {
  return { kind: 'force', value };
}

/** Forces the signal to the value it has when the write is applied. */
export function Freeze(): WriteAction {
  return { kind: 'freeze' };
}

/**
 * Ends a Force or Freeze. As in Verilog: a variable (reg) keeps the forced value until the
 * design next assigns it; a net (wire) takes its drivers' value again at once.
 */
export function Release(): WriteAction {
  return { kind: 'release' };
}
