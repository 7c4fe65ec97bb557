// What the README promises, read from the README itself: its accuracy tables (each row's figures
// and the `npm run train:table -- --rows …` ids that reproduce them) and its commands (shell code
// blocks and indented blocks), so that the tests and the nightly page check the README as written.

export interface ReadmeAccuracyRow {
  label: string;
  /** accuracy.json row ids, one per figure. */
  ids: string[];
  /** The figures in the README, in the order of ids; NaN for "diverged". */
  figures: number[];
}

/** Rows of the README's accuracy tables: `| label | epochs | a / b | \`--rows id1,id2\` |`. */
export function readmeAccuracyRows(readme: string): ReadmeAccuracyRow[] {
  const out: ReadmeAccuracyRow[] = [];
  for (const line of readme.split('\n')) {
    const m = /^\|\s*(.+?)\s*\|\s*[^|]+\|\s*([^|]+?)\s*\|\s*`--rows ([\w.,-]+)`\s*\|$/.exec(line);
    if (!m) continue;
    const ids = m[3].split(',');
    const figures = m[2].split('/').map((f) => (/diverged/.test(f) ? NaN : Number(f.trim())));
    if (figures.length !== ids.length || figures.some((f) => !Number.isNaN(f) && !(f > 0 && f < 1))) throw new Error(`README: the row '${m[1]}' has ${figures.length} figure(s) for ${ids.length} row id(s): ${line}`);
    out.push({ label: m[1], ids, figures });
  }
  return out;
}

export interface ReadmeCommand {
  /** The command as written (one shell line; continuation lines joined). */
  command: string;
  /** The `# …` comment lines right below it (an expected output, or a note). */
  after: string[];
}

/** Every command of the README's ```sh blocks and 4-space indented blocks (with the comment lines that follow each), and those quoted in its prose. */
export function readmeCommands(readme: string): ReadmeCommand[] {
  const out: ReadmeCommand[] = [];
  const lines = readme.split('\n');
  let inSh = false, inOther = false;
  const add = (raw: string) => {
    const body = raw.replace(/\s+#(?!\{).*$/, '').trim(); // a trailing comment is not part of the command
    if (!body) return;
    out.push({ command: body, after: [] });
  };
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i];
    if (/^```/.test(l)) {
      if (inSh || inOther) { inSh = false; inOther = false; } else if (/^```(sh|bash|shell)\s*$/.test(l)) inSh = true; else inOther = true;
      continue;
    }
    if (inOther) continue;
    if (!inSh && !/^ {4}/.test(l)) {
      // Commands quoted in prose: `npx mpsa …`, `npm run …`, `make …`.
      for (const m of l.matchAll(/`((?:npx mpsa|npm run|make) [^`]+)`/g)) if (!out.some((c) => c.command === m[1])) out.push({ command: m[1], after: [] });
      continue;
    }
    const indented = !inSh && /^ {4}\S/.test(l) && (i === 0 || /^\s*$/.test(lines[i - 1]) || /^ {4}\S/.test(lines[i - 1]));
    if (!inSh && !indented) continue;
    const t = l.trim();
    if (t.startsWith('#')) { if (out.length) out[out.length - 1].after.push(t.replace(/^#\s?/, '')); continue; }
    add(t);
  }
  return out;
}
