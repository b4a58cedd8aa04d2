import { readFileSync } from 'node:fs';
import { parseSource } from '../ast/parse-source.js';
import { ts } from '../ast/syntax.js';
import { applySuppressions, parseSuppressions } from './suppressions.js';
import type { ActiveRule, Finding, NodeVisitor, ReportDescriptor, RuleContext, Severity } from './types.js';

/** What the engine lends each file's rules: project-wide lookups and per-rule shared state. */
export interface FileServices {
  packageSpec(file: string): { permissions: string[] } | null;
  resolveImport(file: string, specifier: string): string | null;
  sharedOf(rule: ActiveRule): Record<string, unknown>;
}

function format(template: string, data: Record<string, string | number> = {}): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => (key in data ? String(data[key]) : whole));
}

/**
 * Line/column lookups for one file. Findings arrive mostly in text order, so a cursor that
 * counts newlines forward costs O(last position) per file, where ts's getLineAndCharacterOfPosition
 * first computes every line start (a full pass over each file that has a finding).
 */
export function createLineLocator(text: string): (pos: number) => { line: number; column: number; lineStart: number } {
  let cursor = 0;
  let line = 0;
  let lineStart = 0;
  return (pos) => {
    if (pos < cursor) {
      cursor = 0;
      line = 0;
      lineStart = 0;
    }
    for (let nl = text.indexOf('\n', cursor); nl !== -1 && nl < pos; nl = text.indexOf('\n', nl + 1)) {
      line++;
      lineStart = nl + 1;
    }
    cursor = Math.max(pos, lineStart);
    return { line: line + 1, column: pos - lineStart + 1, lineStart };
  };
}

type LineLocator = ReturnType<typeof createLineLocator>;

/** Builds a finding at a span, with 1-based line/column and the line's text as excerpt. */
export function createFinding(text: string, locate: LineLocator, file: string, rule: string, kind: string, severity: Severity, message: string, start: number, end: number): Finding {
  const s = locate(start);
  const lineEnd = text.indexOf('\n', start);
  const excerpt = text.slice(s.lineStart, lineEnd === -1 ? text.length : lineEnd).trim().slice(0, 200);
  const e = locate(Math.max(start, end));
  return { rule, kind, severity, message, file, line: s.line, column: s.column, end_line: e.line, end_column: e.column, excerpt };
}

/** True when the text looks binary (a NUL in its first 8 K characters, as git decides). */
function isBinary(text: string): boolean {
  const nul = text.indexOf('\0');
  return nul !== -1 && nul < 8192;
}

function engineFinding(file: string, rule: string, message: string, line = 1, column = 1, excerpt = ''): Finding {
  return { rule, kind: rule, severity: 'error', message, file, line, column, end_line: line, end_column: column, excerpt };
}

/**
 * Scans one file: read once, parse once, one walk dispatching each node to every rule's
 * visitor for its kind. A file that cannot be read as source becomes a finding, never a crash.
 */
export function scanFile(absolutePath: string, file: string, rules: readonly ActiveRule[], services: FileServices, honourSuppressions = true): Finding[] {
  const text = readFileSync(absolutePath, 'utf8');
  if (isBinary(text)) return [engineFinding(file, 'parse-error', 'binary file (it contains NUL bytes); not parsed')];
  const { sourceFile, syntaxErrors } = parseSource(file, text);
  const locate = createLineLocator(text);
  const firstError = syntaxErrors[0];
  if (firstError) {
    return [createFinding(text, locate, file, 'parse-error', 'parse-error', 'error', `syntax error: ${firstError.message}`, firstError.start, firstError.start)];
  }
  const findings: Finding[] = [];
  try {
    walkWithRules(sourceFile, locate, file, rules, services, findings);
  } catch (error) {
    // A rule threw on this tree: a bug, but the scan of every other file goes on.
    const message = error instanceof Error ? error.message : String(error);
    findings.push(engineFinding(file, 'internal-error', `a rule failed on this file (a bug in toolsmith, please report it): ${message}`));
  }
  if (!honourSuppressions) return findings;
  const { kept, problems } = applySuppressions(file, findings, parseSuppressions(text));
  return [...kept, ...problems];
}

function walkWithRules(sourceFile: ts.SourceFile, locate: LineLocator, file: string, rules: readonly ActiveRule[], services: FileServices, findings: Finding[]): void {
  const enter: Array<NodeVisitor[] | undefined> = [];
  const exit: Array<NodeVisitor[] | undefined> = [];
  const ancestors: ts.Node[] = [];
  const ends: Array<() => void> = [];
  const add = (table: Array<NodeVisitor[] | undefined>, visitors: Partial<Record<ts.SyntaxKind, NodeVisitor>> | undefined) => {
    if (!visitors) return;
    for (const kind in visitors) {
      const fn = visitors[kind as unknown as ts.SyntaxKind]; // safe: the keys of a visitor table are SyntaxKinds
      if (fn) (table[Number(kind)] ??= []).push(fn);
    }
  };
  for (const rule of rules) {
    const context: RuleContext<unknown> = {
      options: rule.options,
      file,
      sourceFile,
      ancestors,
      shared: services.sharedOf(rule),
      packageSpec: () => services.packageSpec(file),
      resolveImport: (specifier) => services.resolveImport(file, specifier),
      report: (d: ReportDescriptor) => {
        const template = rule.message ?? rule.module.messages[d.messageId] ?? d.messageId;
        const [start, end] = 'kind' in d.target ? [d.target.getStart(sourceFile), d.target.getEnd()] : [d.target.start, d.target.end];
        findings.push(createFinding(sourceFile.text, locate, file, rule.id, rule.module.kind, rule.severity, format(template, d.data), start, end));
      },
    };
    const visitors = rule.module.create(context);
    add(enter, visitors.enter);
    add(exit, visitors.exit);
    if (visitors.end) ends.push(visitors.end);
  }
  const visit = (node: ts.Node): undefined => {
    const e = enter[node.kind];
    if (e) for (const fn of e) fn(node);
    ancestors.push(node);
    ts.forEachChild(node, visit);
    ancestors.pop();
    return undefined;
  };
  // Exit visitors are rare: the walker that looks them up runs only when some rule has one.
  if (exit.length === 0) visit(sourceFile);
  else {
    const walk = (node: ts.Node): undefined => {
      const e = enter[node.kind];
      if (e) for (const fn of e) fn(node);
      ancestors.push(node);
      ts.forEachChild(node, walk);
      ancestors.pop();
      const x = exit[node.kind];
      if (x) for (const fn of x) fn(node);
      return undefined;
    };
    walk(sourceFile);
  }
  for (const end of ends) end();
}
