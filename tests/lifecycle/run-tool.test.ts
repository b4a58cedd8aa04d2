/**
 * `run` through the core (lifecycle/run-tool.ts, built, as the sandbox needs its compiled
 * harness), on a copy of the shipped registry. Issue 9 #14 / SPEC 10: input the runner
 * refuses before the tool runs changes nothing, metrics.json included.
 */
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
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
