import ts from './typescript.cjs';
import { isDroppedNode, unwrapParentheses } from './normalize-syntax.js';

// Read once: every `ts.X` is a getter call on the typescript module object, too slow for per-node use.
const { ScriptTarget, SyntaxKind, createScanner, forEachChild, isArrowFunction, tokenToString } = ts;

/** The code tokens of a program, layout-normalised, with which of them are language keywords. */
export interface CodeTokens {
  texts: string[];
  keywords: boolean[];
}

function isCloser(kind: ts.SyntaxKind): boolean {
  return kind === SyntaxKind.CloseParenToken || kind === SyntaxKind.CloseBracketToken || kind === SyntaxKind.CloseBraceToken || kind === SyntaxKind.GreaterThanToken;
}

function isKeyword(kind: ts.SyntaxKind): boolean {
  return kind >= SyntaxKind.FirstKeyword && kind <= SyntaxKind.LastKeyword;
}

/**
 * The tokens of a parsed file, from the parser's leaves and the scanner (ts.createScanner) for
 * the punctuation between them. Scanning between the parser's children, rather than the
 * whole text, is what makes regular expressions and template literals come out whole (the
 * scanner alone cannot tell `/` from a regex start). Layout is erased: comments and
 * whitespace are trivia; statement semicolons (`;` outside a `for (;;)` header), trailing
 * commas and redundant parentheses are dropped; arrow parameters are always parenthesised;
 * string literals are written in one canonical quoting and numbers by value (`1.0` = `1`).
 * Longer than most functions: its small walkers are closures over one scanner and one output.
 */
export function extractCodeTokens(sourceFile: ts.SourceFile): CodeTokens {
  return extractCodeTokensFolding(sourceFile, undefined).tokens;
}

/**
 * extractCodeTokens, folding the syntax tree in the same walk (one pass over the parser's
 * tree instead of two): `fold(kind, depth, children)` is called bottom-up for every node of
 * the tree extractSyntaxTree builds (the root at depth 1; `children` holds the results of
 * the node's children there, empty for leaves), and `tree` is its result at the root
 * (undefined without `fold`).
 */
// eslint-disable-next-line max-lines-per-function -- one pass over the tree builds tokens and the folded tree together (CodeBLEU's hot path)
export function extractCodeTokensFolding<T>(sourceFile: ts.SourceFile, fold: ((kind: number, depth: number, children: readonly T[]) => T) | undefined): { tokens: CodeTokens; tree: T | undefined } {
  const text = sourceFile.text;
  const scanner = createScanner(ScriptTarget.Latest, true, sourceFile.languageVariant);
  const out: CodeTokens = { texts: [], keywords: [] };

  const push = (kind: ts.SyntaxKind, tokenText: string) => {
    // A trailing comma is the comma right before a closing bracket.
    if (isCloser(kind) && out.texts.length > 0 && out.texts[out.texts.length - 1] === ',') {
      out.texts.pop();
      out.keywords.pop();
    }
    out.texts.push(tokenText);
    out.keywords.push(isKeyword(kind));
  };

  const scanGap = (start: number, end: number, parent: ts.Node) => {
    if (isBlank(text, start, end)) return;
    scanner.setText(text, start, end - start);
    for (let kind = scanner.scan(); kind !== SyntaxKind.EndOfFileToken; kind = scanner.scan()) {
      if (kind === SyntaxKind.SemicolonToken && !isForHeader(parent)) continue;
      push(kind, kind === SyntaxKind.Identifier ? scanner.getTokenValue() : (tokenToString(kind) ?? scanner.getTokenText()));
    }
  };

  const noChildren: readonly T[] = [];
  // `inTree`: whether the node is in the folded tree (punctuation tokens are not); returns its fold.
  const visit = (node: ts.Node, depth: number, inTree: boolean): T | undefined => {
    if (node.kind <= SyntaxKind.LastToken) {
      leafToken(node, push);
      return fold && inTree ? fold(node.kind, depth, noChildren) : undefined;
    }
    const children: T[] = [];
    if (!isArrowFunction(node)) {
      let pos = node.pos;
      forEachChild(node, (child) => {
        scanGap(pos, child.pos, node);
        if (!isDroppedNode(child, node)) {
          const kept = !isPunctuation(child.kind);
          const result = visit(unwrapParentheses(child), depth + 1, kept);
          if (fold && kept) children.push(result as T); // safe: visit folds every kept node when folding
        }
        pos = child.end;
      });
      scanGap(pos, node.end, node);
    } else visitArrow(node, depth, children);
    return fold && inTree ? fold(node.kind, depth, children) : undefined;
  };

  // `x => ...` is the one arrow form without parentheses: it is written as `(x) => ...`.
  const visitArrow = (node: ts.ArrowFunction, depth: number, children: T[]): void => {
    const first = node.parameters[0];
    let bare = first !== undefined;
    let pos = node.pos;
    forEachChild(node, (child) => {
      if (child === first) bare = !gapHas(pos, child.pos, SyntaxKind.OpenParenToken);
      scanGap(pos, child.pos, node);
      if (bare && child === first) push(SyntaxKind.OpenParenToken, '(');
      const kept = !isDroppedNode(child, node) && !isPunctuation(child.kind);
      const result = visit(unwrapParentheses(child), depth + 1, kept);
      if (fold && kept) children.push(result as T); // safe: visit folds every kept node when folding
      if (bare && child === first) push(SyntaxKind.CloseParenToken, ')');
      pos = child.end;
    });
    scanGap(pos, node.end, node);
  };

  const gapHas = (start: number, end: number, wanted: ts.SyntaxKind): boolean => {
    if (isBlank(text, start, end)) return false;
    scanner.setText(text, start, end - start);
    for (let kind = scanner.scan(); kind !== SyntaxKind.EndOfFileToken; kind = scanner.scan()) if (kind === wanted) return true;
    return false;
  };

  const tree = visit(sourceFile, 1, true);
  return { tokens: out, tree };
}

