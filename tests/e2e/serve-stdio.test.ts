/**
 * `toolsmith serve` over stdio, driven by the official SDK clients of both lines: the 1.x
 * client (protocol 2025-11-25, what Claude Desktop, Cursor and VS Code speak today) and the
 * 2.x client pinned to 2026-07-28 (stateless, server/discover). Real processes throughout:
 * the binary, its sandboxes, and `toolsmith run` / `manifest` / `pipeline` to compare with.
 */
import { execFileSync } from 'node:child_process';
import { appendFileSync, closeSync, cpSync, existsSync, openSync, readFileSync, renameSync, statSync, writeFileSync, writeSync } from 'node:fs';
import path from 'node:path';
import { Client as LegacyClient } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport as LegacyStdio } from '@modelcontextprotocol/sdk/client/stdio.js';
import { ToolListChangedNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import { Client as ModernClient } from '@modelcontextprotocol/client';
import { StdioClientTransport as ModernStdio } from '@modelcontextprotocol/client/stdio';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, ROOT, promoteTool, tempDir, toolsmith, WORD_COUNT_IMPL, WORD_COUNT_SPEC, WORD_COUNT_TESTS } from '../helpers.js';
import { createServeWorkspace, descendants, isAlive, serveEnv, SHIPPED, waitFor } from './serve-helpers.js';

let ws: string;
let client: LegacyClient;
let transport: LegacyStdio;

async function connectLegacy(cwd: string): Promise<{ client: LegacyClient; transport: LegacyStdio }> {
  const t = new LegacyStdio({ command: process.execPath, args: [BIN, 'serve'], cwd, env: serveEnv(), stderr: 'pipe' });
  const c = new LegacyClient({ name: 'toolsmith-test-v1', version: '1.0.0' });
  await c.connect(t);
  return { client: c, transport: t };
}

beforeAll(async () => {
  ws = await createServeWorkspace();
  ({ client, transport } = await connectLegacy(ws));
});
afterAll(async () => {
  await client.close();
});

/**
 * What the server puts on the wire, in order: progress updates and results. Both SDK clients run
 * notification handlers a microtask late, so an update that arrives in the same read as its
 * result can miss its onprogress callback under load: the wire, not the callback, shows what
 * the server sent (and that every update came before the result).
 */
function recordWire(transport: { onmessage?: ((message: never) => void) | undefined }): { seen: string[]; stop: () => void } {
  const seen: string[] = [];
  const deliver = transport.onmessage;
  if (deliver === undefined) throw new Error('the transport is not connected');
  transport.onmessage = (message: never) => {
    const m = message as { method?: string; params?: { progress?: number; total?: number }; result?: unknown };
    if (m.method === 'notifications/progress') seen.push(`progress ${String(m.params?.progress)}/${String(m.params?.total)}`);
    else if (m.result !== undefined && (m.result as { content?: unknown }).content !== undefined) seen.push('result');
    deliver(message);
  };
  return { seen, stop: () => void (transport.onmessage = deliver) };
}

/** A first test input of a shipped tool, from its own tests.json (a case with an expected output). */
function sampleInput(tool: string): Record<string, unknown> {
  const metadata = JSON.parse(readFileSync(path.join(ROOT, 'registry', 'metadata.json'), 'utf8')) as { tools: Record<string, { path: string }> };
  const entry = metadata.tools[tool];
  if (entry === undefined) throw new Error(`no ${tool}`);
  const tests = JSON.parse(readFileSync(path.join(ROOT, 'registry', entry.path, 'tests.json'), 'utf8')) as Array<{ input: Record<string, unknown>; expected?: unknown }>;
  const found = tests.find((t) => t.expected !== undefined);
  if (found === undefined) throw new Error(`${tool} has no test with an expected output`);
  return found.input;
}

