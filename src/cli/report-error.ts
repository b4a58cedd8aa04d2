import { CommanderError } from 'commander';
import { EXIT } from '../models/exit-codes.js';
import type { GlobalFlags } from './io/output.js';
import { escapeTerminal } from './io/escape.js';
import { FailedRunError, UserError } from '../models/errors.js';
import { ENVIRONMENT_ERRNOS, isEnvironmentErrno } from '../models/errno-code.js';
import type { ErrorEnvelope, ErrorType } from '../models/error-envelope.js';

/** The one error shape of every command, human (two lines on stderr) or --json (stdout). */
export interface ErrorReport {
  type: string;
  message: string;
  hint: string;
  [detail: string]: unknown;
}

/** What the one printer prints: the shape, the human headline, and what --verbose adds. */
interface PrintableError {
  report: ErrorReport;
  /** The stderr line after `toolsmith: ` (default: the message). */
  headline?: string;
  /** --verbose: a stack or traceback (inside `error` with --json, unless `internal` is given). */
  stack?: string;
  /** --verbose with --json: the envelope's `_internal`, beside `error` as SPEC 3's envelope has it. */
  internal?: unknown;
}

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
    return emit(flags, { report: { type: 'UsageError', message, hint: help } }, EXIT.USAGE);
  }
  // @inquirer/prompts throws ExitPromptError when the user presses Ctrl-C in the wizard.
  if (error instanceof Error && error.name === 'ExitPromptError') {
    process.stderr.write('interrupted\n');
    return EXIT.INTERRUPTED;
  }
  if (error instanceof FailedRunError) return emit(flags, describeFailedRun(error.envelope), error.exitCode);
  if (error instanceof UserError) {
    const stack = flags.verbose ? error.stack : undefined;
    // Every error carries a hint: one the code gave, else where to read about the command.
    return emit(flags, { report: { type: error.name, message: error.message, hint: error.hint ?? help }, ...(stack ? { stack } : {}) }, error.exitCode);
  }
  const environment = describeEnvironmentError(error);
  const stack = flags.verbose && error instanceof Error ? error.stack : undefined;
  if (environment) return emit(flags, { report: environment, ...(stack ? { stack } : {}) }, EXIT.USAGE);
  const bug = error instanceof Error ? error : new Error(String(error));
  return emit(flags, { report: { type: 'InternalError', message: `this is a bug in toolsmith: ${bug.message}`, hint: 'run again with --verbose for the stack trace, and report it' }, stack: bug.stack ?? '' }, EXIT.BUG);
}

/** Prints an error in the one shape: `{ "error": ... }` on stdout with --json, else two lines on stderr. */
function emit(flags: GlobalFlags, error: PrintableError, code: number): number {
  const { report, headline = report.message, stack, internal } = error;
  if (flags.json) {
    const verbose = flags.verbose === true;
    const body = internal !== undefined
      ? { error: report, ...(verbose ? { _internal: internal } : {}) }
      : { error: verbose && stack ? { ...report, stack } : report };
    process.stdout.write(`${JSON.stringify(body, null, 2)}\n`);
  } else {
    // Messages quote names, paths and tool output: one line each, every control character escaped.
    process.stderr.write(`toolsmith: ${escapeTerminal(headline)}\n`);
    process.stderr.write(`hint: ${escapeTerminal(report.hint)}\n`);
    if (flags.verbose && stack) process.stderr.write(`${escapeTerminal(stack, { multiline: true })}\n`);
  }
  return code;
}

/** A run's error envelope in the one shape: the hint moves out of `details` (or is derived from the type). */
export function describeEnvelope(envelope: ErrorEnvelope): ErrorReport {
  const { type, message, details, tool, timestamp } = envelope.error;
  const { hint, ...rest } = details;
  return { type, message, hint: typeof hint === 'string' ? hint : hintForRun(type, tool), ...(Object.keys(rest).length > 0 ? { details: rest } : {}), tool, timestamp };
}

/** A failed run, printed: the envelope's shape, headed by its type. */
function describeFailedRun(envelope: ErrorEnvelope): PrintableError {
  const { type, message } = envelope.error;
  // The tool's own traceback, not toolsmith's stack, is what --verbose adds to a failed run.
  return { report: describeEnvelope(envelope), headline: `${type}: ${message}`, stack: envelope._internal.traceback, internal: envelope._internal };
}

/** What to do about each kind of failed run. */
function hintForRun(type: ErrorType, tool: string | null): string {
  const name = tool ?? 'TOOL';
  switch (type) {
    case 'ValidationError': return `the input (or the tool's output) must match the spec's schemas: see \`toolsmith show ${name}\``;
    case 'TimeoutError': return 'the tool ran longer than sandbox.timeout_ms allows (toolsmith.config.json, default 10000 ms): raise it if the tool legitimately needs longer';
    case 'PermissionError': return `the tool did something its spec's permissions do not grant: see \`toolsmith show ${name}\``;
    case 'ExecutionError': return 'the tool crashed or hit a sandbox limit (sandbox.max_heap_mb, sandbox.max_output_bytes in toolsmith.config.json); --verbose shows its console output';
    case 'ToolError': return 'the tool itself reported this error; --verbose shows its console output';
    case 'IntegrityError': return 'the promoted files changed since promote: run `toolsmith verify`, then restore them or promote again';
    case 'NotFoundError': return 'list promoted tools with `toolsmith list`';
    case 'InternalError': return 'this is a bug in toolsmith: run again with --verbose and report it';
  }
}

/** A file-system failure the machine causes (models/errno-code.ts): the user's to fix (exit 2), never "a bug" (exit 70). */
function describeEnvironmentError(error: unknown): ErrorReport | null {
  if (!isEnvironmentErrno(error)) return null;
  const { code, path: where, syscall } = error;
  const what = ENVIRONMENT_ERRNOS[code];
  const target = where === undefined ? '' : `: ${where}`;
  const hint = code === 'EACCES' || code === 'EPERM'
    ? `check the permissions of ${where ?? 'the workspace'}, or run toolsmith as a user who may use it`
    : 'free space or make the workspace writable, then run the command again';
  return { type: 'EnvironmentError', message: `${what}${syscall ? ` (${syscall})` : ''}${target}`, hint };
}
