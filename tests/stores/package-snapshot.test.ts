/**
 * Red team (issue 8): validation hashed staged/<id> once, then each gate read the live
 * folder again. A tool author swapping index.ts during `validate` (benign while the gates
 * read it, `eval` when it was hashed) got a passing verdict, scan gate included, recorded
 * for the hash of the code with `eval` (reproduced with the real binary; one run in two).
 * Validation now reads one private copy that hashes to what the audit line records.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { snapshotPackage } from '../../src/stores/package-snapshot.js';
import { readCurrentHashes } from '../../src/stores/staged-store.js';
import { IllegalTransitionError } from '../../src/models/errors.js';
import { tempDir } from '../helpers.js';

function makePackage(): string {
  const dir = tempDir('toolsmith-snap-');
  writeFileSync(path.join(dir, 'spec.json'), '{"tool_name":"t"}');
  writeFileSync(path.join(dir, 'index.ts'), 'export default async function t() { return {}; }\n');
  mkdirSync(path.join(dir, 'lib'));
  writeFileSync(path.join(dir, 'lib/helper.ts'), 'export const x = 1;\n');
  mkdirSync(path.join(dir, 'build'));
  writeFileSync(path.join(dir, 'build/index.js'), 'stale');
  return dir;
}

describe('snapshotPackage', () => {
  it('copies the package (build/ left out) into a private folder that later writes to staged/ do not reach', async () => {
    const dir = makePackage();
    const expected = await readCurrentHashes(dir);
    const snap = await snapshotPackage(dir, 't', expected);
    try {
      writeFileSync(path.join(dir, 'index.ts'), 'export default async function t() { return eval("1"); }\n');
      expect(readFileSync(path.join(snap.dir, 'index.ts'), 'utf8')).not.toContain('eval');
      expect(readFileSync(path.join(snap.dir, 'lib/helper.ts'), 'utf8')).toBe('export const x = 1;\n');
      expect(existsSync(path.join(snap.dir, 'build'))).toBe(false);
      expect(await readCurrentHashes(snap.dir)).toEqual(expected);
    } finally {
      await snap.cleanup();
    }
    expect(existsSync(snap.dir)).toBe(false);
  });

  it('refuses (exit 1, nothing left behind) when the files no longer hash to what was hashed before', async () => {
    const dir = makePackage();
    const expected = await readCurrentHashes(dir);
    writeFileSync(path.join(dir, 'index.ts'), 'export default async function t() { return eval("1"); }\n');
    const error = await snapshotPackage(dir, 't', expected).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IllegalTransitionError);
    expect((error as Error).message).toBe('t: its files changed while they were being read for validation');
  });
});
