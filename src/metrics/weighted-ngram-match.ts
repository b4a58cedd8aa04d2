import type { CodeTokens } from '../ast/code-analysis.js';
import { brevityPenalty, countNgramTableMatches, geometricMean, NgramKeys, ngramTables, type NgramCounts } from './ngram-match.js';
import { clippedOverlap, ratio, totalCount } from './multiset.js';

/** Weight of a language keyword and of any other token in the weighted n-gram match. */
export const KEYWORD_WEIGHT = 1;
export const OTHER_TOKEN_WEIGHT = 0.2;

/** Pooled counts of the weighted n-gram match (recall over the reference's n-grams). */
export interface WeightedNgramCounts {
  /** Per order: matched reference n-grams (weighted for unigrams). */
  matches: number[];
  /** Per order: reference n-grams (weighted for unigrams): the denominator. */
  referenceTotals: number[];
  /** Per order: candidate n-grams (only to tell "both empty" apart). */
  candidateTotals: number[];
  candidateLength: number;
  referenceLength: number;
}

/**
 * Counts the weighted n-gram match as the reference implementation defines it (CodeXGLUE /
 * k4black codebleu `weighted_ngram_match`): per order, the reference's n-grams found in the
 * candidate (clipped) over the reference's n-grams; unigrams weighted 1 for keywords and 0.2
 * otherwise, longer n-grams unweighted.
 */
export function countWeightedNgramMatches(reference: CodeTokens, candidate: readonly string[]): WeightedNgramCounts {
  const keys = new NgramKeys();
  const refTables = ngramTables(reference.texts, keys);
  const candTables = ngramTables(candidate, keys);
  const plain = countNgramTableMatches(refTables, candTables, reference.texts.length, candidate.length);
  return weightNgramCounts(plain, refTables.unigrams, candTables.unigrams, referenceKeywords(reference));
}

/**
 * The weighted counts from the plain n-gram counts of the same pair: only unigrams are
 * weighted, and for longer n-grams the clipped matches are the same numbers, here divided
 * by the reference's total instead of the candidate's.
 */
export function weightNgramCounts(plain: NgramCounts, referenceUnigrams: ReadonlyMap<string, number>, candidateUnigrams: ReadonlyMap<string, number>, keywords: ReadonlySet<string>): WeightedNgramCounts {
  const weight = (token: string) => (keywords.has(token) ? KEYWORD_WEIGHT : OTHER_TOKEN_WEIGHT);
  return {
    matches: [clippedOverlap(referenceUnigrams, candidateUnigrams, weight), ...plain.matches.slice(1)],
    referenceTotals: [totalCount(referenceUnigrams, weight), ...plain.referenceTotals.slice(1)],
    candidateTotals: [...plain.candidateTotals],
    candidateLength: plain.candidateLength,
    referenceLength: plain.referenceLength,
  };
}

/** The token texts that are keywords in the reference (they weigh 1 wherever they occur). */
export function referenceKeywords(reference: CodeTokens): Set<string> {
  const keywords = new Set<string>();
  reference.texts.forEach((text, i) => {
    if (reference.keywords[i]) keywords.add(text);
  });
  return keywords;
}

/** Adds pooled counts (corpus level). */
export function addWeightedNgramCounts(a: WeightedNgramCounts, b: WeightedNgramCounts): WeightedNgramCounts {
  const add = (x: number[], y: number[]) => x.map((v, i) => v + (y[i] ?? 0));
  return {
    matches: add(a.matches, b.matches),
    referenceTotals: add(a.referenceTotals, b.referenceTotals),
    candidateTotals: add(a.candidateTotals, b.candidateTotals),
    candidateLength: a.candidateLength + b.candidateLength,
    referenceLength: a.referenceLength + b.referenceLength,
  };
}

/** The weighted n-gram match score: brevity penalty x geometric mean of the per-order recalls. */
export function weightedNgramFromCounts(counts: WeightedNgramCounts): number {
  const recalls = counts.matches.map((m, i) => ratio(m, counts.referenceTotals[i]!, counts.candidateTotals[i] === 0)); // safe: same length
  return brevityPenalty(counts.candidateLength, counts.referenceLength) * geometricMean(recalls);
}

/** The keyword weights in force for a reference (given its keywords): each keyword -> 1, any other token ("*") -> 0.2. */
export function keywordWeights(keywords: ReadonlySet<string>): Record<string, number> {
  const weights: Record<string, number> = {};
  for (const keyword of [...keywords].sort()) weights[keyword] = KEYWORD_WEIGHT;
  weights['*'] = OTHER_TOKEN_WEIGHT;
  return weights;
}
