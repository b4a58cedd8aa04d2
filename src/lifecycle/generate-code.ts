import { existsSync } from 'node:fs';
import path from 'node:path';
import { TestCases, type GenerationRecord, type LlmConfig, type TestCase, type ToolCandidate, type ToolSpec, type ValidationReport } from '../models/index.js';
import { NegativeOutcomeError, UserError } from '../models/errors.js';
import { formatZodIssues } from '../models/format-issues.js';
import { addTokens, NO_TOKENS, type CodeGenerator } from '../generate/backend.js';
import type { ChatClient, ChatParameters } from '../generate/chat-client.js';
import type { PromptTemplates } from '../generate/prompts.js';
import { formatJson } from '../stores/atomic-write.js';
import { readCandidate } from '../stores/staged-store.js';
import { hashSpec, sha256 } from '../stores/hash.js';
import { parseJsonText } from '../stores/read-json.js';
import { readRegularText } from '../stores/read-regular-file.js';
import { checkSchemaGate } from '../validate/schema-gate.js';
import { PriorRuns } from '../validate/prior-runs.js';
import { openWorkspace } from '../workspace/open-workspace.js';
import { assertNameFree, parseSpec, readSpecFile, writeGeneratedCandidate, type GenerateOptions, type GenerateResult } from './generate.js';
import { chooseSample, generateSamples, type GenerationEvent, type SampleOutcome } from './generate-samples.js';
import { validateCandidates } from './validate.js';

export type { GenerationEvent } from './generate-samples.js';

export interface GenerateCodeOptions extends Omit<GenerateOptions, 'backend' | 'templatesDir' | 'templateName' | 'samples'> {
  backend: 'llm' | 'command';
  templatesDir: string;
  samples?: number;
  repair?: number;
  /** --tests FILE. */
  testsFile?: string | undefined;
  /** --from SENTENCE: the model writes the spec (and tests) first. */
  from?: string | undefined;
  /** --yes: no confirmation of a generated spec. */
  yes?: boolean;
  /** Shows a generated spec and its tests and asks to go on (a terminal); absent: refuse without --yes. */
  confirmSpec?: ((spec: ToolSpec, tests: readonly TestCase[]) => Promise<boolean>) | undefined;
  /** --command CMD and its timeout (ms). */
  command?: string | undefined;
  commandTimeoutMs?: number;
  /** The command's stderr: shown on ours (`inherit`, the CLI) or collected (tests). */
  commandStderr?: 'inherit' | 'pipe';
  onCommandStderr?: (text: string) => void;
  signal?: AbortSignal | undefined;
  onEvent?: (event: GenerationEvent) => void;
  /** Tests make retries fast: the backoff's first step and the longest wait (ms). */
  backoffBaseMs?: number;
  maxRetryWaitMs?: number;
}

export interface GenerateCodeResult extends GenerateResult {
  /** The candidate's validation (a DRAFT with its report). */
  status: 'DRAFT';
  is_valid: boolean;
  report: ValidationReport;
  /** candidate.json as written after validation (the record with its report). */
  candidate: ToolCandidate;
  generation: GenerationRecord;
}

const MAX_REPAIR = 10;
const GENERATED_TESTS = 5;

/**
 * `generate --llm` / `generate --command` (SPEC 12): the spec (from a file, or from the model
 * with --from), the tests (--tests, tests.json beside the spec, else the model's), N samples
 * validated in the sandbox with up to R repair rounds each, then the candidate written at once
 * (the best passing sample as index.ts, the others in samples/, prompts and replies in
 * generation/) and validated, so it ends as a validated DRAFT.
 * @throws UserError (flags, config, endpoint), NegativeOutcomeError (no usable code, a failed command), IllegalTransitionError (name taken)
 */
