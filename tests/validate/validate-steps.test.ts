// The steps validateCandidate is made of, each on its own: read once, the gates' own results, the report.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/models/errors.js';
import { readCurrentHashes } from '../../src/stores/staged-store.js';
import { assertSnapshotMatches, readCandidate } from '../../src/validate/read-candidate.js';
import { checkSchemaGate } from '../../src/validate/schema-gate.js';
import { judgeTestsGate } from '../../src/validate/tests-gate.js';
import { checkTypecheckGate } from '../../src/validate/typecheck-gate.js';
import { listSamples } from '../../src/validate/run-metric-samples.js';
import { assembleReport, type ReportParts } from '../../src/validate/validate-candidate.js';
import type { TestRunSummary } from '../../src/validate/run-tests.js';
import { tempDir, WORD_COUNT_IMPL, WORD_COUNT_SPEC, WORD_COUNT_TESTS } from '../helpers.js';

function writePackage(files: Record<string, string>): string {
  const dir = path.join(tempDir('toolsmith-validate-steps-'), 'word_count');
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    writeFileSync(path.join(dir, rel), text);
  }
  return dir;
}

const WORD_COUNT = { 'spec.json': JSON.stringify(WORD_COUNT_SPEC), 'index.ts': WORD_COUNT_IMPL, 'tests.json': JSON.stringify(WORD_COUNT_TESTS) };

describe('readCandidate', () => {
  it('hashes the bytes it read as readCurrentHashes hashes the files, leaves build/ out, and removes its copy', async () => {
    const dir = writePackage({ ...WORD_COUNT, 'samples/2.ts': WORD_COUNT_IMPL, 'build/index.js': 'stale' });
    const snapshot = await readCandidate(dir);
    try {
      expect(snapshot.hashes).toEqual(await readCurrentHashes(dir));
      expect([...snapshot.files.keys()].sort()).toEqual(['index.ts', 'samples/2.ts', 'spec.json', 'tests.json']);
      expect(snapshot.text('index.ts')).toBe(WORD_COUNT_IMPL);
      expect(snapshot.text('reference.ts')).toBeNull();
      // The copy is what bundles and the scan gate read: a later write to staged/ does not reach it.
      writeFileSync(path.join(dir, 'index.ts'), 'changed');
      expect(snapshot.text('index.ts')).toBe(WORD_COUNT_IMPL);
    } finally {
      await snapshot.cleanup();
    }
  });

  it('refuses files that hash otherwise than the caller read them (a write raced the validation)', async () => {
    const dir = writePackage(WORD_COUNT);
    const opened = await readCurrentHashes(dir);
    writeFileSync(path.join(dir, 'index.ts'), `${WORD_COUNT_IMPL}\n// edited`);
    const snapshot = await readCandidate(dir);
    try {
      expect(() => assertSnapshotMatches(snapshot, snapshot.hashes)).not.toThrow();
      expect(() => assertSnapshotMatches(snapshot, opened)).toThrow(UserError);
      expect(() => assertSnapshotMatches(snapshot, opened)).toThrow(/changed while it was being validated/);
    } finally {
      await snapshot.cleanup();
    }
  });

  it('refuses a package without spec.json, as readCurrentHashes does', async () => {
    const dir = writePackage({ 'index.ts': WORD_COUNT_IMPL });
    await expect(readCandidate(dir)).rejects.toThrow(/spec\.json is missing/);
  });
});

