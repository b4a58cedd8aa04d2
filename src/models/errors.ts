/**
 * The three kinds of failure (STYLE habit 2): UserError (fixable by the user, carries a
 * hint), domain errors extending it, and bugs (anything else). Only cli/main maps them
 * to exit codes.
 */
export class UserError extends Error {
  override name = 'UserError';
  constructor(
    message: string,
    readonly hint?: string,
  ) {
    super(message);
  }
}

/** A lifecycle transition refused by its guard: exit 1. */
export class IllegalTransitionError extends UserError {
  override name = 'IllegalTransitionError';
}

/** Files on disk do not match their recorded hashes: exit 1. */
export class IntegrityError extends UserError {
  override name = 'IntegrityError';
}

/** A tool or candidate that does not exist: exit 2 (the user named something wrong). */
export class NotFoundError extends UserError {
  override name = 'NotFoundError';
}

/** A negative outcome that is not an input error (failed validation, failed run): exit 1. */
export class NegativeOutcomeError extends UserError {
  override name = 'NegativeOutcomeError';
}
