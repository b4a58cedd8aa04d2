import { execFile, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { findOnPath, type RuntimeFiles } from './find-runtime-files.js';
import { cachedRuntimeFiles } from './cached-runtime-files.js';
import { seccompSupported } from './create-seccomp-filter.js';

/** What the OS layer needs on this machine, found once per process without starting a process. */
export interface OsLayer {
  bwrap: string;
  /** Node and the files it needs inside an empty root. */
  node: RuntimeFiles;
  /** prlimit and its files, run inside the sandbox to set the resource limits; null when missing. */
  prlimit: RuntimeFiles | null;
  /** As root, bubblewrap is started as nobody (spawn's uid/gid: no extra process; see create-os-command.ts). */
  dropToNobody: boolean;
  seccomp: boolean;
}

export type OsLayerState = { ok: true; layer: OsLayer } | { ok: false; reason: string };

/** Users of bubblewrap are told how to get it, whatever made it unavailable. */
export const INSTALL_HINT =
  'install bubblewrap (Debian/Ubuntu: sudo apt-get install bubblewrap; Fedora: sudo dnf install bubblewrap; Arch: sudo pacman -S bubblewrap), or set sandbox.isolation to "node" in toolsmith.config.json to run tools under Node\'s permission model alone';

/** The uid and gid tools run as when toolsmith itself runs as root: nobody, never root. */
export const UNPRIVILEGED_ID = 65534;

let state: OsLayerState | undefined;
/** Set once a real launch (or the probe) showed bubblewrap working on this machine. */
let confirmed = false;
let version: Promise<string> | undefined;

/** Whether the CLI runs as root (then the sandbox drops to nobody first). */
export function isRoot(): boolean {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

/**
 * The OS layer's parts, or why there is none. Cheap (no process): whether bubblewrap really
 * works here is learnt from the first launch, which reports a refusal before any tool code
 * runs (see run-in-sandbox.ts), or from probeOsLayer().
 */
export function osLayer(cacheDir: string | null = null): OsLayerState {
  state ??= findOsLayer(cacheDir);
  return state;
}

function findOsLayer(cacheDir: string | null): OsLayerState {
  if (process.platform !== 'linux') return { ok: false, reason: `bubblewrap needs Linux; this is ${process.platform}` };
  const bwrap = findOnPath('bwrap');
  if (bwrap === null) return { ok: false, reason: 'bubblewrap (bwrap) is not installed or not on PATH' };
  const node = cachedRuntimeFiles(process.execPath, cacheDir);
  if ('error' in node) return { ok: false, reason: `cannot build the sandbox's file system: ${node.error}` };
  const prlimitPath = findOnPath('prlimit');
  const prlimit = prlimitPath === null ? null : cachedRuntimeFiles(prlimitPath, cacheDir);
  return { ok: true, layer: { bwrap, node, prlimit: prlimit === null || 'error' in prlimit ? null : prlimit, dropToNobody: isRoot(), seccomp: seccompSupported() } };
}

/** Records that bubblewrap refused to start here, with its reason (it stays off for this process). */
export function markOsLayerBroken(reason: string): void {
  state = { ok: false, reason };
}

export function markOsLayerWorks(): void {
  confirmed = true;
}

/**
 * The installed bubblewrap's version ("bubblewrap 0.8.0"), once per process. The binary
 * holds the `--version` text as one string (72 KB to scan, microseconds), which spares
 * every `toolsmith run` a process; a build that spells it otherwise is asked.
 */
export function bwrapVersion(bwrap: string): Promise<string> {
  if (version !== undefined) return version;
  let found: string | undefined;
  try {
    const binary = readFileSync(bwrap);
    const at = binary.indexOf('bubblewrap ');
    found = at === -1 ? undefined : /^bubblewrap \d+\.\d+(\.\d+)?/.exec(binary.subarray(at, at + 32).toString('latin1'))?.[0];
  } catch {
    // unreadable: ask it below
  }
  version = found !== undefined
    ? Promise.resolve(found)
    : new Promise((resolve) => {
        execFile(bwrap, ['--version'], { timeout: 5_000 }, (error, stdout) => {
          const text = String(stdout).trim();
          resolve(error === null && text !== '' ? text : 'bubblewrap');
        });
      });
  return version;
}

/**
 * Whether the OS layer works here, by running Node inside bubblewrap once (for `show` and
 * reports that describe the machine without running a tool). Runs use their own launch.
 */
export function probeOsLayer(buildArgs: (layer: OsLayer) => { file: string; args: string[] }): OsLayerState {
  const current = osLayer();
  if (!current.ok || confirmed) return current;
  const { file, args } = buildArgs(current.layer);
  const ids = current.layer.dropToNobody ? { uid: UNPRIVILEGED_ID, gid: UNPRIVILEGED_ID } : {};
  const probe = spawnSync(file, args, { encoding: 'utf8', env: {}, timeout: 10_000, ...ids });
  if (probe.status === 0) {
    confirmed = true;
    return current;
  }
  const why = probe.error?.message ?? firstLine(probe.stderr) ?? `exit ${String(probe.status ?? probe.signal)}`;
  markOsLayerBroken(`bubblewrap cannot start a sandbox here: ${why}`);
  return osLayer();
}

function firstLine(text: string | null | undefined): string | undefined {
  const line = (text ?? '').trim().split('\n', 1)[0];
  return line === undefined || line === '' ? undefined : line;
}