describe('the gates return their own results', () => {
  const files = (map: Record<string, string>) => ({ text: (rel: string) => map[rel] ?? null });

  it('schema gate: parses spec and tests from the bytes given; a missing tests.json is one line', () => {
    const ok = checkSchemaGate(files(WORD_COUNT));
    expect(ok).toMatchObject({ ok: true, errors: [], schemasUsable: true });
    expect(ok.tests).toHaveLength(WORD_COUNT_TESTS.length);
    const missing = checkSchemaGate(files({ 'spec.json': WORD_COUNT['spec.json'] }));
    expect(missing).toMatchObject({ ok: false, errors: ['tests.json: missing (the test cases)'], tests: [] });
    expect(missing.spec?.tool_name).toBe('word_count');
  });

  it('typecheck gate: a missing index.ts fails with one line; a matching one passes', async () => {
    const spec = checkSchemaGate(files(WORD_COUNT)).spec;
    if (!spec) throw new Error('the fixture spec parses');
    expect(await checkTypecheckGate(null, spec)).toEqual({ ok: false, errors: ['index.ts: missing (the tool implementation)'], logs: [] });
    expect(await checkTypecheckGate(WORD_COUNT_IMPL, spec)).toEqual({ ok: true, errors: [], logs: [] });
    const wrong = await checkTypecheckGate('export default async function f(input: { text: number }) { return { words: "x" }; }\n', spec);
    expect(wrong.ok).toBe(false);
    expect(wrong.errors[0]).toMatch(/^index\.ts:1:\d+ TS\d+: /);
  });

  it('tests gate: failing tests become lines; a limit fails the sandbox gate; no build fails both', () => {
    const summary: TestRunSummary = {
      results: [{ name: 'a', passed: true, duration_ms: 1 }, { name: 'b', passed: false, duration_ms: 1, diff: 'x' }],
      outputs: new Map(), withinLimits: false, protections: null, logs: ['[index.ts a] hi'],
    };
    expect(judgeTestsGate({ summary, errors: [], logs: summary.logs })).toMatchObject({ ok: false, sandboxOk: false, errors: ['test "b" failed'], logs: ['[index.ts a] hi'] });
    expect(judgeTestsGate({ summary: null, errors: ['index.ts: broken'], logs: [] })).toMatchObject({ ok: false, sandboxOk: false, errors: ['index.ts: broken'], summary: null });
  });

  it('samples are the .ts files directly under samples/, in natural order', () => {
    expect(listSamples(['samples/10.ts', 'index.ts', 'samples/2.ts', 'samples/notes.md', 'samples/deep/3.ts'])).toEqual(['samples/2.ts', 'samples/10.ts']);
  });
});

describe('assembleReport', () => {
  const hashes = { code_hash: 'a'.repeat(64), spec_hash: 'b'.repeat(64) };
  const passedTests = { ok: true, sandboxOk: true, errors: [], logs: ['l1'], summary: null, protections: null };
  const base: ReportParts = {
    schema: { ok: true, errors: [], spec: null, schemasUsable: true },
    typecheck: { ok: true, errors: [], logs: [] },
    tests: passedTests,
    metrics: null, metricErrors: [], metricLogs: ['l2'],
    scan: { ok: true, findings: [], errors: [] },
    hashes, validatedAt: new Date('2026-01-02T03:04:05Z'), durationMs: 12.6,
  };

  it('is valid only when all five gates pass, and keeps the hashes of the files read', () => {
    const report = assembleReport(base);
    expect(report).toMatchObject({ is_valid: true, ...hashes, validated_at: '2026-01-02T03:04:05.000Z', duration_ms: 13, logs: ['l1', 'l2'] });
    expect(report.protections).toBeUndefined();
    expect(assembleReport({ ...base, tests: { ...passedTests, sandboxOk: false } })).toMatchObject({ is_valid: false, sandbox_ok: false, tests_ok: true });
    expect(assembleReport({ ...base, tests: null })).toMatchObject({ is_valid: false, tests_ok: false, sandbox_ok: false });
  });

  it('lists errors in the order the gates ran, with the not-run line after an unusable schema', () => {
    const spec = checkSchemaGate({ text: (rel) => (rel === 'spec.json' ? JSON.stringify(WORD_COUNT_SPEC) : null) }).spec;
    const report = assembleReport({
      ...base,
      schema: { ok: false, errors: ['s'], spec, schemasUsable: false },
      typecheck: { ok: false, errors: ['t'], logs: [] },
      tests: { ok: false, sandboxOk: true, errors: ['u'], logs: [], summary: null, protections: null },
      metricErrors: ['r'],
      scan: { ok: false, findings: [], errors: ['x'] },
    });
    expect(report.errors).toEqual(['s', "typecheck and tests not run: the spec's schemas are not usable (see spec.json above)", 't', 'u', 'r', 'x']);
  });
});
