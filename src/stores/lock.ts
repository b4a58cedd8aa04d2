import { AsyncLocalStorage } from 'node:async_hooks';
import fs, { statSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { NegativeOutcomeError } from '../models/errors.js';
import { errnoCode } from '../models/errno-code.js';

/** A lock older than this is stale: its holder died (a SIGKILLed promote) and the next caller takes it. */
const STALE_MS = 5_000;

/** The lock is busy for longer than a caller waits (~60 s): exit 1, try again. */
export class RegistryBusyError extends NegativeOutcomeError {
  override name = 'RegistryBusyError';
}

/** This process lost the lock while holding it (paused or stalled past STALE_MS): exit 1, run again. */
export class RegistryLockLostError extends NegativeOutcomeError {
  override name = 'RegistryLockLostError';
}

/** What this process knows about a lock it acquired. */
interface HeldLock {
  lockPath: string;
  /** The lock folder's mtime as this process last set it (ms): another value means someone else owns the folder now. */
  mtimeMs: number;
  /** When this process last refreshed the lock (Date.now()). */
  refreshedAt: number;
  acquired: boolean;
  lost: string | null;
}

const current = new AsyncLocalStorage<HeldLock>();
let sectionsRunning = 0;

/** Whether this process is inside a registry write section now (Ctrl-C waits for it to end). */
export function isRegistryWriteInProgress(): boolean {
  return sectionsRunning > 0;
}

/**
 * Runs `fn` while holding the registry's cross-process lock (`registry/.lock`).
 * Serialises every registry write so concurrent CI jobs never lose an update.
 *
 * A holder that is paused (SIGSTOP, a suspended laptop) past the stale time can have its lock
 * taken over by another process. Such a holder must not write afterwards: every atomic write
 * under the lock calls assertRegistryLockHeld(), which throws RegistryLockLostError once the
 * lock is gone, taken over, or too old to be safe; and this process then never removes the
 * other process's lock (not even at exit).
 * @throws RegistryBusyError when the lock stays busy for ~60 s
 */
/**
 * Starts loading the lock library without waiting for it: `run` calls this while the tool
 * runs in its sandbox (another process), so recording metrics afterwards does not pay for it.
 */
export function preloadRegistryLock(): void {
  import('proper-lockfile').catch(() => undefined);
}

export async function withRegistryLock<T>(registryDir: string, fn: () => Promise<T>): Promise<T> {
  await mkdir(registryDir, { recursive: true });
  // Loaded on first use: read-only commands (list, show, verify) never pay for it.
  const { default: lockfile } = await import('proper-lockfile');
  const state: HeldLock = { lockPath: path.join(registryDir, '.lock'), mtimeMs: 0, refreshedAt: 0, acquired: false, lost: null };
  let release: () => Promise<void>;
  try {
    release = await lockfile.lock(registryDir, {
      lockfilePath: state.lockPath,
      realpath: false,
      stale: STALE_MS,
      // Up to ~60 s of waiting: 20 concurrent promotes queue behind each other.
      retries: { retries: 600, factor: 1.2, minTimeout: 10, maxTimeout: 100, randomize: true },
      fs: createLockFs(state),
      // proper-lockfile throws this from a timer by default (an uncaught ECOMPROMISED crash).
      onCompromised: (error) => {
        state.lost ??= error.message;
      },
    });
  } catch (error) {
    if (errnoCode(error) === 'ELOCKED') {
      throw new RegistryBusyError(`the registry is busy: ${state.lockPath} stayed locked by another toolsmith process for over a minute`, 'run the command again; if no other toolsmith process is running, remove that .lock folder');
    }
    throw error;
  }
  // The folder is ours now: record its mtime, the identity every later check compares with.
  state.mtimeMs = statSync(state.lockPath).mtime.getTime();
  state.refreshedAt = Date.now();
  state.acquired = true;
  sectionsRunning++;
  try {
    return await current.run(state, fn);
  } finally {
    sectionsRunning--;
    // Released only while it is still ours: proper-lockfile would remove whatever folder is there.
    if (ownsLock(state)) await release().catch(() => undefined);
  }
}

/**
 * Called before every registry write: inside withRegistryLock, throws when this process no
 * longer safely holds the lock; outside it, does nothing.
 * @throws RegistryLockLostError
 */
export function assertRegistryLockHeld(): void {
  const state = current.getStore();
  if (!state) return;
  // proper-lockfile's own wording ("Unable to update lock within the stale threshold") says less than lossReason.
  const reason = lossReason(state) ?? state.lost;
  if (reason === null) return;
  state.lost = reason;
  throw new RegistryLockLostError(
    `lost the registry lock (${reason}): this process was paused or stalled for over ${STALE_MS / 1000} s, so it stopped before its next registry write and another process's work is kept`,
    'run the command again (`toolsmith verify` reports a transition this one interrupted)',
  );
}

/** Why the lock is not safely ours any more, or null when it is. */
function lossReason(state: HeldLock): string | null {
  const info = statSync(state.lockPath, { throwIfNoEntry: false });
  if (!info) return `${state.lockPath} was removed`;
  if (info.mtime.getTime() !== state.mtimeMs) return 'another process took it over';
  if (Date.now() - state.refreshedAt > STALE_MS) return `it was not refreshed for over ${STALE_MS / 1000} s, so another process may take it over at any moment`;
  return null;
}

function ownsLock(state: HeldLock): boolean {
  const info = statSync(state.lockPath, { throwIfNoEntry: false });
  return info !== undefined && info.mtime.getTime() === state.mtimeMs;
}

/**
 * The file system proper-lockfile uses for this lock (its documented `fs` option): node's,
 * with two additions. Refreshes are recorded (the mtime set and when), which is how
 * assertRegistryLockHeld knows the folder is still ours. Once the lock is acquired, removing
 * the folder is skipped when it is no longer ours: after a takeover, proper-lockfile's release
 * and its exit handler would otherwise delete the new holder's lock.
 */
function createLockFs(state: HeldLock): typeof fs {
  const isOurs = (target: fs.PathLike) => !state.acquired || String(target) !== state.lockPath || ownsLock(state);
  return {
    ...fs,
    utimes: ((target: fs.PathLike, atime: fs.TimeLike, mtime: fs.TimeLike, callback: fs.NoParamCallback) => { // safe: the callback form proper-lockfile calls, with Node's own signature
      fs.utimes(target, atime, mtime, (error) => {
        if (!error && state.acquired && String(target) === state.lockPath && mtime instanceof Date) {
          state.mtimeMs = mtime.getTime();
          state.refreshedAt = Date.now();
        }
        callback(error);
      });
    }) as typeof fs.utimes,
    rmdir: ((target: fs.PathLike, callback: fs.NoParamCallback) => { // safe: the callback form proper-lockfile calls, with Node's own signature
      if (isOurs(target)) fs.rmdir(target, callback);
      else callback(null);
    }) as typeof fs.rmdir,
    rmdirSync: ((target: fs.PathLike) => { // safe: the form proper-lockfile calls, with Node's own signature
      if (isOurs(target)) fs.rmdirSync(target);
    }) as typeof fs.rmdirSync,
  };
}
