import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { UserError } from '../models/errors.js';
import { BUILD_DIR } from '../models/package-layout.js';
import { listFiles } from '../stores/hash.js';
import { readRegularFile } from '../stores/read-regular-file.js';
import { FILE_CONCURRENCY, settleLimited } from '../stores/settle-limited.js';
import { hashCandidateFiles } from '../stores/staged-store.js';

export interface Hashes {
  code_hash: string;
  spec_hash: string;
}

/** A candidate's package as validation saw it: read once, hashed from those bytes. */
export interface CandidateSnapshot {
  /** The package folder in staged/ it was read from (named in messages). */
  packageDir: string;
  /** A private copy of exactly these files (no build/): bundles are built from it and the scan gate reads it. */
  dir: string;
  /** Every file but build/, by POSIX path relative to the package. */
  files: ReadonlyMap<string, Buffer>;
  hashes: Hashes;
  /** A file's text, or null when the package has no such file. */
  text(rel: string): string | null;
  cleanup(): Promise<void>;
}

/**
 * Reads a candidate's package once, into memory and a private scratch copy, and hashes the
 * bytes read: every gate then looks at the same files, whatever is written to staged/
 * meanwhile, and the report's hashes name exactly what was validated.
 * @throws UserError for a link, FIFO or other special file, or a missing or unparsable spec.json
 */
export async function readCandidate(packageDir: string): Promise<CandidateSnapshot> {
  // listFiles refuses links and special files; readRegularFile refuses one swapped in since.
  const rels = await listFiles(packageDir, (r) => r === BUILD_DIR);
  const read = new Map<string, Buffer>();
  await settleLimited(rels, FILE_CONCURRENCY, async (rel) => void read.set(rel, await readRegularFile(path.join(packageDir, rel))));
  const files = new Map(rels.map((rel) => [rel, read.get(rel) as Buffer])); // every rel was read (settleLimited throws otherwise); listing order kept
  const hashes = hashCandidateFiles(packageDir, files);
  const dir = await mkdtemp(path.join(os.tmpdir(), 'toolsmith-candidate-'));
  const cleanup = () => rm(dir, { recursive: true, force: true });
  try {
    for (const folder of new Set([...files.keys()].map((rel) => path.dirname(path.join(dir, rel))))) await mkdir(folder, { recursive: true });
    // A private copy: written several files at a time (a generated candidate has dozens).
    await settleLimited([...files], FILE_CONCURRENCY, ([rel, bytes]) => writeFile(path.join(dir, rel), bytes));
  } catch (error) {
    await cleanup();
    throw error;
  }
  return { packageDir, dir, files, hashes, text: (rel) => files.get(rel)?.toString('utf8') ?? null, cleanup };
}

/**
 * Refuses a snapshot whose files hash otherwise than the caller read them (openCandidate):
 * a write raced the validation, and an audit line must not pair one set of files with the
 * verdict on another. @throws UserError
 */
export function assertSnapshotMatches(snapshot: CandidateSnapshot, expected: Hashes): void {
  if (snapshot.hashes.code_hash === expected.code_hash && snapshot.hashes.spec_hash === expected.spec_hash) return;
  throw new UserError(`${snapshot.packageDir} changed while it was being validated`, 'validate it again once nothing else writes to it');
}
