import { readFile, readdir } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import type { CodeMetrics, SemanticClosenessMetrics, SandboxConfig, SandboxProtections, TestCase, ToolCandidate, ToolSpec, ValidationReport } from '../models/index.js';
import { generateSpecTypes } from '../ast/schema-types.js';
import { typecheckTool } from '../ast/typecheck.js';
import { buildScratchBundle } from '../build/build-package.js';
import { passAtKTable } from '../metrics/pass-at-k.js';
import { correctnessScore, overallScore, qualityTier } from '../metrics/scores.js';
import { checkSchemaGate } from './schema-gate.js';
import { runTestCases, type TestRunSummary } from './run-tests.js';
import { checkScanGate } from './scan-gate.js';

export type ValidationEvent =
  | { type: 'candidate-start'; tool_id: string }
  | { type: 'gate'; tool_id: string; gate: 'schema' | 'typecheck' | 'tests' | 'scan'; ok: boolean }
  | { type: 'candidate-done'; tool_id: string; is_valid: boolean };

export interface ValidateCandidateOptions {
  toolId: string;
  packageDir: string;
  limits: SandboxConfig;
  cwd: string;
  now: () => Date;
  current: { code_hash: string; spec_hash: string };
  onEvent?: (event: ValidationEvent) => void;
}

/** The k values reported for pass@k (only those <= n appear). */
const PASS_AT_K = [1, 5, 10, 100];

/**
 * Builds a candidate's ValidationReport (SPEC 7): the five gates, then the code metrics.
 * Pure of the store: it reads the package but writes nothing into it.
 */
export async function validateCandidate(options: ValidateCandidateOptions): Promise<ValidationReport> {
  const started = performance.now();
  const emit = options.onEvent ?? (() => undefined);
  const id = options.toolId;
  emit({ type: 'candidate-start', tool_id: id });
  const schema = await checkSchemaGate(options.packageDir, options.limits.timeout_ms);
  emit({ type: 'gate', tool_id: id, gate: 'schema', ok: schema.ok });
  const errors = [...schema.errors];
  const logs: string[] = [];
  let typecheckOk = false;
  let testsOk = false;
  let sandboxOk = false;
  let metrics: CodeMetrics | null = null;
  let protections: SandboxProtections | undefined;

  // Types and validators are generated from the schemas: with an unusable schema neither can
  // be built, so typecheck and tests fail without running (the schema gate says why).
  if (schema.spec && !schema.schemasUsable) errors.push('typecheck and tests not run: the spec\'s schemas are not usable (see spec.json above)');
  if (schema.spec && schema.schemasUsable) {
    const index = await readFile(path.join(options.packageDir, 'index.ts'), 'utf8').catch(() => null);
    if (index === null) errors.push('index.ts: missing (the tool implementation)');
    else {
      // A schema ajv accepts may still defeat the type generator (a remote $ref): a failed gate, not a crash.
      const types = await generateSpecTypes(schema.spec).catch((error: unknown) => {
        errors.push(`spec.json: ${error instanceof Error ? error.message : String(error)}`);
        return null;
      });
      const diagnostics = types === null ? [] : typecheckTool({ index, types });
      errors.push(...diagnostics.map((d) => `${d.file}:${d.line}:${d.column} TS${d.code}: ${d.message}`));
      typecheckOk = types !== null && diagnostics.length === 0;
    }
    emit({ type: 'gate', tool_id: id, gate: 'typecheck', ok: typecheckOk });
  }
  if (schema.spec && schema.schemasUsable && schema.tests.length > 0) {
    const primary = await runBundle(options, schema.spec, schema.tests, undefined, 'index.ts');
    errors.push(...primary.errors);
    logs.push(...primary.logs);
    protections = primary.summary?.protections ?? undefined;
    if (primary.summary) {
      const summary = primary.summary;
      testsOk = summary.results.every((r) => r.passed);
      sandboxOk = summary.withinLimits;
      for (const r of summary.results.filter((t) => !t.passed)) errors.push(`test "${r.name}" failed${r.error ? `: ${r.error.error.type}: ${r.error.error.message}` : ''}`);
      metrics = await computeMetrics(options, schema.spec, schema.tests, summary, logs, errors);
    }
    emit({ type: 'gate', tool_id: id, gate: 'tests', ok: testsOk });
  }
  const scan = checkScanGate(options.packageDir);
  for (const f of scan.findings.filter((x) => x.severity === 'error')) errors.push(`${f.file}:${f.line}:${f.column} ${f.rule}: ${f.message}`);
  emit({ type: 'gate', tool_id: id, gate: 'scan', ok: scan.ok });
  const isValid = schema.ok && typecheckOk && testsOk && sandboxOk && scan.ok;
  emit({ type: 'candidate-done', tool_id: id, is_valid: isValid });
  const report: ValidationReport = {
    schema_ok: schema.ok,
    typecheck_ok: typecheckOk,
    tests_ok: testsOk,
    sandbox_ok: sandboxOk,
    scan_ok: scan.ok,
    is_valid: isValid,
    logs,
    errors,
    findings: scan.findings,
    code_metrics: metrics,
    code_hash: options.current.code_hash,
    spec_hash: options.current.spec_hash,
    validated_at: options.now().toISOString(),
    duration_ms: Math.round(performance.now() - started),
  };
  if (protections) report.protections = protections;
  return report;
}

