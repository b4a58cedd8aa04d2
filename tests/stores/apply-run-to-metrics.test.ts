/** applyRunToMetrics keeps a true running mean, counts, the last run and its state. */
import { describe, expect, it } from 'vitest';
import { applyRunToMetrics } from '../../src/stores/registry-store.js';
import type { ExecutionMetrics } from '../../src/models/index.js';

const at = (i: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, i));

function fold(runs: Array<{ ok: boolean; durationMs: number }>): ExecutionMetrics[] {
  const out: ExecutionMetrics[] = [];
  let metrics: ExecutionMetrics | undefined;
  runs.forEach((run, i) => {
    metrics = applyRunToMetrics(metrics, { ...run, at: at(i) });
    out.push(metrics);
  });
  return out;
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

describe('applyRunToMetrics', () => {
  it('the first run starts from nothing', () => {
    expect(applyRunToMetrics(undefined, { ok: true, durationMs: 12.5, at: at(0) })).toEqual({
      success_count: 1,
      error_count: 0,
      last_execution_time_ms: 12.5,
      avg_execution_time_ms: 12.5,
      last_used: at(0).toISOString(),
      state: 'SUCCESS',
    });
    expect(applyRunToMetrics(undefined, { ok: false, durationMs: 3, at: at(0) })).toMatchObject({ success_count: 0, error_count: 1, state: 'ERROR', avg_execution_time_ms: 3 });
  });

  it('after every run of a mixed sequence, the average is the mean of all runs so far (successes and failures)', () => {
    const runs = [
      { ok: true, durationMs: 10 },
      { ok: true, durationMs: 20 },
      { ok: false, durationMs: 3 },
      { ok: true, durationMs: 100 },
      { ok: false, durationMs: 0.5 },
      { ok: true, durationMs: 41.25 },
    ];
    const states = fold(runs);
    states.forEach((m, i) => {
      const prefix = runs.slice(0, i + 1);
      expect(m.avg_execution_time_ms).toBeCloseTo(mean(prefix.map((r) => r.durationMs)), 10);
      expect(m.success_count).toBe(prefix.filter((r) => r.ok).length);
      expect(m.error_count).toBe(prefix.filter((r) => !r.ok).length);
      expect(m.last_execution_time_ms).toBe(runs[i]!.durationMs);
      expect(m.state).toBe(runs[i]!.ok ? 'SUCCESS' : 'ERROR');
      expect(m.last_used).toBe(at(i).toISOString());
    });
    expect(states.at(-1)!.avg_execution_time_ms).toBeCloseTo(174.75 / 6, 10);
  });

  it('stays the true mean over a long sequence (no drift, not an exponential or last-two average)', () => {
    let seed = 42;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const runs = Array.from({ length: 5000 }, () => ({ ok: random() > 0.2, durationMs: random() * 1000 }));
    const last = fold(runs).at(-1)!;
    const trueMean = mean(runs.map((r) => r.durationMs));
    expect(Math.abs(last.avg_execution_time_ms - trueMean) / trueMean).toBeLessThan(1e-9);
    expect(last.success_count + last.error_count).toBe(5000);
  });

  it('continues from metrics read back from JSON (an IDLE entry counts no runs)', () => {
    const idle: ExecutionMetrics = { success_count: 0, error_count: 0, last_execution_time_ms: 0, avg_execution_time_ms: 0, last_used: null, state: 'IDLE' };
    expect(applyRunToMetrics(idle, { ok: true, durationMs: 8, at: at(1) }).avg_execution_time_ms).toBe(8);
    const stored = JSON.parse(JSON.stringify(fold([{ ok: true, durationMs: 1 }, { ok: true, durationMs: 2 }]).at(-1))) as ExecutionMetrics;
    expect(applyRunToMetrics(stored, { ok: true, durationMs: 6, at: at(2) }).avg_execution_time_ms).toBe(3);
  });

  it('does not mutate the previous metrics', () => {
    const previous = applyRunToMetrics(undefined, { ok: true, durationMs: 5, at: at(0) });
    const copy = structuredClone(previous);
    applyRunToMetrics(previous, { ok: false, durationMs: 50, at: at(1) });
    expect(previous).toEqual(copy);
  });
});
