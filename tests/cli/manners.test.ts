/**
 * The CLI's manners through the real binary (issue 9, items 17, 20, 21, 22):
 * - --json prints exactly one JSON document, whatever else is on the line;
 * - every error has one shape, { error: { type, message, hint } } with --json, two lines
 *   (`toolsmith: ...`, `hint: ...`) without; it echoes the user's own value;
 * - a run that times out points to sandbox.timeout_ms;
 * - the workspace in use is named on stderr when the user did not name it and it is not
 *   the current folder; --quiet silences such notes.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { createWorkspace, promoteTool, tempDir, toolsmith, WORD_COUNT_SPEC, WORD_COUNT_TESTS, writeSpec } from '../helpers.js';
import { patchConfig, STACK_LINE } from '../e2e/e2e-helpers.js';

/** Parses stdout as exactly one JSON document. */
function oneDocument(stdout: string): any {
  expect(stdout.trim(), 'stdout is empty').not.toBe('');
  return JSON.parse(stdout) as unknown;
}

describe('--json prints exactly one JSON document', () => {
  let ws: string;
  beforeAll(() => {
    ws = createWorkspace();
  });

  it.each([
    [['--json', '--version'], 0, (d: any) => expect(d.version).toMatch(/^\d+\.\d+\.\d+/)],
    [['--version', '--json'], 0, (d: any) => expect(d.version).toMatch(/^\d+\.\d+\.\d+/)],
    [['--json'], 2, (d: any) => expect(d.error.message).toMatch(/missing command: one of init, generate/)],
    [['--json', 'metrics'], 2, (d: any) => expect(d.error.message).toMatch(/metrics needs a subcommand: one of pass-at-k, codebleu/)],
    [['--json', 'scan', '--format', 'text'], 2, (d: any) => expect(d.error.message).toMatch(/--json cannot be combined with --format text/)],
    [['--json', 'scan', '--format', 'sarif'], 0, (d: any) => expect(d.version).toBe('2.1.0')],
    [['--json', 'scan', '--output', 'out/scan.json'], 0, (d: any) => expect(d).toMatchObject({ ok: true, output: 'out/scan.json', format: 'json' })],
    [['--json', 'validate', '--help'], 0, (d: any) => expect(d.help).toMatch(/Examples:/)],
    [['--json', 'completion', 'fish'], 0, (d: any) => expect(d.script).toMatch(/complete -c toolsmith/)],
  ] as const)('toolsmith %j', (args, code, check) => {
    const r = toolsmith(ws, [...args]);
    expect(r.code, r.stderr).toBe(code);
    check(oneDocument(r.stdout));
  });

  it('plain `toolsmith` shows its help (exit 0); `toolsmith metrics` is a usage error naming the subcommands', () => {
    const bare = toolsmith(ws, []);
    expect(bare.code).toBe(0);
    expect(bare.stdout).toMatch(/^Usage: toolsmith/);
    const metrics = toolsmith(ws, ['metrics']);
    expect(metrics.code).toBe(2);
    expect(metrics.stderr).toBe('toolsmith: metrics needs a subcommand: one of pass-at-k, codebleu\nhint: run `toolsmith metrics --help` for usage and examples\n');
  });
});

