/**
 * Shared set-up for the sandbox tests: the BUILT sandbox (so the harness resolves to
 * dist/sandbox/harness.js, as in production) and one temporary folder per scenario.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Permission } from '../../src/models/index.js';
import type * as SandboxModule from '../../src/sandbox/index.js';
import type * as DescribeModule from '../../src/sandbox/describe-protections.js';
import type { Isolation, SandboxLimits, SandboxOutcome } from '../../src/sandbox/index.js';

const builtIndex = fileURLToPath(new URL('../../dist/sandbox/index.js', import.meta.url));
if (!existsSync(builtIndex)) {
  throw new Error(`${builtIndex} is missing: run \`npx tsc -p tsconfig.json\` (the global setup runs \`npm run build\`)`);
}
// `as`: dist/sandbox/index.js is compiled from src/sandbox/index.ts, whose types these are.
export const sandbox = (await import(builtIndex)) as typeof SandboxModule;
export const builtDescribe = fileURLToPath(new URL('../../dist/sandbox/describe-protections.js', import.meta.url));
// `as`: compiled from src/sandbox/describe-protections.ts, whose types these are.
export const { describeProtections } = (await import(builtDescribe)) as typeof DescribeModule;

export const LIMITS: SandboxLimits = { timeoutMs: 15_000, maxHeapMb: 128, maxOutputBytes: 1_000_000, maxMemoryMb: 512, maxScratchMb: 16 };

const scenarios: string[] = [];

/** One scenario's folders: the tool's build folder (its entry is tool.mjs), a working folder, and a folder outside both. */
export interface Scenario {
  root: string;
  packageDir: string;
  cwd: string;
  outside: string;
}

/** Writes `source` as the tool's entry (plus any extra package files) into a fresh temporary tree. */
export async function createScenario(source: string, files: Record<string, string> = {}): Promise<Scenario> {
  const root = await mkdtemp(path.join(os.tmpdir(), 'toolsmith-sandbox-'));
  scenarios.push(root);
  const scenario = { root, packageDir: path.join(root, 'pkg'), cwd: path.join(root, 'work'), outside: path.join(root, 'outside') };
  await Promise.all([scenario.packageDir, scenario.cwd, scenario.outside].map((dir) => mkdir(dir)));
  await writeFile(path.join(scenario.packageDir, 'tool.mjs'), source);
  for (const [name, text] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(scenario.packageDir, name)), { recursive: true });
    await writeFile(path.join(scenario.packageDir, name), text);
  }
  return scenario;
}

/** Every file under a folder, by POSIX relative path: what a resolver hands the sandbox as build files. */
export function readBuildFiles(dir: string): Map<string, Uint8Array> {
  const files = new Map<string, Uint8Array>();
  const walk = (rel: string): void => {
    for (const name of readdirSync(path.join(dir, rel))) {
      const r = rel === '' ? name : `${rel}/${name}`;
      if (statSync(path.join(dir, r)).isDirectory()) walk(r);
      else files.set(r, readFileSync(path.join(dir, r)));
    }
  };
  walk('');
  return files;
}

export interface RunToolOptions {
  permissions?: Permission[];
  input?: unknown;
  limits?: Partial<SandboxLimits>;
  isolation?: Isolation;
  entry?: string;
  readPaths?: string[];
  maskedPaths?: string[];
  fixturesDir?: string | null;
}

/** Runs a scenario's tool through the built sandbox (isolation "auto" unless told). */
export function runTool(scenario: Scenario, options: RunToolOptions = {}): Promise<SandboxOutcome> {
  return sandbox.runInSandbox({
    toolId: 'test_tool',
    buildFiles: readBuildFiles(scenario.packageDir),
    entry: options.entry ?? 'tool.mjs',
    permissions: options.permissions ?? [],
    input: options.input ?? {},
    limits: { ...LIMITS, ...options.limits },
    isolation: options.isolation ?? 'auto',
    readPaths: options.readPaths ?? [],
    maskedPaths: options.maskedPaths ?? [],
    fixturesDir: options.fixturesDir ?? null,
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

/** Whether bubblewrap works on this machine (the OS-layer tests require it; CI installs it). */
export async function osLayerWorks(): Promise<boolean> {
  const { protections } = await describeProtections(LIMITS, [], 'auto');
  return protections.isolation === 'os';
}
