/**
 * What a long-lived process (`serve`) may skip re-reading: a file whose state, as the kernel
 * reports it, is exactly what it was when the file was last read. The state is the file's
 * (dev, ino, mode, size, mtime ns, ctime ns). Why an equal state means equal content:
 * - every change to a file's content or metadata (write, truncate, chmod, chown, rename, link,
 *   utimensat itself) sets its ctime to the kernel's current time, and no system call lets a
 *   process set ctime (utimensat/`touch -d` set atime and mtime only);
 * - a file replaced under its name (rename over it, delete and re-create) is another inode, or
 *   the same inode number re-used with a fresh ctime; a folder's entries cannot change without
 *   its own mtime and ctime changing.
 * Timestamps are coarse (a clock tick, not a nanosecond): a change made just after a read can
 * carry the same ctime as the state read (git's "racy" problem). So a state is trusted only
 * when its ctime and mtime are at least RACY_WINDOW_MS older than the moment it was taken;
 * anything newer is read again every time, until it has aged. Forging a state takes setting
 * the system clock back (CAP_SYS_TIME) or a file system that reports what its owner wants
 * (a raw block device, an attacker's FUSE mount): the powers of someone the registry's files
 * do not stand against anyway.
 */
import { closeSync, constants, fstatSync, lstatSync, openSync, readSync, statSync, type BigIntStats } from 'node:fs';
import { errnoCode } from '../models/errno-code.js';

/** How much older than its reading a file's last change must be for its state to be trusted. */
export const RACY_WINDOW_MS = 2_000;

/** A file's state: equal keys, equal content (when `trusted`). */
export interface FileState {
  key: string;
  /** Its last change was at least RACY_WINDOW_MS before the state was taken. */
  trusted: boolean;
}

/** The wall clock (ms since the epoch), the clock file times are set from. */
export type WallClock = () => number;

/** The state of a file from its stats, taken at `takenAtMs` (read the clock before the stat). */
export function stateOf(stats: BigIntStats, takenAtMs: number): FileState {
  const key = `${stats.dev}:${stats.ino}:${stats.mode}:${stats.size}:${stats.mtimeNs}:${stats.ctimeNs}`;
  const limit = (BigInt(Math.floor(takenAtMs)) - BigInt(RACY_WINDOW_MS)) * 1_000_000n;
  // A ctime of 0 is a file system that keeps none: nothing can be concluded from it.
  const trusted = stats.ctimeNs > 0n && stats.ctimeNs < limit && stats.mtimeNs < limit;
  return { key, trusted };
}

/** The key of what is at `file` now, without following a symbolic link (`follow` false) or through it; null when nothing is there. */
export function currentKey(file: string, follow: boolean): string | null {
  const stats = follow ? statSync(file, { bigint: true, throwIfNoEntry: false }) : lstatSync(file, { bigint: true, throwIfNoEntry: false });
  return stats === undefined ? null : stateOf(stats, 0).key;
}

/** The state of what is at `file` now (lstat), or null when nothing is there. */
export function entryState(file: string, clock: WallClock): FileState | null {
  const takenAt = clock();
  const stats = lstatSync(file, { bigint: true, throwIfNoEntry: false });
  return stats === undefined ? null : stateOf(stats, takenAt);
}

/** A regular file's bytes and its state taken from the open file before they were read. */
export interface FileRead {
  bytes: Buffer;
  state: FileState;
  /** The clock's reading before the file was opened. */
  takenAt: number;
}

/**
 * Reads a regular file together with its state (fstat of the open file, before reading: a
 * change during the read gives a later state, so it is seen next time). Synchronous: small
 * registry files on a server's per-call path. `follow` false refuses a symbolic link (ELOOP).
 * The open is non-blocking, so a FIFO swapped in cannot make it wait.
 * @throws the fs error (ENOENT, ELOOP, ...); an Error with code EFTYPE when it is not a regular file
 */
export function readWithState(file: string, clock: WallClock, follow = true): FileRead {
  const takenAt = clock();
  const fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK | (follow ? 0 : constants.O_NOFOLLOW));
  try {
    const stats = fstatSync(fd, { bigint: true });
    if (!stats.isFile()) throw Object.assign(new Error(`${file} is not a regular file`), { code: 'EFTYPE', path: file });
    const size = Number(stats.size);
    const chunks: Buffer[] = [];
    let total = 0;
    // Read to the end, not to the size fstat said: the file may grow meanwhile.
    for (let chunk = Buffer.allocUnsafe(Math.max(size, 4096)); ; chunk = Buffer.allocUnsafe(64 * 1024)) {
      const n = readSync(fd, chunk, 0, chunk.length, null);
      if (n === 0) break;
      chunks.push(chunk.subarray(0, n));
      total += n;
    }
    // `as`: one chunk was pushed
    return { bytes: chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, total), state: stateOf(stats, takenAt), takenAt };
  } finally {
    closeSync(fd);
  }
}

/**
 * How long a trusted state may stand in for reading: after this, the file is read (and a
 * package hashed) again even when its state is unchanged. It bounds what nothing above sees:
 * a writer holding a shared writable mapping of the file (a page already dirty takes further
 * writes without a new mtime or ctime until it is written back).
 */
export const MAX_TRUST_MS = 1_000;

/** Whether a value read at `readAtMs`, in a trusted state, may still be used at `nowMs`. */
export function isFresh(readAtMs: number, nowMs: number): boolean {
  return nowMs >= readAtMs && nowMs - readAtMs < MAX_TRUST_MS;
}

/**
 * A value parsed from one file, kept while the file's state is unchanged, was trusted when
 * it was read, and was read less than MAX_TRUST_MS ago. Otherwise the file is read again;
 * bytes equal to the last ones read give the last value without parsing (the value is a
 * function of the bytes alone). `missing` is what an absent file gives.
 */
export function createFileMemo<T>(parse: (bytes: Buffer, file: string) => T, missing: () => T, clock: WallClock = Date.now): (file: string) => T {
  const kept = new Map<string, { state: FileState; readAt: number; bytes: Buffer; value: T }>();
  return (file) => {
    const entry = kept.get(file);
    if (entry !== undefined && entry.state.trusted && isFresh(entry.readAt, clock()) && currentKey(file, true) === entry.state.key) return entry.value;
    kept.delete(file);
    let read: FileRead;
    try {
      read = readWithState(file, clock);
    } catch (error) {
      if (errnoCode(error) === 'ENOENT') return missing();
      throw error;
    }
    const value = entry !== undefined && entry.bytes.equals(read.bytes) ? entry.value : parse(read.bytes, file);
    kept.set(file, { state: read.state, readAt: read.takenAt, bytes: read.bytes, value });
    return value;
  };
}
