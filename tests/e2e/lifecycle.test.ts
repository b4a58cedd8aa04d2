/**
 * The whole lifecycle through the real binary: generate -> validate -> stage -> approve ->
 * promote -> run, plus the skeleton's validation, JUnit output, a second generate and diff.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createWorkspace, prepare, snapshot, toolsmith, writeSpec, promoteTool, WORD_COUNT_IMPL, WORD_COUNT_SPEC, WORD_COUNT_TESTS } from '../helpers.js';
import { implement, ok, toolsmithJson, STACK_LINE } from './e2e-helpers.js';

describe('lifecycle of word_count', () => {
  it('goes generate -> validate -> stage -> approve -> promote -> run, each step with one JSON document', () => {
    const ws = createWorkspace();
    const specFile = writeSpec(ws, WORD_COUNT_SPEC);

    const gen = toolsmithJson(ws, ['generate', '--spec', specFile]);
    expect(gen.code).toBe(0);
    expect(gen.json).toMatchObject({ tool_id: 'word_count', version: '1.0.0', status: 'DRAFT', path: 'staged/word_count' });
    expect(gen.json.created_by).toMatch(/^template:/);
    expect(gen.json.files).toEqual(expect.arrayContaining(['candidate.json', 'spec.json', 'index.ts', 'tests.json']));
    expect(readJsonAt(ws, 'staged/word_count/candidate.json').status).toBe('DRAFT');

    // The user implements the tool and writes its tests.
    implement(ws, 'word_count', WORD_COUNT_IMPL, WORD_COUNT_TESTS);

    const val = toolsmithJson(ws, ['validate', 'word_count']);
    expect(val.code, JSON.stringify(val.json?.candidates?.[0]?.report?.errors)).toBe(0);
    expect(val.json.all_valid).toBe(true);
    expect(val.json.candidates).toHaveLength(1);
    const report = val.json.candidates[0].report;
    expect(report).toMatchObject({ schema_ok: true, typecheck_ok: true, tests_ok: true, sandbox_ok: true, is_valid: true });
    expect(report.code_metrics.functional_correctness).toMatchObject({ test_cases_passed: 3, test_cases_total: 3, test_case_pass_rate: 1 });
    expect(report.code_metrics.quality_tier).toBe('EXCELLENT');
    // The tool's console.log is captured as logs of the report, not mixed into results.
    expect(report.logs.join('\n')).toContain('counting words');

    const stage = toolsmithJson(ws, ['stage', 'word_count']);
    expect(stage.code).toBe(0);
    expect(stage.json).toMatchObject({ tool_id: 'word_count', action: 'stage', from: 'DRAFT', to: 'STAGED' });

    const approve = toolsmithJson(ws, ['approve', 'word_count', '--reviewer', 'alice', '--notes', 'looks right']);
    expect(approve.code).toBe(0);
    expect(approve.json).toMatchObject({ tool_id: 'word_count', action: 'approve', from: 'STAGED', to: 'APPROVED', reviewer: 'alice' });

    const promote = toolsmithJson(ws, ['promote', 'word_count']);
    expect(promote.code).toBe(0);
    expect(promote.json).toMatchObject({ tool_id: 'word_count', action: 'promote', version: '1.0.0', already_promoted: false });
    expect(promote.json.entry).toMatchObject({ version: '1.0.0', approved_by: ['alice'], created_by: gen.json.created_by });
    expect(existsSync(path.join(ws, 'registry/tools/word_count/1.0.0/index.ts'))).toBe(true);
    expect(existsSync(path.join(ws, 'staged/word_count'))).toBe(false);
    const metadata = readJsonAt(ws, 'registry/metadata.json');
    expect(Object.keys(metadata.tools)).toEqual(['word_count']);
    expect(metadata.tools.word_count).toMatchObject({ version: '1.0.0', code_hash: promote.json.entry.code_hash, spec_hash: promote.json.entry.spec_hash });

    const run = toolsmithJson(ws, ['run', 'word_count', '--input', '{"text": "one two three"}']);
    expect(run.code).toBe(0);
    expect(run.json.result).toEqual({ words: 3 });
    expect(run.json.metadata).toMatchObject({ tool: 'word_count', version: '1.0.0', code_hash: promote.json.entry.code_hash });
    expect(typeof run.json.execution_time_ms).toBe('number');
    // console.log inside the tool never reaches stdout (which holds only the RunArtifacts).
    expect(run.stdout).not.toContain('counting words');

    // Human run output is the RunArtifacts JSON too, still uncorrupted by the tool's log line.
    const human = toolsmith(ws, ['run', 'word_count', '--input', '{"text": "a b c"}']);
    expect(human.code).toBe(0);
    expect(human.stdout).not.toContain('counting words');
    expect((JSON.parse(human.stdout) as { result: unknown }).result).toEqual({ words: 3 });

    // With --verbose the tool's log is shown, on stderr, still apart from the result.
    const verbose = toolsmith(ws, ['run', 'word_count', '--input', '{"text": "a b c"}', '--json', '--verbose']);
    expect(verbose.code).toBe(0);
    expect((JSON.parse(verbose.stdout) as { result: unknown }).result).toEqual({ words: 3 });
    expect(verbose.stderr).toContain('counting words');

    const show = toolsmithJson(ws, ['show', 'word_count']);
    expect(show.code).toBe(0);
    expect(show.json.candidate).toBeNull();
    expect(show.json.promoted.entry.version).toBe('1.0.0');
    expect(show.json.promoted.metrics).toMatchObject({ success_count: 3, error_count: 0, state: 'SUCCESS' });
    const actions: string[] = show.json.history.map((h: { action: string }) => h.action);
    expect(actions).toEqual(['generate', 'validate', 'stage', 'approve', 'promote']);
    const byAction = Object.fromEntries(show.json.history.map((h: { action: string; actor: string }) => [h.action, h.actor]));
    expect(byAction).toMatchObject({ generate: 'author', approve: 'alice' });

    const list = toolsmithJson(ws, ['list']);
    expect(list.code).toBe(0);
    expect(list.json.candidates).toEqual([]);
    expect(list.json.tools).toHaveLength(1);
    expect(list.json.tools[0]).toMatchObject({ tool_id: 'word_count', version: '1.0.0', description: WORD_COUNT_SPEC.description, runs: 3 });

    const verify = toolsmithJson(ws, ['verify']);
    expect(verify.code).toBe(0);
    expect(verify.json).toMatchObject({ ok: true, tools_checked: 1, problems: [] });
  });

  it('the generated skeleton is invalid (tests gate fails) while schema and typecheck pass; --junit writes the failure', async () => {
    const ws = createWorkspace();
    await prepare(ws, ['generate', '--spec', writeSpec(ws, WORD_COUNT_SPEC)]);

    const human = toolsmith(ws, ['validate', 'word_count', '--junit', 'out.xml']);
    expect(human.code).toBe(1);
    expect(human.stdout).toMatch(/word_count/);
    expect(human.stderr).not.toMatch(STACK_LINE);

    const xml = readFileSync(path.join(ws, 'out.xml'), 'utf8');
    expect(xml).toMatch(/^<\?xml /);
    expect(xml).toMatch(/<testsuite[^>]*name="word_count"/);
    expect(xml).toMatch(/<failure/);
    expect(xml).toMatch(/failures="[1-9]/);

    const val = toolsmithJson(ws, ['validate', 'word_count']);
    expect(val.code).toBe(1);
    expect(val.json.all_valid).toBe(false);
    const report = val.json.candidates[0].report;
    expect(report).toMatchObject({ schema_ok: true, typecheck_ok: true, tests_ok: false, is_valid: false });
    expect(val.json.candidates[0].status).toBe('DRAFT');
    const failed = report.code_metrics.functional_correctness.test_results[0];
    expect(failed).toMatchObject({ name: 'example', passed: false });
    expect(failed.error.error).toMatchObject({ type: 'ToolError', message: 'not implemented: word_count' });
    // SPEC 3: an envelope's _internal (the traceback) is shown only with --verbose.
    expect(val.stdout).not.toContain('_internal');
    expect(val.stdout).not.toMatch(STACK_LINE);
    const shown = toolsmithJson(ws, ['show', 'word_count']);
    expect(shown.stdout).toContain('not implemented: word_count');
    expect(shown.stdout).not.toContain('_internal');
    expect(shown.stdout).not.toMatch(STACK_LINE);
    const verbose = toolsmithJson(ws, ['show', 'word_count', '--verbose']);
    expect(verbose.json.candidate.validation_report.code_metrics.functional_correctness.test_results[0].error._internal.traceback).toMatch(/not implemented/);
  });

  it('a second generate of the same name exits 1 without --force and changes nothing', async () => {
    const ws = createWorkspace();
    const specFile = writeSpec(ws, WORD_COUNT_SPEC);
    await prepare(ws, ['generate', '--spec', specFile]);
    implement(ws, 'word_count', WORD_COUNT_IMPL, WORD_COUNT_TESTS);

    const before = snapshot(ws);
    const again = toolsmith(ws, ['generate', '--spec', specFile]);
    expect(again.code).toBe(1);
    expect(again.stderr.split('\n')[0]).toMatch(/word_count.*already exists/);
    expect(again.stderr).toMatch(/--force/);
    expect(again.stderr).not.toMatch(STACK_LINE);
    expect(snapshot(ws)).toEqual(before);

    const againJson = toolsmithJson(ws, ['generate', '--spec', specFile]);
    expect(againJson.code).toBe(1);
    expect(Object.keys(againJson.json)).toEqual(['error']);
    expect(snapshot(ws)).toEqual(before);

    // --force replaces it with a fresh skeleton.
    const forced = toolsmithJson(ws, ['generate', '--spec', specFile, '--force']);
    expect(forced.code).toBe(0);
    expect(readFileSync(path.join(ws, 'staged/word_count/index.ts'), 'utf8')).not.toBe(WORD_COUNT_IMPL);
  });

  it('diff after generating v2 of a promoted tool shows the changed index.ts', async () => {
    const ws = createWorkspace();
    await promoteTool(ws, WORD_COUNT_SPEC, WORD_COUNT_IMPL, WORD_COUNT_TESTS);

    const gen = toolsmithJson(ws, ['generate', '--spec', writeSpec(ws, WORD_COUNT_SPEC)]);
    expect(gen.code).toBe(0);
    expect(gen.json.version).toBe('1.0.1');
    const v2 = WORD_COUNT_IMPL.replace("console.log('counting words');", "console.log('counting words, v2');");
    implement(ws, 'word_count', v2, WORD_COUNT_TESTS);

    const diff = toolsmithJson(ws, ['diff', 'word_count']);
    expect(diff.code).toBe(0);
    expect(diff.json).toMatchObject({ tool_id: 'word_count', from: '1.0.0', to: '1.0.1', changed: true });
    expect(diff.json.files.map((f: { file: string }) => f.file)).toEqual(['index.ts']);
    const patch: string = diff.json.files[0].patch;
    expect(diff.json.files[0].change).toBe('modified');
    expect(patch).toContain("-  console.log('counting words');");
    expect(patch).toContain("+  console.log('counting words, v2');");

    const human = toolsmith(ws, ['diff', 'word_count']);
    expect(human.code).toBe(0);
    expect(human.stdout).toContain('index.ts');
    expect(human.stdout).toContain("+  console.log('counting words, v2');");
  });
});

function readJsonAt(ws: string, rel: string): any {
  return JSON.parse(readFileSync(path.join(ws, rel), 'utf8')) as unknown;
}
