/**
 * What the permissions mean (SPEC 8), through the real binary: fs:read reads the read paths
 * but never the workspace's registry/, staged/ or config, even when the workspace lies inside
 * a read path; fs:write leaves files in a private output folder that `run --out DIR` copies
 * out; and sandbox.isolation decides what happens where bubblewrap is missing.
 */
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { promoteTool, toolsmith, writeSpec } from '../helpers.js';
import { implement, patchConfig } from './e2e-helpers.js';
import { attack, hashTree, INTRUDER_IMPL, INTRUDER_TESTS, intruderSpec, runCli, TIME_LIMIT_MS, type Contained } from './attack-helpers.js';

let parent: string;
let ws: string;
let marker: string;
let cache: string;
let env: NodeJS.ProcessEnv;
let rw: Contained;

beforeAll(async () => {
  // The workspace lies inside a folder that is itself a read path.
  parent = mkdtempSync(path.join(os.tmpdir(), 'toolsmith-access-'));
  ws = path.join(parent, 'ws');
  mkdirSync(ws);
  const init = toolsmith(ws, ['init', '.']);
  if (init.code !== 0) throw new Error(init.stderr);
  marker = mkdtempSync(path.join(os.tmpdir(), 'toolsmith-marker-'));
  writeFileSync(path.join(marker, 'precious.txt'), 'must not change');
  cache = mkdtempSync(path.join(os.tmpdir(), 'toolsmith-access-cache-'));
  env = { TOOLSMITH_CACHE_DIR: cache };
  patchConfig(ws, { sandbox: { timeout_ms: TIME_LIMIT_MS } });
  await promoteTool(ws, intruderSpec('intruder_rw', ['fs:read', 'fs:write']), INTRUDER_IMPL, INTRUDER_TESTS);
  mkdirSync(path.join(ws, 'data'));
  writeFileSync(path.join(ws, 'data', 'input.txt'), 'granted data');
  writeFileSync(path.join(parent, 'beside.txt'), 'beside the workspace');
  // As root, tools run as nobody: what they may read must be readable by others.
  for (const dir of [parent, ws, path.join(ws, 'data'), path.join(ws, 'registry'), path.join(ws, 'staged')]) chmodSync(dir, 0o755);
  for (const file of [path.join(ws, 'data', 'input.txt'), path.join(parent, 'beside.txt'), path.join(ws, 'registry', 'metadata.json'), path.join(ws, 'toolsmith.config.json')]) chmodSync(file, 0o644);
  rw = { ws, tool: 'intruder_rw', markers: [marker] };
}, 120_000);

afterAll(() => {
  for (const dir of [parent, marker, cache]) rmSync(dir, { recursive: true, force: true });
});

describe('fs:read', () => {
  it('reads a file in a read path (default: the folder toolsmith was started in)', async () => {
    const r = await attack(rw, { mode: 'read', target: path.join(ws, 'data', 'input.txt') }, { env });
    expect(r.json.result).toEqual({ ok: true, value: 'granted data' });
  });

  it.each([
    ['registry/metadata.json'],
    ['toolsmith.config.json'],
    ['registry/tools/intruder_rw/1.0.0/tests.json'],
  ])('never reads the workspace\'s %s, though the workspace is inside the read path', async (rel) => {
    const r = await attack(rw, { mode: 'read', target: path.join(ws, rel) }, { env });
    expect(r.json.result.ok).toBe(false);
    expect(r.stdout).not.toMatch(/"tools"|"sandbox"|"expected"/);
  });

  it('with the parent folder as read path, reads beside the workspace but still not into its registry', async () => {
    patchConfig(ws, { sandbox: { read_paths: [parent] } });
    try {
      const beside = await attack(rw, { mode: 'read', target: path.join(parent, 'beside.txt') }, { env });
      expect(beside.json.result).toEqual({ ok: true, value: 'beside the workspace' });
      const registry = await attack(rw, { mode: 'read', target: path.join(ws, 'registry', 'metadata.json') }, { env });
      expect(registry.json.result.ok).toBe(false);
    } finally {
      patchConfig(ws, { sandbox: { read_paths: ['.'] } });
    }
  });
});

