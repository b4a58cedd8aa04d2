// generate --llm / --command in-process (the core the CLI calls), against a real HTTP server
// on 127.0.0.1 speaking Chat Completions with scripted replies, and real generator processes.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createWorkspace, ROOT, snapshot, WORD_COUNT_IMPL, WORD_COUNT_SPEC, WORD_COUNT_TESTS, writeSpec } from '../helpers.js';
import { fenced, startChatServer, type ChatServer, type Step } from '../generate/chat-server.js';

type GenerateCode = typeof import('../../src/lifecycle/generate-code.js').generateCode;
const { generateCode } = (await import(path.join(ROOT, 'dist/lifecycle/generate-code.js'))) as { generateCode: GenerateCode }; // dist/ is compiled from that src/ module
const { defaultTemplatesDir } = (await import(path.join(ROOT, 'dist/generate/templates-dir.js'))) as typeof import('../../src/generate/templates-dir.js'); // likewise

const SECRET = 'sk-test-4f1c9e77d2a0b5e3c8f6a1d4e7b0c3f2';
const WRONG_IMPL = WORD_COUNT_IMPL.replace('.length };', '.length + 1 };');

let server: ChatServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** A workspace with the word_count spec and its tests beside it. */
function setup(withTests = true): { ws: string; specFile: string } {
  const ws = createWorkspace();
  const dir = path.join(ws, 'specs');
  const specFile = writeSpec(ws, WORD_COUNT_SPEC, 'word_count.spec.json');
  void dir;
  if (withTests) writeFileSync(path.join(ws, 'tests.json'), JSON.stringify(WORD_COUNT_TESTS));
  return { ws, specFile };
}

function llmEnv(s: ChatServer): NodeJS.ProcessEnv {
  return { ...process.env, TOOLSMITH_LLM_BASE_URL: s.baseUrl, TOOLSMITH_LLM_MODEL: 'test-model', OPENAI_API_KEY: SECRET };
}

async function generate(ws: string, specFile: string | undefined, s: ChatServer, extra: Partial<Parameters<GenerateCode>[0]> = {}) {
  return generateCode({ cwd: ws, actor: 'author', env: llmEnv(s), backend: 'llm', specFile, templatesDir: defaultTemplatesDir(), backoffBaseMs: 5, ...extra });
}

describe('generate --llm', () => {
  it('a correct reply in a fence with prose around it becomes a validated DRAFT, with its prompt and reply in generation/', async () => {
    const { ws, specFile } = setup();
    server = await startChatServer([{ content: fenced(WORD_COUNT_IMPL) }]);
    const result = await generate(ws, specFile, server);
    expect(result.is_valid).toBe(true);
    expect(result.report.is_valid).toBe(true);
    expect(result.created_by).toMatch(/^llm:test-model#[0-9a-f]{64}$/);
    const dir = path.join(ws, 'staged', 'word_count');
    expect(readFileSync(path.join(dir, 'index.ts'), 'utf8')).toBe(WORD_COUNT_IMPL);
    expect(readFileSync(path.join(dir, 'generation', 'prompt.md'), 'utf8')).toContain('Write the tool `word_count`');
    expect(readFileSync(path.join(dir, 'generation', 'sample-1', 'round-0.reply.md'), 'utf8')).toBe(fenced(WORD_COUNT_IMPL));
    const candidate = JSON.parse(readFileSync(path.join(dir, 'candidate.json'), 'utf8'));
    expect(candidate.status).toBe('DRAFT');
    expect(candidate.validation_report.is_valid).toBe(true);
    // The request: the protocol's shape, the key only in the Authorization header.
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0]?.url).toBe('/v1/chat/completions');
    expect(server.requests[0]?.headers.authorization).toBe(`Bearer ${SECRET}`);
    expect(server.requests[0]?.body.model).toBe('test-model');
    expect(JSON.stringify(server.requests[0]?.body)).not.toContain(SECRET);
    expect(Object.values(snapshot(ws)).length).toBeGreaterThan(0);
    expect(grepTree(ws, SECRET)).toEqual([]);
  });
});

/** Every file under `dir` whose bytes contain `needle`. */
function grepTree(dir: string, needle: string): string[] {
  const hits: string[] = [];
  const walk = (d: string) => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const full = path.join(d, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (readFileSync(full).includes(needle)) hits.push(full);
    }
  };
  if (existsSync(dir)) walk(dir);
  return hits;
}
export type { Step };
