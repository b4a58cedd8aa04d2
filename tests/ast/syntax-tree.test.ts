import { describe, expect, it } from 'vitest';
import { parseSource } from '../../src/ast/parse-source.js';

const parseCode = (source: string) => parseSource('code.ts', source).sourceFile;
import { extractSyntaxTree, syntaxKindName, type SyntaxNode } from '../../src/ast/syntax-tree.js';

const tree = (source: string) => extractSyntaxTree(parseCode(source));
const show = (node: SyntaxNode): string => (node.children.length === 0 ? syntaxKindName(node.kind) : `${syntaxKindName(node.kind)}(${node.children.map(show).join(' ')})`);

describe('extractSyntaxTree', () => {
  it('keeps node kinds, leaves by kind only; no punctuation or operator nodes', () => {
    expect(show(tree('x = a < b;'))).toBe('SourceFile(ExpressionStatement(BinaryExpression(Identifier BinaryExpression(Identifier Identifier))))');
    expect(tree('x = a < b;')).toEqual(tree('y = c >= d'));
  });

  it('looks through parentheses and drops stray empty statements', () => {
    expect(tree('let v = ((a + b)) * (c);;')).toEqual(tree('let v = (a + b) * c'));
    expect(tree('(a + b) * c')).not.toEqual(tree('a + b * c'));
    expect(show(tree('if (x);'))).toContain('EmptyStatement');
  });
});
