// The mutants of the RTL (docs/testing.md, "Mutation testing"): a fixed list, one planted fault
// per entry in the rounder, adder, multiplier, unpack, normaliser and PE control, and random
// ones drawn by seed from the operators, constants and conditions of the same files. A mutant is
// one replacement of an exact text in one file; scripts/mutate.ts runs the RTL suites on each.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface Mutant {
  id: string;
  /** Repository-relative path of the Verilog file. */
  file: string;
  /** The exact text replaced (must occur once in the file, unless `at` names the offset). */
  from: string;
  to: string;
  /** What the fault means. */
  what: string;
  /** Character offset of `from` (random mutants). */
  at?: number;
  /** A random mutant at a site judged equivalent by hand (EQUIVALENT_SITES): why it cannot be told apart. */
  equivalent?: string;
}

const FP = 'rtl/fp/';
const PE = 'rtl/pe/';

export const FIXED: readonly Mutant[] = [
  // The rounder (fp_round.v)
  { id: 'round-rne-tie', file: FP + 'fp_round.v', from: '`FP_RNE: round_up = half & (rest | k_odd);', to: '`FP_RNE: round_up = half & rest;', what: 'rne: a tie never rounds to the even neighbour' },
  { id: 'round-rna-rest', file: FP + 'fp_round.v', from: '`FP_RNA: round_up = half;', to: '`FP_RNA: round_up = half & rest;', what: 'rna: a tie rounds down' },
  { id: 'round-rup-sticky', file: FP + 'fp_round.v', from: '`FP_RUP: round_up = (half | rest) & ~neg;', to: '`FP_RUP: round_up = half & ~neg;', what: 'rup: only the half bit counts as inexact' },
  { id: 'round-rdn-sign', file: FP + 'fp_round.v', from: '`FP_RDN: round_up = (half | rest) & neg;', to: '`FP_RDN: round_up = (half | rest) & ~neg;', what: 'rdn rounds like rup' },
  { id: 'round-rto-odd', file: FP + 'fp_round.v', from: '`FP_RTO: round_up = (half | rest) & ~k_odd;', to: '`FP_RTO: round_up = (half | rest) & k_odd;', what: 'rto: rounds towards the even neighbour' },
  { id: 'round-sr-carry', file: FP + 'fp_round.v', from: 'default: round_up = sum[RBITS];', to: 'default: round_up = sum[RBITS-1];', what: 'sr: the decision reads the wrong bit of F + R' },
  { id: 'round-sr-width', file: FP + 'fp_round.v', from: 'sh   = RBITS[RB_W-1:0] - r;', to: 'sh   = {RB_W{1\'b0}};', what: 'sr: r is ignored (F and R always RBITS wide)' },
  { id: 'round-exact-sticky', file: FP + 'fp_round.v', from: 'wire exact = ~coarse & ~|{f_i, sticky_i};', to: 'wire exact = ~coarse & ~|{f_i};', what: 'inexact ignores the sticky bit' },
  { id: 'round-tiny-before', file: FP + 'fp_round.v', from: 'wire tiny   = below & ~top_up;', to: 'wire tiny   = below;', what: 'tininess detected before rounding' },
  { id: 'round-overflow-carry', file: FP + 'fp_round.v', from: ' | ((exp_i == EMAX_X) & k_i[P-1] & frac_cond)', to: '', what: 'a round-up carry past max is not an overflow' },
  { id: 'round-rdn-inf', file: FP + 'fp_round.v', from: '`FP_RDN:          to_inf = sign_i;', to: '`FP_RDN:          to_inf = ~sign_i;', what: 'rdn overflows to the wrong infinity' },
  { id: 'round-sr-inf', file: FP + 'fp_round.v', from: '`FP_SR:           to_inf = up;', to: '`FP_SR:           to_inf = 1\'b1;', what: 'sr always overflows to infinity' },
  { id: 'round-exp-carry', file: FP + 'fp_round.v', from: '(up & (&k_i))            ? exp_up : exp_i;', to: '(up & (&k_i))            ? exp_i : exp_i;', what: 'the exponent beside the code misses the carry of a round-up' },
  { id: 'round-underflow-flag', file: FP + 'fp_round.v', from: 'flags_o = exact ? 4\'b0000 : tiny ? 4\'b1100 : 4\'b1000;', to: 'flags_o = exact ? 4\'b0000 : tiny ? 4\'b0100 : 4\'b1000;', what: 'underflow without inexact' },
  // The adder
  { id: 'add-rdn-zero-sign', file: FP + 'fp_add_sign.v', from: '(mode_i == `FP_RDN)', to: '1\'b0', what: 'an exact-zero sum is +0 under rdn' },
  { id: 'add-sign-neg', file: FP + 'fp_add_sign.v', from: 'neg_i  ? small_sign_i : big_sign_i', to: 'neg_i  ? big_sign_i : big_sign_i', what: 'a negative difference keeps the big operand\'s sign' },
  { id: 'add-swap-zero', file: FP + 'fp_add_swap.v', from: 'wire swap = a_zero_i | (~b_zero_i & d_ab[EXP_W-1]);', to: 'wire swap = (~b_zero_i & d_ab[EXP_W-1]);', what: 'a zero a is taken as the big operand' },
  { id: 'add-inf-minus-inf', file: FP + 'fp_add_swap.v', from: 'a_inf_i & b_inf_i & (a_sign_i ^ b_sign_i);', to: 'a_inf_i & b_inf_i;', what: 'Inf + Inf is invalid' },
  { id: 'add-align-sticky', file: FP + 'fp_add_align.v', from: 'assign small_st_o = small_st_i | |(small_i & ~({L{1\'b1}} << diff_i));', to: 'assign small_st_o = small_st_i;', what: 'bits shifted out of the small operand are lost (no sticky)' },
  { id: 'add-diff-saturate', file: FP + 'fp_add_swap.v', from: 'assign diff_o = (|diff_s[EXP_W-1:D_W]) ? {D_W{1\'b1}} : diff_s[D_W-1:0];', to: 'assign diff_o = diff_s[D_W-1:0];', what: 'a large exponent difference wraps instead of saturating' },
  { id: 'add-sum-negate', file: FP + 'fp_add_sum.v', from: 'assign sum_o  = ~sub_i ? e0 : (neg ? ~e0 : e1);', to: 'assign sum_o  = ~sub_i ? e0 : (neg ? e0 : e1);', what: 'a negative difference is not negated' },
  { id: 'add-small-sticky-swap', file: FP + 'fp_add_swap.v', from: 'assign small_st_o   = ~any_zero & (swap ? a_st_i : b_st_i);', to: 'assign small_st_o   = ~any_zero & (swap ? b_st_i : a_st_i);', what: 'the small operand takes the big one\'s sticky bit' },
  // The multiplier
  { id: 'mul-invalid-side', file: FP + 'fp_mul.v', from: 'wire invalid        = ~(a_nan | b_nan) & inf_times_zero;', to: 'wire invalid        = ~(a_nan | b_nan) & (a_inf & b_zero);', what: '0 * Inf is NaN without invalid (Inf * 0 still raises it)' },
  { id: 'mul-exp-top', file: FP + 'fp_mul.v', from: 'wire signed [EXP_W-1:0] exp_top = a_exp + b_exp + 1\'b1;', to: 'wire signed [EXP_W-1:0] exp_top = a_exp + b_exp;', what: 'the product exponent is one short' },
  { id: 'pe-mul-infzero', file: PE + 'mac_prod.v', from: 'wire                    m_infz   = (ma_inf & mb_zero) | (ma_zero & mb_inf);', to: 'wire                    m_infz   = (ma_inf & mb_zero);', what: 'PE: 0 * Inf is not invalid' },
  { id: 'pe-mul-norm-exp', file: PE + 'mac_prod.v', from: 'wire signed [EXP_W-1:0] nexp = n_exp_top - {{(EXP_W - 1){1\'b0}}, ~hi};', to: 'wire signed [EXP_W-1:0] nexp = n_exp_top;', what: 'PE (fused): the product\'s exponent ignores its normalising shift' },
  // Unpack and normalise
  { id: 'unpack-flush', file: FP + 'fp_unpack.v', from: 'assign zero_o = field_0 & (frac_0 | (SUBNORMALS == 0)) & ~p_nan;', to: 'assign zero_o = field_0 & frac_0 & ~p_nan;', what: 'a format without subnormals reads subnormal codes as values' },
  { id: 'unpack-fn-nan', file: FP + 'fp_unpack.v', from: ' | ((SPECIALS == `FP_FN) & top & (&frac))', to: '', what: 'the fn NaN code is read as a number' },
  { id: 'unpack-sub-exp', file: FP + 'fp_unpack.v', from: 'exp_o = EMIN[EXP_W-1:0] - 1\'b1 - $signed(', to: 'exp_o = EMIN[EXP_W-1:0] - $signed(', what: 'a subnormal operand\'s exponent is one too large' },
  { id: 'norm-sticky', file: FP + 'fp_norm.v', from: 'assign sticky_o = sticky_i | lost | (|y[XW-KF-1:0]);', to: 'assign sticky_o = sticky_i | lost;', what: 'bits below the rounder\'s window are lost' },
  { id: 'clamp-sticky', file: FP + 'fp_clamp.v', from: 'assign st_o  = |(x & ~({W_OUT{1\'b1}} << d));', to: 'assign st_o  = 1\'b0;', what: 'PE: a product below the accumulator\'s emin loses its sticky bits' },
  // PE control
  { id: 'pe-load-valid', file: PE + 'mac_acc.v', from: 'wire             fresh     = valid_i & load_i;', to: 'wire             fresh     = load_i;', what: 'PE: load without valid starts an output' },
  { id: 'pe-load-flags', file: PE + 'mac_acc.v', from: '(fresh ? 4\'b0000 : flags_q) |', to: '(flags_q) |', what: 'PE: a new output inherits the previous output\'s flags' },
  { id: 'pe-idle-zero', file: PE + 'mac_acc.v', from: 'wire b_zero = ~valid_i | p_zero_i;', to: 'wire b_zero = p_zero_i;', what: 'PE: an idle cycle adds the stale product' },
  { id: 'pe-idle-sign', file: PE + 'mac_acc.v', from: 'wire b_sign = valid_i ? p_sign_i : a_sign;', to: 'wire b_sign = p_sign_i;', what: 'PE: an idle cycle adds a zero of the product\'s sign' },
  { id: 'pe-done', file: PE + 'mac_acc.v', from: 'else done_q <= r_ctl[0] & r_ctl[1];', to: 'else done_q <= r_ctl[1];', what: 'PE: done without a valid MAC' },
  { id: 'pe-rng-shift', file: PE + 'xorshift32.v', from: 'xs = s2 ^ (s2 << 5);', to: 'xs = s2 ^ (s2 << 6);', what: 'PE: the sr generator is not xorshift32 (13, 17, 5)' },
];

