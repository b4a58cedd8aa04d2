import type { SandboxProtections } from '../models/index.js';
import type { GateResult } from './gate-result.js';
import type { BundleRun } from './run-bundle.js';
import type { TestRunSummary } from './run-tests.js';

export interface TestsGateResult extends GateResult {
  /** No run hit a limit or a permission denial (the sandbox gate). */
  sandboxOk: boolean;
  /** The primary run (index.ts), for the metrics; null when it did not build. */
  summary: TestRunSummary | null;
  protections: SandboxProtections | null;
}

/**
 * The tests and sandbox gates (SPEC 7) judged from the run of index.ts: every test passes,
 * and no run hit a limit. Pure: the run itself is runBundle's.
 */
export function judgeTestsGate(primary: BundleRun): TestsGateResult {
  const summary = primary.summary;
  if (summary === null) return { ok: false, sandboxOk: false, errors: primary.errors, logs: primary.logs, summary: null, protections: null };
  const failed = summary.results.filter((r) => !r.passed).map((r) => `test "${r.name}" failed${r.error ? `: ${r.error.error.type}: ${r.error.error.message}` : ''}`);
  return {
    ok: summary.results.every((r) => r.passed),
    sandboxOk: summary.withinLimits,
    errors: [...primary.errors, ...failed],
    logs: primary.logs,
    summary,
    protections: summary.protections,
  };
}
