/**
 * Helpers shared by the end-to-end tests. What a test asserts goes through the real binary
 * (tests/helpers.ts); these add parsing, file edits a user would make, and the preparation
 * of state through the core in-process (prepareApproved).
 */
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'vitest';
import { BIN, inProcess, promoteTool, snapshot, tempDir, toolsmith, toolsmithAsync, writeSpec, type CliResult } from '../helpers.js';

/** Parses stdout as exactly one JSON document (JSON.parse refuses anything after it). */
export function parseOneJson(stdout: string): unknown {
  expect(stdout.trim().length, 'stdout is empty: expected one JSON document').toBeGreaterThan(0);
  return JSON.parse(stdout) as unknown;
}

export interface JsonResult extends CliResult {
  /** The parsed document; `any` so tests can read fields without casts. */
  json: any;
}

/** Runs a command with --json and parses its stdout (one JSON document, success or error). */
export function toolsmithJson(cwd: string, args: string[], options: { env?: NodeJS.ProcessEnv; input?: string } = {}): JsonResult {
  const r = toolsmith(cwd, [...args, '--json'], options);
  let json: unknown;
  try {
    json = JSON.parse(r.stdout);
  } catch (error) {
    throw new Error(`toolsmith ${args.join(' ')} --json did not print exactly one JSON document (exit ${r.code}):\n--- stdout\n${r.stdout}\n--- stderr\n${r.stderr}\n${String(error)}`);
  }
  return { ...r, json };
}

/** Runs a command that must succeed; returns its result. */
export function ok(cwd: string, args: string[], env?: NodeJS.ProcessEnv): CliResult {
  const r = toolsmith(cwd, args, env ? { env } : {});
  if (r.code !== 0) throw new Error(`toolsmith ${args.join(' ')} exited ${r.code}:\n${r.stderr}${r.stdout}`);
  return r;
}

/** A stack trace line as Node prints it. */
export const STACK_LINE = /^\s{4}at /m;

/** Asserts a refused/failed command: exit code, one reason line (plus an optional hint line) on stderr, no stack. */
export function expectOneLineError(r: CliResult, code: number, reason: RegExp): void {
  expect(r.code, `stderr: ${r.stderr}\nstdout: ${r.stdout}`).toBe(code);
  const lines = r.stderr.trimEnd().split('\n');
  expect(lines[0]).toMatch(/^toolsmith: /);
  expect(lines[0]).toMatch(reason);
  // SPEC 5: one clear line plus a hint.
  expect(lines.length).toBeLessThanOrEqual(2);
  if (lines.length === 2) expect(lines[1]).toMatch(/^hint: /);
  expect(r.stderr).not.toMatch(STACK_LINE);
}

/**
 * Runs a command that must be refused and must leave every file of the workspace as it was.
 * Returns the result for further checks.
 */
export function expectRefusedUnchanged(ws: string, args: string[], code: number, reason: RegExp, options: { env?: NodeJS.ProcessEnv } = {}): CliResult {
  const before = snapshot(ws);
  const r = toolsmith(ws, args, options);
  expectOneLineError(r, code, reason);
  expect(r.stdout).toBe('');
  expect(snapshot(ws)).toEqual(before);
  return r;
}

/** Writes a candidate's implementation and tests, as a user would after `generate`. */
export function implement(ws: string, id: string, impl: string, tests?: object[]): void {
  writeFileSync(path.join(ws, 'staged', id, 'index.ts'), impl);
  if (tests) writeFileSync(path.join(ws, 'staged', id, 'tests.json'), JSON.stringify(tests, null, 2)); // as promoteTool writes it
}

/** Changes toolsmith.config.json (deep-merges one level: policy, sandbox, ...). */
export function patchConfig(ws: string, patch: Record<string, Record<string, unknown>>): void {
  const file = path.join(ws, 'toolsmith.config.json');
  const config = JSON.parse(readFileSync(file, 'utf8')) as Record<string, Record<string, unknown>>;
  for (const [key, value] of Object.entries(patch)) config[key] = { ...(config[key] ?? {}), ...value };
  writeFileSync(file, `${JSON.stringify(config, null, 2)}\n`);
}

export function readJsonFile(file: string): any {
  return JSON.parse(readFileSync(file, 'utf8')) as unknown;
}

export interface AsyncResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Spawns the binary and resolves when it exits. */
export function runAsync(cwd: string, args: string[]): Promise<AsyncResult> {
  return waitFor(toolsmithAsync(cwd, args));
}

