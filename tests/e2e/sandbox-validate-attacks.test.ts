/**
 * Attacks that happen during `validate`, before any review, through the real binary: a
 * candidate with fs:write aiming at the registry, a candidate reading its own tests (the
 * validation oracle), hostile schemas and tests.json (CPU spent in the CLI), and a candidate
 * that makes the type-check read files outside the package.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorkspace, inProcess, promoteTool, writeSpec } from '../helpers.js';
import { implement, patchConfig } from './e2e-helpers.js';
import { hashTree, INTRUDER_IMPL, INTRUDER_TESTS, intruderSpec, runCli, TIME_LIMIT_MS } from './attack-helpers.js';

let ws: string;
let marker: string;
let cache: string;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  ws = createWorkspace();
  marker = mkdtempSync(path.join(os.tmpdir(), 'toolsmith-marker-'));
  cache = mkdtempSync(path.join(os.tmpdir(), 'toolsmith-validate-cache-'));
  env = { TOOLSMITH_CACHE_DIR: cache };
  writeFileSync(path.join(marker, 'precious.txt'), 'must not change');
  patchConfig(ws, { sandbox: { timeout_ms: TIME_LIMIT_MS } });
  await promoteTool(ws, intruderSpec('intruder'), INTRUDER_IMPL, INTRUDER_TESTS);
  const warm = await runCli(ws, ['run', 'intruder', '--json', '--input', '{"mode":"ok"}'], { env });
  expect(warm.code, warm.stderr).toBe(0);
  // toolsmith's own code cache of typescript.js (v8/) is written by the first process that
  // loads the compiler with this cache folder: warmed here, so the protected state taken
  // before each attack already holds it and any later change is the attack's.
  const scan = await runCli(ws, ['scan', 'registry'], { env });
  expect(scan.code, scan.stderr).toBe(0);
  expect(readdirSync(path.join(cache, 'v8'))).toHaveLength(1);
}, 120_000);

afterAll(() => {
  for (const dir of [ws, marker, cache]) rmSync(dir, { recursive: true, force: true });
});

/** generate a candidate from a spec, write its implementation and tests, then validate it through the binary (bounded, never 70). */
async function validateCandidate(spec: { tool_name: string } & Record<string, unknown>, impl: string, tests: object[], edit?: () => void) {
  const id = spec.tool_name;
  // Generated in-process (the preparation); the validate under attack runs in the binary.
  const generated = await inProcess.generate(ws, writeSpec(ws, spec, `${id}.spec.json`), { env: { ...process.env, ...env } });
  expect(generated.tool_id).toBe(id);
  implement(ws, id, impl, tests);
  edit?.();
  const r = await runCli(ws, ['validate', id, '--json'], { env });
  expect(r.hung, 'validate did not end within the time limit plus a constant').toBe(false);
  expect([0, 1], `exit ${r.code}: ${r.stderr}`).toContain(r.code);
  return { ...r, report: r.json?.candidates?.[0]?.report ?? r.json?.report ?? r.json };
}

/** What must survive a validation: the promoted tools' files, the registry's tool entries, the marker folder and the cache. */
function protectedState() {
  const metadata = JSON.parse(readFileSync(path.join(ws, 'registry', 'metadata.json'), 'utf8')) as { tools: unknown };
  return { tools: hashTree(path.join(ws, 'registry', 'tools')), entries: metadata.tools, marker: hashTree(marker), cache: hashTree(cache) };
}

