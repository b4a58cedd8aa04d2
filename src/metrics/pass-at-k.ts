/**
 * Unbiased pass@k estimator (Chen et al., 2021): 1 - C(n-c, k) / C(n, k), computed in its
 * product form 1 - prod_{i=n-c+1..n} (1 - k/i), which neither overflows nor cancels badly.
 * @throws RangeError for negative or non-integer values, c > n or k > n
 */
export function passAtK(n: number, c: number, k: number): number {
  for (const [name, value] of [['n', n], ['c', c], ['k', k]] as const) {
    if (!Number.isInteger(value) || value < 0) throw new RangeError(`${name} must be a non-negative integer (got ${value})`);
  }
  if (n === 0) throw new RangeError('n must be at least 1');
  if (k === 0) throw new RangeError('k must be at least 1');
  if (c > n) throw new RangeError(`c (${c}) cannot exceed n (${n})`);
  if (k > n) throw new RangeError(`k (${k}) cannot exceed n (${n})`);
  if (n - c < k) return 1;
  let product = 1;
  for (let i = n - c + 1; i <= n; i++) product *= 1 - k / i;
  return 1 - product;
}

/** pass@k for every k in `ks` that is at most n, keyed by k as a string (JSON object keys). */
export function passAtKTable(n: number, c: number, ks: readonly number[]): Record<string, number> {
  const table: Record<string, number> = {};
  for (const k of ks) if (k <= n) table[String(k)] = passAtK(n, c, k);
  return table;
}