describe('fs:write', () => {
  it('lists the files the tool left and, with --out, copies them there; the workspace is untouched', async () => {
    const out = path.join(marker, '..', `${path.basename(marker)}-out`);
    try {
      const listed = await attack(rw, { mode: 'mkdir_write', target: 'report.txt', text: 'hello' }, { env });
      expect(listed.json.files.sort()).toEqual(['report.txt', 'sub/report.txt']);
      expect(listed.json.metadata.out_dir).toBeNull();
      expect(existsSync(path.join(ws, 'report.txt'))).toBe(false);
      const copied = await attack(rw, { mode: 'mkdir_write', target: 'report.txt', text: 'hello' }, { env, args: ['--out', out] });
      expect(copied.json.files.sort()).toEqual(['report.txt', 'sub/report.txt']);
      expect(readFileSync(path.join(out, 'report.txt'), 'utf8')).toBe('hello');
      expect(readFileSync(path.join(out, 'sub', 'report.txt'), 'utf8')).toBe('hello');
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });

  it('a write to the workspace\'s registry by absolute path fails, and nothing changes', async () => {
    const r = await attack(rw, { mode: 'write', target: path.join(ws, 'registry', 'metadata.json'), text: '{"tools":{}}' }, { env });
    expect(r.json.result.ok).toBe(false);
  });

  it('--out never follows a symbolic link planted in DIR', async () => {
    const out = mkdtempSync(path.join(os.tmpdir(), 'toolsmith-out-'));
    try {
      symlinkSync(marker, path.join(out, 'sub'));
      const before = hashTree(marker);
      const r = await runCli(ws, ['run', 'intruder_rw', '--input', JSON.stringify({ mode: 'mkdir_write', target: 'report.txt', text: 'x' }), '--out', out], { env });
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/sub is not a folder/);
      expect(hashTree(marker)).toEqual(before);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});

describe('sandbox.isolation where bubblewrap is missing (hidden from PATH)', () => {
  const hidden = { PATH: '/nonexistent' };

  it('"os" refuses: exit 1, the reason and the install hint, no tool code run', async () => {
    patchConfig(ws, { sandbox: { isolation: 'os' } });
    try {
      const before = hashTree(ws, []);
      const r = await runCli(ws, ['run', 'intruder_rw', '--input', '{"mode":"write","target":"ran.txt"}'], { env: { ...env, ...hidden } });
      expect(r.code, r.stderr).toBe(1);
      expect(r.stderr).toMatch(/^toolsmith: ExecutionError: refusing to run tool code without the OS sandbox layer \(sandbox\.isolation is "os"\): bubblewrap \(bwrap\) is not installed/m);
      expect(r.stderr).toMatch(/^hint: install bubblewrap \(Debian\/Ubuntu: sudo apt-get install bubblewrap/m);
      expect(hashTree(ws, [])).toEqual(before);
    } finally {
      patchConfig(ws, { sandbox: { isolation: 'auto' } });
    }
  });

  it('"auto" runs under the permission model and says on stderr and in the metadata that the OS layer is off', async () => {
    const r = await runCli(ws, ['run', 'intruder_rw', '--json', '--input', '{"mode":"ok"}'], { env: { ...env, ...hidden } });
    expect(r.code, r.stderr).toBe(0);
    expect(r.json.result).toEqual({ ok: true, value: 'ran' });
    expect(r.stderr).toMatch(/^toolsmith: warning: the OS sandbox layer is off \(bubblewrap \(bwrap\) is not installed or not on PATH\).*apt-get install bubblewrap/m);
    expect(r.json.metadata.warnings.join('\n')).toMatch(/OS sandbox layer is off/);
    expect(r.json.metadata.protections).toMatchObject({ isolation: 'node', os_layer: null });
  });

  it('"auto": the validation report and show say so too', async () => {
    const spec = intruderSpec('candidate_v');
    const generated = await runCli(ws, ['generate', '--spec', writeSpec(ws, spec, 'candidate_v.spec.json')], { env });
    expect(generated.code, generated.stderr).toBe(0);
    implement(ws, 'candidate_v', INTRUDER_IMPL, INTRUDER_TESTS);
    const validated = await runCli(ws, ['validate', 'candidate_v', '--json'], { env: { ...env, ...hidden } });
    const report = validated.json.candidates?.[0]?.report ?? validated.json.report;
    expect(report.tests_ok, validated.stderr).toBe(true);
    expect(report.protections).toMatchObject({ isolation: 'node', warnings: [expect.stringMatching(/OS sandbox layer is off.*apt-get install bubblewrap/)] });
    expect(report.logs.join('\n')).toMatch(/\[sandbox\] warning: the OS sandbox layer is off/);
    const show = await runCli(ws, ['show', 'candidate_v'], { env: { ...env, ...hidden } });
    expect(show.stdout).toMatch(/warning the OS sandbox layer is off \(bubblewrap \(bwrap\) is not installed/);
  });

  it('"auto" with bubblewrap there names the OS layer and every limit in --json metadata', async () => {
    const r = await runCli(ws, ['run', 'intruder_rw', '--json', '--input', '{"mode":"ok"}'], { env });
    expect(r.json.metadata.protections).toMatchObject({ isolation: 'os', os_layer: expect.stringMatching(/^bubblewrap \d/), memory_cap_mb: 512, warnings: [] });
    expect(r.json.metadata.protections.layers).toEqual(expect.arrayContaining(['node permission model', 'memory cap 512 MB (rlimit_data)', 'processes 64 (rlimit_nproc)']));
  });
});
