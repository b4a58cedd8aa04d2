// `--max-concurrency N` / `--max-queue M`: at most N calls run at once; up to M more wait in
// order; beyond that a call fails at once (the client may retry) instead of piling up
// sandboxes and memory. A waiting call whose client cancels leaves the queue.

/** The limiter refused a call: N running and M waiting already. */
export class ServerBusyError extends Error {
  override name = 'ServerBusyError';
}

/** The call was cancelled while it waited for a slot; nothing ran. */
export class CancelledWhileQueuedError extends Error {
  override name = 'CancelledWhileQueuedError';
}

export interface CallLimiter {
  /** Runs `task` when a slot is free. @throws ServerBusyError (queue full), CancelledWhileQueuedError */
  run<T>(task: () => Promise<T>, signal?: AbortSignal): Promise<T>;
  readonly running: number;
  readonly waiting: number;
}

/** A limiter of `maxConcurrent` running calls and `maxQueued` waiting ones. */
export function createCallLimiter(maxConcurrent: number, maxQueued: number): CallLimiter {
  let running = 0;
  const queue: Array<() => void> = [];

  const acquire = (signal: AbortSignal | undefined): Promise<void> => {
    if (running < maxConcurrent) {
      running++;
      return Promise.resolve();
    }
    if (queue.length >= maxQueued) {
      return Promise.reject(new ServerBusyError(`toolsmith serve is busy: ${running} calls running and ${queue.length} waiting (--max-concurrency ${maxConcurrent}, --max-queue ${maxQueued})`));
    }
    return new Promise<void>((resolve, reject) => {
      const onAbort = (): void => {
        const at = queue.indexOf(grant);
        if (at >= 0) queue.splice(at, 1);
        reject(new CancelledWhileQueuedError('the call was cancelled while it waited for a free slot'));
      };
      // A slot handed over: the count moves from the finished call to this one.
      const grant = (): void => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      };
      if (signal?.aborted) return onAbort();
      signal?.addEventListener('abort', onAbort, { once: true });
      queue.push(grant);
    });
  };

  const release = (): void => {
    const next = queue.shift();
    if (next !== undefined) next();
    else running--;
  };

  return {
    async run(task, signal) {
      await acquire(signal);
      try {
        return await task();
      } finally {
        release();
      }
    },
    get running() {
      return running;
    },
    get waiting() {
      return queue.length;
    },
  };
}
