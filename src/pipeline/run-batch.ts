// Batch mode (SPEC 8, issue 11 item 5): the chain once per input line, on one warm session of
// the ToolRunner (sandbox workers kept between calls, not a process per step per line), with
// N lines in flight and the results handed on in input order.
import { createReadStream } from 'node:fs';
import type { ErrorEnvelope } from '../models/index.js';
import { createErrorEnvelope } from '../models/create-error-envelope.js';
import type { ToolRunner } from '../runner/index.js';
import { runChain, type StepReport } from './run-pipeline.js';

/** One input of a batch: its 1-based line number in the file, and the line's text (or why it was refused unread). */
export type BatchInput = { line: number; text: string } | { line: number; tooLong: number };

/** One result line, in input order. `failed_step` is null when no step ran (the line was not a JSON object). */
export type BatchResult =
  | { line: number; ok: true; result: Record<string, unknown>; steps: StepReport[] }
  | { line: number; ok: false; error: ErrorEnvelope; failed_step: number | null; steps: StepReport[] };

export interface BatchSummary {
  total: number;
  failedLines: number[];
  warnings: string[];
}

export interface RunBatchOptions {
  /** Lines in flight at once (and warm workers per tool). */
  concurrency: number;
  /** Largest input line, in bytes (sandbox.max_input_bytes). */
  maxLineBytes: number;
  /** Called once per input, in input order. */
  onResult: (result: BatchResult) => void;
  /** Called after each result, with the number of inputs when it is known. */
  onProgress?: (done: number, total: number | null) => void;
}

/** How far past the oldest unfinished line a batch may run ahead (results wait in memory until their turn). */
const LOOKAHEAD_PER_WORKER = 256;

/**
 * Runs the chain on every input, `concurrency` lines at a time, through one warm session of
 * `runner` (closed, killing its workers, before this returns or throws). A line's failure is
 * that line's result; the batch goes on.
 */
export async function runBatch(runner: ToolRunner, tools: readonly string[], inputs: AsyncIterable<BatchInput>, total: number | null, options: RunBatchOptions): Promise<BatchSummary> {
  const session = runner.openSession({ workersPerTool: options.concurrency });
  // Every step's first worker starts now, side by side, rather than when its first input reaches it.
  for (const tool of new Set(tools)) void session.prewarm(tool);
  const iterator = numbered(inputs)[Symbol.asyncIterator]();
  const done = new Map<number, BatchResult>();
  const failedLines: number[] = [];
  const warnings = new Set<string>();
  const window = options.concurrency * LOOKAHEAD_PER_WORKER;
  let taken = 0;
  let emitted = 0;
  let waiting: Array<() => void> = [];

  const emitReady = (): void => {
    for (let next = done.get(emitted); next !== undefined; next = done.get(emitted)) {
      done.delete(emitted);
      emitted++;
      if (!next.ok) failedLines.push(next.line);
      options.onResult(next);
      options.onProgress?.(emitted, total);
    }
    const wake = waiting;
    waiting = [];
    wake.forEach((resolve) => resolve());
  };

  const worker = async (): Promise<void> => {
    for (;;) {
      while (taken - emitted >= window) await new Promise<void>((resolve) => waiting.push(resolve));
      const next = await iterator.next();
      if (next.done === true) return;
      taken++;
      const { index, input } = next.value;
      const result = await runLine(session, tools, input, options.maxLineBytes);
      for (const warning of result.warnings) warnings.add(warning);
      done.set(index, result.result);
      emitReady();
    }
  };

  try {
    await Promise.all(Array.from({ length: options.concurrency }, worker));
  } finally {
    await session.close();
  }
  return { total: emitted, failedLines, warnings: [...warnings] };
}

/** Numbers the inputs in the order they are read: the order results are handed on in. */
async function* numbered(inputs: AsyncIterable<BatchInput>): AsyncGenerator<{ index: number; input: BatchInput }> {
  let index = 0;
  for await (const input of inputs) yield { index: index++, input };
}

async function runLine(session: ReturnType<ToolRunner['openSession']>, tools: readonly string[], input: BatchInput, maxBytes: number): Promise<{ result: BatchResult; warnings: string[] }> {
  const skipped: StepReport[] = tools.map((tool) => ({ tool, version: null, status: 'skipped', duration_ms: 0 }));
  const refuse = (message: string): { result: BatchResult; warnings: string[] } => ({
    result: { line: input.line, ok: false, error: createErrorEnvelope('ValidationError', message, { details: { line: input.line, hint: 'each line of a batch file is one JSON object: the first step\'s input' } }), failed_step: null, steps: skipped },
    warnings: [],
  });
  if ('tooLong' in input) return refuse(`line ${input.line} is ${input.tooLong} bytes, over the ${maxBytes}-byte limit (sandbox.max_input_bytes)`);
  let payload: unknown;
  try {
    payload = JSON.parse(input.text);
  } catch (error) {
    return refuse(`line ${input.line} is not valid JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) return refuse(`line ${input.line} is not a JSON object`);
  // `as`: checked above to be a non-array object
  const outcome = await runChain(session, tools, payload as Record<string, unknown>);
  if (outcome.ok) return { result: { line: input.line, ok: true, result: outcome.result, steps: outcome.steps }, warnings: outcome.warnings };
  return { result: { line: input.line, ok: false, error: outcome.error, failed_step: outcome.failed_step, steps: outcome.steps }, warnings: outcome.warnings };
}

/**
 * The inputs of a batch file (or of text already read, e.g. stdin), streamed: one per
 * non-blank line, numbered by the file's lines from 1; a trailing CR is dropped. A line over
 * `maxBytes` is not kept in memory: it is reported as too long.
 */
export async function* readBatchLines(source: { file: string } | { text: string }, maxBytes: number): AsyncGenerator<BatchInput> {
  // `as`: a file stream without an encoding yields Buffers
  const chunks: AsyncIterable<Buffer> | Iterable<Buffer> = 'file' in source ? (createReadStream(source.file) as AsyncIterable<Buffer>) : [Buffer.from(source.text, 'utf8')];
  let lineNumber = 1;
  let parts: Buffer[] = [];
  let size = 0;
  let tooLong = false;
  const finish = (): BatchInput | null => {
    const line = lineNumber++;
    const bytes = size;
    const wasTooLong = tooLong;
    const text = wasTooLong ? '' : Buffer.concat(parts).toString('utf8').replace(/\r$/, '');
    parts = [];
    size = 0;
    tooLong = false;
    if (wasTooLong) return { line, tooLong: bytes };
    return text.trim() === '' ? null : { line, text };
  };
  for await (const chunk of chunks) {
    let start = 0;
    for (let newline = chunk.indexOf(10, start); newline !== -1; newline = chunk.indexOf(10, start)) {
      add(chunk.subarray(start, newline));
      start = newline + 1;
      const input = finish();
      if (input !== null) yield input;
    }
    add(chunk.subarray(start));
  }
  const last = finish();
  if (last !== null) yield last;

  function add(piece: Buffer): void {
    size += piece.length;
    if (size > maxBytes) tooLong = true;
    if (!tooLong && piece.length > 0) parts.push(piece);
  }
}

/** How many inputs a batch source holds (non-blank lines), read once ahead of the run for progress. */
export async function countBatchLines(source: { file: string } | { text: string }, maxBytes: number): Promise<number> {
  let count = 0;
  for await (const input of readBatchLines(source, maxBytes)) if (input.line > 0) count++;
  return count;
}
