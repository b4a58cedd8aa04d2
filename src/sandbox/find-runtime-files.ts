import { accessSync, constants, existsSync, lstatSync, readFileSync, readlinkSync } from 'node:fs';
import path from 'node:path';
import { readElfInfo } from './read-elf-info.js';

/**
 * The files a program needs to start inside an empty root: the binary, its dynamic loader
 * and every shared library it links against (transitively), each bound read-only at its
 * real path, plus the symbolic links on the way (/lib64 -> usr/lib64, libc.so.6 -> ...)
 * recreated, so the loader finds them where it looks on the host.
 */
export interface RuntimeFiles {
  /** Real path of the program, to exec inside the sandbox. */
  program: string;
  /** Real paths of the files to bind read-only at the same path. */
  files: string[];
  /** Symbolic links to recreate: link path -> target, as on the host. */
  links: Map<string, string>;
}

/** A program whose files could not be worked out, with the reason. */
export interface RuntimeFilesError {
  error: string;
}

const MAX_LINK_HOPS = 40;

/** Debian/Ubuntu multiarch triplets for the CPU architectures Node runs on in practice. */
const TRIPLETS: Record<string, string> = { x64: 'x86_64-linux-gnu', arm64: 'aarch64-linux-gnu', arm: 'arm-linux-gnueabihf', ppc64: 'powerpc64le-linux-gnu', s390x: 's390x-linux-gnu' };

/**
 * Where the loader looks for a library by name: the folders this very Node loaded its own
 * libraries from (/proc/self/maps: free, and exact for unusual installs), then the usual
 * system folders in the loader's order.
 */
function librarySearchDirs(): string[] {
  const dirs: string[] = [];
  const triplet = TRIPLETS[process.arch];
  try {
    const files = new Set<string>();
    for (const line of readFileSync('/proc/self/maps', 'utf8').split('\n')) {
      const at = line.indexOf('/');
      if (at !== -1 && line.includes('.so')) files.add(line.slice(at));
    }
    for (const file of files) if (/\.so(\.\d+)*$/.test(file)) dirs.push(path.dirname(file));
  } catch {
    // no /proc: the system folders below still apply
  }
  if (triplet !== undefined) dirs.push(`/lib/${triplet}`, `/usr/lib/${triplet}`);
  dirs.push('/lib64', '/usr/lib64', '/lib', '/usr/lib');
  return [...new Set(dirs)];
}

/** What resolveRecording learnt about each path it looked at: its link target, or null for a real entry. */
type LinkMemo = Map<string, string | null>;

/** Resolves a path component by component, recording each symbolic link met. @throws on a loop or a missing file */
function resolveRecording(file: string, links: Map<string, string>, memo: LinkMemo, hops = { count: 0 }): string {
  let resolved = '/';
  for (const part of file.split('/').filter((p) => p !== '' && p !== '.')) {
    if (part === '..') {
      resolved = path.dirname(resolved);
      continue;
    }
    const candidate = path.join(resolved, part);
    // The libraries share their folders: each folder is looked at once.
    let target = memo.get(candidate);
    if (target === undefined) {
      target = lstatSync(candidate).isSymbolicLink() ? readlinkSync(candidate) : null;
      memo.set(candidate, target);
    }
    if (target !== null) {
      if (++hops.count > MAX_LINK_HOPS) throw new Error(`too many symbolic links resolving ${file}`);
      links.set(candidate, target);
      resolved = resolveRecording(path.resolve(resolved, target), links, memo, hops);
    } else {
      resolved = candidate;
    }
  }
  return resolved;
}

/**
 * The files `program` needs to run in an empty root. Libraries are found by their
 * DT_NEEDED names in the loader's search folders, recursively.
 */
export function findRuntimeFiles(program: string): RuntimeFiles | RuntimeFilesError {
  const links = new Map<string, string>();
  const files = new Set<string>();
  const memo: LinkMemo = new Map();
  let real: string;
  try {
    real = resolveRecording(program, links, memo);
  } catch (error) {
    return { error: `cannot resolve ${program}: ${describe(error)}` };
  }
  const info = readElfInfo(real);
  if (info === null) return { error: `${real} is not a 64-bit little-endian ELF program this sandbox can read` };
  files.add(real);
  try {
    if (info.interpreter !== null) files.add(resolveRecording(info.interpreter, links, memo));
    const dirs = librarySearchDirs();
    const queue = [...info.needed];
    const seen = new Set<string>();
    for (let name = queue.shift(); name !== undefined; name = queue.shift()) {
      if (seen.has(name)) continue;
      seen.add(name);
      const found = dirs.map((dir) => path.join(dir, name)).find((candidate) => existsSync(candidate));
      if (found === undefined) return { error: `cannot find ${name}, a library ${path.basename(real)} needs` };
      const library = resolveRecording(found, links, memo);
      files.add(library);
      const libraryInfo = readElfInfo(library);
      if (libraryInfo === null) return { error: `cannot read the library ${library}` };
      queue.push(...libraryInfo.needed);
    }
  } catch (error) {
    return { error: `cannot list the files ${path.basename(real)} needs: ${describe(error)}` };
  }
  return { program: real, files: [...files], links };
}

/** The absolute path of an executable on PATH, or null. */
export function findOnPath(name: string, envPath = process.env['PATH'] ?? '/usr/bin:/bin'): string | null {
  for (const dir of envPath.split(path.delimiter)) {
    if (dir === '' || !path.isAbsolute(dir)) continue;
    const candidate = path.join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here; keep looking
    }
  }
  return null;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