describe('serve over stdio, 2025-11-25 (SDK 1.x client)', () => {
  it('tools/list equals `manifest --format mcp`: every shipped tool with both schemas and annotations, in a stable order', async () => {
    const listed = await client.listTools();
    const again = await client.listTools();
    expect(again).toEqual(listed);
    const manifest = toolsmith(ws, ['manifest', '--format', 'mcp']);
    expect(manifest.code, manifest.stderr).toBe(0);
    expect(listed).toEqual(JSON.parse(manifest.stdout));
    const names = listed.tools.map((t) => t.name);
    expect(names).toEqual([...SHIPPED, 'sleepy_echo', 'text_report'].sort());
    for (const tool of listed.tools) {
      expect(tool.inputSchema.type).toBe('object');
      expect(tool.outputSchema?.type).toBe('object');
      expect(tool.title).toMatch(/^[A-Z]/);
      expect(tool.description).toContain(tool.name === 'text_report' ? 'Runs the pipeline text_stats -> stats_report' : 'When to use:');
      // No shipped tool writes files or reaches the network.
      expect(tool.annotations).toEqual({ readOnlyHint: true, destructiveHint: false, openWorldHint: false });
    }
  });

  it('tools/call on each shipped tool returns what `toolsmith run` returns', async () => {
    for (const tool of SHIPPED) {
      const input = sampleInput(tool);
      const served = await client.callTool({ name: tool, arguments: input });
      const run = toolsmith(ws, ['run', tool, '--input', JSON.stringify(input), '--json']);
      expect(run.code, run.stderr).toBe(0);
      const { result } = JSON.parse(run.stdout) as { result: unknown };
      expect(served.isError, JSON.stringify(served)).toBeFalsy();
      expect(served.structuredContent).toEqual(result);
      expect(served.content).toEqual([{ type: 'text', text: JSON.stringify(result) }]);
    }
  });

  it('bad input is a tool error carrying the ValidationError, never _internal; an unknown tool is -32602', async () => {
    const bad = await client.callTool({ name: 'json_pointer_get', arguments: { document: {}, pointer: 42 } });
    expect(bad.isError).toBe(true);
    const [block] = bad.content as Array<{ type: string; text: string }>;
    expect(block?.text).toMatch(/^ValidationError: input does not match input_schema: input\.pointer: must be string/);
    expect(JSON.stringify(bad)).not.toContain('_internal');
    expect(JSON.stringify(bad)).not.toContain('traceback');
    await expect(client.callTool({ name: 'no_such_tool', arguments: {} })).rejects.toMatchObject({ code: -32602 });
  });

  it('a call that hangs ends with a TimeoutError within its limit, and the server keeps serving', async () => {
    const hung = await client.callTool({ name: 'sleepy_echo', arguments: { text: 'x', sleep_ms: 600_000 } }, undefined, { timeout: 30_000 });
    expect(hung.isError).toBe(true);
    expect((hung.content as Array<{ text: string }>)[0]?.text).toMatch(/^TimeoutError: the tool did not finish within the time limit of 3000 ms/);
    const after = await client.callTool({ name: 'sleepy_echo', arguments: { text: 'still here' } });
    expect(after.structuredContent).toEqual({ text: 'still here' });
  });

  it('notifications/cancelled kills the sandbox at once and the run is recorded as cancelled', async () => {
    const serverPid = transport.pid;
    if (serverPid === null) throw new Error('no server pid');
    // stdio calls run on warm workers: the idle ones of earlier calls may be there already.
    const idle = new Set(descendants(serverPid));
    const controller = new AbortController();
    const call = client.callTool({ name: 'sleepy_echo', arguments: { text: 'x', sleep_ms: 600_000 } }, undefined, { signal: controller.signal, timeout: 30_000 });
    await waitFor(() => descendants(serverPid).length > 0, 'a sandbox to serve the call');
    // Let the harness reach the tool's sleep (a started sandbox is what cancellation must kill).
    await new Promise((resolve) => setTimeout(resolve, 300));
    const during = descendants(serverPid);
    controller.abort('the user pressed stop');
    await expect(call).rejects.toThrow();
    // The worker serving the call is killed at once (the tool would sleep for ten minutes), and
    // with it any sandbox started for this call; idle workers of other calls may stay.
    await waitFor(() => during.some((pid) => !isAlive(pid)) && during.filter((pid) => !idle.has(pid)).every((pid) => !isAlive(pid)), 'the cancelled sandbox to be gone');
    // The runner records the run (in its finally) once the killed sandbox has been reaped.
    const cancelled = () => (JSON.parse(readFileSync(path.join(ws, 'registry', 'metrics.json'), 'utf8')) as Record<string, { cancelled_count?: number }>)['sleepy_echo']?.cancelled_count;
    await waitFor(() => cancelled() !== undefined, 'the cancelled run in metrics.json');
    expect(cancelled()).toBe(1);
    // And it still serves.
    expect((await client.callTool({ name: 'sleepy_echo', arguments: { text: 'again' } })).structuredContent).toEqual({ text: 'again' });
  });

  it('a saved pipeline is a tool: input schema of its first step, output of its last, progress after each step', async () => {
    const { tools } = await client.listTools();
    const pipeline = tools.find((t) => t.name === 'text_report');
    const first = tools.find((t) => t.name === 'text_stats');
    const last = tools.find((t) => t.name === 'stats_report');
    expect(pipeline?.inputSchema).toEqual(first?.inputSchema);
    expect(pipeline?.outputSchema).toEqual(last?.outputSchema);
    const input = { text: 'Tools for agents. Tools that are governed!', top: 2 };
    const wire = recordWire(transport);
    const served = await client.callTool({ name: 'text_report', arguments: input }, undefined, { onprogress: () => undefined });
    wire.stop();
    expect(wire.seen).toEqual(['progress 1/2', 'progress 2/2', 'result']);
    const cli = toolsmith(ws, ['pipeline', 'text_stats', 'stats_report', '--input', JSON.stringify(input), '--json']);
    expect(cli.code, cli.stderr).toBe(0);
    expect(served.structuredContent).toEqual((JSON.parse(cli.stdout) as { result: unknown }).result);
  });

  it('a promote while serving appears in tools/list without a restart, announced by list_changed', async () => {
    const changed = new Promise<void>((resolve) => client.setNotificationHandler(ToolListChangedNotificationSchema, () => resolve()));
    await promoteTool(ws, WORD_COUNT_SPEC, WORD_COUNT_IMPL, WORD_COUNT_TESTS);
    await changed;
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name)).toContain('word_count');
    expect((await client.callTool({ name: 'word_count', arguments: { text: 'one two three' } })).structuredContent).toEqual({ words: 3 });
  });
});

