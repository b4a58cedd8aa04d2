import type { z } from 'zod';
import type { ts } from '../ast/syntax.js';

export type { Finding, ScanResult, Severity } from '../models/scan-result.js';
import type { Severity } from '../models/scan-result.js';

/** A node or a raw span to report on. */
export type ReportTarget = ts.Node | { start: number; end: number };

export interface ReportDescriptor {
  target: ReportTarget;
  messageId: string;
  data?: Record<string, string | number>;
}

/** What a rule sees of the file being scanned (besides its options). */
export interface FileContext {
  /** Path relative to the scan root, `/`-separated. */
  readonly file: string;
  readonly sourceFile: ts.SourceFile;
  /** The nodes enclosing the node being visited, outermost first (the walker's stack; live). */
  readonly ancestors: readonly ts.Node[];
  /** State shared by every file this rule instance checks (for `finish`). */
  readonly shared: Record<string, unknown>;
  /** The parsed spec.json of the tool package holding this file, or null outside a package. */
  packageSpec(): { permissions: string[] } | null;
  /** Resolves a relative import specifier to a root-relative path (`.js` -> `.ts` when that exists). */
  resolveImport(specifier: string): string | null;
  report(descriptor: ReportDescriptor): void;
}

/** What a rule sees: the file, and its options as its own schema parsed them. */
export interface RuleContext<Options> extends FileContext {
  readonly options: Options;
}

/**
 * The node types the rules visit. A kind listed here hands its visitor that node's type; any
 * other kind hands `ts.Node` (add the type here when a rule needs it).
 */
type KnownNode =
  | ts.SourceFile
  | ts.Identifier
  | ts.CallExpression
  | ts.NewExpression
  | ts.PropertyAccessExpression
  | ts.ElementAccessExpression
  | ts.BinaryExpression
  | ts.PrefixUnaryExpression
  | ts.PostfixUnaryExpression
  | ts.ImportDeclaration
  | ts.ExportDeclaration
  | ts.ImportEqualsDeclaration
  | ts.ClassDeclaration
  | ts.ClassExpression;

/** The node type of a syntax kind (typescript-eslint's listener typing, for the compiler's own tree). */
export type NodeOfKind<K extends ts.SyntaxKind> = [Extract<KnownNode, { readonly kind: K }>] extends [never] ? ts.Node : Extract<KnownNode, { readonly kind: K }>;

/** Visitors keyed by syntax kind: the visitor for a kind receives that kind's node type. */
export type NodeVisitors = { [K in ts.SyntaxKind]?: (node: NodeOfKind<K>) => void };

/** A visitor as the walker calls it (any node of the kinds it was registered for). */
export type NodeVisitor = (node: ts.Node) => void;

/** Visitors keyed by SyntaxKind; `exit` ones run after the node's children. */
export interface RuleVisitors {
  enter?: NodeVisitors;
  exit?: NodeVisitors;
  /** Called once after the walk (file-level conclusions). */
  end?: () => void;
}

/** A finding without a place in a source file (e.g. "class not found"): reported on the config. */
export interface ProjectReport {
  messageId: string;
  data?: Record<string, string | number>;
}

/** What every rule kind declares about itself. */
export interface RuleMeta {
  kind: string;
  description: string;
  defaultSeverity: Severity;
  messages: Record<string, string>;
}

/** One declarative rule module (STYLE habit 7): metadata, an options schema and a visitor. */
export interface RuleModule<Options> extends RuleMeta {
  options: z.ZodType<Options>;
  create(context: RuleContext<Options>): RuleVisitors;
  /** After every file: findings about the project as a whole (e.g. the class was never found). */
  finish?(shared: Record<string, unknown>, options: Options): ProjectReport[];
}

/** Where and how a configured rule applies (from its entry in `scan.rules`). */
export interface RuleSettings {
  id: string;
  severity: Severity;
  message?: string;
  /** True when the rule checks this root-relative path. */
  appliesTo(file: string): boolean;
}

/** A configured rule ready to run: its settings, and its module with the options bound. */
export interface ActiveRule extends RuleSettings {
  meta: RuleMeta;
  create(context: FileContext): RuleVisitors;
  finish?(shared: Record<string, unknown>): ProjectReport[];
}

/**
 * A rule kind in the registry: its module with the options type sealed in. Options reach
 * `create` only through `activate`, parsed by the module's own schema, so no cast is needed.
 */
export interface RegisteredRule extends RuleMeta {
  /** The options schema (read by the docs meta-test). */
  readonly options: z.ZodType;
  activate(rawOptions: unknown, settings: RuleSettings): { ok: true; rule: ActiveRule } | { ok: false; issues: z.core.$ZodIssue[] };
}
