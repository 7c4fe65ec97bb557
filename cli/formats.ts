// `mpsa formats`: the preset table and the IEEE P3109 8-bit family, with the derived constants
// users look up most.
import { format, PRESET_NAMES, type Format } from '../golden/index.ts';
import { parseCommandArgs, UsageError, usageFailure } from './args.ts';

const HELP = `usage: mpsa formats [--json]

The preset formats and the IEEE P3109 8-bit family, with exponent and fraction widths, specials,
overflow, bias, exponent range and largest finite value; --json: one JSON object per line.`;

/** The P3109 formats listed: every K = 8 precision, extended and finite domain. */
export const P3109_LISTED: readonly string[] = [1, 2, 3, 4, 5, 6, 7].flatMap((P) => [`binary8p${P}se`, `binary8p${P}sf`]);

function row(n: string, f: Format, family: 'preset' | 'p3109') {
  return { name: n, family, exp: f.exp, man: f.man, specials: f.specials, overflow: f.overflow, subnormals: f.subnormals, bias: f.bias, emin: f.emin, emax: f.emax, max: f.maxValue };
}

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
  const presets = PRESET_NAMES.map((n) => row(n, format(n), 'preset'));
  const p3109 = P3109_LISTED.map((n) => row(n, format(n), 'p3109'));
  if (json) {
    for (const r of [...presets, ...p3109]) process.stdout.write(JSON.stringify(r) + '\n');
    return 0;
  }
  const head = ['name', 'E', 'M', 'specials', 'overflow', 'bias', 'emin', 'emax', 'max finite'];
  const cells = (rows: ReturnType<typeof row>[]) => rows.map((r) => [r.name, r.exp, r.man, r.specials, r.overflow, r.bias, r.emin, r.emax, r.max].map(String));
  const body = cells(presets);
  const fam = cells(p3109);
  const widths = head.map((h, i) => Math.max(h.length, ...[...body, ...fam].map((b) => b[i].length)));
  const print = (lines: string[][]) => {
    for (const line of lines) process.stdout.write(line.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd() + '\n');
  };
  print([head, ...body]);
  process.stdout.write('\nIEEE P3109, K = 8 (binary<K>p<P>s<e|f>: K bits, precision P, signed, extended or finite domain;\n'
    + 'one NaN 0x80, no -0, bias 2^(K-P-1); add -sat or -inf for the other overflow rule):\n');
  print(fam);
  process.stdout.write('\nAlso: e<E>m<M> for any plain ieee format, binary<K>p<P>s<e|f> for any K = 3.. with P = 1..K-1\n'
    + '(K - P <= 8 exponent bits, P <= 24), or a format object {exp, man, subnormals, specials, overflow}.\n');
  return 0;
}
