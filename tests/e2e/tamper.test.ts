/**
 * Tampering with a promoted tool or the audit log is detected: `verify` exits 1 naming
 * what changed, and `run` refuses a tool whose files changed (IntegrityError).
 * One promoted workspace; every case restores the bytes it changed and proves (verify = 0)
 * that the workspace is intact again before the next case.
 */
import { appendFileSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createWorkspace, prepare, promoteTool, toolsmith, writeSpec, WORD_COUNT_IMPL, WORD_COUNT_SPEC, WORD_COUNT_TESTS } from '../helpers.js';
import { echoSpec, ok, toolsmithJson, STACK_LINE } from './e2e-helpers.js';

let ws: string;
const VERSION_DIR = 'registry/tools/word_count/1.0.0';
const AUDIT = 'registry/audit.jsonl';
const saved = new Map<string, Buffer>();

/** Remembers a file's bytes so afterEach can put them back. */
function save(rel: string): string {
  const file = path.join(ws, rel);
  if (!saved.has(rel)) saved.set(rel, readFileSync(file));
  return file;
}

function auditLines(): string[] {
  return readFileSync(path.join(ws, AUDIT), 'utf8').split('\n').filter(Boolean);
}

function writeAudit(lines: string[]): void {
  writeFileSync(save(AUDIT), lines.map((l) => `${l}\n`).join(''));
}

function expectVerifyFails(fileMention: RegExp): void {
  const human = toolsmith(ws, ['verify']);
  expect(human.code, human.stdout + human.stderr).toBe(1);
  expect(human.stdout).toMatch(fileMention);
  expect(human.stderr).not.toMatch(STACK_LINE);
  const json = toolsmithJson(ws, ['verify']);
  expect(json.code).toBe(1);
  expect(json.json.ok).toBe(false);
  expect(json.json.problems.length).toBeGreaterThan(0);
  expect(json.json.problems.map((p: { file: string }) => p.file).join('\n')).toMatch(fileMention);
}

beforeAll(async () => {
  ws = createWorkspace();
  await promoteTool(ws, WORD_COUNT_SPEC, WORD_COUNT_IMPL, WORD_COUNT_TESTS);
  // One more transition after the promote, so the audit log's last line is not the promote line.
  await prepare(ws, ['generate', '--spec', writeSpec(ws, echoSpec('other_tool'), 'other.spec.json')]);
  expect(auditLines().map((l) => (JSON.parse(l) as { action: string }).action)).toEqual(['generate', 'validate', 'stage', 'approve', 'promote', 'generate']);
  expect(toolsmith(ws, ['verify']).code).toBe(0);
});

afterEach(() => {
  for (const [rel, bytes] of saved) writeFileSync(path.join(ws, rel), bytes);
  saved.clear();
  const verify = toolsmith(ws, ['verify']);
  expect(verify.code, `workspace not restored: ${verify.stdout}`).toBe(0);
});

describe('tampering with a promoted tool', () => {
  it('an edited index.ts: verify exits 1 naming the file; run exits 1 with IntegrityError', () => {
    appendFileSync(save(`${VERSION_DIR}/index.ts`), '// tampered\n');
    expectVerifyFails(/registry\/tools\/word_count\/1\.0\.0\/index\.ts/);

    const run = toolsmithJson(ws, ['run', 'word_count', '--input', '{"text": "a b c"}']);
    expect(run.code).toBe(1);
    expect(Object.keys(run.json)).toEqual(['error']);
    expect(run.json.error.type).toBe('IntegrityError');
    expect(run.json.error.message).toContain('index.ts');
    const human = toolsmith(ws, ['run', 'word_count', '--input', '{"text": "a b c"}']);
    expect(human.code).toBe(1);
    expect(human.stdout).toBe('');
    expect(human.stderr).toMatch(/IntegrityError/);
  });

  it('an edited build/index.js (the code that actually runs) is detected too', () => {
    const file = save(`${VERSION_DIR}/build/index.js`);
    writeFileSync(file, readFileSync(file, 'utf8').replace('.length', '.length + 100'));
    expectVerifyFails(/registry\/tools\/word_count\/1\.0\.0\/build\/index\.js/);
    const run = toolsmithJson(ws, ['run', 'word_count', '--input', '{"text": "a b c"}']);
    expect(run.code).toBe(1);
    expect(run.json.error.type).toBe('IntegrityError');
    expect(run.json.error.message).toContain('build/index.js');
  });

  it('an edited spec.json, a removed file and an added file are each detected', () => {
    const spec = save(`${VERSION_DIR}/spec.json`);
    writeFileSync(spec, readFileSync(spec, 'utf8').replace('Counts the words', 'Counts all the words'));
    expectVerifyFails(/1\.0\.0\/spec\.json/);
    writeFileSync(spec, saved.get(`${VERSION_DIR}/spec.json`)!);

    rmSync(save(`${VERSION_DIR}/tests.json`));
    expectVerifyFails(/1\.0\.0\/tests\.json/);
    writeFileSync(path.join(ws, VERSION_DIR, 'tests.json'), saved.get(`${VERSION_DIR}/tests.json`)!);

    const extra = path.join(ws, VERSION_DIR, 'build', 'extra.js');
    writeFileSync(extra, 'export {};\n');
    try {
      expectVerifyFails(/build\/extra\.js/);
      expect(toolsmithJson(ws, ['run', 'word_count', '--input', '{"text": "a"}']).json.error.type).toBe('IntegrityError');
    } finally {
      rmSync(extra);
    }
  });
});

describe('tampering with the audit log', () => {
  it('editing a middle line (changing its actor) is detected', () => {
    const lines = auditLines();
    const approve = lines.findIndex((l) => l.includes('"action":"approve"'));
    expect(lines[approve]).toContain('"actor":"reviewer"');
    lines[approve] = lines[approve]!.replace('"actor":"reviewer"', '"actor":"mallory"');
    writeAudit(lines);
    expectVerifyFails(new RegExp(`audit\\.jsonl:${approve + 2}`));
  });

  it('editing the last line is detected (no line after it carries its hash)', () => {
    const lines = auditLines();
    lines[lines.length - 1] = lines.at(-1)!.replace('"actor":"author"', '"actor":"mallory"');
    writeAudit(lines);
    expectVerifyFails(/audit\.jsonl/);
  });

  it('removing a middle line is detected', () => {
    const lines = auditLines();
    lines.splice(2, 1);
    writeAudit(lines);
    expectVerifyFails(/audit\.jsonl:3/);
  });

  it('removing the first line is detected', () => {
    writeAudit(auditLines().slice(1));
    expectVerifyFails(/audit\.jsonl:1/);
  });

  it('swapping two lines is detected', () => {
    const lines = auditLines();
    [lines[1], lines[2]] = [lines[2]!, lines[1]!];
    writeAudit(lines);
    expectVerifyFails(/audit\.jsonl:2/);
  });

  it('removing the last line is detected (metadata.json recorded it as the head)', () => {
    writeAudit(auditLines().slice(0, -1));
    expectVerifyFails(/audit\.jsonl/);
    const json = toolsmithJson(ws, ['verify']);
    expect(json.json.problems.map((p: { message: string }) => p.message).join('\n')).toMatch(/truncated|missing/);
  });

  it('removing the promote line is detected', () => {
    const lines = auditLines();
    writeAudit(lines.filter((l) => !l.includes('"action":"promote"')));
    expectVerifyFails(/audit\.jsonl/);
  });
});
