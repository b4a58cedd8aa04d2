/** Multiset helpers shared by the CodeBLEU components: counts by key, clipped overlaps. */

/** How many times each item occurs. */
export function countItems(items: Iterable<string>): Map<string, number> {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(item, (counts.get(item) ?? 0) + 1);
  return counts;
}

/** Sum over the reference's items of min(reference count, candidate count): BLEU's clipped count. */
export function clippedOverlap<K>(reference: ReadonlyMap<K, number>, candidate: ReadonlyMap<K, number>, weight?: (item: K) => number): number {
  let total = 0;
  for (const [item, count] of reference) {
    const other = candidate.get(item);
    if (other !== undefined) total += Math.min(count, other) * (weight ? weight(item) : 1);
  }
  return total;
}

/** Sum of all counts, optionally weighted per item. */
export function totalCount<K>(counts: ReadonlyMap<K, number>, weight?: (item: K) => number): number {
  let total = 0;
  for (const [item, count] of counts) total += count * (weight ? weight(item) : 1);
  return total;
}

/** Sums of min and max counts over the union of keys: their ratio is the weighted Jaccard similarity. */
export function minMaxSums(a: ReadonlyMap<string, number>, b: ReadonlyMap<string, number>): { min: number; max: number } {
  let min = 0;
  let max = 0;
  for (const [item, count] of a) {
    const other = b.get(item) ?? 0;
    min += Math.min(count, other);
    max += Math.max(count, other);
  }
  for (const [item, count] of b) if (!a.has(item)) max += count;
  return { min, max };
}

/**
 * A ratio whose denominator may be 0: two empty sides agree (1), one empty side against a
 * non-empty one does not (0). Used for every "share of X found" so identical code is 1.
 */
export function ratio(numerator: number, denominator: number, otherSideEmpty: boolean): number {
  if (denominator === 0) return otherSideEmpty ? 1 : 0;
  return numerator / denominator;
}
