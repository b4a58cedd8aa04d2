import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, readlinkSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { findRuntimeFiles, type RuntimeFiles, type RuntimeFilesError } from './find-runtime-files.js';

/** Bumped when the shape of a cache file changes. */
const FORMAT = 1;

interface CachedEntry {
  format: number;
  program: string;
  files: RuntimeFiles;
  /** Every file as it was when the list was made: path -> "dev:ino:size:mtime". */
  stamps: Record<string, string>;
}

function stampOf(file: string): string {
  const info = statSync(file);
  return `${info.dev}:${info.ino}:${info.size}:${info.mtimeMs}`;
}

/** Whether a cache file may be trusted: this user's, writable by nobody else, folder too. */
function isOwnAndPrivate(file: string): boolean {
  const uid = typeof process.getuid === 'function' ? process.getuid() : null;
  for (const target of [path.dirname(file), file]) {
    const info = statSync(target);
    if ((uid !== null && info.uid !== uid) || (info.mode & 0o022) !== 0) return false;
  }
  return true;
}

/** The cached list when every file and link is still exactly as it was, else null. */
function readValid(file: string, program: string): RuntimeFiles | null {
  try {
    if (!isOwnAndPrivate(file)) return null;
    const entry = JSON.parse(readFileSync(file, 'utf8')) as CachedEntry; // `as`: checked field by field below
    if (entry.format !== FORMAT || entry.program !== program) return null;
    for (const [stamped, stamp] of Object.entries(entry.stamps)) if (stampOf(stamped) !== stamp) return null;
    const links = new Map(Object.entries(entry.files.links as unknown as Record<string, string>)); // safe: each link is compared with the disk below
    for (const [link, target] of links) if (readlinkSync(link) !== target) return null;
    return { program: entry.files.program, files: entry.files.files, links };
  } catch {
    return null;
  }
}

/**
 * findRuntimeFiles with a cache in toolsmith's cache folder (`runtime/`): reading the ELF
 * headers of Node and its libraries costs a few milliseconds of every `toolsmith run`;
 * checking that each file (device, inode, size, mtime) and each link is unchanged costs a
 * stat or a readlink apiece. A changed or untrusted entry is simply worked out again.
 */
export function cachedRuntimeFiles(program: string, cacheDir: string | null): RuntimeFiles | RuntimeFilesError {
  if (cacheDir === null) return findRuntimeFiles(program);
  const file = path.join(cacheDir, 'runtime', `${createHash('sha256').update(`${FORMAT}\0${process.arch}\0${program}`).digest('hex')}.json`);
  const cached = readValid(file, program);
  if (cached !== null) return cached;
  const found = findRuntimeFiles(program);
  if ('error' in found) return found;
  const temp = `${file}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    const stamps: Record<string, string> = {};
    for (const stamped of [program, ...found.files]) stamps[stamped] = stampOf(stamped);
    const entry = { format: FORMAT, program, files: { ...found, links: Object.fromEntries(found.links) }, stamps };
    mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    writeFileSync(temp, JSON.stringify(entry), { mode: 0o600, flag: 'wx' });
    renameSync(temp, file);
  } catch {
    // A cache that cannot be written only costs speed (and a folder we may not enter has no temp file to remove).
    try {
      rmSync(temp, { force: true });
    } catch {
      // EACCES/ENOTDIR: nothing of ours is there.
    }
  }
  return found;
}
