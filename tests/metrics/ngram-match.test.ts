import { describe, expect, it } from 'vitest';
import { addNgramCounts, bleuFromCounts, brevityPenalty, countNgramMatches, ngramPrecisions } from '../../src/metrics/ngram-match.js';

const t = (s: string) => (s === '' ? [] : s.split(' '));

// Worked out by hand: clipped n-gram matches over candidate n-grams, per order; BLEU =
// BP x geometric mean of the four precisions (0 as soon as one is 0).
describe('n-gram match (BLEU-4), hand-computed', () => {
  it.each([
    { name: 'identical', ref: 'a b c d', cand: 'a b c d', precisions: [1, 1, 1, 1], bleu: 1 },
    { name: 'last token differs', ref: 'a b c d e', cand: 'a b c d x', precisions: [4 / 5, 3 / 4, 2 / 3, 1 / 2], bleu: (1 / 5) ** 0.25 },
    { name: 'no 4-gram in common', ref: 'a b c d', cand: 'a b c e', precisions: [3 / 4, 2 / 3, 1 / 2, 0], bleu: 0 },
    { name: 'clipping: a repeated token counts as often as the reference has it', ref: 'a a a b', cand: 'a a b b', precisions: [3 / 4, 2 / 3, 1 / 2, 0], bleu: 0 },
    { name: 'short candidate: brevity penalty exp(1 - 5/4)', ref: 'a b c d e', cand: 'a b c d', precisions: [1, 1, 1, 1], bleu: Math.exp(1 - 5 / 4) },
    { name: 'shorter than 4 tokens on both sides: absent orders count 1', ref: 'a b', cand: 'a b', precisions: [1, 1, 1, 1], bleu: 1 },
    { name: 'candidate too short to have bigrams the reference has', ref: 'a b', cand: 'a', precisions: [1, 0, 1, 1], bleu: 0 },
    { name: 'nothing shared', ref: 'a b c d', cand: 'w x y z', precisions: [0, 0, 0, 0], bleu: 0 },
    { name: 'both empty', ref: '', cand: '', precisions: [1, 1, 1, 1], bleu: 1 },
    { name: 'empty candidate', ref: 'a', cand: '', precisions: [0, 1, 1, 1], bleu: 0 },
  ])('$name', ({ ref, cand, precisions, bleu }) => {
    const counts = countNgramMatches(t(ref), t(cand));
    ngramPrecisions(counts).forEach((p, i) => expect(p, `order ${i + 1}`).toBeCloseTo(precisions[i]!, 12));
    expect(bleuFromCounts(counts)).toBeCloseTo(bleu, 12);
  });

  it('the brevity penalty is 1 for candidates at least as long as the reference', () => {
    expect(brevityPenalty(5, 5)).toBe(1);
    expect(brevityPenalty(9, 5)).toBe(1);
    expect(brevityPenalty(2, 4)).toBeCloseTo(Math.exp(-1), 12);
  });

  it('corpus BLEU pools counts before dividing (not a mean of sentence scores)', () => {
    const one = countNgramMatches(t('a b c d'), t('a b c d'));
    const two = countNgramMatches(t('a b c d e'), t('a x c y e'));
    const pooled = addNgramCounts(one, two);
    // p1 = (4 + 3) / (4 + 5), p2 = (3 + 0) / (3 + 4), p3 = 2 / 5, p4 = 1 / 3; lengths 9 = 9.
    expect(ngramPrecisions(pooled)).toEqual([7 / 9, 3 / 7, 2 / 5, 1 / 3]);
    expect(bleuFromCounts(pooled)).toBeCloseTo((2 / 45) ** 0.25, 12);
    expect(bleuFromCounts(two)).toBe(0); // the sentence score of the second pair alone
  });
});
