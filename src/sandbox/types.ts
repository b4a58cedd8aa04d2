import type { Permission, SandboxProtections } from '../models/index.js';

/** How the sandbox isolates a tool (config `sandbox.isolation`). */
export type Isolation = 'auto' | 'os' | 'node';

/** The caps one sandboxed call runs under. */
export interface SandboxLimits {
  /** Wall-clock limit from spawn to exit, enforced by the parent from outside the tool's PID namespace. */
  timeoutMs: number;
  /** V8 old-space cap (`--max-old-space-size`): a clear "heap" failure before the memory cap is reached. */
  maxHeapMb: number;
  /** Cap on the JSON result's size; the captured logs are truncated at the same size. */
  maxOutputBytes: number;
  /** Cap on all memory the tool's process may commit, off-heap included (RLIMIT_DATA). */
  maxMemoryMb: number;
  /** Size of the private scratch folder (a tmpfs under the OS layer), which also bounds the files a tool returns. */
  maxScratchMb: number;
}

/** One call of one tool. */
export interface SandboxRequest {
  toolId: string;
  /**
   * The tool's compiled files (POSIX paths relative to its build/ folder -> bytes), already
   * checked by the caller. They are written to a private run folder and exactly these bytes
   * run: the tool sees nothing else of its package (no tests, no reference, no sources).
   */
  buildFiles: ReadonlyMap<string, Uint8Array>;
  /** The entry module, relative to build/ (default `index.js`): its default export is called. */
  entry?: string;
  permissions: readonly Permission[];
  /** JSON-serialisable value passed to the function. */
  input: unknown;
  limits: SandboxLimits;
  isolation: Isolation;
  /** With `fs:read`: host folders and files the tool may read (read-only). */
  readPaths?: readonly string[];
  /** Never readable, even inside a read path (the workspace's registry/, staged/, config, .git/, node_modules/). */
  maskedPaths?: readonly string[];
  /** During validation: the package's fixtures/, shown read-only at ./fixtures instead of the read paths. */
  fixturesDir?: string | null;
  /** The caller's environment, passed on (filtered) to tools granted `env`. Default: process.env. */
  env?: NodeJS.ProcessEnv;
  /**
   * Resolves true once the caller has checked the call (the input against its schema). The
   * child is started at once and waits for its request, so Node starts while the caller
   * checks; false withdraws the call before any tool code runs. Default: admitted.
   */
  admit?: Promise<boolean>;
  /** toolsmith's cache folder, where the list of files Node needs in the sandbox is kept (null: none). */
  cacheDir?: string | null;
  /** Aborting it kills the call's sandbox at once (kind 'aborted'). */
  signal?: AbortSignal;
  /** Called once the child process has been started (e.g. to load what the caller needs after the run while the tool runs). */
  onSpawn?: () => void;
}

/** A file the tool left in its output folder (`fs:write`). */
export interface OutputFile {
  /** POSIX path relative to the output folder. */
  path: string;
  data: Buffer;
}

/** 'aborted': the caller's AbortSignal fired and the sandbox was killed. */
export type SandboxFailureKind = 'timeout' | 'permission' | 'heap' | 'output-limit' | 'execution' | 'crash' | 'bad-result' | 'isolation' | 'aborted';

interface OutcomeBase {
  logs: string[];
  durationMs: number;
  protections: SandboxProtections;
  /** A warm worker's CPU time so far, as its harness reported it (a hint for retiring it, not a measurement to trust). */
  cpuMs?: number;
}

export type SandboxOutcome =
  | (OutcomeBase & { ok: true; value: unknown; files: OutputFile[] })
  | (OutcomeBase & { ok: false; kind: SandboxFailureKind; message: string; stack?: string; hint?: string });

/** The failure variant of SandboxOutcome. */
export type SandboxFailure = Extract<SandboxOutcome, { ok: false }>;
