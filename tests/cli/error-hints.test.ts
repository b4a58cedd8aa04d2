/**
 * Every error a user can meet has a hint (issue 9, item 21). At run time reportError falls
 * back to "run `toolsmith <command> --help`"; this meta-test holds the code to better: every
 * `new UserError(...)` (and every subclass) in src/ passes a specific hint as its second
 * argument. Read with the TypeScript parser, so a call spread over lines counts as one.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers.js';

const USER_ERRORS = new Set(['UserError', 'IllegalTransitionError', 'IntegrityError', 'NotFoundError', 'NegativeOutcomeError', 'RegistryBusyError', 'RegistryLockLostError']);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? sourceFiles(full) : full.endsWith('.ts') ? [full] : [];
  });
}

describe('error hints', () => {
  it('every new UserError (or subclass) in src/ is given a hint', () => {
    const missing: string[] = [];
    let checked = 0;
    for (const file of sourceFiles(path.join(ROOT, 'src'))) {
      const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
      const visit = (node: ts.Node): void => {
        if (ts.isNewExpression(node) && ts.isIdentifier(node.expression) && USER_ERRORS.has(node.expression.text)) {
          checked++;
          if ((node.arguments?.length ?? 0) < 2) {
            const { line } = source.getLineAndCharacterOfPosition(node.getStart());
            missing.push(`${path.relative(ROOT, file)}:${line + 1}: ${node.getText().slice(0, 100)}`);
          }
        }
        ts.forEachChild(node, visit);
      };
      visit(source);
    }
    expect(checked).toBeGreaterThan(40);
    expect(missing).toEqual([]);
  });
});
