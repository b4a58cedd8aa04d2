// The chain itself (SPEC 8): `result = payload; for tool of tools: result = run(tool, result)`.
// Every step goes through the ToolRunner (validation, sandbox, envelope, metrics); the
// first failure stops the chain and later steps never start.
import type { ErrorEnvelope } from '../models/index.js';
import type { RunOutcome, ToolRunner } from '../runner/index.js';

export interface StepReport {
  tool: string;
  /** The version that ran; null when the step failed before its tool was resolved, or never ran. */
  version: string | null;
  status: 'ok' | 'error' | 'skipped';
  duration_ms: number;
}

export type PipelineOutcome =
  | { ok: true; result: Record<string, unknown>; steps: StepReport[]; warnings: string[] }
  | { ok: false; error: ErrorEnvelope; failed_step: number; steps: StepReport[]; warnings: string[] };

/** What a running pipeline reports as it goes (PipelineEvents, SPEC 3): the caller prints or streams them. */
export type PipelineProgress =
  | { type: 'plugin_status'; payload: { step: number; tool: string; status: 'started' } }
  | { type: 'plugin_status'; payload: { step: number; tool: string; version: string | null; status: 'ok' | 'error'; duration_ms: number } }
  | { type: 'progress'; payload: { done: number; total: number } }
  | { type: 'partial_result'; payload: { step: number; tool: string; result: Record<string, unknown> } }
  | { type: 'warning'; payload: { message: string } };

export interface RunChainOptions {
  onEvent?: (event: PipelineProgress) => void;
}

const round = (ms: number): number => Math.round(ms * 100) / 100;

/**
 * Runs the steps in order on `payload`; never throws for a tool's failure (it is the outcome).
 * `runner` is anything with ToolRunner's `run` (serve passes one bound to the client's cancellation).
 */
export async function runChain(runner: Pick<ToolRunner, 'run'>, tools: readonly string[], payload: Record<string, unknown>, options: RunChainOptions = {}): Promise<PipelineOutcome> {
  const emit = options.onEvent ?? (() => undefined);
  const steps: StepReport[] = tools.map((tool) => ({ tool, version: null, status: 'skipped', duration_ms: 0 }));
  const warnings = new Set<string>();
  let current = payload;
  emit({ type: 'progress', payload: { done: 0, total: tools.length } });
  for (const [index, tool] of tools.entries()) {
    emit({ type: 'plugin_status', payload: { step: index, tool, status: 'started' } });
    const outcome: RunOutcome = await runner.run(tool, current);
    const step: StepReport = { tool, version: outcome.tool?.version ?? null, status: outcome.error ? 'error' : 'ok', duration_ms: round(outcome.durationMs) };
    steps[index] = step;
    for (const warning of outcome.protections?.warnings ?? []) {
      if (!warnings.has(warning)) emit({ type: 'warning', payload: { message: warning } });
      warnings.add(warning);
    }
    emit({ type: 'plugin_status', payload: { step: index, tool, version: step.version, status: step.status === 'ok' ? 'ok' : 'error', duration_ms: step.duration_ms } });
    if (outcome.error) return { ok: false, error: outcome.error, failed_step: index, steps, warnings: [...warnings] };
    current = outcome.result;
    emit({ type: 'progress', payload: { done: index + 1, total: tools.length } });
    emit({ type: 'partial_result', payload: { step: index, tool, result: current } });
  }
  return { ok: true, result: current, steps, warnings: [...warnings] };
}
