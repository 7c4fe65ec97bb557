import { describe, expect, it } from 'vitest';
import { cacheDir } from './cache-dir.ts';
import { formatTime, fromSteps, toSteps } from './time-units.ts';

describe('time units', () => {
  it('converts whole steps of the model precision and rejects fractions', () => {
    expect(toSteps(10, 'ns', -12)).toBe(10_000);
    expect(toSteps(1.5, 'ns', -12)).toBe(1500);
    expect(toSteps(3, 'step', -12)).toBe(3);
    expect(() => toSteps(1.5, 'ps', -12)).toThrow(/whole number/);
    expect(fromSteps(2500, 'ns', -12)).toBe(2.5);
    expect(formatTime(1_000_000, -12)).toBe('1000 ns');
  });
});

describe('cache folder', () => {
  it('honours MPSA_CACHE_DIR, then XDG_CACHE_HOME, then ~/.cache', () => {
    expect(cacheDir({ MPSA_CACHE_DIR: '/x/y' })).toBe('/x/y/verilator');
    expect(cacheDir({ XDG_CACHE_HOME: '/c' })).toBe('/c/mpsa/verilator');
    expect(cacheDir({ HOME: '/h' })).toMatch(/\.cache\/mpsa\/verilator$/);
  });
});
