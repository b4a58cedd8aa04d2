// Table tests for scanner rules (the typescript-eslint RuleTester shape): each case writes
// real files into a fresh temporary folder and scans them with one configured rule.
import { mkdirSync, writeFileSync } from 'node:fs';
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

/** Scans a tree with the given rules (no built-in tool rules). */
export function scanTree(files: Record<string, string | Buffer>, rules: ScanRuleConfig[], toolRules = false): Finding[] {
  const root = writeTree(files);
  const parsed = parseScanConfig({ rules, tool_rules: toolRules, ignore: [] }, 'toolsmith.config.json');
  return scanProject({ root, rules: parsed.rules, ignore: parsed.ignore }).findings;
}

export interface ExpectedFinding {
  message: string;
  line: number;
  column: number;
  /** Defaults to the rule's id. */
  rule?: string;
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
      const findings = scanTree({ ...c.files, [file]: c.code }, [rule]);
      expect(findings.filter((f) => f.file === file).map((f) => ({ rule: f.rule, message: f.message, line: f.line, column: f.column })))
        .toEqual(c.errors.map((e) => ({ rule: e.rule ?? id, message: e.message, line: e.line, column: e.column })));
    });
  }
}
