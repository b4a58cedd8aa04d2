/**
 * Issue 8, Must show 1: each forgery of the issue fails through the real binary. The audit
 * chain decides; candidate.json is a cache: a hand-edited status, approvals, report,
 * tool_id or version is refused with exit 1 (IntegrityError naming the field) and nothing
 * is written; an edited, inserted or reordered audit line is refused and `verify` names it;
 * a metadata.json rewritten after a build/ change is refused by `run` and named by `verify`.
 * No exit 70 anywhere. One prepared workspace; each case works on its own copy.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { core, createWorkspace, inProcess, prepare, promoteTool, snapshot, toolsmith, writeSpec, WORD_COUNT_IMPL, WORD_COUNT_SPEC, WORD_COUNT_TESTS } from '../helpers.js';
import { ECHO_IMPL, ECHO_TESTS, echoSpec, expectOneLineError, implement, ok, readJsonFile, toolsmithJson } from './e2e-helpers.js';

const ID = 'word_count';
let base: string;
const copies: string[] = [];

/** A fresh copy of the prepared workspace: `trusted` promoted, `word_count` STAGED, `evil` validated and invalid. */
function workspace(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'toolsmith-forgery-'));
  cpSync(base, dir, { recursive: true });
  copies.push(dir);
  return dir;
}

const EVIL_SPEC = { ...echoSpec('evil'), permissions: ['fs:read', 'fs:write', 'net', 'env'] };
// Fails its test (returns n + 1) and would run eval: POOR, scan and tests gates failed.
const EVIL_IMPL = `export default async function evil(input: { n: number }): Promise<{ n: number }> {
  return { n: input.n + (eval('1') as number) };
}
`;

beforeAll(async () => {
  base = createWorkspace();
  await promoteTool(base, echoSpec('trusted'), ECHO_IMPL, ECHO_TESTS);
  await prepare(base, ['generate', '--spec', writeSpec(base, WORD_COUNT_SPEC)]);
  implement(base, ID, WORD_COUNT_IMPL, WORD_COUNT_TESTS);
  await prepare(base, ['generate', '--spec', writeSpec(base, EVIL_SPEC, 'evil.json')]);
  implement(base, 'evil', EVIL_IMPL, ECHO_TESTS);
  expect((await inProcess.validate(base, [ID, 'evil'])).all_valid).toBe(false); // evil is invalid (the binary's exit 1)
  await prepare(base, ['stage', ID]);
}, 120_000);

afterAll(() => {
  for (const dir of [base, ...copies]) rmSync(dir, { recursive: true, force: true });
});

function candidateFile(ws: string, id: string): string {
  return path.join(ws, 'staged', id, 'candidate.json');
}

function editCandidate(ws: string, id: string, edit: (c: any) => void): void {
  const c = readJsonFile(candidateFile(ws, id));
  edit(c);
  writeFileSync(candidateFile(ws, id), `${JSON.stringify(c, null, 2)}\n`);
}

function auditLines(ws: string): string[] {
  return readFileSync(path.join(ws, 'registry/audit.jsonl'), 'utf8').split('\n').filter(Boolean);
}

function writeAudit(ws: string, lines: string[]): void {
  writeFileSync(path.join(ws, 'registry/audit.jsonl'), lines.map((l) => `${l}\n`).join(''));
}

const sha256 = (s: string | Buffer) => createHash('sha256').update(s).digest('hex');

/** Refused with exit 1, one line naming `reason`, no stack, not one byte changed (human and --json). */
function expectForgeryRefused(ws: string, args: string[], reason: RegExp): void {
  const before = snapshot(ws);
  const human = toolsmith(ws, args);
  expectOneLineError(human, 1, reason);
  const json = toolsmithJson(ws, args);
  expect(json.code).toBe(1);
  expect(json.json.error.type).toBe('IntegrityError');
  expect(json.json.error.message).toMatch(reason);
  expect(snapshot(ws)).toEqual(before);
}

/** The core refuses the same way (an IntegrityError: exit 1) and changes nothing: the in-process twin of expectForgeryRefused. */
async function expectCoreRefused(ws: string, call: () => Promise<unknown>, reason: RegExp): Promise<void> {
  const before = snapshot(ws);
  const error = await call().then(() => null, (e: unknown) => e);
  expect(error).toBeInstanceOf(Error);
  expect((error as Error).name).toBe('IntegrityError');
  expect((error as Error).message).toMatch(reason);
  expect(snapshot(ws)).toEqual(before);
}

