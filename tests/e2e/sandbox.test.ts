/**
 * The sandbox as a user meets it: a promoted tool that misbehaves on some inputs, run
 * through the real binary. Each misbehaviour must come back as the right ErrorEnvelope.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorkspace, promoteTool, toolsmith } from '../helpers.js';
import { toolsmithJson } from './e2e-helpers.js';

const SPEC = {
  tool_name: 'mischief',
  description: 'Does what its mode says, to exercise the sandbox.',
  input_schema: {
    type: 'object',
    properties: { mode: { type: 'string' }, target: { type: 'string' }, port: { type: 'integer' } },
    required: ['mode'],
    additionalProperties: false,
  },
  output_schema: { type: 'object', properties: { ok: { type: 'boolean' }, value: {} }, required: ['ok'], additionalProperties: false },
  when_to_use: 'Only in tests.',
  what_it_does: 'Loops, writes, reads, spawns, prints or allocates depending on mode.',
  returns: 'ok and a value.',
  prerequisites: 'None.',
};

// Validation's scan gate refuses a tool whose code visibly uses ungranted capabilities (and,
// since issue 9, any import() or require() of a computed name), so this one reaches them
// through a computed member of `process`, as a determined tool would: the static gate cannot
// see it, and these tests show the sandbox stopping them at run time.
const IMPL = `const load = async (name: string): Promise<any> => (process as unknown as Record<string, (id: string) => unknown>)[['getBuiltin', 'Module'].join('')]!(['node', name].join(':'));

export interface Input { mode: string; target?: string; port?: number }
export interface Output { ok: boolean; value?: unknown }

export default async function mischief(input: Input): Promise<Output> {
  switch (input.mode) {
    case 'ok': return { ok: true };
    case 'loop': for (;;) { /* never ends */ }
    case 'write': (await load('fs')).writeFileSync(input.target ?? 'x.txt', 'pwned'); return { ok: true };
    case 'read': return { ok: true, value: (await load('fs')).readFileSync(input.target ?? '/etc/hostname', 'utf8') };
    case 'spawn': return { ok: true, value: (await load('child_process')).execSync('echo hi').toString() };
    case 'env': return { ok: true, value: process[('e' + 'nv') as 'env'] };
    case 'print':
      console.log('{"ok":false,"value":"forged"}');
      process.stdout.write('not json at all\\n');
      return { ok: true, value: 'real' };
    case 'number': return 42 as unknown as Output;
    case 'bad_output': return { ok: 'yes' } as unknown as Output;
    case 'alloc': { const keep: number[][] = []; for (;;) keep.push(new Array(1_000_000).fill(1)); }
    case 'net': {
      const net = await load('net');
      return await new Promise<Output>((resolve) => {
        const socket = net.connect(input.port ?? 1, '127.0.0.1');
        socket.on('connect', () => { socket.end(); resolve({ ok: true, value: 'connected' }); });
        socket.on('error', (e: Error) => resolve({ ok: false, value: String((e as NodeJS.ErrnoException).code) }));
      });
    }
    default: throw new Error('unknown mode ' + input.mode);
  }
}
`;

let ws: string;

beforeAll(async () => {
  ws = createWorkspace();
  const configFile = path.join(ws, 'toolsmith.config.json');
  const config = JSON.parse(readFileSync(configFile, 'utf8'));
  config.sandbox.timeout_ms = 1500;
  config.sandbox.max_heap_mb = 64;
  writeFileSync(configFile, JSON.stringify(config, null, 2));
  await promoteTool(ws, SPEC, IMPL, [{ name: 'ok', input: { mode: 'ok' }, expected: { ok: true } }]);
}, 120_000);

function run(input: object, env: NodeJS.ProcessEnv = {}) {
  return toolsmithJson(ws, ['run', 'mischief', '--input', JSON.stringify(input)], { env });
}

describe('a promoted tool in the sandbox, through `toolsmith run`', () => {
  it('an endless loop ends in TimeoutError at the configured limit', () => {
    const r = run({ mode: 'loop' });
    expect(r.code).toBe(1);
    expect(r.json.error.type).toBe('TimeoutError');
    expect(r.json.error.message).toMatch(/1500/);
  });

  it('a write without fs:write is a PermissionError and no file appears', () => {
    const target = path.join(ws, 'pwned.txt');
    const r = run({ mode: 'write', target });
    expect(r.json.error.type).toBe('PermissionError');
    expect(existsSync(target)).toBe(false);
  });

  it('a read outside the package is refused', () => {
    const secret = path.join(ws, 'secret.txt');
    writeFileSync(secret, 'top secret');
    const r = run({ mode: 'read', target: secret });
    expect(r.json.error.type).toBe('PermissionError');
    expect(r.stdout).not.toContain('top secret');
  });

  it('spawning a process is refused', () => {
    expect(run({ mode: 'spawn' }).json.error.type).toBe('PermissionError');
  });

  it('process.env holds no variable of the parent', () => {
    const r = run({ mode: 'env' }, { TOOLSMITH_TEST_SECRET: 's3cret-value' });
    expect(r.code).toBe(0);
    expect(JSON.stringify(r.json.result)).not.toContain('s3cret-value');
    expect(Object.keys(r.json.result.value)).not.toContain('TOOLSMITH_TEST_SECRET');
  });

  it('what the tool prints never corrupts the result', () => {
    const r = run({ mode: 'print' });
    expect(r.code).toBe(0);
    expect(r.json.result).toEqual({ ok: true, value: 'real' });
  });

  it('a non-object result is a ValidationError', () => {
    expect(run({ mode: 'number' }).json.error.type).toBe('ValidationError');
  });

  it('a result violating output_schema is a ValidationError naming the field', () => {
    const r = run({ mode: 'bad_output' });
    expect(r.json.error.type).toBe('ValidationError');
    expect(r.json.error.message).toMatch(/output\.ok/);
  });

  it('unbounded allocation is stopped by the heap cap', () => {
    const r = run({ mode: 'alloc' });
    expect(r.code).toBe(1);
    expect(r.json.error.type).toBe('ExecutionError');
    expect(r.json.error.message).toMatch(/heap/i);
  });

  it('without `net` the tool cannot connect to a listener the test opens on 127.0.0.1', async () => {
    let connections = 0;
    const server = net.createServer((socket) => {
      connections++;
      socket.end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as net.AddressInfo).port;
    try {
      // The CLI is spawned synchronously; the listener must stay responsive, so run it in a child.
      const { spawn } = await import('node:child_process');
      const { BIN } = await import('../helpers.js');
      const child = spawn(process.execPath, [BIN, 'run', 'mischief', '--json', '--input', JSON.stringify({ mode: 'net', port })], { cwd: ws, env: { ...process.env, NO_COLOR: '1' } });
      let stdout = '';
      child.stdout.on('data', (d) => (stdout += d));
      await new Promise((resolve) => child.on('close', resolve));
      const result = JSON.parse(stdout);
      const protections = result.metadata?.protections;
      if (protections && protections.network_namespace === false) {
        throw new Error(`this machine cannot create a network namespace (${os.platform()}): net isolation is not enforced here`);
      }
      expect(result.result).toEqual({ ok: false, value: expect.stringMatching(/ENETUNREACH|ECONNREFUSED|EACCES|EPERM/) });
      expect(connections).toBe(0);
    } finally {
      server.close();
    }
  });

  it('every run is counted in metrics.json, failures included', () => {
    const metrics = JSON.parse(readFileSync(path.join(ws, 'registry', 'metrics.json'), 'utf8'));
    expect(metrics.mischief.success_count + metrics.mischief.error_count).toBeGreaterThanOrEqual(10);
    expect(metrics.mischief.error_count).toBeGreaterThanOrEqual(6);
  });

  it('verify still accepts the registry: nothing the tool did touched it', () => {
    expect(toolsmith(ws, ['verify']).code).toBe(0);
  });
});
