import type { Permission, SandboxProtections } from '../models/index.js';

/** The caps one sandboxed call runs under. */
export interface SandboxLimits {
  /** Wall-clock limit from spawn to exit; the child (and its process group) is killed after it. */
  timeoutMs: number;
  /** V8 old-space cap (`--max-old-space-size`). Off-heap memory (Buffers, ArrayBuffers) is not counted by V8. */
  maxHeapMb: number;
  /** Cap on the JSON result's size; the captured logs are truncated at the same size. */
  maxOutputBytes: number;
}

/** One call of one tool. */
export interface SandboxRequest {
  toolId: string;
  /** Absolute path of the compiled ESM module whose default export is an (async) function input -> output. */
  entry: string;
  /** Absolute path of the tool's package: the only folder it may read (besides `entry` and the harness). */
  packageDir: string;
  permissions: readonly Permission[];
  /** JSON-serialisable value passed to the function. */
  input: unknown;
  limits: SandboxLimits;
  /** Working directory of the child (default: process.cwd()); fs:read grants reading it, fs:write writing it. */
  cwd?: string;
}

export type SandboxFailureKind = 'timeout' | 'permission' | 'heap' | 'output-limit' | 'execution' | 'crash' | 'bad-result';

export type SandboxOutcome =
  | { ok: true; value: unknown; logs: string[]; durationMs: number; protections: SandboxProtections }
  | {
      ok: false;
      kind: SandboxFailureKind;
      message: string;
      stack?: string;
      logs: string[];
      durationMs: number;
      protections: SandboxProtections;
    };

/** The failure variant of SandboxOutcome. */
export type SandboxFailure = Extract<SandboxOutcome, { ok: false }>;
