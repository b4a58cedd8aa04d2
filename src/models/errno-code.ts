/**
 * The `code` of a Node system error (`ENOENT`, `EACCES`, ...), or undefined when there is none.
 * Any object counts, not only `instanceof Error`: vm's timeout error comes from another realm.
 */
export function errnoCode(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string' ? error.code : undefined;
}
