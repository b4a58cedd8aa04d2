import { pathToFileURL } from 'node:url';
import path from 'node:path';
import type { ErrorEnvelope, ErrorType, Permission, SandboxConfig, SandboxProtections } from '../models/index.js';
import { createErrorEnvelope } from '../models/create-error-envelope.js';
import { UserError } from '../models/errors.js';
import { runInSandbox, type SandboxFailureKind } from '../sandbox/index.js';
import { formatAjvErrors, instantiateStandaloneValidator, type StandaloneValidator } from '../schema/standalone-runtime.js';
import type { RunOutcomeRecord } from '../stores/registry-store.js';

/** A tool ready to execute: its integrity already checked by the resolver. */
export interface ResolvedTool {
  toolId: string;
  version: string;
  codeHash: string;
  /** The package folder holding build/ (compiled code and validators). */
  packageDir: string;
  permissions: readonly Permission[];
}

/** Finds a tool and checks its files against their hashes. @throws NotFoundError, IntegrityError */
export interface ToolResolver {
  resolve(toolId: string): Promise<ResolvedTool>;
}

/** Where the runner records each run's outcome. */
export interface MetricsSink {
  record(toolId: string, run: RunOutcomeRecord): Promise<void>;
}

export interface ToolRunnerOptions {
  resolver: ToolResolver;
  metrics: MetricsSink;
  limits: SandboxConfig;
  /** The tool's working directory (fs:read / fs:write apply to it). */
  cwd: string;
  clock?: () => Date;
}

export interface RunSuccess {
  result: Record<string, unknown>;
  error: null;
  tool: ResolvedTool;
  logs: string[];
  durationMs: number;
  protections: SandboxProtections | null;
}

export interface RunFailure {
  result: null;
  error: ErrorEnvelope;
  tool: ResolvedTool | null;
  logs: string[];
  durationMs: number;
  protections: SandboxProtections | null;
}

export type RunOutcome = RunSuccess | RunFailure;

/** Sandbox failures that mean a limit or a permission stopped the tool (the sandbox gate). */
export const LIMIT_FAILURES: ReadonlySet<SandboxFailureKind> = new Set(['timeout', 'permission', 'heap', 'output-limit']);

const ENVELOPE_TYPE: Record<SandboxFailureKind, ErrorType> = {
  timeout: 'TimeoutError',
  permission: 'PermissionError',
  heap: 'ExecutionError',
  'output-limit': 'ExecutionError',
  execution: 'ToolError',
  crash: 'ExecutionError',
  'bad-result': 'ValidationError',
};

