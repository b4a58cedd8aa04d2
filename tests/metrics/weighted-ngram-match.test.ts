import { describe, expect, it } from 'vitest';
import { countWeightedNgramMatches, keywordWeights, referenceKeywords, weightedNgramFromCounts } from '../../src/metrics/weighted-ngram-match.js';

/** Tokens from `let* a = b` notation: a trailing * marks a keyword. */
function tokens(s: string) {
  const parts = s.split(' ');
  return { texts: parts.map((p) => p.replace(/\*$/, '')), keywords: parts.map((p) => p.endsWith('*')) };
}

// Recall over the reference's n-grams; unigrams weighted 1 (keyword) / 0.2 (other token).
describe('weighted n-gram match, hand-computed', () => {
  it.each([
    { name: 'identical', ref: 'let* a = b', cand: 'let a = b', score: 1 },
    {
      // unigrams: ref weight 2x1 (let) + 4x0.2 = 2.8, matched 2 + 3x0.2 = 2.6; bigrams 4/5; trigrams 3/4; 4-grams 2/3.
      name: 'one identifier differs',
      ref: 'let* a = b let* c',
      cand: 'let a = b let d',
      score: ((2.6 / 2.8) * (4 / 5) * (3 / 4) * (2 / 3)) ** 0.25,
    },
    {
      // A keyword lost weighs five times an identifier lost: unigrams (0.2 x 5) / (1 + 0.2 x 5) = 0.5.
      name: 'the keyword differs',
      ref: 'return* a b c d e',
      cand: 'yield a b c d e',
      score: ((1 / 2) * (4 / 5) * (3 / 4) * (2 / 3)) ** 0.25,
    },
    { name: 'nothing shared', ref: 'if* a', cand: 'b c', score: 0 },
  ])('$name', ({ ref, cand, score }) => {
    const counts = countWeightedNgramMatches(tokens(ref), tokens(cand).texts);
    expect(weightedNgramFromCounts(counts)).toBeCloseTo(score, 12);
  });

  it('keywordWeights lists the reference keywords at 1 and every other token at 0.2', () => {
    expect(keywordWeights(referenceKeywords(tokens('return* a if* b return*')))).toEqual({ if: 1, return: 1, '*': 0.2 });
  });
});
