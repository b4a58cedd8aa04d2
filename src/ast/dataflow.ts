import ts from './typescript.cjs';
import { unwrapParentheses } from './normalize-syntax.js';

// Read once: every `ts.X` is a getter call on the typescript module object, too slow for per-node use.
const { NodeFlags, SyntaxKind, forEachChild, isArrayLiteralExpression, isArrowFunction, isBinaryExpression, isBlock, isBreakOrContinueStatement, isCaseBlock, isCatchClause, isClassDeclaration, isClassExpression, isClassStaticBlockDeclaration, isComputedPropertyName, isConstructorDeclaration, isElementAccessExpression, isEnumDeclaration, isForInStatement, isForOfStatement, isForStatement, isFunctionDeclaration, isFunctionExpression, isGetAccessorDeclaration, isIdentifier, isImportDeclaration, isInterfaceDeclaration, isLabeledStatement, isMethodDeclaration, isNamespaceImport, isNonNullExpression, isObjectLiteralExpression, isOmittedExpression, isPostfixUnaryExpression, isPrefixUnaryExpression, isPropertyAccessExpression, isPropertyAssignment, isPropertyDeclaration, isQualifiedName, isSetAccessorDeclaration, isShorthandPropertyAssignment, isSpreadAssignment, isSpreadElement, isTypeAliasDeclaration, isTypeNode, isTypeParameterDeclaration, isVariableDeclarationList, isVariableStatement } = ts;

/**
 * One data-flow edge between variables, named canonically: local bindings as `#0`, `#1`, ...
 * in order of first occurrence (so consistent renaming changes nothing), globals by name.
 * - `computedFrom`: a definition of `target` reads `source` (`x = a + b` gives x <- a, x <- b);
 * - `comesFrom`: a use of `target` reads its definition number `source` (`#0@2`: the second
 *   assignment of #0 that precedes the use in execution order).
 */
export interface DataflowEdge {
  kind: 'computedFrom' | 'comesFrom';
  target: string;
  source: string;
}

/** A local variable's definitions (`d`) and uses (`u`) in order. */
export interface VariableFlow {
  name: string;
  events: string;
}

export interface DataflowGraph {
  edges: DataflowEdge[];
  variables: VariableFlow[];
}

interface Binding {
  name: string;
  canonical: string | undefined;
  defs: number;
  events: string;
  global: boolean;
}

type Scope = { vars: Map<string, Binding>; parent: Scope | undefined; fn: boolean };

const ASSIGNMENTS = new Set([
  SyntaxKind.EqualsToken, SyntaxKind.PlusEqualsToken, SyntaxKind.MinusEqualsToken, SyntaxKind.AsteriskEqualsToken,
  SyntaxKind.AsteriskAsteriskEqualsToken, SyntaxKind.SlashEqualsToken, SyntaxKind.PercentEqualsToken,
  SyntaxKind.LessThanLessThanEqualsToken, SyntaxKind.GreaterThanGreaterThanEqualsToken, SyntaxKind.GreaterThanGreaterThanGreaterThanEqualsToken,
  SyntaxKind.AmpersandEqualsToken, SyntaxKind.BarEqualsToken, SyntaxKind.CaretEqualsToken,
  SyntaxKind.BarBarEqualsToken, SyntaxKind.AmpersandAmpersandEqualsToken, SyntaxKind.QuestionQuestionEqualsToken,
]);

const K = ts.SyntaxKind;
/** The node kinds the visit* handlers below deal with (checked first: most nodes are none of them). */
const HANDLED = new Set<ts.SyntaxKind>([
  K.VariableDeclarationList, K.FunctionDeclaration, K.ClassDeclaration, K.EnumDeclaration, K.FunctionExpression, K.ArrowFunction,
  K.MethodDeclaration, K.Constructor, K.GetAccessor, K.SetAccessor, K.ClassExpression, K.ImportDeclaration,
  K.Block, K.CaseBlock, K.ForStatement, K.ForOfStatement, K.ForInStatement, K.CatchClause, K.LabeledStatement, K.BreakStatement, K.ContinueStatement,
  K.PropertyAccessExpression, K.QualifiedName, K.PropertyAssignment, K.ShorthandPropertyAssignment, K.BinaryExpression, K.PrefixUnaryExpression, K.PostfixUnaryExpression,
]);

