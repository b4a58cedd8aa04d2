/**
 * `run` through the core (lifecycle/run-tool.ts, built, as the sandbox needs its compiled
 * harness), on a copy of the shipped registry. Issue 9 #14 / SPEC 10: input the runner
 * refuses before the tool runs changes nothing, metrics.json included.
 */
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type * as RunToolModule from '../../src/lifecycle/run-tool.js';
import { ROOT } from '../helpers.js';

const built = fileURLToPath(new URL('../../dist/lifecycle/run-tool.js', import.meta.url));
// `as`: dist/lifecycle/run-tool.js is compiled from src/lifecycle/run-tool.ts, whose types these are.
const { runTool } = (await import(built)) as typeof RunToolModule;

let ws: string;
let cache: string;

beforeAll(() => {
  ws = mkdtempSync(path.join(os.tmpdir(), 'toolsmith-run-tool-'));
  cache = mkdtempSync(path.join(os.tmpdir(), 'toolsmith-run-tool-cache-'));
  cpSync(path.join(ROOT, 'registry'), path.join(ws, 'registry'), { recursive: true, filter: (src) => path.basename(src) !== 'metrics.json' });
  cpSync(path.join(ROOT, 'toolsmith.config.json'), path.join(ws, 'toolsmith.config.json'));
});

afterAll(() => {
  rmSync(ws, { recursive: true, force: true });
  rmSync(cache, { recursive: true, force: true });
});

const metricsFile = () => path.join(ws, 'registry', 'metrics.json');
const metricsText = () => (existsSync(metricsFile()) ? readFileSync(metricsFile(), 'utf8') : null);
const run = (inputText: string) => runTool({ cwd: ws, toolId: 'json_pointer_get', inputText, env: { ...process.env, TOOLSMITH_CACHE_DIR: cache } });

describe('runTool and metrics.json', () => {
  it.each([
    ['a missing required field', '{"document":{"a":1}}'],
    ['a field of the wrong type', '{"document":{"a":1},"pointer":42}'],
    ['an input nested 300,000 levels deep', `{"document":${'['.repeat(300_000)}${']'.repeat(300_000)},"pointer":""}`],
  ])('%s is a ValidationError and is not counted as a run of the tool', async (_label, inputText) => {
    const before = metricsText();
    const result = await run(inputText);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.error.type).toBe('ValidationError');
    expect(metricsText()).toBe(before);
  });

  it('a valid input runs the tool and is counted', async () => {
    const result = await run('{"document":{"a":[1,{"b":"x"}]},"pointer":"/a/1/b"}');
    expect(result.ok, JSON.stringify(result)).toBe(true);
    const metrics = JSON.parse(metricsText() ?? '{}') as Record<string, { success_count: number; error_count: number }>;
    expect(metrics['json_pointer_get']).toMatchObject({ success_count: 1, error_count: 0 });
  });
});

describe('runTool of a pinned version (name@version)', () => {
  const runRef = (toolId: string, inputText = '{"text":"one two. three!"}') => runTool({ cwd: ws, toolId, inputText, env: { ...process.env, TOOLSMITH_CACHE_DIR: cache } });
  const counts = () => (JSON.parse(metricsText() ?? '{}') as Record<string, { success_count: number; error_count: number }>)['text_stats'];

  it('runs an older promoted version from its own frozen folder, and the current one by name, counting both under the name', async () => {
    const before = counts()?.success_count ?? 0;
    const old = await runRef('text_stats@1.0.0');
    const current = await runRef('text_stats');
    expect(old.ok && old.artifacts.metadata.version).toBe('1.0.0');
    expect(current.ok && current.artifacts.metadata.version).toBe('1.0.1');
    expect(old.ok && old.artifacts.result['words']).toBe(3);
    expect(counts()?.success_count).toBe(before + 2);
    const pinnedCurrent = await runRef('text_stats@1.0.1');
    expect(pinnedCurrent.ok && pinnedCurrent.artifacts.metadata.version).toBe('1.0.1');
  });

  it('refuses a version no promote line records (NotFoundError naming the promoted ones) and malformed references (UserError) before anything runs', async () => {
    const before = metricsText();
    const missing = await runRef('text_stats@9.9.9');
    expect(missing.ok).toBe(false);
    if (!missing.ok) {
      expect(missing.error.error.type).toBe('NotFoundError');
      expect(missing.error.error.message).toContain('9.9.9');
    }
    for (const bad of ['text_stats@../1.0.0', 'text_stats@1.0.0/../../x', 'text_stats@', '../x@1.0.0', 'text_stats@1.0']) {
      await expect(runRef(bad), bad).rejects.toThrow(/invalid (version|tool id)/);
    }
    expect(metricsText()).toBe(before);
  });

  it('checks an older version against the hashes of ITS promote line: a changed file is an IntegrityError', async () => {
    const file = path.join(ws, 'registry', 'tools', 'text_stats', '1.0.0', 'build', 'index.js');
    const original = readFileSync(file);
    writeFileSync(file, 'export default () => ({ characters: 0, words: 0, lines: 0, sentences: 0, average_word_length: 0, top_words: [] });\n');
    try {
      const result = await runRef('text_stats@1.0.0');
      expect(result.ok).toBe(false);
      if (!result.ok) {
        expect(result.error.error.type).toBe('IntegrityError');
        expect(result.error.error.message).toContain('build/index.js (modified)');
      }
    } finally {
      writeFileSync(file, original);
    }
    expect((await runRef('text_stats@1.0.0')).ok).toBe(true);
  });

  it('refuses every version once the audit chain is broken', async () => {
    const audit = path.join(ws, 'registry', 'audit.jsonl');
    const original = readFileSync(audit, 'utf8');
    const lines = original.trimEnd().split('\n');
    writeFileSync(audit, `${[lines[1], lines[0], ...lines.slice(2)].join('\n')}\n`);
    try {
      const result = await runRef('text_stats@1.0.0');
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.error.error.type).toBe('IntegrityError');
    } finally {
      writeFileSync(audit, original);
    }
  });
});
