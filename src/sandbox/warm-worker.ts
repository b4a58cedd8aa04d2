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
import { spawn } from 'node:child_process';
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
import { bwrapVersion, isRoot, markOsLayerBroken, markOsLayerWorks, osLayer } from './os-layer.js';
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

/** The process side of a worker: the child, its pipes, and what is being collected for the current call. */
interface Live {
  command: ChildCommand;
  folder: RunFolder;
  entryUrl: string;
  workDir: string;
  networkNamespace: boolean;
}

interface CallState {
  nonce: Buffer;
  chunks: Buffer[];
  bytes: number;
  /** Where to resume looking for the nonce in the joined chunks. */
  searchFrom: number;
  logs: LogCollector;
  started: number;
  settle: (report: ChildReport) => void;
}

/** The sandbox outcome kinds after which a worker is not trusted with another call. */
const KEEPS_WORKER = new Set(['execution']);
/** Margin kept below RLIMIT_CPU on top of one call's time limit when deciding to retire a worker. */
const CPU_MARGIN_MS = 250;

/**
 * RLIMIT_CPU counts a process's whole life, so a warm worker is retired while every next call
 * still has at least its time limit of CPU left (a cold run starts with the full budget).
 */
function cpuBudgetMs(limits: SandboxRequest['limits']): number {
  return cpuLimitSeconds(limits) * 1000 - limits.timeoutMs - CPU_MARGIN_MS;
}

/**
 * Starts a worker for `request.toolId` and waits until its harness is ready (no tool code
 * has run yet). A failure to start (no OS layer under isolation "os", a launcher refused, a
 * crash before the harness started) comes back as the outcome a call would have had.
 */
export async function startWarmWorker(request: WarmWorkerRequest, options: WarmCallOptions = {}): Promise<{ ok: true; worker: WarmWorker } | { ok: false; outcome: SandboxFailure }> {
  const full: SandboxRequest = { ...request, input: null };
  assertRequest(full);
  const failure = (outcome: SandboxOutcome): { ok: false; outcome: SandboxFailure } => ({ ok: false, outcome: outcome.ok ? { ...outcome, ok: false, kind: 'crash', message: 'the worker did not start' } : outcome });
  const flag = permissionFlag();
  if (flag === null) return failure(refuse(full, 'crash', `Node ${process.version} has no permission model; refusing to run tool code unsandboxed`));
  const entry = request.entry ?? 'index.js';
  if (!request.buildFiles.has(entry)) return failure(refuse(full, 'crash', `the tool's entry module does not exist: build/${entry}`));
  const deadline = options.deadline ?? performance.now() + request.limits.timeoutMs;

  let state = request.isolation === 'node' ? null : osLayer(request.cacheDir ?? null);
  if (state !== null && !state.ok && request.isolation === 'os') return failure(refuseIsolation(full, state.reason));
  const folder = await createRunFolder(request.buildFiles, state?.ok === true && isRoot());
  let started = false;
  try {
    const fixtures = await copyFixtures(full, folder);
    for (;;) {
      const layer = state?.ok === true ? state.layer : null;
      const access = request.permissions.includes('fs:read') && fixtures === null
        ? (await import('./plan-read-access.js')).planReadAccess(request.readPaths ?? [], request.maskedPaths ?? [], layer !== null && isRoot())
        : null;
      if (layer !== null) {
        const version = bwrapVersion(layer.bwrap);
        const launch = createOsCommand(full, folder, layer, access, fixtures, flag);
        const live: Live = { command: launch.command, folder, entryUrl: launch.entryUrl, workDir: '/work', networkNamespace: true };
        const start = await launchWorker(live, full, deadline, options.signal);
        if ('report' in start) {
          const broken = osLaunchFailure(start.report);
          if (broken !== null) {
            markOsLayerBroken(broken);
            if (request.isolation === 'os') return failure(refuseIsolation(full, broken));
            state = osLayer();
            continue;
          }
          return failure(classifyOutcome(start.report, { nonce: '', limits: request.limits, protections: createProtections(facts(full, null, false, false, null, access)) }));
        }
        markOsLayerWorks();
        const os = { version: await version, namespaces: launch.namespaces, seccomp: launch.seccomp };
        start.setProtections(createProtections(facts(full, os, false, launch.limitsApplied, null, access)));
        started = true;
        return { ok: true, worker: start.worker };
      }
      const plan: LaunchPlan = planNodeLaunch(full);
      const { createNodeCommand } = await import('./create-node-command.js');
      const launch = createNodeCommand(full, folder, plan, access, fixtures, flag);
      const live: Live = { command: launch.command, folder, entryUrl: launch.entryUrl, workDir: folder.workDir, networkNamespace: plan.unshare !== null };
      const start = await launchWorker(live, full, deadline, options.signal);
      if ('report' in start) {
        const failed = failedLauncher(start.report, plan);
        if (failed !== null) {
          markLauncher(failed, false);
          continue;
        }
        return failure(classifyOutcome(start.report, { nonce: '', limits: request.limits, protections: createProtections(facts(full, null, plan.unshare !== null, plan.prlimit !== null, null, access)) }));
      }
      learnLaunchersWork(plan);
      const offReason = state !== null && !state.ok ? state.reason : null;
      start.setProtections(createProtections(facts(full, null, plan.unshare !== null, plan.prlimit !== null, offReason, access)));
      started = true;
      return { ok: true, worker: start.worker };
    }
  } finally {
    // A started worker owns its folder and removes it when it dies.
    if (!started) removeRunFolderLater(folder);
  }
}

