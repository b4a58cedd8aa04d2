// Table tests for scanner rules (the typescript-eslint RuleTester shape): each case writes
// real files into a fresh temporary folder and scans them with one configured rule.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';
import type { ScanRuleConfig } from '../../src/models/config.js';
import { parseScanConfig, scanProject, type Finding } from '../../src/scanner/index.js';
import { tempDir } from '../helpers.js';

/** A temporary folder holding the given files (path -> content). */
export function writeTree(files: Record<string, string | Buffer>): string {
  const root = tempDir('toolsmith-scan-');
  for (const [rel, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    writeFileSync(path.join(root, rel), content);
  }
  return root;
}

/** Runs `fn` on a temporary tree of the given files, then removes the tree. */
export function withTree<T>(files: Record<string, string | Buffer>, fn: (root: string) => T): T {
  const root = writeTree(files);
  try {
    return fn(root);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

/** Scans a tree with the given rules (no built-in tool rules). */
export function scanTree(files: Record<string, string | Buffer>, rules: ScanRuleConfig[], toolRules = false): Finding[] {
  return withTree(files, (root) => {
    const parsed = parseScanConfig({ rules, tool_rules: toolRules, ignore: [] }, 'toolsmith.config.json');
    return scanProject({ root, rules: parsed.rules, ignore: parsed.ignore }).findings;
  });
}

export interface ExpectedFinding {
  message: string;
  line: number;
  column: number;
  /** Defaults to the rule's id. */
  rule?: string;
  /** When given, the finding's snippet (the flagged text) must equal it. */
  snippet?: string;
}

export interface InvalidCase {
  code: string;
  errors: ExpectedFinding[];
  /** The file name (default `src/case.ts`); other files of the tree. */
  file?: string;
  files?: Record<string, string>;
  name?: string;
}

export interface ValidCase {
  code: string;
  file?: string;
  files?: Record<string, string>;
  name?: string;
}

/** One configured rule with its cases (a rule's `<kind>.cases.ts` exports a list of them). */
export interface RuleTable {
  rule: ScanRuleConfig;
  valid: Array<string | ValidCase>;
  invalid: InvalidCase[];
}

/** Runs valid cases (no finding) and invalid cases (exactly these findings: rule, message, line, column). */
export function ruleTable(rule: ScanRuleConfig, table: { valid: Array<string | ValidCase>; invalid: InvalidCase[] }): void {
  const id = rule.id ?? rule.kind;
  for (const v of table.valid) {
    const c = typeof v === 'string' ? { code: v } : v;
    it(`valid: ${c.name ?? c.code.slice(0, 70)}`, () => {
      const findings = scanTree({ ...c.files, [c.file ?? 'src/case.ts']: c.code }, [rule]);
      expect(findings.filter((f) => f.file === (c.file ?? 'src/case.ts'))).toEqual([]);
    });
  }
  for (const c of table.invalid) {
    it(`invalid: ${c.name ?? c.code.slice(0, 70)}`, () => {
      const file = c.file ?? 'src/case.ts';
      const findings = scanTree({ ...c.files, [file]: c.code }, [rule]).filter((f) => f.file === file);
      expect(findings.map((f, i) => ({ rule: f.rule, message: f.message, line: f.line, column: f.column, ...(c.errors[i]?.snippet !== undefined ? { snippet: f.snippet } : {}) })))
        .toEqual(c.errors.map((e) => ({ rule: e.rule ?? id, message: e.message, line: e.line, column: e.column, ...(e.snippet !== undefined ? { snippet: e.snippet } : {}) })));
    });
  }
}
