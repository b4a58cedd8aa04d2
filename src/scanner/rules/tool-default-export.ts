import { z } from 'zod';
import { ts } from '../../ast/syntax.js';
import type { RuleModule } from '../types.js';

type Verdict = 'function' | 'not-function' | 'unknown';

function isFunctionExpression(node: ts.Expression): boolean {
  return ts.isArrowFunction(node) || ts.isFunctionExpression(node);
}

/** What a top-level name is bound to: a function, something else, or not known here (an import). */
function bindingOf(file: ts.SourceFile, name: string): Verdict {
  for (const statement of file.statements) {
    if (ts.isFunctionDeclaration(statement) && statement.name?.text === name) return 'function';
    if (ts.isClassDeclaration(statement) && statement.name?.text === name) return 'not-function';
    if (ts.isVariableStatement(statement)) {
      for (const d of statement.declarationList.declarations) {
        if (ts.isIdentifier(d.name) && d.name.text === name) {
          return d.initializer && isFunctionExpression(d.initializer) ? 'function' : 'not-function';
        }
      }
    }
  }
  return 'unknown';
}

function hasModifier(node: ts.Node, kind: ts.SyntaxKind): boolean {
  return ts.canHaveModifiers(node) && (ts.getModifiers(node) ?? []).some((m) => m.kind === kind);
}

/** The default export and what it is, or null when the file has none. */
function findDefaultExport(file: ts.SourceFile): { node: ts.Node; verdict: Verdict } | null {
  for (const s of file.statements) {
    if (ts.isExportAssignment(s) && !s.isExportEquals) {
      const e = s.expression;
      const verdict = isFunctionExpression(e) ? 'function' : ts.isIdentifier(e) ? bindingOf(file, e.text) : 'not-function';
      return { node: s, verdict };
    }
    if ((ts.isFunctionDeclaration(s) || ts.isClassDeclaration(s)) && hasModifier(s, ts.SyntaxKind.ExportKeyword) && hasModifier(s, ts.SyntaxKind.DefaultKeyword)) {
      return { node: s, verdict: ts.isFunctionDeclaration(s) ? 'function' : 'not-function' };
    }
    if (ts.isExportDeclaration(s) && s.exportClause && ts.isNamedExports(s.exportClause)) {
      for (const spec of s.exportClause.elements) {
        if (spec.name.text !== 'default') continue;
        const local = (spec.propertyName ?? spec.name).text;
        return { node: spec, verdict: s.moduleSpecifier ? 'unknown' : bindingOf(file, local) };
      }
    }
  }
  return null;
}

/** A tool package's implementation default-exports the tool function (SPEC 2: input -> output). */
export const toolDefaultExport: RuleModule<Record<string, never>> = {
  kind: 'tool-default-export',
  description: "A tool package's implementation file must default-export a function.",
  defaultSeverity: 'error',
  messages: {
    missing: 'the tool has no default export; export the tool function with `export default`',
    notFunction: 'the default export must be a function (input -> output)',
  },
  options: z.strictObject({}),
  create(context) {
    return {
      enter: {
        [ts.SyntaxKind.SourceFile]: () => {
          const found = findDefaultExport(context.sourceFile);
          if (!found) context.report({ target: { start: 0, end: 0 }, messageId: 'missing' });
          else if (found.verdict === 'not-function') context.report({ target: found.node, messageId: 'notFunction' });
        },
      },
    };
  },
};
