/**
 * Batch mode through the real binary (issue 11 items 5 and 6): `pipeline ... --input-file
 * X.jsonl` on warm sandbox workers, results in input order, one failing and one hanging line
 * among 1,000, the documented state boundary, and bad batch input. Tools are promoted
 * in-process through the core (the shape of tests/e2e/pipeline.test.ts).
 */
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type * as InitModule from '../../src/workspace/init-workspace.js';
import { execFileSync, spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { BIN, ROOT, tempDir, toolsmith, toolsmithAsync } from '../helpers.js';
import { closedObject, promoteStepTool, type StepTool } from './e2e-helpers.js';

const dist = (rel: string) => fileURLToPath(new URL(`../../dist/${rel}`, import.meta.url));
// `as`: each dist module is compiled from the src module whose types these are.
const { initWorkspace } = (await import(dist('workspace/init-workspace.js'))) as typeof InitModule;

const NUM = { type: 'number' };
const MODE = { type: 'string', enum: ['ok', 'fail', 'hang'] };
const TIMEOUT_MS = 1_000;

/** double -> bump (fails on mode "fail") -> tenfold (hangs on mode "hang"); `count` says how many calls its worker served. */
const TOOLS: StepTool[] = [
  { name: 'double', input: closedObject({ n: NUM, mode: MODE }), output: closedObject({ n: NUM, mode: MODE }), code: 'export default function double(i: { n: number; mode: "ok" | "fail" | "hang" }) { return { n: i.n * 2, mode: i.mode }; }', tests: [{ name: 'one', input: { n: 1, mode: 'ok' }, expected: { n: 2, mode: 'ok' } }] },
  { name: 'bump', input: closedObject({ n: NUM, mode: MODE }), output: closedObject({ n: NUM, mode: MODE }), code: 'export default function bump(i: { n: number; mode: "ok" | "fail" | "hang" }) { if (i.mode === "fail") throw new Error("asked to fail"); return { n: i.n + 1, mode: i.mode }; }', tests: [{ name: 'one', input: { n: 2, mode: 'ok' }, expected: { n: 3, mode: 'ok' } }] },
  {
    name: 'tenfold',
    input: closedObject({ n: NUM, mode: MODE }),
    output: closedObject({ n: NUM, tainted: { type: 'boolean' } }),
    code: [
      'export default function tenfold(i: { n: number; mode: "ok" | "fail" | "hang" }) {',
      '  const state = globalThis as unknown as { hung?: boolean };',
      '  if (i.mode === "hang") { state.hung = true; for (;;) { /* spins until the time limit kills the worker */ } }',
      '  return { n: i.n * 10, tainted: state.hung === true };',
      '}',
    ].join('\n'),
    tests: [{ name: 'one', input: { n: 3, mode: 'ok' }, expected: { n: 30, tainted: false } }],
  },
  {
    name: 'counter',
    input: closedObject({ n: NUM }),
    output: closedObject({ n: NUM, count: NUM }),
    code: [
      'export default function counter(i: { n: number }) {',
      '  const state = globalThis as unknown as { count?: number };',
      '  state.count = (state.count ?? 0) + 1;',
      '  return { n: i.n, count: state.count };',
      '}',
    ].join('\n'),
    tests: [{ name: 'one', input: { n: 1 }, expected: { n: 1, count: 1 } }],
  },
];

let ws: string;
let cache: string;

beforeAll(async () => {
  ws = mkdtempSync(path.join(os.tmpdir(), 'toolsmith-batch-'));
  cache = mkdtempSync(path.join(os.tmpdir(), 'toolsmith-batch-cache-'));
  await initWorkspace({ dir: ws });
  const configFile = path.join(ws, 'toolsmith.config.json');
  const config = JSON.parse(readFileSync(configFile, 'utf8')) as { sandbox?: Record<string, unknown> };
  writeFileSync(configFile, JSON.stringify({ ...config, sandbox: { ...config.sandbox, timeout_ms: TIMEOUT_MS } }));
  for (const def of TOOLS) await promoteStepTool(ws, def);
}, 120_000);

afterAll(() => {
  rmSync(ws, { recursive: true, force: true });
  rmSync(cache, { recursive: true, force: true });
});

const cli = (args: string[], input?: string) => toolsmith(ws, args, { env: { TOOLSMITH_CACHE_DIR: cache }, ...(input === undefined ? {} : { input }) });

interface ResultLine {
  line: number;
  result?: Record<string, unknown>;
  error?: { type: string; message: string; tool: string | null; details?: Record<string, unknown> };
  failed_step?: number | null;
  steps: Array<{ tool: string; status: string; duration_ms: number }>;
}
const parseLines = (stdout: string): ResultLine[] => stdout.trim().split('\n').map((line) => JSON.parse(line) as ResultLine);
const metrics = (): Record<string, { success_count: number; error_count: number }> => {
  const file = path.join(ws, 'registry', 'metrics.json');
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, { success_count: number; error_count: number }>) : {};
};

