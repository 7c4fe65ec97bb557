// `mpsa` — one CLI in front of every job. Each subcommand lives in its own file.
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
  formats                         list the preset number formats
  help                            this text

Run 'mpsa <command> --help' for a command's options.`;

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
      process.stderr.write(`mpsa: unknown command '${cmd}'\n\n${USAGE}\n`);
      return 2;
  }
}
