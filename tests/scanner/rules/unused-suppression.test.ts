import { describe, expect, it } from 'vitest';
import { scanTree } from '../rule-tester.js';

const evalRule = { kind: 'forbidden-call' as const, id: 'no-eval', options: { names: ['eval'] } };

describe('unused-suppression', () => {
  it('a suppression that matches no finding on the next line is a warning', () => {
    const code = '// toolsmith-disable-next-line no-eval -- stale\nconst a = 1;\n// toolsmith-disable-next-line other-rule -- wrong rule\neval("1");\n';
    const findings = scanTree({ 'src/a.ts': code }, [evalRule]);
    expect(findings.map((f) => [f.rule, f.severity, f.message, f.line, f.column])).toEqual([
      ['unused-suppression', 'warning', 'suppression of no-eval matched no finding on the next line; remove it', 1, 4],
      ['unused-suppression', 'warning', 'suppression of other-rule matched no finding on the next line; remove it', 3, 4],
      ['no-eval', 'error', '`eval(...)` is forbidden here (matches `eval`)', 4, 1],
    ]);
  });
});
