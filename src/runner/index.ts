export { ToolRunner, LIMIT_FAILURES, hitLimit } from './tool-runner.js';
export { createBundleResolver, CANDIDATE_VERSION } from './bundle-resolver.js';
export type { ResolvedTool, ToolResolver, MetricsSink, RunOutcome, RunSuccess, RunFailure, RunOptions, ToolRunnerOptions, ValidatorSource } from './tool-runner.js';
export { createRegistryResolver, createRegistryMetricsSink, discardMetrics as discardMetricsSink } from './registry-resolver.js';
export { createCachedValidators, createWorkspaceRunner, toolsmithCacheDir, workspaceMasks } from './runner-setup.js';
