// The state a long-lived process keeps a file's reading by (serve's per-call checks): what
// makes it trusted, and that every way of changing a file changes it. The clock is a
// parameter: "later" is a clock set ahead, never a wait.
import { execFileSync } from 'node:child_process';
import { closeSync, lstatSync, openSync, renameSync, statSync, symlinkSync, utimesSync, writeFileSync, writeSync } from 'node:fs';
import type { BigIntStats } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createFileMemo, MAX_TRUST_MS, RACY_WINDOW_MS, readWithState, stateOf } from '../../src/stores/file-snapshot.js';
import { errnoCode } from '../../src/models/errno-code.js';
import { tempDir } from '../helpers.js';

const NS_PER_MS = 1_000_000n;

/** Stats as the kernel gives them, with chosen times (only the fields stateOf reads). */
function stats(mtimeMs: number, ctimeMs: number): BigIntStats {
  // `as`: stateOf reads only these fields
  return { dev: 1n, ino: 2n, mode: 0o100644n, size: 3n, mtimeNs: BigInt(mtimeMs) * NS_PER_MS, ctimeNs: BigInt(ctimeMs) * NS_PER_MS } as unknown as BigIntStats;
}

/** Overwrites the first byte of a file in place (same size), and gives back its mtime as it was. */
function flipFirstByte(file: string): Date {
  const before = statSync(file).mtime;
  const fd = openSync(file, 'r+');
  writeSync(fd, 'Z', 0);
  closeSync(fd);
  return before;
}

describe('stateOf', () => {
  const at = 1_800_000_000_000;
  it('trusts a state only when its last change is at least RACY_WINDOW_MS older than the moment it was taken', () => {
    expect(stateOf(stats(at - RACY_WINDOW_MS - 1, at - RACY_WINDOW_MS - 1), at).trusted).toBe(true);
    expect(stateOf(stats(at - 10_000, at - RACY_WINDOW_MS + 1), at).trusted).toBe(false);
    expect(stateOf(stats(at - 10_000, at - 5), at).trusted).toBe(false);
    // An mtime set into the future (touch -d) is as untrustworthy as a recent change.
    expect(stateOf(stats(at + 60_000, at - 10_000), at).trusted).toBe(false);
    // A file system that keeps no ctime tells nothing.
    expect(stateOf(stats(at - 10_000, 0), at).trusted).toBe(false);
  });

  it('keys on device, inode, mode, size, and both times to the nanosecond', () => {
    const base = stateOf(stats(at - 10_000, at - 10_000), at).key;
    const other = { ...stats(at - 10_000, at - 10_000), ctimeNs: BigInt(at - 10_000) * NS_PER_MS + 1n } as unknown as BigIntStats; // `as`: as above
    expect(stateOf(other, at).key).not.toBe(base);
    expect(stateOf({ ...stats(at - 10_000, at - 10_000), ino: 3n } as unknown as BigIntStats, at).key).not.toBe(base); // `as`: as above
  });
});

describe('readWithState', () => {
  it('refuses what is not a regular file without blocking on it, and a symbolic link when told not to follow', () => {
    const dir = tempDir();
    const fifo = path.join(dir, 'fifo');
    execFileSync('mkfifo', [fifo]);
    expect(() => readWithState(fifo, Date.now)).toThrow(/not a regular file/);
    const file = path.join(dir, 'file');
    writeFileSync(file, 'x');
    const link = path.join(dir, 'link');
    symlinkSync(file, link);
    expect(readWithState(link, Date.now).bytes.toString()).toBe('x');
    let code: string | undefined;
    try {
      readWithState(link, Date.now, false);
    } catch (error) {
      code = errnoCode(error);
    }
    expect(code).toBe('ELOOP');
  });
});

describe('createFileMemo', () => {
  function setUp() {
    const dir = tempDir();
    const file = path.join(dir, 'data.json');
    writeFileSync(file, '{"n":1}');
    let now = Date.now() + RACY_WINDOW_MS + 1_000; // the file is old enough to be trusted
    let parses = 0;
    const read = createFileMemo((bytes) => {
      parses++;
      return JSON.parse(bytes.toString('utf8')) as { n: number };
    }, () => ({ n: 0 }), () => now);
    return { dir, file, read, parses: () => parses, advance: (ms: number) => (now += ms) };
  }

  it('keeps the value of an unchanged, trusted file: no read, no parse', () => {
    const { file, read, parses } = setUp();
    const first = read(file);
    expect(read(file)).toBe(first);
    expect(parses()).toBe(1);
  });

  it('reads again once MAX_TRUST_MS passed (equal bytes give the kept value without parsing)', () => {
    const { file, read, parses, advance } = setUp();
    const first = read(file);
    advance(MAX_TRUST_MS);
    writeFileSync(file, '{"n":1}');
    expect(read(file)).toBe(first);
    expect(parses()).toBe(1);
  });

  it('sees an in-place write of the same size whose mtime was set back (touch -d)', () => {
    const { file, read } = setUp();
    expect(read(file).n).toBe(1);
    writeFileSync(file, '{"n":2}');
    const before = statSync(file);
    utimesSync(file, before.atime, new Date(Date.now() - 3_600_000));
    expect(read(file).n).toBe(2);
  });

  it('sees a file renamed over it, and a deleted one', () => {
    const { dir, file, read } = setUp();
    expect(read(file).n).toBe(1);
    const other = path.join(dir, 'other.json');
    writeFileSync(other, '{"n":3}');
    renameSync(other, file);
    expect(read(file).n).toBe(3);
    renameSync(file, other);
    expect(read(file).n).toBe(0);
  });

  it('sees an in-place write of the same size right after a read, in the same second, with the mtime put back', () => {
    const { file, read } = setUp();
    const hourAgo = Math.floor(Date.now() / 1000) - 3600; // whole seconds: utimes sets them exactly
    utimesSync(file, hourAgo, hourAgo);
    expect(read(file).n).toBe(1);
    const mtime = flipFirstByte(file);
    utimesSync(file, mtime, mtime);
    expect(lstatSync(file, { bigint: true }).mtimeNs).toBe(BigInt(hourAgo) * 1_000_000_000n);
    expect(() => read(file)).toThrow(SyntaxError);
  });

  it('passes on errors other than a missing file', () => {
    const dir = tempDir();
    const read = createFileMemo((bytes) => bytes.length, () => -1);
    expect(read(path.join(dir, 'absent'))).toBe(-1);
    let code: string | undefined;
    try {
      read(dir);
    } catch (error) {
      code = errnoCode(error);
    }
    expect(code).toBe('EFTYPE');
  });
});
