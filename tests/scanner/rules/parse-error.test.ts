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
});
