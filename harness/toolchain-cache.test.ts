// The toolchain probe is remembered per program identity (harness/toolchain-cache.ts).
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { cachedProbe } from './toolchain-cache.ts';

let saved: string | undefined;
let dir = '';
beforeEach(() => {
  saved = process.env.MPSA_CACHE_DIR;
  dir = mkdtempSync(join(tmpdir(), 'mpsa-tc-'));
  process.env.MPSA_CACHE_DIR = join(dir, 'cache');
});
afterEach(() => {
  if (saved === undefined) delete process.env.MPSA_CACHE_DIR;
  else process.env.MPSA_CACHE_DIR = saved;
});

it('probes once per program identity and again when a program changes', async () => {
  const tool = join(dir, 'fake-verilator');
  writeFileSync(tool, '#!/bin/sh\n');
  chmodSync(tool, 0o755);
  let probes = 0;
  const probe = async () => ({ n: ++probes });
  expect(await cachedProbe(tool, 'g++', probe)).toEqual({ n: 1 });
  expect(await cachedProbe(tool, 'g++', probe)).toEqual({ n: 1 }); // from the file
  writeFileSync(tool, '#!/bin/sh\n# a new version\n'); // another size: another identity
  expect(await cachedProbe(tool, 'g++', probe)).toEqual({ n: 2 });
  expect(await cachedProbe(tool, 'g++', probe, (x) => (x as { n: number }).n > 5)).toEqual({ n: 3 }); // a saved result that fails validation is probed again
});