type Launched = { worker: WarmWorker; setProtections: (p: SandboxProtections) => void } | { report: ChildReport };

/** Spawns the worker process and waits for its ready byte, or for it to die first (a report, as a cold run's). */
function launchWorker(live: Live, request: SandboxRequest, deadline: number, signal: AbortSignal | undefined): Promise<Launched> {
  const { command } = live;
  const ids = command.uid === undefined ? {} : { uid: command.uid, gid: command.gid ?? command.uid };
  const extra = command.extraFds.map(() => 'pipe' as const);
  const started = performance.now();
  // The harness's warm mode: `harness.mjs warm` (the harness is the last argument of every command).
  const child = spawn(command.file, [...command.args, 'warm'], { cwd: command.cwd, env: command.env, stdio: ['pipe', 'pipe', 'pipe', 'pipe', ...extra], detached: true, ...ids });
  const pid = child.pid;
  if (pid !== undefined) trackGroup(pid);
  command.extraFds.forEach((bytes, index) => {
    const pipe = child.stdio[4 + index] as Writable | null; // `as`: requested as 'pipe' above
    pipe?.on('error', () => undefined);
    pipe?.end(bytes);
  });
  child.stdin.on('error', () => undefined);
  const limits = request.limits;
  const maxReply = maxReplyBytes(request);
  let protections: SandboxProtections | null = null;
  let ready = false;
  let alive = true;
  let exited: { code: number | null; signal: NodeJS.Signals | null } | null = null;
  let spawnError: Error | null = null;
  let killedFor: ChildReport['killedFor'] = null;
  let call: CallState | null = null;
  let startLogs: LogCollector | null = createLogCollector(limits.maxOutputBytes);
  let busy = false;
  const closed = new Promise<void>((resolve) => child.on('close', () => resolve()));

  // Once the leader has exited its pid may be reused, so the group is signalled only before that.
  const condemn = (): void => {
    alive = false;
    if (pid !== undefined && exited === null) killGroup(pid);
  };
  const kill = (reason: NonNullable<ChildReport['killedFor']>): void => {
    killedFor ??= reason;
    condemn();
  };
  const logsOf = (): LogCollector | null => call?.logs ?? startLogs;
  child.stdout.setEncoding('utf8').on('data', (text: string) => logsOf()?.push(text, 'stdout'));
  child.stderr.setEncoding('utf8').on('data', (text: string) => logsOf()?.push(text, 'stderr'));

  const report = (state: CallState | null, resultText: string): ChildReport => {
    const logs = state?.logs ?? startLogs ?? createLogCollector(0);
    return {
      ready,
      resultText,
      exitCode: exited?.code ?? null,
      signal: exited?.signal ?? null,
      killedFor,
      spawnError,
      logs: logs.finish(),
      stderrTail: logs.stderrTail(),
      durationMs: performance.now() - (state?.started ?? started),
    };
  };

  return new Promise<Launched>((resolveStart) => {
    let startSettled = false;
    const startTimer = setTimeout(() => kill('timeout'), Math.max(0, deadline - performance.now()));
    const onStartAbort = (): void => kill('aborted');
    if (signal?.aborted === true) onStartAbort();
    else signal?.addEventListener('abort', onStartAbort, { once: true });
    const endStart = (): void => {
      startSettled = true;
      clearTimeout(startTimer);
      signal?.removeEventListener('abort', onStartAbort);
    };

    // fd 3: the ready byte, then each call's framed reply (anything outside a call is dropped).
    const fd3 = child.stdio[3] as Readable; // `as`: requested as 'pipe' above
    fd3.on('data', (chunk: Buffer) => {
      let data = chunk;
      if (!ready && !startSettled) {
        if (data.subarray(0, 1).toString('latin1') !== READY_BYTE) return kill('output-limit');
        ready = true;
        data = data.subarray(1);
        endStart();
        startLogs = null;
        resolveStart({ worker, setProtections: (p) => void (protections = p) });
      }
      const current = call;
      if (current === null || data.length === 0) return;
      current.bytes += data.length;
      if (current.bytes > maxReply) return kill('output-limit');
      current.chunks.push(data);
      const joined = current.chunks.length === 1 ? data : Buffer.concat(current.chunks);
      current.chunks = [joined];
      const open = joined.indexOf(current.nonce);
      if (open === -1) return;
      const close = joined.indexOf(current.nonce, Math.max(open + current.nonce.length, current.searchFrom));
      current.searchFrom = Math.max(open + current.nonce.length, joined.length - current.nonce.length + 1);
      if (close === -1) return;
      call = null;
      current.settle(report(current, joined.subarray(open, close + current.nonce.length).toString('utf8')));
    });

    child.on('error', (error) => (spawnError = error));
    child.on('exit', (code, sig) => {
      exited = { code, signal: sig };
      alive = false;
    });
    child.on('close', () => {
      if (pid !== undefined) untrackGroup(pid);
      alive = false;
      removeRunFolderLater(live.folder);
      const current = call;
      call = null;
      if (!startSettled) {
        endStart();
        resolveStart({ report: report(null, '') });
      } else if (current !== null) current.settle(report(current, ''));
    });

    const worker: WarmWorker = {
      get protections() {
        // `as`: set by startWarmWorker before the worker is handed out
        return protections as SandboxProtections;
      },
      pid,
      get alive() {
        return alive;
      },
      call(input, callOptions = {}) {
        const base = { logs: [], durationMs: 0, protections: worker.protections };
        if (busy) throw new Error('a warm worker serves one call at a time');
        if (!alive) return Promise.resolve<SandboxOutcome>({ ok: false, kind: 'crash', message: 'the worker is no longer running', ...base });
        busy = true;
        const nonce = randomBytes(16).toString('hex');
        const text = createHarnessRequest({ ...request, input }, nonce, live.entryUrl, live.workDir, live.networkNamespace);
        return new Promise<SandboxOutcome>((resolve) => {
          const callDeadline = callOptions.deadline ?? performance.now() + limits.timeoutMs;
          const timer = setTimeout(() => kill('timeout'), Math.max(0, callDeadline - performance.now()));
          const onAbort = (): void => kill('aborted');
          call = {
            nonce: Buffer.from(nonce, 'latin1'),
            chunks: [],
            bytes: 0,
            searchFrom: 0,
            logs: createLogCollector(limits.maxOutputBytes),
            started: performance.now(),
            settle: (childReport) => {
              clearTimeout(timer);
              callOptions.signal?.removeEventListener('abort', onAbort);
              busy = false;
              const outcome = refuseUngrantedFiles(request, classifyOutcome(childReport, { nonce, limits, protections: worker.protections }));
              // Anything but a reply the tool's own code produced (a value, or an error it threw) condemns the worker.
              if (!(outcome.ok || KEEPS_WORKER.has(outcome.kind))) condemn();
              else if ((outcome.cpuMs ?? 0) > cpuBudgetMs(limits)) condemn();
              resolve(outcome);
            },
          };
          if (callOptions.signal?.aborted === true) onAbort();
          else callOptions.signal?.addEventListener('abort', onAbort, { once: true });
          // One line: JSON.stringify escapes every newline inside the request.
          child.stdin.write(`${text}\n`);
        });
      },
      async close() {
        child.stdin.end();
        condemn();
        await closed;
      },
    };
  });
}
