// `generate --llm --samples 10` against the sum of its parts, measured in the same run, with
// the scripted Chat Completions server (127.0.0.1) answering at once.
//
// What is compared (decided here, so the ratio means one thing):
// - The subject is the command's core, generateCode (what `generate --llm` calls after parsing
//   its flags), in this process: Node's and the CLI's start-up are bench/cli-startup's figure,
//   and the workspace it writes into is made before the clock starts.
// - The parts are exactly the work the issue names: 10 replies fetched (the real rendered
//   implement prompt, the same client, the same server) + 10 sandboxed validations (each
//   sample written into a folder of its own, spec.json + tests.json + index.ts, and validated
//   by validateCandidateFiles: the same five gates, type-check and scan gate included, the same
//   sandbox and limits, the code metrics). Nothing is added to the parts to flatter the ratio.
// - Everything else the command does is its overhead, necessary or not: opening the
//   workspace, reading the spec, tests and prompt templates, rendering the prompt, extracting
//   the code from each reply, scratch folders, choosing the sample, writing the candidate
//   (about 30 files and the audit line) and its final validation (which reuses the samples'
//   sandbox runs and type-checks but scans the whole package and writes its report).
// - Same concurrency on both sides: the overhead figure runs the command with llm.concurrency
//   = 1 against the parts one after another, so overlap cannot hide overhead. A second figure
//   runs both at the default concurrency (4): the parts then fetch 4 at a time and validate
//   4 at a time.
// - Both sides warm (one unmeasured round first), interleaved in alternating order, several
//   rounds; the overhead is the median of the per-round ratios, so a load spike on a shared
//   machine skews one round, not the figure.
// Then the wall time at 1 and at 10 samples with the default concurrency (sublinear: samples
// are requested and validated concurrently).
import { mkdtempSync, rmSync, writeFileSync, readFileSync, mkdirSync } from 'node:fs';
import { createServer } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const dist = (rel) => import(path.join(root, 'dist', rel));

const SPEC = {
  tool_name: 'word_count',
  description: 'Counts the words in a text.',
  input_schema: { type: 'object', properties: { text: { type: 'string' } }, required: ['text'], additionalProperties: false },
  output_schema: { type: 'object', properties: { words: { type: 'integer' } }, required: ['words'], additionalProperties: false },
  when_to_use: 'When you need the number of words in a text.',
  what_it_does: 'Splits the text on whitespace and counts the non-empty parts.',
  returns: 'An object with the word count.',
  prerequisites: 'None.',
};
const TESTS = [
  { name: 'empty', input: { text: '' }, expected: { words: 0 } },
  { name: 'three', input: { text: 'a b  c' }, expected: { words: 3 } },
];
const SAMPLES = 10;
const DEFAULT_CONCURRENCY = 4;
// Each sample differs (a comment), so no run is reused between samples: every one is validated.
const impl = (n) => `// sample ${n}\nexport default async function wordCount(input: { text: string }): Promise<{ words: number }> {\n  return { words: input.text.split(/\\s+/).filter(Boolean).length };\n}\n`;

function startServer() {
  let n = 0;
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      n += 1;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ choices: [{ index: 0, message: { role: 'assistant', content: `\`\`\`ts\n${impl(n)}\`\`\`` } }], usage: { prompt_tokens: 10, completion_tokens: 10, total_tokens: 20 } }));
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const time = async (fn) => {
  const t = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - t) / 1e6;
};


/**
 * A run's wall time split by its progress events: before the first request, the samples (first
 * request to last verdict; for a sequential run also the sum of its fetches and of its
 * validations), and after the last verdict (writing the candidate, its final validation).
 */
function splitPhases(events, total) {
  const at = (sample, state) => events.find((e) => e.sample === sample && e.state === state)?.at ?? Number.NaN;
  let fetch = 0;
  let validate = 0;
  for (let sample = 1; sample <= SAMPLES; sample++) {
    fetch += at(sample, 'validating') - at(sample, 'requesting');
    validate += at(sample, 'passed') - at(sample, 'validating');
  }
  const before = Math.min(...events.filter((e) => e.state === 'requesting').map((e) => e.at));
  const last = Math.max(...events.filter((e) => e.state === 'passed').map((e) => e.at));
  return { before, samples: last - before, fetch, validate, after: total - last };
}

