import { analyzeCodeFolded, type CodeTokens } from '../ast/code-analysis.js';
import type { SemanticClosenessMetrics } from '../models/index.js';
import { addDataflowCounts, countDataflowMatches, dataflowProfile, dataflowScores, type DataflowCounts, type DataflowProfile } from './dataflow-match.js';
import { addNgramCounts, bleuFromCounts, countNgramTableMatches, NgramKeys, ngramPrecisions, ngramTables, type NgramCounts, type NgramTables } from './ngram-match.js';
import { addSyntaxCounts, countSyntaxMatches, profileFolder, SubtreeKeys, syntaxScores, type SyntaxCounts, type SyntaxProfile } from './syntax-match.js';
import { addWeightedNgramCounts, keywordWeights, referenceKeywords, weightNgramCounts, weightedNgramFromCounts, type WeightedNgramCounts } from './weighted-ngram-match.js';

export type CodeBleuWeights = SemanticClosenessMetrics['weights'];

/** Ren et al. (2020): 0.25 each. */
export const DEFAULT_CODEBLEU_WEIGHTS: CodeBleuWeights = { ngram: 0.25, weighted_ngram: 0.25, ast: 0.25, dataflow: 0.25 };

/** One program, analysed once, in the shape every component compares. */
export interface CodeProfile {
  tokens: CodeTokens;
  ngrams: NgramTables;
  /** Token texts that are keywords here (they weigh 1 when this text is the reference). */
  keywords: Set<string>;
  syntax: SyntaxProfile;
  dataflow: DataflowProfile;
}

/** Everything the score of one pair, or of a corpus, is computed from (sums over pairs at corpus level). */
export interface CodeBleuCounts {
  ngram: NgramCounts;
  weighted: WeightedNgramCounts;
  syntax: SyntaxCounts;
  dataflow: DataflowCounts;
  keywordWeights: Record<string, number>;
}

/** The numbering of n-grams and subtrees that profiles compared with each other must share. */
export interface ProfileKeys {
  ngrams: NgramKeys;
  subtrees: SubtreeKeys;
}

export function newProfileKeys(): ProfileKeys {
  return { ngrams: new NgramKeys(), subtrees: new SubtreeKeys() };
}

/** The keys profileCode uses when none are given. */
const SHARED_KEYS = newProfileKeys();

/**
 * Parses and profiles one TypeScript/JavaScript program. Profiles compared with each other
 * must be built with the same `keys` (by default one numbering shared by the whole process,
 * which grows with every distinct token and subtree it numbers; codeBleu and codeBleuCorpus
 * use their own).
 */
export function profileCode(source: string, fileName?: string, keys: ProfileKeys = SHARED_KEYS): CodeProfile {
  const folder = profileFolder(keys.subtrees);
  const analysis = analyzeCodeFolded(source, fileName, folder.fold);
  const tokens = analysis.tokens;
  return {
    tokens,
    ngrams: ngramTables(tokens.texts, keys.ngrams),
    keywords: referenceKeywords(tokens),
    syntax: folder.profile,
    dataflow: dataflowProfile(analysis.dataflow),
  };
}

/** The counts of every component for one (reference, candidate) pair. */
export function countCodeBleu(reference: CodeProfile, candidate: CodeProfile): CodeBleuCounts {
  const ngram = countNgramTableMatches(reference.ngrams, candidate.ngrams, reference.tokens.texts.length, candidate.tokens.texts.length);
  return {
    ngram,
    weighted: weightNgramCounts(ngram, reference.ngrams.unigrams, candidate.ngrams.unigrams, reference.keywords),
    syntax: countSyntaxMatches(reference.syntax, candidate.syntax),
    dataflow: countDataflowMatches(reference.dataflow, candidate.dataflow),
    keywordWeights: keywordWeights(reference.keywords),
  };
}

/** Pools the counts of many pairs (corpus level, as corpus BLEU pools n-gram counts). */
export function addCodeBleuCounts(a: CodeBleuCounts, b: CodeBleuCounts): CodeBleuCounts {
  const keywords = Object.fromEntries(Object.entries({ ...a.keywordWeights, ...b.keywordWeights }).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0)));
  return {
    ngram: addNgramCounts(a.ngram, b.ngram),
    weighted: addWeightedNgramCounts(a.weighted, b.weighted),
    syntax: addSyntaxCounts(a.syntax, b.syntax),
    dataflow: addDataflowCounts(a.dataflow, b.dataflow),
    keywordWeights: keywords,
  };
}

