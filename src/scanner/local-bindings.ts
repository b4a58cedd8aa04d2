import { ts } from '../ast/syntax.js';

function hasModifier(node: ts.Node, kind: ts.SyntaxKind): boolean {
  return ts.canHaveModifiers(node) && (ts.getModifiers(node) ?? []).some((m) => m.kind === kind);
}

function addBindingNames(name: ts.BindingName, into: Set<string>): void {
  if (ts.isIdentifier(name)) into.add(name.text);
  else for (const element of name.elements) if (!ts.isOmittedExpression(element)) addBindingNames(element.name, into);
}

/** A declaration that creates a run-time binding: not `declare`, not a type, not a `const enum` (erased), not an overload signature. */
function isRuntimeDeclaration(node: ts.Node): boolean {
  if (hasModifier(node, ts.SyntaxKind.DeclareKeyword)) return false;
  if (ts.isFunctionDeclaration(node)) return node.body !== undefined;
  if (ts.isEnumDeclaration(node)) return !hasModifier(node, ts.SyntaxKind.ConstKeyword);
  return true;
}

/** Names a statement list declares with block scope: let/const, classes, functions (block-scoped, as in strict code), enums. */
function addLexical(statements: readonly ts.Statement[], into: Set<string>): void {
  for (const s of statements) {
    if (!isRuntimeDeclaration(s)) continue;
    if (ts.isVariableStatement(s) && (s.declarationList.flags & ts.NodeFlags.BlockScoped) !== 0) {
      for (const d of s.declarationList.declarations) addBindingNames(d.name, into);
    } else if ((ts.isFunctionDeclaration(s) || ts.isClassDeclaration(s) || ts.isEnumDeclaration(s)) && s.name && ts.isIdentifier(s.name)) {
      into.add(s.name.text);
    }
  }
}

/** `var` names anywhere under `root`, not inside nested functions (they hoist to the function or file). Iterative: depth costs no stack. */
function addVars(root: ts.Node, into: Set<string>): void {
  const stack: ts.Node[] = [];
  ts.forEachChild(root, (c) => {
    stack.push(c);
  });
  for (let node = stack.pop(); node !== undefined; node = stack.pop()) {
    if (ts.isFunctionLike(node) || ts.isClassLike(node)) continue;
    if (ts.isVariableStatement(node) && !isRuntimeDeclaration(node)) continue;
    if (ts.isVariableDeclarationList(node) && (node.flags & ts.NodeFlags.BlockScoped) === 0) {
      for (const d of node.declarations) addBindingNames(d.name, into);
    }
    ts.forEachChild(node, (c) => {
      stack.push(c);
    });
  }
}

/** The names a scope-creating node declares for code inside it (imports excluded: see createLocalBindings). */
function declaredIn(node: ts.Node): Set<string> {
  const names = new Set<string>();
  if (ts.isSourceFile(node)) {
    addLexical(node.statements, names);
    addVars(node, names);
  } else if (ts.isBlock(node) || ts.isModuleBlock(node)) addLexical(node.statements, names);
  else if (ts.isCaseBlock(node)) for (const clause of node.clauses) addLexical(clause.statements, names);
  else if (ts.isCatchClause(node)) {
    if (node.variableDeclaration) addBindingNames(node.variableDeclaration.name, names);
  } else if (ts.isForStatement(node) || ts.isForInStatement(node) || ts.isForOfStatement(node)) {
    const init = node.initializer;
    if (init && ts.isVariableDeclarationList(init) && (init.flags & ts.NodeFlags.BlockScoped) !== 0) for (const d of init.declarations) addBindingNames(d.name, names);
  } else if (ts.isFunctionLike(node)) {
    for (const p of node.parameters) addBindingNames(p.name, names);
    if ((ts.isFunctionExpression(node)) && node.name) names.add(node.name.text);
    if ('body' in node && node.body) addVars(node.body, names);
  } else if (ts.isClassLike(node) && node.name) names.add(node.name.text);
  return names;
}

/**
 * Answers "does a local declaration hide the global `name` here?" for a node, given the
 * walker's ancestor stack. Bindings per scope are computed on first use and cached, so only
 * files that reference a watched name pay for it. Imports are not counted: an imported
 * name is the thing a rule like `forbidden-call` of `runInSandbox` looks for. Function
 * declarations count in their block only (strict semantics), so a declaration in a nested
 * block never hides a call outside it.
 */
export function createLocalBindings(): (ancestors: readonly ts.Node[], name: string) => boolean {
  const cache = new WeakMap<ts.Node, Set<string>>();
  return (ancestors, name) => {
    for (let i = ancestors.length - 1; i >= 0; i--) {
      const scope = ancestors[i];
      if (scope === undefined) continue;
      let names = cache.get(scope);
      if (!names) cache.set(scope, (names = declaredIn(scope)));
      if (names.has(name)) return true;
    }
    return false;
  };
}
