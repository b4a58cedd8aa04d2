import type { CodeMetrics, SandboxConfig, ScanFinding, ToolSpec, ValidationReport } from '../models/index.js';
import { SOURCE_ENTRY } from '../models/package-layout.js';
import { computeCodeMetrics } from './compute-code-metrics.js';
import type { GateResult } from './gate-result.js';
import { assertSnapshotMatches, readCandidate, type CandidateSnapshot, type Hashes } from './read-candidate.js';
import { runBundle, type BundleContext } from './run-bundle.js';
import { runMetricSamples } from './run-metric-samples.js';
import { checkScanGate } from './scan-gate.js';
import { checkSchemaGate, type SchemaGateResult } from './schema-gate.js';
import { judgeTestsGate, type TestsGateResult } from './tests-gate.js';
import { checkTypecheckGate } from './typecheck-gate.js';

export type ValidationEvent =
  | { type: 'candidate-start'; tool_id: string }
  | { type: 'gate'; tool_id: string; gate: 'schema' | 'typecheck' | 'tests' | 'scan'; ok: boolean }
  | { type: 'candidate-done'; tool_id: string; is_valid: boolean };

export interface ValidateCandidateOptions {
  toolId: string;
  packageDir: string;
  limits: SandboxConfig;
  /** Unused by validation (the sandbox builds the tool's world itself); kept for the callers' plain options. */
  cwd: string;
  now: () => Date;
  /**
   * The hashes the caller read the candidate with (openCandidate). The report carries the
   * hashes of the files it validated; when these differ, a write raced the validation and it
   * is refused (assertSnapshotMatches).
   */
  current?: Hashes;
  onEvent?: (event: ValidationEvent) => void;
}

/** Typecheck and tests need schemas the type generator and ajv can use. */
const NOT_RUN = 'typecheck and tests not run: the spec\'s schemas are not usable (see spec.json above)';

export interface ValidatedCandidate {
  report: ValidationReport;
  /** spec.json as the schema gate parsed it (null when it is not a valid spec): candidate.json's copy follows it. */
  spec: ToolSpec | null;
}

/** Builds a candidate's ValidationReport (SPEC 7); see validateCandidateFiles. */
export async function validateCandidate(options: ValidateCandidateOptions): Promise<ValidationReport> {
  return (await validateCandidateFiles(options)).report;
}

/**
 * Validates a candidate (SPEC 7): reads the package once, runs the five gates on those
 * bytes, computes the code metrics, assembles the report. Reads staged/, writes nothing
 * into it. @throws UserError when the package cannot be read, or changed meanwhile
 */
export async function validateCandidateFiles(options: ValidateCandidateOptions): Promise<ValidatedCandidate> {
  const started = performance.now();
  const emit = options.onEvent ?? (() => undefined);
  const id = options.toolId;
  emit({ type: 'candidate-start', tool_id: id });
  const candidate = await readCandidate(options.packageDir);
  try {
    if (options.current) assertSnapshotMatches(candidate, options.current);
    const schema = checkSchemaGate(candidate, options.limits.timeout_ms);
    emit({ type: 'gate', tool_id: id, gate: 'schema', ok: schema.ok });
    const checked = await runCodeGates(options, candidate, schema);
    const scan = checkScanGate(candidate.dir);
    emit({ type: 'gate', tool_id: id, gate: 'scan', ok: scan.ok });
    const report = assembleReport({ schema, ...checked, scan, hashes: candidate.hashes, validatedAt: options.now(), durationMs: performance.now() - started });
    emit({ type: 'candidate-done', tool_id: id, is_valid: report.is_valid });
    return { report, spec: schema.spec };
  } finally {
    await candidate.cleanup();
  }
}

interface CodeGates {
  /** null: not run (no usable spec). */
  typecheck: GateResult | null;
  /** null: not run (no usable spec, or no tests). */
  tests: TestsGateResult | null;
  metrics: CodeMetrics | null;
  /** Why the metrics' reference run failed, and the samples' logs. */
  metricErrors: string[];
  metricLogs: string[];
}

/** The gates that need usable schemas (typecheck, tests and sandbox), then the metrics. */
async function runCodeGates(options: ValidateCandidateOptions, candidate: CandidateSnapshot, schema: SchemaGateResult): Promise<CodeGates> {
  const emit = options.onEvent ?? (() => undefined);
  const none: CodeGates = { typecheck: null, tests: null, metrics: null, metricErrors: [], metricLogs: [] };
  if (!schema.spec || !schema.schemasUsable) return none;
  const typecheck = await checkTypecheckGate(candidate.text(SOURCE_ENTRY), schema.spec);
  emit({ type: 'gate', tool_id: options.toolId, gate: 'typecheck', ok: typecheck.ok });
  if (schema.tests.length === 0) return { ...none, typecheck };
  const ctx: BundleContext = { toolId: options.toolId, snapshotDir: candidate.dir, spec: schema.spec, tests: schema.tests, limits: options.limits };
  const tests = judgeTestsGate(await runBundle(ctx, undefined, SOURCE_ENTRY));
  let result: CodeGates = { ...none, typecheck, tests };
  if (tests.summary) {
    const runs = await runMetricSamples(ctx, candidate);
    const metrics = computeCodeMetrics({ tests: schema.tests, primary: tests.summary, samplesCorrect: runs.samplesCorrect, reference: runs.reference, semantic: runs.semantic });
    result = { ...result, metrics, metricErrors: runs.errors, metricLogs: runs.logs };
  }
  emit({ type: 'gate', tool_id: options.toolId, gate: 'tests', ok: tests.ok });
  return result;
}

export interface ReportParts extends CodeGates {
  schema: Pick<SchemaGateResult, 'ok' | 'errors' | 'spec' | 'schemasUsable'>;
  scan: { ok: boolean; findings: ScanFinding[]; errors: string[] };
  hashes: Hashes;
  validatedAt: Date;
  durationMs: number;
}

/**
 * The ValidationReport from the gates' results: valid when all five pass; errors and logs
 * in the order the gates ran. Pure.
 */
export function assembleReport(parts: ReportParts): ValidationReport {
  const { schema, typecheck, tests, scan } = parts;
  const notRun = schema.spec && !schema.schemasUsable ? [NOT_RUN] : [];
  const typecheckOk = typecheck?.ok ?? false;
  const testsOk = tests?.ok ?? false;
  const sandboxOk = tests?.sandboxOk ?? false;
  const report: ValidationReport = {
    schema_ok: schema.ok,
    typecheck_ok: typecheckOk,
    tests_ok: testsOk,
    sandbox_ok: sandboxOk,
    scan_ok: scan.ok,
    is_valid: schema.ok && typecheckOk && testsOk && sandboxOk && scan.ok,
    logs: [...(tests?.logs ?? []), ...parts.metricLogs],
    errors: [...schema.errors, ...notRun, ...(typecheck?.errors ?? []), ...(tests?.errors ?? []), ...parts.metricErrors, ...scan.errors],
    findings: scan.findings,
    code_metrics: parts.metrics,
    code_hash: parts.hashes.code_hash,
    spec_hash: parts.hashes.spec_hash,
    validated_at: parts.validatedAt.toISOString(),
    duration_ms: Math.round(parts.durationMs),
  };
  if (tests?.protections) report.protections = tests.protections;
  return report;
}
