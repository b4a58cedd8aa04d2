import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { IllegalTransitionError, UserError } from '../models/errors.js';
import { BUILD_DIR, listFiles } from './hash.js';
import { readRegularFile } from './read-regular-file.js';
import { readCurrentHashes } from './staged-store.js';

export interface PackageSnapshot {
  /** A private copy of the package's files (build/ left out): what every check reads. */
  dir: string;
  cleanup: () => Promise<void>;
}

/**
 * Copies a candidate's package into a private temporary folder and checks that the copy
 * hashes to `expected` (the hashes its audit line will record). Validation then reads only
 * the copy: the package in staged/ is writable by the tool's author, who could otherwise
 * swap index.ts between the hashing and the gates (the gates pass benign code while the
 * audit line records the hash of code with `eval`). Files are read with readRegularFile
 * (never a FIFO, a device or a link swapped in); a file that vanishes mid-copy is a refusal.
 * @throws IllegalTransitionError (exit 1) when the files changed since they were hashed
 */
export async function snapshotPackage(packageDir: string, toolId: string, expected: { code_hash: string; spec_hash: string }): Promise<PackageSnapshot> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'toolsmith-snapshot-'));
  const cleanup = () => rm(dir, { recursive: true, force: true });
  const changed = () => new IllegalTransitionError(`${toolId}: its files changed while they were being read for validation`, `stop whatever is writing to staged/${toolId}, then validate again`);
  try {
    for (const rel of await listFiles(packageDir, (r) => r === BUILD_DIR)) {
      const bytes = await readRegularFile(path.join(packageDir, rel)).catch((error: NodeJS.ErrnoException) => {
        if (error.code === 'ENOENT' || error.code === 'ELOOP') throw changed();
        throw error;
      });
      await mkdir(path.dirname(path.join(dir, rel)), { recursive: true });
      await writeFile(path.join(dir, rel), bytes);
    }
    const copy = await readCurrentHashes(dir).catch((error: unknown) => {
      if (error instanceof UserError) throw changed();
      throw error;
    });
    if (copy.code_hash !== expected.code_hash || copy.spec_hash !== expected.spec_hash) throw changed();
    return { dir, cleanup };
  } catch (error) {
    await cleanup();
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw changed();
    throw error;
  }
}
