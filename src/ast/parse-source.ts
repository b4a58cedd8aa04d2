import ts from './typescript.cjs';

/** How the file runs: as an ES module (always strict), or as a script / CommonJS module (sloppy unless "use strict"). */
export type SourceGoal = 'module' | 'script';

export interface ParsedSource {
  sourceFile: ts.SourceFile;
  /** Syntax errors, first one first; empty when the text parsed. */
  syntaxErrors: Array<{ start: number; message: string }>;
  goal: SourceGoal;
}

/** The script kind from a file name's extension (so `.js` gets JavaScript grammar, `.tsx` JSX). */
function scriptKindOf(fileName: string): ts.ScriptKind {
  const dot = fileName.lastIndexOf('.');
  switch (fileName.slice(dot + 1).toLowerCase()) {
    case 'js': case 'mjs': case 'cjs': return ts.ScriptKind.JS;
    case 'jsx': return ts.ScriptKind.JSX;
    case 'tsx': return ts.ScriptKind.TSX;
    default: return ts.ScriptKind.TS;
  }
}

// `parseDiagnostics` is filled by the parser but not in the public typings; reading it costs
// nothing, where asking a Program for syntactic diagnostics would build one per file.
interface WithParseDiagnostics {
  parseDiagnostics?: readonly ts.DiagnosticWithLocation[];
}

function createSource(fileName: string, text: string): ts.SourceFile {
  return ts.createSourceFile(
    fileName,
    text,
    { languageVersion: ts.ScriptTarget.Latest, jsDocParsingMode: ts.JSDocParsingMode.ParseNone },
    false,
    scriptKindOf(fileName),
  );
}

function diagnosticsOf(sourceFile: ts.SourceFile): readonly ts.DiagnosticWithLocation[] {
  return (sourceFile as unknown as WithParseDiagnostics).parseDiagnostics ?? []; // safe: parseDiagnostics is a real (internal) field of every SourceFile the parser makes; `?? []` covers its absence
}

/**
 * Errors TypeScript's parser reports everywhere that sloppy-mode scripts allow (ECMAScript
 * Annex B): legacy octal literals `01`, octal escapes `"\01"`, `"\8"`, and `08`. In strict
 * code (a "use strict" prologue, a class body) and in template literals they stay errors.
 */
const SLOPPY_ONLY = new Set([1121, 1487, 1488, 1489]);

/** `.js` and `.cjs` files are scripts (CommonJS, as Node runs them) unless they import or export; `.mjs` and TypeScript are modules. */
function goalOf(fileName: string, sourceFile: ts.SourceFile): SourceGoal {
  const lower = fileName.toLowerCase();
  if (lower.endsWith('.cjs')) return 'script';
  if (lower.endsWith('.js')) return ts.isExternalModule(sourceFile) ? 'module' : 'script';
  return 'module';
}

function hasUseStrict(statements: readonly ts.Statement[], sourceFile: ts.SourceFile): boolean {
  for (const s of statements) {
    if (!ts.isExpressionStatement(s) || !ts.isStringLiteral(s.expression)) return false;
    // A directive is the raw text `use strict` (an escaped spelling is not one).
    if (sourceFile.text.slice(s.expression.getStart(sourceFile) + 1, s.expression.end - 1) === 'use strict') return true;
  }
  return false;
}

const TEMPLATE_KINDS = new Set([ts.SyntaxKind.NoSubstitutionTemplateLiteral, ts.SyntaxKind.TemplateHead, ts.SyntaxKind.TemplateMiddle, ts.SyntaxKind.TemplateTail]);

/**
 * True when the code at `pos` is strict or inside a template literal: descends (in a loop,
 * so depth costs no stack) through the nodes that contain `pos`.
 */
function isStrictAt(sourceFile: ts.SourceFile, pos: number): boolean {
  if (hasUseStrict(sourceFile.statements, sourceFile)) return true;
  let node: ts.Node = sourceFile;
  for (;;) {
    const child: ts.Node | undefined = ts.forEachChild(node, (c) => (c.pos <= pos && pos < c.end ? c : undefined));
    if (!child) return false;
    if (ts.isClassLike(child) || TEMPLATE_KINDS.has(child.kind)) return true;
    if (ts.isFunctionLike(child) && 'body' in child && child.body && ts.isBlock(child.body) && hasUseStrict(child.body.statements, sourceFile)) return true;
    node = child;
  }
}

/**
 * The ranges of Annex B HTML-like comments in a script: `<!--` to the end of its line, and
 * `-->` at the start of a line (after nothing but white space and comments). Found with
 * TypeScript's scanner so `<!--` inside a string, template or regular expression is left
 * alone; a `/` is a regular expression where the previous token cannot end an expression.
 */