describe('a candidate with fs:write cannot rewrite the registry during validate', () => {
  it.each([
    ['by absolute paths (metadata.json, a promoted build, the validator cache)', () => [
      path.join(ws, 'registry', 'metadata.json'),
      path.join(ws, 'registry', 'tools', 'intruder', '1.0.0', 'build', 'index.js'),
      path.join(cache, 'planted.js'),
      path.join(marker, 'precious.txt'),
    ]],
    ['by paths relative to its working folder', () => ['../../registry/metadata.json', '../registry/metadata.json', 'registry/tools/intruder/1.0.0/build/index.js']],
  ])('%s', async (_label, targets) => {
    const before = protectedState();
    const spec = intruderSpec(`writer_${Math.random().toString(36).slice(2, 8)}`, ['fs:write']);
    const tests = targets().map((target, i) => ({ name: `write ${i}`, input: { mode: 'write', target, text: "export default () => ({ ok: true, value: 'PLANTED' });" }, expected: { ok: true, value: 'written' } }));
    await validateCandidate(spec, INTRUDER_IMPL, tests);
    expect(protectedState()).toEqual(before);
    const run = await runCli(ws, ['run', 'intruder', '--json', '--input', '{"mode":"ok"}'], { env });
    expect(run.json.result).toEqual({ ok: true, value: 'ran' });
    expect((await runCli(ws, ['verify'], { env })).code).toBe(0);
  });
});

describe('the validation oracle: a candidate cannot read its own tests', () => {
  it.each([
    ['next to its module', () => ['../tests.json', '../../tests.json', './tests.json']],
    ['by absolute path into staged/', () => [path.join(ws, 'staged', 'oracle_abs', 'tests.json'), path.join(ws, 'staged', 'oracle_abs', 'reference.ts')]],
  ])('%s: the tests fail, the candidate is not rated', async (_label, targets) => {
    const id = targets()[0]?.startsWith('/') ? 'oracle_abs' : 'oracle_rel';
    const spec = intruderSpec(id, ['fs:read']);
    const impl = INTRUDER_IMPL.replace("case 'ok': return { ok: true, value: 'ran' };", `case 'ok': return { ok: true, value: 'ran' };
    case 'oracle': for (const t of ${JSON.stringify(targets())}) { try { return { ok: true, value: JSON.parse(fs.readFileSync(t.startsWith('/') ? t : new URL(t, import.meta.url), 'utf8'))[0].expected.value }; } catch { /* next */ } } return { ok: false, value: 'not found' };`);
    const tests = [{ name: 'secret', input: { mode: 'oracle' }, expected: { ok: true, value: 'only-in-tests-json-7f3a' } }];
    const r = await validateCandidate(spec, impl, tests);
    expect(r.report.tests_ok).toBe(false);
    expect(r.stdout).not.toMatch(/EXCELLENT/);
  });
});

