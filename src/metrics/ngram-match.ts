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

/**
 * The n-gram counts of one token list: unigrams by token text (in order of first
 * occurrence), longer n-grams by their key from an NgramKeys (comparable only with tables
 * built with the same keys).
 */
export interface NgramTables {
  unigrams: Map<string, number>;
  /** Orders 2 to MAX_ORDER (index 0 = bigrams). */
  longer: Map<number, number>[];
}

/** Token numbers below this pack into n-gram keys (13 bits each). */
const PACK = 8192;
/** Prefix keys below this pack exactly: PREFIX_LIMIT x PACK is 2^52, below 2^53. */
const PREFIX_LIMIT = 2 ** 39;

/**
 * Numbers tokens, and keys n-grams by their tokens' numbers: the key of an n-gram is
 * key(first n - 1 tokens) x 8192 + number(last token) while that is exact and unambiguous
 * (last token's number below 8192, prefix key non-negative and below 2^39), otherwise a
 * negative number from a table of (prefix key, token) pairs. Equal
 * n-grams of one order get equal keys, different ones different keys, across every table
 * built with the same NgramKeys.
 */
export class NgramKeys {
  private readonly tokens = new Map<string, number>();
  private readonly wide = new Map<string, number>();

  token(text: string): number {
    let id = this.tokens.get(text);
    if (id === undefined) this.tokens.set(text, (id = this.tokens.size));
    return id;
  }

  extend(prefix: number, token: number): number {
    if (prefix >= 0 && prefix < PREFIX_LIMIT && token < PACK) return prefix * PACK + token;
    const key = `${prefix},${token}`;
    let id = this.wide.get(key);
    if (id === undefined) this.wide.set(key, (id = -(this.wide.size + 1)));
    return id;
  }
}

/** The n-gram counts of a token list, orders 1 to MAX_ORDER. */
export function ngramTables(tokens: readonly string[], keys: NgramKeys = new NgramKeys()): NgramTables {
  const unigrams = new Map<string, number>();
  const n = tokens.length;
  // gramKeys[i]: the key of the current order's n-gram starting at token i.
  const gramKeys = new Array<number>(n);
  const tokenIds = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    const text = tokens[i]!; // safe: i < n
    unigrams.set(text, (unigrams.get(text) ?? 0) + 1);
    gramKeys[i] = tokenIds[i] = keys.token(text);
  }
  const longer: Map<number, number>[] = [];
  for (let order = 2; order <= MAX_ORDER; order++) {
    const table = new Map<number, number>();
    // The n-gram at i is the (n-1)-gram at i followed by token i + n - 1.
    for (let i = 0; i + order <= n; i++) {
      const key = keys.extend(gramKeys[i]!, tokenIds[i + order - 1]!); // safe: i + order - 1 < n
      gramKeys[i] = key;
      table.set(key, (table.get(key) ?? 0) + 1);
    }
    longer.push(table);
  }
  return { unigrams, longer };
}

/** Counts BLEU's clipped n-gram matches of a candidate token list against a reference. */
export function countNgramMatches(reference: readonly string[], candidate: readonly string[]): NgramCounts {
  const keys = new NgramKeys();
  return countNgramTableMatches(ngramTables(reference, keys), ngramTables(candidate, keys), reference.length, candidate.length);
}

const EMPTY: ReadonlyMap<number, number> = new Map();

/** countNgramMatches over precomputed tables (a text's tables serve every pair it is in). */
export function countNgramTableMatches(reference: NgramTables, candidate: NgramTables, referenceLength: number, candidateLength: number): NgramCounts {
  const counts: NgramCounts = { matches: [], candidateTotals: [], referenceTotals: [], candidateLength, referenceLength };
  for (let order = 1; order <= MAX_ORDER; order++) {
    counts.matches.push(order === 1 ? clippedOverlap(reference.unigrams, candidate.unigrams) : clippedOverlap(reference.longer[order - 2] ?? EMPTY, candidate.longer[order - 2] ?? EMPTY));
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
