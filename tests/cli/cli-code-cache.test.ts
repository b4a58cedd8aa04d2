/**
 * bin/toolsmith.js runs the CLI from dist/cli/toolsmith.cjs (one CommonJS bundle, issue 7)
 * and keeps V8's code cache of it in toolsmith's cache folder (src/cli/start.cts). The cache is
 * bytecode that runs in the CLI: it is used only when this user owns it and nobody else may
 * write it, a bad one is replaced, and no cache problem ever stops the CLI. Without a bundle
 * (a build made by tsc alone), bin/ runs dist/cli/main.js.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, ROOT, tempDir } from '../helpers.js';

const VERSION = (JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;

/** `toolsmith --version` with this cache folder; its output. */
function version(cacheDir: string, bin = BIN): string {
  const r = spawnSync(process.execPath, [bin, '--version'], { encoding: 'utf8', env: { ...process.env, TOOLSMITH_CACHE_DIR: cacheDir } });
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  return r.stdout.trim();
}

function cacheFile(cacheDir: string): string {
  const files = readdirSync(path.join(cacheDir, 'v8'));
  expect(files).toHaveLength(1);
  expect(files[0]).toMatch(/^cli-[\w.-]+\.bin$/);
  return path.join(cacheDir, 'v8', files[0] ?? '');
}

describe('the code cache of the CLI bundle', () => {
  it('is written by the first process (private to the user) and used, not rewritten, by the next', () => {
    const dir = tempDir('toolsmith-cli-cache-');
    expect(version(dir)).toBe(VERSION);
    const file = cacheFile(dir);
    const first = statSync(file);
    expect(first.mode & 0o777).toBe(0o600);
    expect(statSync(path.dirname(file)).mode & 0o777).toBe(0o700);
    expect(first.size).toBeGreaterThan(10_000);
    expect(version(dir)).toBe(VERSION);
    // Accepted by V8: the same file (a rejected one is replaced at exit by a new file).
    expect(statSync(file).ino).toBe(first.ino);
  });

  it('a corrupt cache is rejected by V8, the CLI still runs, and the file is replaced', () => {
    const dir = tempDir('toolsmith-cli-cache-');
    version(dir);
    const file = cacheFile(dir);
    writeFileSync(file, Buffer.alloc(4096, 0x41));
    const corrupt = statSync(file);
    expect(version(dir)).toBe(VERSION);
    const after = statSync(file);
    expect(after.ino).not.toBe(corrupt.ino);
    expect(after.size).toBeGreaterThan(10_000);
  });

  it('a cache file or folder others may write is not used (and is replaced by a private one)', () => {
    for (const target of ['file', 'folder'] as const) {
      const dir = tempDir('toolsmith-cli-cache-');
      version(dir);
      const file = cacheFile(dir);
      const before = statSync(file);
      if (target === 'file') chmodSync(file, 0o666);
      else chmodSync(path.dirname(file), 0o777);
      expect(version(dir)).toBe(VERSION);
      // Not trusted, so compiled afresh and written anew: a new file where the old one was.
      expect(statSync(file).ino, target).not.toBe(before.ino);
      expect(statSync(file).mode & 0o777).toBe(0o600);
    }
  });

  it('an unusable cache folder (a file is in its place) costs the cache, never the run', () => {
    const dir = tempDir('toolsmith-cli-cache-');
    writeFileSync(path.join(dir, 'v8'), 'not a folder');
    expect(version(dir)).toBe(VERSION);
  });

  it('without a bundle, bin/ runs the ES modules of dist/ (and writes no CLI cache)', () => {
    const copy = tempDir('toolsmith-no-bundle-');
    for (const name of ['bin', 'dist', 'package.json']) cpSync(path.join(ROOT, name), path.join(copy, name), { recursive: true });
    symlinkSync(path.join(ROOT, 'node_modules'), path.join(copy, 'node_modules'));
    const bundle = path.join(copy, 'dist', 'cli', 'toolsmith.cjs');
    writeFileSync(bundle, 'throw new Error("the bundle ran");');
    // The control: this copy runs its bundle.
    const ran = spawnSync(process.execPath, [path.join(copy, 'bin', 'toolsmith.js'), '--version'], { encoding: 'utf8', env: { ...process.env, TOOLSMITH_CACHE_DIR: tempDir('toolsmith-cli-cache-') } });
    expect(ran.stderr).toContain('the bundle ran');
    rmSync(bundle);
    const dir = tempDir('toolsmith-cli-cache-');
    expect(version(dir, path.join(copy, 'bin', 'toolsmith.js'))).toBe(VERSION);
    expect(existsSync(path.join(dir, 'v8'))).toBe(false);
  });
});
