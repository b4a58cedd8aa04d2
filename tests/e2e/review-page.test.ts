/**
 * Issue 8, items 6 and 7 through the real binary: `show` is enough to decide (the code, the
 * tests with their outputs, the scanner's findings, the permission change against the
 * promoted version, the reviews, a warning for files rejected before); `diff` of a first
 * version diffs against nothing; re-validating identical files keeps the approval, and
 * changed files void it and say so.
 */
import { rmSync, writeFileSync, appendFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createWorkspace, inProcess, prepare, promoteTool, toolsmith, writeSpec } from '../helpers.js';
import { ECHO_IMPL, ECHO_TESTS, echoSpec, implement, ok, patchConfig, toolsmithJson } from './e2e-helpers.js';

const ID = 'echo_tool';
const created: string[] = [];
afterAll(() => {
  for (const dir of created) rmSync(dir, { recursive: true, force: true });
});

function workspace(): string {
  const ws = createWorkspace();
  created.push(ws);
  return ws;
}

const TESTS = [
  { name: 'one', input: { n: 1 }, expected: { n: 1 } },
  { name: 'forty-two', input: { n: 42 }, expected: { n: 42 } },
  { name: 'not a number', input: { n: 'x' }, expect_error: 'ValidationError' },
];

describe('show on a staged candidate', () => {
  it('prints the code, every test with input, expected and actual output, scanner findings, the permission change and the reviews', async () => {
    const ws = workspace();
    await promoteTool(ws, echoSpec(ID), ECHO_IMPL, ECHO_TESTS);
    // Version 2 asks for the network and file writes.
    await prepare(ws, ['generate', '--spec', writeSpec(ws, { ...echoSpec(ID), permissions: ['net', 'fs:write'] }, 'v2.json')]);
    implement(ws, ID, ECHO_IMPL.replace('return { n: input.n };', 'const doubled = input.n;\n  return { n: doubled };'), TESTS);
    writeFileSync(path.join(ws, 'staged', ID, 'README.md'), 'notes for reviewers\n');
    await prepare(ws, ['validate', ID]);
    await prepare(ws, ['stage', ID]);
    await prepare(ws, ['approve', ID, '--reviewer', 'alice', '--notes', 'checked the network use']);

    const show = toolsmith(ws, ['show', ID]);
    expect(show.code).toBe(0);
    const out = show.stdout;
    expect(out).toMatch(/permissions: {3}net, fs:write \(\+net \+fs:write against the promoted version\)/);
    expect(out).toMatch(/Code: index\.ts\n {2}1 \| export default async function echo/);
    expect(out).toMatch(/ \| {3}const doubled = input\.n;/);
    expect(out).toMatch(/README\.md +20 bytes/);
    expect(out).toMatch(/tests\.json +\d+ bytes/);
    expect(out).toMatch(/✓ forty-two\n {6}input {5}\{"n":42\}\n {6}expected {2}\{"n":42\}\n {6}actual {4}\{"n":42\}/);
    expect(out).toMatch(/✓ not a number\n {6}input {5}\{"n":"x"\}\n {6}expected {2}error ValidationError/);
    expect(out).toMatch(/schema pass {2}typecheck pass {2}tests pass {2}sandbox pass {2}scan pass/);
    expect(out).toMatch(/Scanner findings \(0\)\n {2}none: the built-in tool rules found nothing/);
    expect(out).toMatch(/APPROVED by alice {2}\[unsigned\] counts\n {6}checked the network use/);
    expect(out).toMatch(/1 valid approval of these files, 1 required/);

    const json = toolsmithJson(ws, ['show', ID]).json.candidate;
    expect(json.permissions).toEqual({ requested: ['net', 'fs:write'], promoted: [], added: ['net', 'fs:write'], removed: [] });
    expect(json.tests.map((t: { name: string; actual: unknown; passed: boolean }) => [t.name, t.actual, t.passed])).toEqual([['one', { n: 1 }, true], ['forty-two', { n: 42 }, true], ['not a number', null, true]]);
    expect(json.code.files.map((f: { path: string }) => f.path)).toEqual(['README.md', 'candidate.json', 'index.ts', 'spec.json', 'tests.json']);
  });

  it('a candidate the scanner fails shows its findings (file:line, rule), and stage names the scan gate', async () => {
    const ws = workspace();
    await prepare(ws, ['generate', '--spec', writeSpec(ws, echoSpec(ID))]);
    implement(ws, ID, `let calls = 0;\nexport default async function echo(input: { n: number }): Promise<{ n: number }> {\n  calls++;\n  return { n: eval('input.n') as number };\n}\n`, TESTS);
    const validate = toolsmith(ws, ['validate', ID]);
    expect(validate.code).toBe(1);
    expect(validate.stdout).toMatch(/scan FAIL/);
    expect(validate.stdout).toMatch(/index\.ts:4:\d+ tool-no-eval: /);
    const show = toolsmith(ws, ['show', ID]).stdout;
    expect(show).toMatch(/Scanner findings \(\d\)/);
    expect(show).toMatch(/index\.ts:3:\d+ {2}error {2}tool-no-module-state/);
    expect(show).toMatch(/index\.ts:4:\d+ {2}error {2}tool-no-eval/);
    expect(show).toMatch(/return \{ n: eval\('input\.n'\) as number \};/);
    const stage = toolsmith(ws, ['stage', ID]);
    expect(stage.code).toBe(1);
    expect(stage.stderr).toMatch(/cannot stage: the last validation failed \(scan_ok\)/);
    // A suppression comment written by the tool's author does not switch the gate off.
    implement(ws, ID, `export default async function echo(input: { n: number }): Promise<{ n: number }> {\n  // toolsmith-disable-next-line tool-no-eval -- trust me\n  return { n: eval('input.n') as number };\n}\n`, TESTS);
    expect((await inProcess.validate(ws, [ID])).candidates[0]!.report).toMatchObject({ scan_ok: false, is_valid: false }); // the core's verdict (what --json prints)
  });

  it('warns when these exact files were rejected before', async () => {
    const ws = workspace();
    await prepare(ws, ['generate', '--spec', writeSpec(ws, echoSpec(ID))]);
    implement(ws, ID, ECHO_IMPL, TESTS);
    await prepare(ws, ['validate', ID]);
    await prepare(ws, ['stage', ID]);
    await prepare(ws, ['reject', ID, '--reviewer', 'bob', '--notes', 'no tests for negative numbers']);
    await prepare(ws, ['validate', ID]);
    await prepare(ws, ['stage', ID]);
    const show = toolsmith(ws, ['show', ID]).stdout;
    expect(show).toMatch(/! these exact files were rejected before: audit line 4, .* by bob: no tests for negative numbers/);
    expect(toolsmithJson(ws, ['show', ID]).json.candidate.rejected_before).toEqual([expect.objectContaining({ line: 4, reviewer: 'bob' })]);
    // approve says so too (on stderr: stdout carries only the result).
    const approve = toolsmith(ws, ['approve', ID, '--reviewer', 'alice']);
    expect(approve.code).toBe(0);
    expect(approve.stderr).toMatch(/^warning: these exact files were rejected before \(registry\/audit\.jsonl:4, by bob\): no tests for negative numbers$/m);
  });
});

