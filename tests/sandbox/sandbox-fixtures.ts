/**
 * Shared set-up for the sandbox tests: the BUILT sandbox (so the harness resolves to
 * dist/sandbox/harness.js, as in production) and one temporary folder per scenario.
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Permission } from '../../src/models/index.js';
import type * as SandboxModule from '../../src/sandbox/index.js';
import type { SandboxLimits, SandboxOutcome } from '../../src/sandbox/index.js';

const builtIndex = fileURLToPath(new URL('../../dist/sandbox/index.js', import.meta.url));
if (!existsSync(builtIndex)) {
  throw new Error(`${builtIndex} is missing: run \`npx tsc -p tsconfig.json\` (the global setup runs \`npm run build\`)`);
}
// `as`: dist/sandbox/index.js is compiled from src/sandbox/index.ts, whose types these are.
export const sandbox = (await import(builtIndex)) as typeof SandboxModule;

export const LIMITS: SandboxLimits = { timeoutMs: 15_000, maxHeapMb: 128, maxOutputBytes: 1_000_000 };

const scenarios: string[] = [];

/** One scenario's folders: the tool's package, a working directory, and a folder outside both. */
export interface Scenario {
  root: string;
  packageDir: string;
  entry: string;
  cwd: string;
  outside: string;
}

/** Writes `source` as the tool's entry (plus any extra package files) into a fresh temporary tree. */
export async function createScenario(source: string, files: Record<string, string> = {}): Promise<Scenario> {
  const root = await mkdtemp(path.join(os.tmpdir(), 'toolsmith-sandbox-'));
  scenarios.push(root);
  const scenario = {
    root,
    packageDir: path.join(root, 'pkg'),
    entry: path.join(root, 'pkg', 'tool.mjs'),
    cwd: path.join(root, 'work'),
    outside: path.join(root, 'outside'),
  };
  await Promise.all([scenario.packageDir, scenario.cwd, scenario.outside].map((dir) => mkdir(dir)));
  await writeFile(scenario.entry, source);
  for (const [name, text] of Object.entries(files)) await writeFile(path.join(scenario.packageDir, name), text);
  return scenario;
}

export interface RunToolOptions {
  permissions?: Permission[];
  input?: unknown;
  limits?: Partial<SandboxLimits>;
}

/** Runs a scenario's tool through the built sandbox. */
export function runTool(scenario: Scenario, options: RunToolOptions = {}): Promise<SandboxOutcome> {
  return sandbox.runInSandbox({
    toolId: 'test_tool',
    entry: scenario.entry,
    packageDir: scenario.packageDir,
    permissions: options.permissions ?? [],
    input: options.input ?? {},
    limits: { ...LIMITS, ...options.limits },
    cwd: scenario.cwd,
  });
}

/** Removes every scenario folder created so far. */
export async function removeScenarios(): Promise<void> {
  await Promise.all(scenarios.splice(0).map((root) => rm(root, { recursive: true, force: true })));
}

/** A readable assertion message: the whole outcome when it is not what the test expected. */
export function show(outcome: SandboxOutcome): string {
  return JSON.stringify(outcome, null, 2);
}
