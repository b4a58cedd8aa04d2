import { existsSync } from 'node:fs';
import { chmod, writeFile } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createScenario, removeScenarios, runTool, sandbox, show, LIMITS, describeProtections } from './sandbox-fixtures.js';

afterAll(removeScenarios);

/** What this machine gives a tool without `net` (bubblewrap where it works). */
const machine = await describeProtections(LIMITS, [], 'auto');

describe('sandbox: processes and workers', () => {
  it.each([
    ['spawnSync', `spawnSync('sh', ['-c', 'echo escaped'])`],
    ['execSync', `execSync('echo escaped')`],
    ['spawn', `spawn('sh', ['-c', 'sleep 60'])`],
  ])('refuses child_process.%s as "permission"', async (_label, call) => {
    const scenario = await createScenario(`
      import { spawn, spawnSync, execSync } from 'node:child_process';
      export default () => { ${call}; return { spawned: true }; };
    `);
    const outcome = await runTool(scenario);
    expect(outcome, show(outcome)).toMatchObject({ ok: false, kind: 'permission' });
  });

  it('refuses new Worker as "permission"', async () => {
    const scenario = await createScenario(`
      import { Worker } from 'node:worker_threads';
      export default () => { new Worker('setInterval(() => {}, 1000)', { eval: true }); return { started: true }; };
    `);
    const outcome = await runTool(scenario);
    expect(outcome, show(outcome)).toMatchObject({ ok: false, kind: 'permission' });
  });
});

