import { availableParallelism } from 'node:os';
import { isBatchFile, runBatchCommand, runPipelineCommand } from '../../pipeline/pipeline-command.js';
import type { BatchResult } from '../../pipeline/run-batch.js';
import { UserError } from '../../models/errors.js';
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
  const inputFileFlag = typeof flags['inputFile'] === 'string' ? flags['inputFile'] : undefined;
  if (flags['batch'] === true || isBatchFile(inputFileFlag)) return batch(io, tools, flags);
  if (flags['concurrency'] !== undefined) throw new UserError('--concurrency applies to batch mode only', 'pass --input-file FILE.jsonl (one input object per line), or drop --concurrency');
  const events = flags['events'] === true;
  const progress = events ? null : await createProgress(flags);
  const emit = events ? (type: string, payload: unknown) => io.out(JSON.stringify({ type, payload, timestamp: new Date().toISOString() })) : null;
  const result = await runPipelineCommand({
    ...(await pipelineSource(io, tools, flags)),
    onEvent: (event) => (emit ? emit(event.type, event.payload) : showProgress(progress, event)),
  }).finally(() => progress?.stop());
  warnCheck(io, result.check, emit);
  if (result.status === 'refused') return refused(io, result.check, emit);
  return finish(io, result.outcome, emit);
};
export default pipeline;

type Emit = ((type: string, payload: unknown) => void) | null;

/** What a single run and a batch share: the workspace, the pipeline (tools, --file or --name), the input flags, --no-check. */
async function pipelineSource(io: Io, tools: unknown, flags: Parameters<Handler>[1]) {
  const { inputText, inputFile } = await readInputFlags(flags);
  return {
    cwd: io.cwd,
    workspace: flags.workspace,
    tools: Array.isArray(tools) ? tools.map(String) : [],
    file: typeof flags['file'] === 'string' ? flags['file'] : undefined,
    name: typeof flags['name'] === 'string' ? flags['name'] : undefined,
    inputText,
    inputFile,
    check: flags['check'] !== false,
  };
}

/** Most inputs a batch runs at once: each is a warm sandbox process per step. */
const MAX_CONCURRENCY = 256;

/** --concurrency: a whole number from 1 to MAX_CONCURRENCY; default the number of cores. @throws UserError (exit 2) */
function parseConcurrency(value: unknown): number {
  if (value === undefined) return availableParallelism();
  const text = String(value);
  const n = /^[0-9]+$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(n) || n < 1 || n > MAX_CONCURRENCY) throw new UserError(`--concurrency must be a whole number from 1 to ${MAX_CONCURRENCY}, got "${text}"`, `e.g. --concurrency 2 (default: the number of cores, ${availableParallelism()} here)`);
  return n;
}

/**
 * Batch mode: one NDJSON line per input on stdout, in input order; progress (done/total,
 * rate, ETA) on a terminal; a summary on stderr. Exit 1 when any line failed.
 */
async function batch(io: Io, tools: unknown, flags: Parameters<Handler>[1]): Promise<number> {
  if (flags['events'] === true) throw new UserError('--events does not apply to a batch: its output is already one JSON line per input', 'drop --events');
  if (typeof flags['input'] === 'string') throw new UserError('a batch reads its inputs from a file, one JSON object per line', 'pass --input-file FILE.jsonl (or --input-file - --batch for stdin)');
  const concurrency = parseConcurrency(flags['concurrency']);
  const progress = await createProgress(flags);
  const output = createLineBuffer(io);
  const started = performance.now();
  let shownAt = 0;
  const onProgress = (done: number, total: number | null): void => {
    const now = performance.now();
    if (now - shownAt < 100 && done !== total) return;
    shownAt = now;
    const rate = done / Math.max((now - started) / 1000, 0.001);
    const eta = total === null || rate === 0 ? '' : `, ETA ${Math.ceil((total - done) / rate)} s`;
    progress.update(`batch: ${done}/${total ?? '?'} inputs, ${rate.toFixed(1)}/s${eta}`);
  };
  const result = await runBatchCommand({
    ...(await pipelineSource(io, tools, flags)),
    concurrency,
    onResult: (line) => output.write(JSON.stringify(describeBatchResult(line))),
    ...(progress.shown === false ? {} : { onProgress }),
  }).finally(() => {
    output.flush();
    progress.stop();
  });
  warnCheck(io, result.check, null);
  if (result.status === 'refused') return refused(io, result.check, null);
  const { total, failedLines, warnings } = result.summary;
  if (!io.flags.quiet && !io.flags.json) {
    for (const warning of warnings) io.err(`toolsmith: warning: ${warning}`);
    const listed = failedLines.slice(0, 20).join(', ') + (failedLines.length > 20 ? ', ...' : '');
    io.err(`batch: ${total} inputs, ${total - failedLines.length} ok, ${failedLines.length} failed${failedLines.length > 0 ? ` (lines ${listed})` : ''}`);
  }
  return failedLines.length > 0 ? EXIT.NEGATIVE : EXIT.OK;
}

/** How long finished result lines may wait to be written together (one write for many, not one each). */
const FLUSH_MS = 50;
const FLUSH_BYTES = 64 * 1024;

/** Result lines written in batches: at 64 KB, after 50 ms, and at the end; in order either way. */
function createLineBuffer(io: Io): { write(line: string): void; flush(): void } {
  let lines: string[] = [];
  let bytes = 0;
  let timer: NodeJS.Timeout | null = null;
  const flush = (): void => {
    if (timer !== null) clearTimeout(timer);
    timer = null;
    if (lines.length > 0) io.out(lines.join('\n'));
    lines = [];
    bytes = 0;
  };
  return {
    write(line) {
      lines.push(line);
      bytes += line.length;
      if (bytes >= FLUSH_BYTES) flush();
      else timer ??= setTimeout(flush, FLUSH_MS);
    },
    flush,
  };
}

/** One batch result line: `{ line, result, steps }` or `{ line, error, failed_step, steps }`. */
function describeBatchResult(line: BatchResult): Record<string, unknown> {
  if (line.ok) return { line: line.line, result: line.result, steps: line.steps };
  return { line: line.line, error: describeEnvelope(line.error), failed_step: line.failed_step, steps: line.steps };
}

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
