// The integrity check of a promoted version as a long-lived resolver (serve) runs it before
// every call: what it keeps between calls, and that every way of tampering with a kept
// version gets the full check and is refused on the next call. "Later" is a clock parameter.
import { createHash } from 'node:crypto';
import { closeSync, mkdirSync, openSync, readFileSync, renameSync, statSync, symlinkSync, unlinkSync, utimesSync, writeFileSync, writeSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createVerifiedFilesReader } from '../../src/runner/verified-files.js';
import { MAX_TRUST_MS, RACY_WINDOW_MS } from '../../src/stores/file-snapshot.js';
import { tempDir } from '../helpers.js';

const FILES: Record<string, string> = {
  'index.ts': 'export default () => ({ ok: true });\n',
  'build/index.js': 'export default () => ({ ok: true });\n',
  'build/_toolsmith/input-validator.js': 'export default () => true;\n',
};

function setUp(options: { aged: boolean } = { aged: true }) {
  const dir = tempDir();
  const expected: Record<string, string> = {};
  for (const [rel, text] of Object.entries(FILES)) {
    mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    writeFileSync(path.join(dir, rel), text);
    expected[rel] = createHash('sha256').update(text).digest('hex');
  }
  // aged: the clock says the files were written long enough ago for their states to be trusted.
  let now = Date.now() + (options.aged ? RACY_WINDOW_MS + 1_000 : 0);
  const read = createVerifiedFilesReader(() => now);
  return { dir, expected, check: () => read(dir, expected), advance: (ms: number) => (now += ms) };
}

describe('createVerifiedFilesReader', () => {
  it('checks every file, and keeps the verified bytes of an intact version whose files have aged', async () => {
    const { check } = setUp();
    const first = await check();
    expect(first.problems).toEqual([]);
    expect([...first.files.keys()].sort()).toEqual(Object.keys(FILES).sort());
    expect(first.files.get('build/index.js')?.toString()).toBe(FILES['build/index.js']);
    // Kept: the very same bytes, not a new reading.
    expect((await check()).files).toBe(first.files);
  });

  it('keeps nothing while a file changed less than RACY_WINDOW_MS ago: each call reads and hashes again', async () => {
    const { check } = setUp({ aged: false });
    const first = await check();
    expect(first.problems).toEqual([]);
    expect((await check()).files).not.toBe(first.files);
  });

  it('checks everything again once MAX_TRUST_MS passed, even with nothing changed', async () => {
    const { check, advance } = setUp();
    const first = await check();
    advance(MAX_TRUST_MS);
    const again = await check();
    expect(again.problems).toEqual([]);
    expect(again.files).not.toBe(first.files);
  });

  it('checks against the hashes it is given: other expected hashes are never answered from what was kept', async () => {
    const { dir, expected, check } = setUp();
    await check();
    const read = createVerifiedFilesReader(() => Date.now() + RACY_WINDOW_MS + 1_000);
    await read(dir, expected);
    expect((await read(dir, { ...expected, 'index.ts': '0'.repeat(64) })).problems).toEqual(['index.ts (modified)']);
  });

  // Each tampering, after a call that kept the version: the next check refuses it.
  const tamperings: Array<[string, (dir: string) => void, string[]]> = [
    ['an in-place write of the same size, the mtime put back', (dir) => {
      const file = path.join(dir, 'build/index.js');
      const before = statSync(file);
      const fd = openSync(file, 'r+');
      writeSync(fd, 'X', 0);
      closeSync(fd);
      utimesSync(file, before.atime, before.mtime);
    }, ['build/index.js (modified)']],
    ['another file renamed over it', (dir) => {
      const other = path.join(dir, 'other.js');
      writeFileSync(other, (FILES['build/index.js'] ?? '').replace('true', 'fals'));
      renameSync(other, path.join(dir, 'build/index.js'));
    }, ['build/index.js (modified)']],
    ['a content change with `touch -d` restoring the old mtime', (dir) => {
      const file = path.join(dir, 'index.ts');
      const before = statSync(file);
      writeFileSync(file, `${readFileSync(file, 'utf8')}// more\n`);
      utimesSync(file, before.atime, before.mtime);
    }, ['index.ts (modified)']],
    ['a file added in a nested folder', (dir) => writeFileSync(path.join(dir, 'build/_toolsmith/extra.js'), 'x'), ['build/_toolsmith/extra.js (unexpected)']],
    ['a file deleted', (dir) => unlinkSync(path.join(dir, 'build/_toolsmith/input-validator.js')), ['build/_toolsmith/input-validator.js (missing)']],
    ['a file replaced by a symbolic link to the same bytes', (dir) => {
      const file = path.join(dir, 'build/index.js');
      const copy = path.join(tempDir(), 'copy.js');
      writeFileSync(copy, readFileSync(file));
      unlinkSync(file);
      symlinkSync(copy, file);
    }, ['. (symbolic links are not allowed in a tool package']],
  ];
  for (const [name, tamper, problems] of tamperings) {
    it(`refuses ${name} on the next check`, async () => {
      const { dir, check } = setUp();
      const first = await check();
      expect((await check()).files).toBe(first.files);
      tamper(dir);
      const after = await check();
      expect(after.problems.map((p, i) => p.slice(0, problems[i]?.length))).toEqual(problems);
    });
  }
});