export function findHtmlComments(text: string): Array<{ start: number; end: number }> {
  const found: Array<{ start: number; end: number }> = [];
  const scanner = ts.createScanner(ts.ScriptTarget.Latest, false, ts.LanguageVariant.Standard, text);
  let atLineStart = true;
  let previous = ts.SyntaxKind.Unknown;
  let braces = 0;
  const templates: number[] = [];
  for (let kind = scanner.scan(); kind !== ts.SyntaxKind.EndOfFileToken; kind = scanner.scan()) {
    if (kind === ts.SyntaxKind.NewLineTrivia) atLineStart = true;
    if (kind === ts.SyntaxKind.MultiLineCommentTrivia && /[\n\r\u2028\u2029]/.test(scanner.getTokenText())) atLineStart = true;
    if (kind >= ts.SyntaxKind.FirstTriviaToken && kind <= ts.SyntaxKind.LastTriviaToken) continue;
    const start = scanner.getTokenStart();
    const html = (kind === ts.SyntaxKind.LessThanToken && text.startsWith('<!--', start))
      || (atLineStart && kind === ts.SyntaxKind.MinusMinusToken && text.charCodeAt(start + 2) === 0x3e);
    if (html) {
      const end = lineEnd(text, start);
      found.push({ start, end });
      scanner.resetTokenState(end);
      continue;
    }
    if ((kind === ts.SyntaxKind.SlashToken || kind === ts.SyntaxKind.SlashEqualsToken) && regexMayFollow(previous)) kind = scanner.reScanSlashToken();
    else if (kind === ts.SyntaxKind.OpenBraceToken) braces++;
    else if (kind === ts.SyntaxKind.CloseBraceToken) {
      if (templates.length > 0 && templates[templates.length - 1] === braces) {
        kind = scanner.reScanTemplateToken(false);
        if (kind === ts.SyntaxKind.TemplateTail) templates.pop();
      } else braces--;
    }
    if (kind === ts.SyntaxKind.TemplateHead) templates.push(braces);
    atLineStart = false;
    previous = kind;
  }
  return found;
}

function lineEnd(text: string, from: number): number {
  const m = /[\n\r\u2028\u2029]/.exec(text.slice(from));
  return m ? from + m.index : text.length;
}

/** Tokens after which `/` starts a regular expression rather than dividing. */
function regexMayFollow(previous: ts.SyntaxKind): boolean {
  switch (previous) {
    case ts.SyntaxKind.Identifier: case ts.SyntaxKind.PrivateIdentifier: case ts.SyntaxKind.NumericLiteral: case ts.SyntaxKind.BigIntLiteral:
    case ts.SyntaxKind.StringLiteral: case ts.SyntaxKind.RegularExpressionLiteral: case ts.SyntaxKind.NoSubstitutionTemplateLiteral:
    case ts.SyntaxKind.TemplateTail: case ts.SyntaxKind.CloseParenToken: case ts.SyntaxKind.CloseBracketToken:
    case ts.SyntaxKind.PlusPlusToken: case ts.SyntaxKind.MinusMinusToken: case ts.SyntaxKind.ThisKeyword: case ts.SyntaxKind.SuperKeyword:
    case ts.SyntaxKind.TrueKeyword: case ts.SyntaxKind.FalseKeyword: case ts.SyntaxKind.NullKeyword:
      return false;
    default:
      return true;
  }
}

/** The text with the given ranges turned into spaces (positions, and so lines and columns, stay). */
function blank(text: string, ranges: ReadonlyArray<{ start: number; end: number }>): string {
  let out = '';
  let at = 0;
  for (const r of ranges) {
    out += text.slice(at, r.start) + ' '.repeat(r.end - r.start);
    at = r.end;
  }
  return out + text.slice(at);
}

function errorsOf(sourceFile: ts.SourceFile, goal: SourceGoal): Array<{ start: number; message: string }> {
  let diagnostics = diagnosticsOf(sourceFile);
  if (goal === 'script' && diagnostics.some((d) => SLOPPY_ONLY.has(d.code))) {
    diagnostics = diagnostics.filter((d) => !SLOPPY_ONLY.has(d.code) || isStrictAt(sourceFile, d.start));
  }
  return diagnostics.map((d) => ({ start: d.start, message: ts.flattenDiagnosticMessageText(d.messageText, ' ') }));
}

/**
 * Parses one file for syntax-only analysis: no parent pointers (the walker keeps its own
 * ancestor stack) and no JSDoc parsing (rules never read it; it costs ~10% of parse time).
 * `.js`/`.cjs` files without import or export are scripts, as Node runs them and as
 * ESLint/acorn parse them with sourceType script: Annex B's legacy octal and HTML-like
 * comments are then accepted (a script whose HTML-like comments were read as code is
 * parsed again with them blanked, but only when reading them as code gave syntax errors,
 * so text a module would run is never hidden as a comment).
 * @throws RangeError when nesting is deeper than the parser's recursion can go
 */
export function parseSource(fileName: string, text: string): ParsedSource {
  const sourceFile = createSource(fileName, text);
  const goal = goalOf(fileName, sourceFile);
  const syntaxErrors = errorsOf(sourceFile, goal);
  if (goal === 'script' && syntaxErrors.length > 0 && (text.includes('<!--') || text.includes('-->'))) {
    const comments = findHtmlComments(text);
    if (comments.length > 0) {
      const reparsed = createSource(fileName, blank(text, comments));
      return { sourceFile: reparsed, syntaxErrors: errorsOf(reparsed, 'script'), goal };
    }
  }
  return { sourceFile, syntaxErrors, goal };
}
