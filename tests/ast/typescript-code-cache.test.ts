/**
 * dist/ast/typescript.cjs keeps V8's code cache of typescript.js in toolsmith's cache folder
 * (Node 20 has no compile cache of its own). The cache is bytecode that runs in the CLI: it is
 * used only when this user owns it and nobody else may write it, a bad one is replaced, and no
 * cache problem ever stops typescript from loading.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, tempDir } from '../helpers.js';

const EXPECTED = '"use strict";\nconst x = 1;';
const LOADER = path.join(ROOT, 'dist', 'ast', 'typescript.cjs');

/** A process that loads typescript through the loader and uses it (a transpile). */
function loadTypeScript(cacheDir: string): string {
  const script = `const ts = require(${JSON.stringify(LOADER)}); process.stdout.write(ts.transpileModule('const x: number = 1', {}).outputText.trim());`;
  const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', env: { ...process.env, TOOLSMITH_CACHE_DIR: cacheDir } });
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  return r.stdout;
}

function cacheFile(cacheDir: string): string {
  const files = readdirSync(path.join(cacheDir, 'v8'));
  expect(files).toHaveLength(1);
  expect(files[0]).toMatch(/^typescript-[\w.-]+\.bin$/);
  return path.join(cacheDir, 'v8', files[0] ?? '');
}

describe('the code cache of typescript.js', () => {
  it('is written by the first process (private to the user) and used, not rewritten, by the next', () => {
    const dir = tempDir('toolsmith-ts-cache-');
    expect(loadTypeScript(dir)).toBe(EXPECTED);
    const file = cacheFile(dir);
    const first = statSync(file);
    expect(first.mode & 0o777).toBe(0o600);
    expect(statSync(path.dirname(file)).mode & 0o777).toBe(0o700);
    expect(first.size).toBeGreaterThan(100_000);
    expect(loadTypeScript(dir)).toBe(EXPECTED);
    // Accepted by V8: the same file (a rejected one is replaced at exit by a new file).
    expect(statSync(file).ino).toBe(first.ino);
  });

  it('a corrupt cache is rejected by V8, typescript still loads, and the file is replaced', () => {
    const dir = tempDir('toolsmith-ts-cache-');
    loadTypeScript(dir);
    const file = cacheFile(dir);
    writeFileSync(file, Buffer.alloc(4096, 0x41));
    const corrupt = statSync(file);
    expect(loadTypeScript(dir)).toBe(EXPECTED);
    const after = statSync(file);
    expect(after.ino).not.toBe(corrupt.ino);
    expect(after.size).toBeGreaterThan(100_000);
  });

  it('a cache file or folder others may write is not used (and is replaced by a private one)', () => {
    for (const target of ['file', 'folder'] as const) {
      const dir = tempDir('toolsmith-ts-cache-');
      loadTypeScript(dir);
      const file = cacheFile(dir);
      const before = statSync(file);
      if (target === 'file') chmodSync(file, 0o666);
      else chmodSync(path.dirname(file), 0o777);
      expect(loadTypeScript(dir)).toBe(EXPECTED);
      // Not trusted, so compiled afresh and written anew: a new file where the old one was.
      expect(statSync(file).ino, target).not.toBe(before.ino);
      expect(statSync(file).mode & 0o777).toBe(0o600);
    }
  });

  it('an unusable cache folder (a file is in its place) costs the cache, never the load', () => {
    const dir = tempDir('toolsmith-ts-cache-');
    writeFileSync(path.join(dir, 'v8'), 'not a folder');
    expect(loadTypeScript(dir)).toBe(EXPECTED);
  });
});
