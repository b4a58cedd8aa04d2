/**
 * Every exit code toolsmith uses, in one file (STYLE habit 2). Errors carry theirs (models/errors.ts);
 * README's table and every command's --help show EXIT_MEANINGS (a test compares them).
 */
export const EXIT = {
  /** Success. */
  OK: 0,
  /** A negative outcome: refused transition, failed validation, failed run, integrity problem. */
  NEGATIVE: 1,
  /** A usage or input error: bad flags, bad spec, bad config, unknown tool. */
  USAGE: 2,
  /** A bug in toolsmith itself (reported with its stack). */
  BUG: 70,
  /** Interrupted by Ctrl-C (or SIGTERM). */
  INTERRUPTED: 130,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** What each exit code means, as the README and --help say it. */
export const EXIT_MEANINGS: Record<ExitCode, string> = {
  0: 'success',
  1: 'negative outcome: refused transition, invalid candidate, failed run, integrity problem, findings',
  2: 'usage or input error: bad flag, bad spec or config, bad tool id, unknown tool, not a workspace, input too large, a file or folder toolsmith may not read or write',
  70: 'a bug in toolsmith (message says so; `--verbose` shows the stack)',
  130: 'interrupted (Ctrl-C or SIGTERM)',
};
