import type { ErrorEnvelope } from './error-envelope.js';
import { EXIT } from './exit-codes.js';

/** The exit codes a user error may carry: a negative outcome (1) or a usage or input error (2). */
export type UserExitCode = typeof EXIT.NEGATIVE | typeof EXIT.USAGE;

/**
 * The three kinds of failure (STYLE habit 2): UserError (fixable by the user, carries a
 * hint), domain errors extending it, and bugs (anything else). Each class carries its exit
 * code; only cli/ prints them.
 */
export class UserError extends Error {
  override name = 'UserError';
  /** What the process exits with: a usage or input error unless a subclass says otherwise. */
  readonly exitCode: UserExitCode = EXIT.USAGE;
  constructor(
    message: string,
    readonly hint?: string,
  ) {
    super(message);
  }
}

/** The command line itself is wrong (missing command, unknown flag): exit 2. */
export class UsageError extends UserError {
  override name = 'UsageError';
}

/** A lifecycle transition refused by its guard: exit 1. */
export class IllegalTransitionError extends UserError {
  override name = 'IllegalTransitionError';
  override readonly exitCode = EXIT.NEGATIVE;
}

/** Files on disk do not match their recorded hashes: exit 1. */
export class IntegrityError extends UserError {
  override name = 'IntegrityError';
  override readonly exitCode = EXIT.NEGATIVE;
}

/** A tool or candidate that does not exist: exit 2 (the user named something wrong). */
export class NotFoundError extends UserError {
  override name = 'NotFoundError';
}

/** A negative outcome that is not an input error (failed validation, failed run): exit 1. */
export class NegativeOutcomeError extends UserError {
  override name = 'NegativeOutcomeError';
  override readonly exitCode = EXIT.NEGATIVE;
}

/**
 * A governed run that failed, carrying the run's error envelope (SPEC 3). An unknown tool is
 * an input error (exit 2, the user named something that does not exist); every other failure
 * is a negative outcome (exit 1).
 */
export class FailedRunError extends UserError {
  override readonly name: ErrorEnvelope['error']['type'];
  override readonly exitCode: UserExitCode;
  constructor(readonly envelope: ErrorEnvelope) {
    super(envelope.error.message);
    this.name = envelope.error.type;
    this.exitCode = envelope.error.type === 'NotFoundError' ? EXIT.USAGE : EXIT.NEGATIVE;
  }
}
