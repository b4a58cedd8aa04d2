import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { createScenario, removeScenarios, runTool, show } from './sandbox-fixtures.js';

afterAll(removeScenarios);

/**
 * Host pids of processes whose command line holds `marker`. A tool inside a PID namespace
 * cannot tell its host pid, but it can set its process title, which the host sees.
 */
function processesMarked(marker: string): number[] {
  const found: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      if (readFileSync(`/proc/${name}/cmdline`, 'latin1').includes(marker)) found.push(Number(name));
    } catch {
      // gone meanwhile
    }
  }
  return found;
}

describe('sandbox limits', () => {
  it('kills an endless loop at the wall-clock limit and reports "timeout" naming it; no process of it survives', async () => {
    const marker = `toolsmith-loop-${randomBytes(6).toString('hex')}`;
    const scenario = await createScenario(`export default (input) => { process.title = input.marker; console.log('looping'); while (true) {} };`);
    const outcome = await runTool(scenario, { input: { marker }, limits: { timeoutMs: 1_000 } });
    expect(outcome, show(outcome)).toMatchObject({ ok: false, kind: 'timeout', message: expect.stringMatching(/1000 ms/) });
    expect(outcome.logs).toContain('looping');
    await expect.poll(() => processesMarked(marker), { timeout: 5_000 }).toEqual([]);
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
