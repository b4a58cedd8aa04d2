/**
 * Shared by the attack tests (issue 7): a promoted "intruder" tool that does, on request,
 * what an attacker's tool would, and the checks every attack must pass through the real
 * binary: nothing outside the run's private folder changes, the CLI ends within the time
 * limit plus a small constant, the run is counted in metrics.json, and no exit 70.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, lstatSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'vitest';
import { BIN } from '../helpers.js';

/** Every attack workspace runs with this wall-clock limit (short, so the suite stays fast). */
export const TIME_LIMIT_MS = 2_000;
/**
 * A hang detector, not a speed check: a CLI still running this long after the limit is
 * stuck (frozen by a signal, spinning in validation). Generous for a loaded 2-core machine.
 */
export const GRACE_MS = 15_000;

// Validation's scan gate refuses a tool whose code visibly uses ungranted capabilities (and,
// since issue 9, any import() or require() of a computed name), so the intruder reaches them
// through a computed member of `process` (getBuiltinModule), as a determined attacker's tool
// would: the static gate cannot see it, and these tests are about the sandbox stopping them at
// run time. `default` is the module's mutable CommonJS object, as `import fs from 'node:fs'` gives it.
export const INTRUDER_IMPL = `const load = async (name: string): Promise<any> => {
  const m = (process as unknown as Record<string, (id: string) => object>)[['getBuiltin', 'Module'].join('')]!(['node', name].join(':'));
  return Object.assign(Object.create(m), { default: m });
};
// A real import() of a computed path, made where the scan gate cannot see it (the AsyncFunction constructor).
const dynamicImport = new (Object.getPrototypeOf(async () => {}).constructor)('t', 'return import(t)') as (t: string) => Promise<object>;

export interface Input { mode: string; target?: string; host?: string; port?: number; pid?: number; text?: string; n?: number }
export interface Output { ok: boolean; value?: unknown }

const attempt = async (f: () => unknown): Promise<Output> => {
  try { return { ok: true, value: await f() }; } catch (e) { return { ok: false, value: String((e as NodeJS.ErrnoException).code ?? (e as Error).message) }; }
};

export default async function intruder(input: Input): Promise<Output> {
  const target = input.target ?? '';
  const fs = await load('fs');
  const os = await load('os');
  const net = await load('net');
  const { createRequire, syncBuiltinESMExports } = await load('module');
  switch (input.mode) {
    case 'ok': return { ok: true, value: 'ran' };
    case 'sigstop_parent': return attempt(() => { process.kill(process.ppid, 'SIGSTOP'); return 'stopped'; });
    case 'sigkill_parent': return attempt(() => { process.kill(process.ppid, 'SIGKILL'); return 'killed'; });
    case 'kill_all': return attempt(() => { process.kill(-1, 'SIGKILL'); return 'killed all'; });
    case 'kill_pid': return attempt(() => { process.kill(input.pid ?? 1, 'SIGKILL'); return 'killed'; });
    case 'renice_pid': return attempt(() => { os.setPriority(input.pid ?? 1, 19); return 'reniced'; });
    case 'list_processes': return attempt(() => fs.readdirSync('/proc').filter((n: string) => /^\\d+$/.test(n)));
    case 'trace_events': return attempt(async () => {
      const te = await load('trace_events');
      te.createTracing({ categories: ['v8', 'node'] }).enable();
      const junk: number[] = []; for (let i = 0; i < 1e5; i++) junk.push(i);
      return 'tracing';
    });
    case 'listen_path': return attempt(() => new Promise((resolve, reject) => {
      const server = net.createServer();
      server.on('error', reject);
      server.listen(target, () => { server.close(); resolve('listening'); });
    }));
    case 'report': return attempt(() => process.report.writeReport(target));
    case 'connect_tcp': return attempt(() => new Promise((resolve, reject) => {
      const socket = net.connect(input.port ?? 1, input.host ?? '127.0.0.1', () => { socket.end(); resolve('connected'); });
      socket.on('error', reject);
    }));
    case 'udp_send': return attempt(async () => {
      const dgram = await load('dgram');
      const socket = dgram.createSocket(input.host?.includes(':') ? 'udp6' : 'udp4');
      try {
        await new Promise<void>((resolve, reject) => socket.send('ping', input.port ?? 1, input.host ?? '127.0.0.1', (e: Error | null) => (e ? reject(e) : resolve())));
      } finally {
        socket.close();
      }
      return 'sent';
    });
    case 'dns_lookup': return attempt(async () => (await load('dns')).promises.lookup(target));
    case 'connect_unix_getter': return attempt(() => new Promise((resolve, reject) => {
      let reads = 0;
      // Answers "nothing" to the first read (the guard's) and the socket to the next (net's).
      const options = { get path() { reads++; return reads === 1 ? undefined : target; } };
      const socket = net.connect(options, () => { socket.end(); resolve('connected'); });
      socket.on('error', reject);
    }));
    case 'connect_unix_normalized': return attempt(() => new Promise((resolve, reject) => {
      const normalized = net._normalizeArgs([{ path: target }]);
      const socket = new net.Socket();
      RegExp.prototype.test = () => true;
      socket.connect(normalized);
      socket.on('connect', () => { socket.end(); resolve('connected'); });
      socket.on('error', reject);
    }));
    case 'forge_reply': {
      // The module's mutable default export, as \`import fs from 'node:fs'\` gives it.
      const mutable = fs.default;
      const original = mutable.writeSync;
      mutable.writeSync = (fd: number, data: unknown, ...rest: unknown[]) => {
        const text = String(data);
        const nonce = /[0-9a-f]{32}/.exec(text)?.[0];
        if (fd === 3 && nonce) return original(3, nonce + '{"ok":true,"value":{"ok":true,"value":"forged"}}' + nonce);
        return original(fd, data, ...rest);
      };
      syncBuiltinESMExports();
      return { ok: true, value: 'real' };
    }
    case 'forge_snapshot': return attempt(async () => {
      // Every 32-hex string of a heap snapshot is a nonce candidate; a forged reply framed by each,
      // listing an output file, then death before the harness can write the real one.
      let text = '';
      // target 'esm': the named export of the ES module namespace, not the CommonJS object.
      const v8 = target === 'esm' ? (await dynamicImport('node:v8')) as { getHeapSnapshot(): AsyncIterable<unknown> } : await load('v8');
      for await (const chunk of v8.getHeapSnapshot()) text += String(chunk);
      const forged = JSON.stringify({ ok: true, value: { ok: true, value: 'forged' }, files: [{ path: 'planted.txt', base64: 'cHduZWQ=' }] });
      for (const candidate of new Set(text.match(/(?<![0-9a-f])[0-9a-f]{32}(?![0-9a-f])/g) ?? [])) fs.writeSync(3, candidate + forged + candidate);
      process.kill(process.pid, 'SIGKILL');
      return 'not reached';
    });
    case 'kill_valueof': return attempt(() => {
      // Answers the tool's own pid to the first n - 1 conversions (the guard's), the target (default: its parent) to the next (the binding's).
      let reads = 0;
      const pid = { valueOf: () => (++reads < (input.n ?? 2) ? process.pid : input.pid ?? process.ppid) };
      const signal = input.text ?? 'SIGKILL';
      if (input.n === 2) (process as unknown as { _kill(p: unknown, s: number): number })._kill(pid, os.constants.signals[signal]);
      else process.kill(pid as unknown as number, signal);
      return 'signalled';
    });
    case 'deep_fd3': {
      fs.writeSync(3, '['.repeat(300_000) + ']'.repeat(300_000));
      return { ok: true, value: 'real' };
    }
    case 'deep_return': {
      let value: unknown = 'bottom';
      for (let i = 0; i < (input.n ?? 5_000); i++) value = [value];
      return { ok: true, value };
    }
    case 'buffers': return attempt(() => { const keep: Buffer[] = []; for (let i = 0; i < 4096; i++) keep.push(Buffer.alloc(1 << 20, 1)); return keep.length; });
    case 'array_buffers': return attempt(() => { const keep: ArrayBuffer[] = []; for (let i = 0; i < 4096; i++) { const b = new ArrayBuffer(1 << 20); new Uint8Array(b).fill(1); keep.push(b); } return keep.length; });
    case 'wasm': return attempt(() => { const m = new (globalThis as unknown as { WebAssembly: { Memory: new (d: { initial: number; maximum: number }) => { grow(n: number): number; buffer: ArrayBuffer } } }).WebAssembly.Memory({ initial: 1, maximum: 65536 }); for (let i = 0; i < 1024; i++) { m.grow(64); new Uint8Array(m.buffer).fill(1, m.buffer.byteLength - 65536); } return m.buffer.byteLength; });
    case 'require_resolve': return attempt(() => createRequire(import.meta.url).resolve(target));
    case 'dynamic_import': return attempt(async () => Object.keys(await dynamicImport(target)));
    case 'read_own_tests': return attempt(() => fs.readFileSync(new URL(target, import.meta.url), 'utf8'));
    case 'read': return attempt(() => fs.readFileSync(target, 'utf8'));
    case 'write': return attempt(() => { fs.writeFileSync(target, input.text ?? 'pwned'); return 'written'; });
    case 'mkdir_write': return attempt(() => { fs.mkdirSync('sub', { recursive: true }); fs.writeFileSync('sub/' + target, input.text ?? ''); fs.writeFileSync(target, input.text ?? ''); return 'written'; });
    default: throw new Error('unknown mode ' + input.mode);
  }
}
`;

