/**
 * Progress and Ctrl-C in a real terminal (issue 9, item 11), through util-linux `script`:
 * - Ctrl-C typed while validate's spinner shows stops it with exit 130, leaving every file
 *   as it was (the keystroke, not `kill -INT`: the terminal turns it into SIGINT only when
 *   nothing put it in raw mode);
 * - on a terminal that reports zero columns, progress is plain lines and validate finishes.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createWorkspace, snapshot, tempDir, toolsmith, WORD_COUNT_SPEC, WORD_COUNT_TESTS, writeSpec } from '../helpers.js';
import { BIN_COMMAND, inTerminal, plainTerminal, terminalExit, waitForText } from './e2e-helpers.js';

/** A word_count candidate whose every test takes `delayMs`: validation lasts long enough to interrupt. */
function slowCandidate(delayMs: number): string {
  const ws = createWorkspace();
  expect(toolsmith(ws, ['generate', '--spec', writeSpec(ws, WORD_COUNT_SPEC)]).code).toBe(0);
  const impl = `export default async function wordCount(input: { text: string }): Promise<{ words: number }> {
  await new Promise((resolve) => setTimeout(resolve, ${delayMs}));
  return { words: input.text.split(/\\s+/).filter(Boolean).length };
}
`;
  spawnSync('sh', ['-c', 'cat > staged/word_count/index.ts'], { cwd: ws, input: impl });
  spawnSync('sh', ['-c', 'cat > staged/word_count/tests.json'], { cwd: ws, input: JSON.stringify(WORD_COUNT_TESTS.slice(0, 2)) });
  return ws;
}

describe('validate in a real terminal', () => {
  it('Ctrl-C while the spinner shows exits 130 and changes nothing', async () => {
    const ws = slowCandidate(4_000);
    const before = snapshot(ws);
    const tmpdir = tempDir('toolsmith-tty-tmp-');
    // `script` starts its terminal at 0 x 0: give it a width, so the real spinner shows.
    const terminal = inTerminal(ws, `stty cols 100 rows 30 && ${BIN_COMMAND} validate word_count`, { tmpdir });
    const { child, view } = terminal;
    await waitForText(view, /validating word_count: typecheck ok/);
    child.stdin.write('\x03'); // the keystroke, through the terminal
    const code = await terminalExit(terminal, 15_000);
    expect(code, plainTerminal(view.screen)).toBe(130);
    expect(plainTerminal(view.screen)).toMatch(/interrupted/);
    // Nothing half-written: every file as it was, no temporary left in staged/ or registry/.
    expect(snapshot(ws)).toEqual(before);
    expect(readdirSync(path.join(ws, 'staged')).filter((f) => f.startsWith('.'))).toEqual([]);
    expect(JSON.parse(readFileSync(path.join(ws, 'staged/word_count/candidate.json'), 'utf8')).validation_report).toBeNull();
    // Nor in the temporary folder: the interrupted validation's scratch bundle went with it.
    expect(readdirSync(tmpdir)).toEqual([]);
  }, 60_000);

  it('on a terminal of zero columns, progress is plain lines and validation finishes', async () => {
    const ws = slowCandidate(0);
    const terminal = inTerminal(ws, `stty cols 0 rows 0 && ${BIN_COMMAND} validate word_count`);
    const { view } = terminal;
    const code = await terminalExit(terminal, 45_000);
    expect(code, `${view.bytes} bytes written`).toBe(0);
    const screen = plainTerminal(view.screen);
    expect(screen).toMatch(/^validating word_count\r?$/m);
    expect(screen).toMatch(/^validating word_count: schema ok\r?$/m);
    expect(screen).toMatch(/✓ word_count {2}schema ok/);
    // A bounded amount of output: no redraw loop.
    expect(view.bytes).toBeLessThan(10_000);
  }, 60_000);
});
