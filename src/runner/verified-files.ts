// The integrity check of a promoted version's files, and what a long-lived resolver (serve's
// every-call verification) may skip of it. The bytes that go on to the sandbox are always
// bytes that were read and matched their SHA-256; a skipped check returns the same bytes
// as the last full one, never other bytes from disk.
import { createHash } from 'node:crypto';
import path from 'node:path';
import { errnoCode } from '../models/errno-code.js';
import { entryState, isFresh, readWithState, currentKey, type FileState, type WallClock } from '../stores/file-snapshot.js';
import { listFiles } from '../stores/hash.js';
import { PROMOTION_RECORD } from '../stores/file-manifest.js';

export interface VerifiedFiles {
  /** The bytes read, for the files that matched their hash (shared between calls: never modify them). */
  files: ReadonlyMap<string, Buffer>;
  /** What does not match (`rel (modified)`, `rel (missing)`, `rel (unexpected)`); empty: intact. */
  problems: string[];
}

/** Reads a version folder and checks it against the hashes its promote line records. */
export type VerifiedFilesReader = (dir: string, expected: Readonly<Record<string, string>>) => Promise<VerifiedFiles>;

interface Kept {
  /** The expected hashes the files were checked against. */
  expected: string;
  /** Every folder (before it was listed) and file (before it was read): absolute path, state key. */
  states: Array<[string, string]>;
  readAt: number;
  files: ReadonlyMap<string, Buffer>;
}

/**
 * Reads every file of a version folder ONCE and checks those bytes against the SHA-256
 * recorded at promote time. The bytes returned are the bytes hashed: the sandbox runs a
 * copy of them, so a writer racing this check cannot swap the code that runs.
 */
async function readAndCheck(dir: string, expected: Readonly<Record<string, string>>, clock: WallClock): Promise<VerifiedFiles & { states: FileState[]; keys: Array<[string, string]> }> {
  const files = new Map<string, Buffer>();
  const problems: string[] = [];
  const states: FileState[] = [];
  const keys: Array<[string, string]> = [];
  const note = (file: string, state: FileState | null): void => {
    if (state === null) return;
    states.push(state);
    keys.push([file, state.key]);
  };
  let present: string[];
  try {
    // The signed promotion record is anchored by the promote line, not by the manifest (file-manifest.ts).
    present = await listFiles(dir, (rel) => rel === PROMOTION_RECORD, (rel) => note(path.join(dir, rel), entryState(path.join(dir, rel), clock)));
  } catch (error) {
    const code = errnoCode(error);
    return { files, problems: [code === 'ENOENT' ? '. (missing)' : `. (${error instanceof Error ? error.message : String(error)})`], states, keys };
  }
  for (const rel of present) {
    if (!Object.hasOwn(expected, rel)) {
      problems.push(`${rel} (unexpected)`);
      continue;
    }
    const file = path.join(dir, rel);
    // Synchronous: a handful of small files on the `run` hot path (no thread-pool round trips).
    // No symbolic link is followed, and the open cannot block on a FIFO swapped in since the listing.
    let read: ReturnType<typeof readWithState>;
    try {
      read = readWithState(file, clock, false);
    } catch (error) {
      const code = errnoCode(error);
      if (code !== 'ENOENT' && code !== 'ELOOP' && code !== 'EFTYPE') throw error;
      problems.push(`${rel} (${code === 'ENOENT' ? 'missing' : 'not a regular file'})`);
      continue;
    }
    note(file, read.state);
    if (createHash('sha256').update(read.bytes).digest('hex') !== expected[rel]) problems.push(`${rel} (modified)`);
    else files.set(rel, read.bytes);
  }
  for (const rel of Object.keys(expected)) if (!present.includes(rel)) problems.push(`${rel} (missing)`);
  return { files, problems, states, keys };
}

/**
 * The check, for a resolver that checks the same versions again and again (`serve` checks
 * before every call; a one-off `run` has nothing to keep). After a full check that found the
 * folder intact, it keeps the bytes with the state of every folder and file of the version
 * (file-snapshot.ts); a later call re-reads nothing when every
 * one of those states is exactly as it was (one lstat each), the full check was less than
 * MAX_TRUST_MS ago, and every state was trusted then (its last change older than
 * RACY_WINDOW_MS). Any write, truncation, chmod, rename over, added or removed file changes
 * a state and gets the full check, so a tampered file is refused on the next call.
 */
export function createVerifiedFilesReader(clock: WallClock = Date.now): VerifiedFilesReader {
  const kept = new Map<string, Kept>();
  return async (dir, expected) => {
    const want = JSON.stringify(expected);
    const entry = kept.get(dir);
    if (entry !== undefined && entry.expected === want && isFresh(entry.readAt, clock()) && entry.states.every(([file, key]) => currentKey(file, false) === key)) {
      return { files: entry.files, problems: [] };
    }
    kept.delete(dir);
    const readAt = clock();
    const { files, problems, states, keys } = await readAndCheck(dir, expected, clock);
    if (problems.length === 0 && states.every((state) => state.trusted)) kept.set(dir, { expected: want, states: keys, readAt, files });
    return { files, problems };
  };
}