/**
 * Definition-use data flow of a program, scope-aware (let/const/class by block, var and
 * functions by function, parameters, catch and loop bindings). Reaching definitions are
 * approximated by the latest definition in execution order of straight-line code (a `for`
 * loop's update runs after its body); branches are not merged. Types carry no data flow.
 */
export function extractDataflow(sourceFile: ts.SourceFile): DataflowGraph {
  return new DataflowWalker().run(sourceFile);
}

class DataflowWalker {
  private readonly edges: DataflowEdge[] = [];
  private readonly locals: Binding[] = [];
  private readonly globals = new Map<string, Binding>();
  private readonly collectors: Binding[][] = [];
  private named = 0;
  private scope: Scope = { vars: new Map(), parent: undefined, fn: true };
  /** visit as a forEachChild callback (returns nothing, so the walk never stops early). */
  private readonly visitChild = (child: ts.Node): void => {
    this.visit(child);
  };

  run(sourceFile: ts.SourceFile): DataflowGraph {
    this.hoist(sourceFile.statements);
    sourceFile.statements.forEach((s) => this.visit(s));
    const variables = this.locals.filter((b) => b.canonical !== undefined).map((b) => ({ name: this.canonical(b), events: b.events }));
    return { edges: this.edges, variables };
  }

  private canonical(binding: Binding): string {
    binding.canonical ??= `#${this.named++}`;
    return binding.canonical;
  }

  private declare(name: string, functionScoped = false): Binding {
    let scope = this.scope;
    while (functionScoped && !scope.fn && scope.parent) scope = scope.parent;
    let binding = scope.vars.get(name);
    if (!binding) {
      binding = { name, canonical: undefined, defs: 0, events: '', global: false };
      scope.vars.set(name, binding);
      this.locals.push(binding);
    }
    return binding;
  }

  private resolve(name: string): Binding {
    for (let s: Scope | undefined = this.scope; s; s = s.parent) {
      const found = s.vars.get(name);
      if (found) return found;
    }
    let global = this.globals.get(name);
    if (!global) this.globals.set(name, (global = { name, canonical: name, defs: 0, events: '', global: true }));
    return global;
  }

  private use(identifier: ts.Identifier): Binding {
    const binding = this.resolve(identifier.text);
    for (const collector of this.collectors) collector.push(binding);
    if (!binding.global) {
      binding.events += 'u';
      const name = this.canonical(binding);
      this.edges.push({ kind: 'comesFrom', target: name, source: `${name}@${binding.defs}` });
    }
    return binding;
  }

  private define(binding: Binding, sources: readonly Binding[]): void {
    if (binding.global) return; // assigning an undeclared name: no local to follow
    const target = this.canonical(binding);
    binding.defs++;
    binding.events += 'd';
    const seen = new Set<string>();
    for (const source of sources) {
      const name = source.global ? source.name : this.canonical(source);
      if (seen.has(name)) continue;
      seen.add(name);
      this.edges.push({ kind: 'computedFrom', target, source: name });
    }
  }

  /** Visits `node` collecting every variable it reads. */
  private collect(node: ts.Node | undefined): Binding[] {
    const sources: Binding[] = [];
    if (!node) return sources;
    this.collectors.push(sources);
    try {
      this.visit(node);
    } finally {
      this.collectors.pop();
    }
    return sources;
  }

  private inScope(fn: boolean, body: () => void): void {
    const saved = this.scope;
    this.scope = { vars: new Map(), parent: saved, fn };
    try {
      body();
    } finally {
      this.scope = saved;
    }
  }

  /** Declares a block's let/const/class/function bindings (and var, function-wide) before it runs. */
  private hoist(statements: readonly ts.Statement[]): void {
    for (const statement of statements) {
      if ((isFunctionDeclaration(statement) || isClassDeclaration(statement) || isEnumDeclaration(statement)) && statement.name) this.declare(statement.name.text, isFunctionDeclaration(statement));
      else if (isVariableStatement(statement)) {
        const functionScoped = (statement.declarationList.flags & NodeFlags.BlockScoped) === 0;
        for (const d of statement.declarationList.declarations) for (const name of bindingNames(d.name)) this.declare(name.text, functionScoped);
      } else if (isImportDeclaration(statement)) for (const name of importNames(statement)) this.declare(name.text);
    }
  }

  private visit(node: ts.Node): void {
    node = unwrapParentheses(node);
    if (isIdentifier(node)) {
      this.use(node);
      return;
    }
    if (HANDLED.has(node.kind) && (this.visitDeclaration(node) || this.visitFlow(node) || this.visitExpression(node))) return;
    if (isTypeNode(node) || isInterfaceDeclaration(node) || isTypeAliasDeclaration(node) || isTypeParameterDeclaration(node)) return;
    forEachChild(node, this.visitChild);
  }

