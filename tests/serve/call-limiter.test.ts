import { describe, expect, it } from 'vitest';
import { CancelledWhileQueuedError, createCallLimiter, ServerBusyError } from '../../src/serve/call-limiter.js';

/** A task the test finishes by hand. */
function gate(): { task: () => Promise<string>; open: (value: string) => void; started: () => boolean } {
  let open: (value: string) => void = () => undefined;
  let started = false;
  const done = new Promise<string>((resolve) => (open = resolve));
  return { task: () => ((started = true), done), open: (value) => open(value), started: () => started };
}

describe('createCallLimiter', () => {
  it('runs N at once, queues M in order, refuses the next at once', async () => {
    const limiter = createCallLimiter(2, 1);
    const [a, b, c] = [gate(), gate(), gate()];
    const ra = limiter.run(a.task);
    const rb = limiter.run(b.task);
    const rc = limiter.run(c.task);
    await Promise.resolve();
    expect([a.started(), b.started(), c.started()]).toEqual([true, true, false]);
    expect([limiter.running, limiter.waiting]).toEqual([2, 1]);
    await expect(limiter.run(async () => 'd')).rejects.toBeInstanceOf(ServerBusyError);
    a.open('a');
    expect(await ra).toBe('a');
    await Promise.resolve();
    expect(c.started()).toBe(true);
    b.open('b');
    c.open('c');
    expect([await rb, await rc]).toEqual(['b', 'c']);
    expect([limiter.running, limiter.waiting]).toEqual([0, 0]);
  });

  it('a waiting call whose client cancels leaves the queue and never runs; a failing task frees its slot', async () => {
    const limiter = createCallLimiter(1, 5);
    const a = gate();
    const ra = limiter.run(a.task);
    const controller = new AbortController();
    let ran = false;
    const waiting = limiter.run(async () => ((ran = true), 'x'), controller.signal);
    controller.abort();
    await expect(waiting).rejects.toBeInstanceOf(CancelledWhileQueuedError);
    expect(limiter.waiting).toBe(0);
    a.open('a');
    await ra;
    expect(ran).toBe(false);
    await expect(limiter.run(async () => { throw new Error('boom'); })).rejects.toThrow('boom');
    expect(await limiter.run(async () => 'after')).toBe('after');
    expect(limiter.running).toBe(0);
  });
});
