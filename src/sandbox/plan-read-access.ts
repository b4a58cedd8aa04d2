import { readdirSync, realpathSync, statSync } from 'node:fs';
import path from 'node:path';

/** What `fs:read` opens up, worked out once per run. */
export interface ReadAccess {
  /** Existing read paths (real paths) to mount read-only at the same place. */
  mounts: string[];
  /** Masked paths inside a mount, hidden by an empty read-only tmpfs (folders) or an empty file. */
  masks: Array<{ path: string; directory: boolean }>;
  /** The same access for Node's permission model, which can only allow: each mount, minus the masks. */
  grants: string[];
  /** Read paths left out, and why (missing, or not readable by the sandbox user). */
  skipped: string[];
}

function isInside(child: string, parent: string): boolean {
  const rel = path.relative(parent, child);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
}

function realOrNull(file: string): string | null {
  try {
    return realpathSync(file);
  } catch {
    return null;
  }
}

/**
 * Whether a user who is neither owner nor group ("others") may read a path: every folder
 * on the way searchable, the path itself readable. When toolsmith runs as root the sandbox
 * runs as nobody, and bubblewrap refuses to mount what nobody cannot reach.
 */
export function isReadableByOthers(file: string): boolean {
  let current = '/';
  for (const part of file.split('/').filter(Boolean)) {
    try {
      if ((statSync(current).mode & 0o001) === 0) return false;
    } catch {
      return false;
    }
    current = path.join(current, part);
  }
  try {
    const info = statSync(current);
    return (info.mode & (info.isDirectory() ? 0o005 : 0o004)) === (info.isDirectory() ? 0o005 : 0o004);
  } catch {
    return false;
  }
}

/**
 * The permission model's grants for one path: the path itself when no mask lies inside,
 * else each of its entries, recursively, leaving the masks out (a snapshot: entries created
 * later under such a folder are not readable).
 */
function grantsAround(target: string, masks: readonly string[]): string[] {
  if (masks.includes(target)) return [];
  const inside = masks.filter((mask) => isInside(mask, target));
  if (inside.length === 0) return [target];
  let names: string[];
  try {
    names = readdirSync(target);
  } catch {
    return [];
  }
  return names.flatMap((name) => grantsAround(path.join(target, name), inside));
}

/** Plans read access to `readPaths` with `maskedPaths` hidden. `othersOnly`: mount only what nobody can read. */
export function planReadAccess(readPaths: readonly string[], maskedPaths: readonly string[], othersOnly: boolean): ReadAccess {
  const skipped: string[] = [];
  const mounts: string[] = [];
  for (const given of readPaths) {
    const real = realOrNull(given);
    if (real === null) skipped.push(`${given} (does not exist)`);
    else if (othersOnly && !isReadableByOthers(real)) skipped.push(`${given} (not readable by the unprivileged sandbox user)`);
    else if (!mounts.some((mount) => mount === real || isInside(real, mount))) mounts.push(real);
  }
  // A mount inside another is covered by the outer one.
  const outer = mounts.filter((mount) => !mounts.some((other) => isInside(mount, other)));
  const masks: ReadAccess['masks'] = [];
  for (const given of maskedPaths) {
    const real = realOrNull(given);
    if (real === null || !outer.some((mount) => mount === real || isInside(real, mount))) continue;
    let directory = false;
    try {
      directory = statSync(real).isDirectory();
    } catch {
      continue;
    }
    masks.push({ path: real, directory });
  }
  const maskPaths = masks.map((mask) => mask.path);
  return { mounts: outer, masks, grants: outer.flatMap((mount) => grantsAround(mount, maskPaths)), skipped };
}
