import { extractCodeTokens, extractCodeTokensFolding, type CodeTokens } from './code-tokens.js';
import { extractDataflow, type DataflowGraph } from './dataflow.js';
import { parseCode } from './normalize-syntax.js';
import { extractSyntaxTree, type SyntaxNode } from './syntax-tree.js';

export type { CodeTokens } from './code-tokens.js';
export type { DataflowEdge, DataflowGraph, VariableFlow } from './dataflow.js';
export type { SyntaxNode } from './syntax-tree.js';

/** Everything CodeBLEU compares about one program, as plain data (no TypeScript objects escape). */
export interface CodeAnalysis {
  tokens: CodeTokens;
  tree: SyntaxNode;
  dataflow: DataflowGraph;
}

/** Parses a TypeScript/JavaScript program once and extracts its tokens, syntax tree and data flow. */
export function analyzeCode(source: string, fileName?: string): CodeAnalysis {
  const sourceFile = parseCode(source, fileName);
  return { tokens: extractCodeTokens(sourceFile), tree: extractSyntaxTree(sourceFile), dataflow: extractDataflow(sourceFile) };
}

/**
 * analyzeCode with the syntax tree folded instead of built (see extractCodeTokensFolding):
 * `tree` is the fold's result at the root.
 */
export function analyzeCodeFolded<T>(source: string, fileName: string | undefined, fold: (kind: number, depth: number, children: readonly T[]) => T): { tokens: CodeTokens; tree: T; dataflow: DataflowGraph } {
  const sourceFile = parseCode(source, fileName);
  const { tokens, tree } = extractCodeTokensFolding(sourceFile, fold);
  return { tokens, tree: tree as T, dataflow: extractDataflow(sourceFile) }; // safe: folding, the root is folded
}
