/**
 * registry/metrics.json after real runs of a promoted tool, successful and failing: counts,
 * the last run's state and time, and a true running mean of execution times.
 *
 * How the mean is checked honestly: `run --json` prints execution_time_ms (rounded to
 * 0.01 ms) only for successful runs, but metrics.json records every run's exact time as
 * last_execution_time_ms. Reading metrics.json after each run therefore gives the exact
 * time of every run, failing ones included, and avg_execution_time_ms must equal their
 * arithmetic mean after every run. The printed times of successful runs must agree with
 * what was recorded (to the printed rounding).
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createWorkspace, promoteTool, snapshot, toolsmith, WORD_COUNT_SPEC, WORD_COUNT_TESTS } from '../helpers.js';
import { toolsmithJson } from './e2e-helpers.js';

const ID = 'picky_count';
const SPEC = { ...WORD_COUNT_SPEC, tool_name: ID, description: 'Counts the words in a text, but refuses "boom".' };
const IMPL = `export default async function pickyCount(input: { text: string }): Promise<{ words: number }> {
  if (input.text === 'boom') throw new Error('boom is not a text');
  return { words: input.text.split(/\\s+/).filter(Boolean).length };
}
`;
const TESTS = [...WORD_COUNT_TESTS, { name: 'boom', input: { text: 'boom' }, expect_error: 'ToolError' }];

interface Metrics {
  success_count: number;
  error_count: number;
  last_execution_time_ms: number;
  avg_execution_time_ms: number;
  last_used: string | null;
  state: string;
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

describe('execution metrics', () => {
  it('count successes and failures, keep the last state and a true running mean', async () => {
    const ws = createWorkspace();
    await promoteTool(ws, SPEC, IMPL, TESTS);
    const metricsFile = path.join(ws, 'registry/metrics.json');
    const readMetrics = (): Metrics => (JSON.parse(readFileSync(metricsFile, 'utf8')) as Record<string, Metrics>)[ID]!;

    // Input refused by input_schema never reaches the tool: it is not a run (issue 9 #14, SPEC 10).
    const runs: Array<{ input: string; ok: boolean; type?: string; words?: number; counted?: false }> = [
      { input: '{"text": "a b"}', ok: true, words: 2 },
      { input: '{"text": "a b c"}', ok: true, words: 3 },
      { input: '{"text": "one"}', ok: true, words: 1 },
      { input: '{"text": 5}', ok: false, type: 'ValidationError', counted: false },
      { input: '{"text": "boom"}', ok: false, type: 'ToolError' },
      { input: '{"text": "x y z w"}', ok: true, words: 4 },
      { input: '{"text": "boom"}', ok: false, type: 'ToolError' },
    ];
    const recorded: number[] = [];
    const printed: number[] = [];
    let lastUsed = '';
    runs.forEach((run, i) => {
      const before = existsSync(metricsFile) ? readFileSync(metricsFile, 'utf8') : null;
      const r = toolsmithJson(ws, ['run', ID, '--input', run.input]);
      if (run.counted === false) {
        expect(r.code).toBe(1);
        expect(r.json.error.type).toBe(run.type);
        expect(existsSync(metricsFile) ? readFileSync(metricsFile, 'utf8') : null).toBe(before);
        return;
      }
      const m = readMetrics();
      recorded.push(m.last_execution_time_ms);
      if (run.ok) {
        expect(r.code).toBe(0);
        expect(r.json.result).toEqual({ words: run.words });
        printed.push(r.json.execution_time_ms);
        // The printed time is the recorded time, rounded to 0.01 ms.
        expect(Math.abs(r.json.execution_time_ms - m.last_execution_time_ms)).toBeLessThanOrEqual(0.005 + 1e-9);
      } else {
        expect(r.code).toBe(1);
        expect(r.json.error.type).toBe(run.type);
      }
      const done = runs.slice(0, i + 1).filter((x) => x.counted !== false);
      expect(m.success_count).toBe(done.filter((x) => x.ok).length);
      expect(m.error_count).toBe(done.filter((x) => !x.ok).length);
      expect(m.state).toBe(run.ok ? 'SUCCESS' : 'ERROR');
      expect(m.last_execution_time_ms).toBeGreaterThanOrEqual(0);
      // The running mean equals the mean of every run's recorded time so far.
      expect(m.avg_execution_time_ms).toBeCloseTo(mean(recorded), 9);
      expect(m.avg_execution_time_ms).toBeGreaterThanOrEqual(Math.min(...recorded) - 1e-9);
      expect(m.avg_execution_time_ms).toBeLessThanOrEqual(Math.max(...recorded) + 1e-9);
      expect(m.last_used! > lastUsed).toBe(true);
      lastUsed = m.last_used!;
      if (i === 2) {
        // All runs so far succeeded: the mean of the printed times is the recorded mean (to rounding).
        expect(Math.abs(m.avg_execution_time_ms - mean(printed))).toBeLessThanOrEqual(0.005 + 1e-9);
      }
    });

    const final = readMetrics();
    expect(final).toMatchObject({ success_count: 4, error_count: 2, state: 'ERROR' });

    // show and list report the same figures.
    const show = toolsmithJson(ws, ['show', ID]);
    expect(show.json.promoted.metrics).toEqual(final);
    const list = toolsmithJson(ws, ['list']);
    expect(list.json.tools.find((t: { tool_id: string }) => t.tool_id === ID).runs).toBe(6);
  });

  it('runs that never reach the tool record nothing: an unknown tool, bad JSON', async () => {
    const ws = createWorkspace();
    await promoteTool(ws, SPEC, IMPL, TESTS);
    expect(toolsmith(ws, ['run', ID, '--input', '{"text": "a"}']).code).toBe(0);
    const before = snapshot(ws);

    const unknown = toolsmithJson(ws, ['run', 'no_such_tool', '--input', '{"text": "a"}']);
    expect(unknown.code).toBe(2);
    expect(unknown.json.error.type).toBe('NotFoundError');
    expect(toolsmith(ws, ['run', ID, '--input', '{"text": ']).code).toBe(2);
    expect(snapshot(ws)).toEqual(before);
    const metrics = JSON.parse(readFileSync(path.join(ws, 'registry/metrics.json'), 'utf8')) as Record<string, Metrics>;
    expect(Object.keys(metrics)).toEqual([ID]);
    expect(metrics[ID]).toMatchObject({ success_count: 1, error_count: 0 });
  });
});