/**
 * Mutants found equivalent (no input can tell them from the RTL), taken out of FIXED after the
 * first measured run (docs/testing.md): each removes logic that is redundant where it stands.
 */
export const EQUIVALENT: readonly Mutant[] = [
  { id: 'add-small-sticky-zero', file: FP + 'fp_add_swap.v', from: 'assign small_st_o   = ~any_zero & (swap ? a_st_i : b_st_i);', to: 'assign small_st_o   = (swap ? a_st_i : b_st_i);', what: 'a zero operand keeps a sticky bit — equivalent: every caller gives a zero operand no sticky (units: 0; the PE: a zero accumulator or a zero product out of fp_clamp)' },
  { id: 'norm-fits', file: FP + 'fp_norm.v', from: 'wire                    fits = lz_x <= room;', to: 'wire                    fits = lz_x < room;', what: 'a left shift landing exactly on emin is taken as subnormal — equivalent: at lz = room both branches shift by lz and give emin' },
  { id: 'mul-invalid-nan', file: FP + 'fp_mul.v', from: 'wire invalid        = ~(a_nan | b_nan) & inf_times_zero;', to: 'wire invalid        = inf_times_zero;', what: 'NaN * Inf * 0 raises invalid — equivalent: Inf * 0 needs one operand Inf and the other zero, so neither is NaN' },
];

