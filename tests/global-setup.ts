import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Builds dist/ once before any test: end-to-end tests spawn the real bin/toolsmith.js.
 * Every CLI the tests start keeps its generated validators in one temporary cache folder
 * (TOOLSMITH_CACHE_DIR, inherited by the test workers and their children), removed at the
 * end, so the suite never writes into the user's ~/.cache.
 */
export default function setup(): () => void {
  const root = fileURLToPath(new URL('..', import.meta.url));
  execFileSync(process.execPath, [fileURLToPath(new URL('../node_modules/typescript/bin/tsc', import.meta.url)), '-p', 'tsconfig.json'], { cwd: root, stdio: 'inherit' });
  const cache = mkdtempSync(path.join(os.tmpdir(), 'toolsmith-test-cache-'));
  process.env['TOOLSMITH_CACHE_DIR'] = cache;
  return () => rmSync(cache, { recursive: true, force: true });
}
