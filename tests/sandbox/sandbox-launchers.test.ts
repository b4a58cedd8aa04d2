import { spawnSync } from 'node:child_process';
import { chmod, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { Isolation, SandboxOutcome } from '../../src/sandbox/index.js';
import type { SandboxProtections } from '../../src/models/index.js';
import { builtDescribe, createScenario, osLayerWorks, readBuildFiles, removeScenarios, runTool, show, LIMITS, type Scenario, describeProtections } from './sandbox-fixtures.js';

afterAll(removeScenarios);

const builtIndex = fileURLToPath(new URL('../../dist/sandbox/index.js', import.meta.url));
const hasOsLayer = await osLayerWorks();

interface FreshProcessResult {
  outcome: SandboxOutcome;
  described: { protections: SandboxProtections; refused: string | null };
}

/**
 * Runs the scenario's tool from a fresh Node process (the sandbox learns what works once per
 * process) whose PATH is `pathDirs`, so fake launchers there stand in for a machine that
 * refuses them, and leaving a folder out hides its programs.
 */
function runInFreshProcess(scenario: Scenario, isolation: Isolation, pathDirs: string[]): FreshProcessResult {
  const files = [...readBuildFiles(scenario.packageDir)].map(([rel, bytes]) => [rel, Buffer.from(bytes).toString('base64')]);
  const script = `
    import { runInSandbox } from ${JSON.stringify(builtIndex)};
    import { describeProtections } from ${JSON.stringify(builtDescribe)};
    const limits = ${JSON.stringify(LIMITS)};
    const buildFiles = new Map(${JSON.stringify(files)}.map(([rel, b64]) => [rel, Buffer.from(b64, 'base64')]));
    const outcome = await runInSandbox({ toolId: 't', buildFiles, entry: 'tool.mjs', permissions: [], input: {}, limits, isolation: ${JSON.stringify(isolation)} });
    process.stdout.write(JSON.stringify({ outcome, described: await describeProtections(limits, [], ${JSON.stringify(isolation)}) }));
  `;
  const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
    env: { ...process.env, PATH: pathDirs.join(path.delimiter) },
    encoding: 'utf8',
  });
  if (child.status !== 0) throw new Error(`fresh process failed: ${child.stderr}`);
  // `as`: the script above writes exactly this shape.
  return JSON.parse(child.stdout) as FreshProcessResult;
}

async function writeRefusingLauncher(dir: string, name: string, message = `${name}: ${name} failed: Operation not permitted`): Promise<void> {
  const file = path.join(dir, name);
  await writeFile(file, `#!/bin/sh\necho "${message}" >&2\nexit 1\n`);
  await chmod(file, 0o755);
  // As root, the OS layer's chain runs bubblewrap as nobody, who must reach the fake too.
  await chmod(dir, 0o755);
  await chmod(path.dirname(dir), 0o755);
}

/** PATH with only the folders that hold the programs a test keeps (util-linux's), never bwrap's. */
const SYSTEM_DIRS = ['/usr/local/bin', '/usr/bin', '/bin'];

describe('sandbox launchers under isolation "node"', () => {
  it('falls back to no network namespace on a machine that refuses unshare, and reports network_namespace: false', async () => {
    const scenario = await createScenario(`export default () => ({ ran: true });`);
    for (const name of ['unshare', 'setpriv', 'prlimit']) await writeRefusingLauncher(scenario.outside, name);
    const { outcome, described } = runInFreshProcess(scenario, 'node', [scenario.outside, ...SYSTEM_DIRS]);
    expect(outcome.ok && outcome.value, show(outcome)).toEqual({ ran: true });
    expect(outcome.protections).toMatchObject({ permission_model: true, network_namespace: false, isolation: 'node', memory_cap_mb: null });
    expect(described.protections.network_namespace).toBe(false);
  });

  it('does not let a tool that mimics a refused unshare talk the sandbox out of the namespace', async () => {
    const scenario = await createScenario(`
      export default () => { console.error('unshare: unshare failed: Operation not permitted'); process.exit(1); };
    `);
    const first = await runTool(scenario, { isolation: 'node' });
    expect(first, show(first)).toMatchObject({ ok: false, kind: 'crash' });
    const again = await runTool(scenario, { isolation: 'node' });
    expect(again.protections.network_namespace).toBe(first.protections.network_namespace);
  });
});

describe('the OS layer (bubblewrap)', () => {
  it('with bwrap hidden from PATH, "auto" runs the tool and says the OS layer is off and how to install it', async () => {
    const scenario = await createScenario(`export default () => ({ ran: true });`);
    const { outcome, described } = runInFreshProcess(scenario, 'auto', [scenario.outside]);
    expect(outcome.ok && outcome.value, show(outcome)).toEqual({ ran: true });
    expect(outcome.protections).toMatchObject({ isolation: 'node', os_layer: null });
    expect(outcome.protections.warnings?.join('\n')).toMatch(/OS sandbox layer is off \(bubblewrap \(bwrap\) is not installed.*apt-get install bubblewrap/);
    expect(described.protections.warnings?.join('\n')).toMatch(/OS sandbox layer is off/);
  });

  it('with bwrap hidden from PATH, "os" refuses before any tool code runs, with the install hint', async () => {
    const scenario = await createScenario(`export default () => { console.log('tool code ran'); return { ran: true }; };`);
    const { outcome, described } = runInFreshProcess(scenario, 'os', [scenario.outside]);
    expect(outcome, show(outcome)).toMatchObject({ ok: false, kind: 'isolation', message: expect.stringMatching(/sandbox\.isolation is "os".*not installed/) });
    if (!outcome.ok) expect(outcome.hint).toMatch(/apt-get install bubblewrap.*dnf install bubblewrap.*pacman -S bubblewrap/);
    expect(outcome.logs).toEqual([]);
    expect(described.refused).toMatch(/not installed/);
  });

  it('a bwrap the kernel refuses (user namespaces off) is detected from the launch and its reason kept', async () => {
    const scenario = await createScenario(`export default () => ({ ran: true });`);
    await writeRefusingLauncher(scenario.outside, 'bwrap', 'bwrap: No permissions to create new namespace, likely because the kernel does not allow non-privileged user namespaces.');
    const auto = runInFreshProcess(scenario, 'auto', [scenario.outside, ...SYSTEM_DIRS]);
    expect(auto.outcome.ok && auto.outcome.value, show(auto.outcome)).toEqual({ ran: true });
    expect(auto.outcome.protections.warnings?.join('\n')).toMatch(/No permissions to create new namespace/);
    const os = runInFreshProcess(scenario, 'os', [scenario.outside, ...SYSTEM_DIRS]);
    expect(os.outcome, show(os.outcome)).toMatchObject({ ok: false, kind: 'isolation', message: expect.stringMatching(/No permissions to create new namespace/) });
  });

  it.runIf(hasOsLayer)('a tool that prints a bwrap error cannot talk the sandbox out of the OS layer', async () => {
    const scenario = await createScenario(`export default () => { console.error('bwrap: setting up uid map: Permission denied'); process.exit(1); };`);
    const first = await runTool(scenario);
    expect(first, show(first)).toMatchObject({ ok: false, kind: 'crash', protections: { isolation: 'os' } });
    const after = await runTool(await createScenario(`export default () => ({ ran: true });`));
    expect(after.protections.isolation).toBe('os');
  });
});
