/**
 * `toolsmith serve --http` on 127.0.0.1, driven by the official SDK clients of both lines,
 * plus raw HTTP for what a client library would never send: wrong tokens, foreign origins
 * and hosts, oversized, malformed and slow requests. Real processes throughout.
 */
import { spawnSync } from 'node:child_process';
import { cpSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { Client as LegacyClient } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport as LegacyHttp } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { ToolListChangedNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import { Client as ModernClient, StreamableHTTPClientTransport as ModernHttp } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, promoteTool, tempDir, toolsmith, WORD_COUNT_IMPL, WORD_COUNT_SPEC, WORD_COUNT_TESTS } from '../helpers.js';
import { createServeWorkspace, descendants, isAlive, serveEnv, startHttpServe, waitFor, type HttpServe } from './serve-helpers.js';

let ws: string;
let server: HttpServe;

beforeAll(async () => {
  ws = await createServeWorkspace();
  server = await startHttpServe(ws, ['--max-concurrency', '4', '--max-queue', '1000']);
});
afterAll(async () => {
  await server.stop();
});

async function legacyClient(url: URL, headers: Record<string, string> = {}): Promise<LegacyClient> {
  const client = new LegacyClient({ name: 'toolsmith-test-v1', version: '1.0.0' });
  await client.connect(new LegacyHttp(url, { requestInit: { headers } }));
  return client;
}

async function modernClient(url: URL): Promise<ModernClient> {
  const client = new ModernClient({ name: 'toolsmith-test-v2', version: '1.0.0' }, { versionNegotiation: { mode: { pin: '2026-07-28' } } });
  await client.connect(new ModernHttp(url));
  return client;
}

/** One raw HTTP request (node:http lets a test set Host and send what fetch would not). */
function raw(url: URL, options: { method?: string; headers?: Record<string, string>; body?: string }): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: url.hostname, port: url.port, path: url.pathname, method: options.method ?? 'POST', headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...options.headers } }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (text: string) => (body += text)).on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

const INIT = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'raw', version: '1' } } });

