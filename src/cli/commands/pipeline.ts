import { runPipelineCommand } from '../../pipeline/pipeline-command.js';
import type { PipelineCheck } from '../../pipeline/check-pipeline.js';
import type { PipelineOutcome, PipelineProgress, StepReport } from '../../pipeline/run-pipeline.js';
import { createIo, type Io } from '../io/output.js';
import { createProgress, type Progress } from '../io/progress.js';
import { readInputFlags } from '../io/read-stdin.js';
import { escapeTerminal } from '../io/escape.js';
import { EXIT } from '../../models/exit-codes.js';
import type { Handler } from '../program.js';
import { describeEnvelope } from '../report-error.js';
import { formatCheck } from './pipeline-check.js';

const pipeline: Handler = async ([tools], flags) => {
  const io = await createIo(flags);
  const events = flags['events'] === true;
  const { inputText, inputFile } = await readInputFlags(flags);
  const progress = events ? null : await createProgress(flags);
  const emit = events ? (type: string, payload: unknown) => io.out(JSON.stringify({ type, payload, timestamp: new Date().toISOString() })) : null;
  const result = await runPipelineCommand({
    cwd: io.cwd,
    workspace: flags.workspace,
    tools: Array.isArray(tools) ? tools.map(String) : [],
    file: typeof flags['file'] === 'string' ? flags['file'] : undefined,
    name: typeof flags['name'] === 'string' ? flags['name'] : undefined,
    inputText,
    inputFile,
    check: flags['check'] !== false,
    onEvent: (event) => (emit ? emit(event.type, event.payload) : showProgress(progress, event)),
  }).finally(() => progress?.stop());
  warnCheck(io, result.check, emit);
  if (result.status === 'refused') return refused(io, result.check, emit);
  return finish(io, result.outcome, emit);
};
export default pipeline;

type Emit = ((type: string, payload: unknown) => void) | null;

/** A live line per step on a terminal (nothing with --json, --quiet or off a terminal). */
function showProgress(progress: Progress | null, event: PipelineProgress): void {
  if (progress === null) return;
  if (event.type === 'plugin_status' && event.payload.status === 'started') progress.update(`step ${event.payload.step + 1}: ${escapeTerminal(event.payload.tool)}`);
}

/** "Cannot prove" links run, with a warning (never a silent pass). */
function warnCheck(io: Io, check: PipelineCheck | null, emit: Emit): void {
  if (check === null || check.verdict !== 'cannot-prove') return;
  for (const link of check.links) {
    for (const f of link.findings) {
      const message = `step ${link.from + 1} -> ${link.to + 1}: cannot prove: ${f.message}`;
      if (emit) emit('warning', { message, output_pointer: f.output_pointer, input_pointer: f.input_pointer });
      else if (!io.flags.quiet && !io.flags.json) io.err(`toolsmith: warning: ${message}`);
    }
  }
}

function refused(io: Io, check: PipelineCheck, emit: Emit): number {
  const message = 'the pipeline check found incompatible steps; nothing ran';
  const hint = 'see `toolsmith pipeline check` for every finding; --no-check runs the chain anyway';
  const error = { type: 'IncompatiblePipeline', message, hint, check };
  if (emit) emit('error', { error });
  else if (io.flags.json) io.out(JSON.stringify({ error }, null, 2));
  else {
    io.err(formatCheck(check));
    io.err(`toolsmith: ${message}`);
    io.err(`hint: ${hint}`);
  }
  return EXIT.NEGATIVE;
}

function finish(io: Io, outcome: PipelineOutcome, emit: Emit): number {
  if (!outcome.ok) {
    const body = { error: describeEnvelope(outcome.error), failed_step: outcome.failed_step, steps: outcome.steps };
    if (emit) emit('error', body);
    else if (io.flags.json) io.out(JSON.stringify(body, null, 2));
    else {
      if (!io.flags.quiet) io.err(formatSteps(outcome.steps));
      io.err(`toolsmith: step ${outcome.failed_step + 1} (${outcome.steps[outcome.failed_step]?.tool ?? '?'}) failed: ${body.error.type}: ${body.error.message}`);
      io.err(`hint: ${body.error.hint}`);
    }
    return EXIT.NEGATIVE;
  }
  for (const warning of outcome.warnings) if (!emit && !io.flags.json) io.err(`toolsmith: warning: ${warning}`);
  const body = { result: outcome.result, steps: outcome.steps };
  if (emit) emit('result', body);
  else if (io.flags.json) io.out(JSON.stringify(body, null, 2));
  else {
    // stdout: the last step's output (what a user pipes on); stderr: the per-step timings.
    io.out(JSON.stringify(outcome.result, null, 2));
    if (!io.flags.quiet) io.err(formatSteps(outcome.steps));
  }
  return EXIT.OK;
}

/** The per-step timing table. */
function formatSteps(steps: readonly StepReport[]): string {
  const rows = steps.map((s, i) => [`${i + 1}`, s.version === null ? s.tool : `${s.tool}@${s.version}`, s.status, s.status === 'skipped' ? '-' : `${s.duration_ms.toFixed(1)} ms`]);
  const header = ['step', 'tool', 'status', 'time'];
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => (r[c] ?? '').length)));
  return [header, ...rows].map((r) => r.map((cell, c) => cell.padEnd(widths[c] ?? 0)).join('  ').trimEnd()).join('\n');
}
