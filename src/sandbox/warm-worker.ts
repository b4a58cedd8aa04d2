/**
 * A warm worker: one sandboxed process that serves many calls of ONE tool, one at a time
 * (the harness's warm mode, see harness.ts and protocol.ts). It is started exactly like a
 * cold run (same bubblewrap namespaces, mounts, seccomp filter, permission model, prlimit
 * caps and environment, from a private run folder holding the verified bytes), and only the
 * runner's sessions start one (runner/warm-session.ts).
 *
 * What the parent relies on, whatever the tool does between and during calls:
 * - each call has its own nonce, and the next request is written only after the previous
 *   reply, so the worker only ever holds the one call it is serving;
 * - the per-call time limit, the output budget and an AbortSignal are enforced here, from
 *   outside the sandbox, by killing the whole process group;
 * - a worker that timed out, crashed, hit a limit or sent something that is not a reply is
 *   dead for good (the session starts another); `close()` kills it and waits until it is gone.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import type { Readable, Writable } from 'node:stream';
import type { SandboxProtections } from '../models/index.js';
import { cpuLimitSeconds, type ChildCommand } from './child-command.js';
import { classifyOutcome } from './classify-outcome.js';
import { createLogCollector, type LogCollector } from './create-log-collector.js';
import type { LaunchPlan } from './create-node-command.js';
import { createOsCommand } from './create-os-command.js';
import { createProtections } from './create-protections.js';
import { createRunFolder, removeRunFolderLater, type RunFolder } from './create-run-folder.js';
import { markLauncher, permissionFlag } from './node-launchers.js';
import { bwrapVersion, isRoot, markOsLayerBroken, markOsLayerWorks, osLayer, type OsLayer, type OsLayerState } from './os-layer.js';
import type { ReadAccess } from './plan-read-access.js';
import { READY_BYTE } from './protocol.js';
import {
  assertRequest, copyFixtures, createHarnessRequest, facts, failedLauncher, learnLaunchersWork, maxReplyBytes,
  osLaunchFailure, planNodeLaunch, refuse, refuseIsolation, refuseUngrantedFiles,
} from './run-in-sandbox.js';
import type { ChildReport } from './spawn-child.js';
import { killGroup, trackGroup, untrackGroup } from './spawn-child.js';
import type { SandboxFailure, SandboxOutcome, SandboxRequest } from './types.js';

/** What a warm worker is started with: a sandbox request without the per-call parts. */
export type WarmWorkerRequest = Omit<SandboxRequest, 'input' | 'admit' | 'signal'>;

export interface WarmCallOptions {
  /** Kills the worker at once (the call fails with kind 'aborted'). */
  signal?: AbortSignal;
  /** performance.now() by which the call must have replied; default: now + the time limit. */
  deadline?: number;
}

/** A started worker; `call` never throws for anything the tool does. */
export interface WarmWorker {
  readonly protections: SandboxProtections;
  /** The process group's id (the sandbox's outermost process), while it runs. */
  readonly pid: number | undefined;
  /** False once the process is gone or was condemned: a dead worker serves no more calls. */
  readonly alive: boolean;
  /** One call; the worker must be idle (one call at a time). */
  call(input: unknown, options?: WarmCallOptions): Promise<SandboxOutcome>;
  /** Kills the whole process group and resolves once it has exited and its pipes closed. */
  close(): Promise<void>;
}

/** How one worker process is launched (from create-os-command.ts or create-node-command.ts). */
interface Live {
  command: ChildCommand;
  folder: RunFolder;
  entryUrl: string;
  workDir: string;
  networkNamespace: boolean;
}

interface CallState {
  nonce: Buffer;
  /** fd 3's bytes since the request, joined only once the reply is complete. */
  chunks: Buffer[];
  bytes: number;
  /** The last bytes seen (one nonce long, less one), so a nonce split across two chunks is found. */
  tail: Buffer;
  /** Offset of the opening nonce in the call's bytes, once seen. */
  open: number | null;
  logs: LogCollector;
  started: number;
  settle: (report: ChildReport) => void;
}