/** Every field of SemanticClosenessMetrics from (pooled) counts. */
export function scoreCodeBleu(counts: CodeBleuCounts, weights: CodeBleuWeights = DEFAULT_CODEBLEU_WEIGHTS): SemanticClosenessMetrics {
  const ngram = bleuFromCounts(counts.ngram);
  const weighted = weightedNgramFromCounts(counts.weighted);
  const syntax = syntaxScores(counts.syntax);
  const dataflow = dataflowScores(counts.dataflow);
  const precision = Object.fromEntries(ngramPrecisions(counts.ngram).map((p, i) => [String(i + 1), p]));
  const combined = weights.ngram * ngram + weights.weighted_ngram * weighted + weights.ast * syntax.ast_match_score + weights.dataflow * dataflow.dataflow_match_score;
  return {
    ngram_match_score: ngram,
    ngram_precision: precision,
    weighted_ngram_score: weighted,
    keyword_weights: counts.keywordWeights,
    ...syntax,
    ...dataflow,
    // Clamped against rounding (weights summing to 1 can give 1.0000000000000002).
    code_bleu_score: Math.min(1, Math.max(0, combined)),
    weights: { ...weights },
  };
}

export interface CodeBleuOptions {
  weights?: CodeBleuWeights;
  /** Decides the parser's script kind (.ts, .tsx, .js, .jsx); TypeScript by default. */
  referenceFileName?: string;
  candidateFileName?: string;
}

/** Sentence-level CodeBLEU of one candidate against one reference (TypeScript or JavaScript source). */
export function codeBleu(reference: string, candidate: string, options: CodeBleuOptions = {}): SemanticClosenessMetrics {
  const keys = newProfileKeys();
  const referenceProfile = profileCode(reference, options.referenceFileName, keys);
  // A candidate identical to its reference (same text, same script kind) has the same profile: analysed once.
  const sameText = candidate === reference && (options.candidateFileName ?? 'code.ts') === (options.referenceFileName ?? 'code.ts');
  const candidateProfile = sameText ? referenceProfile : profileCode(candidate, options.candidateFileName, keys);
  const counts = countCodeBleu(referenceProfile, candidateProfile);
  return scoreCodeBleu(counts, options.weights);
}

export interface CodeBleuPair {
  reference: string;
  candidate: string;
}

/**
 * CodeBLEU of many pairs: each pair's own scores, and the corpus score from the pooled
 * counts. Each distinct text is analysed once (a reference shared by many candidates is
 * parsed once).
 * @throws RangeError when `pairs` is empty
 */
export function codeBleuCorpus(pairs: readonly CodeBleuPair[], options: Pick<CodeBleuOptions, 'weights'> = {}): { pairs: SemanticClosenessMetrics[]; corpus: SemanticClosenessMetrics } {
  if (pairs.length === 0) throw new RangeError('corpus CodeBLEU needs at least one pair');
  const profiles = new Map<string, CodeProfile>();
  const keys = newProfileKeys();
  const profile = (text: string) => {
    let p = profiles.get(text);
    if (!p) profiles.set(text, (p = profileCode(text, undefined, keys)));
    return p;
  };
  const all = pairs.map((pair) => countCodeBleu(profile(pair.reference), profile(pair.candidate)));
  const pooled = all.reduce(addCodeBleuCounts);
  return { pairs: all.map((c) => scoreCodeBleu(c, options.weights)), corpus: scoreCodeBleu(pooled, options.weights) };
}

/**
 * Parses `--weights`: four non-negative numbers (n-gram, weighted n-gram, AST, data flow)
 * separated by commas, summing to 1.
 * @throws RangeError naming what is wrong
 */
export function parseCodeBleuWeights(text: string): CodeBleuWeights {
  const parts = text.split(',').map((p) => p.trim());
  if (parts.length !== 4) throw new RangeError(`weights must be four numbers (n-gram, weighted n-gram, AST, data flow), got ${parts.length}`);
  const values = parts.map((p) => (/^\d+(\.\d+)?$|^\.\d+$/.test(p) ? Number(p) : Number.NaN));
  const bad = parts.find((_, i) => !Number.isFinite(values[i]));
  if (bad !== undefined) throw new RangeError(`weight "${bad}" is not a non-negative number`);
  const sum = values.reduce((a, b) => a + b, 0);
  if (Math.abs(sum - 1) > 1e-9) throw new RangeError(`weights must sum to 1 (they sum to ${sum})`);
  const [ngram, weighted, ast, dataflow] = values as [number, number, number, number]; // safe: length checked to be 4
  return { ngram, weighted_ngram: weighted, ast, dataflow };
}