  private visitDeclaration(node: ts.Node): boolean {
    if (isVariableDeclarationList(node)) {
      const functionScoped = (node.flags & NodeFlags.BlockScoped) === 0;
      for (const d of node.declarations) {
        const sources = this.collect(d.initializer);
        for (const name of bindingNames(d.name)) this.define(this.declare(name.text, functionScoped), sources);
        visitPatternDefaults(d.name, (n) => this.visit(n));
      }
      return true;
    }
    if (isFunctionDeclaration(node) || isClassDeclaration(node) || isEnumDeclaration(node)) {
      if (node.name) this.define(this.declare(node.name.text, isFunctionDeclaration(node)), []);
      if (isFunctionDeclaration(node)) this.visitFunction(node);
      else if (isClassDeclaration(node)) this.visitClassBody(node);
      return true;
    }
    if (isFunctionExpression(node) || isArrowFunction(node) || isMethodDeclaration(node) || isConstructorDeclaration(node) || isGetAccessorDeclaration(node) || isSetAccessorDeclaration(node)) {
      if (node.name && isComputedPropertyName(node.name)) this.visit(node.name.expression);
      const ownName = isFunctionExpression(node) ? node.name : undefined;
      if (ownName) this.inScope(false, () => {
        this.define(this.declare(ownName.text), []);
        this.visitFunction(node);
      });
      else this.visitFunction(node);
      return true;
    }
    if (isClassExpression(node)) {
      this.visitClassBody(node);
      return true;
    }
    if (isImportDeclaration(node)) {
      for (const name of importNames(node)) this.define(this.declare(name.text), []);
      return true;
    }
    return false;
  }

  private visitFunction(node: ts.SignatureDeclaration): void {
    this.inScope(true, () => {
      for (const p of node.parameters) {
        const sources = this.collect(p.initializer);
        for (const name of bindingNames(p.name)) this.define(this.declare(name.text), sources);
        visitPatternDefaults(p.name, (n) => this.visit(n));
      }
      const body = (node as ts.FunctionLikeDeclaration).body; // safe: signatures without a body have none
      if (body && isBlock(body)) {
        this.hoist(body.statements);
        body.statements.forEach((s) => this.visit(s));
      } else if (body) this.visit(body);
    });
  }

  private visitClassBody(node: ts.ClassLikeDeclaration): void {
    for (const clause of node.heritageClauses ?? []) for (const type of clause.types) this.visit(type.expression);
    for (const member of node.members) {
      if (member.name && isComputedPropertyName(member.name)) this.visit(member.name.expression);
      if (isPropertyDeclaration(member)) this.collect(member.initializer);
      else if (isClassStaticBlockDeclaration(member)) this.visit(member.body);
      else this.visit(member);
    }
  }

  private visitFlow(node: ts.Node): boolean {
    if (isBlock(node) || isCaseBlock(node)) {
      this.inScope(false, () => {
        const statements = isBlock(node) ? node.statements : node.clauses.flatMap((c) => [...c.statements]);
        this.hoist(statements);
        forEachChild(node, this.visitChild);
      });
      return true;
    }
    if (isForStatement(node)) {
      // Execution order: initializer, condition, body, then the update.
      this.inScope(false, () => [node.initializer, node.condition, node.statement, node.incrementor].forEach((n) => n && this.visit(n)));
      return true;
    }
    if (isForOfStatement(node) || isForInStatement(node)) {
      this.inScope(false, () => {
        const sources = this.collect(node.expression);
        for (const target of assignmentTargets(node.initializer)) this.define(this.resolveOrDeclare(target, node.initializer), sources);
        this.visit(node.statement);
      });
      return true;
    }
    if (isCatchClause(node)) {
      this.inScope(false, () => {
        if (node.variableDeclaration) for (const name of bindingNames(node.variableDeclaration.name)) this.define(this.declare(name.text), []);
        this.visit(node.block);
      });
      return true;
    }
    if (isLabeledStatement(node)) this.visit(node.statement);
    return isLabeledStatement(node) || isBreakOrContinueStatement(node);
  }

