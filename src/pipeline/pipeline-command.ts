// The core of `toolsmith pipeline` and `pipeline check`: find the workspace, read the
// pipeline, resolve and check every link, then run the chain through the workspace's
// ToolRunner. Returns data; the CLI prints it.
import { UserError } from '../models/errors.js';
import { createCachedValidators, createRegistryResolver, createWorkspaceRunner, type ResolvedTool } from '../runner/index.js';
import { listSavedPipelines } from '../stores/pipeline-store.js';
import { readRunInput, whyNotAFile, type RunInputSource } from '../stores/read-run-input.js';
import { openWorkspace, type CommandOptions } from '../workspace/open-workspace.js';
import { checkPipeline, type PipelineCheck } from './check-pipeline.js';
import { loadPipeline, type PipelineDefinition, type PipelineSource } from './load-pipeline.js';
import { runChain, type PipelineOutcome, type PipelineProgress } from './run-pipeline.js';
import { countBatchLines, readBatchLines, runBatch, type BatchResult, type BatchSummary } from './run-batch.js';
import { stat } from 'node:fs/promises';
import path from 'node:path';

export interface CheckPipelineOptions extends CommandOptions, PipelineSource {}

export interface RunPipelineOptions extends CheckPipelineOptions, RunInputSource {
  /** false (`--no-check`): run even a chain the check finds incompatible. */
  check?: boolean;
  onEvent?: (event: PipelineProgress) => void;
}

export interface CheckedPipeline {
  definition: PipelineDefinition;
  check: PipelineCheck;
}

export type RunPipelineResult =
  | { status: 'refused'; definition: PipelineDefinition; check: PipelineCheck }
  | { status: 'ran'; definition: PipelineDefinition; check: PipelineCheck | null; outcome: PipelineOutcome };

/** `pipeline check`: the static check of every link. @throws UserError (bad pipeline), NotFoundError, IntegrityError */
export async function checkPipelineCommand(options: CheckPipelineOptions): Promise<CheckedPipeline> {
  const { workspace } = await openWorkspace(options);
  const definition = await loadPipeline(options, { cwd: options.cwd, root: workspace.root });
  return { definition, check: await checkDefinition(definition, workspace.registryDir, options.env ?? process.env) };
}

/** `pipeline`: check, then run the chain (fail-fast). @throws UserError for bad input or an unknown step, before any step runs */
export async function runPipelineCommand(options: RunPipelineOptions): Promise<RunPipelineResult> {
  const env = options.env ?? process.env;
  const { workspace, config } = await openWorkspace(options);
  const definition = await loadPipeline(options, { cwd: options.cwd, root: workspace.root });
  const payload = await pipelineInput(definition, options, config.sandbox.max_input_bytes);
  let check: PipelineCheck | null = null;
  if (options.check !== false) {
    check = await checkDefinition(definition, workspace.registryDir, env);
    if (check.verdict === 'incompatible') return { status: 'refused', definition, check };
  }
  const runner = createWorkspaceRunner(workspace, config.sandbox, { cwd: options.cwd, env });
  const outcome = await runChain(runner, definition.tools, payload, options.onEvent ? { onEvent: options.onEvent } : {});
  return { status: 'ran', definition, check, outcome };
}

export interface RunBatchCommandOptions extends CheckPipelineOptions, RunInputSource {
  check?: boolean;
  /** Lines in flight at once, and warm workers per tool (an integer >= 1). */
  concurrency: number;
  onResult: (result: BatchResult) => void;
  /** Given: the inputs are counted first, and progress is reported after each result. */
  onProgress?: (done: number, total: number | null) => void;
}

export type RunBatchCommandResult =
  | { status: 'refused'; definition: PipelineDefinition; check: PipelineCheck }
  | { status: 'ran'; definition: PipelineDefinition; check: PipelineCheck | null; summary: BatchSummary };

/** Whether an --input-file names a batch file by its extension: `.jsonl` or `.ndjson`. */
export function isBatchFile(file: string | undefined): boolean {
  return file !== undefined && /\.(jsonl|ndjson)$/i.test(file);
}

/**
 * `pipeline ... --input-file X.jsonl` (or `--batch`): the chain once per input line, on warm
 * workers; one result per line through `onResult`, in input order. A failing line is that
 * line's result. @throws UserError for a bad pipeline, input file or concurrency, before anything runs
 */
