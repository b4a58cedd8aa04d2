// Warm mode of the ToolRunner, in-process (the BUILT runner: its workers start the harness from
// dist/): module state within and across sessions, replacement of a worker after a crash, a
// timeout or a limit, cancellation, hostile use of the request channel, and close() leaving no
// process behind.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type * as RunnerModule from '../../src/runner/index.js';
import type * as ConfigModule from '../../src/workspace/load-config.js';
import type { ResolvedTool, RunOutcome, ToolRunner } from '../../src/runner/index.js';
import { ROOT } from '../helpers.js';

const built = (rel: string) => pathToFileURL(path.join(ROOT, 'dist', rel)).href;
// `as`: each dist module is compiled from the src module whose types these are.
const runner = (await import(built('runner/index.js'))) as typeof RunnerModule;
const { defaultConfig } = (await import(built('workspace/load-config.js'))) as typeof ConfigModule;

const TIMEOUT_MS = 1_500;

/**
 * One tool whose behaviour the input picks. Its module state (a counter on globalThis) says
 * how many calls this process has served.
 */
const TOOL = `
import fs from 'node:fs';
export default async function (input) {
  globalThis.calls = (globalThis.calls ?? 0) + 1;
  switch (input.mode) {
    case 'crash': process.exit(7);
    case 'spin': for (;;) {}
    case 'pending': await new Promise(() => setInterval(() => undefined, 1000));
    case 'heap': { const keep = []; for (;;) keep.push(new Array(1e6).fill(keep.length)); }
    case 'throw': throw new Error('asked to throw');
    case 'read': return { text: fs.readFileSync('/etc/hostname', 'utf8') };
    case 'forge-later':
      setTimeout(() => { try { fs.writeSync(3, 'R' + 'x'.repeat(40) + '{"ok":true,"value":{"forged":true}}' + 'x'.repeat(40)); } catch {} }, 0);
      return { calls: globalThis.calls };
    case 'steal-stdin': {
      // Reads the request channel from the thread pool, racing the harness for the next request.
      const buffer = Buffer.alloc(1 << 16);
      fs.read(0, buffer, 0, buffer.length, null, (error, n) => { globalThis.stolen = n; });
      return { calls: globalThis.calls };
    }
    default: return { calls: globalThis.calls, echo: input.n ?? null };
  }
}
`;

function resolvedTool(name: string, code: string, permissions: ResolvedTool['permissions'] = []): ResolvedTool {
  return {
    toolId: name,
    version: '1.0.0',
    codeHash: 'test',
    schemas: { input_schema: { type: 'object' }, output_schema: { type: 'object' } },
    permissions,
    buildFiles: new Map([['index.js', new TextEncoder().encode(code)]]),
  };
}

const recorded: Array<{ toolId: string; ok: boolean; defer: boolean }> = [];
function createRunner(tools: ResolvedTool[] = [resolvedTool('probe', TOOL)]): ToolRunner {
  const limits = { ...defaultConfig().sandbox, timeout_ms: TIMEOUT_MS, max_heap_mb: 64 };
  return new runner.ToolRunner({
    resolver: {
      resolve: async (ref) => {
        const tool = tools.find((t) => t.toolId === ref);
        if (tool === undefined) throw new Error(`unknown ${ref}`);
        return tool;
      },
    },
    metrics: { record: async (toolId, run, options) => void recorded.push({ toolId, ok: run.ok, defer: options?.defer === true }), flush: async () => undefined },
    limits,
    validators: runner.createCachedValidators(null),
    cacheDir: null,
  });
}

/** Every live descendant of this process (pid -> command name), read from /proc. */
function descendants(): Map<number, string> {
  const parents = new Map<number, number>();
  const names = new Map<number, string>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const close = stat.lastIndexOf(')');
      const fields = stat.slice(close + 2).split(' ');
      if (fields[0] === 'Z') continue; // a zombie is gone, only not yet reaped
      parents.set(Number(entry), Number(fields[1]));
      names.set(Number(entry), stat.slice(stat.indexOf('(') + 1, close));
    } catch {
      // exited while we looked
    }
  }
  const found = new Map<number, string>();
  const stack = [process.pid];
  for (let pid = stack.pop(); pid !== undefined; pid = stack.pop()) {
    for (const [child, parent] of parents) {
      if (parent === pid && !found.has(child)) {
        found.set(child, names.get(child) ?? '?');
        stack.push(child);
      }
    }
  }
  return found;
}

const value = (outcome: RunOutcome): unknown => (outcome.error ? outcome.error.error : outcome.result);

const sessions: Array<{ close(): Promise<void> }> = [];
afterAll(async () => {
  await Promise.all(sessions.map((s) => s.close()));
});

