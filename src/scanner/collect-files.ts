import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { UserError } from '../models/errors.js';
import { createGlobMatcher } from './glob.js';

/** The source extensions the scanner parses. */
export const SOURCE_EXTENSIONS = new Set(['.ts', '.mts', '.cts', '.tsx', '.js', '.mjs', '.cjs', '.jsx']);

export interface SourceFileRef {
  absolute: string;
  /** Relative to the scan root, `/`-separated. */
  relative: string;
}

/** Root-relative POSIX path. */
export function toRelative(root: string, absolute: string): string {
  return path.relative(root, absolute).split(path.sep).join('/');
}

/**
 * The source files under the given paths, sorted, skipping ignored paths. A file named
 * explicitly is scanned whatever its extension or ignore globs; symbolic links are not
 * followed (they could loop, and the target is scanned where it lives).
 * @throws UserError when a path does not exist
 */
export function collectFiles(root: string, paths: readonly string[], ignore: readonly string[]): SourceFileRef[] {
  const ignored = createGlobMatcher(ignore);
  const out = new Map<string, SourceFileRef>();
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const absolute = path.join(dir, entry.name);
      const relative = toRelative(root, absolute);
      if (entry.isDirectory()) {
        if (!ignored(`${relative}/`) && !ignored(relative)) walk(absolute);
      } else if (entry.isFile() && SOURCE_EXTENSIONS.has(path.extname(entry.name).toLowerCase()) && !ignored(relative)) {
        out.set(absolute, { absolute, relative });
      }
    }
  };
  for (const p of paths) {
    const absolute = path.resolve(root, p);
    const info = statSync(absolute, { throwIfNoEntry: false });
    if (!info) throw new UserError(`scan: ${p} does not exist`, 'pass files or folders inside the workspace');
    if (info.isDirectory()) walk(absolute);
    else out.set(absolute, { absolute, relative: toRelative(root, absolute) });
  }
  return [...out.values()].sort((a, b) => (a.relative < b.relative ? -1 : a.relative > b.relative ? 1 : 0));
}
