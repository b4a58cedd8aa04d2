import type { ErrorEnvelope, ErrorType, Permission, SandboxConfig, SandboxProtections } from '../models/index.js';
import { createErrorEnvelope } from '../models/create-error-envelope.js';
import { UserError } from '../models/errors.js';
import { MAX_RESULT_DEPTH, runInSandbox, type OutputFile, type SandboxFailureKind } from '../sandbox/index.js';
import { WarmSession, type SessionOutcome, type WarmSessionOptions } from './warm-session.js';
import { ajvErrorPointers, summarizeAjvErrors, type SpecValidators, type StandaloneValidator } from '../json-schema/standalone-runtime.js';
import { validateBounded } from './validate-bounded.js';
import type { RunOutcomeRecord } from '../stores/registry-store.js';
import { measureDepth } from './measure-depth.js';
import { isEnvironmentErrno } from '../models/errno-code.js';

/** A tool ready to execute: its integrity already checked by the resolver. */
export interface ResolvedTool {
  toolId: string;
  version: string;
  codeHash: string;
  /** The schemas of the verified spec.json: validators are compiled from these, never loaded from the package. */
  schemas: { input_schema: object; output_schema: object };
  /** SHA-256 of the verified spec.json the schemas come from, when there is one (keys the validator cache). */
  specFileHash?: string;
  permissions: readonly Permission[];
  /**
   * The compiled files (POSIX paths relative to build/) exactly as they were verified: the
   * sandbox runs a private copy of these bytes, and the tool sees nothing else of its package.
   */
  buildFiles: ReadonlyMap<string, Uint8Array>;
  /** The verified bytes of the package's tests.json, where the resolver has them (`pipeline check` reads its expected outputs). */
  testsFile?: Uint8Array;
  /** The verified bytes of spec.json, where the resolver has them (`serve` describes the tool from them). */
  specFile?: Uint8Array;
}

/**
 * Finds a tool by reference (`name`, or `name@version` where the resolver supports pinning)
 * and checks its files against their hashes. @throws UserError (bad reference), NotFoundError, IntegrityError
 */
export interface ToolResolver {
  resolve(ref: string): Promise<ResolvedTool>;
}

/** Where the runner records each run's outcome. */
export interface MetricsSink {
  /** `defer`: a warm session's call; the sink may keep it in memory until `flush` (a session's close) instead of writing per call. */
  record(toolId: string, run: RunOutcomeRecord, options?: { defer?: boolean }): Promise<void>;
  /** Called while the tool runs in its sandbox: a sink may load what `record` will need. */
  prepare?(): void;
  /** Writes the deferred records. */
  flush?(): Promise<void>;
}

/** Per call: where and how a run executes. */
export interface RunOptions {
  /** Aborting it kills the call's sandbox at once: an ExecutionError envelope with `details.sandbox` "aborted". */
  signal?: AbortSignal;
  /** Run on this session's warm workers (`openSession()`), not in a fresh sandbox. */
  session?: WarmSession;
}

/** Compiles (or fetches from a cache) the input and output validators of a resolved tool. */
export type ValidatorSource = (tool: ResolvedTool) => Promise<SpecValidators>;

export interface ToolRunnerOptions {
  resolver: ToolResolver;
  metrics: MetricsSink;
  limits: SandboxConfig;
  validators: ValidatorSource;
  /** What `fs:read` opens: absolute read paths, and paths never readable even inside them. */
  readPaths?: readonly string[];
  maskedPaths?: readonly string[];
  /** During validation: the package's fixtures/, shown to `fs:read` tools instead of the read paths. */
  fixturesDir?: string | null;
  /** The caller's environment, for tools granted `env`. */
  env?: NodeJS.ProcessEnv;
  /** toolsmith's cache folder (see runner-setup.ts), for the sandbox's list of Node's files; null: none. */
  cacheDir?: string | null;
  clock?: () => Date;
}

interface OutcomeBase {
  logs: string[];
  durationMs: number;
  protections: SandboxProtections | null;
}

export interface RunSuccess extends OutcomeBase {
  result: Record<string, unknown>;
  error: null;
  sandboxFailure: null;
  tool: ResolvedTool;
  /** Files the tool left in its output folder (`fs:write`). */
  files: OutputFile[];
}

