import { z } from 'zod';
import { ErrorEnvelope } from './error-envelope.js';

const Unit = z.number().min(0).max(1);

export const QualityTier = z.enum(['EXCELLENT', 'GOOD', 'ACCEPTABLE', 'POOR']);
export type QualityTier = z.infer<typeof QualityTier>;

export const TaskComplexity = z.enum(['simple', 'moderate', 'complex']);
export type TaskComplexity = z.infer<typeof TaskComplexity>;

export const TestResult = z.strictObject({
  name: z.string(),
  passed: z.boolean(),
  duration_ms: z.number().min(0),
  error: ErrorEnvelope.optional(),
  diff: z.string().optional(),
  /** What the tool returned (so a reviewer sees passing tests' outputs too, not only failures). */
  actual: z.record(z.string(), z.unknown()).optional(),
});
export type TestResult = z.infer<typeof TestResult>;

export const FunctionalCorrectnessMetrics = z.strictObject({
  reference_solution_similarity: Unit.optional(),
  test_cases_passed: z.number().int().min(0),
  test_cases_total: z.number().int().min(1),
  test_case_pass_rate: Unit,
  correctness_score: Unit,
  test_results: z.array(TestResult),
});
export type FunctionalCorrectnessMetrics = z.infer<typeof FunctionalCorrectnessMetrics>;

export const SemanticClosenessMetrics = z.strictObject({
  ngram_match_score: Unit,
  ngram_precision: z.record(z.string(), Unit),
  weighted_ngram_score: Unit,
  keyword_weights: z.record(z.string(), z.number()),
  ast_match_score: Unit,
  ast_node_overlap: Unit,
  ast_depth_similarity: Unit,
  dataflow_match_score: Unit,
  variable_flow_similarity: Unit,
  dependency_graph_similarity: Unit,
  code_bleu_score: Unit,
  weights: z.strictObject({ ngram: z.number(), weighted_ngram: z.number(), ast: z.number(), dataflow: z.number() }),
});
export type SemanticClosenessMetrics = z.infer<typeof SemanticClosenessMetrics>;

export const CodeMetrics = z.strictObject({
  functional_correctness: FunctionalCorrectnessMetrics,
  /** k (as a string key, JSON has no integer keys) -> pass@k, for k <= n samples. */
  pass_at_k: z.record(z.string(), Unit),
  test_pass_rate: Unit,
  semantic_closeness: SemanticClosenessMetrics.optional(),
  overall_score: Unit,
  quality_tier: QualityTier,
});
export type CodeMetrics = z.infer<typeof CodeMetrics>;
