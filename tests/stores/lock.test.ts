/**
 * The registry lock when its holder is paused (issue 9, item 9): a real process holding the
 * lock is stopped with SIGSTOP past the stale time, another takes the lock over and commits a
 * transition, then the paused one resumes. It must end with one clean error line and a retry
 * hint (no ECOMPROMISED stack), write nothing, and leave the other's lock and work alone.
 */
import { spawn } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readAuditChain } from '../../src/stores/audit-log.js';
import { withRegistryLock } from '../../src/stores/lock.js';
import { commitTransitionLocked } from '../../src/stores/record-transition.js';
import { ROOT, tempDir } from '../helpers.js';

const dist = (rel: string) => pathToFileURL(path.join(ROOT, 'dist', rel)).href;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The holder: takes the lock, says so, waits for `go`, then writes (as a promote's commit would) and reports through the CLI's error path. */
const HOLDER = `
import { existsSync } from 'node:fs';
import path from 'node:path';
const { withRegistryLock } = await import(${JSON.stringify(dist('stores/lock.js'))});
const { writeFileAtomically } = await import(${JSON.stringify(dist('stores/atomic-write.js'))});
const { reportError } = await import(${JSON.stringify(dist('cli/report-error.js'))});
const [registry, go] = process.argv.slice(2);
try {
  await withRegistryLock(registry, async () => {
    process.stdout.write('locked\\n');
    while (!existsSync(go)) await new Promise((r) => setTimeout(r, 20));
    await writeFileAtomically(path.join(registry, 'from-paused-holder.json'), '{}\\n');
  });
  process.exitCode = 0;
} catch (error) {
  process.exitCode = reportError(error, {});
}
`;

describe('registry lock', () => {
  it('a holder paused past the stale time loses the lock cleanly: one error line, nothing written, the new holder undisturbed', async () => {
    const dir = tempDir('toolsmith-lock-');
    const registry = path.join(dir, 'registry');
    const go = path.join(dir, 'go');
    const script = path.join(dir, 'holder.mjs');
    writeFileSync(script, HOLDER);
    const holder = spawn(process.execPath, [script, registry, go], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    holder.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    holder.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((resolve) => holder.on('close', resolve));
    for (let i = 0; i < 300 && !stdout.includes('locked'); i++) await sleep(50);
    expect(stdout).toContain('locked');
    holder.kill('SIGSTOP');

    // The lock goes stale while its holder is stopped; this process takes it over and commits.
    const lockDir = path.join(registry, '.lock');
    let holderCode: number | null = null;
    await withRegistryLock(registry, async () => {
      writeFileSync(go, '');
      holder.kill('SIGCONT');
      holderCode = await exited;
      // The resumed holder neither wrote nor removed this process's lock (not even at its exit).
      expect(existsSync(lockDir)).toBe(true);
      await commitTransitionLocked(registry, { action: 'generate', ts: '2026-01-01T00:00:00.000Z', tool_id: 'after_takeover', version: '1.0.0', actor: 'b', created_by: 'template:default', code_hash: 'c'.repeat(64), spec_hash: 'e'.repeat(64) });
    });

    expect(holderCode, stderr).toBe(1);
    const lines = stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^toolsmith: lost the registry lock \(another process took it over\)/);
    expect(lines[1]).toMatch(/^hint: run the command again/);
    expect(stderr).not.toMatch(/ECOMPROMISED|^\s+at /m);
    expect(existsSync(path.join(registry, 'from-paused-holder.json'))).toBe(false);
    const chain = await readAuditChain(registry);
    expect(chain.problems).toEqual([]);
    expect(chain.records.map((r) => r.tool_id)).toEqual(['after_takeover']);
    expect(existsSync(lockDir)).toBe(false);
  }, 40_000);
});
