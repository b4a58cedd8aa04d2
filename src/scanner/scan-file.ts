import { closeSync, constants, fstatSync, openSync, readFileSync } from 'node:fs';
import { parseSource, type ParsedSource } from '../ast/parse-source.js';
import { ts } from '../ast/syntax.js';
import { describeFileType, describeFsError } from './collect-files.js';
import { applySuppressions, parseSuppressions } from './suppressions.js';
import type { ActiveRule, FileContext, Finding, NodeVisitor, NodeVisitors, ReportDescriptor, Severity } from './types.js';

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

/** Excerpts longer than this are cut to a window around the finding (minified code has lines of megabytes). */
const EXCERPT_MAX = 200;
/** Flagged text longer than this is not copied into the finding's snippet. */
export const SNIPPET_MAX = 1000;

/** The line holding `start`, trimmed; on a long line, a window of it that begins shortly before `start`. */
function excerptAt(text: string, lineStart: number, start: number): string {
  const nl = text.indexOf('\n', start);
  const lineEnd = nl === -1 ? text.length : nl;
  const line = text.slice(lineStart, lineEnd).trim();
  if (line.length <= EXCERPT_MAX) return line;
  const from = Math.max(lineStart, start - 60);
  const to = Math.min(lineEnd, from + EXCERPT_MAX);
  return `${from > lineStart ? '…' : ''}${text.slice(from, to).trim()}${to < lineEnd ? '…' : ''}`;
}

/** Builds a finding at a span, with 1-based line/column, the line (or a window of it) as excerpt, and the flagged text as snippet. */
export function createFinding(text: string, locate: LineLocator, file: string, rule: string, kind: string, severity: Severity, message: string, start: number, end: number): Finding {
  const s = locate(start);
  const excerpt = excerptAt(text, s.lineStart, start);
  const e = locate(Math.max(start, end));
  const snippet = end - start <= SNIPPET_MAX ? text.slice(start, Math.max(start, end)) : '';
  return { rule, kind, severity, message, file, line: s.line, column: s.column, end_line: e.line, end_column: e.column, excerpt, snippet };
}

/** True when the text looks binary (a NUL in its first 8 K characters, as git decides). */
function isBinary(text: string): boolean {
  const nul = text.indexOf('\0');
  return nul !== -1 && nul < 8192;
}

function engineFinding(file: string, rule: string, message: string, line = 1, column = 1, excerpt = ''): Finding {
  return { rule, kind: rule, severity: 'error', message, file, line, column, end_line: line, end_column: column, excerpt, snippet: '' };
}

/** A `skipped-file` finding: the path could not be checked, and a file nobody checked must not pass silently. */
export function skippedFinding(file: string, why: string): Finding {
  return engineFinding(file, 'skipped-file', why);
}

/** V8's stack overflow: code nested deeper than a recursive parser or walker can follow. */
function isStackOverflow(error: unknown): boolean {
  return error instanceof RangeError && /call stack/i.test(error.message);
}

// O_NONBLOCK makes opening a FIFO return at once instead of waiting for a writer (it changes
// nothing for regular files); fstat on the open descriptor then tells what was opened, so a
// file swapped for a FIFO between listing and reading is never read either.
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0);

/** The file's text, or why it was not read (permission, not a regular file, too large); never blocks on a FIFO. */
export function readSource(absolutePath: string): { text: string } | { skipped: string } {
  let fd: number;
  try {
    fd = openSync(absolutePath, OPEN_FLAGS);
  } catch (error) {
    return { skipped: `could not be read: ${describeFsError(error)}; not checked` };
  }
  try {
    const info = fstatSync(fd);
    if (!info.isFile()) return { skipped: `${describeFileType(info)}, not a regular file; not read` };
    return { text: readFileSync(fd, 'utf8') };
  } catch (error) {
    return { skipped: `could not be read: ${describeFsError(error)}; not checked` };
  } finally {
    closeSync(fd);
  }
}

/**
 * Scans one file: read once, parse once, one walk dispatching each node to every rule's
 * visitor for its kind. A file that cannot be read or parsed becomes a finding, never a crash.
 */