export async function generateCode(options: GenerateCodeOptions): Promise<GenerateCodeResult> {
  const samples = options.samples ?? 1;
  const repair = options.repair ?? 0;
  assertCounts(options, samples, repair);
  const open = await openWorkspace(options);
  const env = options.env ?? process.env;
  const llm = options.backend === 'llm' ? await createLlm(open.config.llm, env, options) : null;
  const resolved = await resolveSpecAndTests(options, llm);
  assertNameFree(open, resolved.spec.tool_name, options.force ?? false);
  if (resolved.tests === null && (samples > 1 || repair > 0)) {
    throw new UserError('--samples and --repair need test cases to judge the samples by', 'pass --tests FILE (a tests.json), or put tests.json beside the spec file');
  }
  const tests = resolved.tests ?? (await templateTests(options.templatesDir, resolved.spec));
  const testsJson = formatJson(tests);
  const generator = await createGenerator(options, llm, resolved.spec);
  const priorRuns = PriorRuns.create(hashSpec(resolved.spec), testsJson, open.config.sandbox);
  const concurrency = llm?.config.concurrency ?? open.config.llm.concurrency;
  const run = await generateSamples({
    generator, spec: resolved.spec, tests, testsJson, samples, repair, concurrency, limits: open.config.sandbox, now: open.now, cwd: options.cwd, priorRuns,
    signal: options.signal, ...(options.onEvent ? { onEvent: options.onEvent } : {}),
  });
  const chosen = chooseSample(run.outcomes);
  if (chosen === null) {
    throw new NegativeOutcomeError(`no usable code in any reply: ${run.outcomes[0]?.errors[0] ?? 'nothing came back'}`, 'nothing was written; the generator must answer with a TypeScript module (a ```ts block with `export default`)');
  }
  const layout = placeSamples(run.outcomes, chosen);
  const record = createRecord(generator, resolved, run.outcomes, layout, chosen, Object.keys(run.transcript));
  const files: Record<string, string> = { 'tests.json': testsJson };
  for (const [file, outcome] of layout) files[file] = outcome.code ?? '';
  for (const [rel, text] of Object.entries({ ...resolved.transcript, ...run.transcript })) files[`generation/${rel}`] = text;
  files['generation/generation.json'] = formatJson(record);
  if (options.signal?.aborted) throw new NegativeOutcomeError('generation cancelled', 'nothing was written');
  const written = await writeGeneratedCandidate(open, options, { spec: resolved.spec, files, createdBy: generator.createdBy });
  const validated = await validateCandidates({ cwd: options.cwd, workspace: options.workspace, env, now: open.now, actor: options.actor, ids: [written.tool_id], priorRuns });
  const item = validated.candidates[0];
  if (!item) throw new Error(`validate returned no result for ${written.tool_id}`);
  const candidate = await readCandidate(open.workspace.stagedDir, written.tool_id);
  return { ...written, is_valid: item.report.is_valid, report: item.report, candidate, generation: record };
}

function assertCounts(options: GenerateCodeOptions, samples: number, repair: number): void {
  if (!Number.isInteger(samples) || samples < 1 || samples > 100) throw new UserError(`--samples must be a whole number from 1 to 100 (got ${samples})`, 'e.g. --samples 5');
  if (!Number.isInteger(repair) || repair < 0 || repair > MAX_REPAIR) throw new UserError(`--repair must be a whole number from 0 to ${MAX_REPAIR} (got ${repair})`, 'e.g. --repair 2');
  if (options.backend === 'command' && repair > 0) throw new UserError('--repair needs --llm', 'a --command generator gets the spec only; use --samples to run it several times');
  if (options.backend === 'command' && options.from !== undefined) throw new UserError('--from needs --llm', 'the model writes the spec from the sentence; with --command pass --spec FILE');
  if (options.from !== undefined && (options.specFile !== undefined || options.spec !== undefined)) throw new UserError('pass --from or --spec, not both', 'e.g. generate --llm --from "count words per line"');
  if (options.from !== undefined && !options.yes && !options.confirmSpec) {
    throw new UserError('--from needs --yes when not run in a terminal (the generated spec cannot be confirmed)', 'pass --yes to accept the spec the model writes; it is validated either way');
  }
}

interface Llm {
  client: ChatClient;
  config: LlmConfig;
  model: string;
  parameters: ChatParameters;
  templates: PromptTemplates;
}

/** The configured endpoint with its environment overrides; the key is read here and kept in memory only. */
async function createLlm(config: LlmConfig, env: NodeJS.ProcessEnv, options: GenerateCodeOptions): Promise<Llm> {
  const baseUrl = env['TOOLSMITH_LLM_BASE_URL'] || config.base_url;
  const model = env['TOOLSMITH_LLM_MODEL'] || config.model;
  if (!baseUrl) throw new UserError('generate --llm needs an endpoint: llm.base_url is not set', 'set "llm": { "base_url": "http://127.0.0.1:11434/v1", "model": "..." } in toolsmith.config.json, or TOOLSMITH_LLM_BASE_URL');
  if (!model) throw new UserError('generate --llm needs a model: llm.model is not set', 'set llm.model in toolsmith.config.json, or TOOLSMITH_LLM_MODEL');
  const { createChatClient } = await import('../generate/chat-client.js');
  const { readPromptTemplates } = await import('../generate/prompts.js');
  const client = createChatClient({
    baseUrl, model, apiKey: env[config.api_key_env] || undefined, keyVariable: config.api_key_env, timeoutMs: config.timeout_ms, maxRetries: config.max_retries,
    signal: options.signal,
    ...(options.backoffBaseMs !== undefined ? { backoffBaseMs: options.backoffBaseMs } : {}),
    ...(options.maxRetryWaitMs !== undefined ? { maxWaitMs: options.maxRetryWaitMs } : {}),
    onRetry: (info) => options.onEvent?.({ type: 'retry', status: info.status, attempt: info.attempt, wait_ms: info.waitMs }),
  });
  return { client, config, model, parameters: { temperature: config.temperature, max_tokens: config.max_tokens }, templates: await readPromptTemplates(options.templatesDir) };
}

