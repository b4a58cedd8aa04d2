/**
 * `generate --llm` in a real terminal (issue 12, items 3 and 8), through util-linux `script`
 * and the scripted Chat Completions server on 127.0.0.1:
 * - `--from` shows the spec the model wrote and asks; yes generates the code, no writes
 *   nothing (exit 1), Ctrl-C at the question writes nothing (exit 130);
 * - per-sample progress lines on the terminal (requesting, validating, passed or failed, the
 *   repair round), on stderr only; none with --json.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createWorkspace, snapshot, tempDir, WORD_COUNT_IMPL, WORD_COUNT_SPEC, WORD_COUNT_TESTS, writeSpec } from '../helpers.js';
import { BIN_COMMAND, inTerminal, plainTerminal, terminalExit, waitForText, type Terminal } from './e2e-helpers.js';
import { fenced, startChatServer, type ChatServer, type Step } from '../generate/chat-server.js';

let server: ChatServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** The model's answer to --from: the spec and its tests in a JSON fence. */
const SPEC_REPLY: Step = { content: `\`\`\`json\n${JSON.stringify({ spec: WORD_COUNT_SPEC, tests: WORD_COUNT_TESTS })}\n\`\`\`` };
/** Counts one word too many: fails the tests. */
const WRONG_IMPL = WORD_COUNT_IMPL.replace('.length };', '.length + 1 };');

/** `toolsmith ARGS` in a terminal 100 columns wide, against `s`; `redirect` is appended to the command line (e.g. `> out.txt`). */
function generateInTerminal(ws: string, args: string, s: ChatServer, tmpdir: string, redirect = ''): Terminal {
  return inTerminal(ws, `stty cols 100 rows 40 && ${BIN_COMMAND} generate --llm ${args} ${redirect}`, {
    tmpdir,
    env: { TOOLSMITH_LLM_BASE_URL: s.baseUrl, TOOLSMITH_LLM_MODEL: 'test-model', OPENAI_API_KEY: 'sk-tty-test' },
  });
}

describe('generate --llm --from in a real terminal', () => {
  it('shows the generated spec and asks; "y" generates the code from it', async () => {
    const ws = createWorkspace();
    const tmpdir = tempDir('toolsmith-tty-tmp-');
    server = await startChatServer([SPEC_REPLY, { content: fenced(WORD_COUNT_IMPL) }]);
    const terminal = generateInTerminal(ws, '--from "count the words in a text"', server, tmpdir);
    await waitForText(terminal.view, /Generate the code for this spec\?/, 30_000);
    // The spec and the tests the model wrote are on the screen before the question.
    const shown = plainTerminal(terminal.view.screen);
    expect(shown).toMatch(/"tool_name": "word_count"/);
    expect(shown).toMatch(/"name": "three"/);
    expect(server.requests).toHaveLength(1); // no code asked for before the answer
    terminal.child.stdin.write('y\r');
    const code = await terminalExit(terminal, 45_000);
    const screen = plainTerminal(terminal.view.screen);
    expect(code, screen).toBe(0);
    expect(screen).toMatch(/✓ generated word_count 1\.0\.0 \(DRAFT, valid\)/);
    expect(server.requests).toHaveLength(2);
    const dir = path.join(ws, 'staged', 'word_count');
    expect(readFileSync(path.join(dir, 'index.ts'), 'utf8')).toBe(WORD_COUNT_IMPL);
    const generation = JSON.parse(readFileSync(path.join(dir, 'generation', 'generation.json'), 'utf8'));
    expect(generation).toMatchObject({ spec_generated: true, tests_source: 'generated' });
    expect(JSON.parse(readFileSync(path.join(dir, 'candidate.json'), 'utf8')).validation_report.is_valid).toBe(true);
    expect(readdirSync(tmpdir)).toEqual([]);
  }, 60_000);

  it('"n" writes nothing and exits 1; Ctrl-C at the question writes nothing and exits 130', async () => {
    const ws = createWorkspace();
    server = await startChatServer([SPEC_REPLY]); // every request gets the spec: none for code may come
    const before = snapshot(ws);
    for (const [keys, exit, message] of [['n\r', 1, /the generated spec was not accepted/], ['\x03', 130, /^interrupted\r?$/m]] as const) {
      const requests = server.requests.length;
      const tmpdir = tempDir('toolsmith-tty-tmp-');
      const terminal = generateInTerminal(ws, '--from "count the words in a text"', server, tmpdir);
      await waitForText(terminal.view, /Generate the code for this spec\?/, 30_000);
      terminal.child.stdin.write(keys);
      const code = await terminalExit(terminal, 30_000);
      const screen = plainTerminal(terminal.view.screen);
      expect(code, screen).toBe(exit);
      expect(screen).toMatch(message);
      // Only the spec was asked for; not a file changed, nothing left in staged/ or the temporary folder.
      expect(server.requests.length - requests).toBe(1);
      expect(snapshot(ws)).toEqual(before);
      expect(readdirSync(path.join(ws, 'staged'))).toEqual([]);
      expect(readdirSync(tmpdir)).toEqual([]);
    }
  }, 60_000);
});