describe('one error shape, always with a hint, echoing the value given', () => {
  let ws: string;
  let outside: string;
  beforeAll(async () => {
    ws = createWorkspace();
    await promoteTool(ws, WORD_COUNT_SPEC, `export default async function wordCount(input: { text: string }): Promise<{ words: number }> {
  if (input.text === 'sleep') await new Promise((resolve) => setTimeout(resolve, 60_000));
  return { words: input.text.split(/\\s+/).filter(Boolean).length };
}
`, WORD_COUNT_TESTS);
    outside = tempDir('toolsmith-outside-');
  });

  const CASES: Array<[string, string[], number, RegExp]> = [
    ['--samples abc', ['generate', '--spec', 'spec.json', '--samples', 'abc'], 2, /'abc' is invalid/],
    ['--samples 0', ['generate', '--spec', 'spec.json', '--samples', '0'], 2, /'0' is invalid.*from 1 to 100/],
    ['an unknown option', ['list', '--frobnicate'], 2, /unknown option '--frobnicate'/],
    ['--max-warnings x', ['scan', '--max-warnings', 'x'], 2, /"x"/],
    ['--n 2.5', ['metrics', 'pass-at-k', '--n', '2.5', '--c', '1'], 2, /"2\.5"/],
    ['an unknown candidate', ['validate', 'nope'], 2, /no candidate "nope"/],
    ['an unknown tool', ['run', 'nope', '--input', '{}'], 2, /no promoted tool "nope"/],
    ['an input violating the schema', ['run', 'word_count', '--input', '{"text": 5}'], 1, /text/],
    ['both ids and --all', ['validate', 'word_count', '--all'], 2, /ids or --all, not both/],
  ];

  it.each(CASES)('%s: two lines on stderr (reason, hint), and with --json { error: { type, message, hint } }', (_label, args, code, reason) => {
    const human = toolsmith(ws, args);
    expect(human.code, human.stderr).toBe(code);
    const lines = human.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^toolsmith: /);
    expect(lines[0]).toMatch(reason);
    expect(lines[1]).toMatch(/^hint: \S/);
    expect(human.stderr).not.toMatch(STACK_LINE);
    const json = toolsmith(ws, [...args, '--json']);
    expect(json.code).toBe(code);
    const doc = oneDocument(json.stdout);
    expect(Object.keys(doc)).toEqual(['error']);
    expect(doc.error).toMatchObject({ type: expect.any(String), message: expect.stringMatching(reason), hint: expect.stringMatching(/\S/) });
    expect(doc.error.details?.hint).toBeUndefined();
  });

  it('outside a workspace, list and verify refuse (exit 2) with `toolsmith init` as the hint', () => {
    for (const command of ['list', 'verify']) {
      const r = toolsmith(outside, [command]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/^toolsmith: no toolsmith workspace in .* or any folder above it\nhint: run `toolsmith init`/);
    }
  });

  it('a run that times out says so and points to sandbox.timeout_ms', () => {
    patchConfig(ws, { sandbox: { timeout_ms: 1000 } });
    const r = toolsmith(ws, ['run', 'word_count', '--input', '{"text": "sleep"}', '--json']);
    expect(r.code).toBe(1);
    const doc = oneDocument(r.stdout);
    expect(doc.error.type).toBe('TimeoutError');
    expect(doc.error.hint).toMatch(/sandbox\.timeout_ms/);
    const human = toolsmith(ws, ['run', 'word_count', '--input', '{"text": "sleep"}']);
    expect(human.stderr).toMatch(/^toolsmith: TimeoutError: .*\nhint: .*sandbox\.timeout_ms/);
    patchConfig(ws, { sandbox: { timeout_ms: 10000 } });
  }, 60_000);
});

describe('which workspace, and --quiet', () => {
  let ws: string;
  beforeAll(() => {
    ws = createWorkspace();
    mkdirSync(path.join(ws, 'sub', 'dir'), { recursive: true });
  });

  it('is named on stderr when found above the current folder or from TOOLSMITH_WORKSPACE; not with --workspace, --json or --quiet, nor in the workspace itself', () => {
    const sub = path.join(ws, 'sub', 'dir');
    expect(toolsmith(sub, ['list']).stderr).toBe(`workspace: ${ws} (found above the current folder)\n`);
    const other = tempDir('toolsmith-elsewhere-');
    expect(toolsmith(other, ['list'], { env: { TOOLSMITH_WORKSPACE: ws } }).stderr).toBe(`workspace: ${ws} (TOOLSMITH_WORKSPACE)\n`);
    expect(toolsmith(other, ['list', '--workspace', ws]).stderr).toBe('');
    expect(toolsmith(sub, ['list', '--quiet']).stderr).toBe('');
    expect(toolsmith(sub, ['-q', 'list']).stderr).toBe('');
    expect(toolsmith(ws, ['list']).stderr).toBe('');
    const json = toolsmith(sub, ['list', '--json']);
    expect(json.stderr).toBe('');
    expect(oneDocument(json.stdout).workspace).toBe(ws);
  });

  it('--quiet drops the scan summary line that --output prints', () => {
    writeSpec(ws, WORD_COUNT_SPEC);
    const loud = toolsmith(ws, ['scan', '--output', 'scan.txt']);
    expect(loud.stderr).toMatch(/wrote the text report to scan\.txt/);
    const quiet = toolsmith(ws, ['scan', '--output', 'scan.txt', '--quiet']);
    expect(quiet.code).toBe(0);
    expect(quiet.stderr).toBe('');
    expect(readFileSync(path.join(ws, 'scan.txt'), 'utf8')).toMatch(/scanned/);
  });
});
