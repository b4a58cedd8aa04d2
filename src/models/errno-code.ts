/**
 * The `code` of a Node system error (`ENOENT`, `EACCES`, ...), or undefined when there is none.
 * Any object counts, not only `instanceof Error`: vm's timeout error comes from another realm.
 */
export function errnoCode(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string' ? error.code : undefined;
}

/**
 * File-system failures the machine causes, not toolsmith or a tool: a folder the user may not
 * use, a read-only or full disk. Each code with what it means, in words.
 */
export const ENVIRONMENT_ERRNOS: Readonly<Record<string, string>> = {
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
};

/** Whether an error is one of ENVIRONMENT_ERRNOS. */
export function isEnvironmentErrno(error: unknown): error is NodeJS.ErrnoException & { code: string } {
  const code = errnoCode(error);
  return error instanceof Error && code !== undefined && Object.hasOwn(ENVIRONMENT_ERRNOS, code);
}
