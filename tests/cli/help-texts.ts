// The help text of every command, read in-process from the command tree the binary builds.
import type { Command } from 'commander';
import { createProgram } from '../../src/cli/program.js';

/** [command path ('' for the program), help text as --help prints it] for every command. */
export function helpTexts(): Array<[string, string]> {
  let text = '';
  const program = createProgram(async () => undefined, { writeOut: (s) => void (text += s), writeErr: (s) => void (text += s) });
  const out: Array<[string, string]> = [];
  const visit = (command: Command, name: string) => {
    text = '';
    command.outputHelp();
    out.push([name, text]);
    for (const sub of command.commands) visit(sub, `${name} ${sub.name()}`.trim());
  };
  visit(program, '');
  return out;
}

/** The example command lines of a help text (after `$ `). */
export function examplesOf(text: string): string[] {
  return text.split('\n').filter((l) => l.startsWith('  $ ')).map((l) => l.slice(4));
}