interface BundleRun {
  summary: TestRunSummary | null;
  errors: string[];
  logs: string[];
}

/** Builds one implementation (index.ts, a sample or the reference) in scratch space and runs the tests. */
async function runBundle(options: ValidateCandidateOptions, spec: ToolSpec, tests: readonly TestCase[], indexOverride: string | undefined, label: string): Promise<BundleRun> {
  const bundle = await buildScratchBundle(options.packageDir, spec, indexOverride);
  try {
    if (bundle.errors.length > 0) return { summary: null, errors: bundle.errors.map((e) => `${label}: ${e}`), logs: [] };
    const summary = await runTestCases({ toolId: options.toolId, bundleDir: bundle.dir, spec, tests, limits: options.limits, cwd: options.cwd, label });
    return { summary, errors: [], logs: summary.logs };
  } finally {
    await bundle.cleanup();
  }
}

async function computeMetrics(
  options: ValidateCandidateOptions,
  spec: ToolSpec,
  tests: readonly TestCase[],
  primary: TestRunSummary,
  logs: string[],
  errors: string[],
): Promise<CodeMetrics> {
  const passed = primary.results.filter((r) => r.passed).length;
  const passRate = passed / tests.length;
  // Samples: index.ts is sample 1; samples/*.ts are the others. A sample is correct when it passes every test.
  const samples = await listSamples(options.packageDir);
  let correct = passed === tests.length ? 1 : 0;
  for (const sample of samples) {
    const run = await runBundle(options, spec, tests, sample, sample);
    logs.push(...run.logs);
    if (run.summary?.results.every((r) => r.passed)) correct++;
  }
  const n = samples.length + 1;
  const passAtK = passAtKTable(n, correct, PASS_AT_K);
  let referenceSimilarity: number | undefined;
  let semantic: SemanticClosenessMetrics | undefined;
  if (existsSync(path.join(options.packageDir, 'reference.ts'))) {
    semantic = await semanticCloseness(options.packageDir);
    const reference = await runBundle(options, spec, tests, 'reference.ts', 'reference.ts');
    errors.push(...reference.errors);
    if (reference.summary) {
      const ref = reference.summary;
      const agree = tests.filter((t) => outcomesAgree(primary, ref, t.name)).length;
      referenceSimilarity = agree / tests.length;
    }
  }
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

/** CodeBLEU of index.ts against reference.ts. Imported lazily: only candidates with a reference load it. */
async function semanticCloseness(packageDir: string): Promise<SemanticClosenessMetrics> {
  const [{ codeBleu }, reference, candidate] = await Promise.all([
    import('../metrics/code-bleu.js'),
    readFile(path.join(packageDir, 'reference.ts'), 'utf8'),
    readFile(path.join(packageDir, 'index.ts'), 'utf8'),
  ]);
  return codeBleu(reference, candidate, { referenceFileName: 'reference.ts', candidateFileName: 'index.ts' });
}

/**
 * Whether the candidate and the reference behave alike on one test: the same output, or
 * (neither producing one) the same outcome: both passed an `expect_error` test, or both
 * failed with the same error type.
 */
function outcomesAgree(primary: TestRunSummary, reference: TestRunSummary, name: string): boolean {
  if (primary.outputs.has(name) || reference.outputs.has(name)) {
    return primary.outputs.has(name) && reference.outputs.has(name) && isDeepStrictEqual(primary.outputs.get(name), reference.outputs.get(name));
  }
  const a = primary.results.find((r) => r.name === name);
  const b = reference.results.find((r) => r.name === name);
  return a !== undefined && b !== undefined && a.passed === b.passed && a.error?.error.type === b.error?.error.type;
}

async function listSamples(packageDir: string): Promise<string[]> {
  const entries = await readdir(path.join(packageDir, 'samples')).catch((): string[] => []);
  return entries.filter((f) => f.endsWith('.ts')).sort((a, b) => a.localeCompare(b, 'en', { numeric: true })).map((f) => `samples/${f}`);
}

