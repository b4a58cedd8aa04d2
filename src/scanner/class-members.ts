import { ts } from '../ast/syntax.js';

/** The SyntaxKinds of class declarations and expressions (for visitor tables). */
export const CLASS_KINDS = [ts.SyntaxKind.ClassDeclaration, ts.SyntaxKind.ClassExpression] as const;

/** A class's name (`class X`, or `const X = class {}` is not named: null). */
export function classNameOf(node: ts.Node): string | null {
  if ((ts.isClassDeclaration(node) || ts.isClassExpression(node)) && node.name) return node.name.text;
  return null;
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