/** Punctuation tokens are not nodes of the folded syntax tree (see extractSyntaxTree). */
function isPunctuation(kind: ts.SyntaxKind): boolean {
  return kind >= SyntaxKind.FirstPunctuation && kind <= SyntaxKind.LastPunctuation;
}

/** Whether text[start, end) holds only whitespace (the common gap: no need to start the scanner). */
function isBlank(text: string, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c !== 32 && c !== 10 && c !== 13 && c !== 9) return false;
  }
  return true;
}

function isForHeader(node: ts.Node): boolean {
  return node.kind === SyntaxKind.ForStatement;
}

/** One leaf of the parser's tree as a token: names by their text, literals by their value. */
function leafToken(node: ts.Node, push: (kind: ts.SyntaxKind, text: string) => void): void {
  switch (node.kind) {
    case SyntaxKind.EndOfFileToken:
    case SyntaxKind.JsxText:
      return;
    case SyntaxKind.Identifier:
    case SyntaxKind.PrivateIdentifier:
      push(node.kind, (node as ts.Identifier | ts.PrivateIdentifier).text); // safe: checked by kind
      return;
    case SyntaxKind.StringLiteral:
      push(node.kind, JSON.stringify((node as ts.StringLiteral).text)); // safe: checked by kind
      return;
    case SyntaxKind.NoSubstitutionTemplateLiteral:
    case SyntaxKind.TemplateHead:
    case SyntaxKind.TemplateMiddle:
    case SyntaxKind.TemplateTail:
      // The kind tells head/middle/tail apart; the cooked text is the content.
      push(node.kind, `\`${node.kind - SyntaxKind.NoSubstitutionTemplateLiteral}${(node as ts.TemplateLiteralLikeNode).text}`); // safe: checked by kind
      return;
    case SyntaxKind.NumericLiteral:
    case SyntaxKind.BigIntLiteral:
    case SyntaxKind.RegularExpressionLiteral:
      push(node.kind, (node as ts.LiteralLikeNode).text); // safe: checked by kind
      return;
    default:
      push(node.kind, tokenToString(node.kind) ?? ts.SyntaxKind[node.kind]);
  }
}
