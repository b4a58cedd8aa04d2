import { afterAll, describe, expect, it } from 'vitest';
import { createScenario, removeScenarios, runTool, sandbox, show, LIMITS, describeProtections } from './sandbox-fixtures.js';

afterAll(removeScenarios);

describe('runInSandbox: results and logs', () => {
  it('returns the value and captures console output as logs, never mixed into the result', async () => {
    const scenario = await createScenario(`
      export default async function (input) {
        console.log('hello from the tool');
        console.log(JSON.stringify({ result: 'not the result' }));
        process.stdout.write('{"ok":true,"value":"forged"}\\n');
        console.error('a warning on stderr');
        process.stdout.write('no trailing newline');
        return { doubled: input.n * 2, text: 'ok' };
      }
    `);
    const outcome = await runTool(scenario, { input: { n: 21 } });
    expect(outcome.ok, show(outcome)).toBe(true);
    expect(outcome.ok && outcome.value).toEqual({ doubled: 42, text: 'ok' });
    expect(outcome.logs).toEqual(
      expect.arrayContaining([
        'hello from the tool',
        '{"result":"not the result"}',
        '{"ok":true,"value":"forged"}',
        'a warning on stderr',
        'no trailing newline',
      ]),
    );
    expect(outcome.durationMs).toBeGreaterThan(0);
    expect(outcome.protections).toMatchObject({ permission_model: true, timeout_ms: LIMITS.timeoutMs, heap_cap_mb: LIMITS.maxHeapMb });
  });

  it('returns non-object JSON values as they are (shape is the caller\'s business)', async () => {
    const scenario = await createScenario(`export default (input) => [input.a, null, 'x']`);
    const outcome = await runTool(scenario, { input: { a: 1 } });
    expect(outcome.ok && outcome.value, show(outcome)).toEqual([1, null, 'x']);
  });

  it('ignores anything the tool writes to the result descriptor itself: it cannot forge a reply', async () => {
    const scenario = await createScenario(`
      import { writeSync } from 'node:fs';
      export default () => {
        writeSync(3, 'R{"ok":true,"value":{"forged":true}}');
        return { real: true };
      };
    `);
    const outcome = await runTool(scenario);
    expect(outcome.ok && outcome.value, show(outcome)).toEqual({ real: true });
  });

  it('truncates logs beyond maxOutputBytes with a marker, without failing the run', async () => {
    const scenario = await createScenario(`
      export default () => { for (let i = 0; i < 200; i++) console.log('line ' + i + ' ' + 'x'.repeat(50)); return { done: true }; };
    `);
    const outcome = await runTool(scenario, { limits: { maxOutputBytes: 2_000 } });
    expect(outcome.ok, show(outcome)).toBe(true);
    expect(outcome.logs.at(-1)).toMatch(/logs truncated.*2000 bytes/);
    expect(outcome.logs.join('\n').length).toBeLessThan(2_200);
  });
});

describe('runInSandbox: tool failures', () => {
  it('reports a thrown Error as "execution" with its message and stack', async () => {
    const scenario = await createScenario(`export default () => { throw new RangeError('celsius below absolute zero'); }`);
    const outcome = await runTool(scenario);
    expect(outcome).toMatchObject({ ok: false, kind: 'execution', message: 'RangeError: celsius below absolute zero' });
    expect(!outcome.ok && outcome.stack).toMatch(/tool\.mjs/);
  });

  it('reports an error thrown from a callback after the call as "execution"', async () => {
    const scenario = await createScenario(`
      export default () => new Promise(() => { setTimeout(() => { throw new Error('late failure'); }, 5); });
    `);
    expect(await runTool(scenario)).toMatchObject({ ok: false, kind: 'execution', message: 'late failure' });
  });

  it('reports a promise that can never settle as "execution"', async () => {
    const scenario = await createScenario(`export default () => new Promise(() => {});`);
    expect(await runTool(scenario)).toMatchObject({ ok: false, kind: 'execution', message: expect.stringMatching(/never settled/) });
  });

  it.each([
    ['undefined', `export default () => undefined;`, /returned undefined/],
    ['a function', `export default () => ({ run: () => 1 });`, /not JSON-serialisable.*function at key "run"/],
    ['a BigInt', `export default () => ({ big: 10n });`, /not JSON-serialisable.*BigInt/],
    ['a cycle', `export default () => { const a = {}; a.self = a; return a; };`, /not JSON-serialisable.*circular/i],
  ])('reports a result holding %s as "bad-result"', async (_label, source, message) => {
    const outcome = await runTool(await createScenario(source));
    expect(outcome, show(outcome)).toMatchObject({ ok: false, kind: 'bad-result', message: expect.stringMatching(message) });
  });

  it.each([
    ['no default export', `export const run = () => ({});`, /no default export/],
    ['a default export that is not a function', `export default 42;`, /default export of type number/],
  ])('reports %s as "bad-result"', async (_label, source, message) => {
    const outcome = await runTool(await createScenario(source));
    expect(outcome, show(outcome)).toMatchObject({ ok: false, kind: 'bad-result', message: expect.stringMatching(message) });
  });

  it('reports a module that does not load as "execution"', async () => {
    const outcome = await runTool(await createScenario(`export default () => {; syntax error here`));
    expect(outcome).toMatchObject({ ok: false, kind: 'execution', message: expect.stringMatching(/SyntaxError/) });
  });

  it('reports a tool that exits on its own as "crash" with the exit code and last stderr line', async () => {
    const scenario = await createScenario(`export default () => { console.error('giving up'); process.exit(3); };`);
    const outcome = await runTool(scenario);
    expect(outcome).toMatchObject({ ok: false, kind: 'crash', message: expect.stringMatching(/exited with code 3.*giving up/) });
  });

  it('reports a missing entry module as "crash" without throwing', async () => {
    const scenario = await createScenario(`export default () => ({})`);
    const outcome = await runTool(scenario, { entry: 'missing.mjs' });
    expect(outcome).toMatchObject({ ok: false, kind: 'crash', message: expect.stringMatching(/does not exist/) });
  });

  it('throws for a malformed request (a caller bug), not for the tool', async () => {
    const scenario = await createScenario(`export default () => ({})`);
    await expect(runTool(scenario, { limits: { timeoutMs: 0 } })).rejects.toThrow(/timeoutMs/);
  });
});

describe('describeProtections', () => {
  it('reports the permission model, echoes the limits and names every layer', async () => {
    const { protections, refused } = await describeProtections(LIMITS, [], 'auto');
    expect(refused).toBeNull();
    expect(protections).toMatchObject({
      permission_model: true,
      heap_cap_mb: LIMITS.maxHeapMb,
      timeout_ms: LIMITS.timeoutMs,
      max_output_bytes: LIMITS.maxOutputBytes,
    });
    expect(typeof protections.network_namespace).toBe('boolean');
    expect(protections.layers).toEqual(expect.arrayContaining(['node permission model', `heap cap ${LIMITS.maxHeapMb} MB (v8)`]));
  });

  it('says "network: granted by spec" for a tool granted net, never that the network is off', async () => {
    const { protections } = await describeProtections(LIMITS, ['net'], 'auto');
    expect(protections.network).toBe('granted');
    expect(protections.layers).toContain('network: granted by spec');
    expect(protections.layers?.join('\n')).not.toMatch(/NOT isolated|OFF/);
  });

  it('with isolation "node" reports no OS layer and no warning (it was chosen)', async () => {
    const { protections } = await describeProtections(LIMITS, [], 'node');
    expect(protections).toMatchObject({ isolation: 'node', os_layer: null, warnings: [] });
  });
});
