import { createHash } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { readFile, lstat } from 'node:fs/promises';
import path from 'node:path';
import canonicalize from 'canonicalize';
import { UserError } from '../models/errors.js';
import { BUILD_DIR } from '../models/package-layout.js';
import { describeSpecialFile, PACKAGE_FILES_HINT } from './read-regular-file.js';

/**
 * Files of a package that the code hash does not cover: the records about it (candidate.json,
 * the signed promotion.json a promote writes beside the frozen files; `promote` refuses a
 * candidate that holds one), spec.json (spec_hash covers it), and derived build output.
 */
export const CODE_HASH_EXCLUDED = new Set(['candidate.json', 'spec.json', 'promotion.json']);
/**
 * The generator's prompts and raw replies (SPEC 2, 12): kept for the reviewer, outside
 * code_hash. Nothing in it is ever compiled, scanned as code or run (bundle/runtime-sources.ts
 * NON_CODE_FOLDERS), so leaving it out of the hash cannot let unreviewed code through.
 */
export const GENERATION_DIR = 'generation';

/** Whether a package path (POSIX, relative) is outside code_hash. */
function isOutsideCodeHash(rel: string): boolean {
  return CODE_HASH_EXCLUDED.has(rel) || rel === BUILD_DIR || rel.startsWith(`${BUILD_DIR}/`) || rel === GENERATION_DIR || rel.startsWith(`${GENERATION_DIR}/`);
}

/** SHA-256 of a string or bytes, as lowercase hex. */
export function sha256(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/** RFC 8785 canonical JSON of a value. @throws on values JSON cannot hold */
export function canonicalJson(value: unknown): string {
  const text = canonicalize(value);
  if (text === undefined) throw new TypeError('value has no JSON form');
  return text;
}

/** SHA-256 of a value's RFC 8785 canonical JSON (the same value always hashes alike, whatever its key order). */
export function hashJson(value: unknown): string {
  return sha256(canonicalJson(value));
}

/** spec_hash: SHA-256 of the RFC 8785 canonical JSON of the spec. */
export function hashSpec(spec: unknown): string {
  return hashJson(spec);
}

/**
 * Lists a folder's files recursively as sorted POSIX relative paths.
 * Only regular files and folders are allowed, skipped entries included: a symbolic link
 * could point the hash (and the sandbox) outside the package, and reading a FIFO, socket or
 * device would block or have side effects. Checked from the directory listing, before
 * anything is opened. `beforeListing` is called with each folder's relative path ('' for the
 * root) just before it is read.
 * @throws UserError naming the first other entry
 */
export async function listFiles(root: string, skip: (relPath: string) => boolean = () => false, beforeListing?: (relDir: string) => void): Promise<string[]> {
  const out: string[] = [];
  async function walk(rel: string): Promise<void> {
    beforeListing?.(rel);
    // Synchronous: a package is a few small folders, and `serve` lists a version before calls
    // whose check is not kept (a thread-pool round trip per folder cost more than the listing).
    const entries = readdirSync(path.join(root, rel), { withFileTypes: true });
    for (const entry of entries) {
      const relPath = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isSymbolicLink()) throw new UserError(`symbolic links are not allowed in a tool package: ${path.join(root, relPath)}`, PACKAGE_FILES_HINT);
      const kind = describeSpecialFile(entry);
      if (kind !== null) throw new UserError(`${path.join(root, relPath)} is ${kind}, not a regular file`, PACKAGE_FILES_HINT);
      if (skip(relPath)) continue;
      if (entry.isDirectory()) await walk(relPath);
      else out.push(relPath);
    }
  }
  await walk('');
  // Sort by UTF-16 code units of the POSIX path: the same order on every OS.
  return out.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/**
 * Hashes named files as: for each path in order, `path NUL byte-length NUL content`.
 * Length-prefixing makes the encoding unambiguous (no two file sets share a byte stream).
 */
export async function hashFiles(root: string, relPaths: readonly string[]): Promise<string> {
  const hash = createHash('sha256');
  for (const rel of relPaths) {
    const content = await readFile(path.join(root, rel));
    hash.update(`${rel}\0${content.byteLength}\0`);
    hash.update(content);
  }
  return hash.digest('hex');
}

/** code_hash: every file of the package but candidate.json, spec.json, build/ and generation/ (SPEC 4). */
export async function hashPackageCode(packageDir: string): Promise<string> {
  const files = await listFiles(packageDir, isOutsideCodeHash);
  return hashFiles(packageDir, files);
}

/** build_hash: every file under the package's build/ folder. */
export async function hashBuild(packageDir: string): Promise<string> {
  const buildDir = path.join(packageDir, BUILD_DIR);
  const info = await lstat(buildDir).catch(() => null);
  if (!info?.isDirectory()) return sha256('');
  return hashFiles(buildDir, await listFiles(buildDir));
}

/** code_hash of a package that exists only in memory (path -> content), same encoding as hashPackageCode. */
export function hashCodeFileMap(files: Record<string, string>): string {
  return hashCodeBytes(new Map(Object.entries(files).map(([rel, text]) => [rel, Buffer.from(text, 'utf8')])));
}

/** code_hash of package files already read (POSIX path -> bytes), same encoding as hashPackageCode. */
export function hashCodeBytes(files: ReadonlyMap<string, Uint8Array>): string {
  const hash = createHash('sha256');
  const paths = [...files.keys()]
    .filter((rel) => !isOutsideCodeHash(rel))
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  for (const rel of paths) {
    const content = files.get(rel) ?? new Uint8Array();
    hash.update(`${rel}\0${content.byteLength}\0`);
    hash.update(content);
  }
  return hash.digest('hex');
}
