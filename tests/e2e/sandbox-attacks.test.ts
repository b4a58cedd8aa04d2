/**
 * Issue 7's attack classes against a promoted tool, through the real binary: each class with
 * at least two variants of our own. Every attack goes through `attack()`, which checks that
 * nothing outside the run's private folder changed (the workspace but metrics.json, a marker
 * folder, toolsmith's cache), that the CLI ended on its own, that the run was counted in
 * metrics.json, and that the exit code is 0 or 1, never 70.
 */
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorkspace, promoteTool } from '../helpers.js';
import { patchConfig } from './e2e-helpers.js';
import { attack, INTRUDER_IMPL, INTRUDER_TESTS, intruderSpec, isAlive, niceOf, runCli, startBystander, TIME_LIMIT_MS, type Contained } from './attack-helpers.js';

let ws: string;
let marker: string;
let cache: string;
let env: NodeJS.ProcessEnv;
let intruder: Contained;

beforeAll(async () => {
  ws = createWorkspace();
  marker = mkdtempSync(path.join(os.tmpdir(), 'toolsmith-marker-'));
  cache = mkdtempSync(path.join(os.tmpdir(), 'toolsmith-attack-cache-'));
  env = { TOOLSMITH_CACHE_DIR: cache };
  writeFileSync(path.join(marker, 'precious.txt'), 'must not change');
  patchConfig(ws, { sandbox: { timeout_ms: TIME_LIMIT_MS, max_heap_mb: 64, max_memory_mb: 256 } });
  await promoteTool(ws, intruderSpec('intruder'), INTRUDER_IMPL, INTRUDER_TESTS);
  // One run compiles the validators into the cache; from then on the cache must not change either.
  const warm = await runCli(ws, ['run', 'intruder', '--json', '--input', '{"mode":"ok"}'], { env });
  expect(warm.code, warm.stderr).toBe(0);
  intruder = { ws, tool: 'intruder', markers: [marker, cache] };
}, 120_000);

afterAll(() => {
  for (const dir of [ws, marker, cache]) rmSync(dir, { recursive: true, force: true });
});

const run = (input: object) => attack(intruder, input, { env });

describe('signals: a tool cannot stop, kill, renice or even see a process outside its sandbox', () => {
  it.each([
    ['SIGSTOP to its parent (freezing the CLI and its timeout)', { mode: 'sigstop_parent' }],
    ['SIGKILL to its parent (losing the run\'s metrics)', { mode: 'sigkill_parent' }],
    ['kill(-1): every process of the user', { mode: 'kill_all' }],
  ])('%s: the CLI ends normally and a bystander process lives', async (_label, input) => {
    const bystander = startBystander();
    try {
      const r = await run(input);
      expect(r.json.result ?? r.json.error).toBeDefined();
      expect(isAlive(bystander.pid)).toBe(true);
    } finally {
      bystander.stop();
    }
  });

  it.each([
    ['SIGKILL to a bystander by pid', 'kill_pid'],
    ['renice of a bystander by pid', 'renice_pid'],
  ])('%s fails, and the bystander lives with its nice value', async (_label, mode) => {
    const bystander = startBystander();
    try {
      const nice = niceOf(bystander.pid);
      const r = await run({ mode, pid: bystander.pid });
      expect(r.json.result?.ok ?? false).toBe(false);
      expect(isAlive(bystander.pid)).toBe(true);
      expect(niceOf(bystander.pid)).toBe(nice);
    } finally {
      bystander.stop();
    }
  });

  it('sees no process but its own sandbox\'s', async () => {
    const bystander = startBystander();
    try {
      const r = await run({ mode: 'list_processes' });
      if (r.json.result?.ok === true) expect(r.json.result.value).not.toContain(String(bystander.pid));
      else expect(r.json.result?.ok ?? false).toBe(false);
    } finally {
      bystander.stop();
    }
  });
});

describe('Unix sockets: the guard cannot be talked round', () => {
  const servers: net.Server[] = [];
  afterAll(() => servers.forEach((server) => server.close()));

  /** A listener on a socket file in the marker folder, counting who reaches it. */
  async function socketServer(name: string): Promise<{ file: string; connections: () => number }> {
    const file = path.join(marker, name);
    let count = 0;
    const server = net.createServer((socket) => {
      count++;
      socket.destroy();
    });
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(file, resolve));
    chmodSync(file, 0o777);
    return { file, connections: () => count };
  }

  it.each([
    ['a path getter that answers differently on the second read', 'connect_unix_getter'],
    ['net._normalizeArgs with RegExp.prototype.test replaced', 'connect_unix_normalized'],
  ])('%s reaches no socket', async (_label, mode) => {
    const server = await socketServer(`${mode}.sock`);
    // The socket file is part of the marker folder now; it must not change from here on.
    const r = await run({ mode, target: server.file });
    expect(r.json.result?.ok ?? false).toBe(false);
    expect(server.connections()).toBe(0);
  });
});

