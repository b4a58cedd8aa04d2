import { afterAll, describe, expect, it } from 'vitest';
import { createScenario, removeScenarios, runTool, show } from './sandbox-fixtures.js';

afterAll(removeScenarios);

/** True while a process with this pid exists. */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('sandbox limits', () => {
  it('kills an endless loop at the wall-clock limit and reports "timeout" naming it', async () => {
    const scenario = await createScenario(`export default () => { console.log('pid=' + process.pid); while (true) {} };`);
    const outcome = await runTool(scenario, { limits: { timeoutMs: 500 } });
    expect(outcome, show(outcome)).toMatchObject({ ok: false, kind: 'timeout', message: expect.stringMatching(/500 ms/) });
    const pid = Number(/^pid=(\d+)$/.exec(outcome.logs.find((line) => line.startsWith('pid=')) ?? '')?.[1]);
    expect(pid).toBeGreaterThan(0);
    expect(isAlive(pid)).toBe(false);
  });

  it('stops unbounded allocation at the heap cap and reports "heap" naming it', async () => {
    const scenario = await createScenario(`
      export default () => { const hoard = []; while (true) hoard.push(new Array(100_000).fill({ n: hoard.length })); };
    `);
    const outcome = await runTool(scenario, { limits: { maxHeapMb: 64 } });
    expect(outcome, show(outcome)).toMatchObject({ ok: false, kind: 'heap', message: expect.stringMatching(/64 MB/) });
  });

  it('refuses a result larger than maxOutputBytes as "output-limit"', async () => {
    const scenario = await createScenario(`export default () => ({ text: 'x'.repeat(5_000) });`);
    const outcome = await runTool(scenario, { limits: { maxOutputBytes: 1_000 } });
    expect(outcome, show(outcome)).toMatchObject({ ok: false, kind: 'output-limit', message: expect.stringMatching(/1000 bytes/) });
  });

  it('kills a tool flooding the result descriptor itself and reports "output-limit"', async () => {
    const scenario = await createScenario(`
      import { writeSync } from 'node:fs';
      export default () => { const chunk = 'x'.repeat(65_536); while (true) writeSync(3, chunk); };
    `);
    const outcome = await runTool(scenario, { limits: { maxOutputBytes: 1_000 } });
    expect(outcome, show(outcome)).toMatchObject({ ok: false, kind: 'output-limit', message: expect.stringMatching(/1000 bytes/) });
  });
});
