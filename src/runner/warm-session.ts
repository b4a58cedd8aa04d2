/**
 * Warm execution, a mode of the ToolRunner (SPEC 8): `runner.openSession()` returns a
 * WarmSession whose `run(ref, payload)` is `runner.run(ref, payload, { session })`, the same
 * governed path (input and output validation, envelopes, metrics per call), except that the
 * tool runs in a warm worker (sandbox/warm-worker.ts) instead of a fresh sandbox.
 *
 * The state boundary: a session resolves each tool and checks its hashes ONCE, and keeps a
 * small pool of workers per tool, each started from those verified bytes in the same
 * isolation, permissions and limits as a cold run. Module state of a tool may persist between
 * calls served by the same worker of the same session; a session never shares a worker with
 * another session, and `close()` kills every worker it started. Which worker serves which call
 * is not specified: a tool must not count on its state persisting either.
 */
import { availableParallelism } from 'node:os';
import { startWarmWorker, type SandboxFailure, type SandboxOutcome, type WarmWorker } from '../sandbox/index.js';
import type { SpecValidators } from '../json-schema/standalone-runtime.js';
import type { ResolvedTool, RunOutcome, ToolRunnerOptions } from './tool-runner.js';

export interface WarmSessionOptions {
  /** Most workers kept per tool (default: the number of cores); calls beyond it wait for a free one. */
  workersPerTool?: number;
  /**
   * When the tool is resolved and its files checked against their hashes: 'once' per reference
   * per session (default; a batch), or 'every-call' (a long-lived server: a newly promoted
   * version is picked up and a tampered file refused on the next call). Calls that resolve to
   * the same version with the same hashes share warm workers either way.
   */
  verify?: 'once' | 'every-call';
}

export interface SessionCallOptions {
  /** Aborting it kills the worker serving the call at once (the outcome: ExecutionError, details.sandbox "aborted"). */
  signal?: AbortSignal;
}

/** What a session call gives the runner: the sandbox's outcome, or a refusal before any worker ran it. */
export type SessionOutcome = SandboxOutcome | (Omit<SandboxFailure, 'protections'> & { protections: null });

interface Pool {
  idle: WarmWorker[];
  /** Workers running or starting. */
  size: number;
  waiters: Array<() => void>;
}

/**
 * Which verified bytes a resolved tool stands for: a promoted (tool, version) is immutable and
 * its files are checked against the hashes its promote line anchors, so equal keys mean the
 * same bytes, and their workers can serve each other's calls.
 */
function identity(tool: ResolvedTool): string {
  return JSON.stringify([tool.toolId, tool.version, tool.codeHash, tool.specFileHash ?? null]);
}

/** The part of the runner a session calls back into. */
interface SessionHost {
  run(ref: string, payload: unknown, options: { signal?: AbortSignal; session: WarmSession }): Promise<RunOutcome>;
  readonly settings: ToolRunnerOptions;
}

/** A set of warm workers owned by one caller (one batch, one MCP connection). Create it with `ToolRunner.openSession()`. */
export class WarmSession {
  private readonly tools = new Map<string, Promise<ResolvedTool>>();
  private readonly validators = new Map<string, Promise<SpecValidators>>();
  private readonly pools = new Map<string, Pool>();
  private readonly everyWorker = new Set<WarmWorker>();
  private readonly closing = new Set<Promise<void>>();
  private readonly maxWorkers: number;
  private readonly verifyEveryCall: boolean;
  private closed = false;

  /** @internal use ToolRunner.openSession() */
  constructor(private readonly host: SessionHost, options: WarmSessionOptions = {}) {
    const max = options.workersPerTool ?? availableParallelism();
    if (!Number.isInteger(max) || max < 1) throw new TypeError(`workersPerTool must be an integer >= 1, got ${String(max)}`);
    this.maxWorkers = max;
    this.verifyEveryCall = options.verify === 'every-call';
  }

  /** Runs one tool on one payload through the runner, on a warm worker; the same RunOutcome as `runner.run`, never throws. */
  run(ref: string, payload: unknown, options: SessionCallOptions = {}): Promise<RunOutcome> {
    return this.host.run(ref, payload, { ...options, session: this });
  }

  /** Kills every worker of the session (process groups, bubblewrap included) and waits until they are gone; flushes deferred metrics. */
  async close(): Promise<void> {
    this.closed = true;
    for (const pool of this.pools.values()) pool.waiters.splice(0).forEach((wake) => wake());
    await Promise.all([...this.everyWorker].map((worker) => this.retire(worker)));
    await Promise.all([...this.closing]);
    await this.host.settings.metrics.flush?.();
  }

  /**
   * Starts a worker for `ref` ahead of its first call, when its pool has none yet (a batch
   * starts every step's worker at once instead of one after the other). Never throws: a tool
   * that cannot be resolved or started is reported by the call that needs it.
   */
  async prewarm(ref: string): Promise<void> {
    try {
      const tool = await this.resolve(ref);
      void this.validatorsFor(tool).catch(() => undefined);
      const pool = this.poolOf(tool);
      if (this.closed || pool.size > 0) return;
      pool.size++;
      const started = await startWarmWorker(this.workerRequest(tool)).catch(() => null);
      if (started === null || !started.ok) {
        pool.size--;
        this.wake(pool);
        return;
      }
      this.everyWorker.add(started.worker);
      if (this.closed) return this.drop(pool, started.worker);
      pool.idle.push(started.worker);
      this.wake(pool);
    } catch {
      // the first call of this tool reports why it cannot run
    }
  }

