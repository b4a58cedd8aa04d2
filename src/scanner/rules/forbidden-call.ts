import { z } from 'zod';
import { ts } from '../../ast/syntax.js';
import { calleeIdentifier, calleeName, calleeNameSpan, calleePath, formatPath, GLOBAL_OBJECTS, lastSegments, memberName, pathMatches } from '../call-path.js';
import { createLocalBindings } from '../local-bindings.js';
import type { NodeVisitors, RuleContext, RuleModule } from '../types.js';
import { isValueReference, valueUseOf } from '../value-use.js';

const Options = z.strictObject({
  /** Call patterns: `eval`, `Function`, `*.run`, `child_process.exec`; see docs/rules/forbidden-call.md. */
  names: z.array(z.string().regex(/^(\*|[\w$]+)(\.(\*|[\w$]+))*$/, 'must be a dotted name such as eval or *.run')).min(1),
});
type Options = z.infer<typeof Options>;

/** A name taken out of the global object by destructuring: `const { eval: e } = globalThis`. */
function destructuredNames(pattern: ts.Node): Array<{ node: ts.Node; name: string }> {
  const out: Array<{ node: ts.Node; name: string }> = [];
  const keyOf = (key: ts.Node | undefined) => (key && (ts.isIdentifier(key) || ts.isStringLiteral(key)) ? key.text : null);
  if (ts.isObjectBindingPattern(pattern)) {
    for (const e of pattern.elements) {
      const name = keyOf(e.propertyName ?? e.name);
      if (name !== null) out.push({ node: e, name });
    }
  } else if (ts.isObjectLiteralExpression(pattern)) {
    for (const p of pattern.properties) {
      const name = ts.isPropertyAssignment(p) || ts.isShorthandPropertyAssignment(p) ? keyOf(p.name) : null;
      if (name !== null) out.push({ node: p, name });
    }
  }
  return out;
}

/**
 * Watches the bare names among the patterns (`eval`, `Function`, `runInSandbox`) used as
 * values, and, through the global object, `globalThis.eval` used as a value or destructured.
 */
function createValueWatch(context: RuleContext<Options>, bare: ReadonlySet<string>, isLocal: (ancestors: readonly ts.Node[], name: string) => boolean) {
  const ancestors = context.ancestors;
  const reportValue = (target: ts.Node, name: string) => context.report({ target, messageId: 'value', data: { name, pattern: name } });
  const checkDestructuring = (expr: ts.Node, index: number) => {
    const parent = ancestors[index];
    if (parent === undefined) return;
    const pattern = (ts.isVariableDeclaration(parent) || ts.isParameter(parent) || ts.isBindingElement(parent)) && parent.initializer === expr ? parent.name
      : ts.isBinaryExpression(parent) && parent.operatorToken.kind === ts.SyntaxKind.EqualsToken && parent.right === expr ? parent.left : null;
    if (pattern) for (const d of destructuredNames(pattern)) if (bare.has(d.name)) reportValue(d.node, d.name);
  };
  const onGlobalObject = (id: ts.Identifier) => {
    // Climb `globalThis.globalThis.window` to the last global-object link, then look at the member after it.
    let expr: ts.Node = id;
    let i = ancestors.length - 1;
    for (let parent = ancestors[i]; parent !== undefined; parent = ancestors[i]) {
      if (ts.isParenthesizedExpression(parent)) expr = parent;
      else if ((ts.isPropertyAccessExpression(parent) || ts.isElementAccessExpression(parent)) && parent.expression === expr && GLOBAL_OBJECTS.has(memberName(parent) ?? '')) expr = parent;
      else break;
      i--;
    }
    const parent = ancestors[i];
    if (parent === undefined) return;
    if ((ts.isPropertyAccessExpression(parent) || ts.isElementAccessExpression(parent)) && parent.expression === expr) {
      const name = memberName(parent);
      // Calls are the call visitor's; here only the member taken as a value.
      if (name !== null && bare.has(name) && valueUseOf(ancestors, i - 1, parent) === 'escape') reportValue(parent, name);
    } else checkDestructuring(expr, i);
  };
  // Identifiers are compared by escapedText (`__x` is escaped as `___x`), which spares a getter
  // call per identifier; `as string` is safe: __String is a branded string.
  const watched = new Set([...bare, ...GLOBAL_OBJECTS].map((n) => ts.escapeLeadingUnderscores(n) as string));
  return (id: ts.Identifier) => {
    if (!watched.has(id.escapedText as string)) return; // safe: __String is a branded string
    const text = id.text;
    if (GLOBAL_OBJECTS.has(text)) {
      if (isValueReference(ancestors, id)) onGlobalObject(id);
    } else if (bare.has(text) && isValueReference(ancestors, id) && valueUseOf(ancestors, ancestors.length - 1, id) === 'escape' && !isLocal(ancestors, text)) {
      reportValue(id, text);
    }
  };
}

/**
 * Bans calls by name, in every form a reviewer would call the same call: `x.run()`,
 * `x["run"]()`, `x?.run()`, `globalThis.eval()`, `(0, eval)()`, `f.call()`, `new Function()`.
 * A bare name (`eval`, `Function`) is also banned as a value (`const e = eval`, `f(eval)`),
 * since it can then be called under any name; a local declaration of the name shadows it.
 */
export const forbiddenCall: RuleModule<Options> = {
  kind: 'forbidden-call',
  description: 'Calls (and `new`) of the named functions or methods are forbidden in the matched files.',
  defaultSeverity: 'error',
  messages: {
    forbidden: '`{name}(...)` is forbidden here (matches `{pattern}`)',
    value: '`{name}` is used as a value, so it can be called under another name; forbidden here (matches `{pattern}`)',
  },
  options: Options,
  create(context) {
    const patterns = context.options.names;
    const names = lastSegments(patterns);
    const anyName = names.has('*');
    const bare = new Set(patterns.filter((p) => !p.includes('.') && p !== '*'));
    const isLocal = createLocalBindings();
    const check = (call: ts.CallExpression | ts.NewExpression) => {
      if (!anyName) {
        const name = calleeName(call);
        if (name === null || !names.has(name)) return;
      }
      const path = calleePath(call);
      if (!path) return;
      const pattern = patterns.find((p) => pathMatches(path, p));
      if (!pattern) return;
      // `eval(x)` where a local `eval` is declared calls the local, not the global.
      const id = calleeIdentifier(call);
      if (id !== null && path.length === 1 && bare.has(id.text) && isLocal(context.ancestors, id.text)) return;
      context.report({ target: calleeNameSpan(call, context.sourceFile), messageId: 'forbidden', data: { name: formatPath(path), pattern } });
    };
    const enter: NodeVisitors = { [ts.SyntaxKind.CallExpression]: check, [ts.SyntaxKind.NewExpression]: check };
    // Identifiers are the most frequent node: watch them only in files whose text names a bare pattern.
    const text = context.sourceFile.text;
    if ([...bare].some((n) => text.includes(n))) enter[ts.SyntaxKind.Identifier] = createValueWatch(context, bare, isLocal);
    return { enter };
  },
};
