/**
 * `toolsmith generate` with no --spec in a real terminal: the wizard runs. `script` (util-linux)
 * gives the binary a pseudo-terminal; the test answers each question once its text appears.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, createWorkspace, toolsmith, WORD_COUNT_SPEC, writeSpec } from '../helpers.js';

const hasScript = spawnSync('script', ['--version']).status === 0;

/** Strips ANSI escapes so prompt texts can be matched. */
const plain = (s: string) => s.replace(/\x1b\[[0-9;?]*[a-zA-Z]/g, '');

describe('generate wizard in a real terminal', () => {
  it('asks every question on the terminal while stdout goes to a file, checks a taken name at once, and writes the candidate', async () => {
    if (!hasScript) throw new Error('util-linux `script` is needed to give the wizard a terminal (apt-get install bsdutils)');
    const ws = createWorkspace();
    expect(toolsmith(ws, ['generate', '--spec', writeSpec(ws, { ...WORD_COUNT_SPEC, tool_name: 'taken_name' })]).code).toBe(0);
    // stdout is a file, as in `toolsmith generate > result.txt`: the prompts must still reach the terminal.
    const command = `${JSON.stringify(process.execPath)} ${JSON.stringify(BIN)} generate > result.txt`;
    // TERM=xterm, not dumb: Node's readline ignores line editing (backspace) on a dumb terminal.
    const child = spawn('script', ['-qfec', command, '/dev/null'], { cwd: ws, env: { ...process.env, NO_COLOR: '1', TERM: 'xterm', TOOLSMITH_ACTOR: 'author' } });
    let screen = '';
    child.stdout.on('data', (d) => (screen += plain(String(d))));
    const answers: Array<[RegExp, string]> = [
      // Re-asking a malformed name is covered by tests/cli/spec-wizard.test.ts (driven through streams).
      [/Tool name/, 'taken_name\r'],
      // The rejected answer stays in the line: erase it (DEL x 10), then type another name.
      [/staged\/taken_name already exists/, `${'\x7f'.repeat('taken_name'.length)}celsius_table\r`],
      [/Description/, 'Converts Celsius to Fahrenheit.\r'],
      [/When should an agent use it/, 'When a temperature must be converted.\r'],
      [/What does it do/, 'Multiplies by 9/5 and adds 32.\r'],
      [/What does it return/, 'The temperature in Fahrenheit.\r'],
      [/Prerequisites/, '\r'],
      [/Permissions/, '\r'],
      [/Input JSON Schema/, '{"type":"object","properties":{"celsius":{"type":"number"}},"required":["celsius"]}\r'],
      [/Output JSON Schema/, '{"type":"object","properties":{"fahrenheit":{"type":"number"}},"required":["fahrenheit"]}\r'],
    ];
    let seen = 0;
    for (const [prompt, keys] of answers) {
      const deadline = Date.now() + 15_000;
      while (!prompt.test(screen.slice(seen)) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      expect(screen.slice(seen), `waiting for ${prompt} in ${JSON.stringify(screen)}`).toMatch(prompt);
      seen = screen.length;
      child.stdin.write(keys);
    }
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(code, screen).toBe(0);
    const dir = path.join(ws, 'staged', 'celsius_table');
    expect(existsSync(path.join(dir, 'index.ts'))).toBe(true);
    const spec = JSON.parse(readFileSync(path.join(dir, 'spec.json'), 'utf8'));
    expect(spec).toMatchObject({
      tool_name: 'celsius_table',
      description: 'Converts Celsius to Fahrenheit.',
      prerequisites: 'None',
      permissions: [],
      input_schema: { type: 'object', required: ['celsius'] },
    });
    expect(readFileSync(path.join(dir, 'index.ts'), 'utf8')).toMatch(/celsius: number/);
    // stdout carried the result only: no prompt, no escape code.
    const result = readFileSync(path.join(ws, 'result.txt'), 'utf8');
    expect(result).toMatch(/^✓ generated celsius_table 1\.0\.0 \(DRAFT\)/);
    expect(result).not.toMatch(/Tool name|Description|\x1b/);
  }, 60_000);
});
