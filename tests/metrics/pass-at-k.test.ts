import { describe, expect, it } from 'vitest';
import { meanPassAtK, passAtK, passAtKTable } from '../../src/metrics/pass-at-k.js';

/** C(n, k) exactly. */
function binomial(n: number, k: number): bigint {
  if (k < 0 || k > n) return 0n;
  let result = 1n;
  for (let i = 1; i <= k; i++) result = (result * BigInt(n - k + i)) / BigInt(i);
  return result;
}

/** 1 - C(n-c, k) / C(n, k) as exact rational arithmetic, converted to a double at the end. */
function exactPassAtK(n: number, c: number, k: number): number {
  const den = binomial(n, k);
  const num = den - binomial(n - c, k);
  const SCALE = 10n ** 40n;
  return Number((num * SCALE) / den) / 1e40;
}

describe('passAtK against exact BigInt rational arithmetic', () => {
  const grid: Array<[number, number, number]> = [];
  for (const n of [1, 2, 3, 5, 8, 13, 20, 50, 100, 200, 500]) {
    const cs = [...new Set([0, 1, 2, Math.floor(n / 3), Math.floor(n / 2), n - 1, n].filter((c) => c >= 0 && c <= n))];
    const ks = [...new Set([1, 2, 5, 10, 50, 100, Math.floor(n / 2), n].filter((k) => k >= 1 && k <= n))];
    for (const c of cs) for (const k of ks) grid.push([n, c, k]);
  }

  it(`agrees to 1e-12 on a grid of ${grid.length} (n, c, k)`, () => {
    for (const [n, c, k] of grid) {
      const got = passAtK(n, c, k);
      const want = exactPassAtK(n, c, k);
      expect(Math.abs(got - want), `n=${n} c=${c} k=${k}: ${got} vs ${want}`).toBeLessThanOrEqual(1e-12);
    }
  });

  it('stays exact for n up to 100,000 (no overflow, no loss of precision)', () => {
    for (const [n, c, k] of [[100_000, 1, 1], [100_000, 13, 1], [100_000, 13, 100], [100_000, 50_000, 10], [100_000, 99_000, 1000], [100_000, 3, 99_998]] as const) {
      const got = passAtK(n, c, k);
      expect(Number.isFinite(got)).toBe(true);
      expect(Math.abs(got - exactPassAtK(n, c, k)), `n=${n} c=${c} k=${k}`).toBeLessThanOrEqual(1e-12);
    }
    // A tiny value keeps its relative precision too: pass@1 with one correct sample of n is 1/n.
    expect(passAtK(100_000, 1, 1)).toBeCloseTo(1e-5, 15);
  });

  it('matches the closed forms: pass@1 = c/n, and 1 when n - c < k', () => {
    expect(passAtK(200, 13, 1)).toBeCloseTo(13 / 200, 14);
    expect(passAtK(10, 10, 5)).toBe(1);
    expect(passAtK(10, 8, 3)).toBe(1);
    expect(passAtK(10, 0, 10)).toBe(0);
    expect(passAtK(1, 1, 1)).toBe(1);
    expect(passAtK(1, 0, 1)).toBe(0);
  });
});

describe('passAtK errors', () => {
  it.each([
    [5, 1, 6, /k \(6\) cannot exceed n \(5\)/],
    [5, 6, 1, /c \(6\) cannot exceed n \(5\)/],
    [-1, 0, 1, /n must be a non-negative integer/],
    [5, -1, 1, /c must be a non-negative integer/],
    [5, 1, 1.5, /k must be a non-negative integer/],
    [5.5, 1, 1, /n must be a non-negative integer/],
    [Number.NaN, 1, 1, /n must be a non-negative integer/],
    [0, 0, 1, /n must be at least 1/],
    [5, 1, 0, /k must be at least 1/],
  ])('passAtK(%s, %s, %s) throws', (n, c, k, message) => {
    expect(() => passAtK(n, c, k)).toThrow(RangeError);
    expect(() => passAtK(n, c, k)).toThrow(message);
  });
});

describe('meanPassAtK (benchmark pass@k over problems)', () => {
  it('is the mean of the per-problem estimates', () => {
    const problems = [{ n: 10, c: 3 }, { n: 20, c: 0 }, { n: 5, c: 5 }];
    const want = (exactPassAtK(10, 3, 2) + exactPassAtK(20, 0, 2) + exactPassAtK(5, 5, 2)) / 3;
    expect(Math.abs(meanPassAtK(problems, 2) - want)).toBeLessThanOrEqual(1e-12);
  });

  it('names the problem whose values are wrong, and refuses an empty list', () => {
    expect(() => meanPassAtK([{ n: 10, c: 3 }, { n: 2, c: 1 }], 5)).toThrow(/problem 2: k \(5\) cannot exceed n \(2\)/);
    expect(() => meanPassAtK([], 1)).toThrow(/at least one problem/);
  });
});

describe('passAtKTable', () => {
  it('keys by k as strings and leaves out k > n', () => {
    const table = passAtKTable(5, 2, [1, 5, 10]);
    expect(Object.keys(table)).toEqual(['1', '5']);
    expect(table['1']).toBeCloseTo(0.4, 14);
    expect(table['5']).toBe(1);
  });
});