/** The sandbox outcome kinds after which a worker is not trusted with another call. */
const KEEPS_WORKER = new Set(['execution']);
/** Random bytes drawn in bulk for the calls' nonces (one draw of the system's generator per 256 calls, not one per call). */
let nonceBytes = Buffer.alloc(0);
let nonceOffset = 0;

/** A fresh 128-bit random nonce, as hex. */
function nextNonce(): string {
  if (nonceOffset + 16 > nonceBytes.length) {
    nonceBytes = randomBytes(16 * 256);
    nonceOffset = 0;
  }
  nonceOffset += 16;
  return nonceBytes.toString('hex', nonceOffset - 16, nonceOffset);
}

/** How long close() waits for a killed worker's pipes to close. */
const CLOSE_WAIT_MS = 5_000;
/** Margin kept below RLIMIT_CPU on top of one call's time limit when deciding to retire a worker. */
const CPU_MARGIN_MS = 250;

/**
 * RLIMIT_CPU counts a process's whole life, so a warm worker is retired while every next call
 * still has at least its time limit of CPU left (a cold run starts with the full budget).
 */
function cpuBudgetMs(limits: SandboxRequest['limits']): number {
  return cpuLimitSeconds(limits) * 1000 - limits.timeoutMs - CPU_MARGIN_MS;
}

type StartResult = { ok: true; worker: WarmWorker } | { ok: false; outcome: SandboxFailure };

/** A launch attempt: a worker, a final failure, or try again with the layer state learnt (a broken OS layer or launcher). */
type Attempt = { done: StartResult } | { retry: OsLayerState | null };

const startFailure = (outcome: SandboxOutcome): { ok: false; outcome: SandboxFailure } => ({ ok: false, outcome: outcome.ok ? { ...outcome, ok: false, kind: 'crash', message: 'the worker did not start' } : outcome });

/**
 * Starts a worker for `request.toolId` and waits until its harness is ready (no tool code
 * has run yet). A failure to start (no OS layer under isolation "os", a launcher refused, a
 * crash before the harness started) comes back as the outcome a call would have had.
 */
export async function startWarmWorker(request: WarmWorkerRequest, options: WarmCallOptions = {}): Promise<StartResult> {
  const full: SandboxRequest = { ...request, input: null };
  assertRequest(full);
  const flag = permissionFlag();
  if (flag === null) return startFailure(refuse(full, 'crash', `Node ${process.version} has no permission model; refusing to run tool code unsandboxed`));
  const entry = request.entry ?? 'index.js';
  if (!request.buildFiles.has(entry)) return startFailure(refuse(full, 'crash', `the tool's entry module does not exist: build/${entry}`));
  const deadline = options.deadline ?? performance.now() + request.limits.timeoutMs;
  let state = request.isolation === 'node' ? null : osLayer(request.cacheDir ?? null);
  if (state !== null && !state.ok && request.isolation === 'os') return startFailure(refuseIsolation(full, state.reason));
  const folder = await createRunFolder(request.buildFiles, state?.ok === true && isRoot());
  let started = false;
  try {
    const fixtures = await copyFixtures(full, folder);
    for (;;) {
      const launch = { request: full, folder, fixtures, flag, deadline, signal: options.signal };
      const attempt = state?.ok === true ? await attemptOs(launch, state.layer) : await attemptNode(launch, state);
      if ('retry' in attempt) {
        state = attempt.retry;
        continue;
      }
      started = attempt.done.ok;
      return attempt.done;
    }
  } finally {
    // A started worker owns its folder and removes it when it dies.
    if (!started) removeRunFolderLater(folder);
  }
}

interface LaunchContext {
  request: SandboxRequest;
  folder: RunFolder;
  fixtures: string | null;
  flag: string;
  deadline: number;
  signal: AbortSignal | undefined;
}

