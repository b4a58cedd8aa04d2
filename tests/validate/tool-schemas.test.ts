/**
 * A spec's schemas must be usable tool schemas (issue 9, items 5 and 6): `generate` refuses a
 * bad one naming where it is (exit 2 in the CLI), and one that reaches `validate` anyway makes
 * `schema_ok` false while the rest of the run goes on: no crash, other candidates validated.
 */
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { generateCandidate } from '../../src/lifecycle/generate.js';
import { validateCandidates } from '../../src/lifecycle/validate.js';
import { templateBackend } from '../../src/generate/template-backend.js';
import { defaultTemplatesDir } from '../../src/generate/templates-dir.js';
import { UserError } from '../../src/models/errors.js';
import { checkToolSchemas } from '../../src/validate/schema-gate.js';
import { initWorkspace } from '../../src/workspace/init-workspace.js';
import { tempDir, WORD_COUNT_SPEC } from '../helpers.js';

type Spec = typeof WORD_COUNT_SPEC & Record<string, unknown>;
/** A deep copy to break: the bad schemas below are JSON a user could write, not what the type says. */
const clone = (): Spec => JSON.parse(JSON.stringify(WORD_COUNT_SPEC)) as Spec;
const bad = (spec: object): Spec => spec as unknown as Spec; // safe: only fed to code that takes unknown JSON
const withText = (extra: Record<string, unknown>): Spec => {
  const spec = clone();
  Object.assign(spec.input_schema.properties.text, extra);
  return spec;
};

/** Bad schemas and the line that must name them. */
const BAD: Array<[string, Spec, RegExp]> = [
  ['minLength: "x"', withText({ minLength: 'x' }), /input_schema\.properties\.text\.minLength must be integer \(got "x"\)/],
  ['an unknown keyword', withText({ frobnicate: 1 }), /input_schema\.properties\.text\.frobnicate: unknown keyword/],
  ['format: "nonsense"', withText({ format: 'nonsense' }), /input_schema\.properties\.text\.format: unknown format "nonsense"/],
  ['minimum: "zero" (as the wizard could write it)', bad({ ...clone(), output_schema: { type: 'object', properties: { words: { type: 'integer', minimum: 'zero' } } } }), /output_schema\.properties\.words\.minimum must be number \(got "zero"\)/],
  ['a nested type typo', withText({ type: 'strin' }), /input_schema\.properties\.text\.type must be a JSON Schema type .*\(got "strin"\)/],
  ['input_schema of type "string"', bad({ ...clone(), input_schema: { type: 'string' } }), /^input_schema\.type must be "object" \(got "string"\)/],
  ['input_schema of type "objekt"', bad({ ...clone(), input_schema: { type: 'objekt' } }), /^input_schema\.type must be "object" \(got "objekt"\)/],
  ['output_schema of types ["object", "null"]', bad({ ...clone(), output_schema: { type: ['object', 'null'] } }), /^output_schema\.type must be "object" \(got \["object","null"\]\)/],
];

describe('checkToolSchemas', () => {
  it('accepts the schemas of a good spec', () => {
    expect(checkToolSchemas(clone())).toEqual([]);
  });

  it.each(BAD)('names the problem of %s with its path and the value given', (_label, spec, line) => {
    const problems = checkToolSchemas(spec);
    expect(problems.length).toBeGreaterThan(0);
    expect(problems.some((p) => line.test(p)), problems.join('\n')).toBe(true);
  });
});

describe('generate and validate with bad schemas (in-process)', () => {
  let ws: string;
  beforeEach(async () => {
    ws = tempDir('toolsmith-schemas-');
    await initWorkspace({ dir: ws });
  });
  const generate = (spec: object) =>
    generateCandidate({ cwd: ws, spec: spec as never, backend: templateBackend, templatesDir: defaultTemplatesDir(), actor: 'author', now: () => new Date('2026-01-01T00:00:00Z') });

  it.each(BAD)('generate refuses %s with a UserError naming the path, and writes nothing', async (_label, spec, line) => {
    const error = await generate(spec).then(() => null, (e: unknown) => e);
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).message).toMatch(line.source.startsWith('^') ? new RegExp(line.source.slice(1)) : line);
    expect((error as UserError).hint).toBeTruthy();
    expect(existsSync(path.join(ws, 'staged', 'word_count'))).toBe(false);
    expect(existsSync(path.join(ws, 'registry', 'audit.jsonl'))).toBe(false);
  });

  it('a bad schema that reaches validate makes schema_ok false; typecheck and tests do not run; the other candidate is validated', async () => {
    await generate(clone());
    await generate({ ...clone(), tool_name: 'good_count' });
    for (const [label, spec] of BAD) {
      writeFileSync(path.join(ws, 'staged', 'word_count', 'spec.json'), JSON.stringify(spec, null, 2));
      const result = await validateCandidates({ cwd: ws, ids: [], all: true, actor: 'author' });
      expect(result.candidates.map((c) => c.tool_id), label).toEqual(['good_count', 'word_count']);
      const bad = result.candidates.find((c) => c.tool_id === 'word_count')!.report;
      expect(bad, label).toMatchObject({ schema_ok: false, typecheck_ok: false, tests_ok: false, is_valid: false });
      expect(bad.errors.join('\n'), label).toMatch(/_schema\.\S+/);
      const good = result.candidates.find((c) => c.tool_id === 'good_count')!.report;
      expect(good.schema_ok, label).toBe(true);
      expect(good.typecheck_ok, label).toBe(true);
      expect(result.all_valid).toBe(false);
    }
    // The report was recorded for the bad candidate too.
    const record = JSON.parse(readFileSync(path.join(ws, 'staged', 'word_count', 'candidate.json'), 'utf8'));
    expect(record.validation_report.schema_ok).toBe(false);
  }, 60_000);
});