export function scanFile(absolutePath: string, file: string, rules: readonly ActiveRule[], services: FileServices, honourSuppressions = true): Finding[] {
  const read = readSource(absolutePath);
  if ('skipped' in read) return [skippedFinding(file, read.skipped)];
  // A byte-order mark is not part of the code: columns on line 1 count from after it (as ESLint's do).
  const text = read.text.charCodeAt(0) === 0xfeff ? read.text.slice(1) : read.text;
  if (isBinary(text)) return [engineFinding(file, 'parse-error', 'binary file (it contains NUL bytes); not parsed')];
  let parsed: ParsedSource;
  try {
    parsed = parseSource(file, text);
  } catch (error) {
    if (!isStackOverflow(error)) throw error;
    return [skippedFinding(file, 'nested too deeply for the parser (it ran out of stack); not checked')];
  }
  const { sourceFile, syntaxErrors } = parsed;
  const locate = createLineLocator(text);
  const firstError = syntaxErrors[0];
  if (firstError) {
    return [createFinding(text, locate, file, 'parse-error', 'parse-error', 'error', `syntax error: ${firstError.message}`, firstError.start, firstError.start)];
  }
  const findings: Finding[] = [];
  try {
    walkWithRules(text, sourceFile, locate, file, rules, services, findings);
  } catch (error) {
    if (isStackOverflow(error)) findings.push(skippedFinding(file, 'nested too deeply to check (the rules ran out of stack); not fully checked'));
    else {
      // A rule threw on this tree: a bug, but the scan of every other file goes on.
      const message = error instanceof Error ? error.message : String(error);
      findings.push(engineFinding(file, 'internal-error', `a rule failed on this file (a bug in toolsmith, please report it): ${message}`));
    }
  }
  if (!honourSuppressions) return findings;
  const { kept, problems } = applySuppressions(file, findings, parseSuppressions(text));
  return [...kept, ...problems];
}

/** Nesting depth up to which the walk recurses; see walkWithRules. */
const RECURSION_DEPTH = 400;

// eslint-disable-next-line max-lines-per-function -- the dispatch tables and the walk share one scope: the hot loop of the scanner
function walkWithRules(text: string, sourceFile: ts.SourceFile, locate: LineLocator, file: string, rules: readonly ActiveRule[], services: FileServices, findings: Finding[]): void {
  const enter: Array<NodeVisitor[] | undefined> = [];
  const exit: Array<NodeVisitor[] | undefined> = [];
  const ancestors: ts.Node[] = [];
  const ends: Array<() => void> = [];
  const add = (table: Array<NodeVisitor[] | undefined>, visitors: NodeVisitors | undefined) => {
    if (!visitors) return;
    for (const [kind, fn] of Object.entries(visitors)) {
      // safe: the walk calls the visitors of a kind only with nodes of that kind (node.kind indexes the table)
      if (fn) (table[Number(kind)] ??= []).push(fn as NodeVisitor);
    }
  };
  for (const rule of rules) {
    const context: FileContext = {
      file,
      sourceFile,
      ancestors,
      shared: services.sharedOf(rule),
      packageSpec: () => services.packageSpec(file),
      resolveImport: (specifier) => services.resolveImport(file, specifier),
      report: (d: ReportDescriptor) => {
        const template = rule.message ?? rule.meta.messages[d.messageId] ?? d.messageId;
        const [start, end] = 'kind' in d.target ? [d.target.getStart(sourceFile), d.target.getEnd()] : [d.target.start, d.target.end];
        findings.push(createFinding(text, locate, file, rule.id, rule.meta.kind, rule.severity, format(template, d.data), start, end));
      },
    };
    const visitors = rule.create(context);
    add(enter, visitors.enter);
    add(exit, visitors.exit);
    if (visitors.end) ends.push(visitors.end);
  }
  const hasExit = exit.length > 0;
  // Below RECURSION_DEPTH the walk recurses (fastest); deeper subtrees (a chain of thousands of
  // `+`, which the parser builds in a loop) continue from an explicit stack, with the same
  // order of visits and the same ancestors, so no tree the parser accepted overflows the walk.
  const children: ts.Node[] = [];
  const collect = (child: ts.Node): undefined => {
    children.push(child);
    return undefined;
  };
  const walkDeep = (root: ts.Node) => {
    const stack: Array<ts.Node | null> = []; // null: leave the node on top of `ancestors`
    const pushChildren = (node: ts.Node) => {
      children.length = 0;
      ts.forEachChild(node, collect);
      for (let i = children.length - 1; i >= 0; i--) stack.push(children[i] ?? null);
    };
    pushChildren(root);
    for (let node = stack.pop(); node !== undefined; node = stack.pop()) {
      if (node === null) {
        const left = ancestors.pop();
        const x = hasExit && left ? exit[left.kind] : undefined;
        if (x && left) for (const fn of x) fn(left);
        continue;
      }
      const e = enter[node.kind];
      if (e) for (const fn of e) fn(node);
      ancestors.push(node);
      stack.push(null);
      pushChildren(node);
    }
  };
  const visit = (node: ts.Node): undefined => {
    const e = enter[node.kind];
    if (e) for (const fn of e) fn(node);
    ancestors.push(node);
    if (ancestors.length < RECURSION_DEPTH) ts.forEachChild(node, visit);
    else walkDeep(node);
    ancestors.pop();
    return undefined;
  };
  // Exit visitors are rare: the walker that looks them up runs only when some rule has one.
  if (!hasExit) visit(sourceFile);
  else {
    const walk = (node: ts.Node): undefined => {
      const e = enter[node.kind];
      if (e) for (const fn of e) fn(node);
      ancestors.push(node);
      if (ancestors.length < RECURSION_DEPTH) ts.forEachChild(node, walk);
      else walkDeep(node);
      ancestors.pop();
      const x = exit[node.kind];
      if (x) for (const fn of x) fn(node);
      return undefined;
    };
    walk(sourceFile);
  }
  for (const end of ends) end();
}
