// `generate --llm --samples 10` against the sum of its parts, measured in the same run: the
// scripted Chat Completions server (127.0.0.1) answers at once, so what is left is
// toolsmith's: 10 replies fetched + 10 sandboxed validations, vs the whole loop (prompt,
// extraction, validation, writing the candidate, its final validation reusing the samples'
// runs). Then the wall time at 1 and at 10 samples with the default concurrency (sublinear:
// samples are requested and validated concurrently).
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

export async function run({ runs = 3 } = {}) {
  const [{ generateCode }, { defaultTemplatesDir }, { createChatClient }, { validateCandidateFiles }, { initWorkspace }, { defaultConfig }] = await Promise.all([
    dist('lifecycle/generate-code.js'), dist('generate/templates-dir.js'), dist('generate/chat-client.js'), dist('validate/validate-candidate.js'), dist('workspace/init-workspace.js'), dist('workspace/load-config.js'),
  ]);
  const server = await startServer();
  const baseUrl = `http://127.0.0.1:${server.address().port}/v1`;
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'toolsmith-bench-generate-'));
  const limits = defaultConfig().sandbox;
  let wsCount = 0;
  const workspace = async (concurrency) => {
    const ws = path.join(scratch, `ws-${wsCount++}`);
    mkdirSync(ws);
    await initWorkspace({ cwd: ws, dir: ws });
    const configFile = path.join(ws, 'toolsmith.config.json');
    const config = JSON.parse(readFileSync(configFile, 'utf8'));
    writeFileSync(configFile, JSON.stringify({ ...config, llm: { base_url: baseUrl, model: 'bench', concurrency } }));
    writeFileSync(path.join(ws, 'spec.json'), JSON.stringify(SPEC));
    writeFileSync(path.join(ws, 'tests.json'), JSON.stringify(TESTS));
    return ws;
  };
  const generate = async (samples, concurrency) => {
    const ws = await workspace(concurrency);
    const result = await generateCode({ cwd: ws, actor: 'bench', env: {}, backend: 'llm', samples, specFile: path.join(ws, 'spec.json'), templatesDir: defaultTemplatesDir() });
    if (!result.is_valid) throw new Error(`bench: the generated candidate is not valid: ${result.report.errors.join('; ')}`);
  };
  // The parts, one after the other: 10 fetches, 10 validations of a package holding one sample each.
  const parts = async () => {
    const client = createChatClient({ baseUrl, model: 'bench', apiKey: undefined, keyVariable: 'OPENAI_API_KEY', timeoutMs: 60_000, maxRetries: 0 });
    const fetchMs = await time(async () => {
      for (let i = 0; i < 10; i++) await client.complete([{ role: 'user', content: 'x' }], { temperature: 0, max_tokens: 10 });
    });
    const validateMs = await time(async () => {
      for (let i = 0; i < 10; i++) {
        const dir = path.join(scratch, `pkg-${wsCount++}`);
        mkdirSync(dir);
        writeFileSync(path.join(dir, 'spec.json'), JSON.stringify(SPEC));
        writeFileSync(path.join(dir, 'tests.json'), JSON.stringify(TESTS));
        writeFileSync(path.join(dir, 'index.ts'), impl(1000 + wsCount));
        const { report } = await validateCandidateFiles({ toolId: 'word_count', packageDir: dir, limits, cwd: dir, now: () => new Date() });
        if (!report.is_valid) throw new Error(`bench: a part's validation failed: ${report.errors.join('; ')}`);
      }
    });
    return { fetchMs, validateMs };
  };
  try {
    await generate(2, 1); // warm-up: the TypeScript compiler, the sandbox's first start
    await parts();
    const sequential = [];
    const sums = [];
    const one = [];
    const ten = [];
    for (let i = 0; i < runs; i++) {
      sequential.push(await time(() => generate(10, 1)));
      const p = await parts();
      sums.push(p.fetchMs + p.validateMs);
      one.push(await time(() => generate(1, 4)));
      ten.push(await time(() => generate(10, 4)));
    }
    const subject = median(sequential);
    const base = median(sums);
    const overhead = subject / base - 1;
    console.log(`generate --llm --samples 10 (concurrency 1) ${subject.toFixed(0).padStart(7)} ms vs its parts (10 fetches + 10 sandboxed validations) ${base.toFixed(0).padStart(7)} ms  overhead ${(overhead * 100).toFixed(1)}% (target < 10%: ${overhead < 0.1 ? 'met' : 'NOT met'})`);
    const growth = median(ten) / median(one);
    console.log(`generate --llm wall time, concurrency 4: 1 sample ${median(one).toFixed(0)} ms, 10 samples ${median(ten).toFixed(0)} ms  ratio ${growth.toFixed(2)}x for 10x the samples (${growth < 10 ? 'sublinear' : 'NOT sublinear'})`);
    return [{ label: 'generate --samples 10 overhead', subject_ms: subject, baseline_ms: base, ratio: subject / base }, { label: 'generate 10 vs 1 samples', subject_ms: median(ten), baseline_ms: median(one), ratio: growth }];
  } finally {
    server.close();
    rmSync(scratch, { recursive: true, force: true });
  }
}
if (import.meta.url === `file://${process.argv[1]}`) await run();
