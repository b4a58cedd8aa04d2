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

/** What a rule sees of the file being scanned. */
export interface RuleContext<Options> {
  readonly options: Options;
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

export type NodeVisitor = (node: ts.Node) => void;

/** Visitors keyed by SyntaxKind; `exit` ones run after the node's children. */
export interface RuleVisitors {
  enter?: Partial<Record<ts.SyntaxKind, NodeVisitor>>;
  exit?: Partial<Record<ts.SyntaxKind, NodeVisitor>>;
  /** Called once after the walk (file-level conclusions). */
  end?: () => void;
}

/** A finding without a place in a source file (e.g. "class not found"): reported on the config. */
export interface ProjectReport {
  messageId: string;
  data?: Record<string, string | number>;
}

/** One declarative rule module (STYLE habit 7): metadata, an options schema and a visitor. */
export interface RuleModule<Options = unknown> {
  kind: string;
  description: string;
  defaultSeverity: Severity;
  messages: Record<string, string>;
  options: z.ZodType<Options>;
  create(context: RuleContext<Options>): RuleVisitors;
  /** After every file: findings about the project as a whole (e.g. the class was never found). */
  finish?(shared: Record<string, unknown>, options: Options): ProjectReport[];
}

/** A configured rule ready to run: the module, its parsed options, and where it applies. */
export interface ActiveRule {
  id: string;
  module: RuleModule<unknown>;
  options: unknown;
  severity: Severity;
  message?: string;
  /** True when the rule checks this root-relative path. */
  appliesTo(file: string): boolean;
}
