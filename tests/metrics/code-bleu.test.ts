import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { codeBleu, codeBleuCorpus, parseCodeBleuWeights } from '../../src/metrics/code-bleu.js';
import { SemanticClosenessMetrics } from '../../src/models/index.js';
import { ROOT } from '../helpers.js';

const BASE = `import { readFile } from "node:fs/promises";

/** Sums the numbers of a file, one per line. */
export async function sumFile(file: string, scale: number = 1): Promise<number> {
  const text = await readFile(file, "utf8");
  let total = 0;
  for (const line of text.split("\\n")) {
    const value = Number(line.trim());
    if (!Number.isNaN(value) && value > 0) total += value * scale;
  }
  const rows = [total, scale].map((x) => x * 2);
  return (total + rows.length) / 2;
}
`;

// The same program in other layouts: every one must score exactly as BASE, in every field.
const LAYOUTS: Record<string, string> = {
  'no whitespace to spare': BASE.replace(/\n\s*/g, '\n').replace(/ = /g, '=').replace(/, /g, ','),
  'one line': BASE.replace(/\/\*\*.*\*\//, '').replace(/\n\s*/g, ' '),
  comments: BASE.replace('let total = 0;', '// running total\n  let total = 0; /* starts at zero */').replace('return', '// done\n  return'),
  'no semicolons': BASE.replace(/;\n/g, '\n'),
  'trailing commas': BASE.replace('scale: number = 1)', 'scale: number = 1,)').replace('[total, scale]', '[total, scale,]'),
  'redundant parentheses': BASE.replace('let total = 0;', 'let total = (0);').replace('value > 0', '(value > 0)').replace('return (total + rows.length) / 2', 'return (((total + rows.length)) / 2)'),
  'arrow without parentheses': BASE.replace('map((x) => x * 2)', 'map(x => x * 2)'),
  'single quotes': BASE.replace(/"/g, "'"),
  'all of them at once': BASE.replace(/\/\*\*.*\*\//, '// header').replace(/;\n/g, '\n').replace('(x) =>', 'x =>').replace(/"/g, "'").replace('[total, scale]', '[ total , scale , ]').replace(/\n\s*/g, '\n\n    '),
};

const UNRELATED = `class Stack<T> {
  private items: T[] = [];
  peek(): T | undefined { return this.items[this.items.length - 1]; }
}
`;

const NUMERIC_FIELDS = ['ngram_match_score', 'weighted_ngram_score', 'ast_match_score', 'ast_node_overlap', 'ast_depth_similarity', 'dataflow_match_score', 'variable_flow_similarity', 'dependency_graph_similarity', 'code_bleu_score'] as const;

describe('CodeBLEU: identical and unrelated code', () => {
  it('identical code scores 1.0 in every component', () => {
    for (const source of [BASE, UNRELATED, 'x', '']) {
      const m = codeBleu(source, source);
      for (const f of NUMERIC_FIELDS) expect(m[f], `${f} of ${JSON.stringify(source.slice(0, 20))}`).toBe(1);
      expect(Object.values(m.ngram_precision)).toEqual([1, 1, 1, 1]);
      expect(SemanticClosenessMetrics.parse(m)).toEqual(m);
    }
  });

  it('code that shares nothing scores near 0 in every component', () => {
    const a = 'let n = 0;\nwhile (n < 10) n = n + 1;';
    const b = 'console.log(process.argv.length > 2 ? "many" : "few");';
    const m = codeBleu(a, b);
    for (const f of ['ngram_match_score', 'weighted_ngram_score', 'ast_match_score', 'dataflow_match_score', 'variable_flow_similarity', 'dependency_graph_similarity', 'code_bleu_score'] as const) expect(m[f], f).toBe(0);
    expect(m.ngram_precision).toEqual({ '1': 2 / 16, '2': 0, '3': 0, '4': 0 }); // only `(` and `)` in common
    // Node-kind overlap and depth similarity describe shape: any two programs share some
    // (both have statements, identifiers, a depth-1 root), so these two are low, not 0.
    expect(m.ast_node_overlap).toBeLessThan(0.4); // 1/3: both have a SourceFile, statements, binary expressions, identifiers, numbers
    expect(codeBleu(BASE, UNRELATED).code_bleu_score).toBeLessThan(0.25);
  });
});

describe('CodeBLEU is layout-independent', () => {
  const asCandidate = codeBleu(BASE, BASE);
  const asReference = codeBleu(BASE, UNRELATED);
  it.each(Object.entries(LAYOUTS))('%s: exactly the scores of the original, as candidate and as reference', (_name, variant) => {
    expect(variant).not.toBe(BASE);
    expect(codeBleu(BASE, variant)).toEqual(asCandidate);
    expect(codeBleu(variant, UNRELATED)).toEqual(asReference);
    expect(codeBleu(UNRELATED, variant)).toEqual(codeBleu(UNRELATED, BASE));
  });

  it('but tells real changes apart', () => {
    expect(codeBleu(BASE, BASE.replace('value > 0', 'value < 0')).code_bleu_score).toBeLessThan(1);
    expect(codeBleu(BASE, BASE.replace('total += value * scale', 'total = value * scale')).dataflow_match_score).toBeLessThan(1);
  });
});

describe('CodeBLEU is deterministic', () => {
  it('the same input gives the same output, in any order of a corpus', () => {
    const pairs = [BASE, UNRELATED, ...Object.values(LAYOUTS)].map((candidate, i) => ({ reference: i % 2 ? BASE : UNRELATED, candidate }));
    const first = codeBleuCorpus(pairs);
    const again = codeBleuCorpus([...pairs].reverse());
    expect(again.pairs).toEqual([...first.pairs].reverse());
    expect(again.corpus.code_bleu_score).toBeCloseTo(first.corpus.code_bleu_score, 12);
    expect(codeBleu(BASE, UNRELATED)).toEqual(codeBleu(BASE, UNRELATED));
  });
});

describe('corpus CodeBLEU', () => {
  it('of one pair is that pair\'s score; of identical pairs is 1', () => {
    const one = codeBleuCorpus([{ reference: BASE, candidate: UNRELATED }]);
    expect(one.corpus).toEqual(codeBleu(BASE, UNRELATED));
    expect(codeBleuCorpus([{ reference: BASE, candidate: BASE }, { reference: UNRELATED, candidate: UNRELATED }]).corpus.code_bleu_score).toBe(1);
  });

  it('pools counts: a long pair weighs more than a short one (not a mean of sentence scores)', () => {
    const long = { reference: BASE, candidate: BASE };
    const short = { reference: 'let a = b;', candidate: 'let a = c;' };
    const { pairs, corpus } = codeBleuCorpus([long, short]);
    expect(pairs[1]!.ngram_match_score).toBe(0); // no 4-gram in common
    const mean = (pairs[0]!.ngram_match_score + pairs[1]!.ngram_match_score) / 2;
    expect(corpus.ngram_match_score).toBeGreaterThan(mean);
    expect(() => codeBleuCorpus([])).toThrow(/at least one pair/);
  });
});

describe('weights', () => {
  it('are configurable and combine the four components', () => {
    const weights = parseCodeBleuWeights('0.1,0.2,0.3,0.4');
    const m = codeBleu(BASE, UNRELATED, { weights });
    expect(m.weights).toEqual({ ngram: 0.1, weighted_ngram: 0.2, ast: 0.3, dataflow: 0.4 });
    expect(m.code_bleu_score).toBeCloseTo(0.1 * m.ngram_match_score + 0.2 * m.weighted_ngram_score + 0.3 * m.ast_match_score + 0.4 * m.dataflow_match_score, 12);
    expect(codeBleu(BASE, UNRELATED).weights).toEqual({ ngram: 0.25, weighted_ngram: 0.25, ast: 0.25, dataflow: 0.25 });
  });

  it.each([['1,0', /four numbers/], ['0.5,0.5,0.5,0.5', /sum to 1/], ['a,0,0,1', /"a" is not a non-negative number/], ['-0.5,0.5,0.5,0.5', /not a non-negative number/]])('refuses %s', (text, message) => {
    expect(() => parseCodeBleuWeights(text)).toThrow(message);
  });
});

describe('the development corpus (tests/fixtures/codebleu/dev.jsonl)', () => {
  interface Row { id: string; problem: string; kind: string; reference: string; candidate: string }
  const rows = readFileSync(path.join(ROOT, 'tests', 'fixtures', 'codebleu', 'dev.jsonl'), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Row);
  const scored = rows.map((r) => ({ ...r, m: codeBleu(r.reference, r.candidate) }));
  const byProblem = new Map<string, Map<string, (typeof scored)[number]>>();
  for (const r of scored) byProblem.set(r.problem, (byProblem.get(r.problem) ?? new Map()).set(r.kind, r));

  it('every format_* pair scores exactly as its identical pair, in every field', () => {
    let checked = 0;
    for (const kinds of byProblem.values()) {
      const identical = kinds.get('identical')!;
      for (const [kind, r] of kinds) {
        if (!kind.startsWith('format_')) continue;
        expect(r.m, r.id).toEqual(identical.m);
        checked++;
      }
    }
    expect(checked).toBe(150);
  });

  it('a rename_locals variant scores above the unrelated one for every problem', () => {
    for (const [problem, kinds] of byProblem) {
      const renamed = kinds.get('rename_locals');
      const unrelated = kinds.get('unrelated');
      if (!renamed || !unrelated) continue;
      expect(renamed.m.code_bleu_score, problem).toBeGreaterThan(unrelated.m.code_bleu_score);
    }
  });
});
