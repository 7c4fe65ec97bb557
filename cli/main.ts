// `mpsa` — one CLI in front of every job. Each subcommand lives in its own file.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UsageError } from './args.ts';
import { goldenCommand } from './golden.ts';

const USAGE = `usage: mpsa <command> [options]

commands:
  golden --jsonl [--input FILE]   answer JSONL arithmetic requests with the golden model
  rtl --jsonl [--input FILE]      answer the same requests with the RTL units (Verilator)
  train --model mlp|cnn [...]     a seeded Fashion-MNIST training run (fp32, emu or rtl GEMMs)
  synth [configs|cost|all] [...]  Yosys/nextpnr resources and Fmax per configuration and PE kind
  model validate [--json]         predicted vs measured cycles on the simulated arrays
  nightly [--profile quick|full]  the nightly regression and its HTML report (reports/out/<date>/)
  match --workload W --device D   the configuration for each GEMM of a training step
  config new --name N [...]       write a validated configuration (configs/N.json) from flags
  formats                         list the preset number formats
  help, --version                 this text; the version (package.json and git commit)

Run 'mpsa <command> --help' for a command's options. Exit status: 0 done, 1 the command
failed, 2 a usage error (unknown option, bad value, a named file that does not exist).`;

/** `mpsa --version`: the package version and, in a git checkout, the commit. */
function version(): string {
  const root = fileURLToPath(new URL('../', import.meta.url));
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
  let commit = '';
  try {
    commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: root, stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim();
    if (execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], { cwd: root, stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim()) commit += '+dirty';
  } catch { /* not a git checkout */ }
  return `mpsa ${pkg.version}${commit ? ` (${commit})` : ''}`;
}

/** `mpsa … | head -1`: a reader that went away ends the command quietly, not with an EPIPE stack. */
let quiet = false;
function quietOnEpipe(): void {
  if (quiet) return;
  quiet = true;
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw e;
  });
}

export async function main(argv: string[]): Promise<number> {
  quietOnEpipe();
  try {
    return await dispatch(argv);
  } catch (e) {
    // A usage error a command did not catch itself: the same one-line form, exit 2.
    if (e instanceof UsageError) {
      process.stderr.write(`mpsa ${argv[0]}: ${e.message}\nrun 'mpsa ${argv[0]} --help' for every option\n`);
      return 2;
    }
    throw e;
  }
}

async function dispatch(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  switch (cmd) {
    case 'golden':
      return goldenCommand(rest);
    case 'rtl': {
      const { rtlCommand } = await import('./rtl.ts');
      return rtlCommand(rest);
    }
    case 'train': {
      const { trainCommand } = await import('./train.ts');
      return trainCommand(rest);
    }
    case 'match': {
      const { matchCommand } = await import('./match.ts');
      return matchCommand(rest);
    }
    case 'model': {
      const { modelCommand } = await import('./model.ts');
      return modelCommand(rest);
    }
    case 'synth': {
      const { synthCommand } = await import('./synth.ts');
      return synthCommand(rest);
    }
    case 'nightly': {
      const { nightlyCommand } = await import('./nightly.ts');
      return nightlyCommand(rest);
    }
    case 'config': {
      const { configCommand } = await import('./config.ts');
      return configCommand(rest);
    }
    case '--version':
    case '-V':
    case 'version':
      process.stdout.write(version() + '\n');
      return 0;
    case 'formats': {
      const { formatsCommand } = await import('./formats.ts');
      return formatsCommand(rest);
    }
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      process.stdout.write(USAGE + '\n');
      return cmd === undefined ? 2 : 0;
    default:
      process.stderr.write(`mpsa: unknown command '${cmd}'\nusage: mpsa <command> [options]; 'mpsa help' lists the commands\n`);
      return 2;
  }
}
