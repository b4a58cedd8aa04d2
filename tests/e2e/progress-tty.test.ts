/**
 * Progress and Ctrl-C in a real terminal (issue 9, item 11), through util-linux `script`:
 * - Ctrl-C typed while validate's spinner shows stops it with exit 130, leaving every file
 *   as it was (the keystroke, not `kill -INT`: the terminal turns it into SIGINT only when
 *   nothing put it in raw mode);
 * - on a terminal that reports zero columns, progress is plain lines and validate finishes.
 */
import { spawn, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, createWorkspace, snapshot, tempDir, toolsmith, WORD_COUNT_SPEC, WORD_COUNT_TESTS, writeSpec } from '../helpers.js';

const hasScript = spawnSync('script', ['--version']).status === 0;
const plain = (s: string) => s.replace(/\x1b\[[0-9;?]*[a-zA-Z]/g, '');

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

/** Runs a shell command line in a pseudo-terminal; returns the child and a live view of the screen. */
function inTerminal(ws: string, commandLine: string, tmpdir = tempDir('toolsmith-tty-tmp-')) {
  if (!hasScript) throw new Error('util-linux `script` is needed for terminal tests (apt-get install bsdutils)');
  // As a developer's terminal: no CI variable (progress is off on CI).
  const { CI: _ci, ...env } = process.env;
  const child = spawn('script', ['-qfec', commandLine, '/dev/null'], { cwd: ws, env: { ...env, NO_COLOR: '1', TERM: 'xterm', TOOLSMITH_ACTOR: 'author', TMPDIR: tmpdir } });
  const view = { screen: '', bytes: 0 };
  child.stdout.on('data', (d: Buffer) => {
    view.bytes += d.length;
    if (view.screen.length < 1_000_000) view.screen += d.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
  return { child, view, exited };
}

async function waitFor(view: { screen: string }, pattern: RegExp, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!pattern.test(plain(view.screen)) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  expect(plain(view.screen), `waiting for ${pattern}`).toMatch(pattern);
}

const bin = `${JSON.stringify(process.execPath)} ${JSON.stringify(BIN)}`;

describe('validate in a real terminal', () => {
  it('Ctrl-C while the spinner shows exits 130 and changes nothing', async () => {
    const ws = slowCandidate(4_000);
    const before = snapshot(ws);
    const tmpdir = tempDir('toolsmith-tty-tmp-');
    // `script` starts its terminal at 0 x 0: give it a width, so the real spinner shows.
    const { child, view, exited } = inTerminal(ws, `stty cols 100 rows 30 && ${bin} validate word_count`, tmpdir);
    await waitFor(view, /validating word_count: typecheck ok/);
    child.stdin.write('\x03'); // the keystroke, through the terminal
    const code = await Promise.race([exited, new Promise<'hung'>((r) => setTimeout(() => r('hung'), 15_000))]);
    if (code === 'hung') child.kill('SIGKILL');
    expect(code, plain(view.screen)).toBe(130);
    expect(plain(view.screen)).toMatch(/interrupted/);
    // Nothing half-written: every file as it was, no temporary left in staged/ or registry/.
    expect(snapshot(ws)).toEqual(before);
    expect(readdirSync(path.join(ws, 'staged')).filter((f) => f.startsWith('.'))).toEqual([]);
    expect(JSON.parse(readFileSync(path.join(ws, 'staged/word_count/candidate.json'), 'utf8')).validation_report).toBeNull();
    // Nor in the temporary folder: the interrupted validation's scratch bundle went with it.
    expect(readdirSync(tmpdir)).toEqual([]);
  }, 60_000);

  it('on a terminal of zero columns, progress is plain lines and validation finishes', async () => {
    const ws = slowCandidate(0);
    const { child, view, exited } = inTerminal(ws, `stty cols 0 rows 0 && ${bin} validate word_count`);
    const code = await Promise.race([exited, new Promise<'hung'>((r) => setTimeout(() => r('hung'), 45_000))]);
    if (code === 'hung') child.kill('SIGKILL');
    expect(code, `${view.bytes} bytes written`).toBe(0);
    const screen = plain(view.screen);
    expect(screen).toMatch(/^validating word_count\r?$/m);
    expect(screen).toMatch(/^validating word_count: schema ok\r?$/m);
    expect(screen).toMatch(/✓ word_count {2}schema ok/);
    // A bounded amount of output: no redraw loop.
    expect(view.bytes).toBeLessThan(10_000);
  }, 60_000);
});
