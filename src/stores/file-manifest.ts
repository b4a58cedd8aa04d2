import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { listFiles } from './hash.js';
import { errnoCode } from '../models/errno-code.js';

export type FileManifest = Record<string, string>;

/**
 * The signed promotion record beside a frozen version (registry/tools/<id>/<version>/promotion.json).
 * It signs the manifest of every other file, so it cannot be part of that manifest; the
 * promote audit line anchors its own bytes instead (promotion_sha256), and `verify` checks both.
 */
export const PROMOTION_RECORD = 'promotion.json';

export interface ManifestProblem {
  file: string;
  problem: 'modified' | 'missing' | 'unexpected';
}

/** SHA-256 of every file under a folder (the promotion record aside), by sorted relative path. */
export async function createFileManifest(dir: string): Promise<FileManifest> {
  const manifest: FileManifest = {};
  for (const rel of await listFiles(dir, (r) => r === PROMOTION_RECORD)) {
    manifest[rel] = createHash('sha256').update(await readFile(path.join(dir, rel))).digest('hex');
  }
  return manifest;
}

/** Compares a folder with its manifest: every changed, missing or added file, by name. */
export async function checkFileManifest(dir: string, expected: FileManifest): Promise<ManifestProblem[]> {
  let actual: FileManifest;
  try {
    actual = await createFileManifest(dir);
  } catch (error) {
    if (errnoCode(error) === 'ENOENT') return [{ file: '.', problem: 'missing' }];
    throw error;
  }
  const problems: ManifestProblem[] = [];
  for (const [file, hash] of Object.entries(expected)) {
    if (!(file in actual)) problems.push({ file, problem: 'missing' });
    else if (actual[file] !== hash) problems.push({ file, problem: 'modified' });
  }
  for (const file of Object.keys(actual)) if (!(file in expected)) problems.push({ file, problem: 'unexpected' });
  return problems;
}
