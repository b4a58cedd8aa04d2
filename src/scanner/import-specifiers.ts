import { ts } from '../ast/syntax.js';

/** One module reference in source: where, what, and whether it exists only for types. */
export interface ModuleReference {
  node: ts.Node;
  /** The specifier text, or null when it is not a string literal (`require(name)`). */
  specifier: string | null;
  typeOnly: boolean;
  via: 'import' | 'export' | 'require' | 'import()' | 'import-equals';
}

/** The SyntaxKinds that can carry a module reference (for visitor tables). */
export const MODULE_REFERENCE_KINDS = [
  ts.SyntaxKind.ImportDeclaration,
  ts.SyntaxKind.ExportDeclaration,
  ts.SyntaxKind.ImportEqualsDeclaration,
  ts.SyntaxKind.CallExpression,
] as const;

function literalText(node: ts.Node | undefined): string | null {
  if (node && (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node))) return node.text;
  return null;
}

/**
 * The module reference a node makes, if any: static `import` / `export ... from`,
 * `import x = require()`, `require()` and `import()`. `import type` and `export type` are
 * marked typeOnly (they vanish at run time).
 */
export function moduleReferenceOf(node: ts.Node): ModuleReference | null {
  if (ts.isImportDeclaration(node)) {
    const clause = node.importClause;
    // `import type` erases; in TS 5+ isTypeOnly is the clause flag (phaseModifier in newer typings).
    const typeOnly = clause !== undefined && isTypeOnlyClause(clause);
    return { node: node.moduleSpecifier, specifier: literalText(node.moduleSpecifier), typeOnly, via: 'import' };
  }
  if (ts.isExportDeclaration(node)) {
    if (!node.moduleSpecifier) return null;
    return { node: node.moduleSpecifier, specifier: literalText(node.moduleSpecifier), typeOnly: node.isTypeOnly, via: 'export' };
  }
  if (ts.isImportEqualsDeclaration(node)) {
    if (!ts.isExternalModuleReference(node.moduleReference)) return null;
    const expr = node.moduleReference.expression;
    return { node: expr, specifier: literalText(expr), typeOnly: node.isTypeOnly, via: 'import-equals' };
  }
  if (ts.isCallExpression(node)) {
    const isImport = node.expression.kind === ts.SyntaxKind.ImportKeyword;
    const isRequire = ts.isIdentifier(node.expression) && node.expression.text === 'require';
    if (!isImport && !isRequire) return null;
    const arg = node.arguments[0];
    return { node: arg ?? node, specifier: literalText(arg), typeOnly: false, via: isImport ? 'import()' : 'require' };
  }
  return null;
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
