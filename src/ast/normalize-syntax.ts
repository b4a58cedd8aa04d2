import ts from './typescript.cjs';

// Read once: every `ts.X` is a getter call on the typescript module object, too slow for per-node use.
const { SyntaxKind, isBlock, isCaseClause, isDefaultClause, isModuleBlock, isParenthesizedExpression, isParenthesizedTypeNode, isSourceFile } = ts;

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
    if (isParenthesizedExpression(current)) current = current.expression;
    else if (isParenthesizedTypeNode(current)) current = current.type;
    else return current;
  }
}

/** Statements that only a stray semicolon creates (`;;`, `class A { ; }`): dropped where a statement list holds them. */
export function isDroppedNode(node: ts.Node, parent: ts.Node): boolean {
  if (node.kind === SyntaxKind.EndOfFileToken || node.kind === SyntaxKind.SemicolonClassElement) return true;
  if (node.kind !== SyntaxKind.EmptyStatement) return false;
  return isBlock(parent) || isSourceFile(parent) || isModuleBlock(parent) || isCaseClause(parent) || isDefaultClause(parent);
}
