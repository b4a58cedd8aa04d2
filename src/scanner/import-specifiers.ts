import { ts } from '../ast/syntax.js';
import { expressionPath, memberName, unwrapExpression } from './call-path.js';
import type { NodeVisitors } from './types.js';

/** How code loads a module: the statement or the call. */
export type ModuleLoader = 'import' | 'export' | 'require' | 'import()' | 'import-equals' | 'module.require' | 'process.getBuiltinModule';

/** One module reference in source: where, what, and whether it exists only for types. */
export interface ModuleReference {
  /** The specifier (or, without an argument, the call). */
  node: ts.Node;
  /** The whole statement or call that loads the module. */
  reference: ts.Node;
  /** The specifier text, or null when it is not a string literal (`require(name)`). */
  specifier: string | null;
  typeOnly: boolean;
  via: ModuleLoader;
}

/** A node that can carry a module reference (see moduleReferenceOf). */
export type ModuleReferenceNode = ts.ImportDeclaration | ts.ExportDeclaration | ts.ImportEqualsDeclaration | ts.CallExpression;

/** Visitors calling `check` on every node kind that can carry a module reference (one list for every rule). */
export function createModuleReferenceVisitors(check: (node: ModuleReferenceNode) => void): NodeVisitors {
  return {
    [ts.SyntaxKind.ImportDeclaration]: check,
    [ts.SyntaxKind.ExportDeclaration]: check,
    [ts.SyntaxKind.ImportEqualsDeclaration]: check,
    [ts.SyntaxKind.CallExpression]: check,
  };
}

function literalText(node: ts.Node | undefined): string | null {
  if (node && (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node))) return node.text;
  return null;
}

function isIdentifierNamed(node: ts.Expression, name: string): boolean {
  const e = unwrapExpression(node);
  return ts.isIdentifier(e) && e.text === name;
}

/** Member names through which a call can load a module (escapedText equals the text: none starts with `__`). */
const LOADER_MEMBERS = new Set(['call', 'apply', 'require', 'getBuiltinModule']);

/**
 * The module a call loads: `require(x)` (also `(require)(x)` and `(0, require)(x)`),
 * `require.call(t, x)`, `require.apply(t, [x])`, `module.require(x)` and
 * `process.getBuiltinModule(x)` (Node 20.16+). The argument node, or null when the call loads nothing.
 */
function loadedBy(node: ts.CallExpression): { arg: ts.Expression | undefined; via: ModuleLoader } | null {
  // Hot path (every call of every file): most callees are `f` or `x.f` with another name.
  const direct = node.expression;
  if (ts.isIdentifier(direct)) return direct.escapedText === 'require' ? { arg: node.arguments[0], via: 'require' } : null;
  // `as string`: __String is a branded string.
  if (ts.isPropertyAccessExpression(direct) && !LOADER_MEMBERS.has(direct.name.escapedText as string)) return null;
  const callee = unwrapExpression(direct);
  if (ts.isIdentifier(callee)) return callee.escapedText === 'require' ? { arg: node.arguments[0], via: 'require' } : null;
  if (!ts.isPropertyAccessExpression(callee) && !ts.isElementAccessExpression(callee)) return null;
  const name = memberName(callee);
  if (name === 'call' && isIdentifierNamed(callee.expression, 'require')) return { arg: node.arguments[1], via: 'require' };
  if (name === 'apply' && isIdentifierNamed(callee.expression, 'require')) {
    const list = node.arguments[1];
    // A literal argument list gives its first element; any other list is a computed specifier.
    const arg = list && ts.isArrayLiteralExpression(list) ? list.elements[0] : list;
    return { arg, via: 'require' };
  }
  if (name === 'require' && isIdentifierNamed(callee.expression, 'module')) return { arg: node.arguments[0], via: 'module.require' };
  if (name === 'getBuiltinModule') {
    const path = expressionPath(callee.expression);
    if (path.length === 1 && path[0] === 'process') return { arg: node.arguments[0], via: 'process.getBuiltinModule' };
  }
  return null;
}

/**
 * The module reference a node makes, if any: static `import` / `export ... from`,
 * `import x = require()`, `require()` in its forms (see loadedBy) and `import()`.
 * `import type` and `export type` are marked typeOnly (they vanish at run time), and so is
 * every reference in a declaration file (`.d.ts`): nothing loads from one.
 */
export function moduleReferenceOf(node: ts.Node, inDeclarationFile = false): ModuleReference | null {
  if (ts.isImportDeclaration(node)) {
    const clause = node.importClause;
    // `import type` erases; in TS 5+ isTypeOnly is the clause flag (phaseModifier in newer typings).
    const typeOnly = inDeclarationFile || (clause !== undefined && isTypeOnlyClause(clause));
    return { node: node.moduleSpecifier, reference: node, specifier: literalText(node.moduleSpecifier), typeOnly, via: 'import' };
  }
  if (ts.isExportDeclaration(node)) {
    if (!node.moduleSpecifier) return null;
    return { node: node.moduleSpecifier, reference: node, specifier: literalText(node.moduleSpecifier), typeOnly: inDeclarationFile || node.isTypeOnly, via: 'export' };
  }
  if (ts.isImportEqualsDeclaration(node)) {
    if (!ts.isExternalModuleReference(node.moduleReference)) return null;
    const expr = node.moduleReference.expression;
    return { node: expr, reference: node, specifier: literalText(expr), typeOnly: inDeclarationFile || node.isTypeOnly, via: 'import-equals' };
  }
  if (ts.isCallExpression(node)) {
    if (node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      const arg = node.arguments[0];
      return { node: arg ?? node, reference: node, specifier: literalText(arg), typeOnly: inDeclarationFile, via: 'import()' };
    }
    const loaded = loadedBy(node);
    if (!loaded) return null;
    return { node: loaded.arg ?? node, reference: node, specifier: literalText(loaded.arg), typeOnly: inDeclarationFile, via: loaded.via };
  }
  return null;
}

/** `require(...)`, `import(...)`: how a message names the loader. */
export function formatLoader(via: ModuleLoader): string {
  return via === 'import()' ? 'import(...)' : `${via}(...)`;
}

function isTypeOnlyClause(clause: ts.ImportClause): boolean {
  return clause.isTypeOnly;
}

/** `node:fs/promises` -> `fs/promises`. */
export function stripNodePrefix(specifier: string): string {
  return specifier.startsWith('node:') ? specifier.slice(5) : specifier;
}

/** True when `specifier` is `module` or one of its sub-paths (`fs` covers `fs/promises`, `node:fs`). */
export function specifierMatchesModule(specifier: string, module: string): boolean {
  const s = stripNodePrefix(specifier);
  const m = stripNodePrefix(module);
  if (m.endsWith('/*')) return s.startsWith(m.slice(0, -1));
  return s === m || s.startsWith(`${m}/`);
}
