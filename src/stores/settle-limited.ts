/** Files read or written at once: enough to overlap fsyncs and reads, few enough for any file-descriptor limit. */
export const FILE_CONCURRENCY = 16;

/**
 * `fn` over `items`, at most `limit` at a time; every call settles before the first failure is
 * thrown, so the caller's cleanup never races a write still in flight.
 */
export async function settleLimited<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  const failures: unknown[] = [];
  let next = 0;
  const worker = async (): Promise<void> => {
    for (let index = next++; failures.length === 0 && index < items.length; index = next++) {
      await fn(items[index] as T).catch((error: unknown) => failures.push(error)); // index < items.length: the element exists
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  if (failures.length > 0) throw failures[0];
}
