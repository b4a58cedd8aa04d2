import { spawn } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';
import { createLogCollector } from './create-log-collector.js';
import type { ChildCommand } from './child-command.js';
import { READY_BYTE } from './protocol.js';

/** Everything observed of one child, raw; classify-outcome.ts gives it meaning. */
export interface ChildReport {
  /** The harness started (the launchers exec'd node). */
  ready: boolean;
  /** Bytes of fd 3 after the ready byte (the framed reply, and anything the tool wrote there). */
  resultText: string;
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  /** Why the parent killed the child, if it did ('not-admitted': the call was withdrawn before the request was sent). */
  killedFor: 'timeout' | 'output-limit' | 'not-admitted' | 'aborted' | null;
  spawnError: Error | null;
  logs: string[];
  stderrTail: string;
  durationMs: number;
}

export interface SpawnChildOptions {
  /**
   * The request for the harness. A promise lets the child start while the caller still checks
   * the call (it overlaps Node's start-up with input validation); null withdraws the call, and
   * the child is killed before it ever reads a request, so no tool code runs.
   */
  stdin: string | Promise<string | null>;
  timeoutMs: number;
  /** fd 3 may carry this many bytes (the reply and its framing) before the child is killed. */
  maxResultBytes: number;
  maxLogBytes: number;
  /** Aborting it kills the child at once. */
  signal?: AbortSignal;
  /** Called right after the child is started. */
  onSpawn?: () => void;
}

/** Process groups of children still running, killed if the CLI exits first (they are detached). */
const liveGroups = new Set<number>();
let exitHookInstalled = false;

/** SIGKILL to the process group a detached child leads. */
export function killGroup(pid: number): void {
  try {
    // Negative pid: the whole process group the detached child leads, so nothing it left survives.
    process.kill(-pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

/** Remembers a detached child's process group, so it is killed if the CLI exits first. */
export function trackGroup(pid: number): void {
  liveGroups.add(pid);
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.once('exit', () => liveGroups.forEach(killGroup));
  }
}

/** The group is gone (its leader exited and its pipes closed). */
export function untrackGroup(pid: number): void {
  liveGroups.delete(pid);
}

/** Reads fd 3: the harness's ready byte, then the framed reply, within a byte budget. */
function collectResult(pipe: Readable, maxBytes: number, onOverflow: () => void): { ready: () => boolean; text: () => string } {
  const chunks: Buffer[] = [];
  let bytes = 0;
  let first: string | null = null;
  pipe.on('data', (chunk: Buffer) => {
    let data = chunk;
    if (first === null && data.length > 0) {
      first = data.subarray(0, 1).toString('latin1');
      data = data.subarray(1);
    }
    bytes += data.length;
    if (bytes > maxBytes) return onOverflow();
    chunks.push(data);
  });
  return { ready: () => first === READY_BYTE, text: () => Buffer.concat(chunks).toString('utf8') };
}

/** Spawns the child, feeds it the request and resolves once it has exited and its pipes closed. */
export function spawnChild(command: ChildCommand, options: SpawnChildOptions): Promise<ChildReport> {
  return new Promise((resolve) => {
    const started = performance.now();
    let killedFor: ChildReport['killedFor'] = null;
    let spawnError: Error | null = null;
    let durationMs = 0;

    // detached: the child leads a new process group, so a timeout can kill everything in it.
    const extra = command.extraFds.map(() => 'pipe' as const);
    const ids = command.uid === undefined ? {} : { uid: command.uid, gid: command.gid ?? command.uid };
    const child = spawn(command.file, command.args, { cwd: command.cwd, env: command.env, stdio: ['pipe', 'pipe', 'pipe', 'pipe', ...extra], detached: true, ...ids });
    const pid = child.pid;
    if (pid !== undefined) trackGroup(pid);
    options.onSpawn?.();
    const kill = (reason: NonNullable<ChildReport['killedFor']>): void => {
      killedFor ??= reason;
      if (pid !== undefined) killGroup(pid);
    };
    const timer = setTimeout(() => kill('timeout'), options.timeoutMs);
    const onAbort = (): void => kill('aborted');
    if (options.signal?.aborted === true) onAbort();
    else options.signal?.addEventListener('abort', onAbort, { once: true });

    child.stdin.on('error', () => undefined); // EPIPE when the child dies before reading; its exit tells the story
    void Promise.resolve(options.stdin).then((text) => (text === null ? kill('not-admitted') : child.stdin.end(text)));
    command.extraFds.forEach((bytes, index) => {
      // `as`: these fds were requested as 'pipe'; the child reads them (bubblewrap: --seccomp 4).
      const pipe = child.stdio[4 + index] as Writable | null;
      pipe?.on('error', () => undefined);
      pipe?.end(bytes);
    });
    const logs = createLogCollector(options.maxLogBytes);
    child.stdout.setEncoding('utf8').on('data', (text: string) => logs.push(text, 'stdout'));
    child.stderr.setEncoding('utf8').on('data', (text: string) => logs.push(text, 'stderr'));
    // `as`: fd 3 was requested as a 'pipe', and a child's pipe is readable on the parent's side.
    const result = collectResult(child.stdio[3] as Readable, options.maxResultBytes, () => kill('output-limit'));

    child.on('error', (error) => (spawnError = error));
    child.on('exit', () => (durationMs = performance.now() - started));
    child.on('close', (exitCode, signal) => {
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      if (pid !== undefined) liveGroups.delete(pid);
      resolve({
        ready: result.ready(),
        resultText: result.text(),
        exitCode,
        signal,
        killedFor,
        spawnError,
        logs: logs.finish(),
        stderrTail: logs.stderrTail(),
        durationMs: durationMs || performance.now() - started,
      });
    });
  });
}
