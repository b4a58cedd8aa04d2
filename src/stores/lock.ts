import { mkdir } from 'node:fs/promises';
import path from 'node:path';

/** A lock older than this is stale: its holder died (a SIGKILLed promote) and the next caller takes it. */
const STALE_MS = 5_000;

/**
 * Runs `fn` while holding the registry's cross-process lock (`registry/.lock`).
 * Serialises every registry write so concurrent CI jobs never lose an update.
 */
export async function withRegistryLock<T>(registryDir: string, fn: () => Promise<T>): Promise<T> {
  await mkdir(registryDir, { recursive: true });
  // Loaded on first use: read-only commands (list, show, verify) never pay for it.
  const { default: lockfile } = await import('proper-lockfile');
  const release = await lockfile.lock(registryDir, {
    lockfilePath: path.join(registryDir, '.lock'),
    realpath: false,
    stale: STALE_MS,
    // Up to ~60 s of waiting: 20 concurrent promotes queue behind each other.
    retries: { retries: 600, factor: 1.2, minTimeout: 10, maxTimeout: 100, randomize: true },
  });
  try {
    return await fn();
  } finally {
    await release().catch(() => undefined);
  }
}