describe('serve over stdio, 2026-07-28 (SDK 2.x client)', () => {
  it('negotiates the modern era with server/discover, lists what the manifest says and calls through the runner', async () => {
    const modern = new ModernClient({ name: 'toolsmith-test-v2', version: '1.0.0' }, { versionNegotiation: { mode: { pin: '2026-07-28' } } });
    const transport2 = new ModernStdio({ command: process.execPath, args: [BIN, 'serve'], cwd: ws, env: serveEnv(), stderr: 'pipe' });
    await modern.connect(transport2);
    try {
      expect(modern.getProtocolEra()).toBe('modern');
      const listed = await modern.listTools();
      const manifest = JSON.parse(toolsmith(ws, ['manifest', '--format', 'mcp']).stdout) as { tools: unknown[] };
      expect(listed.tools).toEqual(manifest.tools);
      const result = await modern.callTool({ name: 'json_pointer_get', arguments: { document: { a: [1, 2] }, pointer: '/a/1' } });
      expect(result.structuredContent).toEqual({ found: true, value: 2 });
      const wire = recordWire(transport2);
      await modern.callTool({ name: 'text_report', arguments: { text: 'One. Two.' } }, { onprogress: () => undefined });
      wire.stop();
      expect(wire.seen).toEqual(['progress 1/2', 'progress 2/2', 'result']);
    } finally {
      await modern.close();
    }
  });
});