/** `fn` over 0..n-1, at most `limit` at a time (the parts at the command's concurrency). */
async function eachLimited(n, limit, fn) {
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(limit, n) }, async () => {
    for (let i = next++; i < n; i = next++) await fn(i);
  }));
}

export async function run({ runs = 5 } = {}) {
  const [{ generateCode }, { defaultTemplatesDir }, { createChatClient }, { validateCandidateFiles }, { initWorkspace }, { defaultConfig }, { readPromptTemplates, renderImplementMessages }, { generateSpecTypes }, { ToolSpec }] = await Promise.all([
    dist('lifecycle/generate-code.js'), dist('generate/templates-dir.js'), dist('generate/chat-client.js'), dist('validate/validate-candidate.js'), dist('workspace/init-workspace.js'), dist('workspace/load-config.js'),
    dist('generate/prompts.js'), dist('json-schema/schema-types.js'), dist('models/index.js'),
  ]);
  const spec = ToolSpec.parse(SPEC); // with its defaults, as the command renders it
  const messages = renderImplementMessages(await readPromptTemplates(defaultTemplatesDir()), spec, await generateSpecTypes(spec));
  const server = await startServer();
  const baseUrl = `http://127.0.0.1:${server.address().port}/v1`;
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'toolsmith-bench-generate-'));
  const config = defaultConfig();
  const limits = config.sandbox;
  let count = 0;
  const workspace = async (concurrency) => {
    const ws = path.join(scratch, `ws-${count++}`);
    mkdirSync(ws);
    await initWorkspace({ cwd: ws, dir: ws });
    const configFile = path.join(ws, 'toolsmith.config.json');
    const written = JSON.parse(readFileSync(configFile, 'utf8'));
    writeFileSync(configFile, JSON.stringify({ ...written, llm: { base_url: baseUrl, model: 'bench', concurrency } }));
    writeFileSync(path.join(ws, 'spec.json'), JSON.stringify(SPEC));
    writeFileSync(path.join(ws, 'tests.json'), JSON.stringify(TESTS));
    return ws;
  };
  /** The command's wall time; its workspace is made before the clock starts. */
  // Where the command's time went, from its progress events (concurrency 1): before the first
  // request, inside the samples' requests and validations, and after the last sample.
  const phases = {};
  let lastWorkspace;
  const generate = async (samples, concurrency) => {
    const ws = await workspace(concurrency);
    lastWorkspace = ws;
    let result;
    const events = [];
    const start = performance.now();
    const ms = await time(async () => {
      result = await generateCode({
        cwd: ws, actor: 'bench', env: {}, backend: 'llm', samples, specFile: path.join(ws, 'spec.json'), templatesDir: defaultTemplatesDir(),
        onEvent: (event) => events.push({ ...event, at: performance.now() - start }),
      });
    });
    if (!result.is_valid) throw new Error(`bench: the generated candidate is not valid: ${result.report.errors.join('; ')}`);
    if (result.generation.samples.length !== samples || !result.generation.samples.every((s) => s.passed)) throw new Error('bench: not every sample passed');
    if (samples === SAMPLES) (phases[concurrency] ??= []).push(splitPhases(events, ms));
    return ms;
  };
  const parameters = { temperature: config.llm.temperature, max_tokens: config.llm.max_tokens };
  const client = createChatClient({ baseUrl, model: 'bench', apiKey: undefined, keyVariable: config.llm.api_key_env, timeoutMs: config.llm.timeout_ms, maxRetries: config.llm.max_retries });
  let specJson;
  let testsJson;
  /** The parts: SAMPLES fetches of the real prompt, then SAMPLES validations of one sample each, `concurrency` at a time. */
  const parts = async (concurrency) => {
    const fetchMs = await time(() => eachLimited(SAMPLES, concurrency, async () => {
      const reply = await client.complete(messages, parameters);
      if (!reply.content.includes('export default')) throw new Error('bench: unexpected reply');
    }));
    const validateMs = await time(() => eachLimited(SAMPLES, concurrency, async () => {
      const dir = path.join(scratch, `pkg-${count++}`);
      mkdirSync(dir);
      writeFileSync(path.join(dir, 'spec.json'), specJson);
      writeFileSync(path.join(dir, 'tests.json'), testsJson);
      writeFileSync(path.join(dir, 'index.ts'), impl(1000 + count));
      const { report } = await validateCandidateFiles({ toolId: 'word_count', packageDir: dir, limits, cwd: dir, now: () => new Date() });
      if (!report.is_valid) throw new Error(`bench: a part's validation failed: ${report.errors.join('; ')}`);
    }));
    return fetchMs + validateMs;
  };
  /** One round of subject and parts in the given order; returns both times. */
  const pair = async (concurrency, subjectFirst) => {
    const one = { subject: 0, base: 0 };
    const subject = async () => {
      one.subject = await generate(SAMPLES, concurrency);
    };
    const base = async () => {
      one.base = await parts(concurrency);
    };
    for (const step of subjectFirst ? [subject, base] : [base, subject]) await step();
    return one;
  };
  try {
    await generate(2, 1); // warm-up: the TypeScript compiler, ajv, the sandbox's first start
    // The parts validate the very spec.json and tests.json bytes the command validates its samples with.
    specJson = readFileSync(path.join(lastWorkspace, 'staged/word_count/spec.json'), 'utf8');
    testsJson = readFileSync(path.join(lastWorkspace, 'staged/word_count/tests.json'), 'utf8');
    await parts(1);
    const rounds = { sequential: [], concurrent: [], one: [], ten: [] };
    for (let i = 0; i < runs; i++) {
      rounds.sequential.push(await pair(1, i % 2 === 0));
      rounds.concurrent.push(await pair(DEFAULT_CONCURRENCY, i % 2 === 1));
      rounds.one.push(await generate(1, DEFAULT_CONCURRENCY));
      rounds.ten.push(rounds.concurrent[i].subject);
    }
    const summarize = (label, pairs) => {
      const subject = median(pairs.map((p) => p.subject));
      const base = median(pairs.map((p) => p.base));
      const ratio = median(pairs.map((p) => p.subject / p.base));
      const overhead = ratio - 1;
      console.log(`${label.padEnd(44)} ${subject.toFixed(0).padStart(6)} ms vs its parts ${base.toFixed(0).padStart(6)} ms  overhead ${(overhead * 100).toFixed(1).padStart(5)}% (median of ${pairs.length} paired rounds; target < 10%: ${overhead < 0.1 ? 'met' : 'NOT met'})`);
      return { label, subject_ms: subject, baseline_ms: base, ratio };
    };
    const sequential = summarize('generate --llm --samples 10, concurrency 1', rounds.sequential);
    const concurrent = summarize(`generate --llm --samples 10, concurrency ${DEFAULT_CONCURRENCY}`, rounds.concurrent);
    for (const concurrency of [1, DEFAULT_CONCURRENCY]) {
      const phase = (key) => median(phases[concurrency].map((p) => p[key])).toFixed(0);
      const sums = concurrency === 1 ? ` (fetches ${phase('fetch')} ms, validations ${phase('validate')} ms)` : '';
      console.log(`  inside the command, concurrency ${concurrency}: before the first request ${phase('before')} ms, the samples ${phase('samples')} ms${sums}, after the last sample (writing the candidate, its final validation) ${phase('after')} ms`);
    }
    const growth = median(rounds.ten) / median(rounds.one);
    console.log(`generate --llm wall time, concurrency ${DEFAULT_CONCURRENCY}: 1 sample ${median(rounds.one).toFixed(0)} ms, 10 samples ${median(rounds.ten).toFixed(0)} ms  ratio ${growth.toFixed(2)}x for 10x the samples (${growth < 10 ? 'sublinear' : 'NOT sublinear'})`);
    return [sequential, concurrent, { label: 'generate 10 vs 1 samples', subject_ms: median(rounds.ten), baseline_ms: median(rounds.one), ratio: growth }];
  } finally {
    server.close();
    rmSync(scratch, { recursive: true, force: true });
  }
}
if (import.meta.url === `file://${process.argv[1]}`) await run();