describe('diff', () => {
  it('of a first version diffs against nothing: every file is added', async () => {
    const ws = workspace();
    await prepare(ws, ['generate', '--spec', writeSpec(ws, echoSpec(ID))]);
    const diff = toolsmithJson(ws, ['diff', ID]);
    expect(diff.code).toBe(0);
    expect(diff.json).toMatchObject({ tool_id: ID, from: null, to: '1.0.0', changed: true });
    expect(diff.json.files.map((f: { file: string; change: string }) => `${f.change} ${f.file}`)).toEqual(['added index.ts', 'added spec.json', 'added tests.json']);
    const human = toolsmith(ws, ['diff', ID]);
    expect(human.stdout).toMatch(/^echo_tool 1\.0\.0 is a first version: every file is new\n/);
    expect(human.stdout).toMatch(/--- \/dev\/null\t\(none\)\n\+\+\+ staged\/index\.ts\t1\.0\.0/);
  });
});

describe('re-validation (item 7)', () => {
  /** A STAGED candidate under approvals_required 2. */
  async function staged(): Promise<string> {
    const ws = workspace();
    patchConfig(ws, { policy: { approvals_required: 2 } });
    await prepare(ws, ['generate', '--spec', writeSpec(ws, echoSpec(ID))]);
    implement(ws, ID, ECHO_IMPL, TESTS);
    await prepare(ws, ['validate', ID]);
    await prepare(ws, ['stage', ID]);
    return ws;
  }

  it('identical files keep their approval; changed files void it and say so', async () => {
    const ws = await staged();
    await prepare(ws, ['approve', ID, '--reviewer', 'alice']);
    // Identical files: the approval stays and alice may not approve twice.
    const same = toolsmith(ws, ['validate', ID]);
    expect(same.stdout).toMatch(/STAGED -> STAGED: 1 approval of these files kept/);
    expect(toolsmithJson(ws, ['show', ID]).json.candidate.approvals_in_force).toEqual(['alice']);
    expect(toolsmith(ws, ['approve', ID, '--reviewer', 'alice']).stderr).toMatch(/alice has already approved it/);
    // Changed files: back to DRAFT, the approval voided.
    appendFileSync(path.join(ws, 'staged', ID, 'index.ts'), '// a change\n');
    const changed = toolsmith(ws, ['validate', ID]);
    expect(changed.code).toBe(0);
    expect(changed.stdout).toMatch(/STAGED -> DRAFT: files changed, 1 approval voided/);
    expect(toolsmithJson(ws, ['show', ID]).json.candidate).toMatchObject({ status: 'DRAFT', approvals_in_force: [] });
  });

  it('an APPROVED candidate re-validated with identical files stays APPROVED and promotes', async () => {
    const ws = await staged();
    await prepare(ws, ['approve', ID, '--reviewer', 'alice']);
    await prepare(ws, ['approve', ID, '--reviewer', 'bob']);
    const kept = await inProcess.validate(ws, [ID]); // the core's result, as `validate --json` prints it
    expect(kept.candidates[0]).toMatchObject({ from: 'APPROVED', status: 'APPROVED', files_changed: false, approvals_voided: 0, approvals_kept: 2 });
    expect(toolsmithJson(ws, ['promote', ID]).json).toMatchObject({ approved_by: ['alice', 'bob'] });
  });
});
