import { spawnSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import path from 'node:path';
import type { SandboxProtections } from '../models/index.js';
import type { SandboxLimits } from './types.js';

/**
 * Launchers that exec in place before node, so they cost an exec, not a process:
 * `unshare --net` gives the child a network namespace with only a downed loopback;
 * `setpriv --pdeathsig KILL` kills the child if the CLI dies without running its exit
 * hooks (SIGTERM, SIGKILL): the child is detached into its own process group, so
 * nothing else would stop a tool spinning in `while (true) {}`.
 */
export type LauncherName = 'unshare' | 'setpriv';

/** undefined: not known yet; false: missing or refused by this machine. */
const usable: Record<LauncherName, boolean | undefined> = { unshare: undefined, setpriv: undefined };
const resolvedPaths = new Map<LauncherName, string | null>();

/** The absolute path of a launcher on the parent's PATH, or null; looked up once per process. */
export function findLauncher(name: LauncherName): string | null {
  if (usable[name] === false) return null;
  let found = resolvedPaths.get(name);
  if (found === undefined) {
    found = searchPath(name);
    resolvedPaths.set(name, found);
    if (found === null) usable[name] = false;
  }
  return found;
}

function searchPath(name: string): string | null {
  if (process.platform !== 'linux') return null;
  const dirs = (process.env['PATH'] ?? '/usr/bin:/bin').split(path.delimiter).filter((dir) => dir !== '');
  for (const dir of dirs) {
    const candidate = path.join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not in this directory; keep looking
    }
  }
  return null;
}

/** Records what a real launch taught us, so later runs and detectProtections() need no probe. */
export function markLauncher(name: LauncherName, works: boolean): void {
  usable[name] = works;
}

/**
 * Whether `unshare --net` works here. Runs do not call this: they try the namespace and
 * learn from the launch (see run-in-sandbox.ts), which saves a process on the hot path.
 */
function probeNetworkNamespace(): boolean {
  const cached = usable.unshare;
  if (cached !== undefined) return cached;
  const unshare = findLauncher('unshare');
  if (unshare === null) return false;
  const probe = spawnSync(unshare, ['--net', '--', 'true'], {
    stdio: 'ignore',
    env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin' },
    timeout: 5_000,
  });
  const works = probe.status === 0;
  markLauncher('unshare', works);
  return works;
}

/** The flag that turns on Node's permission model, or null before Node 20 (none to turn on). */
export function permissionFlag(): string | null {
  const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
  // Node 22.13 / 23.5 renamed --experimental-permission to --permission.
  if (major > 23 || (major === 23 && minor >= 5) || (major === 22 && minor >= 13)) return '--permission';
  return major >= 20 ? '--experimental-permission' : null;
}

/** Which protections this machine gives a tool without `net`; probes `unshare --net` once per process. */
export function detectProtections(limits: SandboxLimits): SandboxProtections {
  return createProtections(limits, permissionFlag() !== null, probeNetworkNamespace());
}

/** The protections record for one run or one probe. */
export function createProtections(limits: SandboxLimits, permissionModel: boolean, networkNamespace: boolean): SandboxProtections {
  return {
    permission_model: permissionModel,
    network_namespace: networkNamespace,
    heap_cap_mb: limits.maxHeapMb,
    timeout_ms: limits.timeoutMs,
    max_output_bytes: limits.maxOutputBytes,
  };
}
