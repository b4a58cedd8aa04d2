/**
 * A copy of a command's JSON result without `_internal` fields (error tracebacks): SPEC 3
 * shows them only with --verbose. Reports stored on disk keep them.
 */
export function hideInternal<T>(data: T, verbose: boolean | undefined): T {
  if (verbose) return data;
  return JSON.parse(JSON.stringify(data, (key: string, value: unknown) => (key === '_internal' ? undefined : value))) as T; // safe: dropping `_internal` keys from a JSON round trip of T leaves T's other fields
}
