/**
 * Holes a red-team pass found past the first attack battery (issue 7), through the real
 * binary, under both layers: the OS layer (bubblewrap, where it works) and Node's permission
 * model alone (sandbox.isolation "node", what "auto" falls back to without bubblewrap).
 * - A heap snapshot (v8.getHeapSnapshot) held the reply's nonce: the tool forged the reply,
 *   and listed an output file that `--out` wrote although the tool had no fs:write.
 * - The signal guard converted the pid twice (its check, then the binding's): an object whose
 *   valueOf answered the tool's own pid first and another pid next signalled any process of
 *   the user under "node" isolation, the CLI included (SIGSTOP froze it and its timeout).
 */
import { cpSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorkspace, promoteTool } from '../helpers.js';
import { patchConfig } from './e2e-helpers.js';
import { attack, INTRUDER_IMPL, INTRUDER_TESTS, intruderSpec, isAlive, startBystander, TIME_LIMIT_MS, type Contained } from './attack-helpers.js';

let root: string;
let marker: string;
let cache: string;
let env: NodeJS.ProcessEnv;
const layers: Record<'os' | 'node', Contained> = {} as Record<'os' | 'node', Contained>;

beforeAll(async () => {
  root = mkdtempSync(path.join(os.tmpdir(), 'toolsmith-redteam-'));
  marker = mkdtempSync(path.join(os.tmpdir(), 'toolsmith-marker-'));
  cache = mkdtempSync(path.join(os.tmpdir(), 'toolsmith-redteam-cache-'));
  env = { TOOLSMITH_CACHE_DIR: cache };
  writeFileSync(path.join(marker, 'precious.txt'), 'must not change');
  const ws = createWorkspace();
  patchConfig(ws, { sandbox: { timeout_ms: TIME_LIMIT_MS } });
  await promoteTool(ws, intruderSpec('intruder'), INTRUDER_IMPL, INTRUDER_TESTS);
  // The same promoted tool in a second workspace that runs it under the permission model alone.
  const nodeWs = path.join(root, 'node-ws');
  cpSync(ws, nodeWs, { recursive: true });
  patchConfig(nodeWs, { sandbox: { timeout_ms: TIME_LIMIT_MS, isolation: 'node' } });
  layers.os = { ws, tool: 'intruder', markers: [marker] };
  layers.node = { ws: nodeWs, tool: 'intruder', markers: [marker] };
}, 120_000);

afterAll(() => {
  for (const dir of [root, marker, cache]) rmSync(dir, { recursive: true, force: true });
});

describe.each(['os', 'node'] as const)('isolation %s', (layer) => {
  it.each([['node:v8 as a CommonJS object', 'cjs'], ['node:v8 as an ES module namespace', 'esm']])('a tool that searches a heap snapshot for the nonce (%s) forges no reply and plants no file in --out', async (_label, target) => {
    const out = path.join(root, `out-${layer}-${target}`);
    const r = await attack(layers[layer], { mode: 'forge_snapshot', target }, { env, args: ['--out', out] });
    expect(JSON.stringify(r.json.result ?? r.json.error)).not.toContain('forged');
    // The snapshot itself was refused (not merely a forgery that missed).
    expect(r.json.result).toEqual({ ok: false, value: 'ERR_ACCESS_DENIED' });
    expect(r.json.files ?? []).toEqual([]);
    let planted: string[] = [];
    try {
      planted = readdirSync(out);
    } catch {
      // no folder: nothing planted
    }
    expect(planted).toEqual([]);
  });

  it.each([
    ['process._kill, valueOf answering its own pid once', 2],
    ['process.kill, valueOf answering its own pid four times', 5],
  ])('a pid object that changes its answer (%s) cannot kill a bystander', async (_label, n) => {
    const bystander = startBystander();
    try {
      const r = await attack(layers[layer], { mode: 'kill_valueof', pid: bystander.pid, n }, { env });
      expect(r.json.result?.ok ?? false).toBe(false);
      expect(isAlive(bystander.pid)).toBe(true);
    } finally {
      bystander.stop();
    }
  });

  it('a pid object that changes its answer cannot SIGSTOP the CLI: it ends and counts the run', async () => {
    const r = await attack(layers[layer], { mode: 'kill_valueof', n: 2, text: 'SIGSTOP' }, { env });
    expect(r.json.result?.ok ?? false).toBe(false);
  });
});
