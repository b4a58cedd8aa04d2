import { CommanderError } from 'commander';
import { EXIT } from './exit-codes.js';
import type { GlobalFlags } from './io/output.js';
import { escapeTerminal } from './io/escape.js';

interface ErrorLike {
  name: string;
  message: string;
  hint?: string;
  stack?: string;
}

/** Refused transitions and integrity failures are negative outcomes (1); other user errors are input errors (2). */
const NEGATIVE_ERRORS = new Set(['IllegalTransitionError', 'IntegrityError', 'NegativeOutcomeError']);

/**
 * The single catch: prints one line (plus a hint) on stderr, or `{ "error": ... }` with
 * --json, and returns the exit code. Unknown errors are bugs: stack shown, exit 70.
 */
export function reportError(error: unknown, flags: GlobalFlags): number {
  if (error instanceof CommanderError) {
    if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help') return EXIT.OK;
    const message = error.message.replace(/^error: /, '');
    return emit(flags, { type: 'UsageError', message, hint: 'run `toolsmith --help` for usage' }, EXIT.USAGE);
  }
  // @inquirer/prompts throws ExitPromptError when the user presses Ctrl-C in the wizard.
  if (error instanceof Error && error.name === 'ExitPromptError') {
    process.stderr.write('interrupted\n');
    return EXIT.INTERRUPTED;
  }
  const e = error as ErrorLike;
  if (error instanceof Error && isUserError(error)) {
    const code = NEGATIVE_ERRORS.has(e.name) ? EXIT.NEGATIVE : EXIT.USAGE;
    return emit(flags, { type: e.name, message: e.message, ...(e.hint ? { hint: e.hint } : {}), ...(flags.verbose && e.stack ? { stack: e.stack } : {}) }, code);
  }
  const bug = error instanceof Error ? error : new Error(String(error));
  return emit(flags, { type: 'InternalError', message: `this is a bug in toolsmith: ${bug.message}`, hint: 'run again with --verbose for the stack trace, and report it', stack: bug.stack ?? '' }, EXIT.BUG);
}

function isUserError(error: Error): boolean {
  // UserError and its subclasses carry a `hint` slot; checked by name chain to avoid importing models here.
  let proto: object | null = error;
  while (proto) {
    if ((proto as { constructor?: { name?: string } }).constructor?.name === 'UserError') return true;
    proto = Object.getPrototypeOf(proto) as object | null;
  }
  return false;
}

function emit(flags: GlobalFlags, error: { type: string; message: string; hint?: string; stack?: string }, code: number): number {
  const { stack, ...rest } = error;
  if (flags.json) {
    process.stdout.write(`${JSON.stringify({ error: flags.verbose ? error : rest }, null, 2)}\n`);
  } else {
    // Messages quote names, paths and tool output: one line each, every control character escaped.
    process.stderr.write(`toolsmith: ${escapeTerminal(error.message)}\n`);
    if (error.hint) process.stderr.write(`hint: ${escapeTerminal(error.hint)}\n`);
    if (flags.verbose && stack) process.stderr.write(`${escapeTerminal(stack, { multiline: true })}\n`);
  }
  return code;
}