interface Resolved {
  spec: ToolSpec;
  /** null: none given and none generated (a command without tests). */
  tests: TestCase[] | null;
  testsSource: GenerationRecord['tests_source'];
  specGenerated: boolean;
  /** Transcript files of the spec/tests requests. */
  transcript: Record<string, string>;
}

async function resolveSpecAndTests(options: GenerateCodeOptions, llm: Llm | null): Promise<Resolved> {
  if (options.from !== undefined && llm) return specFromSentence(options, llm, options.from);
  const raw = options.spec ?? (options.specFile ? await readSpecFile(options.specFile) : undefined);
  if (raw === undefined) throw new UserError('generate needs a spec', 'pass --spec FILE, or --llm --from "a sentence"');
  const spec = parseSpec(raw, options.specFile ?? 'the spec', options.name);
  if (options.testsFile !== undefined) return { spec, tests: await readTestsFile(options.testsFile, spec), testsSource: 'file', specGenerated: false, transcript: {} };
  const beside = options.specFile ? path.join(path.dirname(options.specFile), 'tests.json') : null;
  if (beside && existsSync(beside)) return { spec, tests: await readTestsFile(beside, spec), testsSource: 'beside-spec', specGenerated: false, transcript: {} };
  if (!llm) return { spec, tests: null, testsSource: 'generated', specGenerated: false, transcript: {} };
  const { requestTests, renderTranscript } = await import('../generate/llm-generator.js');
  const reply = await requestTests(llm.client, llm.templates, spec, llm.parameters, GENERATED_TESTS);
  const transcript = { 'tests.prompt.md': renderTranscript(reply.messages), 'tests.reply.md': reply.reply.content };
  const by = `llm:${llm.model}#${sha256(JSON.stringify(reply.messages))}`;
  const tests = parseGeneratedTests(reply.problem === null ? reply.value : undefined, reply.problem, spec, by);
  return { spec, tests, testsSource: 'generated', specGenerated: false, transcript };
}

async function specFromSentence(options: GenerateCodeOptions, llm: Llm, sentence: string): Promise<Resolved> {
  if (sentence.trim() === '') throw new UserError('--from needs a sentence describing the tool', 'e.g. --from "count words per line in a text"');
  const { requestSpec, renderTranscript } = await import('../generate/llm-generator.js');
  const reply = await requestSpec(llm.client, llm.templates, sentence, llm.parameters, GENERATED_TESTS);
  const transcript = { 'spec.prompt.md': renderTranscript(reply.messages), 'spec.reply.md': reply.reply.content };
  if (reply.problem !== null) throw new NegativeOutcomeError(`the model's spec is unusable: ${reply.problem}`, 'nothing was written; run again, or write the spec yourself and pass --spec FILE');
  const value = reply.value;
  const rawSpec = typeof value === 'object' && value !== null && 'spec' in value ? value.spec : value;
  let spec: ToolSpec;
  try {
    spec = parseSpec(rawSpec, 'the model\'s spec', options.name);
  } catch (error) {
    if (!(error instanceof UserError)) throw error;
    throw new NegativeOutcomeError(`refused: ${error.message}`, 'nothing was written; run again, or write the spec yourself and pass --spec FILE');
  }
  const by = `llm:${llm.model}#${sha256(JSON.stringify(reply.messages))}`;
  const rawTests = typeof value === 'object' && value !== null && 'tests' in value ? value.tests : undefined;
  const tests = options.testsFile !== undefined ? await readTestsFile(options.testsFile, spec) : parseGeneratedTests(rawTests, rawTests === undefined ? 'the reply has no "tests"' : null, spec, by);
  if (!options.yes && options.confirmSpec && !(await options.confirmSpec(spec, tests))) {
    throw new NegativeOutcomeError('the generated spec was not accepted', 'nothing was written; run again, or pass --spec FILE');
  }
  return { spec, tests, testsSource: options.testsFile !== undefined ? 'file' : 'generated', specGenerated: true, transcript };
}

