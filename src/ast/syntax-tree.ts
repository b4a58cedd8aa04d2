import ts from './typescript.cjs';
import { isDroppedNode, unwrapParentheses } from './normalize-syntax.js';

// Read once: every `ts.X` is a getter call on the typescript module object, too slow for per-node use.
const { SyntaxKind, forEachChild } = ts;

/** A syntax tree reduced to what CodeBLEU compares: node kinds and their children, no text. */
export interface SyntaxNode {
  /** The TypeScript SyntaxKind number (stable within one TypeScript version). */
  kind: number;
  children: SyntaxNode[];
}

/**
 * The parser's tree with layout erased: parenthesised expressions and types are looked
 * through, stray empty statements and the end-of-file token are dropped. Leaves are
 * identifiers, literals, keywords and operator tokens, kept as kinds only (their text is
 * the n-gram components' business). Operator and punctuation tokens (`+`, `<`, `=>`, `?`) are
 * not nodes, as in tree-sitter's named-node trees the paper uses: `a < b` and `a >= b` have
 * the same shape, and the n-gram components see the operator.
 */
export function extractSyntaxTree(sourceFile: ts.SourceFile): SyntaxNode {
  const build = (node: ts.Node): SyntaxNode => {
    const children: SyntaxNode[] = [];
    if (node.kind > SyntaxKind.LastToken) {
      forEachChild(node, (child) => {
        if (!isDroppedNode(child, node) && !isPunctuation(child.kind)) children.push(build(unwrapParentheses(child)));
      });
    }
    return { kind: node.kind, children };
  };
  return build(sourceFile);
}

function isPunctuation(kind: ts.SyntaxKind): boolean {
  return kind >= SyntaxKind.FirstPunctuation && kind <= SyntaxKind.LastPunctuation;
}

/** The name of a SyntaxKind number, for messages and debugging. */
export function syntaxKindName(kind: number): string {
  return ts.SyntaxKind[kind] ?? String(kind);
}
