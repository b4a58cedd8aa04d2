import { rm } from 'node:fs/promises';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { isSafeRelativePath } from './parse-reply.js';

/** Compiled next to this file: dist/sandbox/harness.js. */
const HARNESS_SOURCE = fileURLToPath(new URL('./harness.js', import.meta.url));
let harnessText: string | undefined;

/** Run folders whose removal has started but not finished: removed synchronously if the process exits first (Ctrl-C). */
const removing = new Set<string>();
let exitHookInstalled = false;

/**
 * Removes a run folder off the critical path: the caller has its outcome and need not wait
 * for the disk (but may). Whatever is still there when the process exits is removed then.
 */
export function removeRunFolderLater(folder: RunFolder): Promise<void> {
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.once('exit', () => removing.forEach((dir) => rmSync(dir, { recursive: true, force: true })));
  }
  removing.add(folder.root);
  // Returned for a caller that wants to know when it is gone (a warm worker's close); never rejects.
  return folder.remove().then(() => void removing.delete(folder.root), () => undefined);
}

/**
 * A temporary folder the unprivileged sandbox user can reach (search permission on every
 * folder above it), for toolsmith running as root. toolsmith's own private temporary
 * folders (`toolsmith-*`, 0700: the CLI's TMPDIR) are opened for search only (o+x: a name
 * inside must be known, and the run folder's is random); if anything else is in the way,
 * the system's /tmp is used instead.
 */
function reachableTempDir(): string {
  const base = os.tmpdir();
  let blocked = false;
  for (let dir = base; ; dir = path.dirname(dir)) {
    const info = statSync(dir);
    if ((info.mode & 0o001) === 0) {
      const ours = typeof process.getuid === 'function' && info.uid === process.getuid() && path.basename(dir).startsWith('toolsmith-');
      if (ours) chmodSync(dir, (info.mode & 0o7777) | 0o001);
      else blocked = true;
    }
    if (dir === path.dirname(dir)) break;
  }
  return blocked ? '/tmp' : base;
}

/** One run's private folder on the host: what the tool runs, and (without the OS layer) its scratch. */
export interface RunFolder {
  root: string;
  /** The verified build files, written from the bytes that were checked. */
  toolDir: string;
  /** The harness, as `.mjs` so it is ESM wherever it is mounted. */
  harness: string;
  /** Scratch and output folder when there is no OS layer (under bubblewrap a size-capped tmpfs replaces it). */
  workDir: string;
  /** An empty file, mounted over files the tool must not read (the workspace config). */
  emptyFile: string;
  remove(): Promise<void>;
}

/**
 * Creates the run folder and writes the tool's verified bytes into it: the tool executes
 * this copy, never the registry's files, so a writer racing the hash check changes nothing
 * (time of check = time of use). `shareWithSandboxUser`: when toolsmith runs as root the
 * sandbox runs as nobody, who must be able to read what it mounts. Synchronous on purpose:
 * a handful of small files, on the `run` hot path, where each asynchronous call is a round
 * trip through libuv's thread pool.
 */
export async function createRunFolder(buildFiles: ReadonlyMap<string, Uint8Array>, shareWithSandboxUser: boolean): Promise<RunFolder> {
  harnessText ??= readFileSync(HARNESS_SOURCE, 'utf8');
  const root = mkdtempSync(path.join(shareWithSandboxUser ? reachableTempDir() : os.tmpdir(), 'toolsmith-run-'));
  const remove = () => rm(root, { recursive: true, force: true, maxRetries: 2 });
  try {
    const folder: RunFolder = {
      root,
      toolDir: path.join(root, 'tool'),
      harness: path.join(root, 'harness.mjs'),
      workDir: path.join(root, 'work'),
      emptyFile: path.join(root, 'empty'),
      remove,
    };
    const fileMode = shareWithSandboxUser ? 0o644 : 0o600;
    const dirMode = shareWithSandboxUser ? 0o755 : 0o700;
    mkdirSync(folder.toolDir, { mode: dirMode });
    mkdirSync(folder.workDir, { mode: 0o700 });
    for (const [rel, bytes] of buildFiles) {
      // The names come from a verified manifest, but a path leaving the folder is refused all the same.
      if (!isSafeRelativePath(rel)) throw new Error(`refusing a build file path outside the run folder: ${JSON.stringify(rel)}`);
      const target = path.join(folder.toolDir, rel);
      if (rel.includes('/')) mkdirSync(path.dirname(target), { recursive: true, mode: dirMode });
      writeFileSync(target, bytes, { mode: fileMode, flag: 'wx' });
    }
    writeFileSync(folder.harness, harnessText, { mode: fileMode, flag: 'wx' });
    writeFileSync(folder.emptyFile, '', { mode: fileMode, flag: 'wx' });
    if (shareWithSandboxUser) chmodSync(root, 0o711);
    return folder;
  } catch (error) {
    await remove();
    throw error;
  }
}
