/**
 * A tool without `net` reaches no listener on 127.0.0.1 or ::1, whether toolsmith runs as
 * root or as an unprivileged user (setpriv to uid 65534); a tool granted `net` does, and
 * `show` says so ("network: granted by spec"). Through the real binary.
 */
import { chmodSync, chownSync, cpSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import dgram from 'node:dgram';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorkspace, promoteTool } from '../helpers.js';
import { patchConfig } from './e2e-helpers.js';

/**
 * Every attempt here fails at once (refused, unreachable, denied): nothing waits for the limit.
 * It is generous so that a loaded machine's slow sandbox start is never mistaken for a result.
 */
const NETWORK_LIMIT_MS = 5 * TIME_LIMIT_MS;
import { attack, INTRUDER_IMPL, INTRUDER_TESTS, intruderSpec, runCli, TIME_LIMIT_MS, type Contained } from './attack-helpers.js';

const NOBODY = 65534;
let ws: string;
/** The same tools under sandbox.isolation "node" (the permission model alone). */
let nodeRoot: string;
let nodeWs: string;
let cache: string;
let nobodyCache: string;
let nobodyTmp: string;
const servers: net.Server[] = [];

/** Everything under `dir` readable and writable by everyone, so the CLI can run as nobody in it. */
function openToAll(dir: string): void {
  chmodSync(dir, 0o777);
  for (const name of readdirSync(dir)) {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) openToAll(full);
    else chmodSync(full, 0o666);
  }
}

beforeAll(async () => {
  ws = createWorkspace();
  cache = mkdtempSync(path.join(os.tmpdir(), 'toolsmith-net-cache-'));
  nobodyCache = mkdtempSync(path.join(os.tmpdir(), 'toolsmith-net-cache-nobody-'));
  nobodyTmp = mkdtempSync(path.join(os.tmpdir(), 'toolsmith-net-tmp-nobody-'));
  for (const dir of [nobodyCache, nobodyTmp]) chownSync(dir, NOBODY, NOBODY);
  // The run's private temporary folder holds all of these: nobody must be able to pass through it.
  chmodSync(os.tmpdir(), statSync(os.tmpdir()).mode | 0o001);
  patchConfig(ws, { sandbox: { timeout_ms: NETWORK_LIMIT_MS } });
  await promoteTool(ws, intruderSpec('intruder'), INTRUDER_IMPL, INTRUDER_TESTS);
  await promoteTool(ws, intruderSpec('intruder_net', ['net']), INTRUDER_IMPL, INTRUDER_TESTS);
  nodeRoot = mkdtempSync(path.join(os.tmpdir(), 'toolsmith-net-node-'));
  nodeWs = path.join(nodeRoot, 'ws');
  cpSync(ws, nodeWs, { recursive: true });
  patchConfig(nodeWs, { sandbox: { timeout_ms: NETWORK_LIMIT_MS, isolation: 'node' } });
}, 120_000);

afterAll(() => {
  servers.forEach((server) => server.close());
  for (const dir of [ws, nodeRoot, cache, nobodyCache, nobodyTmp]) rmSync(dir, { recursive: true, force: true });
});