/** Collects a spawned process's output and exit. */
export function waitFor(child: ReturnType<typeof toolsmithAsync>): Promise<AsyncResult> {
  return new Promise((resolve, reject) => {
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

/** Runs many commands with at most `limit` processes at once; every one must exit 0. */
export async function runAllOk(cwd: string, commands: string[][], limit = 3): Promise<void> {
  const queue = [...commands];
  const failures: string[] = [];
  const worker = async () => {
    for (let args = queue.shift(); args; args = queue.shift()) {
      const r = await runAsync(cwd, args);
      if (r.code !== 0) failures.push(`toolsmith ${args.join(' ')} exited ${r.code ?? r.signal}: ${r.stderr}${r.stdout}`);
    }
  };
  await Promise.all(Array.from({ length: limit }, worker));
  if (failures.length > 0) throw new Error(failures.join('\n'));
}

/** A minimal spec: { n: integer } -> { n: integer }. */
export function echoSpec(name: string): { tool_name: string } & Record<string, unknown> {
  return {
    tool_name: name,
    description: `Echoes n (${name}).`,
    input_schema: { type: 'object', properties: { n: { type: 'integer' } }, required: ['n'], additionalProperties: false },
    output_schema: { type: 'object', properties: { n: { type: 'integer' } }, required: ['n'], additionalProperties: false },
    when_to_use: 'When a test needs a trivial tool.',
    what_it_does: 'Returns its input.',
    returns: 'The same n.',
    prerequisites: 'None.',
  };
}

export const ECHO_IMPL = `export default async function echo(input: { n: number }): Promise<{ n: number }> {
  return { n: input.n };
}
`;
export const ECHO_TESTS = [{ name: 'one', input: { n: 1 }, expected: { n: 1 } }];

/**
 * Prepares APPROVED candidates as users do (generate, implement, validate, stage, approve),
 * in-process through the core (tests/helpers.ts `inProcess`): the same files and audit lines
 * as the binary leaves, without a process per step. ONE `validate --all`, as before.
 */
export async function prepareApproved(ws: string, ids: string[], options: { reviewer?: string; afterImplement?: (id: string) => void } = {}): Promise<void> {
  const reviewer = options.reviewer ?? 'reviewer';
  for (const id of ids) await inProcess.generate(ws, writeSpec(ws, echoSpec(id), `${id}.spec.json`));
  for (const id of ids) {
    implement(ws, id, ECHO_IMPL, ECHO_TESTS);
    options.afterImplement?.(id);
  }
  await inProcess.validateOk(ws, 'all');
  for (const id of ids) await inProcess.stage(ws, id);
  for (const id of ids) await inProcess.approve(ws, id, reviewer);
}

/** A closed object schema whose every property is required. */
export const closedObject = (properties: Record<string, unknown>): { type: string } & Record<string, unknown> => ({ type: 'object', properties, required: Object.keys(properties), additionalProperties: false });

/** A small tool for chain tests: its schemas, its implementation and its test cases. */
export interface StepTool {
  name: string;
  input: { type: string } & Record<string, unknown>;
  output: { type: string } & Record<string, unknown>;
  code: string;
  tests: object[];
}

/** Promotes a chain test's tool in-process (promoteTool), with a spec made from its schemas. */
export async function promoteStepTool(ws: string, tool: StepTool): Promise<void> {
  const spec = { tool_name: tool.name, description: `The ${tool.name} step.`, input_schema: tool.input, output_schema: tool.output, when_to_use: 'In tests.', what_it_does: 'One step.', returns: 'An object.', prerequisites: 'None.' };
  await promoteTool(ws, spec, `${tool.code}\n`, tool.tests);
}

/** Whether util-linux `script` (bsdutils, in every Debian) is here to give the binary a pseudo-terminal. */
const hasScript = spawnSync('script', ['--version']).status === 0;

/** Strips ANSI escapes so terminal text can be matched. */
export const plainTerminal = (s: string): string => s.replace(/\x1b\[[0-9;?]*[a-zA-Z]/g, '');

/** The built binary as a shell command line, for `script -c`. */
export const BIN_COMMAND = `${JSON.stringify(process.execPath)} ${JSON.stringify(BIN)}`;

export interface Terminal {
  child: ChildProcessWithoutNullStreams;
  /** Everything the terminal showed so far (capped at 1 MB), and how many bytes came. */
  view: { screen: string; bytes: number };
  exited: Promise<number | null>;
}

/**
 * Runs a shell command line in a pseudo-terminal (util-linux `script`), as a developer's
 * terminal: no CI variable (progress is off on CI), TERM=xterm, NO_COLOR, its own TMPDIR.
 * Type into it with `child.stdin.write`; read it with waitForText.
 */
export function inTerminal(ws: string, commandLine: string, options: { tmpdir?: string; env?: NodeJS.ProcessEnv } = {}): Terminal {
  if (!hasScript) throw new Error('util-linux `script` is needed for terminal tests (apt-get install bsdutils)');
  const { CI: _ci, ...env } = process.env;
  const tmpdir = options.tmpdir ?? tempDir('toolsmith-tty-tmp-');
  const child = spawn('script', ['-qfec', commandLine, '/dev/null'], { cwd: ws, env: { ...env, NO_COLOR: '1', TERM: 'xterm', TOOLSMITH_ACTOR: 'author', TMPDIR: tmpdir, ...options.env } });
  const view = { screen: '', bytes: 0 };
  child.stdout.on('data', (d: Buffer) => {
    view.bytes += d.length;
    if (view.screen.length < 1_000_000) view.screen += d.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
  return { child, view, exited };
}

/** Waits until the terminal shows `pattern` (escapes stripped), failing with the screen after `ms`. */
export async function waitForText(view: { screen: string }, pattern: RegExp, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!pattern.test(plainTerminal(view.screen)) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  expect(plainTerminal(view.screen), `waiting for ${pattern}`).toMatch(pattern);
}

/** The terminal's exit code, or 'hung' (the child killed) when it has not exited within `ms`. */
export async function terminalExit(terminal: Terminal, ms: number): Promise<number | null | 'hung'> {
  const code = await Promise.race([terminal.exited, new Promise<'hung'>((r) => setTimeout(() => r('hung'), ms))]);
  if (code === 'hung') terminal.child.kill('SIGKILL');
  return code;
}
