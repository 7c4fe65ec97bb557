// The mutant list: every fixed mutant applies to the RTL as it is (its text once in its file),
// random mutants are a function of their seed, and the runner's report names the survivors.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { applyMutant, EQUIVALENT, EQUIVALENT_SITES, FIXED, mutationSites, RANDOM_FILES, randomMutants } from './mutants.ts';
import { mutationMarkdown } from './mutate.ts';

const REPO = fileURLToPath(new URL('..', import.meta.url));
const text = (f: string) => readFileSync(REPO + f, 'utf8');

describe('RTL mutants', () => {
  it('every fixed mutant changes its file at exactly one place', () => {
    expect(new Set([...FIXED, ...EQUIVALENT].map((m) => m.id)).size).toBe(FIXED.length + EQUIVALENT.length);
    for (const m of [...FIXED, ...EQUIVALENT]) {
      const t = text(m.file);
      const out = applyMutant(t, m);
      expect(out, m.id).not.toBe(t);
      expect(out.length, m.id).toBe(t.length - m.from.length + m.to.length);
    }
    expect(FIXED.map((m) => m.id)).toContain('add-rdn-zero-sign');
    for (const area of ['round-', 'add-', 'mul-', 'unpack-', 'pe-']) expect(FIXED.some((m) => m.id.startsWith(area)), area).toBe(true);
  });

  it('a mutant whose text moved is refused, naming it', () => {
    expect(() => applyMutant('x', FIXED[0])).toThrow(new RegExp(`mutant ${FIXED[0].id}: .* is not in`));
    expect(() => applyMutant(`${FIXED[0].from}\n${FIXED[0].from}`, FIXED[0])).toThrow(/more than once/);
  });

  it('random mutants are drawn by seed from the logic of the listed files', () => {
    const a = randomMutants(REPO, 12, 7);
    expect(randomMutants(REPO, 12, 7)).toEqual(a);
    expect(randomMutants(REPO, 12, 8)).not.toEqual(a);
    expect(new Set(a.map((m) => m.id)).size).toBe(12);
    for (const m of a) {
      expect(RANDOM_FILES).toContain(m.file);
      expect(applyMutant(text(m.file), m)).not.toBe(text(m.file));
    }
  });

  it('every site judged equivalent is one random mutation site of the RTL as it is', () => {
    const sites = RANDOM_FILES.flatMap((f) => mutationSites(REPO, f));
    const marked = sites.filter((m) => m.equivalent !== undefined);
    expect(marked.length).toBe(EQUIVALENT_SITES.length);
    for (const e of EQUIVALENT_SITES) {
      const hits = marked.filter((m) => m.file === e.file && m.equivalent === e.why);
      expect(hits.length, `${e.file}: ${e.line}`).toBe(1);
      expect(hits[0].from).toBe(e.from);
      expect(text(e.file).slice(hits[0].at, hits[0].at! + e.from.length)).toBe(e.from);
    }
    // The exp_o site: the first '|' of its line, not the second.
    const expO = marked.find((m) => m.file.endsWith('fp_round.v'))!;
    expect(applyMutant(text(expO.file), expO)).toContain('(zero_i & nan_i | below)');
  });

  it('the report gives the rate and every mutant', () => {
    const md = mutationMarkdown({ killRate: 0.5, results: [
      { id: 'a', file: 'rtl/fp/fp_round.v', what: 'x | y', from: '', to: '', status: 'killed', by: 'property-tests/rtl-units.prop.test.ts > t', seconds: 1 },
      { id: 'b', file: 'rtl/fp/fp_round.v', what: 'w', from: '', to: '', status: 'survived', seconds: 1 },
    ] }, 3);
    expect(md).toMatch(/^kill rate 50\.0 % \(1 killed, 1 survived, 0 stillborn, 0 equivalent; regression seed 3\)/);
    expect(md).toContain('x \\| y');
  });
});
