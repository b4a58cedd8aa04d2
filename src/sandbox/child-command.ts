import type { SandboxLimits } from './types.js';

/** How to start one sandboxed child: argv, environment, working directory and extra input fds. */
export interface ChildCommand {
  file: string;
  args: string[];
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** Bytes written to fds 4, 5, ... of the child (bubblewrap reads its seccomp filter from one). */
  extraFds: Buffer[];
  /** Start the child as this user and group (root starts bubblewrap as nobody). */
  uid?: number;
  gid?: number;
}

/**
 * Caps on tasks and files. Node starts about a dozen threads (V8's platform workers, libuv's
 * pool, the main thread), and the tool may spawn none; 64 tasks leave room for that and stop
 * a fork bomb that got past the permission model. RLIMIT_NPROC counts per user and user
 * namespace, so it is set inside the sandbox (see create-os-command.ts).
 */
export const MAX_PROCESSES = 64;
export const MAX_OPEN_FILES = 512;

/** RLIMIT_CPU in seconds: a backstop a little past the wall-clock limit, which normally fires first. */
export function cpuLimitSeconds(limits: SandboxLimits): number {
  return Math.ceil(limits.timeoutMs / 1000) + 1;
}

/**
 * prlimit's options. RLIMIT_DATA, not RLIMIT_AS: measured on Node 20, V8 reserves address
 * space far beyond what it uses (Node does not start under RLIMIT_AS = 512 MB, and each
 * WebAssembly memory reserves ~10 GB of guard pages), while RLIMIT_DATA counts the private
 * writable memory actually committed: Buffers, ArrayBuffers and wasm memory included
 * (3 GB of Buffers under a 512 MB cap abort at the cap; see tests/sandbox/sandbox-limits).
 */
export function prlimitArgs(limits: SandboxLimits, withProcessCap: boolean): string[] {
  const cpu = cpuLimitSeconds(limits);
  const args = [`--data=${limits.maxMemoryMb * 1024 * 1024}`, `--cpu=${cpu}:${cpu + 1}`, `--nofile=${MAX_OPEN_FILES}`, '--core=0'];
  if (withProcessCap) args.push(`--nproc=${MAX_PROCESSES}`);
  return args;
}

/** Node's own flags for the child: the permission model with exactly these grants, and the heap cap. */
export function createNodeArgs(permissionFlag: string, reads: readonly string[], writes: readonly string[], limits: SandboxLimits, harness: string): string[] {
  // Node 20.20 takes one path per flag: a comma-separated list is rejected with a warning.
  return [
    permissionFlag,
    ...[...new Set(reads)].map((dir) => `--allow-fs-read=${dir}`),
    ...[...new Set(writes)].map((dir) => `--allow-fs-write=${dir}`),
    `--max-old-space-size=${Math.ceil(limits.maxHeapMb)}`,
    '--disable-warning=ExperimentalWarning',
    harness,
  ];
}

/**
 * Variables never passed to a tool, even with `env`: they reach the tool's node or its
 * loader and could carry flags the sandbox never chose (NODE_OPTIONS: --allow-child-process,
 * preloads), make it write files (NODE_V8_COVERAGE, NODE_REDIRECT_WARNINGS, NODE_COMPILE_CACHE),
 * load libraries (LD_PRELOAD) or grow its thread pool past the process cap (UV_THREADPOOL_SIZE).
 * toolsmith's own settings (TOOLSMITH_SIGN_KEY names the reviewer's private key, TOOLSMITH_ACTOR
 * who acts) are toolsmith's, not the caller's environment a tool is granted.
 */
const DROPPED_PREFIXES = ['NODE_', 'LD_', 'UV_', 'TOOLSMITH_'];

/** The tool's environment: nothing of the caller's without `env`; HOME and TMPDIR are its scratch folder. */
export function createToolEnv(grantEnv: boolean, callerEnv: NodeJS.ProcessEnv, scratch: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  if (grantEnv) {
    for (const [key, value] of Object.entries(callerEnv)) {
      if (value !== undefined && !DROPPED_PREFIXES.some((prefix) => key.startsWith(prefix))) env[key] = value;
    }
  }
  env['HOME'] = scratch;
  env['TMPDIR'] = scratch;
  return env;
}