describe('sandbox: file system', () => {
  const writeTool = `
    import { writeFileSync } from 'node:fs';
    export default () => { writeFileSync(process.cwd() + '/out.txt', 'written by the tool'); return { wrote: true }; };
  `;

  it('refuses a write without fs:write, and no file appears', async () => {
    const scenario = await createScenario(writeTool);
    const outcome = await runTool(scenario);
    expect(outcome, show(outcome)).toMatchObject({ ok: false, kind: 'permission', message: expect.stringMatching(/FileSystemWrite/) });
    expect(existsSync(path.join(scenario.cwd, 'out.txt'))).toBe(false);
  });

  it('with fs:write, the files the tool leaves in its private output folder come back in the outcome', async () => {
    const scenario = await createScenario(`
      import { mkdirSync, writeFileSync } from 'node:fs';
      export default () => {
        writeFileSync(process.cwd() + '/out.txt', 'written by the tool');
        mkdirSync('charts');
        writeFileSync('charts/a.csv', 'x,y\\n1,2\\n');
        return { wrote: true, cwd: process.cwd() };
      };
    `);
    const outcome = await runTool(scenario, { permissions: ['fs:write'] });
    expect(outcome.ok, show(outcome)).toBe(true);
    if (!outcome.ok) return;
    const files = Object.fromEntries(outcome.files.map((file) => [file.path, file.data.toString('utf8')]));
    expect(files).toEqual({ 'out.txt': 'written by the tool', 'charts/a.csv': 'x,y\n1,2\n' });
    // The output folder is private to the run: nothing lands in the caller's folders.
    expect(existsSync(path.join(scenario.cwd, 'out.txt'))).toBe(false);
    expect(existsSync(path.join(process.cwd(), 'out.txt'))).toBe(false);
  });

  const readTool = `
    import { readFileSync } from 'node:fs';
    export default (input) => ({ text: readFileSync(input.file, 'utf8') });
  `;

  it.each([
    ['/etc/hostname', () => '/etc/hostname'],
    ['a file in another folder', (outside: string) => path.join(outside, 'secret.txt')],
  ])('refuses reading %s outside the package as "permission"', async (_label, target) => {
    const scenario = await createScenario(readTool);
    await writeFile(path.join(scenario.outside, 'secret.txt'), 'top secret');
    const outcome = await runTool(scenario, { input: { file: target(scenario.outside) } });
    expect(outcome, show(outcome)).toMatchObject({ ok: false, kind: 'permission', message: expect.stringMatching(/FileSystemRead/) });
    expect(outcome.logs.join('\n')).not.toContain('top secret');
  });

  it('allows reading a file of its own build (the verified copy it runs from)', async () => {
    const scenario = await createScenario(`
      import { readFileSync } from 'node:fs';
      export default () => ({ text: readFileSync(new URL('./data.txt', import.meta.url), 'utf8') });
    `, { 'data.txt': 'package data' });
    const outcome = await runTool(scenario);
    expect(outcome.ok && outcome.value, show(outcome)).toEqual({ text: 'package data' });
  });

  it('allows reading a read path only with fs:read', async () => {
    const scenario = await createScenario(readTool);
    await writeFile(path.join(scenario.cwd, 'input.csv'), 'a,b');
    // As root the sandbox runs as nobody, who must be able to reach the folder.
    await chmod(scenario.root, 0o755);
    await chmod(scenario.cwd, 0o755);
    await chmod(path.join(scenario.cwd, 'input.csv'), 0o644);
    const input = { file: path.join(scenario.cwd, 'input.csv') };
    expect(await runTool(scenario, { input, readPaths: [scenario.cwd] })).toMatchObject({ ok: false, kind: 'permission' });
    const granted = await runTool(scenario, { input, permissions: ['fs:read'], readPaths: [scenario.cwd] });
    expect(granted.ok && granted.value, show(granted)).toEqual({ text: 'a,b' });
  });

  it('cannot import a module from outside its build: refused (permission model) or absent (OS layer)', async () => {
    const scenario = await createScenario(`export default async (input) => (await import(input.url)).default;`);
    await writeFile(path.join(scenario.outside, 'lib.mjs'), 'export default { leaked: true };');
    const outcome = await runTool(scenario, { input: { url: `file://${scenario.outside}/lib.mjs` } });
    expect(outcome.ok, show(outcome)).toBe(false);
    if (outcome.ok) return;
    if (outcome.protections.isolation === 'os') expect(outcome.message).toMatch(/Cannot find module/);
    else expect(outcome.kind).toBe('permission');
    const viaNode = await runTool(scenario, { input: { url: `file://${scenario.outside}/lib.mjs` }, isolation: 'node' });
    expect(viaNode, show(viaNode)).toMatchObject({ ok: false, kind: 'permission' });
  });
});

describe('sandbox: environment', () => {
  const envTool = `export default () => ({ keys: Object.keys(process.env), secret: process.env.CALLER_TEST_SECRET ?? null });`;
  afterEach(() => {
    delete process.env['CALLER_TEST_SECRET'];
  });

  it('gives the tool no parent environment without "env"', async () => {
    process.env['CALLER_TEST_SECRET'] = 's3cret';
    const outcome = await runTool(await createScenario(envTool));
    expect(outcome.ok, show(outcome)).toBe(true);
    expect(outcome.ok && outcome.value).toMatchObject({ secret: null });
    expect(outcome.ok && outcome.value).not.toMatchObject({ keys: expect.arrayContaining(['CALLER_TEST_SECRET']) });
  });

  it('passes the parent environment with "env"', async () => {
    process.env['CALLER_TEST_SECRET'] = 's3cret';
    const outcome = await runTool(await createScenario(envTool), { permissions: ['env'] });
    expect(outcome.ok && outcome.value, show(outcome)).toMatchObject({ secret: 's3cret', keys: expect.arrayContaining(['CALLER_TEST_SECRET']) });
  });
});

