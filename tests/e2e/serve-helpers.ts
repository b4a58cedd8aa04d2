// Shared by the serve tests: a workspace with the shipped tools, a tool that sleeps on
// demand (timeouts, cancellation), a saved pipeline; the real `toolsmith serve` process;
// and the processes under it, read from /proc (a cancelled call's sandbox must be gone).
import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { BIN, ROOT, createWorkspace, promoteTool } from '../helpers.js';

export const SLEEPY_SPEC = {
  tool_name: 'sleepy_echo',
  description: 'Echoes a text, after sleeping if asked to.',
  input_schema: { type: 'object', properties: { text: { type: 'string' }, sleep_ms: { type: 'integer', minimum: 0 } }, required: ['text'], additionalProperties: false },
  output_schema: { type: 'object', properties: { text: { type: 'string' } }, required: ['text'], additionalProperties: false },
  when_to_use: 'When a test needs a tool that takes as long as it is told.',
  what_it_does: 'Waits sleep_ms milliseconds, then returns the text.',
  returns: 'The text.',
  prerequisites: 'None.',
};
export const SLEEPY_IMPL = `export interface Input { text: string; sleep_ms?: number }
export interface Output { text: string }
export default async function sleepyEcho(input: Input): Promise<Output> {
  if (input.sleep_ms) await new Promise((resolve) => setTimeout(resolve, input.sleep_ms));
  return { text: input.text };
}
`;
export const SLEEPY_TESTS = [{ name: 'echo', input: { text: 'hi' }, expected: { text: 'hi' } }];

/** The tools this repository ships (registry/). */
export const SHIPPED = ['csv_group_count', 'json_pointer_get', 'stats_report', 'text_stats'];

/**
 * A workspace holding the shipped registry, sleepy_echo and pipelines/text_report.json,
 * with a short time limit so a hanging call ends quickly.
 */
export async function createServeWorkspace(timeoutMs = 3000): Promise<string> {
  const ws = createWorkspace();
  cpSync(path.join(ROOT, 'registry'), path.join(ws, 'registry'), { recursive: true });
  const configFile = path.join(ws, 'toolsmith.config.json');
  const config = JSON.parse(readFileSync(configFile, 'utf8')) as { sandbox?: Record<string, unknown> };
  config.sandbox = { ...config.sandbox, timeout_ms: timeoutMs };
  writeFileSync(configFile, JSON.stringify(config, null, 2));
  await promoteTool(ws, SLEEPY_SPEC, SLEEPY_IMPL, SLEEPY_TESTS);
  mkdirSync(path.join(ws, 'pipelines'));
  cpSync(path.join(ROOT, 'examples', 'pipelines', 'text_report.json'), path.join(ws, 'pipelines', 'text_report.json'));
  return ws;
}

/** The environment a served process gets: the test's (its private TMPDIR and cache), no colour. */
export function serveEnv(extra: NodeJS.ProcessEnv = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries({ ...process.env, NO_COLOR: '1', ...extra })) if (value !== undefined) env[key] = value;
  return env;
}

export interface HttpServe {
  child: ChildProcess;
  url: URL;
  stderr: () => string;
  stop(): Promise<number | null>;
}

/** Starts `toolsmith serve --http --port 0 ...` and waits for its `listening on URL` line. */
export async function startHttpServe(ws: string, args: string[] = [], env: NodeJS.ProcessEnv = {}): Promise<HttpServe> {
  const child = spawn(process.execPath, [BIN, 'serve', '--http', '--port', '0', ...args], { cwd: ws, env: serveEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  child.stderr.setEncoding('utf8').on('data', (text: string) => (err += text));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = await new Promise<URL>((resolve, reject) => {
    const timer = setInterval(() => {
      const match = /listening on (http:\/\/\S+)/.exec(err);
      if (match?.[1] !== undefined) {
        clearInterval(timer);
        resolve(new URL(match[1]));
      }
    }, 20);
    void exited.then((code) => {
      clearInterval(timer);
      reject(new Error(`serve exited with ${String(code)} before listening: ${err}`));
    });
  });
  return {
    child,
    url,
    stderr: () => err,
    async stop() {
      child.kill('SIGTERM');
      return exited;
    },
  };
}

/** Every process below `pid` (children, their children...), from /proc. */
export function descendants(pid: number): number[] {
  const parent = new Map<number, number>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      // The command name (field 2) may hold spaces and parentheses: fields after the last ')'.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      parent.set(Number(name), Number(fields[1]));
    } catch {
      // the process ended while we read
    }
  }
  const found: number[] = [];
  const walk = (at: number): void => {
    for (const [child, ppid] of parent) {
      if (ppid === at) {
        found.push(child);
        walk(child);
      }
    }
  };
  walk(pid);
  return found;
}

/** Whether a process still exists (a zombie counts as gone: it runs nothing). */
export function isAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

/** Polls `check` until it returns true, or fails after `limitMs` (a bound against hangs, not a timing assertion). */
export async function waitFor(check: () => boolean, what: string, limitMs = 20_000): Promise<void> {
  const until = Date.now() + limitMs;
  while (!check()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
