/**
 * Errors carry their exit code (issue 10, item 3): the class decides 1 or 2, subclasses inherit
 * it, and the one printer gives every error, a failed run's envelope too, one shape.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { reportError } from '../../src/cli/report-error.js';
import { createErrorEnvelope } from '../../src/models/index.js';
import { FailedRunError, IllegalTransitionError, IntegrityError, NegativeOutcomeError, NotFoundError, UsageError, UserError } from '../../src/models/errors.js';
import { EXIT } from '../../src/models/exit-codes.js';
import { RegistryBusyError } from '../../src/stores/lock.js';

/** Runs reportError and returns the exit code with what it wrote to stdout and stderr. */
function report(error: unknown, flags: { json?: boolean; verbose?: boolean } = {}): { code: number; stdout: string; stderr: string } {
  let stdout = '';
  let stderr = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => ((stdout += String(chunk)), true));
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => ((stderr += String(chunk)), true));
  try {
    return { code: reportError(error, flags), stdout, stderr };
  } finally {
    vi.restoreAllMocks();
  }
}

afterEach(() => vi.restoreAllMocks());

describe('errors carry their exit code', () => {
  it.each([
    ['UserError', new UserError('x'), EXIT.USAGE],
    ['UsageError', new UsageError('x'), EXIT.USAGE],
    ['NotFoundError', new NotFoundError('x'), EXIT.USAGE],
    ['IllegalTransitionError', new IllegalTransitionError('x'), EXIT.NEGATIVE],
    ['IntegrityError', new IntegrityError('x'), EXIT.NEGATIVE],
    ['NegativeOutcomeError', new NegativeOutcomeError('x'), EXIT.NEGATIVE],
    ['RegistryBusyError (a subclass of a negative outcome)', new RegistryBusyError('x'), EXIT.NEGATIVE],
  ])('%s exits with its class\'s code', (_name, error, code) => {
    expect(error.exitCode).toBe(code);
    expect(report(error).code).toBe(code);
  });

  it('a subclass declared anywhere inherits the code, whatever its name', () => {
    class RenamedRefusal extends NegativeOutcomeError {
      override name = 'SomethingElse';
    }
    expect(report(new RenamedRefusal('no')).code).toBe(EXIT.NEGATIVE);
    // An error merely named like a negative outcome is not one: it is a bug.
    expect(report(Object.assign(new Error('fake'), { name: 'IntegrityError' })).code).toBe(EXIT.BUG);
  });

  it('a failed run: exit 1, or 2 for an unknown tool; the one shape with the envelope\'s fields', () => {
    const timeout = createErrorEnvelope('TimeoutError', 'ran too long', { details: { limit_ms: 10 }, tool: 'slow_tool', traceback: 'trace', now: new Date('2026-01-01T00:00:00Z') });
    const human = report(new FailedRunError(timeout));
    expect(human.code).toBe(EXIT.NEGATIVE);
    expect(human.stderr).toMatch(/^toolsmith: TimeoutError: ran too long\nhint: .*sandbox\.timeout_ms/);
    const json = report(new FailedRunError(timeout), { json: true });
    expect(JSON.parse(json.stdout)).toEqual({ error: { type: 'TimeoutError', message: 'ran too long', hint: expect.stringContaining('timeout_ms'), details: { limit_ms: 10 }, tool: 'slow_tool', timestamp: '2026-01-01T00:00:00.000Z' } });
    expect(JSON.parse(report(new FailedRunError(timeout), { json: true, verbose: true }).stdout)._internal).toEqual({ traceback: 'trace' });
    const missing = createErrorEnvelope('NotFoundError', 'no tool', { tool: 'nope' });
    expect(report(new FailedRunError(missing)).code).toBe(EXIT.USAGE);
  });

  it('every user error has the same JSON shape: { error: { type, message, hint } }', () => {
    expect(JSON.parse(report(new IntegrityError('changed', 'run verify'), { json: true }).stdout)).toEqual({ error: { type: 'IntegrityError', message: 'changed', hint: 'run verify' } });
  });
});
