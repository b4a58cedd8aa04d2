import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
/** The checkout's own workspace: tests must never write into it (they use temporary copies). */
const WORKSPACE_PATHS = ['registry', 'staged', 'examples', 'toolsmith.config.json'];
/** Untracked or ignored files a build or an install makes: not written by tests. */
const BUILD_OUTPUT = /^(dist|node_modules|coverage)\//;

/**
 * Builds dist/ once before any test (end-to-end tests spawn the real bin/toolsmith.js). The
 * build emits without type-checking (`--noCheck`): `npm test` has already type-checked src/,
 * tests/ and bench/ with tsconfig.test.json, and a second check of src/ cost ~6 s of CPU. It
 * still fails on a syntax error. It also
 * holds the suite to its two housekeeping rules (SPEC 10, issue 9):
 * - every temporary folder a test (or the CLI it runs) creates is removed: the run gets a
 *   private TMPDIR (workers and the processes they spawn inherit it), which must be empty at the end;
 * - no test writes into the checkout: its workspace files and git's view of the tree are
 *   compared before and after.
 * A broken rule fails the run, naming what was left or changed.
 */
export default function setup(): () => void {
  execFileSync(process.execPath, [path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json', '--noCheck'], { cwd: ROOT, stdio: 'inherit' });
  // The CLI bundle bin/toolsmith.js starts from (as `npm run build` makes it): the end-to-end tests run what users run.
  execFileSync(process.execPath, [path.join(ROOT, 'scripts', 'build-bundle.mjs')], { cwd: ROOT, stdio: 'inherit' });
  const previousTmpdir = process.env['TMPDIR'];
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'toolsmith-vitest-'));
  // The validators every CLI the tests start compiles go to a cache of the run's own, never ~/.cache.
  const cache = mkdtempSync(path.join(os.tmpdir(), 'toolsmith-test-cache-'));
  process.env['TOOLSMITH_CACHE_DIR'] = cache;
  // One workspace made by the real `toolsmith init .`, which createWorkspace() (tests/helpers.ts)
  // copies: init's files never depend on where or when it ran, and one spawn replaces hundreds.
  const template = mkdtempSync(path.join(os.tmpdir(), 'toolsmith-test-workspace-'));
  execFileSync(process.execPath, [path.join(ROOT, 'bin', 'toolsmith.js'), 'init', '.'], { cwd: template, env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'ignore', 'inherit'] });
  process.env['TOOLSMITH_TEST_WORKSPACE_TEMPLATE'] = template;
  process.env['TMPDIR'] = tmp;
  const before = checkoutState();
  return () => {
    rmSync(cache, { recursive: true, force: true });
    rmSync(template, { recursive: true, force: true });
    delete process.env['TOOLSMITH_TEST_WORKSPACE_TEMPLATE'];
    if (previousTmpdir === undefined) delete process.env['TMPDIR'];
    else process.env['TMPDIR'] = previousTmpdir;
    const left = readdirSync(tmp);
    rmSync(tmp, { recursive: true, force: true });
    const problems: string[] = [];
    if (left.length > 0) problems.push(`tests left ${left.length} temporary file(s) or folder(s) behind (use tempDir() from tests/helpers.ts): ${left.sort().join(', ')}`);
    const after = checkoutState();
    const changed = [...new Set([...Object.keys(before), ...Object.keys(after)])].filter((k) => before[k] !== after[k]).sort();
    if (changed.length > 0) problems.push(`tests wrote into the checkout: ${changed.join(', ')}`);
    if (problems.length > 0) throw new Error(problems.join('\n'));
  };
}

/** path -> content hash for the checkout's workspace files, plus every untracked or ignored path git reports. */
function checkoutState(): Record<string, string> {
  const state: Record<string, string> = {};
  const walk = (rel: string): void => {
    const full = path.join(ROOT, rel);
    if (!existsSync(full)) return;
    if (statSync(full).isDirectory()) for (const name of readdirSync(full)) walk(path.join(rel, name));
    else state[rel] = createHash('sha256').update(readFileSync(full)).digest('hex');
  };
  for (const rel of WORKSPACE_PATHS) walk(rel);
  const status = execFileSync('git', ['status', '--porcelain', '--ignored', '--untracked-files=all'], { cwd: ROOT, encoding: 'utf8' });
  for (const line of status.split('\n')) {
    const file = line.slice(3);
    if ((line.startsWith('??') || line.startsWith('!!')) && !BUILD_OUTPUT.test(file)) state[`git:${file}`] ??= 'present';
  }
  return state;
}
