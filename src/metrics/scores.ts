import type { QualityTier } from '../models/index.js';

/** correctness = 0.6 x test pass rate + 0.4 x reference similarity; the pass rate alone without a reference. */
export function correctnessScore(passRate: number, referenceSimilarity: number | undefined): number {
  return referenceSimilarity === undefined ? passRate : 0.6 * passRate + 0.4 * referenceSimilarity;
}

/**
 * overall = 0.6 x correctness + 0.2 x pass@1 + 0.2 x CodeBLEU; without a CodeBLEU score,
 * 0.75 x correctness + 0.25 x pass@1 (SPEC 7).
 */
export function overallScore(correctness: number, passAt1: number, codeBleu: number | undefined): number {
  return codeBleu === undefined ? 0.75 * correctness + 0.25 * passAt1 : 0.6 * correctness + 0.2 * passAt1 + 0.2 * codeBleu;
}

/** The quality tier of an overall score. */
export function qualityTier(overall: number): QualityTier {
  // A tiny tolerance so 0.9 computed as 0.8999999999999999 is still EXCELLENT.
  const score = overall + 1e-9;
  if (score >= 0.9) return 'EXCELLENT';
  if (score >= 0.75) return 'GOOD';
  if (score >= 0.6) return 'ACCEPTABLE';
  return 'POOR';
}
