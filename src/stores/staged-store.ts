import { readdir, rm, mkdir, rename } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { ToolCandidate } from '../models/index.js';
import { parseStored } from '../models/stored.js';
import { NotFoundError, UserError } from '../models/errors.js';
import { parseJsonText } from './read-json.js';
import { assertToolId } from './tool-id.js';
import { toolIdProblem } from '../models/tool-id.js';
import { writeJsonAtomically, writeFileAtomically, formatJson } from './atomic-write.js';
import { hashCodeBytes, hashPackageCode, hashSpec } from './hash.js';
import { readRegularText } from './read-regular-file.js';
import { FILE_CONCURRENCY, settleLimited } from './settle-limited.js';

/**
 * Checks a tool id before it is ever joined into a path: `../x`, `A-B`, `a b` and ids
 * over 64 characters are refused here, so no command can reach outside staged/ or registry/.
 * @throws UserError (exit 2)
 */
export { assertToolId } from './tool-id.js';

/** The folder of a candidate in staged/. */
export function candidateDir(stagedDir: string, toolId: string): string {
  return path.join(stagedDir, assertToolId(toolId));
}

/** Whether staged/ holds a candidate of that id. */
export function hasCandidate(stagedDir: string, toolId: string): boolean {
  return existsSync(path.join(candidateDir(stagedDir, toolId), 'candidate.json'));
}

/** Reads and validates a candidate's record. @throws NotFoundError, UserError */
export async function readCandidate(stagedDir: string, toolId: string): Promise<ToolCandidate> {
  const dir = candidateDir(stagedDir, toolId);
  const file = path.join(dir, 'candidate.json');
  if (!existsSync(file)) {
    throw new NotFoundError(`no candidate "${toolId}" in ${stagedDir}`, 'list candidates with `toolsmith list`');
  }
  const parsed = parseStored('ToolCandidate', parseJsonText(await readRegularText(file), file));
  if (!parsed.ok) throw new UserError(`${file}: not a valid candidate record: ${parsed.problems}`, `regenerate it with \`toolsmith generate --force\``);
  return parsed.value;
}

/** Writes a candidate's record atomically. */
export async function writeCandidate(stagedDir: string, candidate: ToolCandidate): Promise<void> {
  await writeJsonAtomically(path.join(candidateDir(stagedDir, candidate.tool_id), 'candidate.json'), candidate);
}

/** The hashes of a candidate's files as they are on disk now. */
export async function readCurrentHashes(packageDir: string): Promise<{ code_hash: string; spec_hash: string }> {
  return (await readCurrentState(packageDir)).hashes;
}

/**
 * The hashes of a candidate's files as they are on disk now, and spec.json as parsed for
 * spec_hash (one read of it: callers that check a field need not open it again).
 * @throws UserError for a link or special file in the package, a missing or unparsable spec.json
 */
export async function readCurrentState(packageDir: string): Promise<{ hashes: { code_hash: string; spec_hash: string }; spec: unknown }> {
  const specFile = path.join(packageDir, 'spec.json');
  // Hash first: listFiles refuses a FIFO, socket or link anywhere in the package before anything is opened.
  const code_hash = await hashPackageCode(packageDir);
  const text = await readRegularText(specFile).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') throw missingSpec(specFile);
    throw error;
  });
  const spec = parseJsonText(text, specFile);
  return { hashes: { code_hash, spec_hash: hashSpec(spec) }, spec };
}

/**
 * The hashes of a candidate's files already read (POSIX path -> bytes; build/ left out), as
 * readCurrentHashes gives them for the same files on disk. Pure.
 * @throws UserError when spec.json is missing or is not JSON
 */
export function hashCandidateFiles(packageDir: string, files: ReadonlyMap<string, Uint8Array>): { code_hash: string; spec_hash: string } {
  const specFile = path.join(packageDir, 'spec.json');
  const spec = files.get('spec.json');
  if (spec === undefined) throw missingSpec(specFile);
  return { code_hash: hashCodeBytes(files), spec_hash: hashSpec(parseJsonText(Buffer.from(spec).toString('utf8'), specFile)) };
}

function missingSpec(specFile: string): UserError {
  return new UserError(`${specFile} is missing`, 'restore it, or regenerate the candidate with `toolsmith generate --force`');
}

/** Ids of every candidate in staged/, sorted. */
export async function listCandidateIds(stagedDir: string): Promise<string[]> {
  // No staged/ yet is no candidate; any other failure (permissions) must not pass for "none".
  const entries = await readdir(stagedDir, { withFileTypes: true }).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return [];
    throw error;
  });
  return entries
    .filter((e) => e.isDirectory() && toolIdProblem(e.name) === null && existsSync(path.join(stagedDir, e.name, 'candidate.json')))
    .map((e) => e.name)
    .sort();
}

/**
 * Writes a whole new candidate package: into a hidden temporary folder first, then one
 * rename, so an interrupted `generate` never leaves a half-written candidate. `beforeRename`
 * runs when the package is complete and the name is known to be free (or replaceable).
 */
export async function writeNewPackage(
  stagedDir: string,
  toolId: string,
  files: Record<string, string>,
  options: { replace: boolean; beforeRename?: () => Promise<void> },
): Promise<string> {
  const finalDir = candidateDir(stagedDir, toolId);
  await mkdir(stagedDir, { recursive: true });
  const tmpDir = path.join(stagedDir, `.tmp-${toolId}-${randomBytes(4).toString('hex')}`);
  try {
    const entries = Object.entries(files);
    for (const [rel] of entries) {
      if (rel.split('/').some((part) => part === '..' || part === '') || path.isAbsolute(rel)) {
        throw new UserError(`generated file path "${rel}" is not inside the package`, 'a generator may only write files below the candidate folder: fix the template or generator');
      }
    }
    for (const dir of new Set(entries.map(([rel]) => path.dirname(path.join(tmpDir, rel))))) await mkdir(dir, { recursive: true });
    // The hidden folder is nobody's to read until the rename: its files are written several at
    // a time, so their fsyncs overlap instead of queueing (a generated candidate with samples
    // and transcripts has dozens of files; measured ~3x faster than one after another).
    await settleLimited(entries, FILE_CONCURRENCY, ([rel, content]) => writeFileAtomically(path.join(tmpDir, rel), content));
    if (existsSync(finalDir)) {
      if (!options.replace) throw new UserError(`staged/${toolId} already exists`, 'pass --force to replace it');
    }
    await options.beforeRename?.();
    if (existsSync(finalDir)) await rm(finalDir, { recursive: true, force: true });
    await rename(tmpDir, finalDir);
  } finally {
    await rm(tmpDir, { recursive: true, force: true });
  }
  return finalDir;
}

export { formatJson };
