import { clippedOverlap, ratio } from './multiset.js';

/** The BLEU orders CodeBLEU uses (1- to 4-grams, equal weights). */
export const MAX_ORDER = 4;

/** Pooled n-gram counts of one pair or many (corpus BLEU sums these before dividing). */
export interface NgramCounts {
  /** Per order (index 0 = unigrams): clipped matches of candidate n-grams in the reference. */
  matches: number[];
  /** Per order: candidate n-grams (the precision denominator). */
  candidateTotals: number[];
  /** Per order: reference n-grams (only to tell "both empty" from "candidate too short"). */
  referenceTotals: number[];
  candidateLength: number;
  referenceLength: number;
}

/** Per order (index 0 = unigrams): each n-gram's count, keyed by its tokens joined with NUL (which no token contains). */
export type NgramTables = Map<string, number>[];

/** The n-gram counts of a token list, orders 1 to MAX_ORDER. */
export function ngramTables(tokens: readonly string[]): NgramTables {
  const tables: NgramTables = [];
  let keys: string[] = [...tokens];
  for (let order = 1; order <= MAX_ORDER; order++) {
    const table = new Map<string, number>();
    for (const key of keys) table.set(key, (table.get(key) ?? 0) + 1);
    tables.push(table);
    // The (n+1)-gram at i is the n-gram at i followed by token i + n.
    const next: string[] = [];
    for (let i = 0; i + order < tokens.length; i++) next.push(`${keys[i]}\u0000${tokens[i + order]}`);
    keys = next;
  }
  return tables;
}

/** Counts BLEU's clipped n-gram matches of a candidate token list against a reference. */
export function countNgramMatches(reference: readonly string[], candidate: readonly string[]): NgramCounts {
  return countNgramTableMatches(ngramTables(reference), ngramTables(candidate), reference.length, candidate.length);
}

/** countNgramMatches over precomputed tables (a text's tables serve every pair it is in). */
export function countNgramTableMatches(reference: NgramTables, candidate: NgramTables, referenceLength: number, candidateLength: number): NgramCounts {
  const counts: NgramCounts = { matches: [], candidateTotals: [], referenceTotals: [], candidateLength, referenceLength };
  for (let order = 1; order <= MAX_ORDER; order++) {
    counts.matches.push(clippedOverlap(reference[order - 1] ?? new Map<string, number>(), candidate[order - 1] ?? new Map<string, number>()));
    // A list of L tokens has L - n + 1 n-grams.
    counts.candidateTotals.push(Math.max(0, candidateLength - order + 1));
    counts.referenceTotals.push(Math.max(0, referenceLength - order + 1));
  }
  return counts;
}

/** Adds pooled counts (corpus level). */
export function addNgramCounts(a: NgramCounts, b: NgramCounts): NgramCounts {
  const add = (x: number[], y: number[]) => x.map((v, i) => v + (y[i] ?? 0));
  return {
    matches: add(a.matches, b.matches),
    candidateTotals: add(a.candidateTotals, b.candidateTotals),
    referenceTotals: add(a.referenceTotals, b.referenceTotals),
    candidateLength: a.candidateLength + b.candidateLength,
    referenceLength: a.referenceLength + b.referenceLength,
  };
}

/** BLEU's brevity penalty: 1 for a candidate at least as long as the reference, else exp(1 - r/c). */
export function brevityPenalty(candidateLength: number, referenceLength: number): number {
  if (candidateLength === 0) return referenceLength === 0 ? 1 : 0;
  return candidateLength >= referenceLength ? 1 : Math.exp(1 - referenceLength / candidateLength);
}

/** Geometric mean of the per-order scores with equal weights; 0 as soon as one order is 0 (no smoothing). */
export function geometricMean(values: readonly number[]): number {
  if (values.some((v) => v === 0)) return 0;
  return Math.exp(values.reduce((sum, v) => sum + Math.log(v), 0) / values.length);
}

/** Modified n-gram precision per order; an order neither side has (code shorter than n tokens) counts 1. */
export function ngramPrecisions(counts: NgramCounts): number[] {
  return counts.matches.map((m, i) => ratio(m, counts.candidateTotals[i]!, counts.referenceTotals[i] === 0)); // safe: same length
}

/** BLEU-4 from (pooled) counts: brevity penalty x geometric mean of the modified precisions. */
export function bleuFromCounts(counts: NgramCounts): number {
  return brevityPenalty(counts.candidateLength, counts.referenceLength) * geometricMean(ngramPrecisions(counts));
}
