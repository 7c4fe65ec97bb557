// Progress helpers shared by the commands' status lines.

/** A duration for a human: "42 s", "7 min", "1.5 h". */
export const formatDuration = (s: number): string => (s < 90 ? `${Math.round(s)} s` : s < 5400 ? `${Math.round(s / 60)} min` : `${(s / 3600).toFixed(1)} h`);
