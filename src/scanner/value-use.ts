import { ts } from '../ast/syntax.js';
import { memberName } from './call-path.js';

/**
 * How an expression's value is used where it stands:
 * - `call`: it is called (`f()`, `new f()`, `f.call()`, `f.apply()`, `f.bind(x)()`);
 * - `read`: looked at without being passed on (`typeof f`, `f === g`, `f.length`, `if (f)`);
 * - `escape`: handed on, so it can be called under another name (`const g = f`, `h(f)`, `[f]`, `a || f`).
 */
export type ValueUse = 'call' | 'read' | 'escape';

function isWrapper(node: ts.Node): boolean {
  return ts.isParenthesizedExpression(node) || ts.isNonNullExpression(node) || ts.isAsExpression(node)
    || ts.isSatisfiesExpression(node) || ts.isTypeAssertionExpression(node);
}

/** From `expr` (whose parent is ancestors[index]) up through wrappers that pass the value on unchanged, and the right side of a comma. */
function climb(ancestors: readonly ts.Node[], index: number, expr: ts.Node): { expr: ts.Node; index: number } {
  let current = expr;
  let i = index;
  for (let parent = ancestors[i]; parent !== undefined; parent = ancestors[i]) {
    const passes = isWrapper(parent) || (ts.isBinaryExpression(parent) && parent.operatorToken.kind === ts.SyntaxKind.CommaToken && parent.right === current);
    if (!passes) break;
    current = parent;
    i--;
  }
  return { expr: current, index: i };
}

/** Whether the call at ancestors[index] (its value `call`) is itself called: `f.bind(x)(...)`. */
function isCalledAt(ancestors: readonly ts.Node[], index: number, call: ts.Node): boolean {
  const up = climb(ancestors, index, call);
  const parent = ancestors[up.index];
  return parent !== undefined && ts.isCallExpression(parent) && parent.expression === up.expr;
}

const READ_OPERATORS = new Set([
  ts.SyntaxKind.EqualsEqualsEqualsToken, ts.SyntaxKind.ExclamationEqualsEqualsToken, ts.SyntaxKind.EqualsEqualsToken,
  ts.SyntaxKind.ExclamationEqualsToken, ts.SyntaxKind.InstanceOfKeyword, ts.SyntaxKind.InKeyword,
]);
/** Operators whose result can be the operand itself: `a || f`, `a ?? f`, `a && f` (right side), `x = f`. */
const PASSING_OPERATORS = new Set([
  ts.SyntaxKind.BarBarToken, ts.SyntaxKind.QuestionQuestionToken, ts.SyntaxKind.EqualsToken,
  ts.SyntaxKind.BarBarEqualsToken, ts.SyntaxKind.QuestionQuestionEqualsToken, ts.SyntaxKind.AmpersandAmpersandEqualsToken,
]);

function binaryUse(parent: ts.BinaryExpression, expr: ts.Node): ValueUse {
  const op = parent.operatorToken.kind;
  if (READ_OPERATORS.has(op)) return 'read';
  if (op === ts.SyntaxKind.AmpersandAmpersandToken) return parent.right === expr ? 'escape' : 'read';
  if (PASSING_OPERATORS.has(op)) {
    // `f || g` and `f ?? g` hand on the left side too; `f = x` overwrites f rather than handing it on.
    if (parent.right === expr) return 'escape';
    return op === ts.SyntaxKind.BarBarToken || op === ts.SyntaxKind.QuestionQuestionToken ? 'escape' : 'read';
  }
  // Arithmetic, comparison and string concatenation turn a function into a number or its source text.
  return 'read';
}

function memberUse(ancestors: readonly ts.Node[], index: number, access: ts.PropertyAccessExpression | ts.ElementAccessExpression): ValueUse {
  const name = memberName(access);
  if (name !== 'call' && name !== 'apply' && name !== 'bind') return 'read';
  const up = climb(ancestors, index - 1, access);
  const parent = ancestors[up.index];
  const called = parent !== undefined && ts.isCallExpression(parent) && parent.expression === up.expr;
  if (!called) return 'read';
  if (name !== 'bind') return 'call';
  // `f.bind(x)` is a copy of f: called at once it is a call, kept it escapes.
  return isCalledAt(ancestors, up.index - 1, parent) ? 'call' : 'escape';
}

/**
 * How the value of `expr` is used, given the walker's ancestors (outermost first) and the
 * index of expr's parent in them. Anything not known to be a call or a plain read counts
 * as an escape: a rule that flags escapes errs towards a finding, never towards a miss.
 */
export function valueUseOf(ancestors: readonly ts.Node[], index: number, expr: ts.Node): ValueUse {
  const up = climb(ancestors, index, expr);
  const parent = ancestors[up.index];
  const e = up.expr;
  if (parent === undefined) return 'read';
  if ((ts.isCallExpression(parent) || ts.isNewExpression(parent)) && parent.expression === e) return 'call';
  if ((ts.isPropertyAccessExpression(parent) || ts.isElementAccessExpression(parent)) && parent.expression === e) return memberUse(ancestors, up.index, parent);
  // As a key (`x[eval]`, `{ [eval]: 1 }`) a function becomes its source text.
  if (ts.isElementAccessExpression(parent) || ts.isComputedPropertyName(parent)) return 'read';
  if (ts.isBinaryExpression(parent)) return binaryUse(parent, e);
  if (ts.isConditionalExpression(parent)) return parent.condition === e ? 'read' : 'escape';
  switch (parent.kind) {
    case ts.SyntaxKind.TypeOfExpression: case ts.SyntaxKind.VoidExpression: case ts.SyntaxKind.DeleteExpression:
    case ts.SyntaxKind.PrefixUnaryExpression: case ts.SyntaxKind.PostfixUnaryExpression: case ts.SyntaxKind.ExpressionStatement:
    case ts.SyntaxKind.IfStatement: case ts.SyntaxKind.WhileStatement: case ts.SyntaxKind.DoStatement: case ts.SyntaxKind.ForStatement:
    case ts.SyntaxKind.SwitchStatement: case ts.SyntaxKind.CaseClause: case ts.SyntaxKind.TemplateSpan:
      return 'read';
    default:
      return 'escape';
  }
}

/**
 * False for identifiers that do not read a variable: declared names, property names and
 * keys, labels, and names in types (`let f: Function`, `interface X extends Function`).
 * `class X extends Function` does read it (the class is then a Function). `ancestors` are
 * the identifier's, outermost first, its parent last.
 */
export function isValueReference(ancestors: readonly ts.Node[], id: ts.Identifier): boolean {
  const parent = ancestors[ancestors.length - 1];
  if (parent === undefined) return false;
  if (ts.isShorthandPropertyAssignment(parent)) return parent.name === id;
  if ('name' in parent && parent.name === id) return false;
  if ('propertyName' in parent && parent.propertyName === id) return false;
  if ('label' in parent && parent.label === id) return false;
  if (ts.isQualifiedName(parent) || ts.isJsxClosingElement(parent)) return false;
  if (ts.isExpressionWithTypeArguments(parent)) {
    const clause = ancestors[ancestors.length - 2];
    const owner = ancestors[ancestors.length - 3];
    return clause !== undefined && ts.isHeritageClause(clause) && clause.token === ts.SyntaxKind.ExtendsKeyword && owner !== undefined && ts.isClassLike(owner);
  }
  if (ts.isTypeNode(parent)) return false;
  if ((ts.isJsxOpeningElement(parent) || ts.isJsxSelfClosingElement(parent)) && /^[a-z]/.test(id.text)) return false;
  return true;
}
