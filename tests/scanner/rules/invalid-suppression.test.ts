import { describe, expect, it } from 'vitest';
import { scanTree } from '../rule-tester.js';

const evalRule = { kind: 'forbidden-call' as const, id: 'no-eval', options: { names: ['eval'] } };

describe('invalid-suppression', () => {
  it('a suppression without a reason or a rule suppresses nothing and is itself a finding', () => {
    const code = 'const a = 1;\n  // toolsmith-disable-next-line no-eval\neval("1");\n// toolsmith-disable-next-line -- because\neval("2");\n';
    const findings = scanTree({ 'src/a.ts': code }, [evalRule]);
    expect(findings.map((f) => [f.rule, f.severity, f.message, f.line, f.column])).toEqual([
      ['invalid-suppression', 'error', 'suppression has no reason: add `-- <why this is safe>`', 2, 6],
      ['no-eval', 'error', '`eval(...)` is forbidden here (matches `eval`)', 3, 1],
      ['invalid-suppression', 'error', 'suppression names no rule: write `toolsmith-disable-next-line <rule> -- <reason>`', 4, 4],
      ['no-eval', 'error', '`eval(...)` is forbidden here (matches `eval`)', 5, 1],
    ]);
  });

  it('a valid suppression (by id or by kind, in // or /* */) removes the finding on the next line only', () => {
    const code = '// toolsmith-disable-next-line no-eval -- the input is a constant\neval("1");\n/* toolsmith-disable-next-line forbidden-call, other -- reviewed in #12 */\neval("2");\neval("3");\n';
    const findings = scanTree({ 'src/a.ts': code }, [evalRule]);
    expect(findings.map((f) => [f.rule, f.line])).toEqual([['no-eval', 5]]);
  });

  it('a marker inside a string is not a suppression', () => {
    const findings = scanTree({ 'src/a.ts': 'const s = "// toolsmith-disable-next-line no-eval -- x";\neval("1");\n' }, [evalRule]);
    expect(findings.map((f) => [f.rule, f.line])).toEqual([['no-eval', 2]]);
  });
});