describe('hostile schemas and tests.json cost the CLI no more than the time limit', () => {
  const bombSpec = (name: string, output: object) => ({ ...intruderSpec(name), output_schema: { type: 'object', properties: { ok: { type: 'boolean' }, value: output }, required: ['ok'], additionalProperties: false } });

  it('a catastrophic-backtracking pattern checked against tests.json is linear (RE2): validate ends, the test is refused', async () => {
    const spec = bombSpec('regex_bomb', { type: 'string', pattern: '^(a+)+$' });
    const r = await validateCandidate(spec, INTRUDER_IMPL, [{ name: 'bomb', input: { mode: 'ok' }, expected: { ok: true, value: `${'a'.repeat(5_000)}!` } }]);
    expect(r.report.schema_ok).toBe(false);
    expect(r.report.errors.join('\n')).toMatch(/expected does not match output_schema.*must match pattern/);
  });

  it('a lookahead pattern (no linear-time engine can run it) is refused by generate, and fails the schema gate when edited in, naming RE2', async () => {
    const spec = bombSpec('lookahead_bomb', { type: 'string', pattern: '^(?=(a+)+$)a' });
    const refused = await runCli(ws, ['generate', '--spec', writeSpec(ws, spec, 'lookahead_bomb.spec.json')], { env });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/not supported by the linear-time \(RE2\) engine/);
    // A user edits the pattern into a generated candidate's spec.json: validate refuses it, without hanging or crashing.
    const benign = bombSpec('lookahead_bomb', { type: 'string', pattern: '^a+$' });
    const r = await validateCandidate(benign, INTRUDER_IMPL, INTRUDER_TESTS, () => {
      writeFileSync(path.join(ws, 'staged', 'lookahead_bomb', 'spec.json'), JSON.stringify(spec, null, 2));
    });
    expect(r.report.schema_ok).toBe(false);
    expect(r.report.errors.join('\n')).toMatch(/not supported by the linear-time \(RE2\) engine/);
  });

  it('uniqueItems over a large array of objects in tests.json stops at the time limit', async () => {
    const spec = bombSpec('unique_bomb', { type: 'array', uniqueItems: true, items: { type: 'object' } });
    const items = Array.from({ length: 60_000 }, (_, i) => ({ i }));
    const r = await validateCandidate(spec, INTRUDER_IMPL, [{ name: 'bomb', input: { mode: 'ok' }, expected: { ok: true, value: items } }]);
    expect(r.report.schema_ok).toBe(false);
    expect(r.report.errors.join('\n')).toMatch(new RegExp(`did not finish within ${TIME_LIMIT_MS} ms`));
  });

  it('a promoted tool whose output trips uniqueItems is stopped at the time limit: TimeoutError, exit 1', async () => {
    const spec = bombSpec('unique_out', { type: 'array', uniqueItems: true, items: { type: 'object' } });
    const impl = `export default function uniqueOut(input: { mode: string }): { ok: boolean; value?: Array<{ [k: string]: unknown }> } {
  if (input.mode === 'bomb') return { ok: true, value: Array.from({ length: 60_000 }, (_, i) => ({ i })) };
  return { ok: true, value: [{ a: 1 }] };
}
`;
    await promoteTool(ws, spec, impl, [{ name: 'ok', input: { mode: 'ok' }, expected: { ok: true, value: [{ a: 1 }] } }]);
    const r = await runCli(ws, ['run', 'unique_out', '--json', '--input', '{"mode":"bomb"}'], { env });
    expect(r.hung).toBe(false);
    expect(r.code).toBe(1);
    expect(r.json.error).toMatchObject({ type: 'TimeoutError', message: expect.stringMatching(/validating the tool's output/) });
  }, 60_000);
});

describe('hostile output against the promoted schema', () => {
  it('a catastrophic-backtracking output pattern costs linear time: ValidationError, exit 1', async () => {
    const spec = { ...intruderSpec('regex_out'), output_schema: { type: 'object', properties: { ok: { type: 'boolean' }, value: { type: 'string', pattern: '^(a+)+$' } }, required: ['ok'], additionalProperties: false } };
    const impl = `export default function regexOut(input: { mode: string }): { ok: boolean; value?: string } {
  return { ok: true, value: input.mode === 'bomb' ? 'a'.repeat(200_000) + '!' : 'aaa' };
}
`;
    await promoteTool(ws, spec, impl, [{ name: 'ok', input: { mode: 'ok' }, expected: { ok: true, value: 'aaa' } }]);
    const r = await runCli(ws, ['run', 'regex_out', '--json', '--input', '{"mode":"bomb"}'], { env });
    expect(r.hung).toBe(false);
    expect(r.code).toBe(1);
    expect(r.json.error).toMatchObject({ type: 'ValidationError', message: expect.stringMatching(/output\.value: must match pattern/) });
  }, 60_000);
});

describe('the type-check reads nothing outside the candidate', () => {
  it.each([
    ['a /// <reference path> to a host file', (file: string) => `/// <reference path=${JSON.stringify(file)} />\n`],
    ['an absolute JSON import', (file: string) => `import leaked from ${JSON.stringify(file)} with { type: 'json' };\nvoid leaked;\n`],
  ])('%s is a type-check error naming the path; nothing of the file reaches the report', async (label, header) => {
    const secret = path.join(marker, label.includes('JSON') ? 'secret.json' : 'secret.d.ts');
    writeFileSync(secret, label.includes('JSON') ? '{"db_password_field": "hunter2"}' : 'declare const api_token_field: string;\n');
    const id = label.includes('JSON') ? 'peek_json' : 'peek_ref';
    const r = await validateCandidate(intruderSpec(id), header(secret) + INTRUDER_IMPL, INTRUDER_TESTS);
    expect(r.report.typecheck_ok).toBe(false);
    expect(r.report.errors.join('\n')).toContain(`${secret} is outside the candidate's files`);
    expect(r.stdout).not.toMatch(/db_password_field|hunter2|api_token_field/);
    rmSync(secret);
  });
});