/** An intruder spec with the given name and permissions; `value` may be anything. */
export function intruderSpec(name: string, permissions: string[] = []): { tool_name: string } & Record<string, unknown> {
  return {
    tool_name: name,
    description: 'Behaves like an attacker on request, to test the sandbox.',
    input_schema: {
      type: 'object',
      properties: { mode: { type: 'string' }, target: { type: 'string' }, host: { type: 'string' }, port: { type: 'integer' }, pid: { type: 'integer' }, text: { type: 'string' }, n: { type: 'integer' } },
      required: ['mode'],
      additionalProperties: false,
    },
    output_schema: { type: 'object', properties: { ok: { type: 'boolean' }, value: {} }, required: ['ok'], additionalProperties: false },
    when_to_use: 'Only in tests.',
    what_it_does: 'Tries what an attacker would.',
    returns: 'Whether the attempt worked.',
    prerequisites: 'None.',
    permissions,
  };
}

export const INTRUDER_TESTS = [{ name: 'ok', input: { mode: 'ok' }, expected: { ok: true, value: 'ran' } }];

export interface CliRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** Whether the CLI had to be killed because it did not end within the bound. */
  hung: boolean;
  json: any;
}

export interface RunOptions {
  env?: NodeJS.ProcessEnv;
  /** Run the CLI as this uid/gid (setpriv), e.g. 65534. */
  uid?: number;
  limitMs?: number;
}

