import { spawnSync } from 'node:child_process';
import { chmod, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { SandboxOutcome } from '../../src/sandbox/index.js';
import type { SandboxProtections } from '../../src/models/index.js';
import { createScenario, removeScenarios, runTool, sandbox, show, LIMITS, type Scenario } from './sandbox-fixtures.js';

afterAll(removeScenarios);

const builtIndex = fileURLToPath(new URL('../../dist/sandbox/index.js', import.meta.url));

interface FreshProcessResult {
  outcome: SandboxOutcome;
  detected: SandboxProtections;
}

/**
 * Runs the scenario's tool from a fresh Node process (the sandbox caches what it learns per
 * process) whose PATH starts with `bin`, so fake launchers there stand in for a machine
 * that refuses them.
 */
function runInFreshProcess(scenario: Scenario, bin: string): FreshProcessResult {
  const script = `
    import { runInSandbox, detectProtections } from ${JSON.stringify(builtIndex)};
    const limits = ${JSON.stringify(LIMITS)};
    const outcome = await runInSandbox({ toolId: 't', entry: ${JSON.stringify(scenario.entry)}, packageDir: ${JSON.stringify(scenario.packageDir)}, permissions: [], input: {}, limits });
    process.stdout.write(JSON.stringify({ outcome, detected: detectProtections(limits) }));
  `;
  const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
    env: { ...process.env, PATH: `${bin}${path.delimiter}${process.env['PATH'] ?? ''}` },
    encoding: 'utf8',
  });
  if (child.status !== 0) throw new Error(`fresh process failed: ${child.stderr}`);
  // `as`: the script above writes exactly this shape.
  return JSON.parse(child.stdout) as FreshProcessResult;
}

async function writeRefusingLauncher(dir: string, name: string): Promise<void> {
  const file = path.join(dir, name);
  await writeFile(file, `#!/bin/sh\necho "${name}: ${name} failed: Operation not permitted" >&2\nexit 1\n`);
  await chmod(file, 0o755);
}

describe('sandbox launchers', () => {
  it('falls back to no network namespace on a machine that refuses unshare, and reports network_namespace: false', async () => {
    const scenario = await createScenario(`export default () => ({ ran: true });`);
    await writeRefusingLauncher(scenario.outside, 'unshare');
    await writeRefusingLauncher(scenario.outside, 'setpriv');
    const { outcome, detected } = runInFreshProcess(scenario, scenario.outside);
    expect(outcome.ok && outcome.value, show(outcome)).toEqual({ ran: true });
    expect(outcome.protections).toMatchObject({ permission_model: true, network_namespace: false });
    expect(detected.network_namespace).toBe(false);
  });

  it('does not let a tool that mimics a refused unshare talk the sandbox out of the namespace', async () => {
    const scenario = await createScenario(`
      export default () => { console.error('unshare: unshare failed: Operation not permitted'); process.exit(1); };
    `);
    const isolated = sandbox.detectProtections(LIMITS).network_namespace;
    const outcome = await runTool(scenario);
    expect(outcome, show(outcome)).toMatchObject({ ok: false, kind: 'crash', protections: { network_namespace: isolated } });
    expect(sandbox.detectProtections(LIMITS).network_namespace).toBe(isolated);
  });
});
