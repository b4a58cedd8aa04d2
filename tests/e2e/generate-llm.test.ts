// generate --llm / --command through the real binary, for what only the binary shows: exit
// codes, the one-line errors, --json, the key never in any output, Ctrl-C. The scripted
// Chat Completions server runs in this process, so the binary is started asynchronously.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createWorkspace, snapshot, toolsmithAsync, WORD_COUNT_IMPL, WORD_COUNT_SPEC, WORD_COUNT_TESTS, writeSpec } from '../helpers.js';
import { STACK_LINE, waitFor, type AsyncResult } from './e2e-helpers.js';
import { fenced, startChatServer, type ChatServer } from '../generate/chat-server.js';

const SECRET = 'sk-e2e-9b2d7c4e1f0a8b3c6d5e4f3a2b1c0d9e';
let server: ChatServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

function setup(): { ws: string; spec: string } {
  const ws = createWorkspace();
  const spec = writeSpec(ws, WORD_COUNT_SPEC, 'word_count.spec.json');
  writeFileSync(path.join(ws, 'tests.json'), JSON.stringify(WORD_COUNT_TESTS));
  return { ws, spec };
}

function run(ws: string, args: string[], s: ChatServer | undefined, env: NodeJS.ProcessEnv = {}): Promise<AsyncResult> {
  return waitFor(toolsmithAsync(ws, args, { TOOLSMITH_LLM_BASE_URL: s?.baseUrl ?? '', TOOLSMITH_LLM_MODEL: 'test-model', OPENAI_API_KEY: SECRET, ...env }));
}

function expectNoSecret(ws: string, r: AsyncResult): void {
  expect(r.stdout).not.toContain(SECRET);
  expect(r.stderr).not.toContain(SECRET);
  const hits = Object.keys(snapshot(ws)).filter((rel) => readFileSync(path.join(ws, rel)).includes(SECRET));
  expect(hits).toEqual([]);
}

describe('toolsmith generate --llm (binary)', () => {
  it('a correct reply: exit 0, --json prints the candidate record with its validated report; no key anywhere', async () => {
    const { ws, spec } = setup();
    server = await startChatServer([{ content: fenced(WORD_COUNT_IMPL) }]);
    const r = await run(ws, ['generate', '--llm', '--spec', spec, '--samples', '2', '--json'], server);
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.status).toBe('DRAFT');
    expect(doc.is_valid).toBe(true);
    expect(doc.candidate.validation_report.code_metrics.pass_at_k).toEqual({ '1': 1 });
    expect(doc.generation.samples).toHaveLength(2);
    expectNoSecret(ws, r);
  });

  it('401: exit 2, one line naming the variable (not the key), also with --verbose', async () => {
    const { ws, spec } = setup();
    server = await startChatServer([{ status: 401, body: { error: { message: `bad key ${SECRET}` } } }]);
    for (const extra of [[], ['--verbose']]) {
      const before = snapshot(ws);
      const r = await run(ws, ['generate', '--llm', '--spec', spec, ...extra], server);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/^toolsmith: .*answered 401: the key in OPENAI_API_KEY was refused/);
      if (extra.length === 0) {
        expect(r.stderr.trimEnd().split('\n')).toHaveLength(2);
        expect(r.stderr).not.toMatch(STACK_LINE);
      }
      expectNoSecret(ws, r);
      expect(snapshot(ws)).toEqual(before);
    }
  });

  it('an unreachable server: exit 2, one line naming the URL', async () => {
    const { ws, spec } = setup();
    const closed = await startChatServer([{ content: 'unused' }]);
    await closed.close();
    const r = await run(ws, ['generate', '--llm', '--spec', spec], undefined, { TOOLSMITH_LLM_BASE_URL: closed.baseUrl });
    expect(r.code).toBe(2);
    expect(r.stderr.split('\n')[0]).toBe(`toolsmith: cannot reach the LLM server at ${closed.baseUrl}/chat/completions (ECONNREFUSED)`);
    expect(r.stderr).not.toMatch(STACK_LINE);
  });

  it('--from without a terminal and without --yes: exit 2 naming --yes', async () => {
    const { ws } = setup();
    server = await startChatServer([{ content: 'unused' }]);
    const r = await run(ws, ['generate', '--llm', '--from', 'count words'], server);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--from needs --yes/);
    expect(server.requests).toHaveLength(0);
  });

  it('Ctrl-C while a request is in flight: exit 130, the request is cancelled, nothing is written', async () => {
    const { ws, spec } = setup();
    server = await startChatServer([{ hang: true }]);
    const before = snapshot(ws);
    const child = toolsmithAsync(ws, ['generate', '--llm', '--spec', spec, '--samples', '3'], { TOOLSMITH_LLM_BASE_URL: server.baseUrl, TOOLSMITH_LLM_MODEL: 'm', OPENAI_API_KEY: SECRET });
    const done = waitFor(child);
    await expect.poll(() => server!.requests.length, { timeout: 20_000 }).toBeGreaterThanOrEqual(3);
    child.kill('SIGINT');
    const r = await done;
    expect(r.code).toBe(130);
    await expect.poll(() => server!.aborted).toBe(3);
    expect(snapshot(ws)).toEqual(before);
    expect(readdirSync(path.join(ws, 'staged'))).toEqual([]);
  });
});

describe('toolsmith generate --command (binary)', () => {
  it('a generator that exits non-zero: exit 1, its stderr shown, nothing written', async () => {
    const { ws, spec } = setup();
    const before = snapshot(ws);
    const r = await run(ws, ['generate', '--spec', spec, '--command', 'echo "no model today" >&2; exit 4'], undefined);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('no model today');
    // Its stderr went straight to ours (shown above the error line).
    expect(r.stderr).toMatch(/no model today\ntoolsmith: generator command .* exited with code 4\nhint: /);
    expect(snapshot(ws)).toEqual(before);
  });

  it('--repair with --command is a usage error', async () => {
    const { ws, spec } = setup();
    const r = await run(ws, ['generate', '--spec', spec, '--command', 'true', '--repair', '1'], undefined);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--repair needs --llm/);
  });
});