describe('sandbox: network', () => {
  const connectTool = `
    import net from 'node:net';
    export default (input) => new Promise((resolve, reject) => {
      const socket = net.connect(input.port, '127.0.0.1', () => { socket.end(); resolve({ connected: true }); });
      socket.on('error', reject);
    });
  `;
  const servers: net.Server[] = [];
  afterAll(() => servers.forEach((server) => server.close()));

  /** A real server on loopback that counts who reached it. */
  async function listen(): Promise<{ port: number; connections: () => number }> {
    let count = 0;
    const server = net.createServer((socket) => {
      count++;
      socket.destroy();
    });
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error('expected a TCP address');
    return { port: address.port, connections: () => count };
  }

  /** A real server on a socket file outside the package, which no network namespace hides. */
  async function listenOnSocketFile(dir: string): Promise<{ path: string; connections: () => number }> {
    let count = 0;
    const server = net.createServer((socket) => {
      count++;
      socket.destroy();
    });
    servers.push(server);
    const socketPath = path.join(dir, 'daemon.sock');
    await new Promise<void>((resolve) => server.listen(socketPath, resolve));
    return { path: socketPath, connections: () => count };
  }

  it.each([
    ['net.connect', `new Promise((resolve, reject) => { const s = net.connect(input.path, () => resolve({ connected: true })); s.on('error', reject); })`],
    ['http.get with socketPath', `new Promise((resolve, reject) => http.get({ socketPath: input.path, path: '/' }, () => resolve({ connected: true })).on('error', reject))`],
  ])('refuses a Unix domain socket via %s without "net" as "permission", and the server sees nothing', async (_label, call) => {
    const scenario = await createScenario(`
      import net from 'node:net';
      import http from 'node:http';
      export default (input) => ${call};
    `);
    const server = await listenOnSocketFile(scenario.outside);
    const outcome = await runTool(scenario, { input: { path: server.path } });
    expect(outcome, show(outcome)).toMatchObject({ ok: false, kind: 'permission', message: expect.stringMatching(/daemon\.sock.*"net" permission/) });
    expect(server.connections()).toBe(0);
  });

  // Under the OS layer a socket file exists in the sandbox only if a read path shows it; this is the permission-model layer's own rule.
  it('lets a tool with "net" reach a Unix domain socket (isolation "node")', async () => {
    const scenario = await createScenario(`
      import net from 'node:net';
      export default (input) => new Promise((resolve, reject) => { const s = net.connect(input.path, () => resolve({ connected: true })); s.on('error', reject); });
    `);
    const server = await listenOnSocketFile(scenario.outside);
    const outcome = await runTool(scenario, { input: { path: server.path }, permissions: ['net'], isolation: 'node' });
    expect(outcome.ok && outcome.value, show(outcome)).toEqual({ connected: true });
    await expect.poll(() => server.connections()).toBe(1);
  });

  const isolated = machine.protections.network_namespace;
  if (isolated) {
    it('cuts a tool without "net" off the network (network namespace), and the server sees nothing', async () => {
      const server = await listen();
      const outcome = await runTool(await createScenario(connectTool), { input: { port: server.port } });
      expect(outcome, show(outcome)).toMatchObject({ ok: false, kind: 'execution', message: expect.stringMatching(/ENETUNREACH|ECONNREFUSED|EACCES|EPERM/) });
      expect(outcome.protections.network_namespace).toBe(true);
      expect(server.connections()).toBe(0);
    });
  } else {
    it('reports network_namespace: false because this machine cannot create a network namespace', async () => {
      const outcome = await runTool(await createScenario(`export default () => ({})`));
      expect(outcome.protections.network_namespace).toBe(false);
      expect((await describeProtections(LIMITS, [], 'auto')).protections.network_namespace).toBe(false);
    });
  }

  it('lets a tool with "net" connect, and the server sees it', async () => {
    const server = await listen();
    const outcome = await runTool(await createScenario(connectTool), { input: { port: server.port }, permissions: ['net'] });
    expect(outcome.ok && outcome.value, show(outcome)).toEqual({ connected: true });
    expect(outcome.protections.network_namespace).toBe(false);
    await expect.poll(() => server.connections()).toBe(1);
  });
});