  private resolveOrDeclare(name: ts.Identifier, initializer: ts.ForInitializer): Binding {
    if (isVariableDeclarationList(initializer)) return this.declare(name.text, (initializer.flags & NodeFlags.BlockScoped) === 0);
    return this.resolve(name.text);
  }

  private visitExpression(node: ts.Node): boolean {
    if (isPropertyAccessExpression(node)) this.visit(node.expression);
    else if (isQualifiedName(node)) this.visit(node.left);
    else if (isPropertyAssignment(node)) {
      if (isComputedPropertyName(node.name)) this.visit(node.name.expression);
      this.visit(node.initializer);
    } else if (isShorthandPropertyAssignment(node)) this.use(node.name);
    else if (isBinaryExpression(node) && ASSIGNMENTS.has(node.operatorToken.kind)) this.visitAssignment(node.left, node.right, node.operatorToken.kind !== SyntaxKind.EqualsToken);
    else if ((isPrefixUnaryExpression(node) || isPostfixUnaryExpression(node)) && (node.operator === SyntaxKind.PlusPlusToken || node.operator === SyntaxKind.MinusMinusToken)) this.visitAssignment(node.operand, undefined, true);
    else return false;
    return true;
  }

  /** `left = right`, `left op= right`, `left++`: the targets read the right side (and themselves when compound). */
  private visitAssignment(left: ts.Expression, right: ts.Expression | undefined, compound: boolean): void {
    const target = unwrapParentheses(left);
    const sources = compound ? this.collect(target) : [];
    sources.push(...this.collect(right));
    if (isArrayLiteralExpression(target) || isObjectLiteralExpression(target)) {
      for (const name of assignmentTargets(target)) this.define(this.resolve(name.text), sources);
      return;
    }
    if (isIdentifier(target)) {
      this.define(this.resolve(target.text), sources);
      return;
    }
    // `a.b = x`, `a[i] = x`: the object `a` changes; the key expressions are read.
    if (!compound) sources.push(...this.collect(target));
    const root = rootIdentifier(target);
    if (root) this.define(this.resolve(root.text), sources);
  }
}

/** The names a binding pattern declares, in source order. */
function bindingNames(name: ts.BindingName): ts.Identifier[] {
  if (isIdentifier(name)) return [name];
  return name.elements.flatMap((e) => (isOmittedExpression(e) ? [] : bindingNames(e.name)));
}

function visitPatternDefaults(name: ts.BindingName, visit: (node: ts.Node) => void): void {
  if (isIdentifier(name)) return;
  for (const e of name.elements) {
    if (isOmittedExpression(e)) continue;
    if (e.propertyName && isComputedPropertyName(e.propertyName)) visit(e.propertyName.expression);
    if (e.initializer) visit(e.initializer);
    visitPatternDefaults(e.name, visit);
  }
}

/** The variables an assignment target writes: `x`, `[a, b]`, `{ a, b: c }`, `let x` in for-of. */
function assignmentTargets(node: ts.Node): ts.Identifier[] {
  node = unwrapParentheses(node);
  if (isIdentifier(node)) return [node];
  if (isVariableDeclarationList(node)) return node.declarations.flatMap((d) => bindingNames(d.name));
  if (isArrayLiteralExpression(node)) return node.elements.flatMap((e) => assignmentTargets(e));
  if (isObjectLiteralExpression(node)) {
    return node.properties.flatMap((p) => (isShorthandPropertyAssignment(p) ? [p.name] : isPropertyAssignment(p) ? assignmentTargets(p.initializer) : isSpreadAssignment(p) ? assignmentTargets(p.expression) : []));
  }
  if (isSpreadElement(node)) return assignmentTargets(node.expression);
  if (isBinaryExpression(node) && node.operatorToken.kind === SyntaxKind.EqualsToken) return assignmentTargets(node.left);
  return [];
}

function rootIdentifier(node: ts.Node): ts.Identifier | undefined {
  let current: ts.Node = unwrapParentheses(node);
  while (isPropertyAccessExpression(current) || isElementAccessExpression(current) || isNonNullExpression(current)) current = unwrapParentheses(current.expression);
  return isIdentifier(current) ? current : undefined;
}

function importNames(node: ts.ImportDeclaration): ts.Identifier[] {
  const clause = node.importClause;
  if (!clause) return [];
  const names = clause.name ? [clause.name] : [];
  const bindings = clause.namedBindings;
  if (bindings && isNamespaceImport(bindings)) names.push(bindings.name);
  else if (bindings) for (const element of bindings.elements) names.push(element.name);
  return names;
}
