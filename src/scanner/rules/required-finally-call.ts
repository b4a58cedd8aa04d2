import { z } from 'zod';
import { ts } from '../../ast/syntax.js';
import { calleePath, pathMatches } from '../call-path.js';
import { createClassVisitors, isFunctionBoundary, methodsNamed, type ClassNode } from '../class-members.js';
import type { RuleContext, RuleModule } from '../types.js';

const Options = z.strictObject({
  class: z.string().min(1),
  method: z.string().min(1),
  /** The call pattern that must appear in a `finally` block, e.g. `this.options.metrics.record` or `*.record`. */
  call: z.string().regex(/^(\*|[\w$]+)(\.(\*|[\w$]+))*$/, 'must be a dotted name such as *.record'),
});
type Options = z.infer<typeof Options>;

/** Finds calls matching the pattern in a method body (not in nested functions), split by whether a finally holds them. */
function findCalls(body: ts.Node, pattern: string): { inFinally: ts.Node[]; outside: ts.Node[] } {
  const inFinally: ts.Node[] = [];
  const outside: ts.Node[] = [];
  // An explicit stack (node, finally depth) rather than recursion: a body can be nested deeper
  // than V8's stack. Children are pushed in reverse so calls come out in source order.
  const stack: Array<{ node: ts.Node; depth: number }> = [];
  const pushChildren = (node: ts.Node, depth: number) => {
    const children: ts.Node[] = [];
    ts.forEachChild(node, (child) => {
      children.push(child);
    });
    for (let i = children.length - 1; i >= 0; i--) {
      const child = children[i];
      if (child) stack.push({ node: child, depth });
    }
  };
  pushChildren(body, 0);
  for (let item = stack.pop(); item !== undefined; item = stack.pop()) {
    const { node, depth } = item;
    if (isFunctionBoundary(node)) continue;
    if (ts.isCallExpression(node)) {
      const path = calleePath(node);
      if (path && pathMatches(path, pattern)) (depth > 0 ? inFinally : outside).push(node);
    }
    if (ts.isTryStatement(node)) {
      if (node.finallyBlock) stack.push({ node: node.finallyBlock, depth: depth + 1 });
      if (node.catchClause) stack.push({ node: node.catchClause, depth });
      stack.push({ node: node.tryBlock, depth });
      continue;
    }
    pushChildren(node, depth);
  }
  return { inFinally, outside };
}

function checkClass(context: RuleContext<Options>, cls: ClassNode): void {
  // `const X = class {}` is not named: only `class X` counts.
  if (cls.name?.text !== context.options.class) return;
  context.shared['found'] = true;
  const methods = methodsNamed(cls, context.options.method);
  const data = { class: context.options.class, method: context.options.method, call: context.options.call };
  if (methods.length === 0) {
    context.report({ target: cls.name ?? cls, messageId: 'missingMethod', data });
    return;
  }
  for (const method of methods) {
    if (!method.body) continue;
    const { inFinally, outside } = findCalls(method.body, context.options.call);
    if (inFinally.length > 0) continue;
    const first = outside[0];
    if (first) context.report({ target: first, messageId: 'notInFinally', data });
    else context.report({ target: method.name ?? method, messageId: 'missing', data });
  }
}

/** Method M of class C must contain a try/finally whose finally block calls F (SPEC 8: metrics always recorded). */
export const requiredFinallyCall: RuleModule<Options> = {
  kind: 'required-finally-call',
  description: 'A method of a class must call a given function inside a `finally` block.',
  defaultSeverity: 'error',
  messages: {
    missing: '{class}.{method} must call `{call}` inside a finally block; it does not call it',
    notInFinally: '{class}.{method} calls `{call}` outside a finally block; it must be inside one',
    missingMethod: 'class {class} has no method {method} (required to call `{call}` in a finally block)',
    missingClass: 'class {class} was not found in the files this rule checks',
  },
  options: Options,
  create(context) {
    return { enter: createClassVisitors((node) => checkClass(context, node)) };
  },
  finish: (shared, options) => (shared['found'] ? [] : [{ messageId: 'missingClass', data: { class: options.class } }]),
};
