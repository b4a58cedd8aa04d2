import ts from 'typescript';

/**
 * Layout normalisation shared by the CodeBLEU extractors (tokens, trees, data flow), so that
 * the same program scores the same whatever its layout. Redundant parentheses are one such
 * layout choice: every ParenthesizedExpression / ParenthesizedType is looked through. This
 * also erases parentheses that change precedence; the tree still records the grouping
 * (`(a + b) * c` and `a + b * c` nest differently), only the token stream loses it.
 */
export function unwrapParentheses(node: ts.Node): ts.Node {
  let current = node;
  for (;;) {
    if (ts.isParenthesizedExpression(current)) current = current.expression;
    else if (ts.isParenthesizedTypeNode(current)) current = current.type;
    else return current;
  }
}

/** Statements that only a stray semicolon creates (`;;`, `class A { ; }`): dropped where a statement list holds them. */
export function isDroppedNode(node: ts.Node, parent: ts.Node): boolean {
  if (node.kind === ts.SyntaxKind.EndOfFileToken || node.kind === ts.SyntaxKind.SemicolonClassElement) return true;
  if (node.kind !== ts.SyntaxKind.EmptyStatement) return false;
  return ts.isBlock(parent) || ts.isSourceFile(parent) || ts.isModuleBlock(parent) || ts.isCaseClause(parent) || ts.isDefaultClause(parent);
}

/** Parses TypeScript or JavaScript (no JSX) into a syntax tree without parent pointers or a type-checker. */
export function parseCode(source: string, fileName = 'code.ts'): ts.SourceFile {
  const kind = /\.[cm]?jsx?$/i.test(fileName) ? (/x$/i.test(fileName) ? ts.ScriptKind.JSX : ts.ScriptKind.JS) : /\.tsx$/i.test(fileName) ? ts.ScriptKind.TSX : ts.ScriptKind.TS;
  return ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, false, kind);
}
