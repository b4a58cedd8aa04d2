// ESLint's core rules as the oracle (issue 9 item 18): toolsmith's forbidden-call / forbidden-import
// and ESLint's no-eval / no-new-func / no-restricted-imports / no-restricted-modules run over a
// small checked-in corpus of the tricky forms; every agreement and every difference (with its
// documented reason) is stated, and nothing may be unexplained. `npm run bench:fidelity` runs
// the same comparison on thousands of real files.
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { compareSides, createEslintOracle, createToolsmithSide, type Comparison } from '../../bench/eslint-oracle.mjs';
import * as scanner from '../../src/scanner/index.js';
import { ROOT } from '../helpers.js';

const DIR = path.join(ROOT, 'tests', 'fixtures', 'eslint-oracle');
const files = readdirSync(DIR).filter((f) => f !== 'README.md').sort().map((f) => ({ absolute: path.join(DIR, f), relative: f }));
const rows = (list: Array<{ file: string; line: number; column: number; rule: string; category?: string }>) =>
  list.map((f) => [f.file, f.line, f.column, f.rule, ...(f.category ? [f.category] : [])]).sort((a, b) => String(a).localeCompare(String(b)));

describe('the scanner against ESLint\'s core rules', () => {
  let c: Comparison;
  beforeAll(async () => {
    // typescript-eslint's parser is slow to load; one comparison serves every assertion.
    const eslint = await createEslintOracle(DIR);
    c = compareSides(files, eslint, createToolsmithSide(scanner, DIR)(files));
  }, 50_000);

  it('both parse every file, legacy scripts, HTML-like comments and a BOM included', () => {
    expect(c.parse).toEqual({ both: files.length, eslintOnly: [], toolsmithOnly: [], neither: [] });
  });

  it('both report these, at the same line and column', () => {
    expect(rows(c.both)).toEqual(rows([
      { file: 'aliases.js', line: 1, column: 11, rule: 'eval' },
      { file: 'aliases.js', line: 3, column: 23, rule: 'eval' },
      { file: 'aliases.js', line: 4, column: 15, rule: 'eval' },
      { file: 'aliases.js', line: 7, column: 1, rule: 'Function' },
      { file: 'aliases.js', line: 8, column: 1, rule: 'Function' },
      { file: 'bom.js', line: 1, column: 1, rule: 'eval' },
      { file: 'bom.js', line: 1, column: 34, rule: 'import' },
      { file: 'html-comments.cjs', line: 2, column: 10, rule: 'import' },
      { file: 'html-comments.cjs', line: 4, column: 1, rule: 'eval' },
      { file: 'minified.js', line: 1, column: 50_001, rule: 'eval' },
      { file: 'module.mjs', line: 1, column: 1, rule: 'import' },
      { file: 'module.mjs', line: 2, column: 1, rule: 'import' },
      { file: 'requires.js', line: 1, column: 1, rule: 'import' },
      { file: 'requires.js', line: 5, column: 1, rule: 'import' },
      { file: 'script-octal.js', line: 2, column: 10, rule: 'import' },
      { file: 'script-octal.js', line: 5, column: 1, rule: 'eval' },
      { file: 'typed.ts', line: 3, column: 49, rule: 'Function' },
    ]));
  });

  it('ESLint alone reports a read of eval, a call of a local named eval and an import in a declaration file', () => {
    expect(rows(c.eslintOnly)).toEqual(rows([
      { file: 'reads.js', line: 1, column: 12, rule: 'eval', category: '`typeof eval` (a read, not a call)' },
      { file: 'shadow.js', line: 2, column: 10, rule: 'eval', category: 'a call of a local named `eval` (no-eval checks direct calls by name, not by scope)' },
      { file: 'types.d.ts', line: 3, column: 1, rule: 'import', category: 'import in a declaration file (nothing loads from one)' },
    ]));
  });

  it('toolsmith alone reports Function handed on, require forms and import() that ESLint\'s rules do not look at', () => {
    expect(rows(c.toolsmithOnly)).toEqual(rows([
      { file: 'aliases.js', line: 5, column: 11, rule: 'Function', category: '`Function` handed on as a value (no-new-func checks calls only)' },
      { file: 'aliases.js', line: 9, column: 9, rule: 'Function', category: '`Function` handed on as a value (no-new-func checks calls only)' },
      { file: 'module.mjs', line: 3, column: 18, rule: 'import', category: '`import()` (no ESLint core rule checks dynamic imports)' },
      { file: 'requires.js', line: 2, column: 1, rule: 'import', category: '`(0, require)(...)`' },
      { file: 'requires.js', line: 3, column: 1, rule: 'import', category: '`require.call` / `require.apply`' },
      { file: 'requires.js', line: 4, column: 1, rule: 'import', category: '`module.require(...)`' },
      { file: 'typed.ts', line: 2, column: 1, rule: 'import', category: 'inline `type` specifiers only (ESLint: type-only; the module still loads under verbatimModuleSyntax)' },
    ]));
    expect(c.unexplained).toEqual([]);
  });

  it('no-implied-eval has no toolsmith counterpart (Node\'s timers take no strings): counted apart', () => {
    expect(rows(c.impliedEval)).toEqual([['reads.js', 2, 1, 'implied-eval']]);
  });
});