export interface RunFailure extends OutcomeBase {
  result: null;
  error: ErrorEnvelope;
  /**
   * How the sandbox stopped the tool (a limit, a permission, isolation refused, a crash...);
   * null when the failure was not the sandbox's (bad input, integrity, output schema).
   * The envelope says the same in `details.sandbox` for callers that read JSON.
   */
  sandboxFailure: SandboxFailureKind | null;
  tool: ResolvedTool | null;
}

export type RunOutcome = RunSuccess | RunFailure;

/** Sandbox failures that mean a limit or a permission stopped the tool (the sandbox gate). */
export const LIMIT_FAILURES: ReadonlySet<SandboxFailureKind> = new Set(['timeout', 'permission', 'heap', 'output-limit']);

/** Whether a run was stopped by a limit or a permission (what fails the sandbox gate). */
export function hitLimit(outcome: RunOutcome): boolean {
  return outcome.sandboxFailure !== null && LIMIT_FAILURES.has(outcome.sandboxFailure);
}

const ENVELOPE_TYPE: Record<SandboxFailureKind, ErrorType> = {
  timeout: 'TimeoutError',
  permission: 'PermissionError',
  heap: 'ExecutionError',
  'output-limit': 'ExecutionError',
  execution: 'ToolError',
  crash: 'ExecutionError',
  'bad-result': 'ValidationError',
  isolation: 'ExecutionError',
  aborted: 'ExecutionError',
};

/** Output validation may run this long past what is left of the time limit (setting up and reading the reply). */
const VALIDATION_GRACE_MS = 250;

/**
 * A failure the runner turns into an envelope of a chosen type. `counted` false: the
 * caller's input was refused before any tool code ran, so it is no run of the tool
 * (SPEC 10: bad input changes nothing, metrics.json included).
 */
class RunError extends Error {
  constructor(
    readonly type: ErrorType,
    message: string,
    readonly details: Record<string, unknown> = {},
    readonly counted = true,
  ) {
    super(message);
  }
}

/**
 * The governed runner (SPEC 8): the ONLY code path that executes tool code. Resolve,
 * verify hashes, validate input, execute in the sandbox, validate output; every failure
 * becomes an ErrorEnvelope; metrics are recorded in a finally.
 */
export class ToolRunner {
  private readonly clock: () => Date;
  private readonly sessions = new WeakSet<WarmSession>();

  constructor(private readonly options: ToolRunnerOptions) {
    this.clock = options.clock ?? (() => new Date());
  }

  /**
   * Warm mode (SPEC 8 batch): a session of warm workers whose `run` is this runner's `run` on
   * a worker kept between calls, under the same isolation and limits. Close it when done.
   */
  openSession(options: WarmSessionOptions = {}): WarmSession {
    const session = new WarmSession({ run: (ref, payload, runOptions) => this.run(ref, payload, runOptions), settings: this.options }, options);
    this.sessions.add(session);
    return session;
  }

  /**
   * Runs one tool (`name` or `name@version`) on one payload; returns exactly one of result
   * and error, never throws. Metrics are kept per tool name, whatever version ran.
   */
  async run(ref: string, payload: unknown, options: RunOptions = {}): Promise<RunOutcome> {
    const toolId = ref.split('@', 1)[0] ?? ref;
    const started = performance.now();
    const session = options.session;
    if (session !== undefined && !this.sessions.has(session)) throw new TypeError('this session was opened by another ToolRunner');
    let outcome: RunOutcome | undefined;
    let tool: ResolvedTool | null = null;
    let counted = true;
    try {
      tool = session === undefined ? await this.options.resolver.resolve(ref) : await session.resolve(ref);
      outcome = await this.execute(tool, payload, started, options);
      // Refused for want of the OS layer (isolation "os"): the tool never ran, so no run is counted.
      if (outcome.sandboxFailure === 'isolation') counted = false;
      return outcome;
    } catch (error) {
      if (error instanceof RunError) counted = error.counted;
      outcome = this.failure(toolId, tool, error, started);
      return outcome;
    } finally {
      const durationMs = outcome?.durationMs ?? performance.now() - started;
      // A tool that exists but failed its integrity check still gets its failed run counted.
      const known = tool !== null || outcome?.error?.error.type === 'IntegrityError';
      // A call its caller cancelled (an MCP client's notifications/cancelled, a closed stream) is also counted as such.
      const cancelled = outcome?.sandboxFailure === 'aborted';
      await this.options.metrics.record(toolId, { ok: outcome?.error === null, durationMs, at: this.clock(), resolved: known, counted, ...(cancelled ? { cancelled } : {}) }, { defer: session !== undefined });
    }
  }

