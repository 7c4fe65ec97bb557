// Parser of nextpnr-ice40's log — a pure function, tested on a recorded log (synth/fixtures/).

export interface PnrReport {
  /** Max frequency after routing of the slowest real clock, MHz. */
  fmaxMhz: number;
  clock: string;
  /** ICESTORM_LC / DSP / RAM use as "used/available" lines of the final utilisation report. */
  utilisation: Record<string, { used: number; available: number }>;
}

/**
 * nextpnr prints "Max frequency for clock 'X': F MHz (PASS|FAIL at T MHz)" per clock after
 * placement (estimate) and again after routing; the last line of each clock is its routed figure.
 * A DSP used without its registers has its CLK pin tied low, and nextpnr reports that constant
 * net ('$PACKER_GND_NET…', hundreds of MHz) as a clock of its own: not a clock of the design.
 * The design's Fmax is the slowest of the others.
 */
export function parseNextpnrLog(log: string): PnrReport {
  const routed = new Map<string, number>();
  for (const m of log.matchAll(/Max frequency for clock\s+'([^']+)':\s*([\d.]+)\s*MHz/g)) {
    if (!/^\$PACKER_(GND|VCC)_NET/.test(m[1])) routed.set(m[1], Number(m[2]));
  }
  if (routed.size === 0) throw new Error("nextpnr log: no 'Max frequency for clock' line for a design clock (did routing finish?)");
  const last = [...routed].reduce((a, b) => (b[1] < a[1] ? b : a));
  return { fmaxMhz: last[1], clock: last[0], utilisation: parseUtilisation(log) };
}

/** nextpnr's "Device utilisation" lines ("Info: 	ICESTORM_LC:  1047/ 5280    19%"); the last report wins (after packing). */
export function parseUtilisation(log: string): PnrReport['utilisation'] {
  const utilisation: PnrReport['utilisation'] = {};
  for (const m of log.matchAll(/^Info:\s+([A-Z_0-9]+):\s+(\d+)\/\s*(\d+)\s+\d+%/gm)) utilisation[m[1]] = { used: Number(m[2]), available: Number(m[3]) };
  return utilisation;
}

/** The resources a failed placement ran out of (used > available after packing), e.g. "ICESTORM_LC 5538 > 5280". */
export function overflow(log: string): string[] {
  return Object.entries(parseUtilisation(log)).filter(([, u]) => u.used > u.available).map(([k, u]) => `${k} ${u.used} > ${u.available}`);
}