async function readAccess(context: LaunchContext, underOsLayer: boolean): Promise<ReadAccess | null> {
  const { request } = context;
  if (!request.permissions.includes('fs:read') || context.fixtures !== null) return null;
  // Loaded only when needed, as in run-in-sandbox.ts.
  return (await import('./plan-read-access.js')).planReadAccess(request.readPaths ?? [], request.maskedPaths ?? [], underOsLayer && isRoot());
}

/** Under bubblewrap; a launch that fails before Node starts marks the OS layer broken (as a cold run does). */
async function attemptOs(context: LaunchContext, layer: OsLayer): Promise<Attempt> {
  const { request, folder } = context;
  const access = await readAccess(context, true);
  const version = bwrapVersion(layer.bwrap);
  const launch = createOsCommand(request, folder, layer, access, context.fixtures, context.flag);
  const worker = new WorkerProcess({ command: launch.command, folder, entryUrl: launch.entryUrl, workDir: '/work', networkNamespace: true }, request);
  const died = await worker.started(context.deadline, context.signal);
  if (died !== null) {
    const broken = osLaunchFailure(died);
    if (broken === null) return { done: startFailure(classifyOutcome(died, { nonce: '', limits: request.limits, protections: createProtections(facts(request, null, false, false, null, access)) })) };
    markOsLayerBroken(broken);
    if (request.isolation === 'os') return { done: startFailure(refuseIsolation(request, broken)) };
    return { retry: osLayer() };
  }
  markOsLayerWorks();
  const os = { version: await version, namespaces: launch.namespaces, seccomp: launch.seccomp };
  worker.protections = createProtections(facts(request, os, false, launch.limitsApplied, null, access));
  return { done: { ok: true, worker } };
}

/** Node's permission model behind whichever launchers work here (the degraded mode, with its warning). */
async function attemptNode(context: LaunchContext, state: OsLayerState | null): Promise<Attempt> {
  const { request, folder } = context;
  const access = await readAccess(context, false);
  const plan: LaunchPlan = planNodeLaunch(request);
  const { createNodeCommand } = await import('./create-node-command.js');
  const launch = createNodeCommand(request, folder, plan, access, context.fixtures, context.flag);
  const worker = new WorkerProcess({ command: launch.command, folder, entryUrl: launch.entryUrl, workDir: folder.workDir, networkNamespace: plan.unshare !== null }, request);
  const died = await worker.started(context.deadline, context.signal);
  const protections = (offReason: string | null) => createProtections(facts(request, null, plan.unshare !== null, plan.prlimit !== null, offReason, access));
  if (died !== null) {
    const failed = failedLauncher(died, plan);
    if (failed === null) return { done: startFailure(classifyOutcome(died, { nonce: '', limits: request.limits, protections: protections(null) })) };
    markLauncher(failed, false);
    return { retry: state };
  }
  learnLaunchersWork(plan);
  worker.protections = protections(state !== null && !state.ok ? state.reason : null);
  return { done: { ok: true, worker } };
}

/**
 * One worker process: spawned detached (its own process group, killed whole), fd 3 read for
 * the ready byte and then each call's framed reply; stdout and stderr are the current call's logs.
 */
class WorkerProcess implements WarmWorker {
  protections!: SandboxProtections;
  readonly pid: number | undefined;
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly closed: Promise<void>;
  private readonly maxReply: number;
  private ready = false;
  private living = true;
  private busy = false;
  private exited: { code: number | null; signal: NodeJS.Signals | null } | null = null;
  private spawnError: Error | null = null;
  private killedFor: ChildReport['killedFor'] = null;
  private current: CallState | null = null;
  private startLogs: LogCollector | null;
  private readonly spawnedAt = performance.now();
  private onReady: ((report: ChildReport | null) => void) | null = null;
  /** The run folder's removal, started when the process is gone. */
  private removed: Promise<void> = Promise.resolve();

