import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ts } from '../../../src/ast/syntax.js';
import { registerRule, scanFileList } from '../../../src/scanner/index.js';
import type { RuleModule } from '../../../src/scanner/index.js';
import { withTree } from '../rule-tester.js';

describe('internal-error', () => {
  it('a rule that throws on a file becomes a finding on that file; the scan goes on', () => {
    const throwing: RuleModule<unknown> = {
      kind: 'throws', description: 'throws on a.ts', defaultSeverity: 'error', messages: {}, options: z.unknown(),
      create: (context) => ({ enter: context.file === 'a.ts' ? { [ts.SyntaxKind.SourceFile]: () => { throw new Error('boom'); } } : {} }),
    };
    const activated = registerRule(throwing).activate({}, { id: 'throws', severity: 'error', appliesTo: () => true });
    if (!activated.ok) throw new Error('z.unknown() accepts any options');
    const rule = activated.rule;
    const result = withTree({ 'a.ts': 'export {};\n', 'b.ts': 'export {};\n' }, (root) =>
      scanFileList(root, [{ absolute: `${root}/a.ts`, relative: 'a.ts' }, { absolute: `${root}/b.ts`, relative: 'b.ts' }], [rule]));
    expect(result.files_scanned).toBe(2);
    expect(result.findings.map((f) => [f.file, f.rule, f.message])).toEqual([
      ['a.ts', 'internal-error', 'a rule failed on this file (a bug in toolsmith, please report it): boom'],
    ]);
  });
});
