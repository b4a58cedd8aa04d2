import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { SandboxConfig, TestCase, TokenUsage, ToolSpec, ValidationReport } from '../models/index.js';
import { NegativeOutcomeError } from '../models/errors.js';
import { addTokens, NO_TOKENS, type Attempt, type CodeGenerator } from '../generate/backend.js';
import { createRepairFeedback, summarizeRound } from '../generate/repair-feedback.js';
import { formatJson } from '../stores/atomic-write.js';
import { validateCandidateFiles } from '../validate/validate-candidate.js';
import type { PriorRuns } from '../validate/prior-runs.js';

/** Progress of the samples loop, one event per step of a sample (the CLI renders them). */
export type GenerationEvent =
  | { type: 'sample'; sample: number; round: number; state: 'requesting' | 'validating' }
  | { type: 'sample'; sample: number; round: number; state: 'passed' | 'failed' | 'no-code'; detail: string }
  | { type: 'retry'; status: number; attempt: number; wait_ms: number };

export interface SamplesOptions {
  generator: CodeGenerator;
  spec: ToolSpec;
  tests: readonly TestCase[];
  /** tests.json as it will be written into the candidate. */
  testsJson: string;
  samples: number;
  /** Repair rounds after the first attempt (0 = none). */
  repair: number;
  concurrency: number;
  limits: SandboxConfig;
  now: () => Date;
  cwd: string;
  priorRuns: PriorRuns;
  signal?: AbortSignal | undefined;
  onEvent?: (event: GenerationEvent) => void;
}

/** What became of one sample after its last round. */
export interface SampleOutcome {
  sample: number;
  /** Its final code; null when no round brought usable code. */
  code: string | null;
  passed: boolean;
  passedRound: number | null;
  rounds: number;
  tokens: TokenUsage;
  /** The report of its final code (null without code). */
  report: ValidationReport | null;
  errors: string[];
}

export interface SamplesResult {
  outcomes: SampleOutcome[];
  /** Files for generation/ (the generator's shared ones and each round's request and reply). */
  transcript: Record<string, string>;
}

/**
 * The generate -> validate -> repair loop (SPEC 12): asks the generator for each sample
 * (up to `concurrency` at once), validates each reply's code in the sandbox exactly as
 * `validate` would validate a candidate holding it, and while rounds remain sends the
 * failures back as structured feedback. Writes nothing outside its scratch folders.
 * @throws what the generator throws (unreachable server, failed command), cancellation
 */
export async function generateSamples(options: SamplesOptions): Promise<SamplesResult> {
  const transcript: Record<string, string> = { ...options.generator.transcript };
  const numbers = Array.from({ length: options.samples }, (_, i) => i + 1);
  const outcomes = await mapLimit(numbers, options.concurrency, (sample) => runSample(options, sample, transcript), options.signal);
  return { outcomes, transcript };
}

async function runSample(options: SamplesOptions, sample: number, transcript: Record<string, string>): Promise<SampleOutcome> {
  const emit = options.onEvent ?? (() => undefined);
  const { generator } = options;
  const rounds = generator.supportsRepair ? options.repair : 0;
  const earlier: string[] = [];
  let tokens = NO_TOKENS;
  let best: SampleOutcome = { sample, code: null, passed: false, passedRound: null, rounds: 0, tokens, report: null, errors: [] };
  let attempt: Attempt | null = null;
  for (let round = 0; round <= rounds; round++) {
    assertNotCancelled(options.signal);
    emit({ type: 'sample', sample, round, state: 'requesting' });
    attempt = round === 0 ? await generator.implement(sample) : await generator.repair(sample, round, rounds, feedbackFor(options, best, earlier));
    Object.assign(transcript, attempt.transcript);
    tokens = addTokens(tokens, attempt.usage);
    if ('problem' in attempt.extraction) {
      emit({ type: 'sample', sample, round, state: 'no-code', detail: attempt.extraction.problem });
      earlier.push(summarizeRound(round, null, attempt.extraction.problem));
      // A sample keeps its last usable code: a later round without code does not erase it.
      best = { ...best, rounds: round + 1, tokens, errors: best.code === null ? [attempt.extraction.problem] : best.errors };
      continue;
    }
    emit({ type: 'sample', sample, round, state: 'validating' });
    const report = await validateCode(options, attempt.extraction.code);
    best = { sample, code: attempt.extraction.code, passed: report.is_valid, passedRound: report.is_valid ? round : null, rounds: round + 1, tokens, report, errors: report.errors };
    emit({ type: 'sample', sample, round, state: report.is_valid ? 'passed' : 'failed', detail: summarizeRound(round, report, null) });
    if (report.is_valid) break;
    earlier.push(summarizeRound(round, report, null));
  }
  return { ...best, tokens };
}

/** What the next round is told: the last report's failures, or that the last reply had no code. */
function feedbackFor(options: SamplesOptions, last: SampleOutcome, earlier: readonly string[]): string {
  const before = earlier.slice(0, -1);
  if (last.report === null) return `${before.length > 0 ? `Earlier rounds: ${before.join('; ')}.\n\n` : ''}Your last reply held no usable code: ${last.errors[0] ?? 'no code'}.`;
  return createRepairFeedback(last.report, options.tests, before);
}

/**
 * Validates one implementation as a candidate of its own (spec.json, tests.json, index.ts) in
 * a scratch folder: the same five gates, the same sandbox, through the ToolRunner.
 */
async function validateCode(options: SamplesOptions, code: string): Promise<ValidationReport> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'toolsmith-sample-'));
  try {
    await writeFile(path.join(dir, 'spec.json'), formatJson(options.spec));
    await writeFile(path.join(dir, 'tests.json'), options.testsJson);
    await writeFile(path.join(dir, 'index.ts'), code);
    const { report } = await validateCandidateFiles({ toolId: options.spec.tool_name, packageDir: dir, limits: options.limits, cwd: options.cwd, now: options.now, priorRuns: options.priorRuns });
    return report;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function assertNotCancelled(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new NegativeOutcomeError('generation cancelled', 'nothing was written');
}

/**
 * `fn` over `items`, at most `limit` at a time, results in input order. The first failure
 * stops new work, and is thrown once the work in flight has settled (so no scratch folder
 * outlives the call).
 */
async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>, signal: AbortSignal | undefined): Promise<R[]> {
  const results: R[] = [];
  let next = 0;
  const failures: unknown[] = [];
  const worker = async () => {
    for (let index = next++; failures.length === 0 && index < items.length; index = next++) {
      try {
        assertNotCancelled(signal);
        results[index] = await fn(items[index] as T); // index < items.length: the element exists
      } catch (error) {
        failures.push(error);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  if (failures.length > 0) throw failures[0];
  return results;
}

/**
 * The sample that becomes index.ts: the passing one with the best overall score (ties: the
 * first); when none passes, the one with code that passed most tests (ties: the first).
 */
export function chooseSample(outcomes: readonly SampleOutcome[]): SampleOutcome | null {
  let chosen: SampleOutcome | null = null;
  for (const outcome of outcomes) {
    if (outcome.code === null) continue;
    if (chosen === null || rank(outcome) > rank(chosen)) chosen = outcome;
  }
  return chosen;
}

function rank(outcome: SampleOutcome): number {
  const metrics = outcome.report?.code_metrics;
  const score = metrics ? metrics.overall_score : 0;
  const passRate = metrics ? metrics.test_pass_rate : 0;
  return (outcome.passed ? 2 : 0) + (outcome.passed ? score : passRate);
}