describe('toolsmith pipeline --input-file X.jsonl (batch)', () => {
  it('1,000 inputs, one failing and one hanging: the other 998 are correct and in order, the hung one times out and its worker is replaced', () => {
    const FAIL = 250;
    const HANG = 500;
    const lines = Array.from({ length: 1_000 }, (_, i) => JSON.stringify({ n: i + 1, mode: i + 1 === FAIL ? 'fail' : i + 1 === HANG ? 'hang' : 'ok' }));
    writeFileSync(path.join(ws, 'thousand.jsonl'), `${lines.join('\n')}\n`);
    const before = metrics();
    const r = cli(['pipeline', 'double', 'bump', 'tenfold', '--input-file', 'thousand.jsonl', '--concurrency', '2']);
    expect(r.code, r.stderr).toBe(1);
    const results = parseLines(r.stdout);
    expect(results.map((l) => l.line)).toEqual(Array.from({ length: 1_000 }, (_, i) => i + 1));
    for (const l of results) {
      if (l.line === FAIL || l.line === HANG) continue;
      // double -> bump -> tenfold: ((2n) + 1) * 10, and never from the worker that hung.
      expect(l.result, `line ${l.line}: ${JSON.stringify(l)}`).toEqual({ n: (2 * l.line + 1) * 10, tainted: false });
    }
    const failed = results[FAIL - 1];
    expect(failed).toMatchObject({ line: FAIL, failed_step: 1, error: { type: 'ToolError', tool: 'bump', message: expect.stringContaining('asked to fail') } });
    expect(failed?.steps.map((s) => s.status)).toEqual(['ok', 'error', 'skipped']);
    const hung = results[HANG - 1];
    expect(hung).toMatchObject({ line: HANG, failed_step: 2, error: { type: 'TimeoutError', tool: 'tenfold', details: { sandbox: 'timeout' } } });
    expect(hung?.error?.message).toContain(`${TIMEOUT_MS} ms`);
    // Killed at its limit (plus a constant for a loaded machine), not left running.
    expect(hung?.steps[2]?.duration_ms).toBeGreaterThanOrEqual(TIMEOUT_MS);
    expect(hung?.steps[2]?.duration_ms).toBeLessThan(TIMEOUT_MS + 5_000);
    // The lines after the hung one ran on a worker that never hung: it was replaced.
    expect(results.slice(HANG, HANG + 10).every((l) => l.result?.['tainted'] === false)).toBe(true);
    expect(r.stderr).toContain(`batch: 1000 inputs, 998 ok, 2 failed (lines ${FAIL}, ${HANG})`);
    // Off a terminal, no progress.
    expect(r.stderr).not.toMatch(/inputs, [\d.]+\/s/);
    // Metrics per call, written when the batch ended.
    const after = metrics();
    expect((after['tenfold']?.success_count ?? 0) - (before['tenfold']?.success_count ?? 0)).toBe(998);
    expect((after['tenfold']?.error_count ?? 0) - (before['tenfold']?.error_count ?? 0)).toBe(1);
    expect((after['bump']?.error_count ?? 0) - (before['bump']?.error_count ?? 0)).toBe(1);
  }, 55_000);

  it('module state persists within one batch at most, never into the next batch', () => {
    const input = `${[1, 2, 3, 4, 5].map((n) => JSON.stringify({ n })).join('\n')}\n`;
    writeFileSync(path.join(ws, 'five.jsonl'), input);
    const first = cli(['pipeline', 'counter', '--input-file', 'five.jsonl', '--concurrency', '1']);
    expect(first.code, first.stderr).toBe(0);
    // One worker served the whole batch: its module state grew within the batch (allowed, not promised).
    expect(parseLines(first.stdout).map((l) => l.result?.['count'])).toEqual([1, 2, 3, 4, 5]);
    const second = cli(['pipeline', 'counter', '--input-file', 'five.jsonl', '--concurrency', '1']);
    expect(second.code, second.stderr).toBe(0);
    // A new batch starts from fresh workers: nothing of the first batch's state.
    expect(parseLines(second.stdout)[0]?.result).toEqual({ n: 1, count: 1 });
    // Stdin with --batch is a batch too, with its own workers.
    const piped = cli(['pipeline', 'counter', '--input-file', '-', '--batch'], input);
    expect(piped.code, piped.stderr).toBe(0);
    expect(parseLines(piped.stdout).map((l) => l.result?.['n'])).toEqual([1, 2, 3, 4, 5]);
    expect(Math.min(...parseLines(piped.stdout).map((l) => Number(l.result?.['count'])))).toBe(1);
  });

  it('a malformed, non-object or blank line: that line\'s error (or nothing for a blank one), by its file line number; the batch goes on', () => {
    writeFileSync(path.join(ws, 'mixed.jsonl'), '{"n":1}\nnot json\n\n[1,2]\n{"n":"x"}\r\n{"n":6}');
    const r = cli(['pipeline', 'counter', '--input-file', 'mixed.jsonl', '--concurrency', '2']);
    expect(r.code).toBe(1);
    const results = parseLines(r.stdout);
    expect(results.map((l) => l.line)).toEqual([1, 2, 4, 5, 6]);
    expect(results[0]?.result).toMatchObject({ n: 1 });
    expect(results[1]).toMatchObject({ failed_step: null, error: { type: 'ValidationError', message: expect.stringContaining('line 2 is not valid JSON') } });
    expect(results[2]).toMatchObject({ failed_step: null, error: { type: 'ValidationError', message: 'line 4 is not a JSON object' } });
    expect(results[3]).toMatchObject({ failed_step: 0, error: { type: 'ValidationError', tool: 'counter' } });
    expect(results[4]?.result).toMatchObject({ n: 6 });
    const allGood = cli(['pipeline', 'counter', '--input-file', 'five.jsonl']);
    expect(allGood.code, allGood.stderr).toBe(0);
    expect(allGood.stderr).toContain('batch: 5 inputs, 5 ok, 0 failed');
  });

  it.each([
    [['--concurrency', '0'], '--concurrency must be a whole number'],
    [['--concurrency', '1.5'], '--concurrency must be a whole number'],
    [['--concurrency', 'two'], '--concurrency must be a whole number'],
    [['--concurrency', '-3'], '--concurrency must be a whole number'],
    [['--events'], '--events does not apply to a batch'],
  ])('bad batch flags %j: exit 2, one line and a hint, nothing runs', (flags, message) => {
    const r = cli(['pipeline', 'counter', '--input-file', 'five.jsonl', ...flags]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
    expect(r.stderr).toMatch(/^hint: /m);
    expect(r.stdout).toBe('');
  });

  it('--concurrency without a batch, a missing batch file, or `run` on a batch file: exit 2 with a hint', () => {
    const single = cli(['pipeline', 'counter', '--input', '{"n":1}', '--concurrency', '2']);
    expect(single.code).toBe(2);
    expect(single.stderr).toContain('--concurrency applies to batch mode only');
    const missing = cli(['pipeline', 'counter', '--input-file', 'nope.jsonl']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('batch input file nope.jsonl does not exist');
    // `run` has no batch mode: it says where batches go.
    const run = cli(['run', 'counter', '--input-file', 'five.jsonl']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('hint: run every line through the tool with `toolsmith pipeline counter --input-file five.jsonl`');
  });

  it.each(['SIGINT', 'SIGTERM'] as const)('%s mid-batch: exit 130, every worker killed, the private TMPDIR removed', async (signal) => {
    const tmp = tempDir('toolsmith-batch-signal-');
    const lines = Array.from({ length: 20_000 }, (_, i) => JSON.stringify({ n: i, mode: 'ok' }));
    writeFileSync(path.join(ws, 'long.jsonl'), `${lines.join('\n')}\n`);
    const child = toolsmithAsync(ws, ['pipeline', 'double', 'bump', 'tenfold', '--input-file', 'long.jsonl', '--concurrency', '2'], { TOOLSMITH_CACHE_DIR: cache, TMPDIR: tmp });
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    // Once results flow, the workers are up.
    await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
    const running = (): string[] => execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' }).split('\n').filter((args) => args.includes(tmp));
    expect(running().length).toBeGreaterThan(0);
    child.kill(signal);
    expect(await exited).toBe(130);
    // Killed processes take a moment to leave the process table (bubblewrap's namespace teardown).
    for (let i = 0; i < 100 && running().length > 0; i++) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(running()).toEqual([]);
    expect(readdirSync(tmp)).toEqual([]);
  });

  it('the README\'s batch example works as written on the shipped registry (a copy of it)', () => {
    const copy = tempDir('toolsmith-batch-shipped-');
    for (const rel of ['registry', 'toolsmith.config.json', path.join('examples', 'pipelines')]) cpSync(path.join(ROOT, rel), path.join(copy, rel), { recursive: true });
    const file = path.join('examples', 'pipelines', 'text_report-inputs.jsonl');
    const inputs = readFileSync(path.join(copy, file), 'utf8').trim().split('\n');
    const r = toolsmith(copy, ['pipeline', 'text_stats', 'stats_report', '--input-file', file, '--concurrency', '2'], { env: { TOOLSMITH_CACHE_DIR: cache } });
    expect(r.code, r.stderr).toBe(0);
    const results = parseLines(r.stdout);
    expect(results.map((l) => l.line)).toEqual(inputs.map((_, i) => i + 1));
    for (const l of results) expect(l.result?.['headline']).toEqual(expect.stringMatching(/^\d+ words?, \d+ sentences?; most frequent: /));
    const piped = toolsmith(copy, ['pipeline', 'text_stats', '--input-file', '-', '--batch', '--json'], { env: { TOOLSMITH_CACHE_DIR: cache }, input: readFileSync(path.join(copy, file), 'utf8') });
    expect(piped.code, piped.stderr).toBe(0);
    expect(parseLines(piped.stdout)).toHaveLength(inputs.length);
  });

  it('on a terminal, progress on stderr says done/total, the rate and an ETA', async () => {
    writeFileSync(path.join(ws, 'many.jsonl'), `${Array.from({ length: 3_000 }, (_, n) => JSON.stringify({ n })).join('\n')}\n`);
    // As a developer's terminal (no CI variable); stdout goes elsewhere, stderr is the terminal.
    const { CI: _ci, ...env } = process.env;
    const line = `stty cols 100 rows 30 && ${JSON.stringify(process.execPath)} ${JSON.stringify(BIN)} pipeline counter --input-file many.jsonl --concurrency 1 > /dev/null`;
    const child = spawn('script', ['-qfec', line, '/dev/null'], { cwd: ws, env: { ...env, NO_COLOR: '1', TERM: 'xterm', TOOLSMITH_CACHE_DIR: cache } });
    let screen = '';
    child.stdout.on('data', (d: Buffer) => (screen += d.toString()));
    expect(await new Promise((resolve) => child.on('close', resolve))).toBe(0);
    const plain = screen.replace(/\x1b\[[0-9;?]*[a-zA-Z]/g, '');
    expect(plain).toMatch(/batch: \d+\/3000 inputs, [\d.]+\/s, ETA \d+ s/);
    expect(plain).toContain('batch: 3000 inputs, 3000 ok, 0 failed');
  });
});