describe('generate --llm progress in a real terminal', () => {
  it('a line per sample step on the terminal (stderr), with the repair round; stdout carries the result only; none with --json', async () => {
    const ws = createWorkspace();
    const spec = writeSpec(ws, WORD_COUNT_SPEC, 'word_count.spec.json');
    writeFileSync(path.join(ws, 'tests.json'), JSON.stringify(WORD_COUNT_TESTS));
    // The first implement request gets wrong code; every other request (a repair, or the other sample) the right code.
    let firstImplement = true;
    server = await startChatServer((request) => {
      const isRepair = (request.body.messages?.length ?? 0) > 2;
      if (!isRepair && firstImplement) {
        firstImplement = false;
        return { content: fenced(WRONG_IMPL) };
      }
      return { content: fenced(WORD_COUNT_IMPL) };
    });
    const tmpdir = tempDir('toolsmith-tty-tmp-');
    const terminal = generateInTerminal(ws, `--spec ${JSON.stringify(spec)} --samples 2 --repair 1`, server, tmpdir, '> result.txt');
    const code = await terminalExit(terminal, 50_000);
    const screen = plainTerminal(terminal.view.screen);
    expect(code, screen).toBe(0);
    for (const sample of [1, 2]) {
      expect(screen).toMatch(new RegExp(`^  sample ${sample}: requesting\\r?$`, 'm'));
      expect(screen).toMatch(new RegExp(`^  sample ${sample}: validating\\r?$`, 'm'));
    }
    // The sample that got the wrong code failed (only the error-expecting test passed), then passed in repair round 1.
    const failed = /^ {2}sample (\d): failed: (.*)$/m.exec(screen);
    expect(failed, screen).not.toBeNull();
    const [, wrong, detail] = failed as RegExpExecArray; // not null: asserted above
    expect(detail).toMatch(/^round 0: 1 of 3 tests passed/);
    const right = wrong === '1' ? '2' : '1';
    expect(screen).toMatch(new RegExp(`^  sample ${wrong} \\(repair round 1\\): requesting\\r?$`, 'm'));
    expect(screen).toMatch(new RegExp(`^  sample ${wrong} \\(repair round 1\\): validating\\r?$`, 'm'));
    expect(screen).toMatch(new RegExp(`^  sample ${wrong} \\(repair round 1\\): passed`, 'm'));
    expect(screen).toMatch(new RegExp(`^  sample ${right}: passed`, 'm'));
    expect(screen).not.toMatch(new RegExp(`sample ${right} \\(repair round`));
    // Progress went to the terminal only: stdout (the file) holds the result, in which round each sample passed.
    const result = readFileSync(path.join(ws, 'result.txt'), 'utf8');
    expect(result).toMatch(/^✓ generated word_count/);
    expect(result).toMatch(new RegExp(`sample ${wrong}: passed in round 1`));
    expect(result).not.toMatch(/requesting|validating/);

    // --json on the same terminal: no progress lines, one JSON document on stdout.
    const quiet = generateInTerminal(ws, `--spec ${JSON.stringify(spec)} --force --json`, server, tmpdir, '> result.json');
    const quietCode = await terminalExit(quiet, 50_000);
    const quietScreen = plainTerminal(quiet.view.screen);
    expect(quietCode, quietScreen).toBe(0);
    expect(quietScreen).not.toMatch(/sample \d/);
    expect(JSON.parse(readFileSync(path.join(ws, 'result.json'), 'utf8'))).toMatchObject({ tool_id: 'word_count', is_valid: true });
    expect(readdirSync(tmpdir)).toEqual([]);
  }, 60_000);
});
