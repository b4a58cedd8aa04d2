import { existsSync } from 'node:fs';
import path from 'node:path';
import { collectFiles, type SourceFileRef } from './collect-files.js';
import { ENGINE_RULES } from './registry.js';
import { readSource, scanFile, skippedFinding, type FileServices } from './scan-file.js';
import type { ActiveRule, Finding, ScanResult } from './types.js';

export interface ScanOptions {
  /** The workspace root: findings' paths and globs are relative to it. */
  root: string;
  /** Files or folders to scan (relative to root or absolute); default: the root. */
  paths?: readonly string[];
  rules: readonly ActiveRule[];
  ignore: readonly string[];
  /** Where project-level findings (a class never found) point: the config file, root-relative. */
  configFile?: string;
  /** False: `toolsmith-disable-next-line` comments suppress nothing (validate's scan gate: the tool's author writes them). */
  honourSuppressions?: boolean;
}

/** Looks up spec.json of the tool package holding a file (nearest ancestor folder), cached per folder. */
function createSpecLookup(root: string): (file: string) => { permissions: string[] } | null {
  const cache = new Map<string, { permissions: string[] } | null>();
  const lookup = (dir: string): { permissions: string[] } | null => {
    const hit = cache.get(dir);
    if (hit !== undefined) return hit;
    let result: { permissions: string[] } | null = null;
    const specFile = path.join(root, dir, 'spec.json');
    if (existsSync(specFile)) {
      // A spec that cannot be read (unreadable, a FIFO, not JSON) grants nothing; `validate` reports the spec itself.
      const read = readSource(specFile);
      result = { permissions: [] };
      if ('text' in read) {
        try {
          // Only `permissions` is read, and it is checked element by element below.
          const spec = JSON.parse(read.text) as { permissions?: unknown };
          result = { permissions: Array.isArray(spec.permissions) ? spec.permissions.filter((p): p is string => typeof p === 'string') : [] };
        } catch {
          result = { permissions: [] };
        }
      }
    } else if (dir !== '.' && dir !== '' && !dir.startsWith('..')) result = lookup(path.posix.dirname(dir));
    cache.set(dir, result);
    return result;
  };
  return (file) => lookup(path.posix.dirname(file));
}

const EXTENSION_MAP: Record<string, string[]> = { '.js': ['.ts', '.tsx', '.js'], '.jsx': ['.tsx', '.jsx'], '.mjs': ['.mts', '.mjs'], '.cjs': ['.cts', '.cjs'] };
const BARE_SUFFIXES = ['.ts', '.tsx', '.js', '.mjs', '.d.ts', '/index.ts', '/index.js'];

/** Resolves relative specifiers to root-relative files the way NodeNext does (`./a.js` is `./a.ts` on disk). */
function createImportResolver(root: string): (file: string, specifier: string) => string | null {
  const exists = new Map<string, boolean>();
  const isFile = (rel: string) => {
    let hit = exists.get(rel);
    if (hit === undefined) exists.set(rel, (hit = existsSync(path.join(root, rel))));
    return hit;
  };
  return (file, specifier) => {
    if (!specifier.startsWith('.') && !specifier.startsWith('/')) return null;
    const target = specifier.startsWith('/') ? path.posix.normalize(toPosix(path.relative(root, specifier))) : path.posix.join(path.posix.dirname(file), specifier);
    const ext = path.posix.extname(target);
    const mapped = EXTENSION_MAP[ext];
    const candidates = mapped ? mapped.map((e) => target.slice(0, -ext.length) + e) : ext ? [target] : BARE_SUFFIXES.map((s) => target + s);
    return candidates.find(isFile) ?? target;
  };
}

function toPosix(p: string): string {
  return p.split(path.sep).join('/');
}

function compareFindings(a: Finding, b: Finding): number {
  return a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line || a.column - b.column || (a.rule < b.rule ? -1 : a.rule > b.rule ? 1 : 0);
}

/**
 * Scans files with the configured rules (SPEC 9). Each file is read and parsed once, and
 * walked once for all rules; rules that look for a class report when they never saw it.
 * @throws UserError when a named path does not exist
 */
export function scanProject(options: ScanOptions): ScanResult {
  const files: SourceFileRef[] = collectFiles(options.root, options.paths?.length ? options.paths : ['.'], options.ignore);
  return scanFileList(options.root, files, options.rules, options.configFile ?? 'toolsmith.config.json', options.honourSuppressions ?? true);
}

/** The engine over an explicit file list (the bench calls this with its corpus). */
export function scanFileList(root: string, files: readonly SourceFileRef[], rules: readonly ActiveRule[], configFile = 'toolsmith.config.json', honourSuppressions = true): ScanResult {
  const shared = new Map<ActiveRule, Record<string, unknown>>();
  const applied = new Set<ActiveRule>();
  const services: FileServices = {
    packageSpec: createSpecLookup(root),
    resolveImport: createImportResolver(root),
    sharedOf: (rule) => {
      let s = shared.get(rule);
      if (!s) shared.set(rule, (s = {}));
      return s;
    },
  };
  // Files with the same set of applicable rules share one array (most files in a repo do).
  const ruleSets = new Map<string, ActiveRule[]>();
  const findings: Finding[] = [];
  let skipped = 0;
  for (const f of files) {
    if (f.skipped !== undefined) {
      skipped++;
      findings.push(skippedFinding(f.relative, f.skipped));
      continue;
    }
    const active = rules.filter((r) => r.appliesTo(f.relative));
    const key = active.map((r) => r.id).join('\n');
    let set = ruleSets.get(key);
    if (!set) ruleSets.set(key, (set = active));
    for (const r of set) applied.add(r);
    const found = scanFile(f.absolute, f.relative, set, services, honourSuppressions);
    if (found.some((x) => x.rule === 'skipped-file')) skipped++;
    findings.push(...found);
  }
  for (const rule of applied) {
    for (const report of rule.finish?.(services.sharedOf(rule)) ?? []) {
      const template = rule.meta.messages[report.messageId] ?? report.messageId;
      const message = template.replace(/\{(\w+)\}/g, (whole, key: string) => String(report.data?.[key] ?? whole));
      findings.push({ rule: rule.id, kind: rule.meta.kind, severity: rule.severity, message, file: configFile, line: 1, column: 1, end_line: 1, end_column: 1, excerpt: '', snippet: '' });
    }
  }
  findings.sort(compareFindings);
  const errorCount = findings.filter((f) => f.severity === 'error').length;
  return {
    findings,
    files_scanned: files.length - skipped,
    files_skipped: skipped,
    error_count: errorCount,
    warning_count: findings.length - errorCount,
    rules: [
      ...rules.map((r) => ({ id: r.id, kind: r.meta.kind, description: r.meta.description, severity: r.severity })),
      ...Object.entries(ENGINE_RULES).map(([id, description]) => ({ id, kind: id, description, severity: id === 'unused-suppression' ? 'warning' as const : 'error' as const })),
    ],
  };
}
