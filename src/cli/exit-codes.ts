/** Every exit code toolsmith uses; the README's table is generated from the same list. */
export const EXIT = {
  /** Success. */
  OK: 0,
  /** A negative outcome: refused transition, failed validation, failed run, integrity problem. */
  NEGATIVE: 1,
  /** A usage or input error: bad flags, bad spec, bad config, unknown tool. */
  USAGE: 2,
  /** A bug in toolsmith itself (reported with its stack). */
  BUG: 70,
  /** Interrupted by Ctrl-C. */
  INTERRUPTED: 130,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];