/** A failure the runner turns into an envelope of a chosen type. */
class RunError extends Error {
  constructor(
    readonly type: ErrorType,
    message: string,
    readonly details: Record<string, unknown> = {},
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

  constructor(private readonly options: ToolRunnerOptions) {
    this.clock = options.clock ?? (() => new Date());
  }

  /** Runs one tool on one payload; returns exactly one of result and error, never throws. */
  async run(toolId: string, payload: unknown): Promise<RunOutcome> {
    const started = performance.now();
    let outcome: RunOutcome | undefined;
    let tool: ResolvedTool | null = null;
    try {
      tool = await this.options.resolver.resolve(toolId);
      outcome = await this.execute(tool, payload, started);
      return outcome;
    } catch (error) {
      outcome = this.failure(toolId, tool, error, started);
      return outcome;
    } finally {
      const durationMs = outcome?.durationMs ?? performance.now() - started;
      // A tool that exists but failed its integrity check still gets its failed run counted.
      const known = tool !== null || outcome?.error?.error.type === 'IntegrityError';
      await this.options.metrics.record(toolId, { ok: outcome?.error === null, durationMs, at: this.clock(), resolved: known });
    }
  }

  private async execute(tool: ResolvedTool, payload: unknown, started: number): Promise<RunOutcome> {
    const input = this.checkPayload(payload);
    const [validateInput, validateOutput] = await Promise.all([
      loadValidator(tool.packageDir, 'input'),
      loadValidator(tool.packageDir, 'output'),
    ]);
    if (!validateInput(input)) {
      const problems = formatAjvErrors(validateInput.errors, 'input');
      throw new RunError('ValidationError', `input does not match input_schema: ${problems.join('; ')}`, { errors: problems });
    }
    const sandboxed = await runInSandbox({
      toolId: tool.toolId,
      entry: path.join(tool.packageDir, 'build', 'index.js'),
      packageDir: tool.packageDir,
      permissions: tool.permissions,
      input,
      limits: { timeoutMs: this.options.limits.timeout_ms, maxHeapMb: this.options.limits.max_heap_mb, maxOutputBytes: this.options.limits.max_output_bytes },
      cwd: this.options.cwd,
    });
    const base = { tool, logs: sandboxed.logs, protections: sandboxed.protections };
    if (!sandboxed.ok) {
      const envelope = createErrorEnvelope(ENVELOPE_TYPE[sandboxed.kind], sandboxed.message, {
        tool: tool.toolId,
        details: { sandbox: sandboxed.kind },
        traceback: sandboxed.stack ?? '',
        now: this.clock(),
      });
      return { ...base, result: null, error: envelope, durationMs: performance.now() - started };
    }
    const value = sandboxed.value;
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      const got = value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value;
      const envelope = createErrorEnvelope('ValidationError', `the tool returned ${got}; a tool must return an object`, { tool: tool.toolId, now: this.clock() });
      return { ...base, result: null, error: envelope, durationMs: performance.now() - started };
    }
    if (!validateOutput(value)) {
      const problems = formatAjvErrors(validateOutput.errors, 'output');
      const envelope = createErrorEnvelope('ValidationError', `output does not match output_schema: ${problems.join('; ')}`, {
        tool: tool.toolId,
        details: { errors: problems },
        now: this.clock(),
      });
      return { ...base, result: null, error: envelope, durationMs: performance.now() - started };
    }
    return { ...base, result: value as Record<string, unknown>, error: null, durationMs: performance.now() - started };
  }

  private checkPayload(payload: unknown): Record<string, unknown> {
    if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) {
      throw new RunError('ValidationError', 'the input must be a JSON object');
    }
    const size = Buffer.byteLength(JSON.stringify(payload));
    if (size > this.options.limits.max_input_bytes) {
      throw new RunError('ValidationError', `the input is ${size} bytes; the limit is ${this.options.limits.max_input_bytes} (sandbox.max_input_bytes)`);
    }
    return payload as Record<string, unknown>;
  }

  private failure(toolId: string, tool: ResolvedTool | null, error: unknown, started: number): RunFailure {
    const now = this.clock();
    let envelope: ErrorEnvelope;
    if (error instanceof RunError) {
      envelope = createErrorEnvelope(error.type, error.message, { tool: toolId, details: error.details, now });
    } else if (error instanceof UserError) {
      const type: ErrorType = error.name === 'IntegrityError' ? 'IntegrityError' : error.name === 'NotFoundError' ? 'NotFoundError' : 'ValidationError';
      envelope = createErrorEnvelope(type, error.message, { tool: toolId, details: error.hint ? { hint: error.hint } : {}, now });
    } else {
      const err = error instanceof Error ? error : new Error(String(error));
      envelope = createErrorEnvelope('InternalError', err.message, { tool: toolId, traceback: err.stack ?? '', now });
    }
    return { result: null, error: envelope, tool, logs: [], durationMs: performance.now() - started, protections: null };
  }
}

async function loadValidator(packageDir: string, which: 'input' | 'output'): Promise<StandaloneValidator> {
  const file = path.join(packageDir, 'build', '_toolsmith', `${which}-validator.js`);
  const module = (await import(pathToFileURL(file).href)) as { default: unknown };
  return instantiateStandaloneValidator(module.default);
}
