import ts from 'typescript';
import { isDroppedNode, unwrapParentheses } from './normalize-syntax.js';

/** The code tokens of a program, layout-normalised, with which of them are language keywords. */
export interface CodeTokens {
  texts: string[];
  keywords: boolean[];
}

const CLOSERS = new Set([ts.SyntaxKind.CloseParenToken, ts.SyntaxKind.CloseBracketToken, ts.SyntaxKind.CloseBraceToken, ts.SyntaxKind.GreaterThanToken]);

function isKeyword(kind: ts.SyntaxKind): boolean {
  return kind >= ts.SyntaxKind.FirstKeyword && kind <= ts.SyntaxKind.LastKeyword;
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
  const text = sourceFile.text;
  const scanner = ts.createScanner(ts.ScriptTarget.Latest, true, sourceFile.languageVariant);
  const out: CodeTokens = { texts: [], keywords: [] };

  const push = (kind: ts.SyntaxKind, tokenText: string) => {
    // A trailing comma is the comma right before a closing bracket.
    if (CLOSERS.has(kind) && out.texts.at(-1) === ',') {
      out.texts.pop();
      out.keywords.pop();
    }
    out.texts.push(tokenText);
    out.keywords.push(isKeyword(kind));
  };

  const scanGap = (start: number, end: number, parent: ts.Node) => {
    if (isBlank(text, start, end)) return;
    scanner.setText(text, start, end - start);
    for (let kind = scanner.scan(); kind !== ts.SyntaxKind.EndOfFileToken; kind = scanner.scan()) {
      if (kind === ts.SyntaxKind.SemicolonToken && !isForHeader(parent)) continue;
      push(kind, kind === ts.SyntaxKind.Identifier ? scanner.getTokenValue() : (ts.tokenToString(kind) ?? scanner.getTokenText()));
    }
  };

  const visit = (node: ts.Node): void => {
    if (node.kind <= ts.SyntaxKind.LastToken) {
      leafToken(node, push);
      return;
    }
    if (!ts.isArrowFunction(node)) {
      let pos = node.pos;
      ts.forEachChild(node, (child) => {
        scanGap(pos, child.pos, node);
        if (!isDroppedNode(child, node)) visit(unwrapParentheses(child));
        pos = child.end;
      });
      scanGap(pos, node.end, node);
      return;
    }
    visitArrow(node);
  };

  // `x => ...` is the one arrow form without parentheses: it is written as `(x) => ...`.
  const visitArrow = (node: ts.ArrowFunction): void => {
    const first = node.parameters[0];
    let bare = first !== undefined;
    let pos = node.pos;
    ts.forEachChild(node, (child) => {
      if (child === first) bare = !gapHas(pos, child.pos, ts.SyntaxKind.OpenParenToken);
      scanGap(pos, child.pos, node);
      if (bare && child === first) push(ts.SyntaxKind.OpenParenToken, '(');
      visit(unwrapParentheses(child));
      if (bare && child === first) push(ts.SyntaxKind.CloseParenToken, ')');
      pos = child.end;
    });
    scanGap(pos, node.end, node);
  };

  const gapHas = (start: number, end: number, wanted: ts.SyntaxKind): boolean => {
    if (isBlank(text, start, end)) return false;
    scanner.setText(text, start, end - start);
    for (let kind = scanner.scan(); kind !== ts.SyntaxKind.EndOfFileToken; kind = scanner.scan()) if (kind === wanted) return true;
    return false;
  };

  visit(sourceFile);
  return out;
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
  return node.kind === ts.SyntaxKind.ForStatement;
}

/** One leaf of the parser's tree as a token: names by their text, literals by their value. */
function leafToken(node: ts.Node, push: (kind: ts.SyntaxKind, text: string) => void): void {
  switch (node.kind) {
    case ts.SyntaxKind.EndOfFileToken:
    case ts.SyntaxKind.JsxText:
      return;
    case ts.SyntaxKind.Identifier:
    case ts.SyntaxKind.PrivateIdentifier:
      push(node.kind, (node as ts.Identifier | ts.PrivateIdentifier).text); // safe: checked by kind
      return;
    case ts.SyntaxKind.StringLiteral:
      push(node.kind, JSON.stringify((node as ts.StringLiteral).text)); // safe: checked by kind
      return;
    case ts.SyntaxKind.NoSubstitutionTemplateLiteral:
    case ts.SyntaxKind.TemplateHead:
    case ts.SyntaxKind.TemplateMiddle:
    case ts.SyntaxKind.TemplateTail:
      // The kind tells head/middle/tail apart; the cooked text is the content.
      push(node.kind, `\`${node.kind - ts.SyntaxKind.NoSubstitutionTemplateLiteral}${(node as ts.TemplateLiteralLikeNode).text}`); // safe: checked by kind
      return;
    case ts.SyntaxKind.NumericLiteral:
    case ts.SyntaxKind.BigIntLiteral:
    case ts.SyntaxKind.RegularExpressionLiteral:
      push(node.kind, (node as ts.LiteralLikeNode).text); // safe: checked by kind
      return;
    default:
      push(node.kind, ts.tokenToString(node.kind) ?? ts.SyntaxKind[node.kind]);
  }
}
