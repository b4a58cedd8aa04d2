import { ts } from '../ast/syntax.js';

/** Names under which the global object is reachable: `globalThis.eval` is `eval`, and so is `globalThis.globalThis.eval`. */
export const GLOBAL_OBJECTS: ReadonlySet<string> = new Set(['globalThis', 'window', 'global', 'self']);

/** Strips what does not change which function is called: parentheses, `!`, `as`, `satisfies`, `(0, f)`. */
export function unwrapExpression(node: ts.Expression): ts.Expression {
  let current = node;
  for (;;) {
    if (ts.isParenthesizedExpression(current) || ts.isNonNullExpression(current) || ts.isAsExpression(current)
      || ts.isSatisfiesExpression(current) || ts.isTypeAssertionExpression(current)) current = current.expression;
    else if (ts.isBinaryExpression(current) && current.operatorToken.kind === ts.SyntaxKind.CommaToken) current = current.right;
    else return current;
  }
}

/** The name a member access uses: `x.run` and `x["run"]` / ``x[`run`]`` both give `run`. */
export function memberName(node: ts.Expression): string | null {
  if (ts.isPropertyAccessExpression(node)) return ts.isIdentifier(node.name) ? node.name.text : null;
  if (ts.isElementAccessExpression(node)) {
    const arg = node.argumentExpression;
    if (ts.isStringLiteral(arg) || ts.isNoSubstitutionTemplateLiteral(arg)) return arg.text;
  }
  return null;
}

/**
 * The dotted path of an expression, outermost object first: `this.options.metrics.record`
 * -> ['this', 'options', 'metrics', 'record']. An object that is not a plain chain (a call
 * result, a computed key) becomes '?', which only a `*` pattern segment matches.
 */
export function expressionPath(node: ts.Expression): string[] {
  const path: string[] = [];
  let current = unwrapExpression(node);
  for (;;) {
    if (ts.isIdentifier(current)) {
      path.unshift(current.text);
      break;
    }
    if (current.kind === ts.SyntaxKind.ThisKeyword) {
      path.unshift('this');
      break;
    }
    if (ts.isPropertyAccessExpression(current) || ts.isElementAccessExpression(current)) {
      path.unshift(memberName(current) ?? '?');
      current = unwrapExpression(current.expression);
      continue;
    }
    path.unshift('?');
    break;
  }
  while (path.length > 1 && GLOBAL_OBJECTS.has(path[0] ?? '')) path.shift();
  return path;
}

/** The callee with `f.bind(x)(...)` seen as `f` (the expression whose path calleePath gives, before `.call` / `.apply`). */
function effectiveCallee(node: ts.CallExpression | ts.NewExpression): ts.Expression {
  let callee = unwrapExpression(node.expression);
  if (ts.isCallExpression(callee)) {
    const inner = unwrapExpression(callee.expression);
    if (isMemberAccess(inner) && memberName(inner) === 'bind') callee = unwrapExpression(inner.expression);
  }
  return callee;
}

/**
 * Where to report a call: the called name (`eval` in `globalThis.eval(s)` and `(0, eval)(s)`,
 * `run` in `x.run()`, `f` in `f.call()`), as ESLint's no-eval does; for `new`, from `new` to
 * the name, as no-new-func does.
 */
export function calleeNameSpan(node: ts.CallExpression | ts.NewExpression, sourceFile: ts.SourceFile): { start: number; end: number } {
  let target = effectiveCallee(node);
  if (isMemberAccess(target) && (memberName(target) === 'call' || memberName(target) === 'apply')) target = unwrapExpression(target.expression);
  const nameNode = ts.isPropertyAccessExpression(target) ? target.name : ts.isElementAccessExpression(target) ? target.argumentExpression : target;
  const end = nameNode.getEnd();
  return { start: ts.isNewExpression(node) ? node.getStart(sourceFile) : nameNode.getStart(sourceFile), end };
}

/** The identifier a call invokes directly (`eval(s)`, `(0, eval)(s)`, `eval.call(...)`), or null for a member call. */
export function calleeIdentifier(node: ts.CallExpression | ts.NewExpression): ts.Identifier | null {
  let target = effectiveCallee(node);
  if (isMemberAccess(target) && (memberName(target) === 'call' || memberName(target) === 'apply')) target = unwrapExpression(target.expression);
  return ts.isIdentifier(target) ? target : null;
}

/**
 * The path of the function a call or `new` invokes. `f.call(...)`, `f.apply(...)` and
 * `f.bind(...)(...)` invoke `f`, so they report as `f`.
 */
export function calleePath(node: ts.CallExpression | ts.NewExpression): string[] | null {
  if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) return null;
  // f.bind(x)(...) calls f
  let path = expressionPath(effectiveCallee(node));
  const last = path[path.length - 1];
  if (path.length > 1 && (last === 'call' || last === 'apply')) path = path.slice(0, -1);
  return path;
}

/**
 * True when a path matches a pattern such as `eval`, `Function`, `*.run`, `this.options.metrics.record`
 * or `child_process.*`: segments compare one to one from the end, and a leading `*` stands for
 * any object (one or more segments).
 */
export function pathMatches(path: readonly string[], pattern: string): boolean {
  const parts = pattern.split('.');
  const anyObject = parts[0] === '*' && parts.length > 1;
  const tail = anyObject ? parts.slice(1) : parts;
  if (anyObject ? path.length <= tail.length : path.length !== tail.length) return false;
  const offset = path.length - tail.length;
  return tail.every((p, i) => p === '*' || p === path[offset + i]);
}

/** A path for messages: `tools[…].run`, `(…).run` for a receiver that is not a plain chain. */
export function formatPath(path: readonly string[]): string {
  return path.map((s, i) => (s === '?' ? (i === 0 ? '(…)' : '[…]') : i === 0 ? s : `.${s}`)).join('');
}

export function isMemberAccess(node: ts.Expression): node is ts.PropertyAccessExpression | ts.ElementAccessExpression {
  return ts.isPropertyAccessExpression(node) || ts.isElementAccessExpression(node);
}

/**
 * The last segment of calleePath(node) without building the path: the hot-path pre-check
 * (most calls in a file match no pattern, and allocating a path for each costs ~10% of a scan).
 */
export function calleeName(node: ts.CallExpression | ts.NewExpression): string | null {
  const callee = effectiveCallee(node);
  if (ts.isIdentifier(callee)) return callee.text;
  if (!isMemberAccess(callee)) return null;
  const name = memberName(callee);
  if (name !== 'call' && name !== 'apply') return name;
  const target = unwrapExpression(callee.expression);
  return ts.isIdentifier(target) ? target.text : isMemberAccess(target) ? memberName(target) : name;
}

/** The last segment of each pattern (what calleeName must equal for the pattern to match). */
export function lastSegments(patterns: readonly string[]): Set<string> {
  return new Set(patterns.map((p) => p.slice(p.lastIndexOf('.') + 1)));
}
