// `mpsa formats`: the preset table, with the derived constants users look up most.
import { format, PRESET_NAMES } from '../golden/index.ts';
import { parseCommandArgs, UsageError, usageFailure } from './args.ts';

const HELP = `usage: mpsa formats [--json]

The preset formats with exponent and fraction widths, specials, overflow, bias, exponent range
and largest finite value; --json: one JSON object per line.`;

export function formatsCommand(argv: string[]): number {
  let json: boolean;
  try {
    const { values } = parseCommandArgs(argv, { json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } });
    if (values.help) { process.stdout.write(HELP + '\n'); return 0; }
    json = values.json === true;
  } catch (e) {
    if (e instanceof UsageError) return usageFailure('formats', e.message, HELP);
    throw e;
  }
  const rows = PRESET_NAMES.map((n) => {
    const f = format(n);
    return { name: n, exp: f.exp, man: f.man, specials: f.specials, overflow: f.overflow, subnormals: f.subnormals, bias: f.bias, emin: f.emin, emax: f.emax, max: f.maxValue };
  });
  if (json) {
    for (const r of rows) process.stdout.write(JSON.stringify(r) + '\n');
    return 0;
  }
  const head = ['name', 'E', 'M', 'specials', 'overflow', 'bias', 'emin', 'emax', 'max finite'];
  const body = rows.map((r) => [r.name, r.exp, r.man, r.specials, r.overflow, r.bias, r.emin, r.emax, r.max].map(String));
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  for (const line of [head, ...body]) process.stdout.write(line.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd() + '\n');
  process.stdout.write('\nAlso: e<E>m<M> for any plain ieee format, or a format object {exp, man, subnormals, specials, overflow}.\n');
  return 0;
}
