import { pathToFileURL } from 'node:url';
import { createNodeArgs, createToolEnv, prlimitArgs, type ChildCommand } from './child-command.js';
import { createSeccompFilter } from './create-seccomp-filter.js';
import type { RunFolder } from './create-run-folder.js';
import type { RuntimeFiles } from './find-runtime-files.js';
import { UNPRIVILEGED_ID, type OsLayer } from './os-layer.js';
import type { ReadAccess } from './plan-read-access.js';
import type { SandboxLimits, SandboxRequest } from './types.js';
import { BUILT_ENTRY } from '../models/package-layout.js';

/** The tool's world inside bubblewrap: fixed paths, whatever the host looks like. */
export const INSIDE = {
  harness: '/toolsmith/harness.mjs',
  toolDir: '/toolsmith/tool',
  work: '/work',
  fixtures: '/work/fixtures',
} as const;

/** The uid/gid inside the sandbox: not root, so nothing inside runs with a root identity. */
const SANDBOX_ID = '1000';

/** What an OS-layer launch turned on, for `protections`. */
export interface OsLaunch {
  command: ChildCommand;
  entryUrl: string;
  namespaces: string[];
  seccomp: boolean;
  limitsApplied: boolean;
}

/** Mounts programs and the files they need (find-runtime-files.ts), each link and file once. */
function runtimeMounts(programs: ReadonlyArray<RuntimeFiles | null>): string[] {
  const links = new Map<string, string>();
  const files = new Set<string>();
  for (const program of programs) {
    if (program === null) continue;
    for (const [link, target] of program.links) links.set(link, target);
    for (const file of program.files) files.add(file);
  }
  const args: string[] = [];
  for (const [link, target] of links) args.push('--symlink', target, link);
  for (const file of files) args.push('--ro-bind', file, file);
  return args;
}

/**
 * bubblewrap's namespaces and the programs of a sandbox with no tool in it yet: new user,
 * PID, IPC, UTS, cgroup and (without `net`) network namespaces; a root built from nothing,
 * with only Node, the libraries it loads and (optionally) prlimit, read-only. No /tmp, /run
 * or /var/run of the host, so no host socket is there to connect to.
 */
export function baseBwrapArgs(layer: OsLayer, allowNetwork: boolean): string[] {
  const args = ['--unshare-user', '--unshare-pid', '--unshare-ipc', '--unshare-uts', '--unshare-cgroup-try'];
  if (!allowNetwork) args.push('--unshare-net');
  // --disable-userns: no nested user namespace (the door to most kernel attack surface);
  // --die-with-parent: the sandbox dies with the CLI; --new-session: no TIOCSTI into the terminal.
  args.push('--disable-userns', '--die-with-parent', '--new-session', '--cap-drop', 'ALL');
  // No --clearenv: bubblewrap is spawned with exactly the tool's environment (child-command.ts), so
  // nothing secret needs to travel in argv, which /proc shows to every user.
  args.push('--uid', SANDBOX_ID, '--gid', SANDBOX_ID, '--hostname', 'toolsmith-sandbox');
  args.push(...runtimeMounts([layer.node, layer.prlimit]));
  if (allowNetwork) {
    // Name resolution for tools granted the host network; nothing else of /etc.
    for (const file of ['/etc/resolv.conf', '/etc/hosts', '/etc/nsswitch.conf', '/etc/gai.conf']) args.push('--ro-bind-try', file, file);
  }
  return args;
}

/** Its own /proc, a minimal /dev and the size-capped scratch folder; after any read path, so none can cover them. */
export function systemMountArgs(scratchBytes: number): string[] {
  const args = ['--proc', '/proc', '--dev', '/dev'];
  // /dev is a tmpfs bwrap fills with device nodes; without this /dev/shm would take memory outside every cap.
  args.push('--size', '4096', '--tmpfs', '/dev/shm', '--remount-ro', '/dev');
  args.push('--size', String(scratchBytes), '--perms', '0700', '--tmpfs', INSIDE.work);
  return args;
}

/**
 * As root, bubblewrap is started as nobody (uid and gid 65534, supplementary groups
 * dropped: libuv calls setgroups(0) when it changes ids), so the sandbox's user maps to
 * nobody, not to root: a sandboxed process mapped to root would own every root-owned file
 * a read path shows, and could write the global sysctls under /proc/sys. spawn's uid/gid
 * options do this in the forked child before exec, without a launcher process.
 */
export function sandboxIds(layer: OsLayer): { uid?: number; gid?: number } {
  return layer.dropToNobody ? { uid: UNPRIVILEGED_ID, gid: UNPRIVILEGED_ID } : {};
}

/** The whole command of one sandboxed run under bubblewrap. */
export function createOsCommand(request: SandboxRequest, folder: RunFolder, layer: OsLayer, access: ReadAccess | null, fixtures: string | null, permissionFlag: string): OsLaunch {
  const granted = new Set(request.permissions);
  const allowNetwork = granted.has('net');
  const limits: SandboxLimits = request.limits;
  const args = baseBwrapArgs(layer, allowNetwork);
  const reads: string[] = [INSIDE.toolDir, INSIDE.harness];
  const writes: string[] = [];
  if (access !== null) {
    for (const mount of access.mounts) args.push('--ro-bind', mount, mount);
    for (const mask of access.masks) {
      if (mask.directory) args.push('--perms', '0555', '--size', '4096', '--tmpfs', mask.path, '--remount-ro', mask.path);
      else args.push('--ro-bind', folder.emptyFile, mask.path);
    }
    reads.push(...access.grants);
  }
  args.push(...systemMountArgs(limits.maxScratchMb * 1024 * 1024));
  if (fixtures !== null) {
    args.push('--ro-bind', fixtures, INSIDE.fixtures);
    if (granted.has('fs:read')) reads.push(INSIDE.fixtures);
  }
  if (granted.has('fs:write')) {
    reads.push(INSIDE.work);
    writes.push(INSIDE.work);
  }
  args.push('--ro-bind', folder.toolDir, INSIDE.toolDir, '--ro-bind', folder.harness, INSIDE.harness);
  // The root itself (bwrap's tmpfs) becomes read-only; /work, /dev/shm stay as mounted.
  args.push('--remount-ro', '/', '--chdir', INSIDE.work);
  const extraFds: Buffer[] = [];
  const filter = layer.seccomp ? createSeccompFilter(allowNetwork) : null;
  if (filter !== null) {
    extraFds.push(filter);
    args.push('--seccomp', '4');
  }
  args.push('--');
  if (layer.prlimit !== null) args.push(layer.prlimit.program, ...prlimitArgs(limits, true), '--');
  args.push(layer.node.program, ...createNodeArgs(permissionFlag, reads, writes, limits, INSIDE.harness));
  const namespaces = ['user', 'pid', ...(allowNetwork ? [] : ['net']), 'mount', 'ipc', 'uts'];
  return {
    command: {
      file: layer.bwrap,
      args,
      env: createToolEnv(granted.has('env'), request.env ?? process.env, INSIDE.work),
      cwd: folder.root,
      extraFds,
      ...sandboxIds(layer),
    },
    entryUrl: pathToFileURL(`${INSIDE.toolDir}/${request.entry ?? BUILT_ENTRY}`).href,
    namespaces,
    seccomp: filter !== null,
    limitsApplied: layer.prlimit !== null,
  };
}
