/**
 * A workspace the user may not read is the user's to fix (exit 2, one line naming the path),
 * never "a bug" (exit 70), and never silently "no candidates".
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, ROOT, createWorkspace, tempDir } from '../helpers.js';

/** Runs the binary as an unprivileged user (root may read everything, so the test needs one). */
function asUser(ws: string, args: string[]) {
  const asRoot = process.getuid?.() === 0;
  const cli = [process.execPath, BIN, '--workspace', ws, ...args];
  const argv = asRoot ? ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups', ...cli] : cli;
  const r = spawnSync(argv[0] ?? '', argv.slice(1), { cwd: '/', encoding: 'utf8', timeout: 30_000, env: { ...process.env, NO_COLOR: '1', HOME: '/' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Lets the unprivileged user pass through the suite's private temporary folders to reach `dir`. */
function passable(dir: string): void {
  for (let d = path.dirname(dir); d !== path.dirname(d); d = path.dirname(d)) chmodSync(d, statSync(d).mode | 0o001);
}

describe('a workspace the user may not read', () => {
  it.each([
    ['the workspace folder itself', '.'],
    ['its staged/ folder', 'staged'],
  ])('%s: list and validate --all exit 2 naming the path, with a hint', (_label, locked) => {
    const ws = createWorkspace();
    passable(ws);
    chmodSync(ws, 0o755);
    const target = path.join(ws, locked);
    chmodSync(target, 0o700);
    if (process.getuid?.() !== 0) chmodSync(target, 0o000);
    try {
      for (const args of [['list'], ['validate', '--all']]) {
        const r = asUser(ws, args);
        expect(r.code, `${args.join(' ')}: ${r.stderr}${r.stdout}`).toBe(2);
        const lines = r.stderr.trimEnd().split('\n');
        expect(lines[0]).toMatch(/^toolsmith: permission denied \(\w+\): .*staged$/);
        expect(lines[1]).toMatch(/^hint: check the permissions of .*staged/);
        expect(r.stderr).not.toMatch(/bug|\n\s+at /);
        expect(r.stdout).toBe('');
      }
    } finally {
      chmodSync(target, 0o755);
    }
  });
});

describe('a cache folder the user may not write', () => {
  it('run still works (the caches only cost speed): exit 0, no InternalError', () => {
    const ws = tempDir('toolsmith-nocache-');
    for (const name of ['registry', 'toolsmith.config.json']) cpSync(path.join(ROOT, name), path.join(ws, name), { recursive: true, filter: (src) => path.basename(src) !== 'metrics.json' });
    passable(ws);
    chmodSync(ws, 0o777);
    for (const dir of [ws, path.join(ws, 'registry')]) chmodSync(dir, 0o777);
    // HOME is a folder only root may enter: ~/.cache/toolsmith cannot be created, read or cleaned.
    const home = tempDir('toolsmith-nocache-home-');
    chmodSync(home, 0o700);
    const asRoot = process.getuid?.() === 0;
    const cli = [process.execPath, BIN, 'run', 'json_pointer_get', '--input', '{"document":{"a":1},"pointer":"/a"}', '--json'];
    const argv = asRoot ? ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups', ...cli] : cli;
    const tmp = tempDir('toolsmith-nocache-tmp-');
    passable(tmp);
    chmodSync(tmp, 0o1777);
    const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', HOME: home, TMPDIR: tmp };
    delete env['TOOLSMITH_CACHE_DIR'];
    delete env['XDG_CACHE_HOME'];
    const r = spawnSync(argv[0] ?? '', argv.slice(1), { cwd: ws, encoding: 'utf8', timeout: 30_000, env });
    expect(r.status, r.stderr + r.stdout).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ result: { found: true, value: 1 } });
    // A TMPDIR the user may not write: one clear error naming it, exit 1, not "a bug".
    const locked = spawnSync(argv[0] ?? '', argv.slice(1), { cwd: ws, encoding: 'utf8', timeout: 30_000, env: { ...env, TMPDIR: home } });
    expect(locked.status, locked.stderr + locked.stdout).toBe(1);
    expect(JSON.parse(locked.stdout)).toMatchObject({ error: { type: 'ExecutionError', message: expect.stringContaining(home), hint: expect.stringContaining('TMPDIR') } });
  });
});