describe('a tampered tool while serving', () => {
  it('is refused on the next call with an IntegrityError, not run', async () => {
    const copy = tempDir('toolsmith-serve-tamper-');
    cpSync(ws, copy, { recursive: true });
    const served = await connectLegacy(copy);
    try {
      expect((await served.client.callTool({ name: 'sleepy_echo', arguments: { text: 'before' } })).structuredContent).toEqual({ text: 'before' });
      appendFileSync(path.join(copy, 'registry', 'tools', 'sleepy_echo', '1.0.0', 'build', 'index.js'), '\n// changed after promote\n');
      const refused = await served.client.callTool({ name: 'sleepy_echo', arguments: { text: 'after' } });
      expect(refused.isError).toBe(true);
      expect((refused.content as Array<{ text: string }>)[0]?.text).toMatch(/^IntegrityError: sleepy_echo 1\.0\.0 fails its integrity check: .*build\/index\.js \(modified\)/);
    } finally {
      await served.client.close();
    }
  });

  // The server keeps a version's verified bytes while its files stay exactly as they were
  // (src/runner/verified-files.ts), once they are older than the racy window: these tamperings
  // come after a call that kept each tool, and each must still be refused on the next call.
  it('is refused on the next call however the file was changed: renamed over, written in place with its mtime put back, `touch -d`', async () => {
    const copy = tempDir('toolsmith-serve-tamper-');
    cpSync(ws, copy, { recursive: true });
    const copied = Date.now();
    const served = await connectLegacy(copy);
    const metadata = JSON.parse(readFileSync(path.join(copy, 'registry', 'metadata.json'), 'utf8')) as { tools: Record<string, { path: string; version: string }> };
    const version = (tool: string, rel: string) => path.join(copy, 'registry', metadata.tools[tool]?.path ?? '?', rel);
    const call = (tool: string) => served.client.callTool({ name: tool, arguments: sampleInput(tool) });
    try {
      // Past the racy window (2 s), a call's check is kept; the next call is answered from it.
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, copied + 2_500 - Date.now())));
      for (const tool of ['json_pointer_get', 'text_stats', 'csv_group_count']) {
        for (let i = 0; i < 2; i++) expect((await call(tool)).isError, tool).toBeFalsy();
      }
      // Renamed over: a new file (same size) takes the name of the verified one.
      const target = version('json_pointer_get', 'build/index.js');
      const bytes = readFileSync(target);
      writeFileSync(`${target}.new`, Buffer.concat([bytes.subarray(0, bytes.length - 1), Buffer.from(bytes.at(-1) === 0x0a ? ' ' : '\n')]));
      renameSync(`${target}.new`, target);
      // In place, same size, within the second of the last call, the mtime put back exactly.
      const inPlace = version('text_stats', 'build/index.js');
      const { mtimeNs } = statSync(inPlace, { bigint: true });
      const fd = openSync(inPlace, 'r+');
      writeSync(fd, readFileSync(inPlace, 'utf8').startsWith('/') ? ' ' : '/', 0);
      closeSync(fd);
      const stamp = `@${mtimeNs / 1_000_000_000n}.${String(mtimeNs % 1_000_000_000n).padStart(9, '0')}`;
      execFileSync('touch', ['-m', '-d', stamp, inPlace]);
      expect(statSync(inPlace, { bigint: true }).mtimeNs).toBe(mtimeNs);
      // A longer edit of a file outside build/, then `touch -d` to the old mtime.
      const spec = version('csv_group_count', 'tests.json');
      const old = statSync(spec, { bigint: true }).mtimeNs;
      appendFileSync(spec, ' ');
      execFileSync('touch', ['-m', '-d', `@${old / 1_000_000_000n}.${String(old % 1_000_000_000n).padStart(9, '0')}`, spec]);
      for (const [tool, file] of [['json_pointer_get', 'build/index.js'], ['text_stats', 'build/index.js'], ['csv_group_count', 'tests.json']] as const) {
        const refused = await call(tool);
        expect(refused.isError, tool).toBe(true);
        expect((refused.content as Array<{ text: string }>)[0]?.text).toContain(`IntegrityError: ${tool} ${metadata.tools[tool]?.version ?? '?'} fails its integrity check: `);
        expect((refused.content as Array<{ text: string }>)[0]?.text).toContain(`${file} (modified)`);
      }
    } finally {
      await served.client.close();
    }
  });
});

describe('metrics while serving', () => {
  it('every call is in metrics.json once the client closes stdin, or a supervisor sends SIGTERM', async () => {
    for (const stop of ['stdin', 'SIGTERM'] as const) {
      const copy = tempDir('toolsmith-serve-metrics-');
      cpSync(ws, copy, { recursive: true });
      const file = path.join(copy, 'registry', 'metrics.json');
      const metrics = () => (existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, { success_count: number }>)['json_pointer_get']?.success_count ?? 0 : 0);
      const before = metrics();
      const served = await connectLegacy(copy);
      for (let i = 0; i < 7; i++) expect((await served.client.callTool({ name: 'json_pointer_get', arguments: { document: { a: i }, pointer: '/a' } })).structuredContent).toEqual({ found: true, value: i });
      const pid = served.transport.pid;
      if (pid === null) throw new Error('no serve process');
      if (stop === 'SIGTERM') {
        process.kill(pid, 'SIGTERM');
        await waitFor(() => !isAlive(pid), 'the server to exit on SIGTERM');
      }
      await served.client.close();
      await waitFor(() => !isAlive(pid), 'the server to exit');
      expect(metrics(), stop).toBe(before + 7);
    }
  });
});
