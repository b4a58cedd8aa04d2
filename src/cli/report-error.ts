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

/** The one error shape of every command, human (two lines on stderr) or --json (stdout). */
export interface ErrorReport {
  type: string;
  message: string;
  hint: string;
  [detail: string]: unknown;
}

/** Refused transitions, integrity failures and other negative outcomes (their subclasses too) exit 1; other user errors exit 2. */
const NEGATIVE_ERRORS = new Set(['IllegalTransitionError', 'IntegrityError', 'NegativeOutcomeError']);

export interface ReportContext {
  /** The command path the user typed (`validate`, `metrics codebleu`), for hints naming its --help. */
  command?: string;
}

/**
 * The single catch: prints one line plus a hint on stderr, or `{ "error": ... }` with
 * --json, and returns the exit code. Unknown errors are bugs: stack shown, exit 70.
 */
export function reportError(error: unknown, flags: GlobalFlags, context: ReportContext = {}): number {
  const help = `run \`toolsmith ${context.command ? `${context.command} ` : ''}--help\` for usage and examples`;
  if (error instanceof CommanderError) {
    if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version') return EXIT.OK;
    const message = error.message.replace(/^error: /, '');
    return emit(flags, { type: 'UsageError', message, hint: help }, EXIT.USAGE);
  }
  // @inquirer/prompts throws ExitPromptError when the user presses Ctrl-C in the wizard.
  if (error instanceof Error && error.name === 'ExitPromptError') {
    process.stderr.write('interrupted\n');
    return EXIT.INTERRUPTED;
  }
  const e = error as ErrorLike;
  if (error instanceof Error && isUserError(error)) {
    const code = classNames(error).some((name) => NEGATIVE_ERRORS.has(name)) ? EXIT.NEGATIVE : EXIT.USAGE;
    // Every error carries a hint: one the code gave, else where to read about the command.
    return emit(flags, { type: e.name, message: e.message, hint: e.hint ?? help, ...(flags.verbose && e.stack ? { stack: e.stack } : {}) }, code);
  }
  const environment = describeEnvironmentError(error);
  if (environment) return emit(flags, { ...environment, ...(flags.verbose && e.stack ? { stack: e.stack } : {}) }, EXIT.USAGE);
  const bug = error instanceof Error ? error : new Error(String(error));
  return emit(flags, { type: 'InternalError', message: `this is a bug in toolsmith: ${bug.message}`, hint: 'run again with --verbose for the stack trace, and report it', stack: bug.stack ?? '' }, EXIT.BUG);
}

/** Prints an error in the one shape (used by reportError and by `run` for envelopes). */
export function emit(flags: GlobalFlags, error: ErrorReport & { stack?: string }, code: number): number {
  const { stack, ...rest } = error;
  if (flags.json) {
    process.stdout.write(`${JSON.stringify({ error: flags.verbose && stack ? error : rest }, null, 2)}\n`);
  } else {
    // Messages quote names, paths and tool output: one line each, every control character escaped.
    process.stderr.write(`toolsmith: ${escapeTerminal(error.message)}\n`);
    process.stderr.write(`hint: ${escapeTerminal(error.hint)}\n`);
    if (flags.verbose && stack) process.stderr.write(`${escapeTerminal(stack, { multiline: true })}\n`);
  }
  return code;
}

/**
 * File-system failures the machine causes, not toolsmith: a folder the user may not read, a
 * read-only or full disk. They are the user's to fix (exit 2), never "a bug" (exit 70).
 */
const ENVIRONMENT_ERRORS: Record<string, string> = {
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
};

function describeEnvironmentError(error: unknown): ErrorReport | null {
  if (!(error instanceof Error)) return null;
  const { code, path: where, syscall } = error as NodeJS.ErrnoException;
  const what = code === undefined ? undefined : ENVIRONMENT_ERRORS[code];
  if (what === undefined) return null;
  const target = where === undefined ? '' : `: ${where}`;
  const hint = code === 'EACCES' || code === 'EPERM'
    ? `check the permissions of ${where ?? 'the workspace'}, or run toolsmith as a user who may use it`
    : 'free space or make the workspace writable, then run the command again';
  return { type: 'EnvironmentError', message: `${what}${syscall ? ` (${syscall})` : ''}${target}`, hint };
}

function isUserError(error: Error): boolean {
  // UserError and its subclasses carry a `hint` slot; checked by name chain to avoid importing models here.
  return classNames(error).includes('UserError');
}

/** The class names of an error's prototype chain, most derived first (a subclass of a negative outcome is one too). */
function classNames(error: Error): string[] {
  const names: string[] = [];
  for (let proto = Object.getPrototypeOf(error) as object | null; proto; proto = Object.getPrototypeOf(proto) as object | null) {
    const name = (proto as { constructor?: { name?: string } }).constructor?.name;
    if (name) names.push(name);
  }
  return names;
}
