/**
 * The sandbox (SPEC 8): the only place that spawns tool code. Only runner/ imports it.
 * Node built-ins only, and no zod at run time: this is on the `toolsmith run` hot path.
 */
export { runInSandbox } from './run-in-sandbox.js';
export { detectProtections } from './detect-protections.js';
export type { SandboxFailureKind, SandboxLimits, SandboxOutcome, SandboxRequest } from './types.js';