describe('serve over Streamable HTTP', () => {
  it('speaks 2025-11-25 (SDK 1.x) and 2026-07-28 (SDK 2.x): tools/list equals the manifest, calls go through the runner', async () => {
    const manifest = JSON.parse(toolsmith(ws, ['manifest', '--format', 'mcp']).stdout) as { tools: unknown[] };
    const legacy = await legacyClient(server.url);
    const modern = await modernClient(server.url);
    try {
      expect(modern.getProtocolEra()).toBe('modern');
      expect((await legacy.listTools()).tools).toEqual(manifest.tools);
      expect((await modern.listTools()).tools).toEqual(manifest.tools);
      const input = { document: { rows: [{ id: 7 }] }, pointer: '/rows/0/id' };
      const run = JSON.parse(toolsmith(ws, ['run', 'json_pointer_get', '--input', JSON.stringify(input), '--json']).stdout) as { result: unknown };
      expect((await legacy.callTool({ name: 'json_pointer_get', arguments: input })).structuredContent).toEqual(run.result);
      expect((await modern.callTool({ name: 'json_pointer_get', arguments: input })).structuredContent).toEqual(run.result);
      const bad = await modern.callTool({ name: 'json_pointer_get', arguments: { document: {} } });
      expect(bad.isError).toBe(true);
      expect((bad.content as Array<{ text: string }>)[0]?.text).toMatch(/^ValidationError: /);
    } finally {
      await legacy.close();
      await modern.close();
    }
  });

  it('5 clients making 50 concurrent calls (10 each) all get their own results and their own progress', async () => {
    const clients = await Promise.all([0, 1, 2, 3, 4].map((n) => (n % 2 === 0 ? legacyClient(server.url) : modernClient(server.url))));
    try {
      const calls = clients.flatMap((client, c) => Array.from({ length: 10 }, async (_, i) => {
        const id = `client-${c}-call-${i}`;
        if (i % 5 === 0) {
          // A pipeline with a progress token: its updates must be its own (two steps, in order).
          const progress: number[] = [];
          // A word count unique to this call: its result cannot be another call's.
          const words = c * 2 + i / 5 + 1;
          const text = `${'word '.repeat(words)}end.`;
          const onprogress = (p: { progress: number }) => progress.push(p.progress);
          const result = client instanceof LegacyClient
            ? await client.callTool({ name: 'text_report', arguments: { text } }, undefined, { onprogress, timeout: 55_000 })
            : await client.callTool({ name: 'text_report', arguments: { text } }, { onprogress, timeout: 55_000 });
          expect(result.isError, JSON.stringify(result)).toBeFalsy();
          expect(JSON.stringify(result.structuredContent)).toContain(`"${words + 1} words`);
          // Strictly increasing, only 1 and 2 (the 2.x client may miss the last update: see serve-stdio.test.ts).
          expect(progress.length).toBeGreaterThan(0);
          expect(progress).toEqual([1, 2].slice(0, progress.length));
          return;
        }
        const args = { document: { who: id }, pointer: '/who' };
        const result = client instanceof LegacyClient
          ? await client.callTool({ name: 'json_pointer_get', arguments: args }, undefined, { timeout: 55_000 })
          : await client.callTool({ name: 'json_pointer_get', arguments: args }, { timeout: 55_000 });
        expect(result.structuredContent).toEqual({ found: true, value: id });
      }));
      await Promise.all(calls);
    } finally {
      await Promise.all(clients.map((client) => client.close()));
    }
  }, 120_000);

  it('a closed response stream cancels the call: its sandbox is gone', async () => {
    const modern = await modernClient(server.url);
    try {
      const pid = server.child.pid ?? 0;
      await waitFor(() => descendants(pid).length === 0, 'an idle server');
      const controller = new AbortController();
      const call = modern.callTool({ name: 'sleepy_echo', arguments: { text: 'x', sleep_ms: 600_000 } }, { signal: controller.signal, timeout: 30_000 });
      await waitFor(() => descendants(pid).length > 0, 'the sandbox to start');
      await new Promise((resolve) => setTimeout(resolve, 300));
      const sandbox = descendants(pid);
      controller.abort('stop');
      await expect(call).rejects.toThrow();
      await waitFor(() => sandbox.every((p) => !isAlive(p)), 'the cancelled sandbox to be gone');
    } finally {
      await modern.close();
    }
  });

  it('refuses a foreign Origin or Host (403), oversized, malformed and unknown requests, and keeps serving', async () => {
    expect((await raw(server.url, { headers: { origin: 'http://evil.example' }, body: INIT })).status).toBe(403);
    expect((await raw(server.url, { headers: { host: 'evil.example' }, body: INIT })).status).toBe(403);
    expect((await raw(server.url, { headers: { origin: `http://127.0.0.1:${server.url.port}` }, body: INIT })).status).toBe(200);
    expect((await raw(new URL('/other', server.url), { body: INIT })).status).toBe(404);
    expect((await raw(server.url, { method: 'PUT', body: INIT })).status).toBe(405);
    expect((await raw(server.url, { body: '{"jsonrpc": "2.0", "id": 1, "method": ' })).status).toBe(400);
    // Larger than sandbox.max_input_bytes plus framing: 413, body never buffered.
    expect((await raw(server.url, { headers: { 'content-length': String(200 * 1024 * 1024) }, body: '' }).catch(() => ({ status: 413, body: '' }))).status).toBe(413);
    // A call nested a million levels deep: a tool error, not a crash.
    const deep = `{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"json_pointer_get","arguments":{"document":${'['.repeat(1_000_000)}${']'.repeat(1_000_000)},"pointer":""}}}`;
    const answer = await raw(server.url, { headers: { 'mcp-protocol-version': '2025-11-25' }, body: deep });
    expect(answer.body).toContain('nests deeper than');
    // A client that sends half a request and stalls holds one socket, not the server.
    const slow = connect(Number(server.url.port), '127.0.0.1');
    slow.on('error', () => undefined);
    slow.write(`POST /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\ncontent-length: 100\r\n\r\n{"jsonrpc"`);
    const client = await legacyClient(server.url);
    expect((await client.listTools()).tools.length).toBeGreaterThan(0);
    await client.close();
    slow.destroy();
  });

  it('a 2025-era client (SDK 1.x) gets a session and its GET stream hears list_changed when a tool is promoted while serving', async () => {
    const copy = tempDir('toolsmith-serve-http-promote-');
    cpSync(ws, copy, { recursive: true });
    const own = await startHttpServe(copy);
    const transport = new LegacyHttp(own.url);
    const client = new LegacyClient({ name: 'toolsmith-test-v1', version: '1.0.0' });
    try {
      const changed = new Promise<void>((resolve) => client.setNotificationHandler(ToolListChangedNotificationSchema, () => resolve()));
      await client.connect(transport);
      expect(transport.sessionId).toMatch(/^[0-9a-f-]{36}$/);
      expect((await client.listTools()).tools.map((t) => t.name)).not.toContain('word_count');
      await promoteTool(copy, WORD_COUNT_SPEC, WORD_COUNT_IMPL, WORD_COUNT_TESTS);
      // Only the session's standalone GET stream can carry it: it answers no request.
      await Promise.race([changed, new Promise((_, reject) => setTimeout(() => reject(new Error('no list_changed within 20 s')), 20_000))]);
      expect((await client.listTools()).tools.map((t) => t.name)).toContain('word_count');
      expect((await client.callTool({ name: 'word_count', arguments: { text: 'one two three' } })).structuredContent).toEqual({ words: 3 });
      // In a session, cancelling a call (the client sends notifications/cancelled) kills its sandbox.
      const pid = own.child.pid ?? 0;
      const controller = new AbortController();
      const call = client.callTool({ name: 'sleepy_echo', arguments: { text: 'x', sleep_ms: 600_000 } }, undefined, { signal: controller.signal, timeout: 30_000 });
      await waitFor(() => descendants(pid).length > 0, 'the sandbox to start');
      const sandbox = descendants(pid);
      controller.abort('stop');
      await expect(call).rejects.toThrow();
      await waitFor(() => sandbox.every((p) => !isAlive(p)), 'the cancelled sandbox to be gone');
      // A session that ended is 404 (the client must initialize again); no session: served statelessly as before.
      await transport.terminateSession();
      expect((await raw(own.url, { headers: { 'mcp-session-id': 'no-such-session' }, body: '{"jsonrpc":"2.0","id":3,"method":"tools/list"}' })).status).toBe(404);
    } finally {
      await client.close();
      await own.stop();
    }
  });

  it('beyond --max-concurrency and --max-queue a call fails at once with a busy error', async () => {
    const busy = await startHttpServe(ws, ['--max-concurrency', '1', '--max-queue', '0']);
    const client = await legacyClient(busy.url);
    try {
      const first = client.callTool({ name: 'sleepy_echo', arguments: { text: 'a', sleep_ms: 1500 } });
      await waitFor(() => descendants(busy.child.pid ?? 0).length > 0, 'the first call to start');
      await expect(client.callTool({ name: 'sleepy_echo', arguments: { text: 'b' } })).rejects.toMatchObject({ code: -32000, message: expect.stringContaining('busy') });
      expect((await first).structuredContent).toEqual({ text: 'a' });
    } finally {
      await client.close();
      await busy.stop();
    }
  });
});

