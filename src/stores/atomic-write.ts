import { assertRegistryLockHeld } from './lock.js';


/** Starts loading the atomic-write library without waiting (see preloadRegistryLock). */
export function preloadAtomicWrite(): void {
  import('write-file-atomic').catch(() => undefined);
}

/**
 * Writes a file atomically: temp file, fsync, rename. A crash leaves the old file or the new one.
 * Under the registry lock, refuses to write once the lock is no longer safely held.
 * @throws RegistryLockLostError (see stores/lock.ts)
 */
export async function writeFileAtomically(file: string, content: string | Buffer): Promise<void> {
  // Loaded on first write: read-only commands never pay for it.
  const { default: writeFileAtomic } = await import('write-file-atomic');
  assertRegistryLockHeld();
  await writeFileAtomic(file, content, { fsync: true });
}

/** Serialises JSON with 2-space indentation and a trailing newline, so `git diff` reads well. */
export function formatJson(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

/** Writes a JSON document atomically. */
export async function writeJsonAtomically(file: string, value: unknown): Promise<void> {
  await writeFileAtomically(file, formatJson(value));
}
