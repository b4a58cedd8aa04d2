/**
 * Issue 8, item 5 / Must show 4: nothing untrusted reaches a terminal raw. A spec, code,
 * test names and values, tool logs and errors, review notes and names all carry ESC, CR,
 * BEL, OSC 52 and bidirectional controls; `show`, `diff`, `list`, `validate` and every error
 * message, captured with NO_COLOR=1, hold no ESC, CR or BEL byte; the escaped forms are
 * visible; bidi controls are flagged; `--json` stays exact.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorkspace, inProcess, prepare, promoteTool, toolsmith, writeSpec, type CliResult } from '../helpers.js';
import { echoSpec, implement, ok, toolsmithJson } from './e2e-helpers.js';

const ID = 'shout';
const ESC = '\x1b';
const CSI_HIDE = `\r${ESC}[2K${ESC}[1A`; // what hid an added line from diff
const OSC52 = `${ESC}]52;c;cm0gLXJmIH4K\x07`; // sets the clipboard
const RLO = '\u202e';

// Every spec text carries control sequences; the schemas too (a description inside them).
const SPEC = {
  tool_name: ID,
  description: `Shouts a text.${ESC}[8m (hidden)`,
  input_schema: { type: 'object', properties: { text: { type: 'string', description: `in${OSC52}` } }, required: ['text'], additionalProperties: false },
  output_schema: { type: 'object', properties: { text: { type: 'string' } }, required: ['text'], additionalProperties: false },
  when_to_use: `Always.${CSI_HIDE}permissions:   none`,
  what_it_does: `Upper-cases.\x07\x07`,
  returns: `The text.${RLO}desrever`,
  prerequisites: 'None.\x9b2J', // C1 CSI
  permissions: ['net', 'env', 'fs:read', 'fs:write'],
};
const IMPL = `export default async function shout(input: { text: string }): Promise<{ text: string }> {
  console.log('log line ${'\\x1b'}[2J cleared ${'\\x07'}');
  if (input.text === 'boom') throw new Error('boom ${'\\x1b'}]52;c;aGk=${'\\x07'} clipboard');
  // ${RLO} } if (isAdmin) { ${'\u2066'} trojan comment
  return { text: input.text.toUpperCase() };
}
`;
const TESTS = [
  { name: `loud ${ESC}[2K`, input: { text: `a${ESC}[31mred` }, expected: { text: `A${ESC}[31MRED` } },
  { name: `boom\r`, input: { text: 'boom' }, expect_error: 'ValidationError' },
];

let ws: string;
beforeAll(async () => {
  ws = createWorkspace();
  await prepare(ws, ['generate', '--spec', writeSpec(ws, SPEC)]);
  implement(ws, ID, IMPL, TESTS);
  // The second test fails (ToolError, not ValidationError): its error message reaches show.
  expect((await inProcess.validate(ws, [ID])).all_valid).toBe(false); // the binary's exit 1
}, 120_000);
afterAll(() => rmSync(ws, { recursive: true, force: true }));

/** No ESC, CR or BEL byte (nor a C1 CSI) anywhere in what a terminal would receive. */
function expectClean(r: CliResult): void {
  for (const text of [r.stdout, r.stderr]) {
    expect(text).not.toMatch(/[\x1b\r\x07\x9b]/);
    expect(text).not.toContain(RLO);
  }
}