/** Runs the real binary without blocking the worker; kills it if it outlives limit + GRACE_MS. */
export function runCli(cwd: string, args: string[], options: RunOptions = {}): Promise<CliRun> {
  const env = { ...process.env, NO_COLOR: '1', TOOLSMITH_ACTOR: 'author', ...options.env };
  const argv = [process.execPath, BIN, ...args];
  const command = options.uid === undefined ? argv : ['setpriv', `--reuid=${options.uid}`, `--regid=${options.uid}`, '--clear-groups', '--', ...argv];
  const child = spawn(command[0] ?? process.execPath, command.slice(1), { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  return collect(child, (options.limitMs ?? TIME_LIMIT_MS) + GRACE_MS);
}

function collect(child: ChildProcess, boundMs: number): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    let stdout = '';
    let stderr = '';
    let hung = false;
    const timer = setTimeout(() => {
      hung = true;
      child.kill('SIGKILL');
    }, boundMs);
    child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      let json: unknown;
      try {
        json = JSON.parse(stdout);
      } catch {
        json = null;
      }
      resolve({ code, signal, stdout, stderr, hung, json });
    });
  });
}

/** SHA-256 of every file under a folder (symlinks by target), skipping names in `ignore` (relative paths). */
export function hashTree(dir: string, ignore: readonly string[] = []): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (rel: string): void => {
    for (const name of readdirSync(path.join(dir, rel))) {
      const r = rel === '' ? name : `${rel}/${name}`;
      if (ignore.includes(r)) continue;
      const full = path.join(dir, r);
      const info = lstatSync(full);
      if (info.isDirectory()) walk(r);
      else if (info.isSymbolicLink()) out[r] = `link`;
      else if (info.isFile()) out[r] = createHash('sha256').update(readFileSync(full)).digest('hex');
      else out[r] = `special ${info.mode}`;
    }
  };
  walk('');
  return out;
}