export async function runBatchCommand(options: RunBatchCommandOptions): Promise<RunBatchCommandResult> {
  const env = options.env ?? process.env;
  if (!Number.isInteger(options.concurrency) || options.concurrency < 1) throw new UserError(`--concurrency must be a whole number >= 1, got ${String(options.concurrency)}`, 'e.g. --concurrency 2 (default: the number of cores)');
  const { workspace, config } = await openWorkspace(options);
  const definition = await loadPipeline(options, { cwd: options.cwd, root: workspace.root });
  const usage = 'a batch reads one JSON object per line: pass --input-file FILE.jsonl (or --input-file - --batch for stdin)';
  if (definition.payload !== null) throw new UserError(`${definition.source} has a payload; a batch takes its inputs from the file instead`, 'remove "payload" from the pipeline file, or run it without --input-file');
  let source: { file: string } | { text: string };
  if (options.inputFile !== undefined) {
    const file = path.resolve(options.cwd, options.inputFile);
    const info = await stat(file).catch(() => null);
    if (!info?.isFile()) throw new UserError(`batch input file ${options.inputFile} ${whyNotAFile(info)}`, usage);
    source = { file };
  } else if (options.inputText !== undefined) source = { text: options.inputText };
  else throw new UserError('a batch needs an input file', usage);
  let check: PipelineCheck | null = null;
  if (options.check !== false) {
    check = await checkDefinition(definition, workspace.registryDir, env);
    if (check.verdict === 'incompatible') return { status: 'refused', definition, check };
  }
  const maxBytes = config.sandbox.max_input_bytes;
  const total = options.onProgress === undefined ? null : await countBatchLines(source, maxBytes);
  const runner = createWorkspaceRunner(workspace, config.sandbox, { cwd: options.cwd, env });
  const summary = await runBatch(runner, definition.tools, readBatchLines(source, maxBytes), total, {
    concurrency: options.concurrency,
    maxLineBytes: maxBytes,
    onResult: options.onResult,
    ...(options.onProgress === undefined ? {} : { onProgress: options.onProgress }),
  });
  return { status: 'ran', definition, check, summary };
}

/** One saved pipeline as `validate --all` judges it. */
export interface SavedPipelineCheck {
  name: string;
  verdict: PipelineCheck['verdict'] | 'broken';
  /** Why a broken pipeline could not be checked (unreadable file, unknown step, failed integrity). */
  problem?: string;
  check?: PipelineCheck;
}

/** `validate --all`: every saved pipeline (pipelines/NAME.json) through the check. */
export async function checkSavedPipelines(options: CommandOptions): Promise<SavedPipelineCheck[]> {
  const { workspace } = await openWorkspace(options);
  const results: SavedPipelineCheck[] = [];
  for (const saved of await listSavedPipelines(workspace.root)) {
    if (saved.definition === null) {
      results.push({ name: saved.name, verdict: 'broken', problem: saved.problem ?? 'unreadable' });
      continue;
    }
    try {
      const check = await checkDefinition(saved.definition, workspace.registryDir, options.env ?? process.env);
      results.push({ name: saved.name, verdict: check.verdict, check });
    } catch (error) {
      if (!(error instanceof UserError)) throw error;
      results.push({ name: saved.name, verdict: 'broken', problem: error.message });
    }
  }
  return results;
}

async function checkDefinition(definition: PipelineDefinition, registryDir: string, env: NodeJS.ProcessEnv): Promise<PipelineCheck> {
  const resolver = createRegistryResolver(registryDir);
  const tools: ResolvedTool[] = [];
  for (const ref of definition.tools) tools.push(await resolver.resolve(ref));
  return checkPipeline(tools, createCachedValidators(env));
}

/** The first step's input: --input/--input-file, or the pipeline file's payload (one of them). @throws UserError */
async function pipelineInput(definition: PipelineDefinition, options: RunInputSource, maxBytes: number): Promise<Record<string, unknown>> {
  const given = options.inputText !== undefined || options.inputFile !== undefined;
  if (given && definition.payload !== null) throw new UserError(`${definition.source} has a payload, and an input was given too`, 'drop --input/--input-file to use the payload, or remove "payload" from the file');
  if (!given && definition.payload !== null) return definition.payload;
  if (!given) throw new UserError('the pipeline needs an input', "pass --input '{\"key\": \"value\"}' or --input-file FILE (or a \"payload\" in the pipeline file)");
  const input = await readRunInput(options, maxBytes);
  if (typeof input !== 'object' || input === null || Array.isArray(input)) throw new UserError('the pipeline input must be a JSON object', "pass --input '{\"key\": \"value\"}'");
  return input as Record<string, unknown>; // `as`: checked to be a non-array object
}