/** A real listener that counts who reached it. */
async function listen(host: string): Promise<{ port: number; connections: () => number }> {
  let count = 0;
  const server = net.createServer((socket) => {
    count++;
    socket.destroy();
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const address = server.address() as net.AddressInfo; // `as`: a TCP listener has an AddressInfo
  return { port: address.port, connections: () => count };
}

const hosts = ['127.0.0.1', '::1'];

describe.each([
  ['as root', undefined],
  ['as an unprivileged user (uid 65534)', NOBODY],
])('a tool without net, toolsmith running %s', (_label, uid) => {
  it.each(hosts)('cannot reach a listener on %s', async (host) => {
    if (uid !== undefined) openToAll(ws);
    const server = await listen(host);
    const where: Contained = { ws, tool: 'intruder', markers: [] };
    const r = await attack(where, { mode: 'connect_tcp', host, port: server.port }, { uid, env: uid === undefined ? { TOOLSMITH_CACHE_DIR: cache } : { TOOLSMITH_CACHE_DIR: nobodyCache, TMPDIR: nobodyTmp } });
    expect(r.json.result, r.stderr).toMatchObject({ ok: false, value: expect.stringMatching(/ENETUNREACH|ECONNREFUSED|EACCES|EPERM|EADDRNOTAVAIL/) });
    expect(r.json.metadata.protections).toMatchObject({ network: 'isolated', isolation: 'os' });
    expect(server.connections()).toBe(0);
  });
});

/**
 * As an ordinary user `unshare --net` is refused, so under isolation "node" the tool has the
 * host's network: the harness refuses sockets, UDP and DNS in JavaScript instead (red team:
 * before, a tool without net reached 127.0.0.1 there, and only a layer line said so).
 */
describe('isolation "node", toolsmith running as an unprivileged user (no network namespace there)', () => {
  const nobody = () => ({ uid: NOBODY, env: { TOOLSMITH_CACHE_DIR: nobodyCache, TMPDIR: nobodyTmp } });
  const where = (): Contained => ({ ws: nodeWs, tool: 'intruder', markers: [] });

  it.each(hosts)('a tool without net cannot reach a TCP listener on %s', async (host) => {
    openToAll(nodeRoot);
    const server = await listen(host);
    const r = await attack(where(), { mode: 'connect_tcp', host, port: server.port }, nobody());
    expect(r.json.result, r.stdout).toMatchObject({ ok: false, value: 'ERR_ACCESS_DENIED' });
    expect(r.json.metadata.protections).toMatchObject({ network: 'not-isolated', isolation: 'node' });
    expect(r.json.metadata.protections.layers).toContain('network: NOT isolated (no network namespace on this machine; sockets and DNS refused in JavaScript only)');
    expect(server.connections()).toBe(0);
  });

  it('a tool without net cannot send a UDP datagram to 127.0.0.1', async () => {
    openToAll(nodeRoot);
    const socket = dgram.createSocket('udp4');
    let received = 0;
    socket.on('message', () => received++);
    await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
    try {
      const r = await attack(where(), { mode: 'udp_send', host: '127.0.0.1', port: socket.address().port }, nobody());
      expect(r.json.result, r.stdout).toMatchObject({ ok: false, value: 'ERR_ACCESS_DENIED' });
      expect(received).toBe(0);
    } finally {
      socket.close();
    }
  });

  it('a tool without net cannot make a DNS query (an exfiltration channel)', async () => {
    openToAll(nodeRoot);
    const r = await attack(where(), { mode: 'dns_lookup', target: 'localhost' }, nobody());
    expect(r.json.result, r.stdout).toMatchObject({ ok: false, value: 'ERR_ACCESS_DENIED' });
  });
});

describe('a tool granted net', () => {
  it('reaches the listener, and its protections say the network was granted', async () => {
    const server = await listen('127.0.0.1');
    const r = await runCli(ws, ['run', 'intruder_net', '--json', '--input', JSON.stringify({ mode: 'connect_tcp', host: '127.0.0.1', port: server.port })], { env: { TOOLSMITH_CACHE_DIR: cache } });
    expect(r.json.result, r.stderr).toEqual({ ok: true, value: 'connected' });
    expect(r.json.metadata.protections.layers).toContain('network: granted by spec');
    await expect.poll(() => server.connections()).toBe(1);
  });

  it('show says "network: granted by spec", never that the network is off', async () => {
    const r = await runCli(ws, ['show', 'intruder_net'], { env: { TOOLSMITH_CACHE_DIR: cache } });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('network: granted by spec');
    expect(r.stdout).not.toMatch(/network namespace OFF|NOT isolated/);
  });
});