describe('human output escapes every untrusted string', () => {
  it('show: spec, code, tests, logs, errors; the escaped forms are visible and bidi is flagged', () => {
    const show = toolsmith(ws, ['show', ID]);
    expect(show.code).toBe(0);
    expectClean(show);
    const out = show.stdout;
    expect(out).toMatch(/^! bidirectional control characters \(Trojan Source\) in: spec\.returns, index\.ts; shown escaped/);
    expect(out).toContain('when to use:   Always.\\r\\x1b[2K\\x1b[1Apermissions:   none');
    expect(out).toContain('permissions:   net, env, fs:read, fs:write (a new tool: every permission is new)');
    expect(out).toContain('Shouts a text.\\x1b[8m (hidden)');
    expect(out).toContain('returns:       The text.\\u{202e}desrever');
    expect(out).toContain('prerequisites: None.\\x9b2J');
    expect(out).toContain('"description":"in\\u001b]52;c;cm0gLXJmIH4K\\u0007"'); // JSON's own escapes
    expect(out).toContain('// \\u{202e} } if (isAdmin) { \\u{2066} trojan comment');
    expect(out).toContain('✓ loud \\x1b[2K');
    expect(out).toContain('input     {"text":"a\\u001b[31mred"}'); // JSON already escapes C0 inside values
    expect(out).toContain('✗ boom\\r');
    expect(out).toMatch(/error {5}ToolError: boom \\x1b\]52;c;aGk=\\x07 clipboard/);
    expect(out).toMatch(/log line \\x1b\[2J cleared \\x07/);
  });

  it('with colour forced on, the only escape sequences are the colours toolsmith adds itself', () => {
    for (const args of [['show', ID], ['diff', ID], ['list']]) {
      const r = toolsmith(ws, args, { env: { NO_COLOR: '', FORCE_COLOR: '1' } });
      expect(r.code).toBe(0);
      expect(r.stdout, args[0]).toMatch(/\x1b\[\d+m/); // colour is really on
      const withoutOurColours = { ...r, stdout: r.stdout.replace(/\x1b\[\d+(?:;\d+)*m/g, '') };
      expectClean(withoutOurColours);
    }
  });

  it('show --json stays exact (JSON escapes control characters itself)', () => {
    const json = toolsmithJson(ws, ['show', ID]);
    expect(json.json.candidate.spec.when_to_use).toBe(SPEC.when_to_use);
    expect(json.json.candidate.code.index_ts).toBe(IMPL);
    expect(json.stdout).not.toMatch(/[\x1b\r\x07]/);
  });

  it('diff of the first version (against nothing), and of v2 whose added line ends in CR + cursor movement', async () => {
    const first = toolsmith(ws, ['diff', ID]);
    expectClean(first);
    expect(first.stdout).toMatch(/^! bidirectional control characters \(Trojan Source\) in: index\.ts/);

    const v = createWorkspace();
    try {
      await promoteTool(v, echoSpec('echo_two'), `export default async function e(input: { n: number }): Promise<{ n: number }> {\n  return { n: input.n };\n}\n`, [{ name: 'one', input: { n: 1 }, expected: { n: 1 } }]);
      await prepare(v, ['generate', '--spec', writeSpec(v, echoSpec('echo_two'))]);
      const hidden = `  const x = 1; // added${CSI_HIDE}\n`;
      writeFileSync(path.join(v, 'staged/echo_two/index.ts'), `export default async function e(input: { n: number }): Promise<{ n: number }> {\n${hidden}  return { n: input.n };\n}\n`);
      const diff = toolsmith(v, ['diff', 'echo_two']);
      expectClean(diff);
      expect(diff.stdout).toContain('+  const x = 1; // added\\r\\x1b[2K\\x1b[1A');
      expect(toolsmithJson(v, ['diff', 'echo_two']).json.files.find((f: { file: string }) => f.file === 'index.ts').patch).toContain(hidden.trimEnd());
    } finally {
      rmSync(v, { recursive: true, force: true });
    }
  });

  it('list and validate', () => {
    const list = toolsmith(ws, ['list']);
    expectClean(list);
    expect(list.stdout).toContain('Shouts a text.\\x1b[8m (hidden)');
    const validate = toolsmith(ws, ['validate', ID]);
    expect(validate.code).toBe(1);
    expectClean(validate);
    expect(validate.stdout).toMatch(/test "boom\\r" failed: ToolError: boom \\x1b\]52;c;aGk=\\x07 clipboard/);
  });

  it('review notes and names, errors quoting names and ids, and an actor with escapes (refused, exit 2)', async () => {
    const notes = `fine${ESC}[1A${ESC}[2K\rline two\n${OSC52}`;
    implement(ws, ID, IMPL, [TESTS[0]!]);
    await prepare(ws, ['validate', ID]);
    await prepare(ws, ['stage', ID]);
    const approve = toolsmith(ws, ['approve', ID, '--reviewer', 'alice', '--notes', notes]);
    expect(approve.code).toBe(0);
    expectClean(approve);
    const show = toolsmith(ws, ['show', ID]);
    expectClean(show);
    expect(show.stdout).toContain('      fine\\x1b[1A\\x1b[2K\\rline two\n      \\x1b]52;c;cm0gLXJmIH4K\\x07');
    expect(JSON.parse(readFileSync(path.join(ws, 'registry/audit.jsonl'), 'utf8').trim().split('\n').at(-1)!).notes).toBe(notes);

    for (const args of [['show', `x${OSC52}`], ['approve', ID, '--reviewer', `al${ESC}[2Kice`], ['run', `t${ESC}[8m`, '--input', '{}'], ['validate', ID, '--junit', `${path.join(ws, 'registry', 'audit.jsonl')}/${ESC}]0;title\x07/x.xml`]]) {
      const r = toolsmith(ws, args);
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).not.toBe(0);
      expect(r.code, `${args.join(" ")}: ${r.stderr}`).not.toBe(70);
      expectClean(r);
    }
    const actor = toolsmith(ws, ['stage', ID], { env: { TOOLSMITH_ACTOR: `mallory${ESC}[2K${CSI_HIDE}` } });
    expect(actor.code).toBe(2);
    expectClean(actor);
    expect(actor.stderr).toMatch(/^toolsmith: TOOLSMITH_ACTOR "mallory\\u\{1b\}\[2K\\u\{d\}\\u\{1b\}\[2K\\u\{1b\}\[1A" is not a usable identity/);
  });
});
