/**
 * `toolsmith completion bash|zsh|fish` (issue 9, item 22): generated from the commander tree,
 * so every command and option is in every script (checked against the tree itself), and each
 * script really completes in its shell.
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createCompletionScript, describeForCompletion, type CompletionCommand } from '../../src/cli/completion-script.js';
import { createProgram } from '../../src/cli/program.js';
import { tempDir, toolsmith } from '../helpers.js';

const tree = describeForCompletion(createProgram(async () => undefined));
const all = (c: CompletionCommand): CompletionCommand[] => [c, ...c.commands.flatMap(all)];

function run(shell: string, script: string): string {
  const r = spawnSync(shell, ['-c', script], { encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
  return r.stdout;
}

describe('completion scripts', () => {
  it.each(['bash', 'zsh', 'fish'] as const)('%s: every command, subcommand and option of the tree is in the script', (shell) => {
    const script = createCompletionScript(tree, shell);
    for (const command of all(tree)) {
      for (const word of command.path.split(' ').filter(Boolean)) expect(script).toContain(word);
      for (const option of command.options) for (const flag of option.flags) expect(script, `${command.path} ${flag}`).toContain(shell === 'fish' ? (flag.startsWith('--') ? `-l ${flag.slice(2)}` : `-s ${flag.slice(1)}`) : flag);
    }
    // The tree itself has what users type most.
    expect(all(tree).map((c) => c.path)).toEqual(expect.arrayContaining(['validate', 'metrics codebleu', 'completion']));
  });

  it('the binary prints the same script it generates in-process, and refuses an unknown shell', () => {
    const dir = tempDir('toolsmith-completion-');
    expect(toolsmith(dir, ['completion', 'bash']).stdout).toBe(createCompletionScript(tree, 'bash'));
    const bad = toolsmith(dir, ['completion', 'powershell']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/powershell/);
  });

  it('bash completes commands, subcommands, options and option values', () => {
    const file = path.join(tempDir('toolsmith-completion-'), 'toolsmith.bash');
    writeFileSync(file, createCompletionScript(tree, 'bash'));
    const out = run('bash', `source ${file}
t() { COMP_WORDS=("$@"); COMP_CWORD=$((\${#COMP_WORDS[@]} - 1)); COMPREPLY=(); _toolsmith; echo "\${COMPREPLY[*]}"; }
t toolsmith va; t toolsmith metrics ''; t toolsmith -w /tmp metrics co; t toolsmith generate --sp; t toolsmith scan --format ''; t toolsmith completion ''; t toolsmith manifest --format ''`);
    // The same flag on two commands completes each one's own values (scan --format, manifest --format).
    expect(out.split('\n').slice(0, 7)).toEqual(['validate', 'pass-at-k codebleu', 'codebleu', '--spec', 'text json sarif', 'bash zsh fish', 'manifest mcp']);
  });

  it('zsh offers the same words (its completion functions stubbed to print what they are given)', () => {
    const file = path.join(tempDir('toolsmith-completion-'), '_toolsmith');
    writeFileSync(file, createCompletionScript(tree, 'zsh'));
    const out = run('zsh', `compdef() {}
_describe() { local arr=\${@[-1]}; print -r -- "\${(j: :)\${(@)\${(P)arr}%%:*}}"; }
compadd() { print -r -- "\${(j: :)\${(P)2}}"; }
_files() { print FILES; }
source ${file}
t() { words=("$@"); CURRENT=\${#words}; _toolsmith; }
t toolsmith metrics ''; t toolsmith scan --format ''; t toolsmith validate --junit ''; t toolsmith completion ''`);
    expect(out.split('\n').slice(0, 4)).toEqual(['pass-at-k codebleu', 'text json sarif', 'FILES', 'bash zsh fish']);
  });

  it('fish completes from its own `complete -C`', () => {
    const file = path.join(tempDir('toolsmith-completion-'), 'toolsmith.fish');
    writeFileSync(file, createCompletionScript(tree, 'fish'));
    const words = (line: string) => run('fish', `source ${file}; complete -C ${JSON.stringify(line)}`).split('\n').filter(Boolean).map((l) => l.split('\t')[0]).sort();
    expect(words('toolsmith va')).toEqual(['validate']);
    expect(words('toolsmith metrics ')).toEqual(['codebleu', 'pass-at-k']);
    expect(words('toolsmith scan --format ')).toEqual(['json', 'sarif', 'text']);
    expect(words('toolsmith generate --sp')).toEqual(['--spec']);
    expect(words('toolsmith completion ')).toEqual(['bash', 'fish', 'zsh']);
  });
});
