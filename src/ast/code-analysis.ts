import { extractCodeTokens, type CodeTokens } from './code-tokens.js';
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
