import { describe, expect, it } from 'vitest';
import { scanTree } from '../rule-tester.js';

const evalRule = { kind: 'forbidden-call' as const, options: { names: ['eval'] } };

describe('parse-error', () => {
  it('reports a syntax error at its position and runs no rule on the file', () => {
    const findings = scanTree({ 'src/bad.ts': 'const a = 1;\nconst b = ;\neval("x");\n', 'src/good.ts': 'eval("y");\n' }, [evalRule]);
    expect(findings.map((f) => [f.file, f.rule, f.severity, f.message, f.line, f.column])).toEqual([
      ['src/bad.ts', 'parse-error', 'error', 'syntax error: Expression expected.', 2, 11],
      ['src/good.ts', 'forbidden-call', 'error', '`eval(...)` is forbidden here (matches `eval`)', 1, 1],
    ]);
  });

  it('reports a binary file without parsing it', () => {
    const findings = scanTree({ 'src/blob.js': Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 1, 2, 0xff, 0xfe]) }, [evalRule]);
    expect(findings.map((f) => [f.rule, f.message, f.line, f.column])).toEqual([['parse-error', 'binary file (it contains NUL bytes); not parsed', 1, 1]]);
  });

  it('scans an empty file and a 5 MB generated file without a finding or a crash', () => {
    const big = Array.from({ length: 120_000 }, (_, i) => `export const v${i} = { a: ${i}, b: "x${i}" };`).join('\n');
    expect(big.length).toBeGreaterThan(5_000_000);
    expect(scanTree({ 'src/empty.ts': '', 'src/big.ts': big }, [evalRule])).toEqual([]);
  });

  it('uses the grammar of the extension: JSX parses in .tsx, not in .ts', () => {
    const findings = scanTree({ 'src/a.tsx': 'export const A = () => <div>{eval("x")}</div>;\n', 'src/b.ts': 'export const B = () => <div>{x}</div>;\n' }, [evalRule]);
    expect(findings.map((f) => [f.file, f.rule, f.line])).toEqual([['src/a.tsx', 'forbidden-call', 1], ['src/b.ts', 'parse-error', 1]]);
  });

  // Issue 9 item 18: `.js`/`.cjs` scripts are parsed with Annex B, as Node runs them and ESLint parses them.
  const EVAL = '`eval(...)` is forbidden here (matches `eval`)';
  const rows = (files: Record<string, string>) => scanTree(files, [evalRule]).map((f) => [f.file, f.rule, f.line, f.column, f.rule === 'parse-error' ? f.message : '']);

  it('legacy octal, octal escapes and leading-zero decimals are accepted in .js/.cjs scripts; the other findings are reported', () => {
    const code = 'var mode = 0755, n = 08, s = "\\01\\8";\neval("x");\n';
    expect(rows({ 'src/a.js': code, 'src/b.cjs': code })).toEqual([
      ['src/a.js', 'forbidden-call', 2, 1, ''],
      ['src/b.cjs', 'forbidden-call', 2, 1, ''],
    ]);
  });

  it('they stay syntax errors where the code is strict: modules, "use strict", classes, templates', () => {
    const octal = "syntax error: Octal literals are not allowed. Use the syntax '0o1'.";
    expect(rows({
      'src/a.mjs': 'var a = 01;\n',
      'src/b.js': 'import x from "y";\nvar a = 01;\n',
      'src/c.js': '"use strict";\nvar a = 01;\n',
      'src/d.js': 'function f() {\n  "use strict";\n  return 01;\n}\n',
      'src/e.js': 'class A { m() { return 01; } }\n',
      'src/f.js': 'var t = `\\01`;\n',
      'src/g.ts': 'var a = 01;\n',
    })).toEqual([
      ['src/a.mjs', 'parse-error', 1, 9, octal],
      ['src/b.js', 'parse-error', 2, 9, octal],
      ['src/c.js', 'parse-error', 2, 9, octal],
      ['src/d.js', 'parse-error', 3, 10, octal],
      ['src/e.js', 'parse-error', 1, 24, octal],
      ['src/f.js', 'parse-error', 1, 10, "syntax error: Octal escape sequences are not allowed. Use the syntax '\\x01'."],
      ['src/g.ts', 'parse-error', 1, 9, octal],
    ]);
  });

  it('HTML-like comments in scripts are comments; code after them on the line is not scanned', () => {
    const code = [
      '<!-- eval("hidden 1")',
      'eval("a"); <!-- eval("hidden 2")',
      '  --> eval("hidden 3")',
      '/* x */ --> eval("hidden 4")',
      '/*',
      '*/ --> eval("hidden 5")',
      'var r = /<!--/, t = `<!-- ${x} -->`, q = "<!--"; eval("b");',
      '',
    ].join('\n');
    expect(rows({ 'src/a.js': code, 'src/b.cjs': code })).toEqual([
      ['src/a.js', 'forbidden-call', 2, 1, ''],
      ['src/a.js', 'forbidden-call', 7, 50, ''],
      ['src/b.cjs', 'forbidden-call', 2, 1, ''],
      ['src/b.cjs', 'forbidden-call', 7, 50, ''],
    ]);
  });

  it('in a module, or where reading it as code parses, `<!--` is code (nothing is hidden that a module would run)', () => {
    expect(rows({ 'src/a.mjs': '<!-- x\n', 'src/b.js': 'a = b <!--c; eval("x");\n' })).toEqual([
      ['src/a.mjs', 'parse-error', 1, 1, 'syntax error: Expression expected.'],
      ['src/b.js', 'forbidden-call', 1, 14, ''],
    ]);
  });

  it('a byte-order mark does not shift the columns of line 1', () => {
    const findings = scanTree({ 'src/a.ts': '\uFEFFconst x = eval("1");\n', 'src/b.js': '\uFEFFeval("2");\n' }, [evalRule]);
    expect(findings.map((f) => [f.file, f.line, f.column, f.end_column, f.excerpt, f.snippet])).toEqual([
      ['src/a.ts', 1, 11, 15, 'const x = eval("1");', 'eval'],
      ['src/b.js', 1, 1, 5, 'eval("2");', 'eval'],
    ]);
    expect(findings[0]?.message).toBe(EVAL);
  });
});
