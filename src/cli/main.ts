import type { Command } from 'commander';
import { EXIT } from '../models/exit-codes.js';
import type { Handler } from './program.js';
import type { GlobalFlags } from './io/output.js';
import { isRegistryWriteInProgress } from '../stores/lock.js';
import { sigtermTakenOver } from './io/sigterm.js';

/** Parses argv, runs one command, maps every failure to one exit code (STYLE habit 2). */
export async function main(argv: string[]): Promise<number> {
  const rest = argv.slice(2);
  const json = rest.includes('--json');
  // `--version` (with or without --json) is answered before commander and the command tree load (start-up budget).
  if (rest.length > 0 && rest.every((a) => a === '--version' || a === '-V' || a === '--json') && rest.some((a) => a !== '--json')) {
    const { VERSION } = await import('./version.js');
    process.stdout.write(json ? `${JSON.stringify({ version: VERSION })}\n` : `${VERSION}\n`);
    return EXIT.OK;
  }
  const { usePrivateTmpdir } = await import('./io/private-tmpdir.js');
  usePrivateTmpdir();
  const { createProgram, NO_WORKSPACE_COMMANDS } = await import('./program.js');
  const { reportError } = await import('./report-error.js');
  let flags: GlobalFlags = { json, verbose: rest.includes('--verbose') };
  let code: number = EXIT.OK;
  // Commander's help and version text is collected, then printed as one document (--json) or as text.
  let printed = '';
  const collect = (text: string) => void (printed += text);
  const program = createProgram(async (load, args, command: Command) => {
    flags = command.optsWithGlobals<GlobalFlags & Record<string, unknown>>();
    const path = commandPath(command);
    if (!NO_WORKSPACE_COMMANDS.has(path)) await noteWorkspace(flags);
    const handler: Handler = (await load()).default;
    code = await handler(args, { ...flags, ...command.opts(), _command: command.name() });
  }, { writeOut: collect, writeErr: collect });
  try {
    await program.parseAsync(argv);
    return code;
  } catch (error) {
    const { CommanderError } = await import('commander');
    const typed = resolveCommand(program, rest);
    if (error instanceof CommanderError && (error.code === 'commander.helpDisplayed' || error.code === 'commander.version')) {
      const { VERSION } = await import('./version.js');
      if (!json) process.stdout.write(printed);
      else process.stdout.write(`${JSON.stringify(error.code === 'commander.version' ? { version: VERSION } : { command: `toolsmith ${commandPath(typed)}`.trim(), help: printed }, null, 2)}\n`);
      return EXIT.OK;
    }
    if (error instanceof CommanderError && error.code === 'commander.help') {
      // No command given. Plain `toolsmith` shows its help (as gh and cargo do); anything else is a usage error.
      if (rest.length === 0) {
        process.stdout.write(printed);
        return EXIT.OK;
      }
      const names = typed.commands.map((c) => c.name());
      const { UsageError } = await import('../models/errors.js');
      const what = typed === program ? 'missing command' : `${commandPath(typed)} needs a subcommand`;
      const usage = new UsageError(`${what}: one of ${names.join(', ')}`, `run \`toolsmith ${commandPath(typed) ? `${commandPath(typed)} ` : ''}--help\` for usage and examples`);
      return reportError(usage, flags);
    }
    return reportError(error, flags, { command: commandPath(typed) });
  }
}

/** `metrics codebleu` for that command; '' for the program. */
function commandPath(command: Command): string {
  const names: string[] = [];
  for (let c: Command | null = command; c?.parent; c = c.parent) names.unshift(c.name());
  return names.join(' ');
}

/** The deepest command the words name (for hints), skipping option values. */
function resolveCommand(program: Command, words: string[]): Command {
  let command = program;
  for (let i = 0; i < words.length; i++) {
    const word = words[i] ?? '';
    if (word === '--') break;
    if (word.startsWith('-')) {
      const option = [...command.options, ...program.options].find((o) => o.long === word || o.short === word);
      if (option && (option.required || option.optional)) i++;
      continue;
    }
    const sub = command.commands.find((c) => c.name() === word || c.aliases().includes(word));
    if (!sub) break;
    command = sub;
  }
  return command;
}

/**
 * Names the workspace in use on stderr when the user did not name it and it is not the
 * current folder: found in an ancestor, or from TOOLSMITH_WORKSPACE (as gh names the
 * repository it picked). Not with --json or --quiet.
 */
async function noteWorkspace(flags: GlobalFlags): Promise<void> {
  if (flags.json || flags.quiet || flags.workspace) return;
  const { findWorkspace, describeWorkspace } = await import('../workspace/find-workspace.js');
  const workspace = findWorkspace({ cwd: process.cwd() });
  if (workspace.foundBy === 'env' || (workspace.foundBy === 'ancestor' && workspace.root !== process.cwd())) {
    process.stderr.write(`workspace: ${describeWorkspace(workspace)}\n`);
  }
}

/**
 * Ctrl-C (and SIGTERM, which would otherwise end the process without its exit hooks: the
 * private TMPDIR, run folders and sandbox process groups): exit 130 at once, except inside a
 * registry write section (a few milliseconds of audit line + metadata), which is allowed to
 * finish so nothing is left half-written; a second signal does not wait.
 */
let interrupted = false;
const onInterrupt = (): void => {
  if (interrupted || !isRegistryWriteInProgress()) {
    process.stderr.write('interrupted\n');
    process.exit(EXIT.INTERRUPTED);
  }
  interrupted = true;
  process.stderr.write('interrupted: finishing the registry write in progress\n');
  const wait = setInterval(() => {
    if (isRegistryWriteInProgress()) return;
    clearInterval(wait);
    process.exit(EXIT.INTERRUPTED);
  }, 10);
};
process.on('SIGINT', onInterrupt);
process.on('SIGTERM', () => {
  const stop = sigtermTakenOver();
  if (stop === null) onInterrupt();
  else stop();
});

// Not a top-level await: this module is also bundled as CommonJS (scripts/build-bundle.mjs).
void main(process.argv).then((code) => {
  process.exitCode = code;
});
