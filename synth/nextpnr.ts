// Parser of nextpnr-ice40's log — a pure function, tested on a recorded log (synth/fixtures/).

export interface PnrReport {
  /** Max frequency of the (first) clock after routing, MHz. */
  fmaxMhz: number;
  clock: string;
  /** ICESTORM_LC / DSP / RAM use as "used/available" lines of the final utilisation report. */
  utilisation: Record<string, { used: number; available: number }>;
}

/**
 * nextpnr prints "Max frequency for clock 'X': F MHz (PASS|FAIL at T MHz)" after placement
 * (estimate) and again after routing; the last one is the routed figure.
 */
export function parseNextpnrLog(log: string): PnrReport {
  const freqs = [...log.matchAll(/Max frequency for clock\s+'([^']+)':\s*([\d.]+)\s*MHz/g)];
  if (freqs.length === 0) throw new Error("nextpnr log: no 'Max frequency for clock' line (did routing finish?)");
  const last = freqs[freqs.length - 1];
  const utilisation: PnrReport['utilisation'] = {};
  // "Info: 	         ICESTORM_LC:  1047/ 5280    19%" — the last report wins (after packing).
  for (const m of log.matchAll(/^Info:\s+([A-Z_0-9]+):\s+(\d+)\/\s*(\d+)\s+\d+%/gm)) utilisation[m[1]] = { used: Number(m[2]), available: Number(m[3]) };
  return { fmaxMhz: Number(last[2]), clock: last[1], utilisation };
}
