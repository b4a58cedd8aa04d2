// The one place a tools/call reaches the ToolRunner. Every call goes through the runner's run
// (hash check, input validation, sandbox, output validation, metrics), cold or on one of its
// warm sessions (serve.ts chooses); nothing here runs tool code.
import type { ErrorEnvelope } from '../models/index.js';
import { runChain } from '../pipeline/run-pipeline.js';
import type { RunOutcome, ToolRunner } from '../runner/index.js';
import type { ServedTool } from './describe-tool.js';

/** A tools/call result as MCP defines it (CallToolResult), built from a run's outcome. */
export interface ToolCallResult {
  [key: string]: unknown;
  content: Array<{ type: 'text'; text: string }>;
  structuredContent?: Record<string, unknown>;
  isError?: boolean;
}

export interface CallOptions {
  /** The client cancelled (notifications/cancelled, a closed HTTP stream): the sandbox is killed. */
  signal: AbortSignal;
  /** Called after each step of a pipeline with (steps done, steps in all); strictly increasing. */
  onProgress?: (done: number, total: number) => void;
}

/**
 * What served calls run on: the ToolRunner itself (a cold sandbox per call) or one of its warm
 * sessions (`runner.openSession()`: warm workers, module state kept between one caller's calls).
 */
export interface StepRunner {
  run(ref: string, payload: unknown, options: { signal?: AbortSignal }): Promise<RunOutcome>;
}

/** Where a served call leaves the serve code for the runner. */
function runStep(runner: StepRunner, ref: string, payload: unknown, signal: AbortSignal): Promise<RunOutcome> {
  return runner.run(ref, payload, { signal });
}

/** Success: the output object as structuredContent, and its JSON as a text block for clients that read only text. */
export function successResult(result: Record<string, unknown>): ToolCallResult {
  return { content: [{ type: 'text', text: JSON.stringify(result) }], structuredContent: result };
}

/**
 * A failed run as a tool error the model can read: the envelope's type and message (and its
 * hint), never `_internal`; the type and details are also in `_meta` for programs.
 */
export function errorResult(envelope: ErrorEnvelope, prefix = ''): ToolCallResult {
  const { type, message, details, tool } = envelope.error;
  const { hint, ...rest } = details;
  const text = `${type}: ${prefix}${message}${typeof hint === 'string' ? `\nhint: ${hint}` : ''}`;
  return { content: [{ type: 'text', text }], isError: true, _meta: { 'toolsmith/error': { type, message: `${prefix}${message}`, tool, details: rest } } };
}

/** Runs one served tool or pipeline on the client's arguments; never throws for a tool's failure (it is the result). */
export async function callServedTool(runner: StepRunner, served: ServedTool, args: Record<string, unknown>, options: CallOptions): Promise<ToolCallResult> {
  if (served.kind === 'tool') {
    const outcome = await runStep(runner, served.definition.name, args, options.signal);
    return outcome.error === null ? successResult(outcome.result) : errorResult(outcome.error);
  }
  const step: Pick<ToolRunner, 'run'> = { run: (ref, payload) => runStep(runner, ref, payload, options.signal) };
  const outcome = await runChain(step, served.steps, args, {
    onEvent: (event) => {
      if (event.type === 'progress' && event.payload.done > 0) options.onProgress?.(event.payload.done, event.payload.total);
    },
  });
  if (outcome.ok) return successResult(outcome.result);
  const failed = outcome.steps[outcome.failed_step];
  return errorResult(outcome.error, `step ${outcome.failed_step + 1} (${failed?.tool ?? '?'}) failed: `);
}
