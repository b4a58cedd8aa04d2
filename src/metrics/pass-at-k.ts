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
  if (c === 0) return 0;
  // prod (1 - k/i) summed as logs and complemented with expm1: no cancellation when pass@k is tiny.
  let logProduct = 0;
  for (let i = n - c + 1; i <= n; i++) logProduct += Math.log1p(-k / i);
  return -Math.expm1(logProduct);
}

/**
 * Benchmark pass@k: the mean of pass@k over several problems, each with its own n and c
 * (Chen et al. 2021, as HumanEval reports it).
 * @throws RangeError when there are no problems, or for any problem as passAtK does
 */
export function meanPassAtK(problems: readonly { n: number; c: number }[], k: number): number {
  if (problems.length === 0) throw new RangeError('mean pass@k needs at least one problem');
  let sum = 0;
  for (const [index, { n, c }] of problems.entries()) {
    try {
      sum += passAtK(n, c, k);
    } catch (error) {
      throw new RangeError(`problem ${index + 1}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  return sum / problems.length;
}

/** pass@k for every k in `ks` that is at most n, keyed by k as a string (JSON object keys). */
export function passAtKTable(n: number, c: number, ks: readonly number[]): Record<string, number> {
  const table: Record<string, number> = {};
  for (const k of ks) if (k <= n) table[String(k)] = passAtK(n, c, k);
  return table;
}