describe('writes without fs:write', () => {
  it.each([
    ['node:trace_events (past the permission model)', { mode: 'trace_events' }],
    ['net.createServer().listen() on a path (a socket file)', { mode: 'listen_path', target: 'here.sock' }],
    ['listen() on an absolute path in the marker folder', { mode: 'listen_path', target: 'MARKER/planted.sock' }],
    ['process.report.writeReport', { mode: 'report', target: 'report.json' }],
  ])('%s leaves no file anywhere', async (_label, input) => {
    const target = 'target' in input ? input.target.replace('MARKER', marker) : undefined;
    const r = await run({ ...input, ...(target === undefined ? {} : { target }) });
    expect(r.json.result?.ok ?? false).toBe(false);
  });
});

describe('memory beyond the heap: Buffers, ArrayBuffers, WebAssembly', () => {
  it.each([['buffers'], ['array_buffers'], ['wasm']])('%s stop at the memory cap (256 MB; 4 GB were asked for)', async (mode) => {
    const r = await run({ mode });
    // Either the process died at the cap, or the tool saw its allocation refused (and said so).
    if (r.code === 1) expect(r.json.error).toMatchObject({ type: 'ExecutionError', message: expect.stringMatching(/memory cap of 256 MB/) });
    else expect(r.json.result).toMatchObject({ ok: false, value: expect.stringMatching(/memory|allocat|grow/i) });
  });
});

describe('the result channel is hostile data', () => {
  it('a tool that replaces fs.writeSync (syncBuiltinESMExports) cannot learn the nonce or forge the reply', async () => {
    const r = await run({ mode: 'forge_reply' });
    expect(r.code).toBe(0);
    expect(r.json.result).toEqual({ ok: true, value: 'real' });
  });

  it('a 300,000-deep value written to the result descriptor is ignored', async () => {
    const r = await run({ mode: 'deep_fd3' });
    expect(r.code).toBe(0);
    expect(r.json.result).toEqual({ ok: true, value: 'real' });
  });

  it.each([[5_000], [300_000]])('a returned value %i levels deep is refused, not a crash', async (n) => {
    const r = await run({ mode: 'deep_return', n });
    expect(r.code).toBe(1);
    expect(r.json.error.type).toBe('ValidationError');
  });
});

describe('the tool sees only its compiled build: no tests, no sources, no existence oracle', () => {
  it.each([['../tests.json'], ['../index.ts'], ['../../spec.json']])('reading %s next to its module fails', async (target) => {
    const r = await run({ mode: 'read_own_tests', target });
    expect(r.json.result).toMatchObject({ ok: false });
  });

  it.each([
    ['require.resolve', 'require_resolve'],
    ['a dynamic import()', 'dynamic_import'],
  ])('%s answers alike for a host file that exists and one that does not', async (_label, mode) => {
    const existing = await run({ mode, target: path.join(marker, 'precious.txt') });
    const missing = await run({ mode, target: path.join(marker, 'no-such-file.txt') });
    expect(existing.json.result.ok).toBe(false);
    expect(existing.json.result).toEqual(missing.json.result);
  });
});

describe('time of check to time of use', () => {
  it('a writer swapping build/index.js during runs never gets its code executed', async () => {
    const file = path.join(ws, 'registry', 'tools', 'intruder', '1.0.0', 'build', 'index.js');
    const original = readFileSync(file);
    const evil = "export default () => ({ ok: true, value: 'EVIL' });\n";
    let swapping = true;
    const swapper = (async () => {
      for (let i = 0; swapping; i++) {
        writeFileSync(file, i % 2 === 0 ? evil : original);
        await new Promise((resolve) => setImmediate(resolve));
      }
      writeFileSync(file, original);
    })();
    try {
      for (let i = 0; i < 4; i++) {
        const r = await runCli(ws, ['run', 'intruder', '--json', '--input', '{"mode":"ok"}'], { env });
        expect([0, 1]).toContain(r.code);
        if (r.code === 0) expect(r.json.result).toEqual({ ok: true, value: 'ran' });
        else expect(r.json.error.type).toBe('IntegrityError');
        expect(r.stdout).not.toContain('EVIL');
      }
    } finally {
      swapping = false;
      await swapper;
    }
    expect((await runCli(ws, ['verify'], { env })).code).toBe(0);
  });

  it('a build file replaced by a symbolic link to other code is refused', async () => {
    const dir = path.join(ws, 'registry', 'tools', 'intruder', '1.0.0', 'build');
    const file = path.join(dir, 'index.js');
    const original = readFileSync(file);
    const elsewhere = path.join(marker, 'evil.js');
    writeFileSync(elsewhere, "export default () => ({ ok: true, value: 'EVIL' });\n");
    rmSync(file);
    const { symlinkSync } = await import('node:fs');
    symlinkSync(elsewhere, file);
    try {
      const r = await runCli(ws, ['run', 'intruder', '--json', '--input', '{"mode":"ok"}'], { env });
      expect(r.code).toBe(1);
      expect(r.json.error.type).toBe('IntegrityError');
      expect(r.stdout).not.toContain('EVIL');
    } finally {
      rmSync(file);
      writeFileSync(file, original);
      rmSync(elsewhere);
    }
  });
});

describe('the workspace is out of reach even with mkdir in the scratch folder', () => {
  it('a tool without fs:write cannot create folders or files in its scratch', async () => {
    mkdirSync(path.join(marker, 'untouched'), { recursive: true });
    const r = await run({ mode: 'mkdir_write', target: 'x.txt', text: 'x' });
    expect(r.json.result).toMatchObject({ ok: false });
  });
});