  private async execute(tool: ResolvedTool, payload: unknown, started: number, options: RunOptions): Promise<RunOutcome> {
    const limits = this.options.limits;
    const input = this.checkPayload(payload);
    const { sandboxed, validators } = options.session === undefined
      ? await this.callCold(tool, input, options.signal)
      : await this.callWarm(options.session, tool, input, options.signal);
    const base = { tool, logs: sandboxed.logs, protections: sandboxed.protections };
    const fail = (type: ErrorType, message: string, sandboxFailure: SandboxFailureKind | null, details: Record<string, unknown> = {}, traceback = ''): RunFailure => ({
      ...base,
      result: null,
      error: createErrorEnvelope(type, message, { tool: tool.toolId, details: sandboxFailure === null ? details : { sandbox: sandboxFailure, ...details }, traceback, now: this.clock() }),
      sandboxFailure,
      durationMs: performance.now() - started,
    });
    if (!sandboxed.ok) {
      const details: Record<string, unknown> = sandboxed.hint === undefined ? {} : { hint: sandboxed.hint };
      return fail(ENVELOPE_TYPE[sandboxed.kind], sandboxed.message, sandboxed.kind, details, sandboxed.stack ?? '');
    }
    const value = sandboxed.value;
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      const got = value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value;
      return fail('ValidationError', `the tool returned ${got}; a tool must return an object`, null);
    }
    // The output is hostile: its validation gets what is left of the time limit, and no more
    // (a warm call's limit ran from when it had a worker, not while it queued).
    const elapsed = options.session === undefined ? performance.now() - started : sandboxed.durationMs;
    const budget = Math.max(0, limits.timeout_ms - elapsed) + VALIDATION_GRACE_MS;
    const checked = validateBounded(validators.output, tool.schemas.output_schema, value, budget);
    if (checked.status === 'timeout') {
      return fail('TimeoutError', `validating the tool's output against output_schema did not finish within the time limit of ${limits.timeout_ms} ms`, 'timeout', { hint: 'raise sandbox.timeout_ms in toolsmith.config.json' });
    }
    if (checked.status === 'invalid') {
      const problems = summarizeAjvErrors(checked.errors, 'output');
      return fail('ValidationError', `output does not match output_schema: ${problems.join('; ')}`, null, { errors: problems, pointers: ajvErrorPointers(checked.errors) });
    }
    // `as`: checked above to be a non-array object; JSON.parse made it a plain one.
    return { ...base, result: value as Record<string, unknown>, error: null, sandboxFailure: null, files: sandboxed.files, durationMs: performance.now() - started };
  }

  /** A fresh sandbox for this one call. @throws RunError (not counted) for refused input */
  private async callCold(tool: ResolvedTool, input: Record<string, unknown>, signal: AbortSignal | undefined): Promise<{ sandboxed: SessionOutcome; validators: SpecValidators }> {
    const limits = this.options.limits;
    // The sandbox starts Node while the validators load and the input is checked (a child
    // waits for its request); refused input withdraws the call before any tool code runs.
    const admission = (async () => {
      const loaded = await this.options.validators(tool);
      this.checkInput(loaded.input, tool.schemas.input_schema, input);
      return loaded;
    })();
    const admit = admission.then(() => true, () => false);
    const sandboxed = await runInSandbox({
      toolId: tool.toolId,
      buildFiles: tool.buildFiles,
      permissions: tool.permissions,
      input,
      limits: { timeoutMs: limits.timeout_ms, maxHeapMb: limits.max_heap_mb, maxOutputBytes: limits.max_output_bytes, maxMemoryMb: limits.max_memory_mb, maxScratchMb: limits.max_scratch_mb },
      isolation: limits.isolation,
      readPaths: this.options.readPaths ?? [],
      maskedPaths: this.options.maskedPaths ?? [],
      fixturesDir: this.options.fixturesDir ?? null,
      env: this.options.env ?? process.env,
      cacheDir: this.options.cacheDir ?? null,
      admit,
      ...(signal === undefined ? {} : { signal }),
      // Loads the metrics store's libraries while the tool runs, not before the child starts.
      onSpawn: () => this.options.metrics.prepare?.(),
    });
    // Refused input (or validators that failed to load) is the answer, whatever the sandbox did meanwhile.
    return { sandboxed, validators: await admission };
  }

  /** A warm worker of the session: validators loaded once per session, the input checked before it is sent. @throws RunError (not counted) for refused input */
  private async callWarm(session: WarmSession, tool: ResolvedTool, input: Record<string, unknown>, signal: AbortSignal | undefined): Promise<{ sandboxed: SessionOutcome; validators: SpecValidators }> {
    const validators = await session.validatorsFor(tool);
    this.checkInput(validators.input, tool.schemas.input_schema, input);
    return { sandboxed: await session.call(tool, input, signal), validators };
  }

  /** The caller's input against input_schema, with the same deadline as a run. @throws RunError (not counted) */
  private checkInput(validate: StandaloneValidator, schema: object, input: Record<string, unknown>): void {
    const checked = validateBounded(validate, schema, input, this.options.limits.timeout_ms);
    if (checked.status === 'timeout') {
      throw new RunError('ValidationError', `validating the input against input_schema did not finish within the time limit of ${this.options.limits.timeout_ms} ms`, {}, false);
    }
    if (checked.status === 'invalid') {
      const problems = summarizeAjvErrors(checked.errors, 'input');
      throw new RunError('ValidationError', `input does not match input_schema: ${problems.join('; ')}`, { errors: problems, pointers: ajvErrorPointers(checked.errors) }, false);
    }
  }

  /** @throws RunError (not counted) for a payload that is not an object, too large or too deep */
  private checkPayload(payload: unknown): Record<string, unknown> {
    if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) {
      throw new RunError('ValidationError', 'the input must be a JSON object', {}, false);
    }
    // Before JSON.stringify: a 300,000-deep value would overflow its stack.
    if (measureDepth(payload, MAX_RESULT_DEPTH) > MAX_RESULT_DEPTH) {
      throw new RunError('ValidationError', `the input nests deeper than ${MAX_RESULT_DEPTH} levels`, {}, false);
    }
    const size = Buffer.byteLength(JSON.stringify(payload));
    if (size > this.options.limits.max_input_bytes) {
      throw new RunError('ValidationError', `the input is ${size} bytes; the limit is ${this.options.limits.max_input_bytes} (sandbox.max_input_bytes)`, {}, false);
    }
    return payload as Record<string, unknown>; // `as`: checked above to be a non-array object
  }

  private failure(toolId: string, tool: ResolvedTool | null, error: unknown, started: number): RunFailure {
    const now = this.clock();
    let envelope: ErrorEnvelope;
    if (error instanceof RunError) {
      envelope = createErrorEnvelope(error.type, error.message, { tool: toolId, details: error.details, now });
    } else if (error instanceof UserError) {
      const type: ErrorType = error.name === 'IntegrityError' ? 'IntegrityError' : error.name === 'NotFoundError' ? 'NotFoundError' : 'ValidationError';
      envelope = createErrorEnvelope(type, error.message, { tool: toolId, details: error.hint ? { hint: error.hint } : {}, now });
    } else if (isEnvironmentErrno(error)) {
      // The machine, not the tool or toolsmith: e.g. a TMPDIR the user may not write.
      const where = error.path ?? 'a folder toolsmith needs';
      envelope = createErrorEnvelope('ExecutionError', `toolsmith could not prepare the run: ${error.code} on ${where}`, { tool: toolId, details: { hint: `check the permissions and free space of ${where} (run folders go under TMPDIR)` }, now });
    } else {
      const err = error instanceof Error ? error : new Error(String(error));
      envelope = createErrorEnvelope('InternalError', err.message, { tool: toolId, traceback: err.stack ?? '', now });
    }
    return { result: null, error: envelope, sandboxFailure: null, tool, logs: [], durationMs: performance.now() - started, protections: null };
  }
}