  constructor(
    private readonly live: Live,
    private readonly request: SandboxRequest,
  ) {
    const { command } = live;
    const ids = command.uid === undefined ? {} : { uid: command.uid, gid: command.gid ?? command.uid };
    const extra = command.extraFds.map(() => 'pipe' as const);
    // The harness's warm mode: `harness.mjs warm` (the harness is the last argument of every command).
    // `as`: stdio 0-2 are pipes, so the streams exist (the extra fds are reached through child.stdio).
    this.child = spawn(command.file, [...command.args, 'warm'], { cwd: command.cwd, env: command.env, stdio: ['pipe', 'pipe', 'pipe', 'pipe', ...extra], detached: true, ...ids }) as unknown as ChildProcessWithoutNullStreams;
    this.pid = this.child.pid;
    if (this.pid !== undefined) trackGroup(this.pid);
    this.maxReply = maxReplyBytes(request);
    this.startLogs = createLogCollector(request.limits.maxOutputBytes);
    command.extraFds.forEach((bytes, index) => {
      const pipe = this.child.stdio[4 + index] as Writable | null; // `as`: requested as 'pipe' above
      pipe?.on('error', () => undefined);
      pipe?.end(bytes);
    });
    this.child.stdin.on('error', () => undefined); // EPIPE when it died; its exit tells the story
    this.child.stdout.setEncoding('utf8').on('data', (text: string) => this.logs()?.push(text, 'stdout'));
    this.child.stderr.setEncoding('utf8').on('data', (text: string) => this.logs()?.push(text, 'stderr'));
    (this.child.stdio[3] as Readable).on('data', (chunk: Buffer) => this.onResultData(chunk)); // `as`: requested as 'pipe'
    this.child.on('error', (error) => (this.spawnError = error));
    this.child.on('exit', (code, signal) => {
      this.exited = { code, signal };
      this.living = false;
    });
    this.closed = new Promise((resolve) => this.child.on('close', () => {
      this.onClosed();
      resolve();
    }));
  }

  get alive(): boolean {
    return this.living;
  }