/** Test cases a model wrote: valid TestCases, valid against the spec's schemas, each marked with its provenance. */
function parseGeneratedTests(raw: unknown, problem: string | null, spec: ToolSpec, generatedBy: string): TestCase[] {
  const refuse = (why: string) => new NegativeOutcomeError(`the model's test cases are unusable: ${why}`, 'nothing was written; pass --tests FILE, or run again');
  if (problem !== null) throw refuse(problem);
  const parsed = TestCases.safeParse(raw);
  if (!parsed.success) throw refuse(formatZodIssues(parsed.error.issues));
  const tests = parsed.data.map((t) => ({ ...t, provenance: { generated_by: generatedBy } }));
  const gate = checkSchemaGate({ text: (name) => (name === 'spec.json' ? JSON.stringify(spec) : name === 'tests.json' ? JSON.stringify(tests) : null) });
  if (!gate.ok) throw refuse(gate.errors.join('; '));
  return tests;
}

/** A tests.json file, checked against the spec's schemas. @throws UserError naming the file and the problem */
async function readTestsFile(file: string, spec: ToolSpec): Promise<TestCase[]> {
  const hint = 'pass --tests PATH to a tests.json: an array of { "name", "input", "expected" } (see examples/*/tests.json)';
  if (!existsSync(file)) throw new UserError(`--tests ${file}: no such file`, hint);
  const parsed = TestCases.safeParse(parseJsonText(await readRegularText(file, hint), file));
  if (!parsed.success) throw new UserError(`${file}: ${formatZodIssues(parsed.error.issues)}`, hint);
  const gate = checkSchemaGate({ text: (name) => (name === 'spec.json' ? JSON.stringify(spec) : name === 'tests.json' ? JSON.stringify(parsed.data) : null) });
  if (!gate.ok) throw new UserError(`${file}: ${gate.errors.join('; ')}`, 'every input must match input_schema and every expected output_schema');
  return parsed.data;
}

/** The template backend's first test case (a command generator without tests, one sample). */
async function templateTests(templatesDir: string, spec: ToolSpec): Promise<TestCase[]> {
  const { generateFromTemplate } = await import('../generate/template-backend.js');
  const generated = await generateFromTemplate({ spec, samples: 1, templatesDir, templateName: 'default' });
  return TestCases.parse(JSON.parse(generated.files['tests.json'] ?? '[]'));
}

async function createGenerator(options: GenerateCodeOptions, llm: Llm | null, spec: ToolSpec): Promise<CodeGenerator> {
  if (llm) {
    const { createLlmGenerator } = await import('../generate/llm-generator.js');
    return createLlmGenerator({ client: llm.client, model: llm.model, parameters: llm.parameters, templates: llm.templates, spec });
  }
  if (options.command === undefined || options.command.trim() === '') throw new UserError('--command needs a command line', 'e.g. --command "node examples/generators/echo-generator.mjs"');
  const { createCommandGenerator } = await import('../generate/command-generator.js');
  return createCommandGenerator({
    command: options.command, cwd: options.cwd, timeoutMs: options.commandTimeoutMs ?? 120_000, spec, stderr: options.commandStderr ?? 'pipe',
    ...(options.onCommandStderr ? { onStderr: options.onCommandStderr } : {}), signal: options.signal,
  });
}

/** index.ts for the chosen sample, samples/2.ts, 3.ts, ... for the others with code, in sample order. */
function placeSamples(outcomes: readonly SampleOutcome[], chosen: SampleOutcome): Map<string, SampleOutcome> {
  const layout = new Map<string, SampleOutcome>([['index.ts', chosen]]);
  let n = 2;
  for (const outcome of outcomes) if (outcome !== chosen && outcome.code !== null) layout.set(`samples/${n++}.ts`, outcome);
  return layout;
}

function createRecord(generator: CodeGenerator, resolved: Resolved, outcomes: readonly SampleOutcome[], layout: Map<string, SampleOutcome>, chosen: SampleOutcome, transcript: string[]): GenerationRecord {
  const fileOf = new Map([...layout].map(([file, outcome]) => [outcome.sample, file]));
  return {
    backend: generator.backend,
    created_by: generator.createdBy,
    generator: generator.generator,
    endpoint: generator.endpoint,
    parameters: generator.parameters,
    tests_source: resolved.testsSource,
    spec_generated: resolved.specGenerated,
    samples: outcomes.map((o) => ({ sample: o.sample, file: fileOf.get(o.sample) ?? null, passed: o.passed, passed_round: o.passedRound, rounds: o.rounds, tokens: o.tokens, errors: o.errors.slice(0, 20) })),
    chosen_sample: chosen.passed ? chosen.sample : null,
    tokens: outcomes.reduce((sum, o) => addTokens(sum, o.tokens), NO_TOKENS),
    transcript: [...transcript, ...Object.keys(resolved.transcript), 'generation.json'].map((rel) => `generation/${rel}`).sort(),
  };
}