  /** The resolved, hash-checked tool: once per reference per session, or on every call (`verify`). @internal */
  resolve(ref: string): Promise<ResolvedTool> {
    if (this.verifyEveryCall) return this.host.settings.resolver.resolve(ref);
    let resolved = this.tools.get(ref);
    if (resolved === undefined) {
      resolved = this.host.settings.resolver.resolve(ref);
      this.tools.set(ref, resolved);
    }
    return resolved;
  }

  /** The tool's validators, loaded once per session. @internal */
  validatorsFor(tool: ResolvedTool): Promise<SpecValidators> {
    const key = identity(tool);
    let loaded = this.validators.get(key);
    if (loaded === undefined) {
      loaded = this.host.settings.validators(tool);
      this.validators.set(key, loaded);
    }
    return loaded;
  }

  /** One call on a worker of this tool's pool (started when none is free and the pool has room). @internal */
  async call(tool: ResolvedTool, input: Record<string, unknown>, signal: AbortSignal | undefined): Promise<SessionOutcome> {
    const pool = this.poolOf(tool);
    for (;;) {
      if (this.closed) return this.refused('crash', 'the session was closed before the call ran');
      if (signal?.aborted === true) return this.refused('aborted', 'the call was cancelled before it ran');
      const idle = pool.idle.pop();
      if (idle !== undefined && !idle.alive) {
        this.drop(pool, idle);
        continue;
      }
      // The time limit runs from the moment the call has a worker (or starts one), not while it queues.
      const deadline = performance.now() + this.host.settings.limits.timeout_ms;
      let worker = idle;
      if (worker === undefined) {
        if (pool.size >= this.maxWorkers) {
          await this.waitForWorker(pool, signal);
          continue;
        }
        pool.size++;
        let started: Awaited<ReturnType<typeof startWarmWorker>>;
        try {
          started = await startWarmWorker(this.workerRequest(tool), { deadline, ...(signal ? { signal } : {}) });
        } catch (error) {
          // e.g. no room for a run folder: the place is free again, and the runner reports the error.
          pool.size--;
          this.wake(pool);
          throw error;
        }
        if (!started.ok) {
          pool.size--;
          this.wake(pool);
          return started.outcome;
        }
        worker = started.worker;
        this.everyWorker.add(worker);
        if (this.closed) {
          await this.retire(worker);
          continue;
        }
      }
      try {
        return await worker.call(input, { deadline, ...(signal ? { signal } : {}) });
      } finally {
        if (worker.alive && !this.closed) {
          pool.idle.push(worker);
          this.wake(pool);
        } else this.drop(pool, worker);
      }
    }
  }

  private poolOf(tool: ResolvedTool): Pool {
    const key = identity(tool);
    let pool = this.pools.get(key);
    if (pool === undefined) {
      pool = { idle: [], size: 0, waiters: [] };
      this.pools.set(key, pool);
    }
    return pool;
  }

  private workerRequest(tool: ResolvedTool): Parameters<typeof startWarmWorker>[0] {
    const { limits, readPaths, maskedPaths, fixturesDir, env, cacheDir } = this.host.settings;
    return {
      toolId: tool.toolId,
      buildFiles: tool.buildFiles,
      permissions: tool.permissions,
      limits: { timeoutMs: limits.timeout_ms, maxHeapMb: limits.max_heap_mb, maxOutputBytes: limits.max_output_bytes, maxMemoryMb: limits.max_memory_mb, maxScratchMb: limits.max_scratch_mb },
      isolation: limits.isolation,
      readPaths: readPaths ?? [],
      maskedPaths: maskedPaths ?? [],
      fixturesDir: fixturesDir ?? null,
      env: env ?? process.env,
      cacheDir: cacheDir ?? null,
    };
  }

  /** A dead or condemned worker leaves the pool (its process group is killed) and frees its place. */
  private drop(pool: Pool, worker: WarmWorker): void {
    pool.size--;
    void this.retire(worker);
    this.wake(pool);
  }

  private retire(worker: WarmWorker): Promise<void> {
    this.everyWorker.delete(worker);
    const done = worker.close();
    this.closing.add(done);
    void done.finally(() => this.closing.delete(done));
    return done;
  }

  private wake(pool: Pool): void {
    pool.waiters.shift()?.();
  }

  private waitForWorker(pool: Pool, signal: AbortSignal | undefined): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      };
      const onAbort = (): void => {
        const at = pool.waiters.indexOf(done);
        if (at !== -1) pool.waiters.splice(at, 1);
        done();
      };
      pool.waiters.push(done);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** A call that never reached a worker: no sandbox ran, so there are no protections to report. */
  private refused(kind: 'crash' | 'aborted', message: string): SessionOutcome {
    return { ok: false, kind, message, logs: [], durationMs: 0, protections: null };
  }
}