  /** Resolves null once the harness is ready, or the report of a process that died (or was killed) first. */
  started(deadline: number, signal: AbortSignal | undefined): Promise<ChildReport | null> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => this.kill('timeout'), Math.max(0, deadline - performance.now()));
      const onAbort = (): void => this.kill('aborted');
      if (signal?.aborted === true) onAbort();
      else signal?.addEventListener('abort', onAbort, { once: true });
      this.onReady = (report) => {
        this.onReady = null;
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        resolve(report);
      };
    });
  }

  call(input: unknown, options: WarmCallOptions = {}): Promise<SandboxOutcome> {
    if (this.busy) throw new Error('a warm worker serves one call at a time');
    if (!this.living) return Promise.resolve({ ok: false, kind: 'crash', message: 'the worker is no longer running', logs: [], durationMs: 0, protections: this.protections });
    this.busy = true;
    const { limits } = this.request;
    const nonce = nextNonce();
    const text = createHarnessRequest({ ...this.request, input }, nonce, this.live.entryUrl, this.live.workDir, this.live.networkNamespace);
    return new Promise<SandboxOutcome>((resolve) => {
      const deadline = options.deadline ?? performance.now() + limits.timeoutMs;
      const timer = setTimeout(() => this.kill('timeout'), Math.max(0, deadline - performance.now()));
      const onAbort = (): void => this.kill('aborted');
      this.current = {
        nonce: Buffer.from(nonce, 'latin1'),
        chunks: [],
        bytes: 0,
        tail: Buffer.alloc(0),
        open: null,
        logs: createLogCollector(limits.maxOutputBytes),
        started: performance.now(),
        settle: (report) => {
          clearTimeout(timer);
          options.signal?.removeEventListener('abort', onAbort);
          this.busy = false;
          const outcome = refuseUngrantedFiles(this.request, classifyOutcome(report, { nonce, limits, protections: this.protections }));
          // Anything but a reply the tool's own code produced (a value, or an error it threw) condemns the worker.
          if (!(outcome.ok || KEEPS_WORKER.has(outcome.kind)) || (outcome.cpuMs ?? 0) > cpuBudgetMs(limits)) this.condemn();
          resolve(outcome);
        },
      };
      if (options.signal?.aborted === true) onAbort();
      else options.signal?.addEventListener('abort', onAbort, { once: true });
      // One line: JSON.stringify escapes every newline inside the request.
      this.child.stdin.write(`${text}\n`);
    });
  }

  async close(): Promise<void> {
    this.child.stdin.end();
    this.condemn();
    // SIGKILL to the group ends every process in it, so the pipes close; the bound is only there
    // so that nothing a tool does can keep a caller's close() waiting for ever.
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.closed, new Promise<void>((resolve) => (timer = setTimeout(resolve, CLOSE_WAIT_MS).unref()))]);
    clearTimeout(timer);
    await this.removed;
  }

  private logs(): LogCollector | null {
    return this.current?.logs ?? this.startLogs;
  }

  /** Once the leader has exited its pid may be reused, so the group is signalled only before that. */
  private condemn(): void {
    this.living = false;
    if (this.pid !== undefined && this.exited === null) killGroup(this.pid);
  }

  private kill(reason: NonNullable<ChildReport['killedFor']>): void {
    this.killedFor ??= reason;
    this.condemn();
  }

  /** fd 3: the ready byte first; then the current call's bytes until its closing nonce (anything outside a call is dropped). */
  private onResultData(chunk: Buffer): void {
    let data = chunk;
    if (!this.ready) {
      // Nothing of the tool has run before the ready byte, so the first byte is the harness's.
      if (data.subarray(0, 1).toString('latin1') !== READY_BYTE) return this.kill('output-limit');
      this.ready = true;
      this.startLogs = null;
      data = data.subarray(1);
      this.onReady?.(null);
    }
    const call = this.current;
    if (call === null || data.length === 0) return;
    if (call.bytes + data.length > this.maxReply) return this.kill('output-limit');
    // Each byte is searched once (plus a nonce's length of overlap): a large reply in many chunks costs linear time.
    const size = call.nonce.length;
    const window = Buffer.concat([call.tail, data]);
    const windowStart = call.bytes - call.tail.length;
    if (call.open === null) {
      const at = window.indexOf(call.nonce);
      if (at !== -1) call.open = windowStart + at;
    }
    const close = call.open === null ? -1 : window.indexOf(call.nonce, Math.max(0, call.open + size - windowStart));
    call.chunks.push(data);
    call.bytes += data.length;
    call.tail = window.subarray(Math.max(0, window.length - (size - 1)));
    if (call.open === null || close === -1) return;
    this.current = null;
    const end = windowStart + close + size;
    call.settle(this.report(call, Buffer.concat(call.chunks).subarray(call.open, end).toString('utf8')));
  }

  private onClosed(): void {
    if (this.pid !== undefined) untrackGroup(this.pid);
    this.living = false;
    this.removed = removeRunFolderLater(this.live.folder);
    const call = this.current;
    this.current = null;
    if (this.onReady !== null) this.onReady(this.report(null, ''));
    else call?.settle(this.report(call, ''));
  }

  /** What was observed of the current call (or of the start), as a cold run's ChildReport. */
  private report(call: CallState | null, resultText: string): ChildReport {
    const logs = call?.logs ?? this.startLogs ?? createLogCollector(0);
    return {
      ready: this.ready,
      resultText,
      exitCode: this.exited?.code ?? null,
      signal: this.exited?.signal ?? null,
      killedFor: this.killedFor,
      spawnError: this.spawnError,
      logs: logs.finish(),
      stderrTail: logs.stderrTail(),
      durationMs: performance.now() - (call?.started ?? this.spawnedAt),
    };
  }
}
