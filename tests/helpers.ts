import { spawnSync, spawn, type SpawnSyncReturns } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { createHash } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const BIN = path.join(ROOT, 'bin', 'toolsmith.js');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * The actor a command runs as: `author` (who generates), except that `approve --reviewer X`
 * runs as X, as a reviewer approving on their own machine would (the author may not record
 * an approval under another name). A test that wants another actor passes TOOLSMITH_ACTOR.
 */
function defaultActor(args: string[]): string {
  const reviewer = args[0] === 'approve' ? args[args.indexOf('--reviewer') + 1] : undefined;
  return args[0] === 'approve' && args.includes('--reviewer') && reviewer ? reviewer : 'author';
}

/**
 * Runs the real toolsmith binary, without a TTY and without colour. `timeout` (ms) guards
 * against a hang: the process is killed and the result's code is -1.
 */
export function toolsmith(cwd: string, args: string[], options: { env?: NodeJS.ProcessEnv; input?: string; timeout?: number } = {}): CliResult {
  const result: SpawnSyncReturns<string> = spawnSync(process.execPath, [BIN, ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', TOOLSMITH_ACTOR: defaultActor(args), ...options.env },
    input: options.input ?? '',
    maxBuffer: 64 * 1024 * 1024,
    ...(options.timeout ? { timeout: options.timeout, killSignal: 'SIGKILL' as const } : {}),
  });
  return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

/** Starts the binary without waiting (for concurrency and kill tests). */
export function toolsmithAsync(cwd: string, args: string[], env: NodeJS.ProcessEnv = {}) {
  return spawn(process.execPath, [BIN, ...args], { cwd, env: { ...process.env, NO_COLOR: '1', TOOLSMITH_ACTOR: defaultActor(args), ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
}

const tempDirs: string[] = [];

/**
 * A fresh temporary folder, removed after the test file ends (tests/setup-yield.ts calls
 * removeTempDirs): tests never leave temporary folders behind (tests/global-setup.ts checks).
 */
export function tempDir(prefix = 'toolsmith-test-'): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  tempDirs.push(dir);
  return dir;
}

/** Removes every folder tempDir() created so far. */
export function removeTempDirs(): void {
  for (const dir of tempDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** A fresh temporary workspace created with `toolsmith init`. */
export function createWorkspace(): string {
  const dir = tempDir('toolsmith-test-');
  const init = toolsmith(dir, ['init', '.']);
  if (init.code !== 0) throw new Error(`init failed: ${init.stderr}`);
  return dir;
}

/** SHA-256 of every file under a folder, by relative path: compare before/after to prove nothing changed. */
export function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (rel: string) => {
    for (const name of readdirSync(path.join(dir, rel))) {
      const r = rel ? `${rel}/${name}` : name;
      const full = path.join(dir, r);
      if (statSync(full).isDirectory()) walk(r);
      else out[r] = createHash('sha256').update(readFileSync(full)).digest('hex');
    }
  };
  walk('');
  return out;
}

export const WORD_COUNT_SPEC = {
  tool_name: 'word_count',
  description: 'Counts the words in a text.',
  input_schema: { type: 'object', properties: { text: { type: 'string' } }, required: ['text'], additionalProperties: false },
  output_schema: { type: 'object', properties: { words: { type: 'integer' } }, required: ['words'], additionalProperties: false },
  when_to_use: 'When you need the number of words in a text.',
  what_it_does: 'Splits the text on whitespace and counts the non-empty parts.',
  returns: 'An object with the word count.',
  prerequisites: 'None.',
};

export const WORD_COUNT_IMPL = `export interface Input { text: string }
export interface Output { words: number }
export default async function wordCount(input: Input): Promise<Output> {
  console.log('counting words');
  return { words: input.text.split(/\\s+/).filter(Boolean).length };
}
`;

export const WORD_COUNT_TESTS = [
  { name: 'empty', input: { text: '' }, expected: { words: 0 } },
  { name: 'three', input: { text: 'a b  c' }, expected: { words: 3 } },
  { name: 'missing text', input: {}, expect_error: 'ValidationError' },
];

/** Writes a spec file into the workspace and returns its path. */
export function writeSpec(ws: string, spec: object, name = 'spec.json'): string {
  const file = path.join(ws, name);
  writeFileSync(file, JSON.stringify(spec, null, 2));
  return file;
}

/** generate + implement (as a user would, editing the files) + validate + stage + approve + promote. */
export function promoteTool(ws: string, spec: object & { tool_name: string }, impl: string, tests: object[], reviewer = 'reviewer'): void {
  const id = spec.tool_name;
  const steps: Array<[string[], (() => void)?]> = [
    [['generate', '--spec', writeSpec(ws, spec, `${id}.spec.json`)], () => {
      writeFileSync(path.join(ws, 'staged', id, 'index.ts'), impl);
      writeFileSync(path.join(ws, 'staged', id, 'tests.json'), JSON.stringify(tests, null, 2));
    }],
    [['validate', id]],
    [['stage', id]],
    [['approve', id, '--reviewer', reviewer]],
    [['promote', id]],
  ];
  for (const [args, after] of steps) {
    const r = toolsmith(ws, args);
    if (r.code !== 0) throw new Error(`toolsmith ${args.join(' ')} exited ${r.code}: ${r.stderr}${r.stdout}`);
    after?.();
  }
}

export function mkdirp(dir: string): void {
  mkdirSync(dir, { recursive: true });
}
