import { readdirSync, statSync, type Dirent } from 'node:fs';
import path from 'node:path';
import { UserError } from '../models/errors.js';
import { createGlobMatcher } from './glob.js';

/** The source extensions the scanner parses. */
export const SOURCE_EXTENSIONS = new Set(['.ts', '.mts', '.cts', '.tsx', '.js', '.mjs', '.cjs', '.jsx']);

export interface SourceFileRef {
  absolute: string;
  /** Relative to the scan root, `/`-separated. */
  relative: string;
  /**
   * Set when the path cannot be scanned (an unreadable folder, a FIFO, a name that is not
   * UTF-8): why, as the `skipped-file` finding says it. Nothing is read from such a path.
   */
  skipped?: string;
}

/** Root-relative POSIX path. */
export function toRelative(root: string, absolute: string): string {
  return path.relative(root, absolute).split(path.sep).join('/');
}

const ERROR_TEXT: Record<string, string> = {
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  ELOOP: 'too many levels of symbolic links',
  ENAMETOOLONG: 'name too long',
  EIO: 'input/output error',
  ENOTDIR: 'not a folder',
  ERR_STRING_TOO_LONG: 'too large to read',
  ERR_FS_FILE_TOO_LARGE: 'too large to read',
};

/** `permission denied (EACCES)` for an fs error; its message for anything else. */
export function describeFsError(error: unknown): string {
  const code = typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string' ? error.code : undefined;
  if (code) return `${ERROR_TEXT[code] ?? 'error'} (${code})`;
  return error instanceof Error ? error.message : String(error);
}

interface FileType {
  isFIFO(): boolean;
  isSocket(): boolean;
  isCharacterDevice(): boolean;
  isBlockDevice(): boolean;
}

/** `a FIFO`, `a socket`, `a device`: what a non-regular, non-folder entry is. */
export function describeFileType(entry: FileType): string {
  if (entry.isFIFO()) return 'a FIFO';
  if (entry.isSocket()) return 'a socket';
  if (entry.isCharacterDevice() || entry.isBlockDevice()) return 'a device';
  return 'not a regular file';
}

/** A byte string with every byte that is not printable ASCII written as `\xNN` (for names that are not UTF-8). */
function escapeBytes(bytes: Buffer): string {
  let out = '';
  for (const b of bytes) out += b >= 0x20 && b < 0x7f && b !== 0x5c ? String.fromCharCode(b) : `\\x${b.toString(16).padStart(2, '0')}`;
  return out;
}

/**
 * A folder's entries by name. Names that are not valid UTF-8 cannot be opened through the
 * string Node decodes them to (invalid bytes become U+FFFD), so when a name holds U+FFFD the
 * folder is read again as bytes and each name that does not round-trip is returned apart.
 */
function readFolder(dir: string): { entries: Dirent[]; invalid: Array<{ name: string; bytes: Buffer; isDirectory: boolean }> } {
  const entries = readdirSync(dir, { withFileTypes: true });
  if (!entries.some((e) => e.name.includes('\uFFFD'))) return { entries, invalid: [] };
  const valid: Dirent[] = [];
  const invalid: Array<{ name: string; bytes: Buffer; isDirectory: boolean }> = [];
  for (const raw of readdirSync(dir, { withFileTypes: true, encoding: 'buffer' })) {
    const bytes = raw.name;
    const name = bytes.toString('utf8');
    if (Buffer.from(name, 'utf8').equals(bytes)) {
      const entry = entries.find((e) => e.name === name);
      if (entry) valid.push(entry);
    } else invalid.push({ name, bytes, isDirectory: raw.isDirectory() });
  }
  return { entries: valid, invalid };
}

/**
 * The source files under the given paths, sorted, skipping ignored paths. A file named
 * explicitly is scanned whatever its extension or ignore globs; symbolic links are not
 * followed (they could loop, and the target is scanned where it lives). What cannot be read
 * (a folder without permission, a FIFO or device with a source extension or named
 * explicitly, a name that is not UTF-8) comes back as a `skipped` entry, never an exception,
 * so the rest is still scanned.
 * @throws UserError when a named path does not exist
 */
export function collectFiles(root: string, paths: readonly string[], ignore: readonly string[]): SourceFileRef[] {
  const ignored = createGlobMatcher(ignore);
  const out = new Map<string, SourceFileRef>();
  const skip = (absolute: string, relative: string, why: string) => out.set(absolute, { absolute, relative, skipped: why });
  const walk = (dir: string) => {
    let listing: ReturnType<typeof readFolder>;
    try {
      listing = readFolder(dir);
    } catch (error) {
      skip(dir, toRelative(root, dir), `folder could not be read: ${describeFsError(error)}; none of its files were checked`);
      return;
    }
    for (const entry of listing.entries) {
      const absolute = path.join(dir, entry.name);
      const relative = toRelative(root, absolute);
      if (entry.isDirectory()) {
        if (!ignored(`${relative}/`) && !ignored(relative)) walk(absolute);
      } else if (!entry.isSymbolicLink() && SOURCE_EXTENSIONS.has(path.extname(entry.name).toLowerCase()) && !ignored(relative)) {
        if (entry.isFile()) out.set(absolute, { absolute, relative });
        else skip(absolute, relative, `${describeFileType(entry)}, not a regular file; not read`);
      }
    }
    for (const bad of listing.invalid) {
      const absolute = path.join(dir, bad.name);
      const relative = toRelative(root, absolute);
      if (ignored(relative) || (bad.isDirectory ? ignored(`${relative}/`) : !SOURCE_EXTENSIONS.has(path.extname(bad.name).toLowerCase()))) continue;
      const what = bad.isDirectory ? 'folder name' : 'file name';
      const then = bad.isDirectory ? 'none of its files were checked' : 'not checked';
      skip(absolute, relative, `the ${what} is not valid UTF-8 (\`${escapeBytes(bad.bytes)}\`); ${then}: rename it`);
    }
  };
  for (const p of paths) {
    const absolute = path.resolve(root, p);
    let info: ReturnType<typeof statSync>;
    try {
      info = statSync(absolute, { throwIfNoEntry: false });
    } catch (error) {
      skip(absolute, toRelative(root, absolute), `could not be read: ${describeFsError(error)}; not checked`);
      continue;
    }
    if (!info) throw new UserError(`scan: ${p} does not exist`, 'pass files or folders inside the workspace');
    if (info.isDirectory()) walk(absolute);
    else out.set(absolute, { absolute, relative: toRelative(root, absolute) });
  }
  return [...out.values()].sort((a, b) => (a.relative < b.relative ? -1 : a.relative > b.relative ? 1 : 0));
}
