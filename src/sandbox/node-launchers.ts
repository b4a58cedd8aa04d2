import { spawnSync } from 'node:child_process';
import { findOnPath } from './find-runtime-files.js';

/**
 * Launchers that exec in place before node when there is no OS layer (sandbox.isolation
 * "node", or "auto" on a machine without bubblewrap), so they cost an exec, not a process:
 * `prlimit` sets the resource limits; `unshare --net` gives the child a network namespace
 * with only a downed loopback (root only, on most machines); `setpriv --pdeathsig KILL`
 * kills the child if the CLI dies without running its exit hooks: the child is detached
 * into its own process group, so nothing else would stop a tool spinning in `while (true) {}`.
 */
export type LauncherName = 'prlimit' | 'unshare' | 'setpriv';

/** undefined: not known yet; false: missing or refused by this machine. */
const usable: Record<LauncherName, boolean | undefined> = { prlimit: undefined, unshare: undefined, setpriv: undefined };
const resolvedPaths = new Map<LauncherName, string | null>();

/** The absolute path of a launcher on the parent's PATH, or null; looked up once per process. */
export function findLauncher(name: LauncherName): string | null {
  if (usable[name] === false || process.platform !== 'linux') return null;
  let found = resolvedPaths.get(name);
  if (found === undefined) {
    found = findOnPath(name);
    resolvedPaths.set(name, found);
    if (found === null) usable[name] = false;
  }
  return found;
}

/** Records what a real launch taught us, so later runs and describeProtections() need no probe. */
export function markLauncher(name: LauncherName, works: boolean): void {
  usable[name] = works;
}

/**
 * Whether `unshare --net` works here. Runs do not call this: they try the namespace and
 * learn from the launch (see run-in-sandbox.ts), which saves a process on the hot path.
 */
export function probeNetworkNamespace(): boolean {
  const cached = usable.unshare;
  if (cached !== undefined) return cached;
  const unshare = findLauncher('unshare');
  if (unshare === null) return false;
  const probe = spawnSync(unshare, ['--net', '--', 'true'], { stdio: 'ignore', env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin' }, timeout: 5_000 });
  const works = probe.status === 0;
  markLauncher('unshare', works);
  return works;
}

/** Whether prlimit is there (it needs no privilege, so presence is enough). */
export function hasPrlimit(): boolean {
  return findLauncher('prlimit') !== null;
}

/** The flag that turns on Node's permission model, or null before Node 20 (none to turn on). */
export function permissionFlag(): string | null {
  const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
  // Node 22.13 / 23.5 renamed --experimental-permission to --permission.
  if (major > 23 || (major === 23 && minor >= 5) || (major === 22 && minor >= 13)) return '--permission';
  return major >= 20 ? '--experimental-permission' : null;
}
