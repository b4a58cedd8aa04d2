export { ToolRunner, LIMIT_FAILURES, hitLimit } from './tool-runner.js';
export { createBundleResolver, CANDIDATE_VERSION } from './bundle-resolver.js';
export type { ResolvedTool, ToolResolver, MetricsSink, RunOptions, RunOutcome, RunSuccess, RunFailure, ToolRunnerOptions, ValidatorSource } from './tool-runner.js';
/**
 * Warm mode: `const session = runner.openSession({ workersPerTool, verify })`, then
 * `session.run(ref, payload, { signal })` -> the same RunOutcome as `runner.run` (never throws;
 * aborting the signal kills the worker serving the call at once: ExecutionError,
 * details.sandbox "aborted"), and `await session.close()` kills every worker and waits until
 * they are gone. `verify: 'every-call'` re-resolves and re-checks the tool on each call (a
 * server: new promotions picked up, tampering refused per call); the default 'once' is a
 * batch's. Module state may persist between calls of one session, never across sessions (see
 * warm-session.ts). Cold runs take the signal too: `runner.run(ref, payload, { signal })`.
 */
export type { WarmSession, WarmSessionOptions, SessionCallOptions } from './warm-session.js';
export { createRegistryResolver, createRegistryMetricsSink, discardMetrics as discardMetricsSink } from './registry-resolver.js';
export { createCachedValidators, createWorkspaceRunner, toolsmithCacheDir, workspaceMasks } from './runner-setup.js';
