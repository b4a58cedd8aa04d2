export { ToolRunner, LIMIT_FAILURES } from './tool-runner.js';
export type { ResolvedTool, ToolResolver, MetricsSink, RunOutcome, RunSuccess, RunFailure, ToolRunnerOptions, ValidatorSource } from './tool-runner.js';
export { createRegistryResolver, createRegistryMetricsSink, discardMetrics as discardMetricsSink } from './registry-resolver.js';
export { createCachedValidators, createWorkspaceRunner, toolsmithCacheDir, workspaceMasks } from './runner-setup.js';
