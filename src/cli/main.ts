import type { Command } from 'commander';
import { EXIT } from './exit-codes.js';
import type { Handler } from './program.js';
import type { GlobalFlags } from './io/output.js';

/** Parses argv, runs one command, maps every failure to one exit code (STYLE habit 2). */
export async function main(argv: string[]): Promise<number> {
  // `--version` alone is answered before commander and the command tree load (start-up budget).
  const rest = argv.slice(2);
  if (rest.length === 1 && (rest[0] === '--version' || rest[0] === '-V')) {
    const { VERSION } = await import('./version.js');
    process.stdout.write(`${VERSION}\n`);
    return EXIT.OK;
  }
  const { createProgram } = await import('./program.js');
  const { reportError } = await import('./report-error.js');
  let flags: GlobalFlags = { json: argv.includes('--json'), verbose: argv.includes('--verbose') };
  let code: number = EXIT.OK;
  const program = createProgram(async (load, args, command: Command) => {
    flags = command.optsWithGlobals<GlobalFlags & Record<string, unknown>>();
    const handler: Handler = (await load()).default;
    code = await handler(args, { ...flags, ...command.opts(), _command: command.name() });
  });
  try {
    await program.parseAsync(argv);
    return code;
  } catch (error) {
    return reportError(error, flags);
  }
}

process.on('SIGINT', () => {
  process.stderr.write('interrupted\n');
  process.exit(EXIT.INTERRUPTED);
});

process.exitCode = await main(process.argv);
