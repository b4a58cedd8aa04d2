import { describe, expect, it } from 'vitest';
import type { ErrorType, SemanticClosenessMetrics, TestCase, TestResult } from '../../src/models/index.js';
import { createErrorEnvelope } from '../../src/models/create-error-envelope.js';
import { computeCodeMetrics, outcomesAgree } from '../../src/validate/compute-code-metrics.js';
import type { TestRunSummary } from '../../src/validate/run-tests.js';

const tests = (n: number): TestCase[] => Array.from({ length: n }, (_, i) => ({ name: `t${i + 1}`, input: {}, expected: { v: i } }));

/** A run summary: `passed[i]` for test t(i+1), with outputs where given. */
function summary(passed: boolean[], outputs: Record<string, unknown> = {}, errors: Record<string, ErrorType> = {}): TestRunSummary {
  const results: TestResult[] = passed.map((p, i) => {
    const name = `t${i + 1}`;
    const type = errors[name];
    const result: TestResult = { name, passed: p, duration_ms: 1 };
    if (type !== undefined) result.error = createErrorEnvelope(type, 'x', { now: new Date(0) });
    return result;
  });
  return { results, outputs: new Map(Object.entries(outputs)), withinLimits: true, protections: null, logs: [] };
}

const semantic = (score: number): SemanticClosenessMetrics => ({
  ngram_match_score: score, ngram_precision: {}, weighted_ngram_score: score, keyword_weights: {}, ast_match_score: score, ast_node_overlap: score,
  ast_depth_similarity: score, dataflow_match_score: score, variable_flow_similarity: score, dependency_graph_similarity: score, code_bleu_score: score,
  weights: { ngram: 0.25, weighted_ngram: 0.25, ast: 0.25, dataflow: 0.25 },
});

describe('computeCodeMetrics (hand-computed)', () => {
  it('3 of 4 tests, no samples, no reference: pass@1 0 (index.ts is not correct), overall 0.75 * 0.75', () => {
    const m = computeCodeMetrics({ tests: tests(4), primary: summary([true, true, true, false]), samplesCorrect: [], reference: null });
    expect(m.test_pass_rate).toBe(0.75);
    expect(m.pass_at_k).toEqual({ '1': 0 });
    expect(m.functional_correctness).toMatchObject({ test_cases_passed: 3, test_cases_total: 4, correctness_score: 0.75 });
    expect(m.functional_correctness.reference_solution_similarity).toBeUndefined();
    expect(m.overall_score).toBeCloseTo(0.5625, 12);
    expect(m.quality_tier).toBe('POOR');
    expect(m.semantic_closeness).toBeUndefined();
  });

  it('all pass, two samples of which one is correct: n = 3, c = 2, pass@1 = 2/3, overall 0.75 + 0.25 * 2/3', () => {
    const m = computeCodeMetrics({ tests: tests(2), primary: summary([true, true]), samplesCorrect: [true, false], reference: null });
    expect(Object.keys(m.pass_at_k)).toEqual(['1']);
    expect(m.pass_at_k['1']).toBeCloseTo(2 / 3, 12);
    expect(m.overall_score).toBeCloseTo(0.75 + 0.25 * (2 / 3), 12);
    expect(m.quality_tier).toBe('EXCELLENT');
  });

  it('a reference agreeing on 1 of 2 tests and CodeBLEU 0.5: correctness 0.6 + 0.4 * 0.5, overall 0.6 * 0.8 + 0.2 + 0.2 * 0.5', () => {
    const primary = summary([true, true], { t1: { v: 0 }, t2: { v: 1 } });
    const reference = summary([true, false], { t1: { v: 0 }, t2: { v: 9 } });
    const m = computeCodeMetrics({ tests: tests(2), primary, samplesCorrect: [], reference, semantic: semantic(0.5) });
    expect(m.functional_correctness.reference_solution_similarity).toBe(0.5);
    expect(m.functional_correctness.correctness_score).toBeCloseTo(0.8, 12);
    expect(m.overall_score).toBeCloseTo(0.78, 12);
    expect(m.quality_tier).toBe('GOOD');
    expect(m.semantic_closeness?.code_bleu_score).toBe(0.5);
  });

  it('returns new data and leaves its inputs as they were', () => {
    const primary = summary([true]);
    const before = structuredClone(primary.results);
    computeCodeMetrics({ tests: tests(1), primary, samplesCorrect: [false], reference: null });
    expect(primary.results).toEqual(before);
  });
});

describe('outcomesAgree', () => {
  it.each([
    ['the same output', summary([true], { t1: { a: [1, 2] } }), summary([true], { t1: { a: [1, 2] } }), true],
    ['different outputs', summary([true], { t1: { a: 1 } }), summary([false], { t1: { a: 2 } }), false],
    ['an output against none', summary([true], { t1: { a: 1 } }), summary([false]), false],
    ['no outputs, the same error type', summary([false], {}, { t1: 'ToolError' }), summary([false], {}, { t1: 'ToolError' }), true],
    ['no outputs, other error types', summary([false], {}, { t1: 'ToolError' }), summary([false], {}, { t1: 'TimeoutError' }), false],
  ])('%s', (_what, a, b, agree) => {
    expect(outcomesAgree(a, b, 't1')).toBe(agree);
  });
});