/**
 * Random mutation sites judged equivalent by reading the RTL (docs/testing.md): a random mutant
 * drawn here is reported as equivalent with the reason, not run, and left out of the kill rate.
 * A site is the file, its logic line (trimmed, comment removed) and the n-th (from 0) match of the
 * replaced text on that line; an entry that matches no site fails scripts/mutants.test.ts, so an
 * RTL edit that moves one brings it back to be judged again.
 */
export const EQUIVALENT_SITES: readonly { file: string; line: string; from: string; nth: number; why: string }[] = [
  { file: FP + 'fp_round.v', line: 'assign exp_o = (zero_i | nan_i | below) ? EMIN_X :', from: '|', nth: 0,
    why: 'zero_i & nan_i | below: a zero result has k = 0, so it is below and still gets emin; a NaN result\'s exponent is read by nobody (the PE loop adds to a NaN accumulator as NaN, and a format without NaN stores +0, whose exponent fp_add_swap ignores)' },
  { file: FP + 'fp_round.v', line: 'assign exp_o = (zero_i | nan_i | below) ? EMIN_X :', from: '|', nth: 1,
    why: 'zero_i | nan_i & below: zero results still get emin; a NaN result\'s exponent is read by nobody (as for the first |)' },
  { file: FP + 'fp_mul.v', line: 'wire invalid        = ~(a_nan | b_nan) & inf_times_zero;', from: '|', nth: 0,
    why: '~(a_nan & b_nan): Inf * 0 needs one operand Inf and the other zero, so neither is NaN and both guards are 1 wherever inf_times_zero is (the fixed mul-invalid-nan, EQUIVALENT)' },
  { file: FP + 'fp_clamp.v', line: "wire [SH_W-1:0]         d     = !below ? {SH_W{1'b0}} : (d_s > W_OUT_X) ? W_OUT[SH_W-1:0] : d_s[SH_W-1:0];", from: ' > ', nth: 0,
    why: 'd_s >= W_OUT: at d_s = W_OUT both branches give W_OUT (it fits in SH_W = clog2(W_OUT + 1) bits)' },
  { file: FP + 'fp_norm.v', line: "wire signed [EXP_W-1:0] sh_l = fits ? lz_x : (room[EXP_W-1] ? {EXP_W{1'b0}} : room);", from: "1'b0", nth: 0,
    why: 'a left shift of all ones when room < 0: nobody shifts left then (RIGHT = 1 takes the right shift whenever room < 0; RIGHT = 0 callers keep exp_i >= emin, so room >= 0)' },
];

