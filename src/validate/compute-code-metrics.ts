import { isDeepStrictEqual } from 'node:util';
import type { CodeMetrics, SemanticClosenessMetrics, TestCase } from '../models/index.js';
import { passAtKTable } from '../metrics/pass-at-k.js';
import { correctnessScore, overallScore, qualityTier } from '../metrics/scores.js';
import type { TestRunSummary } from './run-tests.js';

/** The k values reported for pass@k (only those <= n appear). */
export const PASS_AT_K = [1, 5, 10, 100];

/** What the metrics are computed from: the runs validation made, as data. */
export interface MetricInputs {
  tests: readonly TestCase[];
  /** The run of index.ts (sample 1). */
  primary: TestRunSummary;
  /** For each of samples/*.ts, in order: whether it passed every test (false when it did not build). */
  samplesCorrect: readonly boolean[];
  /** The run of reference.ts; null when there is none or it did not build. */
  reference: TestRunSummary | null;
  /** CodeBLEU of index.ts against reference.ts, when there is a reference. */
  semantic?: SemanticClosenessMetrics | undefined;
}

/**
 * The code metrics of SPEC 7 from the runs: pass rate, pass@k over index.ts and the samples
 * (a sample is correct when it passes every test), agreement with the reference, CodeBLEU,
 * the overall score and its tier. Pure.
 */
export function computeCodeMetrics(input: MetricInputs): CodeMetrics {
  const { tests, primary, reference, semantic } = input;
  const passed = primary.results.filter((r) => r.passed).length;
  const passRate = passed / tests.length;
  const correct = (passed === tests.length ? 1 : 0) + input.samplesCorrect.filter(Boolean).length;
  const passAtK = passAtKTable(input.samplesCorrect.length + 1, correct, PASS_AT_K);
  const referenceSimilarity = reference === null ? undefined : tests.filter((t) => outcomesAgree(primary, reference, t.name)).length / tests.length;
  const correctness = correctnessScore(passRate, referenceSimilarity);
  const overall = overallScore(correctness, passAtK['1'] ?? 0, semantic?.code_bleu_score);
  const functional: CodeMetrics['functional_correctness'] = {
    test_cases_passed: passed,
    test_cases_total: tests.length,
    test_case_pass_rate: passRate,
    correctness_score: correctness,
    test_results: primary.results,
  };
  if (referenceSimilarity !== undefined) functional.reference_solution_similarity = referenceSimilarity;
  return {
    functional_correctness: functional,
    pass_at_k: passAtK,
    test_pass_rate: passRate,
    ...(semantic ? { semantic_closeness: semantic } : {}),
    overall_score: overall,
    quality_tier: qualityTier(overall),
  };
}

/**
 * Whether the candidate and the reference behave alike on one test: the same output, or
 * (neither producing one) the same outcome: both passed an `expect_error` test, or both
 * failed with the same error type.
 */
export function outcomesAgree(primary: TestRunSummary, reference: TestRunSummary, name: string): boolean {
  if (primary.outputs.has(name) || reference.outputs.has(name)) {
    return primary.outputs.has(name) && reference.outputs.has(name) && isDeepStrictEqual(primary.outputs.get(name), reference.outputs.get(name));
  }
  const a = primary.results.find((r) => r.name === name);
  const b = reference.results.find((r) => r.name === name);
  return a !== undefined && b !== undefined && a.passed === b.passed && a.error?.error.type === b.error?.error.type;
}
