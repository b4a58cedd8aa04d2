import ts from 'typescript';

export interface ParsedSource {
  sourceFile: ts.SourceFile;
  /** Syntax errors, first one first; empty when the text parsed. */
  syntaxErrors: Array<{ start: number; message: string }>;
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

/**
 * Parses one file for syntax-only analysis: no parent pointers (the walker keeps its own
 * ancestor stack) and no JSDoc parsing (rules never read it; it costs ~10% of parse time).
 */
export function parseSource(fileName: string, text: string): ParsedSource {
  const sourceFile = ts.createSourceFile(
    fileName,
    text,
    { languageVersion: ts.ScriptTarget.Latest, jsDocParsingMode: ts.JSDocParsingMode.ParseNone },
    false,
    scriptKindOf(fileName),
  );
  const diagnostics = (sourceFile as unknown as WithParseDiagnostics).parseDiagnostics ?? [];
  return {
    sourceFile,
    syntaxErrors: diagnostics.map((d) => ({ start: d.start, message: ts.flattenDiagnosticMessageText(d.messageText, ' ') })),
  };
}
