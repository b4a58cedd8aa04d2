// The help text of every command, read in-process from the command tree the binary builds.
import type { Command } from 'commander';
import { createProgram } from '../../src/cli/program.js';

/** [command path ('' for the program), help text as --help prints it at 80 columns] for every command. */
export function helpTexts(): Array<[string, string]> {
  let text = '';
  const program = createProgram(async () => undefined, { writeOut: (s) => void (text += s), writeErr: (s) => void (text += s), getOutHelpWidth: () => 80 });
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

/**
 * The README's "Every command's --help" section: each command's help without the parts every
 * help shares (the global options, exit codes and environment, checked against their own
 * README tables), in the order of the command tree.
 */
export function helpReference(): string {
  const blocks = helpTexts().map(([name, text]) => {
    const own = text
      .replace(/\nGlobal Options:\n[\s\S]*?\n\n/, '\n')
      .replace(/\nExit codes:\n[\s\S]*$/, '')
      .trimEnd();
    return `\`toolsmith${name ? ` ${name}` : ''} --help\`:\n\n\`\`\`text\n${own}\n\`\`\``;
  });
  return blocks.join('\n\n');
}