/** The files random mutants are drawn from: rounder, adder, multiplier, unpack, PE control. */
export const RANDOM_FILES = [
  'fp_round', 'fp_norm', 'fp_unpack', 'fp_add_swap', 'fp_add_align', 'fp_add_sum', 'fp_add_sign', 'fp_add_raw', 'fp_mul', 'fp_clamp',
].map((f) => FP + f + '.v').concat(['mac_acc', 'mac_prod'].map((f) => PE + f + '.v'));

/** Operator, constant and condition replacements a random mutant makes (first that applies at a site). */
const OPERATORS: readonly [RegExp, (m: string) => string][] = [
  [/==/g, () => '!='],
  [/!=/g, () => '=='],
  [/1'b0/g, () => "1'b1"],
  [/1'b1/g, () => "1'b0"],
  [/(?<![&|~^])&(?![&|])/g, () => '|'],
  [/(?<![&|~^])\|(?![&|])/g, () => '&'],
  [/ \+ /g, () => ' - '],
  [/ - /g, () => ' + '],
  [/~(?=[a-z(|&^])/g, () => ''],
  [/ > /g, () => ' >= '],
  [/ < /g, () => ' <= '],
];

/** xorshift32 stream for drawing random mutants. */
function rng(seed: number): () => number {
  let s = (seed ^ 0x2545f491) >>> 0 || 1;
  return () => { s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0; return s; };
}

/** Every site of the operators in a file's logic lines (assign, always-block assignments), comments left out. */
export function mutationSites(repo: string, file: string): Mutant[] {
  const text = readFileSync(join(repo, file), 'utf8');
  const out: Mutant[] = [];
  let offset = 0;
  for (const line of text.split('\n')) {
    const code = line.replace(/\/\/.*$/, '');
    const logic = /^\s*(assign\b|wire\b[^;]*=|[a-z_][\w\[\]:]*\s*(<=|=)(?!=))/.test(code) && !/\b(parameter|localparam|input|output|genvar)\b/.test(code);
    if (logic) {
      const rhs = code.indexOf('=') + 1;
      for (const [re, to] of OPERATORS) {
        re.lastIndex = 0;
        let nth = 0;
        for (let m = re.exec(code); m; m = re.exec(code)) {
          if (m.index < rhs) continue;
          const eq = EQUIVALENT_SITES.find((e) => e.file === file && e.line === code.trim() && e.from === m![0] && e.nth === nth);
          nth++;
          out.push({ id: '', file, from: m[0], to: to(m[0]), what: `${JSON.stringify(m[0])} -> ${JSON.stringify(to(m[0]))} in "${code.trim().slice(0, 90)}"`, at: offset + m.index, ...(eq ? { equivalent: eq.why } : {}) });
        }
      }
    }
    offset += line.length + 1;
  }
  return out;
}

/** `count` random mutants drawn by `seed` (each site at most once). */
export function randomMutants(repo: string, count: number, seed: number): Mutant[] {
  const sites = RANDOM_FILES.flatMap((f) => mutationSites(repo, f));
  const next = rng(seed);
  const picked: Mutant[] = [];
  const used = new Set<number>();
  while (picked.length < Math.min(count, sites.length)) {
    const i = next() % sites.length;
    if (used.has(i)) continue;
    used.add(i);
    const s = sites[i];
    const line = readFileSync(join(repo, s.file), 'utf8').slice(0, s.at).split('\n').length;
    picked.push({ ...s, id: `random-${seed}-${picked.length + 1}-${s.file.split('/').pop()?.replace('.v', '')}:${line}` });
  }
  return picked;
}

/** The file's text with the mutant applied; throws when its text is not where it should be. */
export function applyMutant(text: string, m: Mutant): string {
  if (m.at !== undefined) {
    if (text.slice(m.at, m.at + m.from.length) !== m.from) throw new Error(`mutant ${m.id}: ${m.file} has no ${JSON.stringify(m.from)} at ${m.at}`);
    return text.slice(0, m.at) + m.to + text.slice(m.at + m.from.length);
  }
  const first = text.indexOf(m.from);
  if (first < 0) throw new Error(`mutant ${m.id}: ${JSON.stringify(m.from)} is not in ${m.file}`);
  if (text.indexOf(m.from, first + 1) >= 0) throw new Error(`mutant ${m.id}: ${JSON.stringify(m.from)} occurs more than once in ${m.file}`);
  return text.slice(0, first) + m.to + text.slice(first + m.from.length);
}
