/**
 * `toolsmith metrics pass-at-k` and `metrics codebleu` through the real binary, and CodeBLEU
 * in `validate` when a candidate has reference.ts.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createWorkspace, prepare, ROOT, tempDir, toolsmith, WORD_COUNT_SPEC, WORD_COUNT_TESTS, writeSpec } from '../helpers.js';
import { expectOneLineError, ok, toolsmithJson } from './e2e-helpers.js';

const DEV = path.join(ROOT, 'tests', 'fixtures', 'codebleu', 'dev.jsonl');

function scratch(files: Record<string, string>): string {
  const dir = tempDir('toolsmith-metrics-');
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
  return dir;
}

describe('metrics pass-at-k', () => {
  it('--json prints { n, c, pass_at_k }', () => {
    const r = toolsmithJson(ROOT, ['metrics', 'pass-at-k', '--n', '200', '--c', '13', '--k', '1,10,100']);
    expect(r.code).toBe(0);
    expect(Object.keys(r.json)).toEqual(['n', 'c', 'pass_at_k']);
    expect(r.json.n).toBe(200);
    expect(Object.keys(r.json.pass_at_k)).toEqual(['1', '10', '100']);
    expect(r.json.pass_at_k['1']).toBeCloseTo(13 / 200, 12);
  });

  it.each([
    [['--n', '5', '--c', '1', '--k', '6'], /k \(6\) cannot exceed n \(5\)/],
    [['--n', '5', '--c', '6'], /c \(6\) cannot exceed n \(5\)/],
    [['--n', '2.5', '--c', '1'], /--n must be a non-negative whole number/],
    [['--n', '10', '--c', 'x'], /--c must be a non-negative whole number/],
  ])('bad input %j: exit 2, one line', (args, message) => {
    expectOneLineError(toolsmith(ROOT, ['metrics', 'pass-at-k', ...args]), 2, message);
    const json = toolsmithJson(ROOT, ['metrics', 'pass-at-k', ...args]);
    expect(json.code).toBe(2);
    expect(json.json.error.message).toMatch(message);
  });
});

describe('metrics codebleu', () => {
  const dir = scratch({
    'a.ts': 'export const add = (a: number, b: number) => {\n  const sum = a + b; // the sum\n  return sum;\n};\n',
    'b.ts': 'export const add=(a:number,b:number)=>{const sum=(a+b);return sum}',
    'c.ts': 'export function mul(x: number, y: number) { return x * y; }\n',
  });

  it('scores two files; a reformatted copy scores 1 in every component', () => {
    const r = toolsmithJson(dir, ['metrics', 'codebleu', '--reference', 'a.ts', '--candidate', 'b.ts']);
    expect(r.code).toBe(0);
    expect(Object.keys(r.json).slice(0, 6)).toEqual(['id', 'code_bleu_score', 'ngram_match_score', 'weighted_ngram_score', 'ast_match_score', 'dataflow_match_score']);
    for (const key of ['code_bleu_score', 'ngram_match_score', 'weighted_ngram_score', 'ast_match_score', 'ast_node_overlap', 'ast_depth_similarity', 'dataflow_match_score', 'variable_flow_similarity', 'dependency_graph_similarity']) expect(r.json[key], key).toBe(1);
    const other = toolsmith(dir, ['metrics', 'codebleu', '--reference', 'a.ts', '--candidate', 'c.ts']);
    expect(other.code).toBe(0);
    expect(other.stdout).toMatch(/^c\.ts {2}CodeBLEU 0\.\d{4} {2}\(n-gram /);
    expect(other.stdout).toMatch(/n-gram precision 1-4:/);
  });

  it('--pairs prints a line per pair and the pooled corpus score; --json one document', () => {
    const lines = readFileSync(DEV, 'utf8').split('\n').filter(Boolean).slice(0, 9);
    const file = path.join(dir, 'pairs.jsonl');
    writeFileSync(file, `${lines.join('\n')}\n\n`);
    const human = ok(dir, ['metrics', 'codebleu', '--pairs', 'pairs.jsonl']);
    const out = human.stdout.trimEnd().split('\n');
    expect(out).toHaveLength(10);
    expect(out[0]).toMatch(/^JavaScript\/0:identical {2}CodeBLEU 1\.0000/);
    expect(out[9]).toMatch(/^corpus \(9 pairs, pooled counts\) {2}CodeBLEU 0\.\d{4}/);
    const r = toolsmithJson(dir, ['metrics', 'codebleu', '--pairs', 'pairs.jsonl']);
    expect(r.code).toBe(0);
    expect(r.json.pairs).toHaveLength(9);
    expect(r.json.pairs.map((p: { id: string }) => p.id)).toEqual(lines.map((l) => (JSON.parse(l) as { id: string }).id));
    expect(r.json.corpus.pairs).toBe(9);
    expect(r.json.corpus.code_bleu_score).toBeGreaterThan(0);
  });

  it('--weights changes the combination', () => {
    const r = toolsmithJson(dir, ['metrics', 'codebleu', '--reference', 'a.ts', '--candidate', 'c.ts', '--weights', '0,0,1,0']);
    expect(r.json.code_bleu_score).toBe(r.json.ast_match_score);
    expect(r.json.weights).toEqual({ ngram: 0, weighted_ngram: 0, ast: 1, dataflow: 0 });
  });

  it.each([
    [['--reference', 'missing.ts', '--candidate', 'a.ts'], /--reference missing\.ts: no such file/],
    [['--reference', 'a.ts'], /missing --candidate/],
    [[], /missing --reference/],
    [['--pairs', 'bad.jsonl'], /bad\.jsonl:3: not valid JSON/],
    [['--pairs', 'nocand.jsonl'], /nocand\.jsonl:1: "candidate" must be a string/],
    [['--pairs', 'empty.jsonl'], /no pairs/],
    [['--pairs', 'a.jsonl', '--reference', 'a.ts'], /cannot be combined/],
    [['--reference', 'a.ts', '--candidate', 'b.ts', '--weights', '1,1,1,1'], /--weights: weights must sum to 1/],
  ])('bad input %j: exit 2, one line; with --json one error document', (args, message) => {
    writeFileSync(path.join(dir, 'bad.jsonl'), '{"id":"x","reference":"a","candidate":"b"}\n\n{"id": "y", "reference": \n');
    writeFileSync(path.join(dir, 'nocand.jsonl'), '{"id":"x","reference":"a"}\n');
    writeFileSync(path.join(dir, 'empty.jsonl'), '\n');
    const r = toolsmith(dir, ['metrics', 'codebleu', ...args]);
    expectOneLineError(r, 2, message);
    expect(r.stdout).toBe('');
    const json = toolsmithJson(dir, ['metrics', 'codebleu', ...args]);
    expect(json.code).toBe(2);
    expect(json.json.error.message).toMatch(message);
  });
});

describe('validate fills semantic_closeness from reference.ts', () => {
  it('CodeBLEU of index.ts against reference.ts, and overall = 0.6 correctness + 0.2 pass@1 + 0.2 CodeBLEU', async () => {
    const ws = createWorkspace();
    const id = WORD_COUNT_SPEC.tool_name;
    await prepare(ws, ['generate', '--spec', writeSpec(ws, WORD_COUNT_SPEC)]);
    const impl = `export default async function wordCount(input: { text: string }): Promise<{ words: number }> {
  const parts = input.text.split(/\\s+/).filter(Boolean);
  return { words: parts.length };
}
`;
    const reference = `export default async function wordCount(input: { text: string }): Promise<{ words: number }> {
  let count = 0;
  for (const part of input.text.split(' ')) if (part !== '') count++;
  return { words: count };
}
`;
    writeFileSync(path.join(ws, 'staged', id, 'index.ts'), impl);
    writeFileSync(path.join(ws, 'staged', id, 'tests.json'), JSON.stringify(WORD_COUNT_TESTS.slice(0, 1)));
    writeFileSync(path.join(ws, 'staged', id, 'reference.ts'), reference);
    const r = toolsmithJson(ws, ['validate', id]);
    expect(r.code, r.stderr).toBe(0);
    const metrics = r.json.candidates[0].report.code_metrics;
    const semantic = metrics.semantic_closeness;
    expect(semantic.code_bleu_score).toBeGreaterThan(0);
    expect(semantic.code_bleu_score).toBeLessThan(1);
    const cli = toolsmithJson(ws, ['metrics', 'codebleu', '--reference', `staged/${id}/reference.ts`, '--candidate', `staged/${id}/index.ts`]);
    expect(semantic.code_bleu_score).toBe(cli.json.code_bleu_score);
    const correctness = metrics.functional_correctness.correctness_score;
    expect(metrics.overall_score).toBeCloseTo(0.6 * correctness + 0.2 * metrics.pass_at_k['1'] + 0.2 * semantic.code_bleu_score, 12);
  });
});
