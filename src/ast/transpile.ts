import ts from './typescript.cjs';

export interface TranspileResult {
  code: string;
  /** Syntax errors as `file:line:col message`; empty when the source parsed. */
  errors: string[];
}

/** Transpiles one TypeScript module to an ES module (types erased, no type-check). */
export function transpileToEsm(source: string, fileName: string): TranspileResult {
  const output = ts.transpileModule(source, {
    fileName,
    reportDiagnostics: true,
    compilerOptions: {
      module: ts.ModuleKind.ESNext,
      target: ts.ScriptTarget.ES2022,
      verbatimModuleSyntax: false,
      sourceMap: false,
    },
  });
  const errors = (output.diagnostics ?? []).map((d) => formatDiagnostic(d, fileName));
  return { code: output.outputText, errors };
}

function formatDiagnostic(diagnostic: ts.Diagnostic, fileName: string): string {
  const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n');
  if (diagnostic.file && diagnostic.start !== undefined) {
    const { line, character } = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start);
    return `${fileName}:${line + 1}:${character + 1} ${message}`;
  }
  return `${fileName} ${message}`;
}
