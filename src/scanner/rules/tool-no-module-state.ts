import { z } from 'zod';
import { ts } from '../../ast/syntax.js';
import { unwrapExpression } from '../call-path.js';
import type { RuleModule } from '../types.js';

/** Methods that change the collection they are called on. */
const MUTATORS = new Set(['push', 'pop', 'shift', 'unshift', 'splice', 'sort', 'reverse', 'fill', 'copyWithin', 'set', 'add', 'delete', 'clear']);

function bindingNames(name: ts.BindingName, into: Set<string>): void {
  if (ts.isIdentifier(name)) into.add(name.text);
  else for (const element of name.elements) if (!ts.isOmittedExpression(element)) bindingNames(element.name, into);
}

/** The identifier at the root of `a`, `a.b`, `a[0].c`, or null. */
function rootIdentifier(node: ts.Expression): ts.Identifier | null {
  let current = unwrapExpression(node);
  while (ts.isPropertyAccessExpression(current) || ts.isElementAccessExpression(current)) current = unwrapExpression(current.expression);
  return ts.isIdentifier(current) ? current : null;
}

function isAssignmentOperator(kind: ts.SyntaxKind): boolean {
  return kind >= ts.SyntaxKind.FirstAssignment && kind <= ts.SyntaxKind.LastAssignment;
}

/** The names a function declares itself: parameters, its own name, declarations in its body (not in nested functions). */
function declaredNames(fn: ts.SignatureDeclaration): Set<string> {
  const names = new Set<string>();
  for (const p of fn.parameters) bindingNames(p.name, names);
  if (fn.name && ts.isIdentifier(fn.name) && !ts.isFunctionDeclaration(fn)) names.add(fn.name.text);
  // An explicit stack rather than recursion: a body can be nested deeper than V8's stack.
  const stack: ts.Node[] = [];
  const push = (node: ts.Node): undefined => {
    stack.push(node);
    return undefined;
  };
  const body = (fn as ts.FunctionLikeDeclaration).body; // safe: every function-like node has an optional body
  if (body) ts.forEachChild(body, push);
  for (let node = stack.pop(); node !== undefined; node = stack.pop()) {
    if (ts.isVariableDeclaration(node)) bindingNames(node.name, names);
    else if ((ts.isFunctionDeclaration(node) || ts.isClassDeclaration(node)) && node.name) names.add(node.name.text);
    if (!ts.isFunctionLike(node)) ts.forEachChild(node, push);
  }
  return names;
}

/**
 * Tools must be pure per call: a module-level binding written from inside a function would
 * carry state from one call to the next. Shadowing is checked only when a write names a
 * module-level binding (rare), by looking at the enclosing functions' declarations, so the
 * rule adds no per-function work to the walk.
 */
export const toolNoModuleState: RuleModule<Record<string, never>> = {
  kind: 'tool-no-module-state',
  description: 'Tool code must not write module-level state from inside a function.',
  defaultSeverity: 'error',
  messages: { written: 'module-level `{name}` is changed inside a function: state would carry over between calls' },
  options: z.strictObject({}),
  create(context) {
    const moduleBindings = new Set<string>();
    // Declared names per enclosing function, computed once per function and only when needed.
    const declared = new WeakMap<ts.Node, Set<string>>();
    const declares = (fn: ts.SignatureDeclaration, name: string) => {
      let names = declared.get(fn);
      if (!names) declared.set(fn, (names = declaredNames(fn)));
      return names.has(name);
    };
    const check = (target: ts.Node, id: ts.Identifier | null) => {
      if (id === null || !moduleBindings.has(id.text)) return;
      let inFunction = false;
      for (const a of context.ancestors) {
        if (!ts.isFunctionLike(a)) continue;
        inFunction = true;
        if (declares(a as ts.SignatureDeclaration, id.text)) return; // safe: isFunctionLike narrows to signatures
      }
      if (inFunction) context.report({ target, messageId: 'written', data: { name: id.text } });
    };
    const update = (u: ts.PrefixUnaryExpression | ts.PostfixUnaryExpression) => {
      if (u.operator === ts.SyntaxKind.PlusPlusToken || u.operator === ts.SyntaxKind.MinusMinusToken) check(u, rootIdentifier(u.operand));
    };
    return {
      enter: {
        [ts.SyntaxKind.SourceFile]: () => {
          for (const s of context.sourceFile.statements) {
            if (ts.isVariableStatement(s)) for (const d of s.declarationList.declarations) bindingNames(d.name, moduleBindings);
          }
        },
        [ts.SyntaxKind.BinaryExpression]: (b) => {
          if (moduleBindings.size === 0) return;
          if (isAssignmentOperator(b.operatorToken.kind)) check(b, rootIdentifier(b.left));
        },
        [ts.SyntaxKind.CallExpression]: (node) => {
          if (moduleBindings.size === 0) return;
          const callee = node.expression;
          // escapedText equals the text for these method names (none starts with `__`).
          if (ts.isPropertyAccessExpression(callee) && MUTATORS.has(callee.name.escapedText as string)) check(node, rootIdentifier(callee.expression));
        },
        [ts.SyntaxKind.PrefixUnaryExpression]: update,
        [ts.SyntaxKind.PostfixUnaryExpression]: update,
      },
    };
  },
};