describe('serve --http access control', () => {
  it('with --token-env: 401 without the bearer token or with a wrong one; served with it', async () => {
    const token = 'a'.repeat(8) + 'b'.repeat(24);
    const guarded = await startHttpServe(ws, ['--token-env', 'TOOLSMITH_TEST_TOKEN'], { TOOLSMITH_TEST_TOKEN: token });
    try {
      const none = await raw(guarded.url, { body: INIT });
      expect(none.status).toBe(401);
      expect((await raw(guarded.url, { headers: { authorization: `Bearer ${token}x` }, body: INIT })).status).toBe(401);
      await expect(legacyClient(guarded.url)).rejects.toThrow();
      const client = await legacyClient(guarded.url, { authorization: `Bearer ${token}` });
      expect((await client.callTool({ name: 'sleepy_echo', arguments: { text: 'ok' } })).structuredContent).toEqual({ text: 'ok' });
      await client.close();
    } finally {
      const code = await guarded.stop();
      expect(code, guarded.stderr()).toBe(0);
    }
  });

  it('a non-loopback --host without --token-env is refused at start (exit 2), as is a token variable that is unset', () => {
    const open = spawnSync(process.execPath, [BIN, 'serve', '--http', '--host', '0.0.0.0', '--port', '0'], { cwd: ws, env: serveEnv(), encoding: 'utf8', timeout: 30_000 });
    expect(open.status).toBe(2);
    expect(open.stderr).toMatch(/refusing to serve on 0\.0\.0\.0 without a bearer token/);
    expect(open.stderr).toMatch(/hint: pass --token-env NAME/);
    const unset = spawnSync(process.execPath, [BIN, 'serve', '--http', '--host', '0.0.0.0', '--port', '0', '--token-env', 'TOOLSMITH_NO_SUCH_VAR'], { cwd: ws, env: serveEnv(), encoding: 'utf8', timeout: 30_000 });
    expect(unset.status).toBe(2);
    expect(unset.stderr).toMatch(/TOOLSMITH_NO_SUCH_VAR must hold a token/);
    const stdioFlags = spawnSync(process.execPath, [BIN, 'serve', '--port', '9'], { cwd: ws, env: serveEnv(), encoding: 'utf8', timeout: 30_000 });
    expect(stdioFlags.status).toBe(2);
  });
});