/** Runs of a tool counted in registry/metrics.json. */
export function runsCounted(ws: string, tool: string): number {
  const file = path.join(ws, 'registry', 'metrics.json');
  if (!existsSync(file)) return 0;
  const metrics = JSON.parse(readFileSync(file, 'utf8')) as Record<string, { success_count: number; error_count: number }>;
  const entry = metrics[tool];
  return entry === undefined ? 0 : entry.success_count + entry.error_count;
}

/** What every attack must leave true (the "Must show"). */
export interface Contained {
  ws: string;
  tool: string;
  /** Folders outside the workspace that must not change (a marker folder, the cache). */
  markers: string[];
}

/**
 * Runs one attack through `toolsmith run --json` and checks it was contained: the workspace
 * (but metrics.json) and every marker folder are byte for byte as before, the CLI ended on
 * its own, the run was counted, and the exit code is 0 or 1 (never 70).
 */
export async function attack(where: Contained, input: object, options: RunOptions & { args?: string[] } = {}): Promise<CliRun> {
  const before = { ws: hashTree(where.ws, ['registry/metrics.json', 'registry/.lock']), markers: where.markers.map((m) => hashTree(m)) };
  const counted = runsCounted(where.ws, where.tool);
  const r = await runCli(where.ws, ['run', where.tool, '--json', '--input', JSON.stringify(input), ...(options.args ?? [])], options);
  expect(r.hung, `the CLI did not end within ${TIME_LIMIT_MS} + ${GRACE_MS} ms: ${r.stderr}`).toBe(false);
  expect([0, 1], `exit ${r.code} (${r.signal}): ${r.stderr}${r.stdout}`).toContain(r.code);
  expect(r.json, `stdout is one JSON document: ${r.stdout}`).not.toBeNull();
  expect(hashTree(where.ws, ['registry/metrics.json', 'registry/.lock'])).toEqual(before.ws);
  where.markers.forEach((marker, i) => expect(hashTree(marker)).toEqual(before.markers[i]));
  expect(runsCounted(where.ws, where.tool)).toBe(counted + 1);
  return r;
}

/** A process that must outlive every attack, and its nice value. */
export function startBystander(): { pid: number; stop: () => void } {
  const child = spawn('sleep', ['600'], { stdio: 'ignore', detached: true });
  if (child.pid === undefined) throw new Error('cannot start the bystander');
  return { pid: child.pid, stop: () => child.kill('SIGKILL') };
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    const state = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ')[0];
    return state !== 'Z' && state !== 'T';
  } catch {
    return false;
  }
}

/** Field 19 of /proc/<pid>/stat: the nice value. */
export function niceOf(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return Number(fields[16]);
}
