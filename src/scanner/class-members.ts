import { ts } from '../ast/syntax.js';
import type { NodeVisitors } from './types.js';

/** A class declaration or expression: what the class rules visit. */
export type ClassNode = ts.ClassDeclaration | ts.ClassExpression;

/** Visitors calling `check` on every class declaration and class expression. */
export function createClassVisitors(check: (node: ClassNode) => void): NodeVisitors {
  return { [ts.SyntaxKind.ClassDeclaration]: check, [ts.SyntaxKind.ClassExpression]: check };
}

/** The function-like implementations of method `name`: methods with bodies and arrow/function properties. */
export function methodsNamed(node: ts.ClassLikeDeclaration, name: string): ts.FunctionLikeDeclaration[] {
  const found: ts.FunctionLikeDeclaration[] = [];
  for (const member of node.members) {
    const memberName = member.name && (ts.isIdentifier(member.name) || ts.isStringLiteral(member.name) || ts.isPrivateIdentifier(member.name)) ? member.name.text : null;
    if (memberName !== name) continue;
    if (ts.isMethodDeclaration(member) && member.body) found.push(member);
    else if (ts.isPropertyDeclaration(member) && member.initializer
      && (ts.isArrowFunction(member.initializer) || ts.isFunctionExpression(member.initializer))) found.push(member.initializer);
  }
  return found;
}

/** True for nodes that start a new function body (code in them does not run where it is written). */
export function isFunctionBoundary(node: ts.Node): boolean {
  return ts.isFunctionLike(node) || ts.isClassLike(node);
}
