export { ToolRunner, LIMIT_FAILURES, hitLimit } from './tool-runner.js';
export { createBundleResolver, CANDIDATE_VERSION } from './bundle-resolver.js';
export type { ResolvedTool, ToolResolver, MetricsSink, RunOptions, RunOutcome, RunSuccess, RunFailure, ToolRunnerOptions, ValidatorSource } from './tool-runner.js';
/**
 * Warm mode: `const session = runner.openSession({ workersPerTool })`, then
 * `session.run(ref, payload, { signal })` -> the same RunOutcome as `runner.run` (never throws;
 * aborting the signal kills the worker serving the call: ExecutionError, details.sandbox
 * "aborted"), and `await session.close()` kills every worker. Module state may persist between
 * calls of one session, never across sessions (see warm-session.ts).
 */
export type { WarmSession, WarmSessionOptions, SessionCallOptions } from './warm-session.js';
export { createRegistryResolver, createRegistryMetricsSink, discardMetrics as discardMetricsSink } from './registry-resolver.js';
export { createCachedValidators, createWorkspaceRunner, toolsmithCacheDir, workspaceMasks } from './runner-setup.js';
