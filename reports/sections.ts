// The nightly page's sections, in page order: where a section module plugs in. A section is an
// id (its anchor and nav entry), a title, an async body rendered from the night and the kept
// history, and optionally headline figures for the summary at the top of the page. To add one
// (coverage, mutation kill rate, …): write a module exporting a PageSection and list it here.
import type { NightSummary } from './summary.ts';

export interface RenderContext {
  night: NightSummary;
  /** Earlier nights, oldest first (every kept night). */
  history: readonly NightSummary[];
  /** The earlier full nights of the same profile, oldest first (trends and comparisons use these). */
  fullHistory: readonly NightSummary[];
}

/** One figure of the summary table: tonight's value against the previous full night's. */
export interface Headline {
  label: string;
  value: (n: NightSummary) => number | undefined;
  unit?: string;
  /** Which direction is an improvement (colours the change). */
  better: 'up' | 'down';
  digits?: number;
}

export interface PageSection {
  id: string;
  /** Short name in the navigation bar. */
  nav: string;
  title: string;
  render(ctx: RenderContext): Promise<string>;
  headlines?: Headline[];
}

/**
 * A figure read from a night that may be an earlier one's summary.json, damaged or of an older
 * shape: anything but a finite number (or a throw on a missing field) is "no figure".
 */
export function figure(pick: (n: NightSummary) => number | undefined, n: NightSummary): number | undefined {
  try {
    const v = pick(n);
    return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
  } catch {
    return undefined;
  }
}