describe('the forged approval of the issue', () => {
  it('a POOR candidate asking for every permission, hand-set to APPROVED with a fake approval and a valid report, is not promoted', () => {
    const ws = workspace();
    editCandidate(ws, 'evil', (c) => {
      c.status = 'APPROVED';
      c.validation_report.is_valid = true;
      c.validation_report.tests_ok = true;
      c.validation_report.scan_ok = true;
      c.validation_report.code_metrics.quality_tier = 'EXCELLENT';
      c.user_feedback = [{ decision: 'APPROVED', reviewer: 'alice', actor: 'alice', notes: 'lgtm', timestamp: new Date().toISOString(), code_hash: c.code_hash, spec_hash: c.spec_hash }];
    });
    const registryBefore = snapshot(path.join(ws, 'registry'));
    expectForgeryRefused(ws, ['promote', 'evil'], /candidate\.json: (validation_report|user_feedback|status) disagrees with the audit log/);
    expectForgeryRefused(ws, ['stage', 'evil'], /disagrees with the audit log/);
    expectForgeryRefused(ws, ['approve', 'evil', '--reviewer', 'bob'], /disagrees with the audit log/);
    expect(snapshot(path.join(ws, 'registry'))).toEqual(registryBefore);
    // show (a reader) reports the forgery instead of refusing, and shows the chain's truth.
    const show = toolsmithJson(ws, ['show', 'evil']);
    expect(show.code).toBe(0);
    expect(show.json.candidate.status).toBe('DRAFT');
    expect(show.json.candidate.verdict).toMatchObject({ is_valid: false, tests_ok: false, scan_ok: false });
    expect(show.json.warnings.join('\n')).toMatch(/disagrees with the audit log/);
    expect(toolsmith(ws, ['verify']).code).toBe(0);
  });
});

