/**
 * The sandbox (SPEC 8): the only place that spawns tool code. Only runner/ imports it.
 * Node built-ins only, and no zod at run time: this is on the `toolsmith run` hot path.
 */
export { runInSandbox } from './run-in-sandbox.js';
export { INSTALL_HINT } from './os-layer.js';
export { MAX_RESULT_DEPTH, jsonNestsDeeperThan, isSafeRelativePath } from './parse-reply.js';
export type { Isolation, OutputFile, SandboxFailure, SandboxFailureKind, SandboxLimits, SandboxOutcome, SandboxRequest } from './types.js';
export { startWarmWorker, type WarmWorker, type WarmWorkerRequest } from './warm-worker.js';
