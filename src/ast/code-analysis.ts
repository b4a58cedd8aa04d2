import { extractCodeTokensFolding, type CodeTokens } from './code-tokens.js';
import { extractDataflow, type DataflowGraph } from './dataflow.js';
import { parseSource } from './parse-source.js';

export type { CodeTokens } from './code-tokens.js';
export type { DataflowEdge, DataflowGraph } from './dataflow.js';
export type { SyntaxNode } from './syntax-tree.js';

/**
 * Parses a TypeScript/JavaScript program once and extracts what CodeBLEU compares, as plain
 * data: its tokens, its data flow, and its syntax tree folded instead of built (see
 * extractCodeTokensFolding): `tree` is the fold's result at the root.
 */
export function analyzeCodeFolded<T>(source: string, fileName: string | undefined, fold: (kind: number, depth: number, children: readonly T[]) => T): { tokens: CodeTokens; tree: T; dataflow: DataflowGraph } {
  // CodeBLEU scores what parses: syntax errors leave gaps in the tree, as the paper's tree-sitter does.
  const { sourceFile } = parseSource(fileName ?? 'code.ts', source);
  const { tokens, tree } = extractCodeTokensFolding(sourceFile, fold);
  return { tokens, tree: tree as T, dataflow: extractDataflow(sourceFile) }; // safe: folding, the root is folded
}