describe('hand-edited candidate.json fields', () => {
  const cases: Array<[string, (c: any) => void, RegExp]> = [
    ['status', (c) => (c.status = 'APPROVED'), /candidate\.json: status disagrees with the audit log \(candidate\.json has APPROVED/],
    ['approvals', (c) => c.user_feedback.push({ decision: 'APPROVED', reviewer: 'alice', actor: 'alice', notes: '', timestamp: new Date().toISOString(), code_hash: c.code_hash, spec_hash: c.spec_hash }), /candidate\.json: user_feedback disagrees with the audit log \(candidate\.json has APPROVED by alice, the log has no reviews\)/],
    ['report', (c) => (c.validation_report.code_metrics.quality_tier = 'POOR'), /candidate\.json: validation_report disagrees with the audit log/],
    ['version', (c) => (c.version = '1.0.0-shadow'), /candidate\.json: version disagrees with the audit log \(candidate\.json has 1\.0\.0-shadow, the log has 1\.0\.0\)/],
    ['tool_id (shadowing the trusted tool)', (c) => (c.tool_id = 'trusted'), /candidate\.json: tool_id "trusted" does not match its folder staged\/word_count/],
  ];
  // approve through the binary for every field; promote and validate through the binary for the
  // first field (their exit code, line and --json document) and through the core for every field.
  it.each(cases)('%s: approve and promote are refused with exit 1, nothing written, the trusted tool untouched', async (_name, edit, reason) => {
    const ws = workspace();
    editCandidate(ws, ID, edit);
    const trustedBefore = snapshot(path.join(ws, 'registry/tools/trusted'));
    expectForgeryRefused(ws, ['approve', ID, '--reviewer', 'alice'], reason);
    if (edit === cases[0]![1]) {
      expectForgeryRefused(ws, ['promote', ID], reason);
      expectForgeryRefused(ws, ['validate', ID], reason);
    }
    const c = await core();
    await expectCoreRefused(ws, () => c.promoteCandidate({ cwd: ws, actor: 'author', toolId: ID }), reason);
    await expectCoreRefused(ws, () => c.validateCandidates({ cwd: ws, actor: 'author', ids: [ID] }), reason);
    expect(snapshot(path.join(ws, 'registry/tools/trusted'))).toEqual(trustedBefore);
    expect(toolsmith(ws, ['verify']).code).toBe(0);
    expect(toolsmithJson(ws, ['run', 'trusted', '--input', '{"n": 2}']).json.result).toEqual({ n: 2 });
  });

  it('spec.json naming another tool is refused before anything is written', () => {
    const ws = workspace();
    const file = path.join(ws, 'staged', ID, 'spec.json');
    writeFileSync(file, readFileSync(file, 'utf8').replace('"tool_name": "word_count"', '"tool_name": "trusted"'));
    expectForgeryRefused(ws, ['validate', ID], /spec\.json: tool_name "trusted" does not match its folder staged\/word_count/);
    expectForgeryRefused(ws, ['approve', ID, '--reviewer', 'alice'], /tool_name "trusted" does not match/);
  });

  it('after a real approval, the untouched record still promotes (the contrast)', async () => {
    const ws = workspace();
    await prepare(ws, ['approve', ID, '--reviewer', 'alice']);
    expect(toolsmithJson(ws, ['promote', ID]).json).toMatchObject({ version: '1.0.0', approved_by: ['alice'] });
    expect(toolsmith(ws, ['verify']).code).toBe(0);
  });
});

describe('forged audit lines', () => {
  it('an appended approve line (with a made-up prev) is refused by promote and named by verify', () => {
    const ws = workspace();
    const lines = auditLines(ws);
    const stage = JSON.parse(lines.at(-1)!);
    const fake = JSON.stringify({ ...stage, action: 'approve', actor: 'alice', reviewer: 'alice', notes: '', prev: '1'.repeat(64) });
    writeAudit(ws, [...lines, fake]);
    expectForgeryRefused(ws, ['promote', ID], new RegExp(`audit\\.jsonl:${lines.length + 1}: prev does not match`));
    const verify = toolsmithJson(ws, ['verify']);
    expect(verify.code).toBe(1);
    expect(verify.json.problems.map((p: { file: string }) => p.file)).toContain(`registry/audit.jsonl:${lines.length + 1}`);
  });

  it('a validate line edited from invalid to valid is refused, and verify names the line after it', () => {
    const ws = workspace();
    const lines = auditLines(ws);
    const i = lines.findIndex((l) => l.includes('"action":"validate"') && l.includes('"tool_id":"evil"'));
    lines[i] = lines[i]!.replace('"is_valid":false', '"is_valid":true').replace('"tests_ok":false', '"tests_ok":true').replace('"scan_ok":false', '"scan_ok":true');
    writeAudit(ws, lines);
    expectForgeryRefused(ws, ['stage', 'evil'], new RegExp(`audit\\.jsonl:${i + 2}: prev does not match`));
    expect(toolsmith(ws, ['verify']).stdout).toMatch(new RegExp(`audit\\.jsonl:${i + 2}`));
  });

  it('reordered lines (stage before validate) are refused and named', () => {
    const ws = workspace();
    const lines = auditLines(ws);
    const n = lines.length;
    [lines[n - 1], lines[n - 2]] = [lines[n - 2]!, lines[n - 1]!];
    writeAudit(ws, lines);
    expectForgeryRefused(ws, ['approve', ID, '--reviewer', 'alice'], /audit\.jsonl:\d+: prev does not match/);
    const verify = toolsmithJson(ws, ['verify']);
    expect(verify.code).toBe(1);
    expect(verify.json.problems[0].file).toMatch(new RegExp(`audit\\.jsonl:${n - 1}`));
  });

  it('a malformed line is one error naming file:line (exit 1), for every command that reads the chain', () => {
    const ws = workspace();
    const lines = auditLines(ws);
    lines.splice(2, 0, '{"ts": "2026", "action": "approve"');
    writeAudit(ws, lines);
    expectForgeryRefused(ws, ['approve', ID, '--reviewer', 'alice'], /registry\/audit\.jsonl:3: not valid JSON/);
    expectForgeryRefused(ws, ['stage', ID], /audit\.jsonl:3/);
    const run = toolsmithJson(ws, ['run', 'trusted', '--input', '{"n": 1}']);
    expect(run.code).toBe(1);
    expect(run.json.error).toMatchObject({ type: 'IntegrityError', message: expect.stringMatching(/audit log is broken at registry\/audit\.jsonl:3/) });
    expect(toolsmith(ws, ['verify']).stdout).toMatch(/audit\.jsonl:3: not valid JSON/);
  });
});

describe('registry entries not anchored in their promote line', () => {
  it('metadata.json rewritten to match a changed build/: run refuses (IntegrityError), verify names it', () => {
    const ws = workspace();
    const dir = path.join(ws, 'registry/tools/trusted/1.0.0');
    const js = path.join(dir, 'build/index.js');
    writeFileSync(js, readFileSync(js, 'utf8').replace('n: input.n', 'n: input.n * 100'));
    // The attacker recomputes every hash metadata.json holds, so the per-file check passes.
    const metadataFile = path.join(ws, 'registry/metadata.json');
    const metadata = readJsonFile(metadataFile);
    const entry = metadata.tools.trusted;
    entry.files['build/index.js'] = sha256(readFileSync(js));
    const buildFiles = Object.keys(entry.files).filter((f) => f.startsWith('build/')).sort();
    const h = createHash('sha256');
    for (const f of buildFiles) {
      const content = readFileSync(path.join(dir, f));
      h.update(`${f.slice('build/'.length)}\0${content.byteLength}\0`);
      h.update(content);
    }
    entry.build_hash = h.digest('hex');
    writeFileSync(metadataFile, `${JSON.stringify(metadata, null, 2)}\n`);

    const before = snapshot(ws);
    const run = toolsmithJson(ws, ['run', 'trusted', '--input', '{"n": 2}']);
    expect(run.code).toBe(1);
    expect(run.json.error.type).toBe('IntegrityError');
    expect(run.json.error.message).toMatch(/trusted 1\.0\.0: metadata\.json is not anchored in its promote line \(registry\/audit\.jsonl:5\): build_hash differs; the hashes of build\/index\.js differ/);
    const human = toolsmith(ws, ['run', 'trusted', '--input', '{"n": 2}']);
    expect(human.code).toBe(1);
    expect(human.stdout).toBe('');
    expect(human.stderr).toMatch(/IntegrityError/);
    // Nothing else written: only the failed run is counted in metrics.json (the runner's contract).
    const after = snapshot(ws);
    delete after['registry/metrics.json'];
    delete before['registry/metrics.json'];
    expect(after).toEqual(before);

    const verify = toolsmithJson(ws, ['verify']);
    expect(verify.code).toBe(1);
    expect(verify.json.problems).toEqual([
      { tool_id: 'trusted', file: 'registry/metadata.json', message: expect.stringMatching(/trusted 1\.0\.0 is not anchored in its promote line \(registry\/audit\.jsonl:5\): build_hash differs/) },
    ]);
  });

  it('metadata.json pointing a tool back to another version or dropping it is caught', () => {
    const ws = workspace();
    const metadataFile = path.join(ws, 'registry/metadata.json');
    const metadata = readJsonFile(metadataFile);
    metadata.tools.trusted.version = '0.9.0';
    writeFileSync(metadataFile, `${JSON.stringify(metadata, null, 2)}\n`);
    const run = toolsmithJson(ws, ['run', 'trusted', '--input', '{"n": 2}']);
    expect(run.code).toBe(1);
    expect(run.json.error.message).toMatch(/version 0\.9\.0 is not the last promoted version 1\.0\.0/);
    delete metadata.tools.trusted;
    writeFileSync(metadataFile, `${JSON.stringify(metadata, null, 2)}\n`);
    expect(toolsmithJson(ws, ['verify']).json.problems.map((p: { message: string }) => p.message)).toContain('trusted was promoted (registry/audit.jsonl) but metadata.json does not list it');
  });
});

describe('a command interrupted between its audit line and candidate.json (no orphan lines)', () => {
  it('an approve whose record was never rewritten: readers follow the chain, promote works', async () => {
    const ws = workspace();
    const record = readFileSync(candidateFile(ws, ID));
    await prepare(ws, ['approve', ID, '--reviewer', 'alice']);
    writeFileSync(candidateFile(ws, ID), record); // as if the process died after the audit line
    const show = toolsmithJson(ws, ['show', ID]);
    expect(show.json.candidate).toMatchObject({ status: 'APPROVED', approvals_in_force: ['alice'] });
    expect(show.json.warnings).toEqual([expect.stringMatching(/candidate\.json is behind registry\/audit\.jsonl \(a command was interrupted after line \d+\); the audit log is used/)]);
    expect(toolsmithJson(ws, ['list']).json.candidates.find((c: { tool_id: string }) => c.tool_id === ID)).toMatchObject({ status: 'APPROVED' });
    expect(toolsmithJson(ws, ['promote', ID]).json).toMatchObject({ version: '1.0.0', approved_by: ['alice'] });
    expect(toolsmith(ws, ['verify']).code).toBe(0);
  });

  it('a validate whose new report never reached candidate.json: stage decides on the verdict in the chain', async () => {
    const ws = workspace();
    const record = readFileSync(candidateFile(ws, ID));
    await prepare(ws, ['validate', ID]); // identical files: stays STAGED, report replaced
    writeFileSync(candidateFile(ws, ID), record);
    const show = toolsmithJson(ws, ['show', ID]);
    expect(show.json.candidate.status).toBe('STAGED');
    expect(show.json.warnings.join('\n')).toMatch(/the report of the last validation is not in candidate\.json/);
    await prepare(ws, ['approve', ID, '--reviewer', 'alice']);
    // The rewritten record drops the stale report rather than pass it off as the current one.
    expect(readJsonFile(candidateFile(ws, ID)).validation_report).toBeNull();
    expect(toolsmithJson(ws, ['promote', ID]).code).toBe(0);
  });
});