describe('ToolRunner warm sessions', () => {
  it('serves many calls from one worker; module state persists within a session and never across sessions', async () => {
    const toolRunner = createRunner();
    const first = toolRunner.openSession({ workersPerTool: 1 });
    sessions.push(first);
    const counts: unknown[] = [];
    for (let n = 0; n < 5; n++) counts.push(value(await first.run('probe', { n })));
    expect(counts).toEqual([1, 2, 3, 4, 5].map((calls, n) => ({ calls, echo: n })));
    const second = toolRunner.openSession({ workersPerTool: 1 });
    sessions.push(second);
    expect(value(await second.run('probe', { n: 9 }))).toEqual({ calls: 1, echo: 9 });
    // The first session's worker is still its own.
    expect(value(await first.run('probe', {}))).toEqual({ calls: 6, echo: null });
    await first.close();
    await second.close();
    // Every call was recorded, each deferred to the session's flush.
    expect(recorded.filter((r) => r.toolId === 'probe').every((r) => r.defer)).toBe(true);
  });

  it('replaces a worker that crashed, timed out, or hit the heap limit; a tool error keeps it', async () => {
    const session = createRunner().openSession({ workersPerTool: 1 });
    sessions.push(session);
    expect(value(await session.run('probe', {}))).toEqual({ calls: 1, echo: null });
    const thrown = await session.run('probe', { mode: 'throw' });
    expect(thrown.error?.error).toMatchObject({ type: 'ToolError', message: expect.stringContaining('asked to throw') });
    // A thrown error is the tool's answer: the same worker serves the next call.
    expect(value(await session.run('probe', {}))).toEqual({ calls: 3, echo: null });
    for (const [mode, type, sandbox] of [['crash', 'ExecutionError', 'crash'], ['spin', 'TimeoutError', 'timeout'], ['pending', 'TimeoutError', 'timeout'], ['heap', 'ExecutionError', 'heap']] as const) {
      const failed = await session.run('probe', { mode });
      expect(failed.error?.error, mode).toMatchObject({ type, details: { sandbox } });
      expect(failed.sandboxFailure).toBe(sandbox);
      // A fresh worker: its module state starts again.
      expect(value(await session.run('probe', {})), `after ${mode}`).toEqual({ calls: 1, echo: null });
    }
    await session.close();
  }, 40_000);

  it('a timeout holds per call, whatever the worker served before', async () => {
    const session = createRunner().openSession({ workersPerTool: 1 });
    sessions.push(session);
    for (let i = 0; i < 3; i++) await session.run('probe', {});
    const started = performance.now();
    const hung = await session.run('probe', { mode: 'spin' });
    expect(hung.error?.error.type).toBe('TimeoutError');
    expect(performance.now() - started).toBeLessThan(TIMEOUT_MS + 5_000);
    await session.close();
  });

  it('an aborted call kills its worker at once; the session goes on with a new one', async () => {
    const session = createRunner().openSession({ workersPerTool: 1 });
    sessions.push(session);
    await session.run('probe', {});
    const controller = new AbortController();
    const call = session.run('probe', { mode: 'pending' }, { signal: controller.signal });
    setTimeout(() => controller.abort(), 100);
    const aborted = await call;
    expect(aborted.error?.error).toMatchObject({ type: 'ExecutionError', details: { sandbox: 'aborted' } });
    expect(value(await session.run('probe', {}))).toEqual({ calls: 1, echo: null });
    const already = new AbortController();
    already.abort();
    expect((await session.run('probe', {}, { signal: already.signal })).error?.error.details).toMatchObject({ sandbox: 'aborted' });
    await session.close();
  });

  it('a warm call has the protections of a cold run of the same tool, and the same permission refusals', async () => {
    const toolRunner = createRunner();
    const cold = await toolRunner.run('probe', { mode: 'read' });
    const session = toolRunner.openSession();
    sessions.push(session);
    const warm = await session.run('probe', { mode: 'read' });
    expect(warm.error?.error.type).toBe('PermissionError');
    expect(cold.error?.error.type).toBe('PermissionError');
    expect(warm.protections).toEqual(cold.protections);
    await session.close();
  });

  it('writes to the reply descriptor and reads of the request channel only ever disturb the tool\'s own calls', async () => {
    const session = createRunner().openSession({ workersPerTool: 1 });
    sessions.push(session);
    expect(value(await session.run('probe', { mode: 'forge-later' }))).toEqual({ calls: 1 });
    // The forged frame written after the first reply never becomes the second call's result.
    const second = await session.run('probe', { n: 2 });
    expect(value(second)).toEqual({ calls: 2, echo: 2 });
    expect(value(await session.run('probe', { mode: 'steal-stdin' }))).toEqual({ calls: 3 });
    // The tool goes on reading the request channel, so any later request may be swallowed: that
    // call fails (a timeout), never hangs, never yields anything but this tool's own validated
    // output, and its worker is replaced: the call after it runs on a fresh worker and succeeds.
    let swallowed = false;
    for (let n = 4; n < 8 && !swallowed; n++) {
      const raced = await session.run('probe', { n });
      if (raced.error === null) expect(raced.result).toEqual({ calls: n, echo: n });
      else {
        expect(['TimeoutError', 'ExecutionError', 'ValidationError']).toContain(raced.error.error.type);
        swallowed = true;
      }
    }
    if (swallowed) {
      const after = await session.run('probe', { n: 9 });
      expect(after.error).toBeNull();
      expect(after.result).toEqual({ calls: 1, echo: 9 }); // a fresh worker: its module state starts over
    }
    await session.close();
  });

  it('close() kills every worker: no process of the session is left', async () => {
    const before = new Set(descendants().keys());
    const session = createRunner().openSession({ workersPerTool: 3 });
    // Three calls at once: three workers.
    const outcomes = await Promise.all([0, 1, 2].map((n) => session.run('probe', { n })));
    expect(outcomes.map((o) => o.error)).toEqual([null, null, null]);
    const during = [...descendants()].filter(([pid]) => !before.has(pid));
    expect(during.length).toBeGreaterThanOrEqual(3);
    await session.close();
    const left = during.filter(([pid]) => descendants().has(pid));
    expect(left).toEqual([]);
    // A closed session runs nothing more, and says so.
    expect((await session.run('probe', {})).error?.error.message).toContain('closed');
  });

  it('verify "every-call" resolves on each call: a new version is picked up, a refused resolution fails that call only', async () => {
    let served = resolvedTool('probe', 'export default () => ({ v: 1 })');
    let refuse = false;
    let resolutions = 0;
    const limits = { ...defaultConfig().sandbox, timeout_ms: TIMEOUT_MS };
    const toolRunner = new runner.ToolRunner({
      resolver: {
        resolve: async () => {
          resolutions++;
          if (refuse) throw new Error('tampered');
          return served;
        },
      },
      metrics: { record: async () => undefined },
      limits,
      validators: runner.createCachedValidators(null),
      cacheDir: null,
    });
    const once = toolRunner.openSession({ workersPerTool: 1 });
    const everyCall = toolRunner.openSession({ workersPerTool: 1, verify: 'every-call' });
    sessions.push(once, everyCall);
    expect(value(await once.run('probe', {}))).toEqual({ v: 1 });
    expect(value(await everyCall.run('probe', {}))).toEqual({ v: 1 });
    expect(value(await everyCall.run('probe', {}))).toEqual({ v: 1 });
    expect(resolutions).toBe(3);
    served = { ...resolvedTool('probe', 'export default () => ({ v: 2 })'), version: '2.0.0' };
    expect(value(await everyCall.run('probe', {}))).toEqual({ v: 2 });
    expect(value(await once.run('probe', {}))).toEqual({ v: 1 });
    refuse = true;
    expect((await everyCall.run('probe', {})).error?.error.type).toBe('InternalError');
    expect(value(await once.run('probe', {}))).toEqual({ v: 1 });
    refuse = false;
    expect(value(await everyCall.run('probe', {}))).toEqual({ v: 2 });
    await once.close();
    await everyCall.close();
  });

  it('with fs:write each warm call starts with an empty output folder: the files a call returns are its own', async () => {
    const writer = resolvedTool('writer', "import fs from 'node:fs'; export default (i) => { fs.writeFileSync(i.name, i.name); return { wrote: i.name }; };", ['fs:write']);
    const session = createRunner([writer]).openSession({ workersPerTool: 1 });
    sessions.push(session);
    const first = await session.run('writer', { name: 'a.txt' });
    const second = await session.run('writer', { name: 'b.txt' });
    expect(first.error).toBeNull();
    expect(second.error).toBeNull();
    expect(first.error === null && first.files.map((f) => f.path)).toEqual(['a.txt']);
    expect(second.error === null && second.files.map((f) => [f.path, f.data.toString()])).toEqual([['b.txt', 'b.txt']]);
    await session.close();
  });

  it('large requests and replies cross the channel intact, call after call (many pipe chunks each way)', async () => {
    const echo = resolvedTool('echo', 'export default (i) => ({ head: i.text.slice(0, 900_000), length: i.text.length })');
    const session = createRunner([echo]).openSession({ workersPerTool: 1 });
    sessions.push(session);
    for (const letter of ['a', 'b', 'c']) {
      const text = letter.repeat(3_000_000);
      const outcome = await session.run('echo', { text });
      expect(outcome.error).toBeNull();
      expect(outcome.result).toEqual({ head: text.slice(0, 900_000), length: 3_000_000 });
    }
    await session.close();
  });
});
