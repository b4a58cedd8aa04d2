import type { SandboxConfig, TestCase, ToolSpec } from '../models/index.js';
import { buildScratchBundle } from '../bundle/build-package.js';
import { runTestCases, type TestRunSummary } from './run-tests.js';

export interface BundleRun {
  /** null when the implementation did not build (`errors` says why). */
  summary: TestRunSummary | null;
  errors: string[];
  logs: string[];
}

/** What every run of one candidate's implementations shares. */
export interface BundleContext {
  toolId: string;
  /** The candidate as read once (read-candidate.ts): bundles are built from this copy. */
  snapshotDir: string;
  spec: ToolSpec;
  tests: readonly TestCase[];
  limits: SandboxConfig;
}

/**
 * Builds one implementation (index.ts, a sample or the reference, given as `indexOverride`)
 * in scratch space and runs every test through the ToolRunner; the scratch folder is removed after.
 */
export async function runBundle(ctx: BundleContext, indexOverride: string | undefined, label: string): Promise<BundleRun> {
  const bundle = await buildScratchBundle(ctx.snapshotDir, ctx.spec, indexOverride);
  try {
    if (bundle.errors.length > 0) return { summary: null, errors: bundle.errors.map((e) => `${label}: ${e}`), logs: [] };
    const summary = await runTestCases({ toolId: ctx.toolId, bundleDir: bundle.dir, spec: ctx.spec, tests: ctx.tests, limits: ctx.limits, label });
    return { summary, errors: [], logs: summary.logs };
  } finally {
    await bundle.cleanup();
  }
}
